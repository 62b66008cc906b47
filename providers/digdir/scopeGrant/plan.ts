/** The pure plan of a scope grant: every input identifies the grant, and the desired state is APPROVED. */
import { compare, str, type Plan } from "../../runtime/plan.js";
import type { Side } from "../../runtime/kind.js";

export interface GrantCanon {
  organization: unknown;
  scope: unknown;
  consumerOrg: unknown;
  state: unknown;
}

export const GRANT_REPLACE_FIELDS = ["organization", "scope", "consumerOrg"] as const;

/** Desired grants are always APPROVED; the current state comes from outputs (REQUESTED/DENIED show as drift). */
export function canonicalGrant(i: Record<string, unknown>, side: Side): GrantCanon {
  return {
    organization: str(i.organization),
    scope: str(i.scope),
    consumerOrg: str(i.consumerOrg),
    state: side === "desired" ? "APPROVED" : str(i.state, "APPROVED"),
  };
}

export function planGrant(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalGrant(desired, "desired"), canonicalGrant(current, "current"), GRANT_REPLACE_FIELDS);
}

/** The id: consumer org and scope name (scope names may hold '/' and ':', org numbers never hold '@'). */
export function grantId(scope: string, consumer: string): string {
  return `${consumer}@${scope}`;
}

/** The inverse of {@link grantId}. */
export function parseGrantId(id: string): { scope: string; consumerOrg: string } {
  const at = id.indexOf("@");
  return { consumerOrg: id.slice(0, at), scope: id.slice(at + 1) };
}
