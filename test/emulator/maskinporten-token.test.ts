// Conformance of POST /token, /jwk and the well-known document with shared/specs/maskinporten.md §6.
import { generateKeyPairSync } from "node:crypto";
import * as jose from "jose";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MASKINPORTEN_CLIENT,
  type TestEmulator,
  adminToken,
  api,
  nowSec,
  postToken,
  rsaKey,
  signGrant,
  startTestEmulator,
  x5cOf,
} from "./helpers.js";

let t: TestEmulator;
let issuer: string;
// A consumer-a client carrying the service owner's example scope, with one registered key.
let keyed: { clientId: string; kid: string; key: ReturnType<typeof rsaKey> };

beforeAll(async () => {
  t = await startTestEmulator();
  issuer = `${t.emu.url}/`;
  const token = await adminToken(t, "consumer-a");
  const created = await api<{ client_id: string }>(t.emu.url, "POST", "/api/v1/clients", {
    token,
    body: {
      ...MASKINPORTEN_CLIENT,
      client_name: "orders",
      description: "token tests",
      scopes: ["ttd:example.read", "altinn:correspondence.read"],
    },
  });
  expect(created.status).toBe(200);
  const key = rsaKey();
  const jwks = await api(t.emu.url, "POST", `/api/v1/clients/${created.body.client_id}/jwks`, {
    token,
    body: { keys: [{ ...key.publicJwk, kid: "k1", alg: "RS256", use: "sig" }] },
  });
  expect(jwks.status).toBe(200);
  keyed = { clientId: created.body.client_id, kid: "k1", key };
});
afterAll(async () => t.stop());

const kidGrant = (over: Partial<Parameters<typeof signGrant>[1]> = {}) =>
  signGrant(issuer, { iss: keyed.clientId, scope: "ttd:example.read", header: { kid: keyed.kid }, key: keyed.key.privateKey, ...over });

function expectMp(r: { status: number; body: Record<string, unknown> }, status: number, error: string, code: string): void {
  expect(r.status).toBe(status);
  expect(r.body["error"]).toBe(error);
  expect(String(r.body["error_description"])).toContain(code);
}

describe("discovery", () => {
  it("serves the RFC 8414 document with the issuer and a trailing slash", async () => {
    const r = await api<Record<string, unknown>>(t.emu.url, "GET", "/.well-known/oauth-authorization-server");
    expect(r.status).toBe(200);
    expect(r.body["issuer"]).toBe(issuer);
    expect(r.body["token_endpoint"]).toBe(`${t.emu.url}/token`);
    expect(r.body["jwks_uri"]).toBe(`${t.emu.url}/jwk`);
    expect(r.body["grant_types_supported"]).toEqual(["urn:ietf:params:oauth:grant-type:jwt-bearer"]);
    expect(r.body["token_endpoint_auth_signing_alg_values_supported"]).toEqual(["RS256", "RS384", "RS512"]);
  });
});

