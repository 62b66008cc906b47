/**
 * `resourceregistry:AccessList`: an access list of a service owner, with its members and its connections to
 * resources. Members and connections are properties of the list, not kinds of their own: one list has one
 * version upstream, so one resource owning every write to it serialises them naturally.
 *
 * Every write carries `If-Match` with the list's current ETag; writes to one list are serialised in the
 * provider; a 412 (someone else changed the list) makes it read the list again and retry. Members go in
 * requests of at most 100 (a list may be longer), and only the difference is sent.
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { withLock } from "../../runtime/lock.js";
import { AccessListApi, MEMBERS_PER_REQUEST, isStale } from "../api.js";
import type { LiveAccessList, LiveMember } from "../schemas.js";
import { accessListRules, type AccessListInputs } from "./inputs.js";
import { ACCESS_LIST_REPLACE_FIELDS, canonicalAccessList, memberName, planConnections, planMembers, type Connection } from "./plan.js";

export const ACCESS_LIST_KIND = "resourceregistry:AccessList";
const ATTEMPTS = 3;

interface Observed {
  readonly info: LiveAccessList;
  readonly members: readonly LiveMember[];
}

/** `<owner>/<identifier>` */
function listId(owner: string, identifier: string): string {
  return `${owner}/${identifier}`;
}

function parseId(id: string): { owner: string; identifier: string } {
  const slash = id.indexOf("/");
  return { owner: id.slice(0, slash), identifier: id.slice(slash + 1) };
}

function liveConnections(info: LiveAccessList): Connection[] {
  return (info.resourceConnections ?? []).map((c) => ({ resource: c.resourceIdentifier, actions: c.actionFilters ?? [] }));
}

async function observe(api: AccessListApi, identifier: string): Promise<Observed | undefined> {
  const state = await api.get(identifier);
  return state && { info: state.info, members: await api.members(identifier) };
}

/** Brings the list to the inputs: info, then members, then connections, each write on the previous one's ETag. */
async function sync(api: AccessListApi, i: AccessListInputs, mustExist: boolean | undefined): Promise<Observed> {
  return withLock(api.lockKey(i.identifier), async () => {
    // Set once this call has sent the list's create: a list found after that is this call's own (its answer was
    // lost and the retried create met the list it had made), not someone else's.
    let sentCreate = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const state = await api.get(i.identifier);
        if (state && mustExist === false && !i.adopt && !sentCreate) {
          throw new ConfigurationError(
            `${ACCESS_LIST_KIND}: access list ${i.owner}/${i.identifier} already exists`,
            "set adopt: true to manage it with this program (its members and connections are then set to the arguments), or choose another identifier",
          );
        }
        let etag = state?.etag;
        if (!state || state.info.name !== i.name || (state.info.description ?? "") !== i.description) {
          if (!state) sentCreate = true;
          etag = await api.put(i.identifier, { name: i.name, description: i.description }, state ? etag : undefined);
        }
        const members = state ? await api.members(i.identifier) : [];
        const m = planMembers(i.members, members, MEMBERS_PER_REQUEST);
        for (const batch of m.add) etag = await api.changeMembers(i.identifier, "POST", batch, etag);
        for (const batch of m.remove) etag = await api.changeMembers(i.identifier, "DELETE", batch, etag);
        const c = planConnections(i.connections, state ? liveConnections(state.info) : []);
        for (const conn of c.put) etag = await api.putConnection(i.identifier, conn.resource, conn.actions, etag);
        for (const resource of c.delete) etag = await api.deleteConnection(i.identifier, resource, etag);
        const after = await observe(api, i.identifier);
        if (!after) throw new Error(`${ACCESS_LIST_KIND}: access list ${i.owner}/${i.identifier} was written but cannot be read back`);
        return after;
      } catch (e) {
        // Someone else changed the list between our read and our write: read it again and redo the difference.
        if (isStale(e) && attempt < ATTEMPTS) continue;
        throw e;
      }
    }
  });
}

async function apiFor(p: { owner?: unknown }, ctx: KindContext, id?: string): Promise<AccessListApi> {
  const owner = typeof p.owner === "string" ? p.owner : id ? parseId(id).owner : "";
  return AccessListApi.forOrg(ctx.organization, owner, ctx.subject);
}

export const altinnAccessList = defineKind({
  name: ACCESS_LIST_KIND,
  inputs: accessListRules,
  canonical: (p) => canonicalAccessList(p),
  replaceFields: ACCESS_LIST_REPLACE_FIELDS,
  setFields: ["members", "connections"],
  label: (p, id) => `access list "${id ?? `${String(p.owner ?? "?")}/${String(p.identifier ?? "?")}`}"`,
  outputs: (o: Observed, declared) => {
    const named = new Set(Array.isArray(declared.members) ? (declared.members as string[]) : []);
    return {
      fields: {
        name: o.info.name ?? "",
        description: o.info.description ?? "",
        members: o.members.map((m) => memberName(m, named)),
        connections: liveConnections(o.info),
      },
      computed: { urn: o.info.urn ?? `urn:altinn:access-list:${String(declared.owner)}:${o.info.identifier}` },
    };
  },
  async create(i, ctx) {
    return { id: listId(i.owner, i.identifier), observed: await sync(await apiFor(i, ctx), i, false) };
  },
  /**
   * After a create that got no answer: the list exists with the declared name and description only when the
   * create's first write took effect (an existing list with other values stays someone else's and the create's
   * retry refuses it without adopt). What it finds is finished: members and connections are brought to the inputs.
   */
  async find(i, ctx) {
    const api = await apiFor(i, ctx);
    const state = await api.get(i.identifier);
    if (!state || state.info.name !== i.name || (state.info.description ?? "") !== i.description) return undefined;
    return { id: listId(i.owner, i.identifier), observed: await sync(api, i, undefined) };
  },
  async read(id, previous, ctx) {
    return observe(await apiFor(previous, ctx, id), parseId(id).identifier);
  },
  async update(_id, i, _olds, ctx) {
    return sync(await apiFor(i, ctx), i, undefined);
  },
  async delete(id, previous, ctx) {
    await (await apiFor(previous, ctx, id)).delete(parseId(id).identifier);
  },
});
