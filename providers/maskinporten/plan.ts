/**
 * Pure planning for the Maskinporten kinds: no Pulumi, no I/O, no clock (the caller passes `now`).
 *
 * Desired state (checked inputs) and current state (outputs, which `read` keeps equal to the live API) are
 * brought to one canonical form (sets sorted and de-duplicated, server defaults filled, durations in seconds),
 * then compared field by field. `check`/`diff` call only this; `create`/`update` use the same canonical values
 * to build request bodies, so what was planned is what is sent.
 */
import { durationSeconds, isUnknown, containsUnknown } from "../runtime/validation.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Digdir's limit on keys per client. */
export const MAX_KEYS = 5;
export const DEFAULT_KEY_LIFETIME_DAYS = 365;
export const DEFAULT_KEY_RENEWAL_DAYS = 30;
const DAY_MS = 86_400_000;

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  /** The API cannot change this field in place: the resource is replaced. */
  readonly replace: boolean;
}

export interface Plan {
  readonly changes: readonly FieldChange[];
  readonly replaces: readonly string[];
}

/** What a kind's `diff` answers the engine for a plan. */
export function diffOf(plan: Plan): { changes: boolean; replaces: string[]; deleteBeforeReplace: false } {
  return { changes: plan.changes.length > 0, replaces: [...plan.replaces], deleteBeforeReplace: false };
}

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** Compares canonical desired and current values, field by field. Unknown (preview) values count as changes. */
export function compare<T extends object>(desired: T, current: T, replaceFields: readonly (keyof T & string)[]): Plan {
  const changes: FieldChange[] = [];
  for (const field of Object.keys(desired) as (keyof T & string)[]) {
    const to = desired[field];
    const from = current[field];
    if (!containsUnknown(to) && stableJson(to) === stableJson(from)) continue;
    changes.push({ field, from, to, replace: replaceFields.includes(field) });
  }
  return { changes, replaces: changes.filter((c) => c.replace).map((c) => c.field) };
}

/** A one-line human summary of a plan, for logs and error messages. */
export function describePlan(p: Plan): string {
  if (p.changes.length === 0) return "no changes";
  return p.changes
    .map(
      (c) =>
        `${c.field}${c.replace ? " (forces replacement)" : ""}: ${stableJson(c.from)} -> ${isUnknown(c.to) ? "(known after apply)" : stableJson(c.to)}`,
    )
    .join("; ");
}

function sortedSet(v: unknown): unknown {
  if (isUnknown(v)) return v;
  if (!Array.isArray(v)) return [];
  if (v.some(isUnknown)) return v;
  return [...new Set(v.map(String))].sort();
}

function seconds(v: unknown, dflt: number): unknown {
  if (isUnknown(v)) return v;
  if (v === undefined || v === null || v === "") return dflt;
  if (typeof v === "number" || typeof v === "string") return durationSeconds(v) ?? v;
  return v;
}

function str(v: unknown, dflt = ""): unknown {
  if (isUnknown(v)) return v;
  return v === undefined || v === null ? dflt : v;
}

function bool(v: unknown, dflt: boolean): unknown {
  if (isUnknown(v)) return v;
  return typeof v === "boolean" ? v : dflt;
}

// ---- clients ------------------------------------------------------------------------------------------------

/** The description stored in Digdir: the user's text plus a marker that finds the client again. */
export function storedDescription(description: string, marker: string): string {
  if (!marker) return description;
  return description ? `${description} [${marker}]` : `[${marker}]`;
}

/** The inverse of {@link storedDescription}: the user's text and the marker (empty when there is none). */
export function splitDescription(stored: string): { description: string; marker: string } {
  const m = /^([\s\S]*?)\s*\[(iac:[^\]]+)\]$/.exec(stored);
  return m ? { description: m[1] ?? "", marker: m[2] ?? "" } : { description: stored, marker: "" };
}

/** A key the program registered, as kept in outputs (public parts only). */
export interface KeyRecord {
  /** The program's name for the key (an entry of the `keys` input). */
  readonly name: string;
  readonly kid: string;
  /** The public JWK, without `exp`. */
  readonly publicJwk: Readonly<Record<string, unknown>>;
  /** When Digdir says the key expires (ISO-8601), if it said. */
  readonly expiresAt?: string;
  /** Whether the key is in the client's live JWKS. */
  readonly registered: boolean;
}

export interface ClientCanon {
  organization: unknown;
  integrationType: unknown;
  name: unknown;
  description: unknown;
  marker: unknown;
  scopes: unknown;
  accessTokenLifetime: unknown;
  keys: unknown;
}

