/**
 * `maskinporten:Scope`: a scope the organisation exposes as an API provider. Its id is the scope name.
 * Prefix and subscope are immutable (a change replaces the scope). Delete deactivates (Digdir keeps the
 * scope, its grants and the clients that carry it); creating a scope that exists inactive reactivates it.
 * A scope that exists and is active is taken over only with `adopt: true`.
 */
import { ApiError, ConfigurationError } from "../../runtime/errors.js";
import { defineKind } from "../../runtime/kind.js";
import { scopeNameOf } from "../names.js";
import { SelfServiceApi } from "../api.js";
import type { LiveScope } from "../schemas.js";
import { scopeRules, type ScopeInputs } from "./inputs.js";
import { SCOPE_REPLACE_FIELDS, canonicalScope, scopeBody, scopeFromLive } from "./plan.js";

export const SCOPE_KIND = "maskinporten:Scope";

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
    // 409: it exists but is inactive (created after our GET, or not listed): reactivate it. A lost answer (no
    // status, 5xx) is resolved by `find` below (defineKind sends the create again when nothing was committed).
    if (e instanceof ApiError && e.status === 409) {
      const found = await api.getScope(name).catch(() => undefined);
      if (found) return api.putScope(name, body);
    }
    if (e instanceof ApiError && e.status === 400) {
      throw e.with({
        hint: `check that prefix "${i.prefix}" belongs to organisation ${api.orgNumber} (Digdir assigns prefixes; ask servicedesk@digdir.no) and that the fields follow the API's rules`,
      });
    }
    throw e;
  }
}

export const maskinportenScope = defineKind({
  name: SCOPE_KIND,
  inputs: scopeRules,
  // The name cannot change without a replacement, so it is known at preview: grants that use it stay unchanged.
  checked: (i) => ({ name: scopeNameOf(i.prefix, i.subscope) }),
  canonical: (p) => canonicalScope(p),
  replaceFields: SCOPE_REPLACE_FIELDS,
  setFields: ["allowedIntegrationTypes"],
  label: (p, id) => `scope "${id ?? scopeNameOf(p.prefix, p.subscope)}"`,
  outputs: (live: LiveScope) => {
    const fields = scopeFromLive(live);
    return {
      fields,
      computed: {
        name: scopeNameOf(fields.prefix, fields.subscope),
        ownerOrgNumber: live.owner_orgno ?? "",
        active: live.active !== false,
      },
    };
  },
  async create(i, ctx) {
    const name = scopeNameOf(i.prefix, i.subscope);
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    return { id: name, observed: await write(api, name, i) };
  },
  // The scope name is the natural key: a create whose answer was lost finds the active scope it made.
  async find(i, ctx) {
    const name = scopeNameOf(i.prefix, i.subscope);
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    const live = await api.getScope(name);
    return live && live.active !== false ? { id: name, observed: live } : undefined;
  },
  async read(id, _previous, ctx) {
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    const live = await api.getScope(id);
    return live && live.active !== false ? live : undefined;
  },
  async update(id, i, _olds, ctx) {
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    return api.putScope(id, scopeBody(canonicalScope(i)));
  },
  async delete(id, _previous, ctx) {
    const api = await SelfServiceApi.forOrg(ctx.organization, ctx.subject);
    await api.deleteScope(id);
  },
});
