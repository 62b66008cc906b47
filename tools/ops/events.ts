/**
 * The Pulumi CLI's engine events, as `pulumi preview --json` and `pulumi refresh --preview-only --json` stream
 * them with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (one JSON object per line). Why the stream and not the
 * single PreviewDigest those commands print otherwise (CLI 3.259.0, checked through the real CLI):
 *
 * - the digest of `refresh --preview-only` carries the *stored* state on both sides of each step (its newState
 *   is not what the refresh read), so it cannot show a live value; the stream's resOutputsEvent does;
 * - the digest of `preview --policy-pack` drops the policy violations (only "preview failed" remains); the
 *   stream has one policyEvent per violation, naming the rule, the resource and the message.
 *
 * Secrets arrive as ciphertext envelopes (`{"4dabf…": "1b47…", "ciphertext": "[secret]"}`) or "[secret]": the
 * tools never pass --show-secrets.
 */
import { isRecord } from "./values.js";

/** A resource's state in an event: what the engine had (old) or will have / read (new). */
export interface EventState {
  readonly type: string;
  readonly urn: string;
  readonly id?: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly protect?: boolean;
  /** A resource managed by a provider (components and the stack are not). */
  readonly custom?: boolean;
}

/** One step of the engine: `same`, `create`, `update`, `replace`, `create-replacement`, `delete`, `refresh`... */
export interface StepEvent {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: EventState;
  readonly new?: EventState;
  /** The keys the engine reports as changed or forcing replacement. */
  readonly keys: readonly string[];
}

export interface PolicyViolation {
  readonly urn?: string;
  readonly policyPack: string;
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: string;
  readonly message: string;
  readonly urn?: string;
}

export interface EngineRun {
  /** The last step event per resource and operation, in the order they first appeared. */
  readonly steps: StepEvent[];
  readonly policyViolations: PolicyViolation[];
  /** Diagnostics of severity warning and error (debug and info are left out). */
  readonly diagnostics: Diagnostic[];
  /** From the summary event: succeeded / failed, and the counts per operation. */
  readonly result?: string;
  readonly resourceChanges: Readonly<Record<string, number>>;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function state(v: unknown): EventState | undefined {
  if (!isRecord(v)) return undefined;
  const type = str(v.type);
  const urn = str(v.urn);
  if (type === undefined || urn === undefined) return undefined;
  const id = str(v.id);
  return {
    type,
    urn,
    ...(id !== undefined && id !== "" ? { id } : {}),
    inputs: isRecord(v.inputs) ? v.inputs : {},
    outputs: isRecord(v.outputs) ? v.outputs : {},
    ...(typeof v.protect === "boolean" ? { protect: v.protect } : {}),
    ...(typeof v.custom === "boolean" ? { custom: v.custom } : {}),
  };
}

/** Parses the event lines. Lines that are not JSON objects (should the CLI print any) are ignored. */
export function parseEvents(text: string): EngineRun {
  const steps = new Map<string, StepEvent>();
  const policyViolations: PolicyViolation[] = [];
  const diagnostics: Diagnostic[] = [];
  let result: string | undefined;
  let resourceChanges: Record<string, number> = {};

  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed.startsWith("{")) continue;
    let event: unknown;
    try {
      event = JSON.parse(trimmed);
    } catch {
      continue;
    }
    if (!isRecord(event)) continue;

    const step = isRecord(event.resOutputsEvent)
      ? event.resOutputsEvent
      : isRecord(event.resourcePreEvent)
        ? event.resourcePreEvent
        : undefined;
    if (step && isRecord(step.metadata)) {
      const m = step.metadata;
      const op = str(m.op);
      const urn = str(m.urn);
      if (op !== undefined && urn !== undefined) {
        const oldState = state(m.old);
        const newState = state(m.new);
        const keys = Array.isArray(m.keys) ? m.keys.filter((k): k is string => typeof k === "string") : [];
        // A step appears in a pre-event and again in an outputs event: merge them, keeping the first position
        // (Map.set on an existing key keeps its place) and the newest state of each side.
        const key = `${urn}\u0000${op}`;
        const previous = steps.get(key);
        const oldSide = oldState ?? previous?.old;
        const newSide = newState ?? previous?.new;
        steps.set(key, {
          op,
          urn,
          type: str(m.type) ?? newSide?.type ?? oldSide?.type ?? "",
          ...(oldSide ? { old: oldSide } : {}),
          ...(newSide ? { new: newSide } : {}),
          keys: keys.length > 0 ? keys : (previous?.keys ?? []),
        });
      }
      continue;
    }

    if (isRecord(event.policyEvent)) {
      const p = event.policyEvent;
      policyViolations.push({
        ...(str(p.resourceUrn) ? { urn: str(p.resourceUrn) } : {}),
        policyPack: str(p.policyPackName) ?? "",
        policy: str(p.policyName) ?? "",
        enforcementLevel: str(p.enforcementLevel) ?? "",
        message: (str(p.message) ?? "").trim(),
      });
      continue;
    }

    if (isRecord(event.diagnosticEvent)) {
      const d = event.diagnosticEvent;
      const severity = str(d.severity) ?? "";
      if (severity === "error" || severity === "warning") {
        diagnostics.push({ severity, message: (str(d.message) ?? "").trim(), ...(str(d.urn) ? { urn: str(d.urn) } : {}) });
      }
      continue;
    }

    if (isRecord(event.summaryEvent)) {
      const s = event.summaryEvent;
      result = str(s.result);
      if (isRecord(s.resourceChanges)) {
        resourceChanges = Object.fromEntries(
          Object.entries(s.resourceChanges).filter((e): e is [string, number] => typeof e[1] === "number"),
        );
      }
    }
  }
  return { steps: [...steps.values()], policyViolations, diagnostics, ...(result !== undefined ? { result } : {}), resourceChanges };
}
