/**
 * `maskinporten:ScopeGrant`: one consumer organisation's access to one of the owner's scopes. Create grants
 * (an idempotent PUT), delete revokes. The access record's state is an output: REQUESTED or DENIED (someone
 * revoked it, or the consumer only asked) shows up as drift instead of being hidden, and `up` grants again.
 */
import { ApiError } from "../../runtime/errors.js";
import { defineKind, type KindContext } from "../../runtime/kind.js";
import { SelfServiceApi } from "../api.js";
import type { LiveAccess } from "../schemas.js";
import { grantRules, type GrantInputs } from "./inputs.js";
import { GRANT_REPLACE_FIELDS, canonicalGrant, grantId, parseGrantId } from "./plan.js";

export const GRANT_KIND = "maskinporten:ScopeGrant";

async function grant(i: GrantInputs, ctx: KindContext): Promise<LiveAccess> {
  const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
  try {
    return await api.grant(i.scope, i.consumerOrg);
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      throw e.with({
        hint: `check that ${i.consumerOrg} is a real organisation number and that scope ${i.scope} is an active scope of organisation ${api.orgNumber}`,
      });
    }
    if (e instanceof ApiError && e.status === 404) {
      throw e.with({
        hint: `scope ${i.scope} is not a scope of organisation ${api.orgNumber}: create it first (MaskinportenScope) or set organization to its owner`,
      });
    }
    throw e;
  }
}

export const maskinportenScopeGrant = defineKind({
  name: GRANT_KIND,
  inputs: grantRules,
  canonical: canonicalGrant,
  replaceFields: GRANT_REPLACE_FIELDS,
  label: (p, id) => {
    const { scope, consumerOrg } = id ? parseGrantId(id) : { scope: String(p.scope ?? "?"), consumerOrg: String(p.consumerOrg ?? "?") };
    return `grant of ${scope} to ${consumerOrg}`;
  },
  outputs: (live: LiveAccess) => ({ fields: {}, computed: { state: live.state, ownerOrgNumber: live.owner_orgno ?? "" } }),
  async create(i, ctx) {
    return { id: grantId(i.scope, i.consumerOrg), observed: await grant(i, ctx) };
  },
  async read(id, _previous, ctx) {
    // One GET: the scope's access list. An unknown scope reads as an empty list, like a scope without grants.
    const { scope, consumerOrg } = parseGrantId(id);
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    const records = await api.listAccess(scope);
    // No record at all: the grant is gone. A DENIED or REQUESTED record is kept and surfaced as the state.
    return records.find((r) => r.consumer_orgno === consumerOrg);
  },
  update: (_id, i, _olds, ctx) => grant(i, ctx),
  async delete(id, _previous, ctx) {
    const { scope, consumerOrg } = parseGrantId(id);
    if (!/^\d{9}$/.test(consumerOrg)) return; // never put anything else in the path (a '..' could hit the scope)
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    await api.revoke(scope, consumerOrg);
  },
});
