/**
 * The drift report (`npm run drift`): what `pulumi refresh --preview-only` found, per drifted resource and field
 * (declared at the last `up` vs live now, as the kind's own plan compares them: sets as what is missing live
 * and what live has besides, secrets masked), plus keys that expire within their renewal window and
 * system-user requests still waiting for the customer.
 */
import { resourceChanges, type FieldDiff } from "./changes.js";
import type { EngineRun, EventState, StepEvent } from "./events.js";
import { isRecord, kindLabel, MASKED, nameOfUrn, render, renderElement, type Json } from "./values.js";

const DAY_MS = 86_400_000;
/** The providers' default `keyRenewalDays` (the inputs in state normally carry the value itself). */
export const DEFAULT_KEY_RENEWAL_DAYS = 30;

export interface DriftField {
  readonly field: string;
  /** The value declared at the last `up` (masked). */
  readonly declared?: Json;
  /** The value the refresh read (masked). */
  readonly live?: Json;
  /** `up` would have to replace the resource to put this field back. */
  readonly replace: boolean;
  /** For a set field: declared elements live lacks, and live elements not declared. */
  readonly missingLive?: Json[];
  readonly extraLive?: Json[];
  readonly secret?: boolean;
}

export interface DriftedResource {
  readonly urn: string;
  readonly type: string;
  readonly kind: string;
  readonly name: string;
  readonly id?: string;
  /** `changed`: fields differ; `gone`: the refresh found nothing (deleted outside Pulumi). */
  readonly status: "changed" | "gone";
  readonly fields: DriftField[];
  readonly byKindPlan: boolean;
}

export interface ExpiringKey {
  readonly resource: string;
  readonly kind: string;
  readonly key: string;
  readonly kid: string;
  readonly expiresAt: string;
  readonly daysLeft: number;
  readonly renewalDays: number;
}

export interface WaitingRequest {
  readonly resource: string;
  readonly kind: string;
  readonly id?: string;
  readonly customer?: string;
  readonly status: string;
  readonly confirmUrl?: string;
}

export interface DriftReport {
  readonly stack: string;
  readonly checkedAt: string;
  readonly drift: boolean;
  /** Managed (custom) resources the refresh looked at. */
  readonly resourcesChecked: number;
  readonly drifted: DriftedResource[];
  readonly expiringKeys: ExpiringKey[];
  readonly waitingRequests: WaitingRequest[];
}

function driftField(f: FieldDiff): DriftField {
  return {
    field: f.field,
    ...(f.to !== undefined ? { declared: f.to } : {}),
    ...(f.from !== undefined ? { live: f.from } : {}),
    replace: f.replace,
    ...(f.added !== undefined ? { missingLive: f.added } : {}),
    ...(f.removed !== undefined ? { extraLive: f.removed } : {}),
    ...(f.secret ? { secret: true } : {}),
  };
}

function isManaged(s: StepEvent): boolean {
  return !s.type.startsWith("pulumi:providers:") && s.type !== "pulumi:pulumi:Stack" && (s.old?.custom ?? s.new?.custom ?? false);
}

function expiringKeys(name: string, kind: string, declared: EventState | undefined, live: EventState, nowMs: number): ExpiringKey[] {
  const keys = live.outputs.registeredKeys;
  if (!Array.isArray(keys)) return [];
  const declaredDays = declared?.inputs.keyRenewalDays ?? live.inputs.keyRenewalDays;
  const renewalDays = typeof declaredDays === "number" ? declaredDays : DEFAULT_KEY_RENEWAL_DAYS;
  const found: ExpiringKey[] = [];
  for (const k of keys) {
    if (!isRecord(k) || typeof k.expiresAt !== "string") continue;
    const exp = Date.parse(k.expiresAt);
    if (Number.isNaN(exp)) continue;
    const daysLeft = Math.floor((exp - nowMs) / DAY_MS);
    if (exp - nowMs > renewalDays * DAY_MS) continue;
    found.push({
      resource: name,
      kind,
      key: typeof k.name === "string" ? k.name : "",
      kid: typeof k.kid === "string" ? k.kid : "",
      expiresAt: k.expiresAt,
      daysLeft,
      renewalDays,
    });
  }
  return found;
}

/** A request for the customer's approval that the customer has not answered: live status `New` and a confirm URL. */
function waitingRequest(name: string, kind: string, live: EventState): WaitingRequest | undefined {
  const o = live.outputs;
  if (typeof o.status !== "string" || o.status.toLowerCase() !== "new") return undefined;
  if (typeof o.confirmUrl !== "string") return undefined;
  const customer = [o.partyOrgNo, live.inputs.partyOrgNo, o.partyOrgNumber].find((v): v is string => typeof v === "string");
  return {
    resource: name,
    kind,
    ...(live.id !== undefined ? { id: live.id } : {}),
    ...(customer !== undefined ? { customer } : {}),
    status: o.status,
    confirmUrl: o.confirmUrl,
  };
}

