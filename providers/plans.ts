/**
 * Each kind's pure plan, for tools that explain a change to a person (the drift report, the pull-request plan
 * summary). No Pulumi engine, no I/O: give it a resource's type token, its current state (outputs, as in state
 * or as a refresh read them) and its desired inputs, and it says per field what changes and what forces a
 * replacement, exactly as the provider's `diff` decides.
 *
 * Stable API (`@altinn-onboarding/providers/plans`): tools depend on it, so change it only compatibly.
 */
import { aliases, kindNameOf, kinds } from "./kinds.js";
import type { FieldChange, Plan } from "./runtime/plan.js";

export type { FieldChange, Plan };

/** What a tool needs to know about a kind to present its changes. */
export interface KindPlanInfo {
  /** The type token, `pulumi-nodejs:dynamic/<module>:<Type>`. */
  readonly token: string;
  /** Output fields that hold secrets: never print their values. */
  readonly secretFields: readonly string[];
  /** Fields whose value is a set (order does not matter): show additions and removals. */
  readonly setFields: readonly string[];
  /** The kind's plan: current state (outputs) against desired state (inputs). */
  plan(current: Record<string, unknown>, desired: Record<string, unknown>, nowMs: number): Plan;
}

const TOKEN_PREFIX = "pulumi-nodejs:dynamic/";

/** Every type token this version of the providers knows. */
export function typeTokens(): string[] {
  return Object.keys(kinds).map((k) => `${TOKEN_PREFIX}${k}`);
}

/** The plan information of a type token (current or former), or undefined for a type this version does not know. */
export function kindPlan(token: string): KindPlanInfo | undefined {
  const found = kindNameOf(token);
  const name = found === undefined ? undefined : (aliases[found] ?? found);
  const kind = name === undefined ? undefined : kinds[name];
  if (!kind) return undefined;
  return { token: `${TOKEN_PREFIX}${kind.name}`, secretFields: kind.secretFields, setFields: kind.setFields, plan: kind.plan };
}

/**
 * The field-by-field plan of one resource. Strips the engine's `__provider` and the runtime's `resourceKind`
 * from both sides. Undefined when the type is not one of ours.
 */
export function planResource(
  token: string,
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
  nowMs: number = Date.now(),
): Plan | undefined {
  const kind = kindPlan(token);
  if (!kind) return undefined;
  const strip = ({ __provider: _p, resourceKind: _k, ...rest }: Record<string, unknown>): Record<string, unknown> => rest;
  return kind.plan(strip(current), strip(desired), nowMs);
}
