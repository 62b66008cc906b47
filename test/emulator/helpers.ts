// Test helpers that talk to the emulator the way a client written from the spec would: over HTTP only.
import { X509Certificate, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as jose from "jose";
import { type RunningEmulator, startEmulator } from "../../emulator/index.js";

export const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export interface AdminCredentials {
  orgNumber: string;
  orgCode: string;
  name: string;
  serviceOwner: boolean;
  scopePrefixes: string[];
  adminClient: { clientId: string; scopes: string[]; certificatePem: string; certificateKeyPem: string };
}

export interface TestEmulator {
  emu: RunningEmulator;
  stateDir: string;
  orgs: AdminCredentials[];
  org(code: string): AdminCredentials;
  stop(): Promise<void>;
}

export async function startTestEmulator(stateDir = mkdtempSync(join(tmpdir(), "emu-test-"))): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, stateDir, quiet: true });
  const res = await fetch(`${emu.url}/__emulator/credentials`);
  const body = (await res.json()) as { organizations: AdminCredentials[] };
  return {
    emu,
    stateDir,
    orgs: body.organizations,
    org(code) {
      const o = body.organizations.find((x) => x.orgCode === code);
      if (!o) throw new Error(`no seeded org ${code}`);
      return o;
    },
    async stop() {
      await emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Splits a PEM chain into base64 DER entries, leaf first: the `x5c` header. */
export function x5cOf(pemChain: string): string[] {
  return [...pemChain.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    (m[1] as string).replace(/\s+/g, ""),
  );
}

export interface GrantOptions {
  iss: string;
  scope?: string;
  aud?: string | string[];
  iat?: number;
  exp?: number;
  jti?: string | null;
  extra?: Record<string, unknown>;
  header: { kid: string } | { x5c: string[] };
  key: KeyObject | string;
  alg?: string;
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

export async function signGrant(issuer: string, g: GrantOptions): Promise<string> {
  const iat = g.iat ?? nowSec();
  const payload: Record<string, unknown> = {
    aud: g.aud ?? issuer,
    iss: g.iss,
    iat,
    exp: g.exp ?? iat + 60,
    ...(g.scope === undefined ? {} : { scope: g.scope }),
    ...g.extra,
  };
  if (g.jti !== null) payload["jti"] = g.jti ?? randomUUID();
  const alg = g.alg ?? "RS256";
  const key = typeof g.key === "string" ? await jose.importPKCS8(g.key, alg) : g.key;
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg, ...g.header }).sign(key);
}

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export async function postToken(url: string, assertion: string, grantType = JWT_BEARER): Promise<TokenResult> {
  const res = await fetch(`${url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: grantType, assertion }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An admin token the way a new user gets one: x5c grant with the org's business certificate. */
export async function adminToken(t: TestEmulator, code: string, scopes?: string[]): Promise<string> {
  const o = t.org(code);
  const r = await postToken(
    t.emu.url,
    await signGrant(`${t.emu.url}/`, {
      iss: o.adminClient.clientId,
      scope: (scopes ?? o.adminClient.scopes).join(" "),
      header: { x5c: x5cOf(o.adminClient.certificatePem) },
      key: o.adminClient.certificateKeyPem,
    }),
  );
  if (r.status !== 200) throw new Error(`admin token for ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body["access_token"] as string;
}

export interface ApiResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = unknown>(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers["authorization"] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${url}${path}`, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export function rsaKey(bits = 2048): { privateKey: KeyObject; publicJwk: { kty: string; n: string; e: string } } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const jwk = publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
  return { privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e } };
}

/** The Digdir error shape from spec §2. */
export interface DigdirErrorBody {
  status: number;
  timestamp: string;
  correlation_id: string;
  errors: { errorMessage: string; isFieldError: boolean; objectName?: string; fieldIdentifier?: string }[];
  error: string;
  error_description: string;
}

export function leafOrgNumber(pemChain: string): string | undefined {
  return /serialNumber=(\d{9})/.exec(new X509Certificate(pemChain).subject)?.[1];
}

export const MASKINPORTEN_CLIENT = {
  integration_type: "maskinporten",
  application_type: "web",
  token_endpoint_auth_method: "private_key_jwt",
  grant_types: [JWT_BEARER],
};
