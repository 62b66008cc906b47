// /api/v1/clients: Maskinporten (and other) client registrations of the caller's org (spec §3).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type EmulatorContext } from "../core/context.js";
import { isValidOrgNumber } from "../core/orgno.js";
import { type Route, json } from "../core/router.js";
import { type ClientEntry, type DigdirClient, nowIso } from "../core/state.js";
import { type Caller, DCR_MODIFY, DCR_READ, DCR_SUPPLIER, DCR_WRITE, authed } from "./auth.js";
import { type FieldError, refuse } from "./errors.js";
import { allowsIntegrationType, orgHasAccess } from "./policy.js";
import { parseBody, wantsInactive } from "./validation.js";

const INTEGRATION_TYPES = ["maskinporten", "idporten", "api_klient", "ansattporten", "krr", "eformidling", "idporten_saml2"] as const;
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// Unknown members are ignored, as Jackson does by default; server-set members (client_id, created...) too.
const clientBody = z.looseObject({
  integration_type: z.enum(INTEGRATION_TYPES),
  description: z.string().trim().min(1, "description is required"),
  client_name: z.string().nullish(),
  application_type: z.enum(["web", "browser", "native"]).nullish(),
  token_endpoint_auth_method: z.enum(["private_key_jwt", "client_secret_basic", "client_secret_post", "none"]).nullish(),
  grant_types: z.array(z.string()).nullish(),
  scopes: z.array(z.string().min(1)).nullish(),
  client_orgno: z.string().nullish(),
  access_token_lifetime: z.number().int().nonnegative().nullish(),
  authorization_lifetime: z.number().int().nonnegative().nullish(),
  refresh_token_lifetime: z.number().int().nonnegative().nullish(),
  refresh_token_usage: z.enum(["ONETIME", "REUSE"]).nullish(),
  redirect_uris: z.array(z.string()).nullish(),
  post_logout_redirect_uris: z.array(z.string()).nullish(),
  frontchannel_logout_uri: z.string().nullish(),
  frontchannel_logout_session_required: z.boolean().nullish(),
  client_uri: z.string().nullish(),
  sso_disabled: z.boolean().nullish(),
  code_challenge_method: z.string().nullish(),
});
type ClientBody = z.infer<typeof clientBody>;

export function visibleTo(client: DigdirClient, orgNumber: string): boolean {
  return client.client_orgno === orgNumber || client.supplier_orgno === orgNumber;
}

/** The caller's client, inactive ones included; 404 in Digdir's format otherwise. */
export function ownClient(ctx: EmulatorContext, caller: Caller, clientId: string): ClientEntry {
  const entry = ctx.store.state.clients[clientId];
  if (!entry || !visibleTo(entry.client, caller.orgNumber)) refuse(404, `Client ${clientId} not found`);
  return entry;
}

function resolveOrgs(caller: Caller, body: ClientBody, existing?: DigdirClient): { client_orgno: string; supplier_orgno: string | null } {
  if (existing) return { client_orgno: existing.client_orgno, supplier_orgno: existing.supplier_orgno };
  const wanted = body.client_orgno ?? caller.orgNumber;
  if (wanted === caller.orgNumber) return { client_orgno: wanted, supplier_orgno: null };
  if (!isValidOrgNumber(wanted))
    refuse(400, [], [{ field: "client_orgno", message: `client_orgno ${wanted} is not a valid organisation number` }]);
  if (!caller.scopes.has(DCR_SUPPLIER))
    refuse(403, `Creating clients for another organisation (${wanted}) requires the scope ${DCR_SUPPLIER}`);
  return { client_orgno: wanted, supplier_orgno: caller.orgNumber };
}

function checkRules(ctx: EmulatorContext, body: ClientBody, clientOrg: string, existing?: DigdirClient): void {
  const errors: FieldError[] = [];
  const scopes = body.scopes ?? [];
  if (body.integration_type === "maskinporten") {
    if (scopes.length === 0) errors.push({ field: "scopes", message: "A maskinporten client must have at least one scope" });
    if (body.token_endpoint_auth_method && body.token_endpoint_auth_method !== "private_key_jwt")
      errors.push({ field: "token_endpoint_auth_method", message: "maskinporten clients must use private_key_jwt" });
    const grants = body.grant_types ?? [JWT_BEARER];
    if (!grants.every((g) => g === JWT_BEARER || g === "jwt_bearer_token"))
      errors.push({ field: "grant_types", message: `maskinporten clients only support ${JWT_BEARER}` });
  }
  for (const name of new Set(scopes)) {
    // A scope deactivated after it was put on the client stays there (spec §2: clients keep the scope).
    if (existing?.scopes.includes(name) && ctx.store.state.scopes[name]?.active === false) continue;
    const scope = ctx.store.state.scopes[name];
    if (!scope || !scope.active) errors.push({ field: "scopes", message: `Scope ${name} does not exist` });
    else if (!allowsIntegrationType(scope, body.integration_type))
      errors.push({ field: "scopes", message: `Scope ${name} is not allowed for integration type ${body.integration_type}` });
    else if (!orgHasAccess(ctx.store.state, clientOrg, scope) && !scope.delegation_source)
      errors.push({ field: "scopes", message: `Organization ${clientOrg} has not been granted access to scope ${name}` });
  }
  if (errors.length > 0) refuse(400, [], errors);
}

