/**
 * The pure plan of an Events subscription. A subscription cannot change upstream: any real change of its filters
 * replaces it. The filters are compared in the form Events stores (the lower-case resource URN, a normalised
 * URL), because Events answers an identical create with the existing subscription: a "replacement" whose
 * filters Events considers identical would get the old subscription back, and deleting the old would delete it.
 */
import type { Side } from "../../runtime/kind.js";
import { bool, compare, str, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import type { SubscriptionRequest } from "../api.js";

type Obj = Record<string, unknown>;

export interface SubscriptionCanon {
  organization: unknown;
  endpoint: unknown;
  resourceFilter: unknown;
  subjectFilter: unknown;
  typeFilter: unknown;
  includeSubunits: unknown;
  validated: unknown;
}

export const SUBSCRIPTION_REPLACE_FIELDS = [
  "organization",
  "endpoint",
  "resourceFilter",
  "subjectFilter",
  "typeFilter",
  "includeSubunits",
] as const;

/** `urn:altinn:resource:<id>` in lower case, from an identifier or a URN in any case. */
export function resourceFilterOf(resource: string): string {
  const id = resource.replace(/^urn:altinn:resource:/i, "");
  return `urn:altinn:resource:${id.toLowerCase()}`;
}

/** A URL as Events compares it: scheme and host in lower case, default ports dropped. */
export function endpointOf(endpoint: string): string {
  try {
    return new URL(endpoint).href;
  } catch {
    return endpoint;
  }
}

/** A subject URN with its scheme part in lower case. */
export function subjectFilterOf(subject: string): string {
  const m = /^(urn:altinn:(?:organization|person):identifier-no:)(.*)$/i.exec(subject);
  return m ? `${(m[1] ?? "").toLowerCase()}${m[2] ?? ""}` : subject;
}

const map = (v: unknown, f: (s: string) => string): unknown => (isUnknown(v) ? v : typeof v === "string" && v !== "" ? f(v) : "");

export function canonicalSubscription(p: Obj, side: Side): SubscriptionCanon {
  return {
    organization: str(p.organization),
    endpoint: map(p.endpoint, endpointOf),
    resourceFilter: map(p.resource, resourceFilterOf),
    subjectFilter: map(p.subject, subjectFilterOf),
    typeFilter: str(p.type),
    includeSubunits: bool(p.includeSubunits, false),
    // Desired: validated. A subscription Events never validated gets no events: it shows as drift, and `up`
    // sends the same create again (Events then validates the existing subscription once more).
    validated: side === "desired" ? true : bool(p.validated, false),
  };
}

export function planSubscription(desired: Obj, current: Obj): Plan {
  return compare(canonicalSubscription(desired, "desired"), canonicalSubscription(current, "current"), SUBSCRIPTION_REPLACE_FIELDS);
}

/** The request body: the filters in the form Events stores. */
export function subscriptionRequest(i: {
  endpoint: string;
  resource: string;
  subject?: string | undefined;
  type?: string | undefined;
  includeSubunits: boolean;
}): SubscriptionRequest {
  return {
    endPoint: endpointOf(i.endpoint),
    resourceFilter: resourceFilterOf(i.resource),
    ...(i.subject !== undefined ? { subjectFilter: subjectFilterOf(i.subject) } : {}),
    ...(i.type !== undefined ? { typeFilter: i.type } : {}),
    includeSubunits: i.includeSubunits,
  };
}

/** Whether a live subscription has exactly these filters. */
export function sameFilters(
  live: {
    endPoint: string;
    resourceFilter?: string | null;
    subjectFilter?: string | null;
    typeFilter?: string | null;
    includeSubunits?: boolean | null;
  },
  want: SubscriptionRequest,
): boolean {
  return (
    endpointOf(live.endPoint) === want.endPoint &&
    (live.resourceFilter ?? "") === want.resourceFilter &&
    (live.subjectFilter ?? "") === (want.subjectFilter ?? "") &&
    (live.typeFilter ?? "") === (want.typeFilter ?? "") &&
    (live.includeSubunits ?? false) === want.includeSubunits
  );
}
