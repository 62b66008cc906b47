// The shared provider runtime: retries, errors with nothing secret in them, token caching, environments, and the
// size of what a dynamic resource stores as its provider.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";

import { ApiError, redact } from "../../providers/runtime/errors.js";
import { ApiClient, parseErrorBody, setRetryPolicy } from "../../providers/runtime/http.js";
import { currentEnvironment } from "../../providers/runtime/environments.js";
import { adminCredential } from "../../providers/runtime/credentials.js";
import { clearTokenCache, maskinportenToken } from "../../providers/runtime/tokens.js";
import { configureFor } from "./support.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((ok) => {
          s.closeAllConnections();
          s.close(() => ok());
        }),
    ),
  );
  setRetryPolicy({});
  configureFor({});
});

describe("ApiClient", () => {
  it("retries 429 after Retry-After and 503, then succeeds", async () => {
    const seen: number[] = [];
    const url = await serve((_req, res) => {
      seen.push(Date.now());
      if (seen.length === 1) {
        res.writeHead(429, { "retry-after": "1" }).end();
        return;
      }
      if (seen.length === 2) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    setRetryPolicy({ baseDelayMs: 1, maxDelayMs: 5 });
    const res = await new ApiClient("Test API", url).send({ method: "GET", path: "/x" });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("retries 502 for idempotent calls up to the limit, never 500, and never a POST on 502", async () => {
    let calls = 0;
    const url = await serve((req, res) => {
      calls++;
      res.writeHead(req.url === "/bad-gateway" ? 502 : 500).end();
    });
    setRetryPolicy({ baseDelayMs: 1, maxDelayMs: 2 });
    const client = new ApiClient("Test API", url);
    await expect(client.send({ method: "POST", path: "/bad-gateway", json: {} })).rejects.toBeInstanceOf(ApiError);
    expect(calls).toBe(1);
    await expect(client.send({ method: "GET", path: "/error" })).rejects.toThrow(/HTTP 500/);
    expect(calls).toBe(2);
    await expect(client.send({ method: "GET", path: "/bad-gateway" })).rejects.toThrow(/HTTP 502.*after 5 attempts/s);
    expect(calls).toBe(7);
  });

  it("caps concurrency per host", async () => {
    let active = 0;
    let peak = 0;
    const url = await serve((_req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.writeHead(200).end("{}");
      }, 20);
    });
    setRetryPolicy({ perHostConcurrency: 2 });
    const client = new ApiClient("Test API", url);
    await Promise.all(Array.from({ length: 8 }, () => client.send({ method: "GET", path: "/x" })));
    expect(peak).toBe(2);
  });

  it("puts resource, call, status, code and correlation id in the error, and no token", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          status: 400,
          correlation_id: "corr-123",
          errors: [{ errorMessage: "bad scope", fieldIdentifier: "scopes" }],
          error: "invalid_scope",
          error_description: "MP-200 nope",
        }),
      );
    });
    const err = await new ApiClient("Digdir self-service API", url)
      .send({
        method: "PUT",
        path: "/clients/abc",
        token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
        subject: { kind: "maskinporten:Client", resource: 'client "orders"' },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!(err instanceof ApiError)) throw new Error("expected an ApiError");
    expect(err.message).toContain('maskinporten:Client client "orders"');
    expect(err.message).toContain("PUT /clients/abc");
    expect(err.message).toContain("HTTP 400");
    expect(err.code).toBe("MP-200");
    expect(err.correlationId).toBe("corr-123");
    expect(err.message).toContain("scopes: bad scope");
    expect(err.message).not.toContain("eyJ");
  });

  it("reads the Altinn ProblemDetails and plain-text error formats", () => {
    expect(parseErrorBody('{"code":"RR-00001","title":"exists","detail":"resource exists","traceId":"t1"}', {})).toEqual({
      code: "RR-00001",
      detail: "resource exists",
      correlationId: "t1",
    });
    expect(parseErrorBody('"The Resource already exist: foo"', {}).detail).toBe("The Resource already exist: foo");
  });
});

