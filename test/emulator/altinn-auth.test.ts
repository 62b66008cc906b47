// Conformance of the Altinn token exchange with shared/specs/altinn-registry.md §0-1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { altinnToken, call, minimalResource } from "./altinn-helpers.js";
import { type TestEmulator, adminToken, startTestEmulator } from "./helpers.js";

const EXCHANGE = "/authentication/api/v1/exchange/maskinporten";
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => t.stop());

describe("GET /authentication/api/v1/exchange/maskinporten", () => {
  it("answers 200 text/plain with a raw JWT valid for 30 minutes, carrying the spec's claims", async () => {
    const ttd = t.org("ttd");
    const mp = await adminToken(t, "ttd", ["altinn:serviceowner", "altinn:resourceregistry/resource.write"]);
    const mpClaims = jose.decodeJwt(mp);
    const r = await call(t.emu.url, "GET", EXCHANGE, { token: mp });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(r.text.split(".")).toHaveLength(3);
    const claims = jose.decodeJwt(r.text);
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims["scope"]).toBe("altinn:serviceowner altinn:resourceregistry/resource.write");
    expect(claims["consumer"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${ttd.orgNumber}` });
    expect(claims["client_id"]).toBe(ttd.adminClient.clientId);
    expect(claims.jti).toBe(mpClaims.jti);
    expect(claims["urn:altinn:orgNumber"]).toBe(ttd.orgNumber);
    expect(claims["urn:altinn:authenticatemethod"]).toBe("maskinporten");
    expect(Number(claims["urn:altinn:authlevel"])).toBe(3);
    expect(claims["urn:altinn:org"]).toBe("ttd");
    expect(claims.sid).toBeTypeOf("string");
    expect(claims.iss).not.toBe(mpClaims.iss);
    for (const dropped of ["aud", "client_amr"]) expect(claims[dropped]).toBeUndefined();
  });

  it("verifies against the JWKS named by Altinn's OpenID configuration", async () => {
    const token = await altinnToken(t, "ttd");
    const conf = await call(t.emu.url, "GET", "/authentication/api/v1/openid/.well-known/openid-configuration");
    expect(conf.status).toBe(200);
    const { issuer, jwks_uri } = conf.json as { issuer: string; jwks_uri: string };
    const { payload } = await jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(jwks_uri)), { issuer });
    expect(payload["urn:altinn:org"]).toBe("ttd");
  });

  it("puts urn:altinn:org only when the scope has altinn:serviceowner and the org is a service owner", async () => {
    const withoutScope = jose.decodeJwt(await altinnToken(t, "ttd", ["altinn:resourceregistry/resource.write"]));
    expect(withoutScope["urn:altinn:org"]).toBeUndefined();
    expect(withoutScope["urn:altinn:orgNumber"]).toBe(t.org("ttd").orgNumber);
    const vendor = jose.decodeJwt(await altinnToken(t, "vendor"));
    expect(vendor["urn:altinn:org"]).toBeUndefined();
  });

  it("?test=true turns digdir into ttd and changes nothing for others", async () => {
    expect(jose.decodeJwt(await altinnToken(t, "digdir", ["altinn:serviceowner"], "?test=true"))["urn:altinn:org"]).toBe("ttd");
    expect(jose.decodeJwt(await altinnToken(t, "digdir", ["altinn:serviceowner"]))["urn:altinn:org"]).toBe("digdir");
    expect(jose.decodeJwt(await altinnToken(t, "ttd", ["altinn:serviceowner"], "?test=true"))["urn:altinn:org"]).toBe("ttd");
  });

  it("lasts 30 minutes whatever the Maskinporten token's lifetime", async () => {
    const mp = jose.decodeJwt(await adminToken(t, "ttd"));
    expect(mp.exp! - mp.iat!).toBeLessThan(30 * 60);
    const altinn = jose.decodeJwt(await altinnToken(t, "ttd"));
    expect(altinn.exp! - altinn.iat!).toBe(1800);
  });

  it("401 with an RFC 7807 body without a token, with a garbage token, and with an Altinn token", async () => {
    for (const token of [undefined, "not.a.jwt", await altinnToken(t, "ttd")]) {
      const r = await call(t.emu.url, "GET", EXCHANGE, token ? { token } : {});
      expect(r.status).toBe(401);
      expect((r.json as { status: number; title: string }).status).toBe(401);
      expect((r.json as { title: string }).title).toBeTypeOf("string");
    }
  });

  it("the provider name is case-insensitive; an unknown provider is 400 with a string", async () => {
    const mp = await adminToken(t, "ttd");
    expect((await call(t.emu.url, "GET", "/authentication/api/v1/exchange/MaskinPorten", { token: mp })).status).toBe(200);
    const bad = await call(t.emu.url, "GET", "/authentication/api/v1/exchange/facebook", { token: mp });
    expect(bad.status).toBe(400);
    expect(bad.text.length).toBeGreaterThan(0);
  });

  it("410 when X-Altinn-EnterpriseUser-Authentication is sent", async () => {
    const r = await call(t.emu.url, "GET", EXCHANGE, {
      token: await adminToken(t, "ttd"),
      headers: { "X-Altinn-EnterpriseUser-Authentication": "x" },
    });
    expect(r.status).toBe(410);
    expect((r.json as { status: number }).status).toBe(410);
  });
});

describe("tokens the Altinn APIs accept", () => {
  it("Resource Registry writes take an exchanged token and a raw Maskinporten token; no token is 401", async () => {
    const ttd = t.org("ttd");
    const exchanged = await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
      token: await altinnToken(t, "ttd"),
      body: minimalResource("ttd-auth-a", ttd),
    });
    expect(exchanged.status).toBe(201);
    const raw = await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
      token: await adminToken(t, "ttd"),
      body: minimalResource("ttd-auth-b", ttd),
    });
    expect(raw.status).toBe(201);
    const none = await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", { body: minimalResource("ttd-auth-c", ttd) });
    expect(none.status).toBe(401);
  });

  it("a missing scope is 403 with an empty body", async () => {
    const r = await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
      token: await altinnToken(t, "ttd", ["altinn:serviceowner"]),
      body: minimalResource("ttd-auth-d", t.org("ttd")),
    });
    expect(r.status).toBe(403);
    expect(r.text).toBe("");
  });

  it("GET /authentication/api/v1/refresh returns a fresh Altinn token with the same identity", async () => {
    const token = await altinnToken(t, "ttd");
    const r = await call(t.emu.url, "GET", "/authentication/api/v1/refresh", { token });
    expect(r.status).toBe(200);
    const fresh = jose.decodeJwt(r.text);
    expect(fresh["urn:altinn:org"]).toBe("ttd");
    expect(fresh.sid).not.toBe(jose.decodeJwt(token).sid);
  });
});

describe("Ocp-Apim-Subscription-Key", () => {
  it("is accepted when not required", async () => {
    const r = await call(t.emu.url, "GET", EXCHANGE, {
      token: await adminToken(t, "ttd"),
      headers: { "Ocp-Apim-Subscription-Key": "anything" },
    });
    expect(r.status).toBe(200);
  });

  it("is required on every Altinn API when the seed lists keys", async () => {
    const { writeFileSync, readFileSync } = await import("node:fs");
    const dir = mkdtempSync(join(tmpdir(), "emu-apim-"));
    const seed = JSON.parse(readFileSync(join(__dirname, "../../emulator/seed/default.json"), "utf8")) as Record<string, unknown>;
    seed["altinn"] = { subscriptionKeys: ["k-123"] };
    writeFileSync(join(dir, "seed.json"), JSON.stringify(seed));
    const emu = await startEmulator({ port: 0, stateDir: join(dir, "state"), seedFile: join(dir, "seed.json"), quiet: true });
    try {
      const missing = await call(emu.url, "GET", "/resourceregistry/api/v1/resource/resourcelist");
      expect(missing.status).toBe(401);
      const wrong = await call(emu.url, "GET", "/resourceregistry/api/v1/resource/resourcelist", {
        headers: { "Ocp-Apim-Subscription-Key": "nope" },
      });
      expect(wrong.status).toBe(401);
      const ok = await call(emu.url, "GET", "/resourceregistry/api/v1/resource/resourcelist", {
        headers: { "Ocp-Apim-Subscription-Key": "k-123" },
      });
      expect(ok.status).toBe(200);
      // Maskinporten is not behind Altinn's APIM.
      expect((await call(emu.url, "GET", "/.well-known/oauth-authorization-server")).status).toBe(200);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
