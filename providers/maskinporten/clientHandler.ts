/**
 * `maskinporten:Client`: a Maskinporten client plus the keys the program manages on it.
 *
 * - Identity: the server's client_id. A deterministic marker (`[iac:<project>/<stack>/<name>]`) is kept at the
 *   end of the description, so a create whose response was lost finds its client instead of making a second
 *   one; `adopt` takes over an existing client by id.
 * - Update is a full PUT (GET, replace the managed fields, PUT back without server fields).
 * - Keys: see plan.ts `planKeys`. Writes are serialised per client and a rotation registers the new key before
 *   the old one is removed; keys registered outside the program are kept and reported in `externalKeyIds`.
 */
import type { CreateResult, KindHandler, Props, ReadResult, UpdateResult } from "../runtime/contract.js";
import { ApiError, ConfigurationError } from "../runtime/errors.js";
import { withLock } from "../runtime/lock.js";
import { checkWith } from "../runtime/validation.js";
import { SelfServiceApi, scopeName } from "./api.js";
import { clientInputsSchema, type ClientInputs } from "./inputs.js";
import { generateClientKey } from "./keys.js";
import {
  MAX_KEYS,
  canonicalClientDesired,
  clientBody,
  clientPutBody,
  compare,
  keyRecords,
  planClient,
  planKeys,
  splitDescription,
  stableJson,
  type ClientCanon,
  type KeyRecord,
  type RegisteredJwk,
  diffOf,
} from "./plan.js";
import type { LiveClient } from "./schemas.js";

export const CLIENT_KIND = "maskinporten:Client";

function subject(i: { name?: unknown }, id?: string): { kind: string; resource: string } {
  return { kind: CLIENT_KIND, resource: `client "${String(i.name ?? "?")}"${id ? ` (client_id ${id})` : ""}` };
}

function parseInputs(p: Props): ClientInputs {
  const r = clientInputsSchema.safeParse(p);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ConfigurationError(
      `${CLIENT_KIND}: invalid inputs: ${issue ? `${issue.path.join(".")}: ${issue.message}` : ""}`,
      "fix the resource's arguments",
    );
  }
  return r.data;
}

