/**
 * Field-by-field changes of one resource, as each kind's own pure plan decides them
 * (`@altinn-onboarding/providers/plans`): the same comparison the provider's `diff` makes, so what a report says
 * is what `up` will do. Sets are shown as additions and removals, secret fields are masked. A type the plans
 * API does not know (a kind added later, or not ours) gets a generic comparison of the same two sides.
 */
import { kindPlan, planResource } from "@altinn-onboarding/providers/plans";

import { INTERNAL_FIELDS, isSecret, mask, setDelta, stableJson, type Json } from "./values.js";

export interface FieldDiff {
  readonly field: string;
  /** The current (old or live) value, masked. Absent when the field had none. */
  readonly from?: Json;
  /** The desired (new or declared) value, masked. Absent when the field has none. */
  readonly to?: Json;
  /** The API cannot change this field in place: the resource is replaced. */
  readonly replace: boolean;
  /** For a set field: elements in `to` only, and in `from` only. */
  readonly added?: Json[];
  readonly removed?: Json[];
  /** The value is a secret (masked on both sides). */
  readonly secret?: boolean;
}

export interface ResourceChanges {
  readonly fields: FieldDiff[];
  /** Whether the kind's own plan decided (false: generic comparison). */
  readonly byKindPlan: boolean;
}

function toDiff(
  field: string,
  from: unknown,
  to: unknown,
  replace: boolean,
  secretFields: ReadonlySet<string>,
  setFields: ReadonlySet<string>,
): FieldDiff {
  const secret = secretFields.has(field) || isSecret(from) || isSecret(to);
  const maskedFrom = mask(from, secret);
  const maskedTo = mask(to, secret);
  const base: FieldDiff = {
    field,
    replace,
    ...(maskedFrom !== undefined ? { from: maskedFrom } : {}),
    ...(maskedTo !== undefined ? { to: maskedTo } : {}),
    ...(secret ? { secret: true } : {}),
  };
  if (!secret && setFields.has(field) && (Array.isArray(from) || from === undefined) && Array.isArray(to)) {
    return { ...base, ...setDelta(from, to) };
  }
  return base;
}

function strip(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !INTERNAL_FIELDS.has(k)));
}

/** Generic: every field of `desired` whose value differs from `current`'s (by canonical JSON, arrays in order). */
function genericChanges(
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
): { field: string; from: unknown; to: unknown }[] {
  return Object.keys(desired)
    .sort()
    .filter((k) => stableJson(desired[k]) !== stableJson(current[k]))
    .map((k) => ({ field: k, from: current[k], to: desired[k] }));
}

/**
 * What changes from `current` (a resource's outputs: in state, or as a refresh read them live) to `desired`
 * (its inputs: the program's new ones, or the ones declared at the last `up`).
 */
export function resourceChanges(
  type: string,
  current: Readonly<Record<string, unknown>>,
  desired: Readonly<Record<string, unknown>>,
  nowMs: number,
  /** What a type without a plan is compared against instead of `current` (for example the old inputs). */
  genericCurrent: Readonly<Record<string, unknown>> = current,
): ResourceChanges {
  const kind = kindPlan(type);
  const secretFields = new Set(kind?.secretFields ?? []);
  const setFields = new Set(kind?.setFields ?? []);
  const plan = kind ? planResource(type, { ...current }, { ...desired }, nowMs) : undefined;
  if (plan) {
    return {
      byKindPlan: true,
      fields: plan.changes.map((c) => toDiff(c.field, c.from, c.to, c.replace, secretFields, setFields)),
    };
  }
  return {
    byKindPlan: false,
    fields: genericChanges(strip(genericCurrent), strip(desired)).map((c) => toDiff(c.field, c.from, c.to, false, secretFields, setFields)),
  };
}

/** The fields a new resource will have: its inputs, compared with nothing (the kind's plan fills defaults). */
export function creationFields(type: string, desired: Readonly<Record<string, unknown>>, nowMs: number): ResourceChanges {
  return resourceChanges(type, {}, desired, nowMs);
}
