/**
 * The pure plan of a Resource Registry resource: its canonical form (texts trimmed, lists that are sets sorted,
 * enums in the registry's casing, nested values limited to what the program declares), the create and PUT
 * bodies, and the mapping from a live resource to input names.
 */
import type { Side } from "../../runtime/kind.js";
import { compare, stableJson, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import { PARTY_TYPES, REFERENCE_SOURCES, REFERENCE_TYPES, RESOURCE_TYPES, resourceUrn } from "../model.js";
import type { LiveResource } from "../schemas.js";

/** The managed fields. `accessListMode` is not one: it is set at create, then by AltinnResourceAccessListMode. */
export const MANAGED_FIELDS = [
  "identifier",
  "title",
  "description",
  "rightDescription",
  "resourceType",
  "contactPoints",
  "hasCompetentAuthority",
  "resourceReferences",
  "delegable",
  "visible",
  "availableForType",
  "status",
  "keywords",
  "homepage",
] as const;
export type ManagedField = (typeof MANAGED_FIELDS)[number];
export type ResourceCanon = Record<ManagedField, unknown>;

/** Only the identifier cannot change (and a deleted identifier can never be used again). */
export const RESOURCE_REPLACE_FIELDS = ["identifier"] as const;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

/** An enum value in the registry's own casing (reads are case-insensitive upstream). */
function enumValue(v: unknown, values: readonly string[]): unknown {
  if (typeof v !== "string") return v;
  return values.find((x) => x.toLowerCase() === v.toLowerCase()) ?? v;
}

function texts(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  const o = obj(v);
  return Object.fromEntries(["en", "nb", "nn"].map((k) => [k, typeof o[k] === "string" ? (o[k] as string).trim() : ""]));
}

/** A list compared as a set of canonical items. */
function setOf(v: unknown, item: (x: Obj) => Obj): unknown {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v) || !Array.isArray(v)) return v;
  return [...new Map(v.map((x) => item(obj(x))).map((x) => [stableJson(x), x])).entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, x]) => x);
}

const contactPoint = (c: Obj): Obj => ({
  category: String(c.category ?? ""),
  email: String(c.email ?? ""),
  telephone: String(c.telephone ?? ""),
  contactPage: String(c.contactPage ?? ""),
});
const reference = (r: Obj): Obj => ({
  referenceSource: enumValue(r.referenceSource, REFERENCE_SOURCES),
  reference: String(r.reference ?? ""),
  referenceType: enumValue(r.referenceType, REFERENCE_TYPES),
});
const keyword = (k: Obj): Obj => ({ word: String(k.word ?? ""), language: String(k.language ?? "") });

/** The owner, with the parts the program declares (a name set in Studio is not drift if the program has none). */
function authority(v: unknown, declared: unknown): unknown {
  if (v === undefined || isUnknown(v)) return v;
  const o = obj(v);
  const d = obj(declared);
  return {
    orgcode: typeof o.orgcode === "string" ? o.orgcode.toLowerCase() : o.orgcode,
    ...(d.organization !== undefined ? { organization: o.organization ?? null } : {}),
    ...(d.name !== undefined ? { name: texts(o.name) } : {}),
  };
}

/**
 * The canonical resource. On the current side, a field the desired side does not declare is left out, so what
 * the program does not manage never shows as a change.
 */
export function canonicalResource(p: Obj, side: Side, _nowMs: number, desired: Obj = p): ResourceCanon {
  const c: ResourceCanon = {
    identifier: p.identifier,
    title: texts(p.title),
    description: texts(p.description),
    rightDescription: texts(p.rightDescription),
    resourceType: enumValue(p.resourceType, RESOURCE_TYPES),
    contactPoints: setOf(p.contactPoints, contactPoint),
    hasCompetentAuthority: authority(p.hasCompetentAuthority, side === "current" ? desired.hasCompetentAuthority : p.hasCompetentAuthority),
    resourceReferences: setOf(p.resourceReferences, reference),
    delegable: p.delegable ?? true,
    visible: p.visible ?? true,
    availableForType: Array.isArray(p.availableForType)
      ? [...new Set(p.availableForType.map((x) => String(enumValue(x, PARTY_TYPES))))].sort()
      : p.availableForType,
    status: p.status,
    keywords: setOf(p.keywords, keyword),
    homepage: p.homepage,
  };
  if (side === "current") {
    for (const f of MANAGED_FIELDS) if (desired[f] === undefined && f !== "delegable" && f !== "visible") c[f] = undefined;
  }
  return c;
}

export function planResource(desired: Obj, current: Obj): Plan {
  return compare(canonicalResource(desired, "desired", 0), canonicalResource(current, "current", 0, desired), RESOURCE_REPLACE_FIELDS);
}

/** The live resource in input names (what outputs show), limited to what `declared` holds for nested values. */
export function fieldsOfLive(live: LiveResource, declared: Obj): Obj {
  const out: Obj = {};
  for (const f of MANAGED_FIELDS) {
    const v = (live as Obj)[f];
    if (v !== undefined && v !== null) out[f] = v;
  }
  if (out.resourceType !== undefined) out.resourceType = enumValue(out.resourceType, RESOURCE_TYPES);
  if (Array.isArray(out.contactPoints)) out.contactPoints = out.contactPoints.map((x) => contactPoint(obj(x)));
  if (Array.isArray(out.resourceReferences)) out.resourceReferences = out.resourceReferences.map((x) => reference(obj(x)));
  if (Array.isArray(out.keywords)) out.keywords = out.keywords.map((x) => keyword(obj(x)));
  if (out.hasCompetentAuthority !== undefined) {
    const a = obj(out.hasCompetentAuthority);
    const d = obj(declared.hasCompetentAuthority);
    out.hasCompetentAuthority = {
      ...(d.organization !== undefined || a.organization ? { organization: a.organization } : {}),
      orgcode: a.orgcode,
      ...(d.name !== undefined ? { name: a.name } : {}),
    };
  }
  return out;
}

/** The declared managed fields, as the registry takes them. */
function declaredBody(i: Obj): Obj {
  const body: Obj = {};
  for (const f of MANAGED_FIELDS) if (i[f] !== undefined) body[f] = i[f];
  return body;
}

/** The body of a create: the declared fields, the access-list mode to start with, and what the API requires. */
export function createBody(i: Obj): Obj {
  return { contactPoints: [], ...declaredBody(i), accessListMode: i.accessListMode ?? "Disabled" };
}

/** A full-replacement PUT: the live resource (server-owned `versionId` dropped), the declared fields set. */
export function putBody(live: LiveResource, i: Obj): Obj {
  const { versionId: _v, ...rest } = live;
  return { ...rest, ...declaredBody(i), identifier: live.identifier, contactPoints: i.contactPoints ?? live.contactPoints ?? [] };
}

export { resourceUrn };
