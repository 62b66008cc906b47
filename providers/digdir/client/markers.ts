/**
 * Where each client's marker is: a per-run index of an organisation's clients, so that a create looks its
 * marker up without listing every client of the organisation each time (an `up` of N new clients would read
 * O(N²) client records). One provider process serves every resource of a deployment, so the index lives for one
 * CLI command. It lists an organisation's clients at most once, keeps itself current with this process's own
 * creates, updates and deletes, and lists again only to resolve a create whose answer was lost.
 *
 * Keyed by environment (the self-service base URL) and organisation: the same marker in another organisation is
 * another client.
 */
import type { SelfServiceApi } from "../api.js";
import type { LiveClient } from "../schemas.js";
import { splitDescription } from "./plan.js";

interface OrgIndex {
  /** Active clients by client_id. */
  readonly clients: Map<string, LiveClient>;
  /** The first listing, shared by concurrent first lookups. */
  readonly listed: Promise<void>;
}

const indexes = new Map<string, OrgIndex>();

function keyOf(api: SelfServiceApi): string {
  return `${api.env.selfServiceUrl}|${api.orgNumber}`;
}

function merge(index: OrgIndex, listed: readonly LiveClient[]): void {
  for (const c of listed) {
    if (c.active === false) index.clients.delete(c.client_id);
    else index.clients.set(c.client_id, c);
  }
}

function indexFor(api: SelfServiceApi): OrgIndex {
  const key = keyOf(api);
  let index = indexes.get(key);
  if (!index) {
    const clients = new Map<string, LiveClient>();
    const created: OrgIndex = {
      clients,
      listed: api.listClients().then((all) => merge(created, all)),
    };
    // A failed listing is not cached: the next lookup lists again.
    created.listed.catch(() => {
      if (indexes.get(key) === created) indexes.delete(key);
    });
    index = created;
    indexes.set(key, index);
  }
  return index;
}

function matching(index: OrgIndex, marker: string, integrationType: string): LiveClient | undefined {
  let best: LiveClient | undefined;
  for (const c of index.clients.values()) {
    if (c.integration_type !== integrationType || splitDescription(c.description ?? "").marker !== marker) continue;
    // Two clients with one marker should not exist; if they do, always pick the same one (the oldest).
    if (!best || String(c.created ?? "") < String(best.created ?? "")) best = c;
  }
  return best;
}

/** The active client that carries `marker`, from this run's index (listing the organisation's clients once). */
export async function clientWithMarker(api: SelfServiceApi, marker: string, integrationType: string): Promise<LiveClient | undefined> {
  const index = indexFor(api);
  await index.listed;
  return matching(index, marker, integrationType);
}

/**
 * The same, after listing the organisation's clients again: for a create whose answer was lost, which the index
 * cannot know about.
 */
export async function clientWithMarkerNow(api: SelfServiceApi, marker: string, integrationType: string): Promise<LiveClient | undefined> {
  const index = indexFor(api);
  await index.listed;
  merge(index, await api.listClients());
  return matching(index, marker, integrationType);
}

/** Records a client this process created, adopted or updated. */
export function rememberClient(api: SelfServiceApi, client: LiveClient): void {
  const index = indexes.get(keyOf(api));
  if (index) merge(index, [client]);
}

/** Forgets a client this process deleted (deactivated). */
export function forgetClient(api: SelfServiceApi, clientId: string): void {
  indexes.get(keyOf(api))?.clients.delete(clientId);
}

/** Test hook: a fresh run. */
export function clearMarkerIndex(): void {
  indexes.clear();
}