/** Fields whose change replaces a client: Digdir cannot change integration_type, nor move a client between orgs. */
export const CLIENT_REPLACE_FIELDS = ["organization", "integrationType"] as const;

export function canonicalClientDesired(i: Record<string, unknown>): ClientCanon {
  return {
    organization: str(i.organization),
    integrationType: str(i.integrationType, "maskinporten"),
    name: str(i.name),
    description: str(i.description),
    marker: str(i.marker),
    scopes: sortedSet(i.scopes),
    accessTokenLifetime: seconds(i.accessTokenLifetime, 0),
    keys: sortedSet(i.keys),
  };
}

/** Whether a key must be registered again: missing from the live set, or within `renewalDays` of expiry. */
export function keyNeedsRegistration(k: KeyRecord, nowMs: number, renewalDays: number): boolean {
  if (!k.registered) return true;
  if (k.expiresAt === undefined) return false;
  const exp = Date.parse(k.expiresAt);
  return Number.isNaN(exp) || exp - nowMs <= renewalDays * DAY_MS;
}

/**
 * Current state from outputs. A key counts as present only while it is registered and not within the renewal
 * window, so drift detection flags a key that is about to expire and `up` renews it.
 */
export function canonicalClientCurrent(o: Record<string, unknown>, nowMs: number, renewalDays: number): ClientCanon {
  const keys = Array.isArray(o.registeredKeys) ? (o.registeredKeys as KeyRecord[]) : [];
  return {
    ...canonicalClientDesired(o),
    keys: sortedSet(keys.filter((k) => !keyNeedsRegistration(k, nowMs, renewalDays)).map((k) => k.name)),
  };
}

export function planClient(desired: Record<string, unknown>, current: Record<string, unknown>, nowMs: number): Plan {
  const renewal = typeof desired.keyRenewalDays === "number" ? desired.keyRenewalDays : DEFAULT_KEY_RENEWAL_DAYS;
  return compare(canonicalClientDesired(desired), canonicalClientCurrent(current, nowMs, renewal), CLIENT_REPLACE_FIELDS);
}

/** The writable fields of a client body, from canonical desired state (all values known). */
export function clientBody(c: ClientCanon): Record<string, unknown> {
  return {
    client_name: c.name,
    description: storedDescription(String(c.description), String(c.marker)),
    integration_type: c.integrationType,
    application_type: "web",
    token_endpoint_auth_method: "private_key_jwt",
    grant_types: [JWT_BEARER],
    scopes: c.scopes,
    access_token_lifetime: c.accessTokenLifetime,
  };
}

/** The fields the server owns, left out of a full PUT. */
export const SERVER_CLIENT_FIELDS = ["created", "last_updated", "client_secret", "jwks_uri", "active"] as const;

/** A full-replacement PUT body: what the server has, minus server-owned fields, with the desired fields set. */
export function clientPutBody(live: Record<string, unknown>, c: ClientCanon): Record<string, unknown> {
  const body: Record<string, unknown> = { ...live };
  for (const f of SERVER_CLIENT_FIELDS) delete body[f];
  return { ...body, ...clientBody(c) };
}

// ---- keys ---------------------------------------------------------------------------------------------------

/** A JWK as Digdir stores it: public members, `use:"sig"`, `alg`, and the expiry in epoch seconds. */
export type RegisteredJwk = Readonly<Record<string, unknown>> & { readonly kid: string };

export interface KeyPlanInput {
  /** The key names the program wants (the `keys` input). */
  readonly desired: readonly string[];
  /** Keys the program registered before (from outputs). */
  readonly ours: readonly KeyRecord[];
  /** The live JWKS of the client. */
  readonly live: readonly RegisteredJwk[];
  /** Public JWKs of keys generated for this plan (new names), by name. */
  readonly generated: Readonly<Record<string, RegisteredJwk>>;
  readonly nowMs: number;
  readonly renewalDays: number;
  readonly lifetimeDays: number;
}

export interface KeyPlan {
  /**
   * The whole sets to write, in order. A rotation writes old + new first and only then the set without the old
   * key, so the client is never without a valid key. Empty when the live set is already right.
   */
  readonly writes: readonly (readonly RegisteredJwk[])[];
  /** Keys registered outside the program: kept untouched and reported. */
  readonly external: readonly string[];
  /** Program keys that the plan removes. */
  readonly removed: readonly string[];
  /** The largest set the plan writes. */
  readonly peak: number;
}

