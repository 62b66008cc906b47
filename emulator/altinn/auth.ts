// Altinn Authentication: the Maskinporten -> Altinn token exchange, the Altinn token's discovery documents, and
// the bearer/scope/subscription-key checks every Altinn API of the emulator shares (shared/specs/altinn-registry.md §0-1).
import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Handler, type Reply, type Request, type Route, json } from "../core/router.js";
import { type Organization } from "../core/state.js";
import { verifyAccessToken } from "../maskinporten/index.js";
import { AltinnFailure, aspnetProblem, fail, forbid, stringReply } from "./errors.js";

export const AUTH_BASE = "/authentication/api/v1";
/** appsettings `JwtValidityMinutes`. */
export const ALTINN_TOKEN_MINUTES = 30;

export function altinnIssuer(ctx: EmulatorContext): string {
  return `${ctx.origin}${AUTH_BASE}/openid/`;
}

export interface AltinnCaller {
  /** The caller's organisation: `urn:altinn:orgNumber`, else `consumer.ID` without `0192:`. */
  readonly orgNumber: string;
  /** `urn:altinn:org` (exchanged tokens of service owners only). */
  readonly orgCode: string | undefined;
  readonly scopes: ReadonlySet<string>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly tokenKind: "altinn" | "maskinporten";
  /** For system-user tokens: `authorization_details[0].systemuser_org.ID` without the prefix, and the system user id. */
  readonly systemUser: { readonly orgNumber: string; readonly id: string | undefined } | undefined;
}

export function hasAnyScope(caller: AltinnCaller, anyOf: readonly string[]): boolean {
  return anyOf.some((s) => caller.scopes.has(s));
}

/** Missing scope: 403 with an empty body (`Forbid()`). */
export function requireScope(caller: AltinnCaller, anyOf: readonly string[]): void {
  if (!hasAnyScope(caller, anyOf)) fail(forbid());
}

export function serviceOwnerByOrgNumber(ctx: EmulatorContext, orgNumber: string): Organization | undefined {
  return ctx.store.state.organizations.find((o) => o.serviceOwner && o.orgNumber === orgNumber);
}

export function serviceOwnerByCode(ctx: EmulatorContext, code: string): Organization | undefined {
  return ctx.store.state.organizations.find((o) => o.serviceOwner && o.orgCode.toLowerCase() === code.toLowerCase());
}

function bearer(req: Request): string | undefined {
  const h = req.headers["authorization"];
  return typeof h === "string" ? /^Bearer\s+(\S+)$/i.exec(h)?.[1] : undefined;
}

const orgFromId = (id: unknown): string | undefined => (typeof id === "string" ? /^0192:(\d{9})$/.exec(id)?.[1] : undefined);

async function verifyAltinnToken(ctx: EmulatorContext, token: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jose.jwtVerify(token, ctx.pki.signingPublicKey, { issuer: altinnIssuer(ctx), algorithms: ["RS256"] });
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function callerOf(claims: Record<string, unknown>, tokenKind: AltinnCaller["tokenKind"]): AltinnCaller | undefined {
  const consumer = claims["consumer"] as { ID?: unknown } | undefined;
  const orgNumber =
    typeof claims["urn:altinn:orgNumber"] === "string" ? (claims["urn:altinn:orgNumber"] as string) : orgFromId(consumer?.ID);
  if (!orgNumber) return undefined;
  const details = Array.isArray(claims["authorization_details"]) ? (claims["authorization_details"] as Record<string, unknown>[]) : [];
  const su = details.find((d) => d["type"] === "urn:altinn:systemuser");
  const suOrg = su ? orgFromId((su["systemuser_org"] as { ID?: unknown } | undefined)?.ID) : undefined;
  const suIds = su?.["systemuser_id"];
  return {
    orgNumber,
    orgCode: typeof claims["urn:altinn:org"] === "string" ? (claims["urn:altinn:org"] as string) : undefined,
    scopes: new Set(typeof claims["scope"] === "string" ? (claims["scope"] as string).split(" ").filter(Boolean) : []),
    claims,
    tokenKind,
    systemUser: suOrg ? { orgNumber: suOrg, id: Array.isArray(suIds) && typeof suIds[0] === "string" ? suIds[0] : undefined } : undefined,
  };
}

/**
 * APIM in front of platform.*: `Ocp-Apim-Subscription-Key` is always accepted and, when the seed lists keys, required
 * (401 in APIM's own body format otherwise).
 */
function subscriptionKeyRefusal(ctx: EmulatorContext, req: Request): Reply | undefined {
  const keys = altinnSettings(ctx).subscriptionKeys;
  if (keys.length === 0) return undefined;
  const sent = req.headers["ocp-apim-subscription-key"];
  if (typeof sent !== "string" || sent === "")
    return json(401, {
      statusCode: 401,
      message: "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.",
    });
  if (!keys.includes(sent))
    return json(401, {
      statusCode: 401,
      message: "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.",
    });
  return undefined;
}

/** The caller of a bearer token: an Altinn token, or (when allowed) a Maskinporten token; undefined when neither verifies. */
export async function callerFromToken(ctx: EmulatorContext, token: string, allowMaskinporten: boolean): Promise<AltinnCaller | undefined> {
  const altinn = await verifyAltinnToken(ctx, token);
  if (altinn) return callerOf(altinn, "altinn");
  if (!allowMaskinporten) return undefined;
  const mp = await verifyAccessToken(ctx, token);
  return mp ? callerOf(mp as unknown as Record<string, unknown>, "maskinporten") : undefined;
}

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | undefined {
  return bearer(req);
}

/** Which bearer tokens an endpoint takes. */
export type TokenPolicy = "anonymous" | "altinn" | "altinn-or-maskinporten";

const unauthorized = (): Reply => ({ status: 401, headers: { "www-authenticate": "Bearer" } });

/**
 * Wraps an Altinn API handler: subscription key, then the bearer token (401, empty body, when missing or invalid;
 * `anonymous` endpoints ignore it), then the handler, whose `AltinnFailure`s become replies.
 */
export function altinnHandler(ctx: EmulatorContext, policy: "anonymous", handler: (req: Request) => Reply | Promise<Reply>): Handler;
export function altinnHandler(
  ctx: EmulatorContext,
  policy: "altinn" | "altinn-or-maskinporten",
  handler: (req: Request, caller: AltinnCaller) => Reply | Promise<Reply>,
): Handler;
export function altinnHandler(
  ctx: EmulatorContext,
  policy: TokenPolicy,
  handler: (req: Request, caller: AltinnCaller) => Reply | Promise<Reply>,
): Handler {
  return async (req) => {
    const keyRefusal = subscriptionKeyRefusal(ctx, req);
    if (keyRefusal) return keyRefusal;
    let caller: AltinnCaller | undefined;
    if (policy !== "anonymous") {
      const token = bearer(req);
      if (!token) return unauthorized();
      caller = await callerFromToken(ctx, token, policy === "altinn-or-maskinporten");
      if (!caller) return unauthorized();
    }
    try {
      return await handler(req, caller as AltinnCaller);
    } catch (err) {
      if (err instanceof AltinnFailure) return err.reply;
      throw err;
    }
  };
}

async function signAltinnToken(ctx: EmulatorContext, claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, iss: altinnIssuer(ctx), sid: randomUUID(), iat: now, nbf: now, exp: now + ALTINN_TOKEN_MINUTES * 60 };
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "RS256", kid: ctx.pki.signingKid, typ: "JWT" })
    .sign(ctx.pki.signingKey);
}

