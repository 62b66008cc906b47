// POST /token: the JWT-bearer grant (shared/specs/maskinporten.md §6).
import * as jose from "jose";
import { createPublicKey, type KeyObject } from "node:crypto";
import { type EmulatorContext, issuerOf } from "../core/context.js";
import { checkX5c } from "../core/pki.js";
import { type Reply, type Request } from "../core/router.js";
import { type ClientEntry, type Scope } from "../core/state.js";
import { allowsIntegrationType, orgHasAccess } from "../digdir/policy.js";
import { issueAccessToken, orgClaim } from "./access-token.js";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const ALGS = ["RS256", "RS384", "RS512"];
/** Maskinporten's default access-token lifetime when neither the client nor a scope says otherwise. */
export const DEFAULT_TOKEN_LIFETIME = 120;
const MAX_GRANT_LIFETIME = 120;
const CLOCK_SKEW = 10;
/**
 * Claims the grant may carry. The newer docs refuse unknown claims ("Invalid assertion"); `nbf` and `sub` are
 * tolerated because digdirator and Altinn's examples send them and they work against the real service.
 */
const KNOWN_CLAIMS = new Set([
  "aud",
  "iss",
  "scope",
  "iat",
  "exp",
  "jti",
  "resource",
  "pid",
  "consumer_org",
  "iss_onbehalfof",
  "authorization_details",
  "nbf",
  "sub",
]);

/** Part 2 (Altinn system users) plugs in here; without a handler `authorization_details` is refused with MP-301. */
export type AuthorizationDetailsHandler = (
  details: unknown,
  client: ClientEntry["client"],
) => { ok: true; details: unknown[] } | { ok: false; code: string; message: string };

class GrantError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(code: string, message: string, error = "invalid_grant", status = 400): never {
  throw new GrantError(status, error, code, message);
}

export function tokenHandler(ctx: EmulatorContext, authorizationDetails?: () => AuthorizationDetailsHandler | undefined) {
  return async (req: Request): Promise<Reply> => {
    let clientId = "(unknown)";
    try {
      const result = await grant(ctx, req, (id) => (clientId = id), authorizationDetails?.());
      ctx.metrics.countToken(clientId, true);
      return { status: 200, body: result, headers: { "cache-control": "no-store" } };
    } catch (err) {
      if (!(err instanceof GrantError)) throw err;
      ctx.metrics.countToken(clientId, false);
      return {
        status: err.status,
        body: { error: err.error, error_description: `${err.code}: ${err.message}` },
        headers: { "cache-control": "no-store" },
      };
    }
  };
}