describe("successful grants", () => {
  it("x5c grant of an admin client: token verifies against /jwk with the real claim set", async () => {
    const admin = t.org("ttd");
    const assertion = await signGrant(issuer, {
      iss: admin.adminClient.clientId,
      scope: "idporten:dcr.read idporten:scopes.write",
      header: { x5c: x5cOf(admin.adminClient.certificatePem) },
      key: admin.adminClient.certificateKeyPem,
    });
    const r = await postToken(t.emu.url, assertion);
    expect(r.status).toBe(200);
    expect(r.body["token_type"]).toBe("Bearer");
    expect(r.body["scope"]).toBe("idporten:dcr.read idporten:scopes.write");
    expect(r.body["expires_in"]).toBe(120);
    const { payload, protectedHeader } = await jose.jwtVerify(
      r.body["access_token"] as string,
      jose.createRemoteJWKSet(new URL(`${t.emu.url}/jwk`)),
      { issuer },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(protectedHeader.kid).toBeTypeOf("string");
    expect(payload["client_amr"]).toBe("virksomhetssertifikat");
    expect(payload["client_id"]).toBe(admin.adminClient.clientId);
    expect(payload["consumer"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${admin.orgNumber}` });
    expect(payload["token_type"]).toBe("Bearer");
    expect(payload["scope"]).toBe("idporten:dcr.read idporten:scopes.write");
    expect((payload.exp as number) - (payload.iat as number)).toBe(120);
    expect(payload.jti).toBeTypeOf("string");
  });

  it("kid grant of a client with a registered key: client_amr private_key_jwt, default lifetime below the scope's at_max_age", async () => {
    const r = await postToken(t.emu.url, await kidGrant({ extra: { resource: "https://api.example/orders" } }));
    expect(r.status).toBe(200);
    const claims = jose.decodeJwt(r.body["access_token"] as string);
    expect(claims["client_amr"]).toBe("private_key_jwt");
    expect(claims["consumer"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${t.org("consumer-a").orgNumber}` });
    expect(claims.aud).toBe("https://api.example/orders");
    // Default 120 s, the scope's at_max_age (300 s in the seed) is larger: the minimum wins.
    expect(r.body["expires_in"]).toBe(120);
  });

  it("the access token's header is exactly {kid, alg: RS256}, as in a decoded real token", async () => {
    const r = await postToken(t.emu.url, await kidGrant());
    expect(r.status).toBe(200);
    const header = jose.decodeProtectedHeader(r.body["access_token"] as string);
    expect(Object.keys(header).sort()).toEqual(["alg", "kid"]);
    expect(header.alg).toBe("RS256");
  });

  it("tolerates nbf and sub, which digdirator and Altinn's examples send", async () => {
    const r = await postToken(t.emu.url, await kidGrant({ extra: { nbf: nowSec(), sub: keyed.clientId } }));
    expect(r.status).toBe(200);
  });
});

describe("refused grants", () => {
  it("aud equal to the token endpoint URL is refused (MP-110)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ aud: `${t.emu.url}/token` })), 400, "invalid_grant", "MP-110");
  });
  it("aud without the trailing slash is refused (MP-110)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ aud: t.emu.url })), 400, "invalid_grant", "MP-110");
  });
  it("aud as an array is refused even when it holds the issuer (MP-110)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ aud: [issuer] })), 400, "invalid_grant", "MP-110");
  });
  it("exp - iat above 120 s is refused", async () => {
    const iat = nowSec();
    expectMp(await postToken(t.emu.url, await kidGrant({ iat, exp: iat + 121 })), 400, "invalid_grant", "MP-130");
  });
  it("exp - iat of exactly 120 s is accepted", async () => {
    const iat = nowSec();
    expect((await postToken(t.emu.url, await kidGrant({ iat, exp: iat + 120 }))).status).toBe(200);
  });
  it("iat more than 10 s in the future or the past is refused (MP-130)", async () => {
    const future = nowSec() + 30;
    expectMp(await postToken(t.emu.url, await kidGrant({ iat: future, exp: future + 60 })), 400, "invalid_grant", "MP-130");
    const past = nowSec() - 30;
    expectMp(await postToken(t.emu.url, await kidGrant({ iat: past, exp: past + 60 })), 400, "invalid_grant", "MP-130");
  });
  it("a repeated jti is refused (MP-012)", async () => {
    const jti = "replay-me";
    expect((await postToken(t.emu.url, await kidGrant({ jti }))).status).toBe(200);
    expectMp(await postToken(t.emu.url, await kidGrant({ jti })), 400, "invalid_grant", "MP-012");
  });
  it("an unknown kid is refused", async () => {
    const r = await postToken(t.emu.url, await kidGrant({ header: { kid: "nope" } }));
    expectMp(r, 400, "invalid_grant", "MP-100");
  });
  it("a signature by another key under a registered kid is refused (MP-124)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ key: rsaKey().privateKey })), 400, "invalid_grant", "MP-124");
  });
  it("an unknown client is refused (MP-100)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ iss: "00000000-0000-4000-8000-000000000000" })), 400, "invalid_grant", "MP-100");
  });
  it("x5c is refused for a client that has registered keys", async () => {
    const ca = t.org("consumer-a");
    const r = await postToken(
      t.emu.url,
      await kidGrant({ header: { x5c: x5cOf(ca.adminClient.certificatePem) }, key: ca.adminClient.certificateKeyPem }),
    );
    expect(r.status).toBe(400);
    expect(r.body["error"]).toBe("invalid_grant");
  });
  it("an x5c certificate not issued by the emulator's test CA is refused (MP-120)", async () => {
    const admin = t.org("ttd");
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
    cert.serialNumber = "0a";
    cert.validity.notBefore = new Date(Date.now() - 3600_000);
    cert.validity.notAfter = new Date(Date.now() + 3600_000);
    const subject = [
      { name: "commonName", value: "Forged" },
      { name: "serialNumber", value: admin.orgNumber },
    ];
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString()), forge.md.sha256.create());
    const der = forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
    const r = await postToken(
      t.emu.url,
      await signGrant(issuer, { iss: admin.adminClient.clientId, scope: "idporten:dcr.read", header: { x5c: [der] }, key: privateKey }),
    );
    expectMp(r, 400, "invalid_grant", "MP-120");
  });
  it("a business certificate of another org is refused (MP-122)", async () => {
    const admin = t.org("ttd");
    const other = t.org("vendor");
    const r = await postToken(
      t.emu.url,
      await signGrant(issuer, {
        iss: admin.adminClient.clientId,
        scope: "idporten:dcr.read",
        header: { x5c: x5cOf(other.adminClient.certificatePem) },
        key: other.adminClient.certificateKeyPem,
      }),
    );
    expectMp(r, 400, "invalid_grant", "MP-122");
  });
  it("a header with both kid and x5c, or neither, is refused (MP-011)", async () => {
    const ca = t.org("consumer-a");
    const both = await kidGrant({ header: { kid: keyed.kid, x5c: x5cOf(ca.adminClient.certificatePem) } as { kid: string } });
    expectMp(await postToken(t.emu.url, both), 400, "invalid_request", "MP-011");
  });
  it("a scope not registered on the client is refused (MP-200)", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ scope: "altinn:serviceowner" })), 400, "invalid_scope", "MP-200");
  });
  it("a missing scope claim is refused", async () => {
    const r = await postToken(t.emu.url, await kidGrant({ scope: undefined as unknown as string }));
    expect(r.status).toBe(400);
  });
  it("unknown grant claims are refused as an invalid assertion", async () => {
    expectMp(await postToken(t.emu.url, await kidGrant({ extra: { favourite_colour: "blue" } })), 400, "invalid_request", "MP-011");
  });
  it("a grant_type other than jwt-bearer is refused", async () => {
    const r = await postToken(t.emu.url, await kidGrant(), "client_credentials");
    expect(r.status).toBe(400);
    expect(r.body["error"]).toBe("unsupported_grant_type");
  });
  it("a scope whose grant to the org was revoked is refused with MP-250 (Forbidden)", async () => {
    const owner = await adminToken(t, "ttd");
    const consumer = t.org("consumer-a").orgNumber;
    const del = await api(t.emu.url, "DELETE", `/api/v1/scopes/access/${consumer}?scope=ttd:example.read`, { token: owner });
    expect(del.status).toBe(200);
    try {
      expectMp(await postToken(t.emu.url, await kidGrant()), 403, "access_denied", "MP-250");
    } finally {
      expect((await api(t.emu.url, "PUT", `/api/v1/scopes/access/${consumer}?scope=ttd:example.read`, { token: owner })).status).toBe(200);
    }
    expect((await postToken(t.emu.url, await kidGrant())).status).toBe(200);
  });
  it("a registered key whose exp has passed is refused (MP-121)", async () => {
    const token = await adminToken(t, "consumer-a");
    const soon = nowSec() + 2;
    const r = await api(t.emu.url, "POST", `/api/v1/clients/${keyed.clientId}/jwks`, {
      token,
      body: {
        keys: [
          { ...keyed.key.publicJwk, kid: "short", alg: "RS256", use: "sig", exp: soon },
          { ...keyed.key.publicJwk, kid: keyed.kid, alg: "RS256", use: "sig" },
        ],
      },
    });
    expect(r.status).toBe(200);
    await new Promise((ok) => setTimeout(ok, (soon - nowSec() + 1) * 1000));
    expectMp(await postToken(t.emu.url, await kidGrant({ header: { kid: "short" } })), 400, "invalid_grant", "MP-121");
  });
});

