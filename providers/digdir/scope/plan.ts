/** The pure plan of a Maskinporten scope: canonical form, request body, live-to-fields mapping. */
import { bool, compare, seconds, sortedSet, str, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import type { LiveScope } from "../schemas.js";

export interface ScopeCanon {
  organization: unknown;
  prefix: unknown;
  subscope: unknown;
  description: unknown;
  longDescription: unknown;
  visibility: unknown;
  atMaxAge: unknown;
  allowedIntegrationTypes: unknown;
  accessibleForAll: unknown;
  delegationSource: unknown;
}

/** A scope's name and owner cannot change. */
export const SCOPE_REPLACE_FIELDS = ["organization", "prefix", "subscope"] as const;

export function canonicalScope(i: Record<string, unknown>): ScopeCanon {
  return {
    organization: str(i.organization),
    prefix: isUnknown(i.prefix) ? i.prefix : String(str(i.prefix)).replace(/:$/, ""),
    subscope: str(i.subscope),
    description: str(i.description),
    longDescription: str(i.longDescription),
    visibility: isUnknown(i.visibility) ? i.visibility : String(str(i.visibility, "PUBLIC")).toUpperCase(),
    atMaxAge: seconds(i.atMaxAge, 0),
    allowedIntegrationTypes:
      Array.isArray(i.allowedIntegrationTypes) || isUnknown(i.allowedIntegrationTypes)
        ? sortedSet(i.allowedIntegrationTypes)
        : ["maskinporten"],
    accessibleForAll: bool(i.accessibleForAll, false),
    delegationSource: str(i.delegationSource),
  };
}

export function planScope(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalScope(desired), canonicalScope(current), SCOPE_REPLACE_FIELDS);
}

export function scopeBody(c: ScopeCanon, active = true): Record<string, unknown> {
  return {
    prefix: c.prefix,
    subscope: c.subscope,
    description: c.description,
    long_description: c.longDescription === "" ? null : c.longDescription,
    visibility: c.visibility,
    token_type: "SELF_CONTAINED",
    at_max_age: c.atMaxAge,
    allowed_integration_types: c.allowedIntegrationTypes,
    accessible_for_all: c.accessibleForAll,
    delegation_source: c.delegationSource === "" ? null : c.delegationSource,
    active,
  };
}

/** The scope's fields, in input names, from what the API returned. */
export function scopeFromLive(l: LiveScope): Omit<ScopeCanon, "organization"> {
  return {
    prefix: l.prefix.replace(/:$/, ""),
    subscope: l.subscope,
    description: l.description ?? "",
    longDescription: l.long_description ?? "",
    visibility: (l.visibility ?? "PUBLIC").toUpperCase(),
    atMaxAge: l.at_max_age ?? 0,
    allowedIntegrationTypes: [...new Set(l.allowed_integration_types ?? [])].sort(),
    accessibleForAll: l.accessible_for_all ?? false,
    delegationSource: l.delegation_source ?? "",
  };
}