async function grant(
  ctx: EmulatorContext,
  req: Request,
  seenClient: (id: string) => void,
  adHandler: AuthorizationDetailsHandler | undefined,
): Promise<Record<string, unknown>> {
  const contentType = String(req.headers["content-type"] ?? "");
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    fail("MP-011", "Content-Type must be application/x-www-form-urlencoded", "invalid_request");
  const form = new URLSearchParams(req.body.toString("utf8"));
  const grantType = form.get("grant_type");
  if (grantType !== JWT_BEARER)
    fail("MP-011", `Unsupported grant_type ${grantType ?? "(missing)"}; use ${JWT_BEARER}`, "unsupported_grant_type");
  const assertion = form.get("assertion");
  if (!assertion) fail("MP-011", "Missing assertion", "invalid_request");

  let header: jose.ProtectedHeaderParameters;
  let claims: jose.JWTPayload;
  try {
    header = jose.decodeProtectedHeader(assertion);
    claims = jose.decodeJwt(assertion);
  } catch {
    fail("MP-011", "Invalid assertion: not a signed JWT", "invalid_request");
  }
  const alg = header.alg ?? "";
  if (!ALGS.includes(alg)) fail("MP-011", `Invalid assertion: alg must be one of ${ALGS.join(", ")}`, "invalid_request");
  if ((header.kid === undefined) === (header.x5c === undefined))
    fail("MP-011", "Invalid assertion: the header must carry exactly one of kid and x5c", "invalid_request");
  const unknown = Object.keys(claims).filter((c) => !KNOWN_CLAIMS.has(c));
  if (unknown.length > 0) fail("MP-011", `Invalid assertion: unknown claims ${unknown.join(", ")}`, "invalid_request");

  if (typeof claims.iss !== "string") fail("MP-100", "Invalid assertion: missing iss (the client_id)");
  seenClient(claims.iss);
  const entry = ctx.store.state.clients[claims.iss];
  if (!entry || !entry.client.active || entry.client.integration_type !== "maskinporten")
    fail("MP-100", `Invalid assertion: unknown client ${claims.iss}`);
  const client = entry.client;

  if (typeof claims.aud !== "string" || claims.aud !== issuerOf(ctx))
    fail("MP-110", `Invalid assertion: aud must be the single value ${issuerOf(ctx)}`);

  const nowSec = Math.floor(Date.now() / 1000);
  const { key, amr } = clientKey(ctx, entry, header, alg, nowSec);
  try {
    await jose.compactVerify(assertion, key, { algorithms: [alg] });
  } catch {
    fail("MP-124", "Invalid assertion: signature verification failed");
  }

  if (typeof claims.iat !== "number" || typeof claims.exp !== "number")
    fail("MP-011", "Invalid assertion: iat and exp are required", "invalid_request");
  if (claims.exp - claims.iat > MAX_GRANT_LIFETIME)
    fail("MP-130", `Invalid assertion: exp - iat must be at most ${MAX_GRANT_LIFETIME} seconds`);
  if (claims.iat > nowSec + CLOCK_SKEW) fail("MP-130", "Invalid assertion: issue time is after now");
  if (claims.iat < nowSec - CLOCK_SKEW) fail("MP-130", `Invalid assertion: iat must be within ${CLOCK_SKEW} seconds of the server time`);
  if (claims.exp <= nowSec) fail("MP-130", "Invalid assertion: JWT expired");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > nowSec + CLOCK_SKEW))
    fail("MP-130", "Invalid assertion: not valid yet (nbf)");
  if (claims.jti !== undefined) {
    if (typeof claims.jti !== "string" || claims.jti.length === 0)
      fail("MP-011", "Invalid assertion: jti must be a string", "invalid_request");
    if (!ctx.jti.remember(client.client_id, claims.jti, claims.exp, nowSec))
      fail("MP-012", "Invalid assertion: the grant (jti) has already been used");
  }

  if (typeof claims.scope !== "string" || claims.scope.trim() === "") fail("MP-011", "Missing scope", "invalid_request");
  const requested = [...new Set(claims.scope.trim().split(/\s+/))];
  const scopes: Scope[] = [];
  for (const name of requested) {
    if (!client.scopes.includes(name)) fail("MP-200", `Scope ${name} is not registered on the client`, "invalid_scope");
    const scope = ctx.store.state.scopes[name];
    if (!scope || !scope.active) fail("MP-200", `Scope ${name} does not exist or is not active`, "invalid_scope");
    if (!allowsIntegrationType(scope, "maskinporten"))
      fail("MP-201", `Scope ${name} does not allow integration type maskinporten`, "invalid_scope");
    scopes.push(scope);
  }

  let consumer = client.client_orgno;
  let supplier: string | undefined;
  let delegationSource: string | undefined;
  if (claims.consumer_org !== undefined) {
    const co = claims.consumer_org;
    if (typeof co !== "string" || !/^\d{9}$/.test(co))
      fail("MP-011", "consumer_org must be a nine-digit organisation number", "invalid_request");
    if (co === client.client_orgno) fail("MP-251", "consumer_org must differ from the client's own organisation", "access_denied", 403);
    for (const s of scopes) {
      const delegated = ctx.store.state.delegations.some(
        (d) => d.scope === s.name && d.consumerOrgNumber === co && d.supplierOrgNumber === client.client_orgno,
      );
      if (!s.delegation_source || !delegated)
        fail("MP-251", `No Altinn delegation of ${s.name} from ${co} to ${client.client_orgno}`, "access_denied", 403);
      delegationSource = s.delegation_source;
    }
    consumer = co;
    supplier = client.client_orgno;
  } else {
    for (const s of scopes)
      if (!orgHasAccess(ctx.store.state, client.client_orgno, s))
        fail("MP-250", `Organisation ${client.client_orgno} has no access to scope ${s.name}`, "access_denied", 403);
  }

  let aud: string | string[] | undefined;
  if (claims.resource !== undefined) {
    const r = claims.resource;
    if (!(typeof r === "string" || (Array.isArray(r) && r.length > 0 && r.every((x) => typeof x === "string"))))
      fail("MP-011", "resource must be a string or an array of strings", "invalid_request");
    aud = r as string | string[];
  }

  let authorizationDetails: unknown[] | undefined;
  if (claims.authorization_details !== undefined) {
    if (!adHandler) fail("MP-301", "authorization_details is not supported by this emulator yet", "invalid_request");
    const r = adHandler(claims.authorization_details, client);
    if (!r.ok) fail(r.code, r.message, "invalid_request");
    authorizationDetails = r.details;
  }

  const lifetime = Math.min(
    client.access_token_lifetime > 0 ? client.access_token_lifetime : DEFAULT_TOKEN_LIFETIME,
    ...scopes.map((s) => (s.at_max_age > 0 ? s.at_max_age : Infinity)),
  );
  const scope = requested.join(" ");
  const accessToken = await issueAccessToken(
    ctx,
    {
      scope,
      client_amr: amr,
      client_id: client.client_id,
      consumer: orgClaim(consumer),
      ...(supplier ? { supplier: orgClaim(supplier) } : {}),
      ...(delegationSource ? { delegation_source: delegationSource } : {}),
      ...(aud ? { aud } : {}),
      ...(typeof claims.pid === "string" ? { pid: claims.pid } : {}),
      ...(authorizationDetails ? { authorization_details: authorizationDetails } : {}),
    },
    lifetime,
  );
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: lifetime,
    scope,
    ...(authorizationDetails ? { authorization_details: authorizationDetails } : {}),
  };
}