describe("access-token lifetime: min(client access_token_lifetime or 120 s, each requested scope's non-zero at_max_age)", () => {
  const consumer = () => t.org("consumer-a");
  let admin: string;
  beforeAll(async () => {
    const owner = await adminToken(t, "ttd");
    admin = await adminToken(t, "consumer-a");
    for (const [subscope, atMaxAge] of [
      ["lifetime.long", 300],
      ["lifetime.short", 30],
      ["lifetime.unset", 0],
    ] as const) {
      const name = `ttd:${subscope}`;
      expect(
        (
          await api(t.emu.url, "POST", "/api/v1/scopes", {
            token: owner,
            body: { prefix: "ttd", subscope, description: subscope, at_max_age: atMaxAge },
          })
        ).status,
      ).toBe(200);
      expect(
        (await api(t.emu.url, "PUT", `/api/v1/scopes/access/${consumer().orgNumber}?scope=${encodeURIComponent(name)}`, { token: owner }))
          .status,
      ).toBe(200);
    }
  });

  async function lifetimeFor(accessTokenLifetime: number, scopes: string[]): Promise<number> {
    const c = await api<{ client_id: string }>(t.emu.url, "POST", "/api/v1/clients", {
      token: admin,
      body: { ...MASKINPORTEN_CLIENT, description: "lifetime", scopes, access_token_lifetime: accessTokenLifetime },
    });
    expect(c.status).toBe(200);
    const key = rsaKey();
    expect(
      (
        await api(t.emu.url, "POST", `/api/v1/clients/${c.body.client_id}/jwks`, {
          token: admin,
          body: { keys: [{ ...key.publicJwk, kid: "lt", alg: "RS256", use: "sig" }] },
        })
      ).status,
    ).toBe(200);
    const r = await postToken(
      t.emu.url,
      await signGrant(issuer, { iss: c.body.client_id, scope: scopes.join(" "), header: { kid: "lt" }, key: key.privateKey }),
    );
    expect(r.status).toBe(200);
    const claims = jose.decodeJwt(r.body["access_token"] as string);
    expect((claims.exp as number) - (claims.iat as number)).toBe(r.body["expires_in"]);
    return r.body["expires_in"] as number;
  }

  it("client 0 (default 120 s) and a scope allowing 300 s: 120", async () => {
    expect(await lifetimeFor(0, ["ttd:lifetime.long"])).toBe(120);
  });
  it("client 600 s capped by the scope's at_max_age 300: 300", async () => {
    expect(await lifetimeFor(600, ["ttd:lifetime.long"])).toBe(300);
  });
  it("client 60 s below the scope's at_max_age: 60", async () => {
    expect(await lifetimeFor(60, ["ttd:lifetime.long"])).toBe(60);
  });
  it("the minimum over all requested scopes: 30", async () => {
    expect(await lifetimeFor(0, ["ttd:lifetime.long", "ttd:lifetime.short"])).toBe(30);
  });
  it("a scope with at_max_age 0 leaves the client's lifetime: 600", async () => {
    expect(await lifetimeFor(600, ["ttd:lifetime.unset"])).toBe(600);
  });
});
