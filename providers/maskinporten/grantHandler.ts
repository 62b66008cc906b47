/**
 * `maskinporten:ScopeGrant`: one consumer organisation's access to one of the owner's scopes. Create grants
 * (an idempotent PUT), delete revokes. The access record's state is an output: REQUESTED or DENIED (someone
 * revoked it, or the consumer only asked) shows up as drift instead of being hidden, and `up` grants again.
 */
import type { KindHandler, Props } from "../runtime/contract.js";
import { ApiError, ConfigurationError } from "../runtime/errors.js";
import { checkWith } from "../runtime/validation.js";
import { SelfServiceApi } from "./api.js";
import { grantInputsSchema, type GrantInputs } from "./inputs.js";
import { planGrant, diffOf } from "./plan.js";
import type { LiveAccess } from "./schemas.js";

export const GRANT_KIND = "maskinporten:ScopeGrant";

function subject(scope: string, consumer: string): { kind: string; resource: string } {
  return { kind: GRANT_KIND, resource: `grant of ${scope} to ${consumer}` };
}

/** The id: consumer org and scope name (scope names may hold '/' and ':', org numbers never hold '@'). */
function grantId(scope: string, consumer: string): string {
  return `${consumer}@${scope}`;
}

function parseInputs(p: Props): GrantInputs & { scope: string; consumerOrg: string } {
  const r = grantInputsSchema.safeParse(p);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ConfigurationError(
      `${GRANT_KIND}: invalid inputs: ${issue ? `${issue.path.join(".")}: ${issue.message}` : ""}`,
      "fix the resource's arguments",
    );
  }
  return r.data as GrantInputs & { scope: string; consumerOrg: string };
}

function outputsFor(inputs: Props, live: LiveAccess): Props {
  return { ...inputs, state: live.state, ownerOrgNumber: live.owner_orgno ?? "" };
}

async function grant(i: ReturnType<typeof parseInputs>): Promise<LiveAccess> {
  const api = await SelfServiceApi.forOrg(i.organization, subject(i.scope, i.consumerOrg));
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

export const maskinportenScopeGrant: KindHandler = {
  check(_olds, news) {
    return checkWith(grantInputsSchema, news);
  },
  diff(_id, olds, news) {
    return diffOf(planGrant(news, olds));
  },
  async create(inputs) {
    const i = parseInputs(inputs);
    const live = await grant(i);
    return { id: grantId(i.scope, i.consumerOrg), outs: outputsFor(i as Props, live) };
  },
  async read(id, props) {
    const p = props ?? {};
    const scope = typeof p.scope === "string" ? p.scope : id.slice(id.indexOf("@") + 1);
    const consumer = typeof p.consumerOrg === "string" ? p.consumerOrg : id.slice(0, id.indexOf("@"));
    const api = await SelfServiceApi.forOrg(typeof p.organization === "string" ? p.organization : undefined, subject(scope, consumer));
    const scopeLive = await api.getScope(scope);
    if (!scopeLive) return { id: "" };
    const records = await api.listAccess(scope);
    const live = records.find((r) => r.consumer_orgno === consumer);
    // No record at all: the grant is gone. A DENIED or REQUESTED record is kept and surfaced as the state.
    if (!live) return { id: "" };
    const outs = outputsFor(p, live);
    const inputs: Props = {};
    for (const f of Object.keys(grantInputsSchema.shape)) if (outs[f] !== undefined) inputs[f] = outs[f];
    return { id, props: outs, inputs };
  },
  async update(_id, _olds, news) {
    const i = parseInputs(news);
    const live = await grant(i);
    return { outs: outputsFor(i as Props, live) };
  },
  async delete(_id, props) {
    const scope = String(props.scope);
    const consumer = String(props.consumerOrg);
    if (!/^\d{9}$/.test(consumer)) return; // never put anything else in the path (a '..' could hit the scope)
    const api = await SelfServiceApi.forOrg(
      typeof props.organization === "string" ? props.organization : undefined,
      subject(scope, consumer),
    );
    await api.revoke(scope, consumer);
  },
};