/** Builds the report from the engine events of `pulumi refresh --preview-only`. */
export function driftReport(stack: string, run: EngineRun, nowMs: number = Date.now()): DriftReport {
  const drifted: DriftedResource[] = [];
  const expiring: ExpiringKey[] = [];
  const waiting: WaitingRequest[] = [];
  const checked = new Set<string>();

  // The outcome of each resource's refresh is its outputs event: same, update or delete (gone). Its pre-event
  // (op "refresh") only counts when no outcome came; whether a resource drifted is the kind's plan's call, not
  // the engine's op.
  const outcomes = new Map<string, StepEvent>();
  for (const step of run.steps.filter(isManaged)) {
    const seen = outcomes.get(step.urn);
    if (!seen || seen.op === "refresh") outcomes.set(step.urn, step);
  }
  for (const step of outcomes.values()) {
    checked.add(step.urn);
    const kind = kindLabel(step.type);
    const name = nameOfUrn(step.urn);
    const id = step.old?.id ?? step.new?.id;
    if (step.op === "delete") {
      drifted.push({ urn: step.urn, type: step.type, kind, name, ...(id ? { id } : {}), status: "gone", fields: [], byKindPlan: true });
      continue;
    }
    const live = step.new;
    if (!live) continue;
    expiring.push(...expiringKeys(name, kind, step.old, live, nowMs));
    const request = waitingRequest(name, kind, live);
    if (request) waiting.push(request);
    // Declared: the inputs recorded at the last up. Live: the outputs the refresh read (for a type without a
    // plan, the live inputs `read` returned, overridden by the live outputs of the same name).
    const changes = resourceChanges(step.type, live.outputs, step.old?.inputs ?? live.inputs, nowMs, { ...live.inputs, ...live.outputs });
    if (changes.fields.length > 0) {
      drifted.push({
        urn: step.urn,
        type: step.type,
        kind,
        name,
        ...(id ? { id } : {}),
        status: "changed",
        fields: changes.fields.map(driftField),
        byKindPlan: changes.byKindPlan,
      });
    }
  }
  drifted.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return {
    stack,
    checkedAt: new Date(nowMs).toISOString(),
    drift: drifted.length > 0,
    resourcesChecked: checked.size,
    drifted,
    expiringKeys: expiring,
    waitingRequests: waiting,
  };
}

// ---- Markdown -----------------------------------------------------------------------------------------------

const code = (s: string): string => `\`${s.replaceAll("`", "'").replaceAll("|", "\\|")}\``;

function difference(f: DriftField, expiring: ReadonlySet<string>): string {
  const parts: string[] = [];
  if (f.missingLive?.length) {
    const lacks = f.missingLive.map((e) => code(renderElement(e))).join(", ");
    const renewal = f.missingLive.every((e) => typeof e === "string" && expiring.has(e));
    parts.push(renewal ? `live lacks ${lacks} (expiring within the renewal window: \`up\` registers it again)` : `live lacks ${lacks}`);
  }
  if (f.extraLive?.length) parts.push(`live also has ${f.extraLive.map((e) => code(renderElement(e))).join(", ")}`);
  if (f.replace) parts.push("up would replace the resource");
  return parts.join("; ");
}

export function driftMarkdown(r: DriftReport): string {
  const out: string[] = [`<!-- altinn-onboarding:drift stack=${r.stack} -->`, `### Drift report for stack ${code(r.stack)}`, ""];
  out.push(
    r.drift
      ? `**Drift in ${r.drifted.length} of ${r.resourcesChecked} resources.** Checked ${r.checkedAt} with \`pulumi refresh --preview-only\`.`
      : `**No drift.** ${r.resourcesChecked} resources match what was declared at the last \`up\`. Checked ${r.checkedAt}.`,
  );
  for (const d of r.drifted) {
    const id = d.id !== undefined ? ` (id ${code(d.id)})` : "";
    out.push(
      "",
      `#### ${code(d.kind)} ${code(d.name)}${id}: ${d.status === "gone" ? "gone (deleted outside Pulumi)" : "changed outside Pulumi"}`,
    );
    if (d.status === "changed") {
      if (!d.byKindPlan) out.push("", "(no plan for this type: declared inputs compared with live outputs as they are)");
      out.push("", "| field | declared | live | difference |", "| --- | --- | --- | --- |");
      const expiring = new Set(r.expiringKeys.filter((k) => k.resource === d.name).map((k) => k.key));
      for (const f of d.fields) {
        const value = (v: Json | undefined): string => (f.secret ? MASKED : code(render(v)));
        out.push(`| ${code(f.field)} | ${value(f.declared)} | ${value(f.live)} | ${difference(f, expiring)} |`);
      }
    }
  }
  if (r.expiringKeys.length > 0) {
    out.push("", "#### Keys expiring within the renewal window", "", "| resource | key | kid | expires | days left | renewal window |");
    out.push("| --- | --- | --- | --- | ---: | ---: |");
    for (const k of r.expiringKeys) {
      out.push(`| ${code(k.resource)} | ${code(k.key)} | ${code(k.kid)} | ${k.expiresAt} | ${k.daysLeft} | ${k.renewalDays} days |`);
    }
  }
  if (r.waitingRequests.length > 0) {
    out.push(
      "",
      "#### System-user requests waiting for customers",
      "",
      "| resource | customer | status | confirm URL |",
      "| --- | --- | --- | --- |",
    );
    for (const w of r.waitingRequests) {
      out.push(`| ${code(w.resource)} | ${w.customer ?? ""} | ${w.status} | ${w.confirmUrl ?? ""} |`);
    }
  }
  if (r.drift) {
    out.push(
      "",
      `To put the declared state back after reviewing: \`npm run pulumi -- up --refresh --stack ${r.stack}\`. ` +
        "To keep a change made outside Pulumi, change the manifest to match it instead.",
    );
  }
  return `${out.join("\n")}\n`;
}
