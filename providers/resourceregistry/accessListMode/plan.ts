/** The pure plan of a resource's access-list mode: the mode, read in any casing or as the enum's number. */
import { compare, str, type Plan } from "../../runtime/plan.js";
import type { LiveResource } from "../schemas.js";

export const MODE_REPLACE_FIELDS = ["resource"] as const;

export function canonicalMode(p: Record<string, unknown>): { resource: unknown; mode: unknown } {
  return { resource: str(p.resource), mode: str(p.mode, "Disabled") };
}

export function planMode(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalMode(desired), canonicalMode(current), MODE_REPLACE_FIELDS);
}

/** The live mode in the registry's casing (`accessListMode` is read case-insensitively or as 0/1 upstream). */
export function modeOf(live: LiveResource): "Enabled" | "Disabled" {
  const m = live.accessListMode;
  return m === 1 || (typeof m === "string" && m.toLowerCase() === "enabled") ? "Enabled" : "Disabled";
}
