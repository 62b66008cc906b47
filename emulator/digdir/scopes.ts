// /api/v1/scopes...: the API-provider side (spec §5): own scopes, consumer access, public lists.
import { z } from "zod";
import { type EmulatorContext } from "../core/context.js";
import { isValidOrgNumber } from "../core/orgno.js";
import { type Reply, type Request, type Route, json } from "../core/router.js";
import { type AccessRecord, type Scope, findOrg, nowIso } from "../core/state.js";
import { type Caller, DCR_READ, DCR_WRITE, SCOPES_READ, SCOPES_WRITE, authed, unwrap } from "./auth.js";
import { digdirError, refuse } from "./errors.js";
import { allowsIntegrationType } from "./policy.js";
import { parseBody, queryFlag, wantsInactive } from "./validation.js";

const SUBSCOPE = /^[A-Za-z0-9._/:-]+$/;

const scopeFields = {
  description: z.string().trim().min(1, "description is required"),
  long_description: z.string().nullish(),
  descriptions: z.record(z.string(), z.string()).nullish(),
  active: z.boolean().nullish(),
  visibility: z.enum(["PUBLIC", "PRIVATE", "INTERNAL"]).nullish(),
  token_type: z.enum(["SELF_CONTAINED", "OPAQUE"]).nullish(),
  at_max_age: z.number().int().nonnegative().nullish(),
  authorization_max_lifetime: z.number().int().nonnegative().nullish(),
  allowed_integration_types: z.array(z.string()).nullish(),
  accessible_for_all: z.boolean().nullish(),
  delegation_source: z.string().nullish(),
  requires_user_consent: z.boolean().nullish(),
  requires_user_authentication: z.boolean().nullish(),
  requires_pseudonymous_tokens: z.boolean().nullish(),
  enforced_aud_for_access_token: z.string().nullish(),
};
const createBody = z.looseObject({
  // Tolerate "nav:" as a prefix: one Digdir fixture returns it that way.
  prefix: z
    .string()
    .transform((p) => p.replace(/:$/, ""))
    .pipe(z.string().regex(/^[a-z0-9]+$/, "prefix must be lower-case letters and digits")),
  subscope: z.string().regex(SUBSCOPE, "subscope may contain letters, digits and . _ / : -"),
  ...scopeFields,
});
const updateBody = z.looseObject({ prefix: z.string().nullish(), subscope: z.string().nullish(), ...scopeFields });
type ScopeFields = z.infer<typeof updateBody>;

function applyFields(base: Scope, body: ScopeFields, delegationIssuers: readonly string[]): Scope {
  if (body.delegation_source && !delegationIssuers.includes(body.delegation_source))
    refuse(400, [], [{ field: "delegation_source", message: `unknown delegation source ${body.delegation_source}`, objectName: "Scope" }]);
  return {
    ...base,
    description: body.description,
    long_description: body.long_description ?? null,
    descriptions: body.descriptions ?? null,
    visibility: body.visibility ?? "PUBLIC",
    token_type: body.token_type ?? "SELF_CONTAINED",
    at_max_age: body.at_max_age ?? 0,
    authorization_max_lifetime: body.authorization_max_lifetime ?? 0,
    allowed_integration_types: body.allowed_integration_types ?? [],
    accessible_for_all: body.accessible_for_all ?? false,
    delegation_source: body.delegation_source ?? null,
    requires_user_consent: body.requires_user_consent ?? false,
    requires_user_authentication: body.requires_user_authentication ?? false,
    requires_pseudonymous_tokens: body.requires_pseudonymous_tokens ?? false,
    enforced_aud_for_access_token: body.enforced_aud_for_access_token ?? null,
    last_updated: nowIso(),
  };
}

