/**
 * The pure plan of a precondition: it holds, or it does not. What it is about (organisation, scopes, service-owner
 * code) can change in place: an update checks again.
 */
import type { Side } from "../../runtime/kind.js";
import { bool, compare, sortedSet, str, type Plan } from "../../runtime/plan.js";

export function canonicalPrecondition(p: Record<string, unknown>, side: Side): Record<string, unknown> {
  return {
    organization: str(p.organization),
    scopes: sortedSet(p.scopes),
    serviceOwnerCode: str(p.serviceOwnerCode),
    holds: side === "desired" ? true : bool(p.holds, false),
  };
}

export function planPrecondition(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalPrecondition(desired, "desired"), canonicalPrecondition(current, "current"), []);
}

export interface Findings {
  /** Scopes the organisation does not hold. */
  readonly missingScopes: readonly string[];
  /** Whether the organisation is the registered service owner of the code (undefined: not asked). */
  readonly serviceOwner: boolean | undefined;
}

export function holds(f: Findings): boolean {
  return f.missingScopes.length === 0 && f.serviceOwner !== false;
}

/** What is missing and whom to ask, one sentence per finding. */
export function advice(organization: string, f: Findings, serviceOwnerCode: string | undefined): string[] {
  const out: string[] = [];
  for (const s of f.missingScopes) {
    out.push(
      s.startsWith("altinn:")
        ? `scope ${s}: ask Altinn's service desk (servicedesk@altinn.no) to grant it to organisation ${organization}`
        : s.startsWith("digdir:") || s.startsWith("idporten:")
          ? `scope ${s}: ask Digdir (servicedesk@digdir.no) to grant it to organisation ${organization}`
          : `scope ${s}: ask the scope's owner to grant it to organisation ${organization}`,
    );
  }
  if (f.serviceOwner === false) {
    out.push(
      `organisation ${organization} is not registered as the Altinn service owner "${serviceOwnerCode ?? "?"}": ask Altinn's service desk (servicedesk@altinn.no) to register it as a service owner`,
    );
  }
  return out;
}