function clientKey(
  ctx: EmulatorContext,
  entry: ClientEntry,
  header: jose.ProtectedHeaderParameters,
  alg: string,
  nowSec: number,
): { key: KeyObject | jose.CryptoKey | Uint8Array; amr: "private_key_jwt" | "virksomhetssertifikat" } {
  const keys = entry.jwks?.keys ?? [];
  if (header.x5c !== undefined) {
    if (keys.length > 0) fail("MP-100", "Client has registered keys: the grant must use kid, not x5c");
    const check = checkX5c(header.x5c, ctx.pki.caCertificate);
    if (!check.ok) {
      if (check.reason === "malformed") fail("MP-123", "Invalid x5c: not a base64 DER certificate chain");
      fail("MP-120", `Invalid certificate (${check.reason}): not a valid business certificate from the test CA`);
    }
    if (check.orgNumber !== entry.client.client_orgno)
      fail("MP-122", `Certificate organisation ${check.orgNumber} is not the client's organisation ${entry.client.client_orgno}`);
    return { key: check.publicKey, amr: "virksomhetssertifikat" };
  }
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) fail("MP-100", `Client authentication failed: unknown kid ${String(header.kid)}`);
  if (jwk.exp <= nowSec) fail("MP-121", `Expired key ${jwk.kid}`);
  if (jwk.alg && jwk.alg !== alg) fail("MP-124", `Key ${jwk.kid} is registered for ${jwk.alg}, the grant uses ${alg}`);
  return { key: publicKeyOf(jwk), amr: "private_key_jwt" };
}

function publicKeyOf(jwk: { kty: string; n: string; e: string }): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: "jwk" });
}
