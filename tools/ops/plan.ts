/**
 * The reviewer's summary of a preview (`npm run plan`): per resource the operation (create, update, replace,
 * delete) and per field old -> new as the kind's own plan computes it from the old state (outputs) and the new
 * state (inputs); sets as additions and removals; secrets masked; replacements and deletions first; policy
 * violations called out.
 */
import { creationFields, resourceChanges, type FieldDiff } from "./changes.js";
import type { EngineRun, PolicyViolation, StepEvent } from "./events.js";
import { kindLabel, MASKED, nameOfUrn, render, renderElement, type Json } from "./values.js";

export const PLAN_OPS = ["replace", "delete", "create", "update"] as const;
export type PlanOp = (typeof PLAN_OPS)[number];

export interface ResourcePlan {
  readonly op: PlanOp;
  readonly urn: string;
  readonly type: string;
  /** `<module>:<Type>` for our dynamic kinds, else the type token. */
  readonly kind: string;
  readonly name: string;
  readonly id?: string;
  /** Fields that force the replacement (replace only). */
  readonly replaceReasons: string[];
  readonly fields: FieldDiff[];
  /** False when the type is unknown to the plans API and the fields come from a generic comparison. */
  readonly byKindPlan: boolean;
}

export interface PlanViolation {
  readonly policy: string;
  readonly policyPack: string;
  readonly enforcementLevel: string;
  readonly resource?: { readonly kind: string; readonly name: string; readonly urn: string };
  readonly message: string;
}

export interface PlanSummary {
  readonly stack: string;
  readonly resources: ResourcePlan[];
  readonly counts: Record<PlanOp | "same", number>;
  /** Per kind: how many of each operation. */
  readonly perKind: Record<string, Record<PlanOp, number>>;
  readonly policyViolations: PlanViolation[];
  /** Whether a mandatory policy violation blocks the change. */
  readonly blocked: boolean;
}

function opOf(engineOp: string): PlanOp | undefined {
  switch (engineOp) {
    case "create":
    case "import":
      return "create";
    case "update":
      return "update";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
    case "import-replacement":
      return "replace";
    case "delete":
    case "discard":
      return "delete";
    default:
      return undefined; // same, read, refresh, remove-pending-replace ...
  }
}

function resourcePlan(op: PlanOp, steps: StepEvent[], nowMs: number): ResourcePlan {
  const first = steps[0];
  if (!first) throw new Error("internal: a resource plan needs at least one step");
  const oldState = steps.find((s) => s.old)?.old;
  const newState = steps.find((s) => s.new)?.new;
  const type = first.type || newState?.type || oldState?.type || "";
  const id = oldState?.id;
  let changes = { fields: [] as FieldDiff[], byKindPlan: true };
  if (op === "create" && newState) changes = creationFields(type, newState.inputs, nowMs);
  // The kind's plan compares old outputs with new inputs, as its diff does; a type without a plan is compared
  // input to input, as the engine itself does for a provider without diff.
  if ((op === "update" || op === "replace") && newState) {
    changes = resourceChanges(type, oldState?.outputs ?? {}, newState.inputs, nowMs, oldState?.inputs ?? {});
  }
  const engineReasons = steps.find((s) => s.op === "replace" || s.op === "create-replacement")?.keys ?? [];
  const replaceReasons =
    op === "replace" ? [...new Set([...changes.fields.filter((f) => f.replace).map((f) => f.field), ...engineReasons])].sort() : [];
  return {
    op,
    urn: first.urn,
    type,
    kind: kindLabel(type),
    name: nameOfUrn(first.urn),
    ...(id !== undefined ? { id } : {}),
    replaceReasons,
    fields: changes.fields,
    byKindPlan: changes.byKindPlan,
  };
}

/** Builds the summary from the engine events of `pulumi preview`. */
export function planSummary(stack: string, run: EngineRun, nowMs: number = Date.now()): PlanSummary {
  const byUrn = new Map<string, { op: PlanOp; steps: StepEvent[] }>();
  let same = 0;
  for (const step of run.steps) {
    // Only managed resources: the stack, components and provider resources are structure, not onboarding.
    const custom = step.new?.custom ?? step.old?.custom ?? false;
    if (!custom || step.type.startsWith("pulumi:providers:")) continue;
    const op = opOf(step.op);
    if (!op) {
      if (step.op === "same") same++;
      continue;
    }
    const entry = byUrn.get(step.urn);
    if (entry) {
      entry.steps.push(step);
      if (op === "replace") entry.op = "replace";
    } else {
      byUrn.set(step.urn, { op, steps: [step] });
    }
  }
  const rank = (op: PlanOp): number => PLAN_OPS.indexOf(op);
  const resources = [...byUrn.values()]
    .map((e) => resourcePlan(e.op, e.steps, nowMs))
    .sort((a, b) => rank(a.op) - rank(b.op) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));

  const counts: Record<PlanOp | "same", number> = { replace: 0, delete: 0, create: 0, update: 0, same };
  const perKind: Record<string, Record<PlanOp, number>> = {};
  for (const r of resources) {
    counts[r.op]++;
    perKind[r.kind] ??= { replace: 0, delete: 0, create: 0, update: 0 };
    perKind[r.kind]![r.op]++;
  }
  const policyViolations = run.policyViolations.map((v) => violation(v, run));
  return {
    stack,
    resources,
    counts,
    perKind,
    policyViolations,
    blocked: policyViolations.some((v) => v.enforcementLevel === "mandatory"),
  };
}

