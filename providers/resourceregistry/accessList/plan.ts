/**
 * The pure plan of an access list: its members compared as a set of parties (an organisation number and its URN
 * are the same party), its connections as a set of resources each with a set of actions, and the requests that
 * bring the live list to the desired one: only the difference, members in requests of at most 100.
 */
import type { Side } from "../../runtime/kind.js";
import { compare, sortedSet, str, type Plan } from "../../runtime/plan.js";
import { isUnknown } from "../../runtime/validation.js";
import type { LiveMember } from "../schemas.js";

type Obj = Record<string, unknown>;
const ORG_URN = "urn:altinn:organization:identifier-no:";

export interface AccessListCanon {
  owner: unknown;
  identifier: unknown;
  name: unknown;
  description: unknown;
  members: unknown;
  connections: unknown;
}

export const ACCESS_LIST_REPLACE_FIELDS = ["owner", "identifier"] as const;

/** One way of naming a party: an org number stays an org number; its URN becomes the org number. */
export function memberKey(m: string): string {
  return m.startsWith(ORG_URN) ? m.slice(ORG_URN.length) : m;
}

/** The request form of a member: org numbers as URNs. */
export function memberUrn(m: string): string {
  return /^\d{9}$/.test(m) ? `${ORG_URN}${m}` : m;
}

export interface Connection {
  readonly resource: string;
  readonly actions: readonly string[];
}

function connections(v: unknown): unknown {
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) return [];
  if (v.some((c) => isUnknown(c) || isUnknown((c as Obj | null)?.resource) || isUnknown((c as Obj | null)?.actions))) return v;
  return (v as Obj[])
    .map((c) => ({ resource: String(c.resource), actions: sortedSet(c.actions) }))
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

export function canonicalAccessList(p: Obj, _side: Side = "desired"): AccessListCanon {
  return {
    owner: isUnknown(p.owner) ? p.owner : String(str(p.owner)).toLowerCase(),
    identifier: str(p.identifier),
    name: isUnknown(p.name) ? p.name : String(str(p.name)).trim(),
    description: str(p.description),
    members: isUnknown(p.members)
      ? p.members
      : sortedSet(Array.isArray(p.members) ? p.members.map((m) => (isUnknown(m) ? m : memberKey(String(m)))) : []),
    connections: connections(p.connections),
  };
}

export function planAccessList(desired: Obj, current: Obj): Plan {
  return compare(canonicalAccessList(desired), canonicalAccessList(current), ACCESS_LIST_REPLACE_FIELDS);
}

/**
 * A live member named the way the program names it: by its party uuid or id when the program declares it so,
 * else by its organisation number (else its party uuid).
 */
export function memberName(m: LiveMember, declared: ReadonlySet<string>): string {
  const ids = m.identifiers ?? {};
  const uuid =
    ids["urn:altinn:party:uuid"] ?? (m.id.startsWith("urn:altinn:party:uuid:") ? m.id.slice("urn:altinn:party:uuid:".length) : undefined);
  const partyId = ids["urn:altinn:party:id"];
  const orgno = ids["urn:altinn:organization:identifier-no"];
  const forms = [
    uuid !== undefined ? `urn:altinn:party:uuid:${String(uuid)}` : undefined,
    partyId !== undefined ? `urn:altinn:party:id:${String(partyId)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const asDeclared = forms.find((f) => declared.has(f));
  if (asDeclared) return asDeclared;
  return orgno !== undefined ? String(orgno) : (forms[0] ?? m.id);
}

export interface MemberChanges {
  /** Parties to add, in request form, in requests of at most `perRequest`. */
  readonly add: readonly (readonly string[])[];
  /** Parties to remove (their live ids), in requests of at most `perRequest`. */
  readonly remove: readonly (readonly string[])[];
}

function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The member requests that turn the live set into the desired one: only the difference. */
export function planMembers(desired: readonly string[], live: readonly LiveMember[], perRequest: number): MemberChanges {
  const declared = new Set(desired);
  const liveByName = new Map(live.map((m) => [memberKey(memberName(m, declared)), m]));
  const wanted = new Set(desired.map(memberKey));
  const add = [...wanted]
    .filter((k) => !liveByName.has(k))
    .sort()
    .map(memberUrn);
  const remove = [...liveByName.entries()]
    .filter(([k]) => !wanted.has(k))
    .map(([, m]) => m.id)
    .sort();
  return { add: chunks(add, perRequest), remove: chunks(remove, perRequest) };
}

export interface ConnectionChanges {
  readonly put: readonly Connection[];
  readonly delete: readonly string[];
}

/** The connection requests: a PUT for each new or changed connection, a DELETE for each undeclared one. */
export function planConnections(desired: readonly Connection[], live: readonly Connection[]): ConnectionChanges {
  const liveBy = new Map(live.map((c) => [c.resource, [...c.actions].sort().join(" ")]));
  const wanted = new Set(desired.map((c) => c.resource));
  return {
    put: desired.filter((c) => liveBy.get(c.resource) !== [...c.actions].sort().join(" ")),
    delete: live.filter((c) => !wanted.has(c.resource)).map((c) => c.resource),
  };
}