function build(
  id: string,
  body: ClientBody,
  orgs: { client_orgno: string; supplier_orgno: string | null },
  created: string,
  active: boolean,
): DigdirClient {
  const now = nowIso();
  const mp = body.integration_type === "maskinporten";
  return {
    client_id: id,
    client_name: body.client_name ?? null,
    description: body.description,
    integration_type: body.integration_type,
    application_type: body.application_type ?? "web",
    token_endpoint_auth_method: body.token_endpoint_auth_method ?? (mp ? "private_key_jwt" : "client_secret_basic"),
    grant_types: body.grant_types ?? (mp ? [JWT_BEARER] : []),
    scopes: [...new Set(body.scopes ?? [])],
    client_orgno: orgs.client_orgno,
    supplier_orgno: orgs.supplier_orgno,
    access_token_lifetime: body.access_token_lifetime ?? 0,
    authorization_lifetime: body.authorization_lifetime ?? 0,
    refresh_token_lifetime: body.refresh_token_lifetime ?? null,
    refresh_token_usage: body.refresh_token_usage ?? null,
    redirect_uris: body.redirect_uris ?? null,
    post_logout_redirect_uris: body.post_logout_redirect_uris ?? null,
    frontchannel_logout_uri: body.frontchannel_logout_uri ?? null,
    frontchannel_logout_session_required: body.frontchannel_logout_session_required ?? null,
    client_uri: body.client_uri ?? null,
    sso_disabled: body.sso_disabled ?? null,
    code_challenge_method: body.code_challenge_method ?? null,
    jwks_uri: `/clients/${id}/jwks`,
    onbehalfof: [],
    active,
    created,
    last_updated: now,
  };
}

export function clientRoutes(ctx: EmulatorContext, base: string): Route[] {
  const st = () => ctx.store.state;
  return [
    {
      method: "GET",
      template: `${base}/clients`,
      handler: authed(ctx, [DCR_READ], (req, caller) => {
        const all = Object.values(st().clients).map((e) => e.client);
        return json(
          200,
          all.filter((c) => visibleTo(c, caller.orgNumber) && (c.active || wantsInactive(req))),
        );
      }),
    },
    {
      method: "GET",
      template: `${base}/clients/:clientId`,
      handler: authed(ctx, [DCR_READ], (req, caller) => json(200, ownClient(ctx, caller, req.params["clientId"] as string).client)),
    },
    {
      method: "POST",
      template: `${base}/clients`,
      mutates: true,
      handler: authed(ctx, [DCR_WRITE], (req, caller) => {
        const body = parseBody(req, clientBody, "Client");
        const orgs = resolveOrgs(caller, body);
        checkRules(ctx, body, orgs.client_orgno);
        const id = randomUUID();
        const client = build(id, body, orgs, nowIso(), true);
        st().clients[id] = { client, jwks: null };
        return json(200, client);
      }),
    },
    {
      method: "PUT",
      template: `${base}/clients/:clientId`,
      mutates: true,
      handler: authed(ctx, [DCR_WRITE, DCR_MODIFY], (req, caller) => {
        const entry = ownClient(ctx, caller, req.params["clientId"] as string);
        const body = parseBody(req, clientBody, "Client");
        if (body.integration_type !== entry.client.integration_type)
          refuse(
            400,
            [],
            [{ field: "integration_type", message: `integration_type cannot be changed (is ${entry.client.integration_type})` }],
          );
        checkRules(ctx, body, entry.client.client_orgno, entry.client);
        entry.client = build(
          entry.client.client_id,
          body,
          resolveOrgs(caller, body, entry.client),
          entry.client.created,
          entry.client.active,
        );
        return json(200, entry.client);
      }),
    },
    {
      method: "DELETE",
      template: `${base}/clients/:clientId`,
      mutates: true,
      handler: authed(ctx, [DCR_WRITE, DCR_MODIFY], (req, caller) => {
        const entry = ownClient(ctx, caller, req.params["clientId"] as string);
        if (entry.client.active) entry.client = { ...entry.client, active: false, last_updated: nowIso() };
        return { status: 200 };
      }),
    },
  ];
}
