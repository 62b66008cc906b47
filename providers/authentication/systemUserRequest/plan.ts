/**
 * The pure plan of a system-user request. A request cannot change: a different system, customer, reference,
 * rights or redirect is a new request. Its status is the customer's answer: `New` (waiting) and `Accepted` are
 * what the program wants; `Rejected`, `Denied` or `TimedOut` show as drift, which `up` cannot fix by itself (a
 * rejected request cannot be sent again with the same reference) and says so.
 */
import type { Side } from "../../runtime/kind.js";
import { compare, sortedSet, str, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import { rightKeys } from "../rights.js";

type Obj = Record<string, unknown>;

export const REQUEST_REPLACE_FIELDS = [
  "vendor",
  "systemId",
  "partyOrgNo",
  "externalRef",
  "rights",
  "accessPackages",
  "redirectUrl",
] as const;
const FINE = new Set(["new", "accepted"]);

export function canonicalRequest(p: Obj, side: Side): Obj {
  return {
    vendor: str(p.vendor),
    systemId: str(p.systemId),
    partyOrgNo: str(p.partyOrgNo),
    externalRef: isUnknown(p.externalRef) ? p.externalRef : str(p.externalRef ?? p.partyOrgNo),
    rights: rightKeys(p.rights ?? []),
    accessPackages: sortedSet(p.accessPackages),
    redirectUrl: str(p.redirectUrl),
    status: side === "desired" ? "New or Accepted" : FINE.has(String(p.status ?? "new").toLowerCase()) ? "New or Accepted" : str(p.status),
  };
}

export function planRequest(desired: Obj, current: Obj): Plan {
  return compare(canonicalRequest(desired, "desired"), canonicalRequest(current, "current"), REQUEST_REPLACE_FIELDS);
}
