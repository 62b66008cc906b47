/**
 * `maskinporten:Client`: a Maskinporten client plus the keys the program manages on it.
 *
 * - Identity: the server's client_id. A deterministic marker (`[iac:<project>/<stack>/<name>]`) is kept at the
 *   end of the description, so a create finds a client an earlier, interrupted run made, and a create whose
 *   answer was lost finds its client (`find`) instead of making a second one; `adopt` takes over an existing
 *   client by id. Marker lookups use a per-run index of the organisation's clients (markers.ts).
 * - Update is a full PUT (GET, replace the managed fields, PUT back without server fields), sent only when a
 *   managed field differs.
 * - Keys: see plan.ts `planKeys`. Writes are serialised per client and a rotation registers the new key before
 *   the old one is removed; keys registered outside the program are kept and reported in `externalKeyIds`.
 *   Keys this program registered but does not hold (their kid carries the client's owner prefix, keys.ts) are
 *   stray: reported in `strayKeyIds` by `read` (drift) and removed by the next create or update.
 */
import type { Props } from "../../runtime/contract.js";
import { ApiError, ConfigurationError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { withLock } from "../../runtime/lock.js";
import { compare } from "../../runtime/plan.js";
import { SelfServiceApi, scopeName } from "../api.js";
import type { LiveClient } from "../schemas.js";
import { MAX_KEYS, clientRules, type ClientInputs } from "./inputs.js";
import { generateClientKey, kidPrefixOf, publicJwkOf, type GeneratedKey } from "./keys.js";
import { clientWithMarker, clientWithMarkerNow, forgetClient, rememberClient } from "./markers.js";
import {
  CLIENT_REPLACE_FIELDS,
  canonicalClient,
  clientBody,
  clientPutBody,
  isStrayKid,
  keyRecords,
  planKeys,
  splitDescription,
  type ClientCanon,
  type KeyRecord,
  type OwnKey,
  type RegisteredJwk,
} from "./plan.js";

export const CLIENT_KIND = "maskinporten:Client";

/** What a call observed: the live client and the program's keys on it. */
interface Observed {
  readonly live: LiveClient;
  readonly keys: readonly KeyRecord[];
  /** Kids registered on the client outside this program. */
  readonly external: readonly string[];
  /** Kids this program registered but does not hold (an interrupted run), still live. */
  readonly stray: readonly string[];
  /** Key name -> private JWK (JSON). */
  readonly privateJwks: Readonly<Record<string, string>>;
}

/** The client's managed fields, in input names, from what the API returned. */
function fieldsOf(l: LiveClient): Omit<ClientCanon, "organization" | "keys" | "strayKeys"> {
  const d = splitDescription(l.description ?? "");
  return {
    integrationType: l.integration_type,
    name: l.client_name ?? "",
    description: d.description,
    marker: d.marker,
    scopes: [...new Set(l.scopes ?? [])].sort(),
    accessTokenLifetime: l.access_token_lifetime ?? 0,
  };
}

/** Whether the live client differs from the desired one in a field a PUT sets. */
function differs(canon: ClientCanon, live: LiveClient): boolean {
  const current = { ...fieldsOf(live), organization: canon.organization, keys: canon.keys, strayKeys: canon.strayKeys };
  return compare(canon, current, []).changes.length > 0;
}

/** When Digdir refuses the client's scopes, say which scopes the org lacks and how to get them. */
async function explainScopeRefusal(api: SelfServiceApi, e: unknown, scopes: readonly string[]): Promise<unknown> {
  if (!(e instanceof ApiError) || e.status === undefined || e.status < 400 || e.status >= 500 || e.status === 401) return e;
  let missing: string[];
  try {
    const [granted, open, own] = await Promise.all([api.grantedToMe(), api.publicScopes(), api.listScopes().catch(() => [])]);
    const ok = new Set([
      ...granted.filter((g) => g.state === "APPROVED").map((g) => g.scope),
      ...open.filter((s) => s.accessible_for_all || s.delegation_source).map(scopeName),
      ...own.filter((s) => s.active !== false).map(scopeName),
    ]);
    missing = scopes.filter((s) => !ok.has(s));
  } catch {
    // The lookups need scopes the admin client may lack: fall back to the scopes the API's message names.
    missing = scopes.filter((s) => e.detail?.includes(s));
  }
  if (missing.length === 0) return e;
  const org = api.orgNumber;
  const advice = missing
    .map((s) =>
      s.startsWith("altinn:")
        ? `${s}: ask Altinn's service desk (servicedesk@altinn.no) to grant it to organisation ${org}`
        : `${s}: ask the scope's owner to grant it to organisation ${org} (with this project: a MaskinportenScopeGrant in the owner's stack)`,
    )
    .join("; ");
  return e.with({
    detail: `${e.detail ? `${e.detail}; ` : ""}organisation ${org} has not been granted ${missing.join(", ")}`,
    hint: `${advice}. Then run the command again`,
  });
}

/** The keys a previous state holds: their records and private JWKs. */
function previousKeys(o: Props): { keys: KeyRecord[]; privateJwks: Record<string, string> } {
  return {
    keys: Array.isArray(o.registeredKeys) ? (o.registeredKeys as KeyRecord[]) : [],
    privateJwks: o.privateJwks && typeof o.privateJwks === "object" ? (o.privateJwks as Record<string, string>) : {},
  };
}

/** What a create knows before it reconciles keys. */
interface Ahead {
  /** Keys generated ahead, by name: generation costs CPU time, not I/O, so it overlaps the client's calls. */
  readonly keys?: ReadonlyMap<string, Promise<GeneratedKey>>;
  /** The live key set when it is known without asking (a client this call just made has none). */
  readonly jwks?: readonly RegisteredJwk[];
}

/**
 * Keys generated when `check` first saw a new client (defineKind's `prepare`), by kid prefix and key name: RSA key
 * generation costs about 40 ms of CPU per key, which then overlaps the engine's work before the creates run. A
 * create takes its keys from here; what a preview never uses is dropped with the process. Bounded, so a preview of
 * a huge stack does not generate thousands of keys for nothing.
 */
const prepared = new Map<string, Promise<GeneratedKey>>();
const MAX_PREPARED = 256;

function generate(kidPrefix: string): Promise<GeneratedKey> {
  const key = generateClientKey(kidPrefix);
  key.catch(() => undefined); // awaited later, or dropped (a preview, a create that fails first)
  return key;
}

function prepareKeys(names: readonly string[], kidPrefix: string): void {
  for (const name of names) {
    const slot = `${kidPrefix}|${name}`;
    if (prepared.size >= MAX_PREPARED || prepared.has(slot)) continue;
    prepared.set(slot, generate(kidPrefix));
  }
}

/** Keys for a create, by name: prepared at check time when there are, else generated now (both overlap its calls). */
function generateAhead(names: readonly string[], kidPrefix: string): ReadonlyMap<string, Promise<GeneratedKey>> {
  return new Map(
    names.map((name) => {
      const slot = `${kidPrefix}|${name}`;
      const key = prepared.get(slot) ?? generate(kidPrefix);
      prepared.delete(slot);
      return [name, key] as const;
    }),
  );
}

/** Test hook: how many prepared keys wait for a create. */
export function preparedKeyCount(): number {
  return prepared.size;
}

/** Registers the desired keys on a client: generate what is new, then write the planned whole sets in order. */
async function reconcileKeys(
  api: SelfServiceApi,
  live: LiveClient,
  i: ClientInputs,
  previous: Props,
  ahead: Ahead = {},
): Promise<Observed> {
  const clientId = live.client_id;
  const prev = previousKeys(previous);
  const desired = i.keys;
  const ownKidPrefix = kidPrefixOf(i.marker);
  const privateJwks: Record<string, string> = {};
  const generated: Record<string, RegisteredJwk> = {};
  const known: Pick<KeyRecord, "name" | "kid">[] = [];
  for (const name of desired) {
    const mine = prev.keys.find((k) => k.name === name);
    const priv = prev.privateJwks[name];
    if (mine && priv !== undefined) {
      known.push({ name, kid: mine.kid });
      privateJwks[name] = priv;
      continue;
    }
    const g = await (ahead.keys?.get(name) ?? generateClientKey(ownKidPrefix));
    generated[name] = g.publicJwk;
    known.push({ name, kid: g.kid });
    privateJwks[name] = g.privateJwk;
  }
  // Ours: keys we hold the private half of, and keys no longer desired (to remove them). State from before
  // this version kept the public JWK in the record; newer state derives it from the private JWK.
  const ours: OwnKey[] = prev.keys
    .filter((k) => prev.privateJwks[k.name] !== undefined || !desired.includes(k.name))
    .map((k) => {
      const priv = prev.privateJwks[k.name];
      const legacy = (k as { publicJwk?: Record<string, unknown> }).publicJwk;
      return { name: k.name, kid: k.kid, publicJwk: (priv !== undefined ? publicJwkOf(priv) : undefined) ?? legacy ?? {} };
    });
  return withLock(`maskinporten-jwks|${api.env.selfServiceUrl}|${clientId}`, async () => {
    const liveKeys = ahead.jwks ? [...ahead.jwks] : ((await api.getJwks(clientId)) as RegisteredJwk[]);
    const plan = planKeys({
      desired,
      ours,
      live: liveKeys,
      generated,
      nowMs: Date.now(),
      renewalDays: i.keyRenewalDays,
      lifetimeDays: i.keyLifetimeDays,
      ownKidPrefix,
    });
    if (plan.peak > MAX_KEYS) {
      throw new ConfigurationError(
        `${CLIENT_KIND} client_id ${clientId}: this change needs ${plan.peak} keys registered at once (the new ones are added before old ones are removed` +
          `${plan.external.length > 0 ? `, and ${plan.external.length} key(s) registered outside this program are kept: ${plan.external.join(", ")}` : ""}); Digdir allows ${MAX_KEYS}`,
        "remove old keys from `keys` in one run and add new ones in the next, or delete keys registered outside the program",
      );
    }
    let final = liveKeys;
    for (const set of plan.writes) final = (await api.setJwks(clientId, set)) as RegisteredJwk[];
    if (plan.writes.length > 0 && final.length === 0) final = (await api.getJwks(clientId)) as RegisteredJwk[];
    // What is live now: after the writes, no stray key is left.
    const stray = plan.writes.length > 0 ? [] : [...plan.stray];
    return { live, keys: keyRecords(desired, known, final), external: [...plan.external], stray, privateJwks };
  });
}

async function adopt(api: SelfServiceApi, i: ClientInputs, clientId: string): Promise<LiveClient> {
  const live = await api.getClient(clientId);
  if (!live || live.active === false) {
    throw new ConfigurationError(
      `${CLIENT_KIND} "${i.name}": adopt names client_id ${clientId}, but organisation ${api.orgNumber} has no active client with that id`,
      "check the client id (Samarbeidsportalen shows it) and the organization input, or remove adopt to create a new client",
    );
  }
  if (live.integration_type !== i.integrationType) {
    throw new ConfigurationError(
      `${CLIENT_KIND} "${i.name}": client ${clientId} has integration_type ${live.integration_type}, not ${i.integrationType}`,
      "set integrationType to match, or adopt another client (integration_type cannot change)",
    );
  }
  return live;
}

/** Brings a client the create made or found to the desired fields and keys: the rest of a create. */
async function complete(
  api: SelfServiceApi,
  i: ClientInputs,
  found: LiveClient,
  ctx: KindContext,
  ahead: Ahead = {},
): Promise<{ id: string; observed: Observed }> {
  const canon = canonicalClient(i, "desired", 0);
  let live = found;
  if (differs(canon, live)) {
    try {
      live = await api.putClient(live.client_id, clientPutBody(live, canon));
    } catch (e) {
      throw await explainScopeRefusal(api, e, i.scopes);
    }
    rememberClient(api, live);
  }
  const observed = await reconcileKeys(api.about({ ...ctx.subject, resource: label(i, live.client_id) }), live, i, {}, ahead);
  return { id: live.client_id, observed };
}

/**
 * A create: the adopted client, or the client an earlier (interrupted) run made with this marker, or a new one;
 * then its fields and keys. A POST that fails without an answer is resolved by `find` (defineKind).
 */
async function create(i: ClientInputs, ctx: KindContext): Promise<{ id: string; observed: Observed }> {
  const keys = generateAhead(i.keys, kidPrefixOf(i.marker));
  const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
  let live = i.adopt !== undefined ? await adopt(api, i, i.adopt) : await clientWithMarker(api, i.marker, i.integrationType);
  if (!live) {
    try {
      live = await api.createClient(clientBody(canonicalClient(i, "desired", 0)));
    } catch (e) {
      throw await explainScopeRefusal(api, e, i.scopes);
    }
    rememberClient(api, live);
    return complete(api, i, live, ctx, { keys, jwks: [] }); // a client just made has no keys yet
  }
  rememberClient(api, live);
  return complete(api, i, live, ctx, { keys });
}

/** What a create with these inputs made, after a failure: the client with its marker (listed again), finished. */
async function find(i: ClientInputs, ctx: KindContext): Promise<{ id: string; observed: Observed } | undefined> {
  const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
  const live = i.adopt !== undefined ? await adopt(api, i, i.adopt) : await clientWithMarkerNow(api, i.marker, i.integrationType);
  return live ? complete(api, i, live, ctx) : undefined;
}

function label(p: Props, id?: string): string {
  return `client "${String(p.name ?? "?")}"${id ? ` (client_id ${id})` : ""}`;
}

export const maskinportenClient = defineKind({
  name: CLIENT_KIND,
  inputs: clientRules,
  canonical: canonicalClient,
  replaceFields: CLIENT_REPLACE_FIELDS,
  secretFields: ["privateJwks"],
  setFields: ["scopes", "keys"],
  label,
  outputs: (o: Observed) => ({
    fields: { ...fieldsOf(o.live), keys: o.keys.map((k) => k.name) },
    computed: {
      clientId: o.live.client_id,
      clientOrgNumber: o.live.client_orgno ?? "",
      registeredKeys: o.keys,
      keyIds: Object.fromEntries(o.keys.map((k) => [k.name, k.kid])),
      externalKeyIds: o.external,
      strayKeyIds: o.stray,
      privateJwks: o.privateJwks,
    },
  }),
  prepare: (i) => prepareKeys(i.keys, kidPrefixOf(i.marker)),
  create,
  find,
  async read(id, previous, ctx) {
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    // The client and its keys in parallel: two GETs in the time of one.
    const [live, jwks] = await Promise.all([api.getClient(id), api.getJwks(id) as Promise<RegisteredJwk[]>]);
    if (!live || live.active === false) return undefined;
    const prev = previousKeys(previous);
    const ourKids = new Set(prev.keys.map((k) => k.kid));
    const prefix = typeof previous.marker === "string" && previous.marker !== "" ? kidPrefixOf(previous.marker) : undefined;
    const notOurs = jwks.map((k) => k.kid).filter((kid) => !ourKids.has(kid));
    return {
      live,
      keys: keyRecords(
        prev.keys.map((k) => k.name),
        prev.keys,
        jwks,
      ),
      external: notOurs.filter((kid) => !isStrayKid(kid, prefix)).sort(),
      stray: notOurs.filter((kid) => isStrayKid(kid, prefix)).sort(),
      privateJwks: prev.privateJwks,
    };
  },
  async update(id, i, olds, ctx) {
    const canon = canonicalClient(i, "desired", 0);
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    let live = await api.getClient(id);
    if (!live || live.active === false) {
      throw new ConfigurationError(
        `${CLIENT_KIND} "${i.name}": client ${id} no longer exists in organisation ${api.orgNumber}`,
        "run `pulumi refresh` so the program creates it again on the next `pulumi up`",
      );
    }
    if (differs(canon, live)) {
      try {
        live = await api.putClient(id, clientPutBody(live, canon));
      } catch (e) {
        throw await explainScopeRefusal(api, e, i.scopes);
      }
      rememberClient(api, live);
    }
    return reconcileKeys(api, live, i, olds);
  },
  async delete(id, _previous, ctx) {
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    await api.deleteClient(id);
    forgetClient(api, id);
  },
});