function withExp(jwk: Readonly<Record<string, unknown>>, kid: string, expSeconds: number): RegisteredJwk {
  const { exp: _old, d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return { ...pub, kid, use: "sig", alg: typeof pub.alg === "string" ? pub.alg : "RS256", exp: expSeconds };
}

/** Plans JWKS writes. Pure: key generation happens before, with its results passed in `generated`. */
export function planKeys(p: KeyPlanInput): KeyPlan {
  const ourKids = new Set(p.ours.map((k) => k.kid));
  const liveByKid = new Map(p.live.map((k) => [k.kid, k]));
  const exp = Math.floor(p.nowMs / 1000) + p.lifetimeDays * 86_400;
  const external = p.live.filter((k) => !ourKids.has(k.kid));
  // Digdir requires use:"sig" since 2025-05-22; older external keys get it when the set is written again.
  const externalKept = external.map((k) => (k.use ? k : { ...k, use: "sig" }));
  const desired = new Set(p.desired);

  const kept: RegisteredJwk[] = [];
  let needsWrite = false;
  for (const name of [...desired].sort()) {
    const mine = p.ours.find((k) => k.name === name);
    if (mine) {
      const live = liveByKid.get(mine.kid);
      if (
        !live ||
        keyNeedsRegistration(
          { ...mine, registered: !!live, ...(live.exp ? { expiresAt: new Date(Number(live.exp) * 1000).toISOString() } : {}) },
          p.nowMs,
          p.renewalDays,
        )
      ) {
        kept.push(withExp(mine.publicJwk, mine.kid, exp));
        needsWrite = true;
      } else {
        kept.push(live);
      }
    } else {
      const fresh = p.generated[name];
      if (!fresh) throw new Error(`internal: no generated key for "${name}"`);
      kept.push(withExp(fresh, fresh.kid, exp));
      needsWrite = true;
    }
  }
  const removed = p.ours.filter((k) => !desired.has(k.name) && liveByKid.has(k.kid));
  const removedLive = removed.map((k) => liveByKid.get(k.kid)).filter((k): k is RegisteredJwk => !!k);
  const final = [...externalKept, ...kept];
  const writes: RegisteredJwk[][] = [];
  if (needsWrite) writes.push(removedLive.length > 0 ? [...externalKept, ...removedLive, ...kept] : final);
  if (removedLive.length > 0) writes.push(final);
  return {
    writes,
    external: external.map((k) => k.kid).sort(),
    removed: removed.map((k) => k.name).sort(),
    peak: Math.max(p.live.length, ...writes.map((w) => w.length)),
  };
}

/** Builds the key records kept in outputs from what the program holds and what the live JWKS says. */
export function keyRecords(
  desired: readonly string[],
  known: readonly Omit<KeyRecord, "registered" | "expiresAt">[],
  live: readonly RegisteredJwk[],
): KeyRecord[] {
  const liveByKid = new Map(live.map((k) => [k.kid, k]));
  return [...new Set(desired)]
    .sort()
    .map((name) => known.find((k) => k.name === name))
    .filter((k): k is Omit<KeyRecord, "registered" | "expiresAt"> => !!k)
    .map((k) => {
      const l = liveByKid.get(k.kid);
      const exp = typeof l?.exp === "number" ? new Date(l.exp * 1000).toISOString() : undefined;
      return { name: k.name, kid: k.kid, publicJwk: k.publicJwk, registered: !!l, ...(exp ? { expiresAt: exp } : {}) };
    });
}

// ---- scopes -------------------------------------------------------------------------------------------------

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
export function scopeFromLive(l: {
  prefix: string;
  subscope: string;
  description?: string | null | undefined;
  long_description?: string | null | undefined;
  visibility?: string | null | undefined;
  at_max_age?: number | null | undefined;
  allowed_integration_types?: string[] | null | undefined;
  accessible_for_all?: boolean | null | undefined;
  delegation_source?: string | null | undefined;
}): Omit<ScopeCanon, "organization"> {
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

// ---- grants -------------------------------------------------------------------------------------------------

export interface GrantCanon {
  organization: unknown;
  scope: unknown;
  consumerOrg: unknown;
  state: unknown;
}

export const GRANT_REPLACE_FIELDS = ["organization", "scope", "consumerOrg"] as const;

/** Desired grants are always APPROVED; current state comes from outputs (REQUESTED/DENIED show as drift). */
export function canonicalGrant(i: Record<string, unknown>, isDesired: boolean): GrantCanon {
  return {
    organization: str(i.organization),
    scope: str(i.scope),
    consumerOrg: str(i.consumerOrg),
    state: isDesired ? "APPROVED" : str(i.state, "APPROVED"),
  };
}

export function planGrant(desired: Record<string, unknown>, current: Record<string, unknown>): Plan {
  return compare(canonicalGrant(desired, true), canonicalGrant(current, false), GRANT_REPLACE_FIELDS);
}
