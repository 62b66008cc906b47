/**
 * The generic half of every kind's plan: pure functions with no Pulumi, no I/O and no clock. A kind brings its
 * desired state (checked inputs) and current state (outputs, which `read` keeps equal to the live API) to one
 * canonical form with these helpers (sets sorted and de-duplicated, server defaults filled, durations in
 * seconds), then {@link compare} says field by field what changes and what forces a replacement.
 */
import { containsUnknown, durationSeconds, isUnknown } from "./validation.js";

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  /** The API cannot change this field in place: the resource is replaced. */
  readonly replace: boolean;
}

export interface Plan {
  readonly changes: readonly FieldChange[];
  readonly replaces: readonly string[];
}

/** What a kind's `diff` answers the engine for a plan. */
export function diffOf(plan: Plan): { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean } {
  return { changes: plan.changes.length > 0, replaces: [...plan.replaces], deleteBeforeReplace: false };
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/**
 * Compares canonical desired and current values, field by field. A value not known yet (preview) counts as a
 * change but never as a replacement: whether it really differs is decided when the engine diffs again with the
 * value known, during `up`. So a preview never shows a replacement it cannot be sure of.
 */
export function compare<T extends object>(desired: T, current: T, replaceFields: readonly (keyof T & string)[]): Plan {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(desired) as (keyof T & string)[]) {
    const to = desired[field];
    const from = current[field];
    const unknown = containsUnknown(to);
    if (!unknown && stableJson(to) === stableJson(from)) continue;
    changes.push({ field, from, to, replace: !unknown && replaceFields.includes(field) });
  }
  return { changes, replaces: changes.filter((c) => c.replace).map((c) => c.field) };
}

/** A one-line human summary of a plan, for logs and error messages. */
export function describePlan(p: Plan): string {
  if (p.changes.length === 0) return "no changes";
  return p.changes
    .map(
      (c) =>
        `${c.field}${c.replace ? " (forces replacement)" : ""}: ${stableJson(c.from)} -> ${isUnknown(c.to) ? "(known after apply)" : stableJson(c.to)}`,
    )
    .join("; ");
}

// ---- canonicalisation helpers: each passes preview's unknown sentinel through unchanged ----------------------

/** A set of strings: de-duplicated and sorted; anything but an array is the empty set. */
export function sortedSet(v: unknown): unknown {
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) return [];
  if (v.some(isUnknown)) return v;
  return [...new Set(v.map(String))].sort();
}

/** A duration in whole seconds (from seconds, ISO-8601 or .NET TimeSpan); missing is `dflt`. */
export function seconds(v: unknown, dflt: number): unknown {
  if (isUnknown(v)) return v;
  if (v === undefined || v === null || v === "") return dflt;
  if (typeof v === "number" || typeof v === "string") return durationSeconds(v) ?? v;
  return v;
}

/** A string; missing is `dflt`. */
export function str(v: unknown, dflt = ""): unknown {
  if (isUnknown(v)) return v;
  return v === undefined || v === null ? dflt : v;
}

/** A boolean; anything else is `dflt`. */
export function bool(v: unknown, dflt: boolean): unknown {
  if (isUnknown(v)) return v;
  return typeof v === "boolean" ? v : dflt;
}