/** Maskinporten claims that do not carry over into the Altinn token. */
const DROPPED = new Set(["aud", "iss", "client_amr", "sid", "iat", "nbf", "exp"]);

async function exchange(ctx: EmulatorContext, req: Request): Promise<Reply> {
  const provider = (req.params["tokenProvider"] ?? "").toLowerCase();
  if (req.headers["x-altinn-enterpriseuser-authentication"] !== undefined) return aspnetProblem(410);
  if (!["maskinporten", "id-porten", "altinnstudio"].includes(provider))
    return stringReply(400, `Invalid token provider: ${req.params["tokenProvider"] ?? ""}`, false);
  // The emulator issues Maskinporten tokens only; ID-porten and Altinn Studio tokens can never verify here.
  const token = bearer(req);
  const mp = token && provider === "maskinporten" ? await verifyAccessToken(ctx, token) : undefined;
  const orgNumber = mp && mp.consumer.authority === "iso6523-actorid-upis" ? orgFromId(mp.consumer.ID) : undefined;
  if (!mp || !orgNumber) return aspnetProblem(401);

  const claims: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mp)) if (!DROPPED.has(k)) claims[k] = v;
  claims["urn:altinn:orgNumber"] = orgNumber;
  claims["urn:altinn:authenticatemethod"] = "maskinporten";
  claims["urn:altinn:authlevel"] = 3;
  const scopes = mp.scope.split(" ");
  const owner = serviceOwnerByOrgNumber(ctx, orgNumber);
  if (owner && scopes.includes("altinn:serviceowner")) {
    // `?test=true` only turns digdir into ttd (Altinn's test service owner).
    const test = (req.query.get("test") ?? "").toLowerCase() === "true";
    claims["urn:altinn:org"] = test && owner.orgCode === "digdir" ? "ttd" : owner.orgCode;
  }
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: await signAltinnToken(ctx, claims) };
}

export function authenticationRoutes(ctx: EmulatorContext): Route[] {
  return [
    {
      method: "GET",
      template: `${AUTH_BASE}/exchange/:tokenProvider`,
      handler: altinnHandler(ctx, "anonymous", (req) => exchange(ctx, req)),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/refresh`,
      handler: altinnHandler(ctx, "altinn", async (_req, caller) => {
        const claims: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(caller.claims)) if (!DROPPED.has(k) && k !== "iss") claims[k] = v;
        return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: await signAltinnToken(ctx, claims) };
      }),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/openid/.well-known/openid-configuration`,
      handler: () =>
        json(200, {
          issuer: altinnIssuer(ctx),
          jwks_uri: `${ctx.origin}${AUTH_BASE}/openid/.well-known/openid-configuration/jwks`,
          id_token_signing_alg_values_supported: ["RS256"],
          token_endpoint_auth_signing_alg_values_supported: ["RS256"],
        }),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/openid/.well-known/openid-configuration/jwks`,
      handler: async () => {
        const jwk = await jose.exportJWK(ctx.pki.signingPublicKey);
        return json(200, { keys: [{ ...jwk, kid: ctx.pki.signingKid, alg: "RS256", use: "sig" }] });
      },
    },
  ];
}
