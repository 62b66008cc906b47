// The Altinn token exchange of the provider runtime against the emulator's Altinn Authentication (part 2):
// a Maskinporten token goes in, an Altinn JWT comes out, cached and shared by concurrent callers.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminCredential } from "../../providers/runtime/credentials.js";
import { currentEnvironment } from "../../providers/runtime/environments.js";
import { ApiError } from "../../providers/runtime/errors.js";
import { altinnToken } from "../../providers/runtime/tokens.js";
import { CONSUMER_A, SERVICE_OWNER, startProviderEnv, type ProviderTestEnv } from "./support.js";

interface Metrics {
  requests: { method: string; route: string; status: number; count: number }[];
}

async function exchanges(url: string): Promise<number> {
  const m = (await (await fetch(`${url}/__emulator/metrics`)).json()) as Metrics;
  return m.requests.filter((r) => r.route.startsWith("/authentication/api/v1/exchange/")).reduce((n, r) => n + r.count, 0);
}

describe("Altinn token exchange", () => {
  let env: ProviderTestEnv;
  beforeAll(async () => {
    env = await startProviderEnv();
  });
  afterAll(async () => env?.close());

  it("exchanges a service owner's Maskinporten token for an Altinn token naming the org", async () => {
    const cred = await adminCredential(SERVICE_OWNER, currentEnvironment());
    const token = await altinnToken(currentEnvironment(), cred, ["altinn:serviceowner", "altinn:resourceregistry/resource.write"]);
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect(claims["urn:altinn:orgNumber"]).toBe(SERVICE_OWNER);
    expect(claims["urn:altinn:org"]).toBe("ttd");
  });

  it("caches the token and shares one exchange between concurrent callers", async () => {
    const cred = await adminCredential(SERVICE_OWNER, currentEnvironment());
    const scopes = ["altinn:serviceowner", "altinn:events.subscribe"];
    const before = await exchanges(env.emu.url);
    const tokens = await Promise.all(Array.from({ length: 5 }, () => altinnToken(currentEnvironment(), cred, scopes)));
    const again = await altinnToken(currentEnvironment(), cred, [...scopes].reverse());
    expect(new Set([...tokens, again]).size).toBe(1);
    expect((await exchanges(env.emu.url)) - before).toBe(1);
  });

  it("gives a non-service-owner no urn:altinn:org claim", async () => {
    const cred = await adminCredential(CONSUMER_A, currentEnvironment());
    const claims = decodeJwt(await altinnToken(currentEnvironment(), cred, ["altinn:correspondence.read"]));
    expect(claims["urn:altinn:org"]).toBeUndefined();
  });

  it("fails with an ApiError naming the call when the scope is not the client's", async () => {
    const cred = await adminCredential(CONSUMER_A, currentEnvironment());
    const err = await altinnToken(currentEnvironment(), cred, ["altinn:serviceowner"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(String((err as Error).message)).toMatch(/POST|token/);
  });
});
