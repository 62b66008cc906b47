/**
 * Each kind's pure plan, for tools that explain a change to a person (the drift report, the pull-request plan
 * summary). No Pulumi engine, no I/O: give it a resource's type token, its current state (outputs, as in state
 * or as a refresh read them) and its desired inputs, and it says per field what changes and what forces a
 * replacement, exactly as the provider's `diff` decides.
 *
 * Stable API (`@altinn-onboarding/providers/plans`): tools depend on it, so change it only compatibly.
 */
import { planClient, planGrant, planScope, type FieldChange, type Plan } from "./maskinporten/plan.js";

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

const KINDS: readonly KindPlanInfo[] = [
  {
    token: "pulumi-nodejs:dynamic/maskinporten:Client",
    secretFields: ["privateJwks"],
    setFields: ["scopes", "keys"],
    plan: (current, desired, nowMs) => planClient(desired, current, nowMs),
  },
  {
    token: "pulumi-nodejs:dynamic/maskinporten:Scope",
    secretFields: [],
    setFields: ["allowedIntegrationTypes"],
    plan: (current, desired) => planScope(desired, current),
  },
  {
    token: "pulumi-nodejs:dynamic/maskinporten:ScopeGrant",
    secretFields: [],
    setFields: [],
    plan: (current, desired) => planGrant(desired, current),
  },
];

/** Every type token this version of the providers knows. */
export function typeTokens(): string[] {
  return KINDS.map((k) => k.token);
}

/** The plan information of a type token, or undefined for a type this version does not know. */
export function kindPlan(token: string): KindPlanInfo | undefined {
  return KINDS.find((k) => k.token === token);
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