function violation(v: PolicyViolation, run: EngineRun): PlanViolation {
  const type = v.urn ? run.steps.find((s) => s.urn === v.urn)?.type : undefined;
  // The CLI's message starts with the policy's description; the last line is what this resource did wrong.
  const lines = v.message.split("\n").filter((l) => l.trim() !== "");
  return {
    policy: v.policy,
    policyPack: v.policyPack,
    enforcementLevel: v.enforcementLevel,
    ...(v.urn ? { resource: { kind: kindLabel(type ?? typeOfUrn(v.urn)), name: nameOfUrn(v.urn), urn: v.urn } } : {}),
    message: lines.length > 1 ? lines.slice(1).join(" ") : (lines[0] ?? ""),
  };
}

/** The type token inside a URN (`urn:pulumi:<stack>::<project>::<parent types>$<type>::<name>`). */
function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return types.split("$").pop() ?? types;
}

// ---- Markdown -----------------------------------------------------------------------------------------------

/** The first line of every plan comment: the pull-request workflow finds its own comment per stack by it. */
export function commentMarker(stack: string): string {
  return `<!-- altinn-onboarding:plan stack=${stack} -->`;
}

const code = (s: string): string => `\`${s.replaceAll("`", "'")}\``;

function fieldLine(f: FieldDiff, op: PlanOp): string {
  const name = code(f.field);
  if (f.secret) return `${name}: ${MASKED} (a secret: its value is not shown)`;
  if (f.added !== undefined || f.removed !== undefined) {
    const parts = [
      ...(f.added?.length ? [`added ${f.added.map((e: Json) => code(renderElement(e))).join(", ")}`] : []),
      ...(f.removed?.length ? [`removed ${f.removed.map((e: Json) => code(renderElement(e))).join(", ")}`] : []),
    ];
    return `${name}: ${parts.join("; ") || "(order only)"}${f.replace ? " (forces replacement)" : ""}`;
  }
  if (op === "create") return `${name}: ${code(render(f.to))}`;
  return `${name}: ${code(render(f.from))} -> ${code(render(f.to))}${f.replace ? " (forces replacement)" : ""}`;
}

function resourceLines(r: ResourcePlan): string[] {
  const id = r.id !== undefined ? ` (id ${code(r.id)})` : "";
  const why = r.op === "replace" && r.replaceReasons.length > 0 ? `: replaced because of ${r.replaceReasons.map(code).join(", ")}` : "";
  const lines = [`- **${r.op}** ${code(r.kind)} ${code(r.name)}${id}${why}`];
  if (!r.byKindPlan) lines.push(`  - (no plan for this type: inputs compared as they are)`);
  for (const f of r.fields) lines.push(`  - ${fieldLine(f, r.op)}`);
  if ((r.op === "update" || r.op === "replace") && r.fields.length === 0) lines.push("  - (no field changes: the provider code changed)");
  return lines;
}

/** The Markdown of a plan summary (a pull-request comment, and what `npm run plan` prints). */
export function planMarkdown(s: PlanSummary): string {
  const out: string[] = [commentMarker(s.stack), `### Onboarding plan for stack ${code(s.stack)}`, ""];
  const total = PLAN_OPS.reduce((n, op) => n + s.counts[op], 0);
  const countText = PLAN_OPS.filter((op) => s.counts[op] > 0)
    .map((op) => `${s.counts[op]} to ${op}`)
    .join(", ");
  out.push(total === 0 ? `**No changes.** ${s.counts.same} unchanged.` : `**${countText}**; ${s.counts.same} unchanged.`);
  if (s.policyViolations.length > 0) {
    out.push("", `#### Policy violations${s.blocked ? " (blocking: the change cannot be applied)" : ""}`);
    for (const v of s.policyViolations) {
      const on = v.resource ? ` on ${code(v.resource.kind)} ${code(v.resource.name)}` : " on the stack";
      out.push(`- **${v.policy}** [${v.enforcementLevel}]${on}: ${v.message}`);
    }
  }
  if (total > 0) {
    out.push("", "| kind | create | update | replace | delete |", "| --- | ---: | ---: | ---: | ---: |");
    for (const kind of Object.keys(s.perKind).sort()) {
      const c = s.perKind[kind]!;
      const cell = (n: number): string => (n > 0 ? String(n) : "");
      out.push(`| ${code(kind)} | ${cell(c.create)} | ${cell(c.update)} | ${cell(c.replace)} | ${cell(c.delete)} |`);
    }
  }
  const section = (title: string, ops: PlanOp[]): void => {
    const rs = s.resources.filter((r) => ops.includes(r.op));
    if (rs.length === 0) return;
    out.push("", `#### ${title}`);
    for (const r of rs) out.push(...resourceLines(r));
  };
  section("Replacements and deletions (review these first)", ["replace", "delete"]);
  section("Creations", ["create"]);
  section("Updates", ["update"]);
  return `${out.join("\n")}\n`;
}
