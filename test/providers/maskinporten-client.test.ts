// MaskinportenClient against the in-process emulator: create, read, drift, update, keys, adoption, errors.
import { importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runtime } from "../../providers/serve.js";
import type { Props } from "../../providers/runtime/contract.js";
import { CONSUMER_A, CONSUMER_B, adminCall, checkVia, createVia, startProviderEnv, type ProviderTestEnv } from "./support.js";

const KIND = "maskinporten:Client";
let t: ProviderTestEnv;

beforeAll(async () => {
  t = await startProviderEnv();
});
afterAll(async () => {
  await t.close();
});

function args(extra: Props = {}): Props {
  return {
    organization: CONSUMER_A,
    name: "orders",
    description: "order sync",
    marker: `iac:test/local/orders-${Math.random().toString(36).slice(2)}`,
    scopes: ["ttd:example.read", "altinn:correspondence.read"],
    keys: ["k2026"],
    ...extra,
  };
}

/** Gets a Maskinporten token from the emulator with a client's private JWK, as a consumer of the client would. */
async function tokenWith(clientId: string, privateJwk: string, scope: string): Promise<number> {
  const jwk = JSON.parse(privateJwk) as { kid: string };
  const key = await importJWK(jwk, "RS256");
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope })
    .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
    .setIssuer(clientId)
    .setAudience(`${t.emu.url}/`)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(crypto.randomUUID())
    .sign(key);
  const res = await fetch(`${t.emu.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
  });
  await res.text();
  return res.status;
}

describe("MaskinportenClient", () => {
  it("creates a client with a key that can get a token, and reads it back with no changes", async () => {
    const { id, outs, inputs } = await createVia(KIND, args());
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(outs.clientId).toBe(id);
    expect(outs.clientOrgNumber).toBe(CONSUMER_A);
    const priv = (outs.privateJwks as Record<string, string>).k2026;
    expect(priv).toBeDefined();
    expect(JSON.parse(priv ?? "{}")).toHaveProperty("d");
    const reg = outs.registeredKeys as Record<string, unknown>[];
    expect(reg).toHaveLength(1);
    expect(reg[0]?.registered).toBe(true);
    // Records carry no key material: the public half is derived from the private JWK (a secret) when needed.
    expect(Object.keys(reg[0] ?? {}).sort()).toEqual(["expiresAt", "kid", "name", "registered"]);
    expect(await tokenWith(id, priv ?? "", "ttd:example.read")).toBe(200);

    const live = await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}`);
    expect((live.body as { description: string }).description).toBe(`order sync [${String(inputs.marker)}]`);

    const read = await runtime.read(id, outs);
    expect(read.id).toBe(id);
    const diff = await runtime.diff(id, read.props ?? {}, inputs);
    expect(diff.changes).toBe(false);
  });

  it("finds out-of-band changes in read, names them in diff, and restores them with a full PUT", async () => {
    const { id, outs, inputs } = await createVia(KIND, args());
    const live = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}`)).body as Record<string, unknown>;
    const put = await adminCall(t.emu.url, CONSUMER_A, "PUT", `/clients/${id}`, {
      ...live,
      client_name: "hacked",
      scopes: ["altinn:correspondence.read"],
    });
    expect(put.status).toBe(200);
    const read = await runtime.read(id, outs);
    expect(read.props?.name).toBe("hacked");
    expect(read.props?.scopes).toEqual(["altinn:correspondence.read"]);
    const diff = await runtime.diff(id, read.props ?? {}, inputs);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    const updated = await runtime.update(id, read.props ?? {}, inputs);
    expect(updated.outs?.name).toBe("orders");
    const after = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}`)).body as { client_name: string; scopes: string[] };
    expect(after.client_name).toBe("orders");
    expect([...after.scopes].sort()).toEqual(["altinn:correspondence.read", "ttd:example.read"]);
  });

  it("does not report a change for reordered scopes or a duration written differently", async () => {
    const { id, outs, inputs } = await createVia(KIND, args({ accessTokenLifetime: 60 }));
    const news = { ...inputs, scopes: ["altinn:correspondence.read", "ttd:example.read"], accessTokenLifetime: "PT1M" };
    expect((await runtime.diff(id, outs, news)).changes).toBe(false);
    expect((await runtime.diff(id, outs, { ...news, accessTokenLifetime: "PT2M" })).changes).toBe(true);
  });

  it("replaces on an integration type change", async () => {
    const { id, outs, inputs } = await createVia(KIND, args());
    const diff = await runtime.diff(id, outs, { ...inputs, integrationType: "api_klient" });
    expect(diff.replaces).toEqual(["integrationType"]);
  });

  it("rotates keys without leaving the client keyless, and leaves outside keys alone", async () => {
    const { id, outs, inputs } = await createVia(KIND, args());
    const oldPriv = (outs.privateJwks as Record<string, string>).k2026 ?? "";
    // Someone registers a key by hand: the program must keep it.
    const jwks = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body as { keys: Record<string, unknown>[] };
    const { generateClientKey } = await import("../../providers/digdir/client/keys.js");
    const manual = await generateClientKey();
    const withManual = await adminCall(t.emu.url, CONSUMER_A, "POST", `/clients/${id}/jwks`, {
      keys: [...jwks.keys, { ...manual.publicJwk, kid: "manual-1" }],
    });
    expect(withManual.status).toBe(200);
    const refreshed = await runtime.read(id, outs);
    expect(refreshed.props?.externalKeyIds).toEqual(["manual-1"]);

    // Step 1: add the new key; both work.
    const step1 = await runtime.update(id, refreshed.props ?? {}, { ...inputs, keys: ["k2026", "k2027"] });
    const privs = step1.outs?.privateJwks as Record<string, string>;
    expect(privs.k2026).toBe(oldPriv);
    expect(await tokenWith(id, oldPriv, "ttd:example.read")).toBe(200);
    expect(await tokenWith(id, privs.k2027 ?? "", "ttd:example.read")).toBe(200);
    // Step 2: drop the old key; the new one still works, the old one no longer does, the manual key stays.
    const step2 = await runtime.update(id, step1.outs ?? {}, { ...inputs, keys: ["k2027"] });
    expect(await tokenWith(id, privs.k2027 ?? "", "ttd:example.read")).toBe(200);
    expect(await tokenWith(id, oldPriv, "ttd:example.read")).not.toBe(200);
    const kids = ((await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body as { keys: { kid: string }[] }).keys
      .map((k) => k.kid)
      .sort();
    expect(kids).toEqual(["manual-1", (step2.outs?.keyIds as Record<string, string>).k2027].sort());
    expect(Object.keys(step2.outs?.privateJwks as Record<string, string>)).toEqual(["k2027"]);
  });

  it("swaps a key in one update by registering the new key before removing the old", async () => {
    const { id, outs, inputs } = await createVia(KIND, args());
    const updated = await runtime.update(id, outs, { ...inputs, keys: ["next"] });
    const kids = ((await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body as { keys: { kid: string }[] }).keys.map(
      (k) => k.kid,
    );
    expect(kids).toEqual([(updated.outs?.keyIds as Record<string, string>).next]);
  });

  it("refuses more than 5 keys in check, before any call", async () => {
    const r = await checkVia(KIND, args({ keys: ["a", "b", "c", "d", "e", "f"] }));
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]?.property).toBe("keys");
    expect(r.failures[0]?.reason).toMatch(/at most 5/);
  });

  it("refuses a rotation that would need more than 5 keys at once, and writes nothing", async () => {
    const { id, outs, inputs } = await createVia(KIND, args({ keys: ["a", "b", "c", "d", "e"] }));
    const before = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body;
    await expect(runtime.update(id, outs, { ...inputs, keys: ["a", "b", "c", "d", "f"] })).rejects.toThrow(
      /6 keys registered at once.*allows 5/s,
    );
    expect((await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body).toEqual(before);
  });

  it("flags a key close to expiry as drift, and renews it on update", async () => {
    const { id, outs, inputs } = await createVia(KIND, args({ keyLifetimeDays: 20, keyRenewalDays: 10 }));
    expect((await runtime.diff(id, outs, inputs)).changes).toBe(false);
    // The same key, seen by a run whose renewal window is wider than the time left:
    const wider = { ...inputs, keyLifetimeDays: 365, keyRenewalDays: 30 };
    expect((await runtime.diff(id, outs, wider)).changes).toBe(true);
    const renewed = await runtime.update(id, outs, wider);
    const reg = renewed.outs?.registeredKeys as { kid: string; expiresAt: string }[];
    expect(reg[0]?.kid).toBe((outs.registeredKeys as { kid: string }[])[0]?.kid);
    expect(Date.parse(reg[0]?.expiresAt ?? "") - Date.now()).toBeGreaterThan(300 * 86_400_000);
    expect((await runtime.diff(id, renewed.outs ?? {}, wider)).changes).toBe(false);
  });

  it("adopts an existing client by id and takes over its fields", async () => {
    const created = await adminCall(t.emu.url, CONSUMER_A, "POST", "/clients", {
      integration_type: "maskinporten",
      client_name: "made by hand",
      description: "by hand",
      token_endpoint_auth_method: "private_key_jwt",
      scopes: ["altinn:correspondence.read"],
    });
    const handId = (created.body as { client_id: string }).client_id;
    const { id, outs } = await createVia(KIND, args({ adopt: handId, keys: [] }));
    expect(id).toBe(handId);
    expect(outs.name).toBe("orders");
    const list = (await adminCall(t.emu.url, CONSUMER_A, "GET", "/clients")).body as { client_id: string }[];
    expect(list.filter((c) => c.client_id === handId)).toHaveLength(1);
  });

  it("finds the client of a create whose answer was lost, by its marker, instead of making a second", async () => {
    const a = args();
    const first = await createVia(KIND, a);
    const before = ((await adminCall(t.emu.url, CONSUMER_A, "GET", "/clients")).body as unknown[]).length;
    const again = await createVia(KIND, a);
    expect(again.id).toBe(first.id);
    expect(((await adminCall(t.emu.url, CONSUMER_A, "GET", "/clients")).body as unknown[]).length).toBe(before);
  });

  it("explains a scope the organisation was not granted: the scope, the org and what to do", async () => {
    const err = await createVia(KIND, args({ organization: CONSUMER_B, scopes: ["ttd:example.read"], keys: [] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain("ttd:example.read");
    expect(msg).toContain(CONSUMER_B);
    expect(msg).toMatch(/What to do: .*ask the scope's owner/);
    expect(msg).toContain("POST /clients");
    expect(msg).not.toMatch(/eyJ|BEGIN/);
  });

  it("deletes softly; read then reports it gone and a second delete succeeds", async () => {
    const { id, outs } = await createVia(KIND, args());
    await runtime.delete(id, outs);
    const live = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}`)).body as { active: boolean };
    expect(live.active).toBe(false);
    expect((await runtime.read(id, outs)).id).toBe("");
    await runtime.delete(id, outs);
  });

  it("validates inputs offline with the field and the rule", async () => {
    const r = await checkVia(KIND, args({ organization: "123456789", scopes: ["not a scope"] }));
    const byField = Object.fromEntries(r.failures.map((f) => [f.property, f.reason]));
    expect(byField.organization).toMatch(/MOD11/);
    expect(byField["scopes.0"]).toMatch(/<prefix>:<subscope>/);
  });
});