export function scopeRoutes(ctx: EmulatorContext, base: string): Route[] {
  const st = () => ctx.store.state;
  const issuers = () => st().delegationSources.map((d) => d.issuer);
  const orgName = (orgNo: string) => findOrg(st(), orgNo)?.name ?? null;

  /** Digdir answers an error instead of [] on some lists (spec §2); off through the control plane's options. */
  const list = (items: unknown[], emptyMessage: string): Reply =>
    items.length === 0 && ctx.options.emptyListErrors ? digdirError(404, emptyMessage) : json(200, items);

  const scopeParam = (req: Request): string => {
    const name = req.query.get("scope");
    if (!name) refuse(400, "The query parameter scope is required");
    return name;
  };
  const ownScope = (caller: Caller, name: string): Scope => {
    const s = st().scopes[name];
    if (!s || s.owner_orgno !== caller.orgNumber) refuse(404, `Scope ${name} not found for organization ${caller.orgNumber}`);
    return s;
  };
  const readable = (caller: Caller, name: string): Scope => {
    const s = st().scopes[name];
    const granted = st().accesses.some((a) => a.scope === name && a.consumer_orgno === caller.orgNumber && a.state === "APPROVED");
    if (!s || (s.owner_orgno !== caller.orgNumber && s.visibility !== "PUBLIC" && !granted)) refuse(404, `Scope ${name} not found`);
    return s;
  };

  const getScopes = authed(ctx, [SCOPES_READ, SCOPES_WRITE], (req, caller) => {
    if (req.query.has("scope")) return json(200, readable(caller, scopeParam(req)));
    const own = Object.values(st().scopes).filter((s) => s.owner_orgno === caller.orgNumber && (s.active || wantsInactive(req)));
    return list(own, `Organization ${caller.orgNumber} does not have any scopes`);
  });

  const accessRecord = (scope: Scope, consumer: string, state: AccessRecord["state"]): AccessRecord => {
    const now = nowIso();
    const existing = st().accesses.find((a) => a.scope === scope.name && a.consumer_orgno === consumer);
    if (existing) {
      existing.state = state;
      existing.last_updated = now;
      return existing;
    }
    const rec: AccessRecord = {
      scope: scope.name,
      state,
      consumer_orgno: consumer,
      owner_orgno: scope.owner_orgno,
      prefix: null,
      owner_organization_name: orgName(scope.owner_orgno),
      consumer_organization_name: orgName(consumer),
      created: now,
      last_updated: now,
    };
    st().accesses.push(rec);
    return rec;
  };
  const consumerParam = (req: Request): string => {
    const orgNo = req.params["consumerOrgno"] as string;
    if (!isValidOrgNumber(orgNo)) refuse(400, `Invalid consumer organization number ${orgNo}`);
    return orgNo;
  };

  return [
    { method: "GET", template: `${base}/scopes`, handler: getScopes },
    { method: "GET", template: `${base}/scopes/scope`, handler: getScopes },
    {
      method: "POST",
      template: `${base}/scopes`,
      mutates: true,
      handler: authed(ctx, [SCOPES_WRITE], (req, caller) => {
        const body = parseBody(req, createBody, "Scope");
        const org = findOrg(st(), caller.orgNumber);
        if (!org?.scopePrefixes.includes(body.prefix))
          refuse(403, `Organization ${caller.orgNumber} does not own the prefix ${body.prefix}`);
        const name = `${body.prefix}:${body.subscope}`;
        const existing = st().scopes[name];
        if (existing)
          refuse(
            409,
            existing.active ? `Scope ${name} already exists` : `Scope ${name} already exists but is inactive; reactivate it with PUT`,
          );
        const now = nowIso();
        const blank: Scope = {
          name,
          prefix: body.prefix,
          subscope: body.subscope,
          owner_orgno: caller.orgNumber,
          active: true,
          created: now,
        } as Scope;
        const scope = { ...applyFields(blank, body, issuers()), active: true };
        st().scopes[name] = scope;
        return json(200, scope);
      }),
    },
    {
      method: "PUT",
      template: `${base}/scopes`,
      mutates: true,
      handler: authed(ctx, [SCOPES_WRITE], (req, caller) => {
        const current = ownScope(caller, scopeParam(req));
        const body = parseBody(req, updateBody, "Scope");
        if ((body.prefix && body.prefix.replace(/:$/, "") !== current.prefix) || (body.subscope && body.subscope !== current.subscope))
          refuse(400, [], [{ field: "subscope", message: "prefix and subscope cannot be changed", objectName: "Scope" }]);
        const scope = { ...applyFields(current, body, issuers()), active: body.active ?? current.active };
        st().scopes[current.name] = scope;
        return json(200, scope);
      }),
    },
    {
      method: "DELETE",
      template: `${base}/scopes`,
      mutates: true,
      handler: authed(ctx, [SCOPES_WRITE], (req, caller) => {
        const current = ownScope(caller, scopeParam(req));
        const scope = current.active ? { ...current, active: false, last_updated: nowIso() } : current;
        st().scopes[current.name] = scope;
        return json(200, scope);
      }),
    },
    {
      method: "GET",
      template: `${base}/scopes/access`,
      handler: authed(ctx, [SCOPES_READ, SCOPES_WRITE], (req, caller) => {
        const scope = ownScope(caller, scopeParam(req));
        // Always a list, [] for a scope without consumers: nais/digdirator reads it right after creating a scope and
        // fails on any 4xx, and it works against production.
        return json(
          200,
          st().accesses.filter((a) => a.scope === scope.name),
        );
      }),
    },
    {
      method: "GET",
      template: `${base}/scopes/access/all`,
      handler: authed(ctx, [SCOPES_READ, SCOPES_WRITE, DCR_READ, DCR_WRITE], (req, caller) => {
        const type = req.query.get("integration_type");
        // Spec §2: a revoked (DENIED) access and an inactive scope are deactivated entities, left out of the list
        // unless ?inactive=true.
        const inactive = wantsInactive(req);
        const records = st().accesses.filter((a) => {
          if (a.consumer_orgno !== caller.orgNumber) return false;
          if (a.state !== "APPROVED" && !(inactive && a.state === "DENIED")) return false;
          const s = st().scopes[a.scope];
          if (!s || (!s.active && !inactive)) return false;
          return !type || allowsIntegrationType(s, type);
        });
        return list(records, `Organization ${caller.orgNumber} does not have any access to scopes`);
      }),
    },
    {
      method: "PUT",
      template: `${base}/scopes/access/:consumerOrgno`,
      mutates: true,
      handler: authed(ctx, [SCOPES_WRITE], (req, caller) => {
        const consumer = consumerParam(req);
        const scope = ownScope(caller, scopeParam(req));
        return json(200, accessRecord(scope, consumer, "APPROVED"));
      }),
    },
    {
      method: "DELETE",
      template: `${base}/scopes/access/:consumerOrgno`,
      mutates: true,
      handler: authed(ctx, [SCOPES_WRITE], (req, caller) => {
        const consumer = consumerParam(req);
        const scope = ownScope(caller, scopeParam(req));
        if (!st().accesses.some((a) => a.scope === scope.name && a.consumer_orgno === consumer))
          refuse(404, `Organization ${consumer} has no access to ${scope.name}`);
        return json(200, accessRecord(scope, consumer, "DENIED"));
      }),
    },
    {
      method: "GET",
      template: `${base}/scopes/all`,
      handler: (req) =>
        unwrap(() => {
          const type = req.query.get("integration_type");
          const inactive = wantsInactive(req);
          const openOnly = queryFlag(req, "accessible_for_all");
          const delegatedOnly = queryFlag(req, "delegated_sources");
          const scopes = Object.values(st().scopes).filter(
            (s) =>
              s.visibility === "PUBLIC" &&
              (s.active || inactive) &&
              (!openOnly || s.accessible_for_all) &&
              (!delegatedOnly || s.delegation_source !== null) &&
              (!type || allowsIntegrationType(s, type)),
          );
          return json(200, scopes);
        }),
    },
    {
      method: "GET",
      template: `${base}/delegationsources`,
      handler: () => json(200, st().delegationSources),
    },
    {
      method: "GET",
      template: `${base}/prefix`,
      handler: authed(ctx, [SCOPES_READ, SCOPES_WRITE], (_req, caller) => {
        const org = findOrg(st(), caller.orgNumber);
        const prefixes = (org?.scopePrefixes ?? []).map((prefix) => ({
          prefix,
          owner_orgno: caller.orgNumber,
          organization_name: org?.name ?? null,
          created: null,
          last_updated: null,
          active: true,
        }));
        return list(prefixes, `Organization ${caller.orgNumber} does not have any prefixes`);
      }),
    },
  ];
}
