/**
 * The pure plan of a Maskinporten client: its canonical form, the request bodies built from it, and the key
 * plan (which whole JWKS sets to write, in which order). No Pulumi, no I/O, no clock (callers pass `now`).
 */
import { compare, seconds, sortedSet, str, type Plan } from "../../runtime/plan.js";
import type { Side } from "../../runtime/kind.js";
import { DEFAULT_KEY_RENEWAL_DAYS } from "./inputs.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const DAY_MS = 86_400_000;

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

/**
 * A key the program registered, as kept in outputs: no key material (the public half is derived from the
 * private JWK, a secret output, when the key must be registered again). State written before this version
 * also holds `publicJwk`.
 */
export interface KeyRecord {
  /** The program's name for the key (an entry of the `keys` input). */
  readonly name: string;
  readonly kid: string;
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
  /**
   * Keys of an interrupted run that the program registered but does not hold (`strayKeyIds`): none is wanted, so
   * any found makes a change that `up` applies by removing them (and drift detection reports).
   */
  strayKeys: unknown;
}

/** Fields whose change replaces a client: Digdir cannot change integration_type, nor move a client between orgs. */
export const CLIENT_REPLACE_FIELDS = ["organization", "integrationType"] as const;

/** Whether a key must be registered again: missing from the live set, or within `renewalDays` of expiry. */
export function keyNeedsRegistration(k: Pick<KeyRecord, "registered" | "expiresAt">, nowMs: number, renewalDays: number): boolean {
  if (!k.registered) return true;
  if (k.expiresAt === undefined) return false;
  const exp = Date.parse(k.expiresAt);
  return Number.isNaN(exp) || exp - nowMs <= renewalDays * DAY_MS;
}

/**
 * The canonical client. On the current side a key counts as present only while it is registered and not within
 * the renewal window, so drift detection flags a key that is about to expire and `up` renews it.
 */
export function canonicalClient(p: Record<string, unknown>, side: Side, nowMs: number, desired: Record<string, unknown> = p): ClientCanon {
  const base: ClientCanon = {
    organization: str(p.organization),
    integrationType: str(p.integrationType, "maskinporten"),
    name: str(p.name),
    description: str(p.description),
    marker: str(p.marker),
    scopes: sortedSet(p.scopes),
    accessTokenLifetime: seconds(p.accessTokenLifetime, 0),
    keys: sortedSet(p.keys),
    strayKeys: [],
  };
  if (side === "desired") return base;
  // The renewal window is a desired setting: a wider window flags keys the state considered fresh.
  const renewal = typeof desired.keyRenewalDays === "number" ? desired.keyRenewalDays : DEFAULT_KEY_RENEWAL_DAYS;
  const keys = Array.isArray(p.registeredKeys) ? (p.registeredKeys as KeyRecord[]) : [];
  return {
    ...base,
    keys: sortedSet(keys.filter((k) => !keyNeedsRegistration(k, nowMs, renewal)).map((k) => k.name)),
    strayKeys: sortedSet(p.strayKeyIds),
  };
}