/** The client's fields, in input names, from what the API returned. */
function clientFromLive(l: LiveClient): Omit<ClientCanon, "organization" | "keys"> {
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

/** Keeps the user's spelling of a value (scope order, "PT2M") when it means the same as the live value. */
function keepSpelling(previous: unknown, live: unknown, canon: (v: unknown) => unknown): unknown {
  return previous !== undefined && stableJson(canon(previous)) === stableJson(canon(live)) ? previous : live;
}

function outputsFor(
  inputs: Props,
  live: LiveClient,
  keys: KeyRecord[],
  external: readonly string[],
  privateJwks: Record<string, string>,
): Props {
  const fields = clientFromLive(live);
  const canonOf = (field: keyof ClientCanon) => (v: unknown) => canonicalClientDesired({ [field]: v })[field];
  return {
    ...inputs,
    integrationType: fields.integrationType,
    name: fields.name,
    description: fields.description,
    marker: fields.marker,
    scopes: keepSpelling(inputs.scopes, fields.scopes, canonOf("scopes")),
    accessTokenLifetime: keepSpelling(inputs.accessTokenLifetime, fields.accessTokenLifetime, canonOf("accessTokenLifetime")),
    clientId: live.client_id,
    clientOrgNumber: live.client_orgno ?? "",
    keys: keep(
      inputs.keys,
      keys.map((k) => k.name),
    ),
    registeredKeys: keys,
    keyIds: Object.fromEntries(keys.map((k) => [k.name, k.kid])),
    externalKeyIds: [...external],
    privateJwks,
  };
}

/** The names the program asked for, in its order. */
function keep(asked: unknown, names: string[]): string[] {
  return Array.isArray(asked) ? (asked as string[]).filter((n) => names.includes(n)) : names;
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
  {
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
}

async function findByMarker(api: SelfServiceApi, marker: string, integrationType: string): Promise<LiveClient | undefined> {
  const all = await api.listClients();
  return all.find(
    (c) => c.active !== false && c.integration_type === integrationType && splitDescription(c.description ?? "").marker === marker,
  );
}

interface KeyResult {
  keys: KeyRecord[];
  external: string[];
  privateJwks: Record<string, string>;
}

/** Registers the desired keys on a client: generate what is new, then write the planned whole sets in order. */
async function reconcileKeys(
  api: SelfServiceApi,
  clientId: string,
  i: ClientInputs,
  previous: { keys: readonly KeyRecord[]; privateJwks: Readonly<Record<string, string>> },
): Promise<KeyResult> {
  const desired = i.keys as string[];
  const privateJwks: Record<string, string> = {};
  const generated: Record<string, RegisteredJwk> = {};
  const known: Omit<KeyRecord, "registered" | "expiresAt">[] = [];
  for (const name of desired) {
    const mine = previous.keys.find((k) => k.name === name);
    const priv = previous.privateJwks[name];
    if (mine && priv !== undefined) {
      known.push({ name, kid: mine.kid, publicJwk: mine.publicJwk });
      privateJwks[name] = priv;
      continue;
    }
    const g = await generateClientKey();
    generated[name] = g.publicJwk;
    known.push({ name, kid: g.kid, publicJwk: g.publicJwk });
    privateJwks[name] = g.privateJwk;
  }
  const ours = previous.keys.filter((k) => previous.privateJwks[k.name] !== undefined || !desired.includes(k.name));
  return withLock(`maskinporten-jwks|${api.env.selfServiceUrl}|${clientId}`, async () => {
    const live = (await api.getJwks(clientId)) as RegisteredJwk[];
    const plan = planKeys({
      desired,
      ours,
      live,
      generated,
      nowMs: Date.now(),
      renewalDays: i.keyRenewalDays,
      lifetimeDays: i.keyLifetimeDays,
    });
    if (plan.peak > MAX_KEYS) {
      throw new ConfigurationError(
        `${CLIENT_KIND} client_id ${clientId}: this change needs ${plan.peak} keys registered at once (the new ones are added before old ones are removed` +
          `${plan.external.length > 0 ? `, and ${plan.external.length} key(s) registered outside this program are kept: ${plan.external.join(", ")}` : ""}); Digdir allows ${MAX_KEYS}`,
        "remove old keys from `keys` in one run and add new ones in the next, or delete keys registered outside the program",
      );
    }
    let final = live;
    for (const set of plan.writes) final = (await api.setJwks(clientId, set)) as RegisteredJwk[];
    if (plan.writes.length > 0 && final.length === 0) final = (await api.getJwks(clientId)) as RegisteredJwk[];
    return { keys: keyRecords(desired, known, final), external: plan.external as string[], privateJwks };
  });
}

function previousKeys(o: Props): { keys: KeyRecord[]; privateJwks: Record<string, string> } {
  return {
    keys: Array.isArray(o.registeredKeys) ? (o.registeredKeys as KeyRecord[]) : [],
    privateJwks: o.privateJwks && typeof o.privateJwks === "object" ? (o.privateJwks as Record<string, string>) : {},
  };
}

async function create(inputs: Props): Promise<CreateResult> {
  const i = parseInputs(inputs);
  const canon = canonicalClientDesired(i);
  const api = await SelfServiceApi.forOrg(i.organization, subject(i));
  const scopes = i.scopes as string[];
  let live: LiveClient | undefined;
  if (i.adopt !== undefined) {
    live = await api.getClient(i.adopt);
    if (!live || live.active === false) {
      throw new ConfigurationError(
        `${CLIENT_KIND} "${i.name}": adopt names client_id ${i.adopt}, but organisation ${api.orgNumber} has no active client with that id`,
        "check the client id (Samarbeidsportalen shows it) and the organization input, or remove adopt to create a new client",
      );
    }
    if (live.integration_type !== i.integrationType) {
      throw new ConfigurationError(
        `${CLIENT_KIND} "${i.name}": client ${i.adopt} has integration_type ${live.integration_type}, not ${i.integrationType}`,
        "set integrationType to match, or adopt another client (integration_type cannot change)",
      );
    }
  } else {
    live = await findByMarker(api, i.marker as string, i.integrationType as string);
  }
  if (live) {
    const current = { ...clientFromLive(live), organization: canon.organization, keys: canon.keys };
    if (compare(canon, current, []).changes.length > 0) {
      try {
        live = await api.about(subject(i, live.client_id)).putClient(live.client_id, clientPutBody(live, canon));
      } catch (e) {
        throw await explainScopeRefusal(api, e, scopes);
      }
    }
  } else {
    try {
      live = await api.createClient(clientBody(canon));
    } catch (e) {
      // The POST may have taken effect even though its answer was lost: look for our marker before failing.
      const lost = e instanceof ApiError && (e.status === undefined || e.status >= 500);
      const found = lost ? await findByMarker(api, i.marker as string, i.integrationType as string).catch(() => undefined) : undefined;
      if (!found) throw await explainScopeRefusal(api, e, scopes);
      live = found;
    }
  }
  const clientId = live.client_id;
  const k = await reconcileKeys(api.about(subject(i, clientId)), clientId, i, { keys: [], privateJwks: {} });
  return { id: clientId, outs: outputsFor(i as Props, live, k.keys, k.external, k.privateJwks) };
}

async function read(id: string, props: Props | undefined): Promise<ReadResult> {
  const p = props ?? {};
  const org = typeof p.organization === "string" ? p.organization : undefined;
  const api = await SelfServiceApi.forOrg(org, subject(p, id));
  const live = await api.getClient(id);
  if (!live || live.active === false) return { id: "" };
  const prev = previousKeys(p);
  const jwks = (await api.getJwks(id)) as RegisteredJwk[];
  const names = prev.keys.map((k) => k.name);
  const keys = keyRecords(names, prev.keys, jwks);
  const ourKids = new Set(prev.keys.map((k) => k.kid));
  const external = jwks
    .map((k) => k.kid)
    .filter((kid) => !ourKids.has(kid))
    .sort();
  const outs = outputsFor(p, live, keys, external, prev.privateJwks);
  const inputs: Props = {};
  for (const f of Object.keys(clientInputsSchema.shape)) if (outs[f] !== undefined) inputs[f] = outs[f];
  return { id, props: outs, inputs };
}

async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  const i = parseInputs(news);
  const canon = canonicalClientDesired(i);
  const api = await SelfServiceApi.forOrg(i.organization, subject(i, id));
  let live = await api.getClient(id);
  if (!live || live.active === false) {
    throw new ConfigurationError(
      `${CLIENT_KIND} "${i.name}": client ${id} no longer exists in organisation ${api.orgNumber}`,
      "run `pulumi refresh` so the program creates it again on the next `pulumi up`",
    );
  }
  const current = { ...clientFromLive(live), organization: canon.organization, keys: canon.keys };
  if (compare(canon, current, []).changes.length > 0) {
    try {
      live = await api.putClient(id, clientPutBody(live, canon));
    } catch (e) {
      throw await explainScopeRefusal(api, e, i.scopes as string[]);
    }
  }
  const k = await reconcileKeys(api, id, i, previousKeys(olds));
  return { outs: outputsFor(i as Props, live, k.keys, k.external, k.privateJwks) };
}

export const maskinportenClient: KindHandler = {
  check(_olds, news) {
    return checkWith(clientInputsSchema, news);
  },
  diff(_id, olds, news) {
    return diffOf(planClient(news, olds, Date.now()));
  },
  create,
  read,
  update,
  async delete(id, props) {
    const org = typeof props.organization === "string" ? props.organization : undefined;
    const api = await SelfServiceApi.forOrg(org, subject(props, id));
    await api.deleteClient(id);
  },
};