describe("redaction", () => {
  it("removes tokens, JWTs, PEM blocks and private JWK members", () => {
    const text = [
      "Authorization: Bearer abc.def.ghi",
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
      "-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----",
      '{"kty":"RSA","n":"public","d":"SECRETD","p":"SECRETP"}',
      "assertion=abc123&x=1",
    ].join("\n");
    const out = redact(text);
    for (const secret of ["abc.def.ghi", "eyJhbGci", "MIIEv", "SECRETD", "SECRETP", "abc123"]) expect(out).not.toContain(secret);
    expect(out).toContain('"n":"public"');
  });
});

describe("environments and credentials", () => {
  it("uses the real base URLs for test and prod, and config overrides", () => {
    configureFor({ "altinn-onboarding:environment": "test" });
    expect(currentEnvironment()).toMatchObject({
      maskinportenIssuer: "https://test.maskinporten.no/",
      selfServiceUrl: "https://api.test.samarbeid.digdir.no/api/v1",
      altinnUrl: "https://platform.tt02.altinn.no",
    });
    configureFor({ "altinn-onboarding:environment": "prod", "altinn-onboarding:selfServiceUrl": "https://proxy.example/api/v1/" });
    expect(currentEnvironment()).toMatchObject({
      maskinportenIssuer: "https://maskinporten.no/",
      selfServiceUrl: "https://proxy.example/api/v1",
    });
    configureFor({});
    expect(currentEnvironment()).toMatchObject({ name: "local", selfServiceUrl: "http://127.0.0.1:5580/api/v1" });
    configureFor({ "altinn-onboarding:environment": "staging" });
    expect(() => currentEnvironment()).toThrow(/local, test, prod/);
  });

  it("says which settings are missing without echoing any secret", async () => {
    configureFor({
      "altinn-onboarding:environment": "test",
      "altinn-onboarding:orgNumber": "313000028",
      "altinn-onboarding:adminClientId": "c1",
      "altinn-onboarding:adminJwk": '{"kty":"RSA","d":"TOPSECRET"',
    });
    const err = await adminCredential(undefined).then(
      () => new Error("expected a failure"),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/admin JWK is not valid JSON/);
    expect(err.message).not.toContain("TOPSECRET");
  });
});

describe("token cache", () => {
  it("shares one in-flight request between concurrent callers and caches until shortly before expiry", async () => {
    let calls = 0;
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const url = await serve((_req, res, body) => {
      calls++;
      expect(body).toContain("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
      setTimeout(
        () =>
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: `tok${calls}`, expires_in: 120 })),
        20,
      );
    });
    configureFor({ "altinn-onboarding:environment": "test", "altinn-onboarding:maskinportenUrl": url });
    clearTokenCache();
    const env = currentEnvironment();
    const cred = { clientId: "c1", signer: { kind: "kid" as const, kid: "k1", key: privateKey, alg: "RS256" as const } };
    const tokens = await Promise.all([maskinportenToken(env, cred, ["a:b", "c:d"]), maskinportenToken(env, cred, ["c:d", "a:b"])]);
    expect(tokens).toEqual(["tok1", "tok1"]);
    expect(await maskinportenToken(env, cred, ["a:b", "c:d"])).toBe("tok1");
    expect(await maskinportenToken(env, cred, ["a:b"])).toBe("tok2");
    expect(calls).toBe(2);
  });
});

describe("serialized provider", () => {
  it("is small for every Maskinporten kind: the shell is stored by reference", async () => {
    const shell = (await import("@altinn-onboarding/provider-shell")) as unknown;
    const sf = await pulumi.runtime.serializeFunction(() => shell, { allowSecrets: false });
    expect(sf.text.length).toBeLessThan(2048);
    expect(sf.text).toContain("@altinn-onboarding/provider-shell");
    expect(sf.text).not.toMatch(/SelfServiceApi|planKeys|generateKeyPair/);
  });
});