export function planClient(desired: Record<string, unknown>, current: Record<string, unknown>, nowMs: number): Plan {
  return compare(canonicalClient(desired, "desired", nowMs), canonicalClient(current, "current", nowMs, desired), CLIENT_REPLACE_FIELDS);
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

/** A key the program holds: its name, kid and public JWK. */
export interface OwnKey {
  readonly name: string;
  readonly kid: string;
  readonly publicJwk: Readonly<Record<string, unknown>>;
}

export interface KeyPlanInput {
  /** The key names the program wants (the `keys` input). */
  readonly desired: readonly string[];
  /** Keys the program registered before and still holds. */
  readonly ours: readonly OwnKey[];
  /** The live JWKS of the client. */
  readonly live: readonly RegisteredJwk[];
  /** Public JWKs of keys generated for this plan (new names), by name. */
  readonly generated: Readonly<Record<string, RegisteredJwk>>;
  readonly nowMs: number;
  readonly renewalDays: number;
  readonly lifetimeDays: number;
  /**
   * The kid prefix of the keys this program registers on the client (keys.ts `kidPrefixOf`). A live key with it
   * that the program does not hold is stray: registered by an interrupted run whose private half never reached
   * state. Stray keys are removed, never kept as external. Empty or absent: no key is recognised that way.
   */
  readonly ownKidPrefix?: string;
}

export interface KeyPlan {
  /**
   * The whole sets to write, in order. A rotation writes old + new first and only then the set without the old
   * key, so the client is never without a valid key. Empty when the live set is already right.
   */
  readonly writes: readonly (readonly RegisteredJwk[])[];
  /** Keys registered outside the program: kept untouched and reported. */
  readonly external: readonly string[];
  /** Keys the program registered but does not hold (an interrupted run): removed by the plan's writes. */
  readonly stray: readonly string[];
  /** Program keys that the plan removes. */
  readonly removed: readonly string[];
  /** The largest set the plan writes. */
  readonly peak: number;
}

/** The public members of a JWK (private ones and any old expiry dropped), registered for `expSeconds`. */
export function withExp(jwk: Readonly<Record<string, unknown>>, kid: string, expSeconds: number): RegisteredJwk {
  const { exp: _old, d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return { ...pub, kid, use: "sig", alg: typeof pub.alg === "string" ? pub.alg : "RS256", exp: expSeconds };
}

function expiresAt(live: RegisteredJwk | undefined): string | undefined {
  return typeof live?.exp === "number" ? new Date(live.exp * 1000).toISOString() : undefined;
}

/** Whether a kid the program does not hold has its owner prefix: a key of an interrupted run. */
export function isStrayKid(kid: string, ownKidPrefix: string | undefined): boolean {
  return !!ownKidPrefix && kid.startsWith(ownKidPrefix) && kid.length > ownKidPrefix.length;
}

/** Plans JWKS writes. Pure: key generation happens before, with its results passed in `generated`. */
export function planKeys(p: KeyPlanInput): KeyPlan {
  const ourKids = new Set(p.ours.map((k) => k.kid));
  const liveByKid = new Map(p.live.map((k) => [k.kid, k]));
  const exp = Math.floor(p.nowMs / 1000) + p.lifetimeDays * 86_400;
  const strayKid = (kid: string): boolean => !ourKids.has(kid) && isStrayKid(kid, p.ownKidPrefix);
  const stray = p.live.filter((k) => strayKid(k.kid));
  const external = p.live.filter((k) => !ourKids.has(k.kid) && !strayKid(k.kid));
  // Digdir requires use:"sig" since 2025-05-22; older external keys get it when the set is written again.
  const externalKept = external.map((k) => (k.use ? k : { ...k, use: "sig" }));
  const desired = new Set(p.desired);

  const kept: RegisteredJwk[] = [];
  let needsWrite = false;
  for (const name of [...desired].sort()) {
    const mine = p.ours.find((k) => k.name === name);
    if (mine) {
      const live = liveByKid.get(mine.kid);
      const at = expiresAt(live);
      if (!live || keyNeedsRegistration({ registered: true, ...(at ? { expiresAt: at } : {}) }, p.nowMs, p.renewalDays)) {
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
  // Nothing else to write, but stray keys to drop: the final set alone.
  if (writes.length === 0 && stray.length > 0) writes.push(final);
  return {
    writes,
    external: external.map((k) => k.kid).sort(),
    stray: stray.map((k) => k.kid).sort(),
    removed: removed.map((k) => k.name).sort(),
    peak: Math.max(p.live.length, ...writes.map((w) => w.length)),
  };
}

/** The key records kept in outputs, for the desired names the program holds, from the live JWKS. */
export function keyRecords(
  desired: readonly string[],
  known: readonly Pick<KeyRecord, "name" | "kid">[],
  live: readonly RegisteredJwk[],
): KeyRecord[] {
  const liveByKid = new Map(live.map((k) => [k.kid, k]));
  return [...new Set(desired)]
    .sort()
    .map((name) => known.find((k) => k.name === name))
    .filter((k): k is Pick<KeyRecord, "name" | "kid"> => !!k)
    .map((k) => {
      const l = liveByKid.get(k.kid);
      const at = expiresAt(l);
      return { name: k.name, kid: k.kid, registered: !!l, ...(at ? { expiresAt: at } : {}) };
    });
}
