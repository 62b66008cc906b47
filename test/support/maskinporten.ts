/**
 * Test-side Maskinporten and self-service calls, written from the spec with jose and fetch: the e2e tests use
 * them to check what the providers did and to change things out of band, independently of providers/.
 */
import { createPrivateKey, randomUUID, type JsonWebKey } from "node:crypto";

import * as jose from "jose";

export interface EmulatorOrg {
  orgNumber: string;
  orgCode: string;
  name: string;
  serviceOwner: boolean;
  adminClient: { clientId: string; scopes: string[]; certificatePem: string; certificateKeyPem: string };
}

export async function emulatorOrgs(emulatorUrl: string): Promise<EmulatorOrg[]> {
  const res = await fetch(`${emulatorUrl}/__emulator/credentials`);
  if (!res.ok) throw new Error(`GET /__emulator/credentials: ${res.status}`);
  return ((await res.json()) as { organizations: EmulatorOrg[] }).organizations;
}

export interface TokenResponse {
  status: number;
  body: { access_token?: string; expires_in?: number; scope?: string; error?: string; error_description?: string };
}

async function postGrant(emulatorUrl: string, assertion: string): Promise<TokenResponse> {
  const res = await fetch(`${emulatorUrl}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
  });
  return { status: res.status, body: (await res.json()) as TokenResponse["body"] };
}

function grantClaims(emulatorUrl: string, clientId: string, scopes: readonly string[]): jose.JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { aud: `${emulatorUrl}/`, iss: clientId, scope: scopes.join(" "), iat: now, exp: now + 60, jti: randomUUID() };
}

/** A token for a client with one of its registered keys (`kid` grant). */
export async function clientToken(
  emulatorUrl: string,
  clientId: string,
  privateJwk: jose.JWK,
  scopes: readonly string[],
): Promise<TokenResponse> {
  if (!privateJwk.kid) throw new Error("the private JWK has no kid");
  const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: "jwk" });
  const assertion = await new jose.SignJWT(grantClaims(emulatorUrl, clientId, scopes))
    .setProtectedHeader({ alg: "RS256", kid: privateJwk.kid })
    .sign(key);
  return postGrant(emulatorUrl, assertion);
}

/** An admin token for a seeded organisation (`x5c` grant with its test business certificate). */
export async function adminToken(
  emulatorUrl: string,
  org: EmulatorOrg,
  scopes: readonly string[] = org.adminClient.scopes,
): Promise<string> {
  const chain = [...org.adminClient.certificatePem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    (m[1] ?? "").replace(/\s+/g, ""),
  );
  const key = createPrivateKey(org.adminClient.certificateKeyPem);
  const assertion = await new jose.SignJWT(grantClaims(emulatorUrl, org.adminClient.clientId, scopes))
    .setProtectedHeader({ alg: "RS256", x5c: chain })
    .sign(key);
  const res = await postGrant(emulatorUrl, assertion);
  if (res.status !== 200 || !res.body.access_token)
    throw new Error(`admin token for ${org.orgNumber}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token;
}

/** A call to the Digdir self-service API (`/api/v1`) as an organisation's admin client. */
export async function selfService(
  emulatorUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${emulatorUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
