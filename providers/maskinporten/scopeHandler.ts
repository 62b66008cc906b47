/**
 * `maskinporten:Scope`: a scope the organisation exposes as an API provider. Its id is the scope name.
 * Prefix and subscope are immutable (a change replaces the scope). Delete deactivates (Digdir keeps the
 * scope, its grants and the clients that carry it); creating a scope that exists inactive reactivates it.
 * A scope that exists and is active is taken over only with `adopt: true`.
 */
import type { KindHandler, Props } from "../runtime/contract.js";
import { ApiError, ConfigurationError } from "../runtime/errors.js";
import { checkWith } from "../runtime/validation.js";
import { SelfServiceApi } from "./api.js";
import { scopeInputsSchema, type ScopeInputs } from "./inputs.js";
import { canonicalScope, planScope, scopeBody, scopeFromLive, stableJson, diffOf } from "./plan.js";
import type { LiveScope } from "./schemas.js";

export const SCOPE_KIND = "maskinporten:Scope";

function nameOf(i: { prefix?: unknown; subscope?: unknown }): string {
  return `${String(i.prefix ?? "").replace(/:$/, "")}:${String(i.subscope ?? "")}`;
}

function subject(name: string): { kind: string; resource: string } {
  return { kind: SCOPE_KIND, resource: `scope "${name}"` };
}

function parseInputs(p: Props): ScopeInputs {
  const r = scopeInputsSchema.safeParse(p);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ConfigurationError(
      `${SCOPE_KIND}: invalid inputs: ${issue ? `${issue.path.join(".")}: ${issue.message}` : ""}`,
      "fix the resource's arguments",
    );
  }
  return r.data;
}

function keep(previous: unknown, live: unknown, field: keyof ReturnType<typeof canonicalScope>): unknown {
  if (previous === undefined) return live;
  const a = canonicalScope({ [field]: previous })[field];
  const b = canonicalScope({ [field]: live })[field];
  return stableJson(a) === stableJson(b) ? previous : live;
}

function outputsFor(inputs: Props, live: LiveScope): Props {
  const f = scopeFromLive(live);
  return {
    ...inputs,
    prefix: f.prefix,
    subscope: f.subscope,
    description: f.description,
    longDescription: keep(inputs.longDescription, f.longDescription, "longDescription"),
    visibility: f.visibility,
    atMaxAge: keep(inputs.atMaxAge, f.atMaxAge, "atMaxAge"),
    allowedIntegrationTypes: keep(inputs.allowedIntegrationTypes, f.allowedIntegrationTypes, "allowedIntegrationTypes"),
    accessibleForAll: f.accessibleForAll,
    delegationSource: keep(inputs.delegationSource, f.delegationSource, "delegationSource"),
    name: nameOf(f),
    ownerOrgNumber: live.owner_orgno ?? "",
    active: live.active !== false,
  };
}

async function write(api: SelfServiceApi, name: string, i: ScopeInputs): Promise<LiveScope> {
  const body = scopeBody(canonicalScope(i));
  const existing = await api.getScope(name);
  if (existing && existing.active !== false && !i.adopt) {
    throw new ConfigurationError(
      `${SCOPE_KIND}: scope ${name} already exists and is active in organisation ${api.orgNumber}`,
      "set adopt: true to manage the existing scope with this program, or choose another subscope",
    );
  }
  if (existing) return api.putScope(name, body);
  try {
    return await api.createScope(body);
  } catch (e) {
    // 409: it exists but is inactive (created after our GET, or not listed): reactivate it. A lost answer
    // (no status, 5xx): the scope name is the natural key, so look it up before failing.
    if (e instanceof ApiError && (e.status === 409 || e.status === undefined || e.status >= 500)) {
      const found = await api.getScope(name).catch(() => undefined);
      if (found) return found.active === false || e.status === 409 ? api.putScope(name, body) : found;
    }
    if (e instanceof ApiError && e.status === 400) {
      throw e.with({
        hint: `check that prefix "${String(i.prefix)}" belongs to organisation ${api.orgNumber} (Digdir assigns prefixes; ask servicedesk@digdir.no) and that the fields follow the API's rules`,
      });
    }
    throw e;
  }
}

export const maskinportenScope: KindHandler = {
  check(_olds, news) {
    return checkWith(scopeInputsSchema, news);
  },
  diff(_id, olds, news) {
    return diffOf(planScope(news, olds));
  },
  async create(inputs) {
    const i = parseInputs(inputs);
    const name = nameOf(i);
    const api = await SelfServiceApi.forOrg(i.organization, subject(name));
    const live = await write(api, name, i);
    return { id: name, outs: outputsFor(i as Props, live) };
  },
  async read(id, props) {
    const p = props ?? {};
    const api = await SelfServiceApi.forOrg(typeof p.organization === "string" ? p.organization : undefined, subject(id));
    const live = await api.getScope(id);
    if (!live || live.active === false) return { id: "" };
    const outs = outputsFor(p, live);
    const inputs: Props = {};
    for (const f of Object.keys(scopeInputsSchema.shape)) if (outs[f] !== undefined) inputs[f] = outs[f];
    return { id, props: outs, inputs };
  },
  async update(id, _olds, news) {
    const i = parseInputs(news);
    const api = await SelfServiceApi.forOrg(i.organization, subject(id));
    const live = await api.putScope(id, scopeBody(canonicalScope(i)));
    return { outs: outputsFor(i as Props, live) };
  },
  async delete(id, props) {
    const api = await SelfServiceApi.forOrg(typeof props.organization === "string" ? props.organization : undefined, subject(id));
    await api.deleteScope(id);
  },
};
