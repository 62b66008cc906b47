/**
 * Token sources. A Maskinporten JWT-bearer grant signed with jose (`kid` or `x5c` header), and the Altinn token
 * exchange. Both are cached per (environment, client, scope set) until shortly before expiry, and concurrent
 * callers share one in-flight request, so a stack of a hundred resources asks for one token.
 */
import { randomUUID } from "node:crypto";

import { SignJWT, decodeJwt } from "jose";
import { z } from "zod";

import type { AdminCredential, AdminSigner } from "./credentials.js";
import { setting, type Environment } from "./environments.js";
import { ApiClient } from "./http.js";

/** Tokens are refreshed this long before they expire, so a call never leaves with a token about to die. */
const EARLY_MS = 30_000;

interface Cached {
  readonly token: Promise<string>;
  /** Epoch ms after which a new token must be fetched; Infinity while the request is in flight. */
  expiresAt: number;
}

const cache = new Map<string, Cached>();

/** Test hook: drop every cached token. */
export function clearTokenCache(): void {
  cache.clear();
}

function cached(key: string, fetch: () => Promise<{ token: string; expiresAt: number }>): Promise<string> {
  const hit = cache.get(key);
  if (hit && Date.now() < hit.expiresAt) return hit.token;
  const entry: Cached = {
    expiresAt: Number.POSITIVE_INFINITY,
    token: fetch().then(
      (r) => {
        entry.expiresAt = r.expiresAt - EARLY_MS;
        return r.token;
      },
      (e: unknown) => {
        if (cache.get(key) === entry) cache.delete(key);
        throw e;
      },
    ),
  };
  cache.set(key, entry);
  return entry.token;
}

/** Drops a cached token, e.g. after the API answered 401 to it. */
export function forgetToken(env: Environment, clientId: string, scopes: readonly string[]): void {
  cache.delete(maskinportenKey(env, clientId, scopes));
  cache.delete(`altinn|${maskinportenKey(env, clientId, scopes)}`);
}

function scopeSet(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(" ");
}

function maskinportenKey(env: Environment, clientId: string, scopes: readonly string[]): string {
  return `${env.name}|${env.maskinportenIssuer}|${clientId}|${scopeSet(scopes)}`;
}

/** Signs a JWT-bearer grant (RFC 7523) the way Maskinporten wants it: aud = issuer, exp - iat <= 120 s. */
export async function signGrant(
  signer: AdminSigner,
  clientId: string,
  issuer: string,
  scopes: readonly string[],
  extraClaims: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = signer.kind === "kid" ? { alg: signer.alg, kid: signer.kid } : { alg: "RS256" as const, x5c: [...signer.chain] };
  return new SignJWT({ ...extraClaims, scope: scopeSet(scopes) })
    .setProtectedHeader(header)
    .setIssuer(clientId)
    .setAudience(issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 100)
    .setJti(randomUUID())
    .sign(signer.key);
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
});

function expiryOf(token: string, expiresIn: number | undefined): number {
  if (expiresIn !== undefined) return Date.now() + expiresIn * 1000;
  try {
    const exp = decodeJwt(token).exp;
    if (typeof exp === "number") return exp * 1000;
  } catch {
    // not a JWT: fall through to a short default
  }
  return Date.now() + 60_000;
}

/** A Maskinporten access token for a client (admin or not), cached per (environment, client, scope set). */
export function maskinportenToken(
  env: Environment,
  cred: Pick<AdminCredential, "clientId" | "signer">,
  scopes: readonly string[],
): Promise<string> {
  return cached(maskinportenKey(env, cred.clientId, scopes), async () => {
    const assertion = await signGrant(cred.signer, cred.clientId, env.maskinportenIssuer, scopes);
    const client = new ApiClient("Maskinporten token endpoint", env.maskinportenTokenUrl);
    const req = {
      method: "POST" as const,
      path: "",
      form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion },
      // A token request has no side effect: retrying it is safe (a fresh jti would be better, but the
      // replay cache only rejects a grant that was accepted, and then we have the token anyway).
      idempotent: false,
      subject: { resource: `admin client ${cred.clientId} (scopes ${scopeSet(scopes)})` },
      hints: {
        400: "Maskinporten rejected the admin grant: check that the admin client id, key/certificate and admin scopes for this environment are right (the MP-xxx code says which)",
        403: "the admin client's organisation lacks one of the requested admin scopes: ask Digdir (servicedesk@digdir.no)",
      },
    };
    const body = await client.json(req, tokenResponse);
    return { token: body.access_token, expiresAt: expiryOf(body.access_token, body.expires_in) };
  });
}

/**
 * A Maskinporten token for a system user: the vendor's client asks on behalf of the system user its customer
 * `customerOrg` accepted (a grant with `authorization_details` of type `urn:altinn:systemuser`). Cached like the
 * others, per customer too.
 */
export function systemUserToken(
  env: Environment,
  cred: Pick<AdminCredential, "clientId" | "signer">,
  scopes: readonly string[],
  customerOrg: string,
): Promise<string> {
  return cached(`systemuser|${customerOrg}|${maskinportenKey(env, cred.clientId, scopes)}`, async () => {
    const assertion = await signGrant(cred.signer, cred.clientId, env.maskinportenIssuer, scopes, {
      authorization_details: [
        { type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${customerOrg}` } },
      ],
    });
    const client = new ApiClient("Maskinporten token endpoint", env.maskinportenTokenUrl);
    const body = await client.json(
      {
        method: "POST",
        path: "",
        form: { grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion },
        idempotent: false,
        subject: { resource: `system user of client ${cred.clientId} for ${customerOrg}` },
        hints: {
          400: `Maskinporten refused the system-user grant: organisation ${customerOrg} must have accepted a system-user request for the system that uses this client`,
        },
      },
      tokenResponse,
    );
    return { token: body.access_token, expiresAt: expiryOf(body.access_token, body.expires_in) };
  });
}

/**
 * Headers every Altinn platform call carries: the API Management subscription key, where the environment's
 * config names one (`altinnSubscriptionKey`, a secret; never an input, never in an error).
 */
export function altinnHeaders(): Record<string, string> {
  const key = setting("altinnSubscriptionKey");
  return key === undefined ? {} : { "ocp-apim-subscription-key": key };
}

/**
 * An Altinn token for a Maskinporten client: `GET {altinn}/authentication/api/v1/exchange/maskinporten` with the
 * Maskinporten token, which answers the Altinn JWT as text/plain. Cached like Maskinporten tokens.
 */
export function altinnToken(
  env: Environment,
  cred: Pick<AdminCredential, "clientId" | "signer">,
  scopes: readonly string[],
): Promise<string> {
  return cached(`altinn|${maskinportenKey(env, cred.clientId, scopes)}`, async () => {
    const mp = await maskinportenToken(env, cred, scopes);
    const client = new ApiClient("Altinn authentication", env.altinnUrl);
    const res = await client.send({
      method: "GET",
      path: "/authentication/api/v1/exchange/maskinporten",
      token: mp,
      headers: altinnHeaders(),
      subject: { resource: `client ${cred.clientId}` },
      hints: {
        401: "Altinn rejected the Maskinporten token: check that this environment's Maskinporten and Altinn belong together (test with tt02)",
      },
    });
    const token = res.text.trim().replace(/^"|"$/g, "");
    return { token, expiresAt: expiryOf(token, undefined) };
  });
}
