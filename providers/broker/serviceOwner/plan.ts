/**
 * The pure plan of a Broker service owner: it exists and its storage is ready. Broker has no way to change or
 * remove a service owner, so its name is kept as first given and is not compared.
 */
import type { Side } from "../../runtime/kind.js";
import { bool, compare, str, type Plan } from "../../runtime/plan.js";
import type { LiveServiceOwner } from "../api.js";

export function canonicalServiceOwner(p: Record<string, unknown>, side: Side): { organization: unknown; storageReady: unknown } {
  return { organization: str(p.organization), storageReady: side === "desired" ? true : bool(p.storageReady, false) };
}

export function planServiceOwner(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalServiceOwner(desired, "desired"), canonicalServiceOwner(current, "current"), ["organization"]);
}

/** Ready when every storage provider Broker made for the organisation is deployed (and there is one). */
export function storageReady(o: LiveServiceOwner): boolean {
  return o.storageProviders.length > 0 && o.storageProviders.every((p) => p.deploymentStatus.toLowerCase() === "ready");
}
