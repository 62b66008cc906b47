// Conformance of /api/v1/clients and /api/v1/clients/{id}/jwks with shared/specs/maskinporten.md §2-§4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DigdirErrorBody,
  MASKINPORTEN_CLIENT,
  type TestEmulator,
  adminToken,
  api,
  nowSec,
  rsaKey,
  startTestEmulator,
} from "./helpers.js";

let t: TestEmulator;
let tokenA: string;
const ONE_YEAR = 365 * 24 * 3600;

beforeAll(async () => {
  t = await startTestEmulator();
  tokenA = await adminToken(t, "consumer-a");
});
afterAll(async () => t.stop());

interface Client {
  client_id: string;
  client_name: string;
  description: string;
  integration_type: string;
  scopes: string[];
  client_orgno: string;
  supplier_orgno: string | null;
  active: boolean;
  created: string;
  last_updated: string;
  jwks_uri: string;
  access_token_lifetime: number;
}

const body = (over: Record<string, unknown> = {}) => ({
  ...MASKINPORTEN_CLIENT,
  client_name: "acme-orders",
  description: "orders service",
  scopes: ["ttd:example.read"],
  ...over,
});

async function create(over: Record<string, unknown> = {}, token = tokenA) {
  return api<Client>(t.emu.url, "POST", "/api/v1/clients", { token, body: body(over) });
}

function expectDigdirError(r: { status: number; body: unknown }, status: number): DigdirErrorBody {
  expect(r.status).toBe(status);
  const b = r.body as DigdirErrorBody;
  expect(b.status).toBe(status);
  expect(Array.isArray(b.errors)).toBe(true);
  expect(b.errors.length).toBeGreaterThan(0);
  expect(b.error_description).toBe(b.error);
  expect(b.correlation_id).toBeTypeOf("string");
  expect(b.timestamp).toBeTypeOf("string");
  return b;
}

describe("clients", () => {
  it("POST creates a client: server-generated UUID, the caller's org, active, timestamps", async () => {
    const r = await create();
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(300);
    expect(r.body.client_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(r.body).toMatchObject({
      client_name: "acme-orders",
      description: "orders service",
      integration_type: "maskinporten",
      scopes: ["ttd:example.read"],
      client_orgno: t.org("consumer-a").orgNumber,
      active: true,
    });
    expect(Number.isNaN(Date.parse(r.body.created))).toBe(false);
    expect(r.body.jwks_uri).toContain(r.body.client_id);
  });

  it("GET by id and the list return the client; other orgs get 404 and do not see it", async () => {
    const c = (await create({ client_name: "listed" })).body;
    const one = await api<Client>(t.emu.url, "GET", `/api/v1/clients/${c.client_id}`, { token: tokenA });
    expect(one.status).toBe(200);
    expect(one.body.client_id).toBe(c.client_id);
    const list = await api<Client[]>(t.emu.url, "GET", "/api/v1/clients", { token: tokenA });
    expect(list.body.map((x) => x.client_id)).toContain(c.client_id);
    const tokenB = await adminToken(t, "consumer-b");
    expectDigdirError(await api(t.emu.url, "GET", `/api/v1/clients/${c.client_id}`, { token: tokenB }), 404);
    const listB = await api<Client[]>(t.emu.url, "GET", "/api/v1/clients", { token: tokenB });
    expect(listB.body.map((x) => x.client_id)).not.toContain(c.client_id);
  });

  it("PUT replaces the client; created is kept", async () => {
    const c = (await create()).body;
    const r = await api<Client>(t.emu.url, "PUT", `/api/v1/clients/${c.client_id}`, {
      token: tokenA,
      body: body({ client_name: "renamed", description: "new", access_token_lifetime: 60 }),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      client_id: c.client_id,
      client_name: "renamed",
      description: "new",
      access_token_lifetime: 60,
      created: c.created,
    });
    expect((await api<Client>(t.emu.url, "GET", `/api/v1/clients/${c.client_id}`, { token: tokenA })).body.client_name).toBe("renamed");
  });

  it("PUT cannot change integration_type (400)", async () => {
    const c = (await create()).body;
    const r = await api(t.emu.url, "PUT", `/api/v1/clients/${c.client_id}`, {
      token: tokenA,
      body: body({ integration_type: "idporten" }),
    });
    expectDigdirError(r, 400);
  });

  it("DELETE deactivates: gone from the list, back with ?inactive=true and active=false", async () => {
    const c = (await create({ client_name: "to-delete" })).body;
    expect((await api(t.emu.url, "DELETE", `/api/v1/clients/${c.client_id}`, { token: tokenA })).status).toBe(200);
    const active = await api<Client[]>(t.emu.url, "GET", "/api/v1/clients", { token: tokenA });
    expect(active.body.map((x) => x.client_id)).not.toContain(c.client_id);
    const all = await api<Client[]>(t.emu.url, "GET", "/api/v1/clients?inactive=true", { token: tokenA });
    expect(all.body.find((x) => x.client_id === c.client_id)?.active).toBe(false);
  });

  it("?inactive= binds like a Spring boolean: True (Python requests' spelling) and 1 also list deactivated clients", async () => {
    const c = (await create({ client_name: "to-delete-flag" })).body;
    expect((await api(t.emu.url, "DELETE", `/api/v1/clients/${c.client_id}`, { token: tokenA })).status).toBe(200);
    for (const flag of ["True", "1", "TRUE"]) {
      const all = await api<Client[]>(t.emu.url, "GET", `/api/v1/clients?inactive=${flag}`, { token: tokenA });
      expect(all.body.find((x) => x.client_id === c.client_id)?.active).toBe(false);
    }
    const off = await api<Client[]>(t.emu.url, "GET", "/api/v1/clients?inactive=False", { token: tokenA });
    expect(off.body.map((x) => x.client_id)).not.toContain(c.client_id);
  });

  it("a scope not granted to the org is refused with 400 and errors[]", async () => {
    const b = expectDigdirError(await create({ scopes: ["altinn:serviceowner"] }), 400);
    expect(JSON.stringify(b.errors)).toContain("altinn:serviceowner");
  });

  it("scopes open to all need no grant", async () => {
    expect((await create({ scopes: ["altinn:correspondence.read"] })).status).toBe(200);
  });

  it("a scope that does not allow the integration type is refused", async () => {
    const owner = await adminToken(t, "ttd");
    const s = await api(t.emu.url, "POST", "/api/v1/scopes", {
      token: owner,
      body: {
        prefix: "ttd",
        subscope: "idporten.only",
        description: "x",
        accessible_for_all: true,
        allowed_integration_types: ["idporten"],
      },
    });
    expect(s.status).toBe(200);
    expectDigdirError(await create({ scopes: ["ttd:idporten.only"] }), 400);
  });

  it("a client with zero scopes, or without description, is refused", async () => {
    expectDigdirError(await create({ scopes: [] }), 400);
    const noDescription: Record<string, unknown> = body();
    delete noDescription["description"];
    expectDigdirError(await api(t.emu.url, "POST", "/api/v1/clients", { token: tokenA, body: noDescription }), 400);
  });

  it("no token gives 401; a token without the admin scopes gives 403", async () => {
    expectDigdirError(await api(t.emu.url, "GET", "/api/v1/clients"), 401);
    expectDigdirError(await api(t.emu.url, "GET", "/api/v1/clients", { token: "not-a-jwt" }), 401);
    const writeOnly = await adminToken(t, "consumer-a", ["idporten:dcr.write"]);
    expectDigdirError(await api(t.emu.url, "GET", "/api/v1/clients", { token: writeOnly }), 403);
    const readOnly = await adminToken(t, "consumer-a", ["idporten:dcr.read"]);
    expectDigdirError(await create({}, readOnly), 403);
  });

  it("a supplier (dcr.supplier) creates a client for another org; without that scope it is refused", async () => {
    const vendor = await adminToken(t, "vendor");
    const customer = t.org("consumer-a").orgNumber;
    const r = await create({ client_orgno: customer, scopes: ["altinn:correspondence.read"] }, vendor);
    expect(r.status).toBe(200);
    expect(r.body.client_orgno).toBe(customer);
    expect(r.body.supplier_orgno).toBe(t.org("vendor").orgNumber);
    const notSupplier = await create({ client_orgno: t.org("consumer-b").orgNumber, scopes: ["altinn:correspondence.read"] });
    expect(notSupplier.status).toBe(403);
  });
});

describe("client JWKS", () => {
  const jwk = (kid: string, extra: Record<string, unknown> = {}) => ({ ...rsaKey().publicJwk, kid, alg: "RS256", use: "sig", ...extra });
  let clientId: string;
  beforeAll(async () => {
    clientId = (await create({ client_name: "keys" })).body.client_id;
  });
  const path = () => `/api/v1/clients/${clientId}/jwks`;

  it("POST registers a set; exp defaults to now + 1 year; GET returns it", async () => {
    const r = await api<{ keys: { kid: string; exp: number }[]; created: string; last_updated: string }>(t.emu.url, "POST", path(), {
      token: tokenA,
      body: { keys: [jwk("a")] },
    });
    expect(r.status).toBe(200);
    expect(r.body.keys.map((k) => k.kid)).toEqual(["a"]);
    expect(Math.abs((r.body.keys[0]?.exp ?? 0) - (nowSec() + ONE_YEAR))).toBeLessThan(60);
    expect(r.body.created).toBeTypeOf("string");
    const g = await api<{ keys: { kid: string }[] }>(t.emu.url, "GET", path(), { token: tokenA });
    expect(g.body.keys.map((k) => k.kid)).toEqual(["a"]);
  });

  it("POST and PUT replace the whole set", async () => {
    await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: [jwk("a"), jwk("b")] } });
    const r = await api<{ keys: { kid: string }[] }>(t.emu.url, "PUT", path(), { token: tokenA, body: { keys: [jwk("c")] } });
    expect(r.status).toBe(200);
    expect((await api<{ keys: { kid: string }[] }>(t.emu.url, "GET", path(), { token: tokenA })).body.keys.map((k) => k.kid)).toEqual([
      "c",
    ]);
  });

  it("an exp beyond one year is capped; a smaller one is kept", async () => {
    const far = nowSec() + 3 * ONE_YEAR;
    const near = nowSec() + 3600;
    const r = await api<{ keys: { kid: string; exp: number }[] }>(t.emu.url, "POST", path(), {
      token: tokenA,
      body: { keys: [jwk("far", { exp: far }), jwk("near", { exp: near })] },
    });
    expect(r.status).toBe(200);
    expect(r.body.keys.find((k) => k.kid === "far")?.exp).toBeLessThanOrEqual(nowSec() + ONE_YEAR);
    expect(r.body.keys.find((k) => k.kid === "near")?.exp).toBe(near);
  });

  it("more than 5 keys, a key without use:sig, an empty set and duplicate kids are refused", async () => {
    expectDigdirError(
      await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: ["1", "2", "3", "4", "5", "6"].map((k) => jwk(k)) } }),
      400,
    );
    const noUse: Record<string, unknown> = jwk("x");
    delete noUse["use"];
    expectDigdirError(await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: [noUse] } }), 400);
    expectDigdirError(await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: [] } }), 400);
    expectDigdirError(await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: [jwk("d"), jwk("d")] } }), 400);
  });

  it("exactly 5 keys are accepted", async () => {
    expect(
      (await api(t.emu.url, "POST", path(), { token: tokenA, body: { keys: ["1", "2", "3", "4", "5"].map((k) => jwk(k)) } })).status,
    ).toBe(200);
  });

  it("DELETE removes all keys; GET then answers 404", async () => {
    expect((await api(t.emu.url, "DELETE", path(), { token: tokenA })).status).toBe(200);
    expectDigdirError(await api(t.emu.url, "GET", path(), { token: tokenA }), 404);
  });

  it("another org cannot read or write the keys", async () => {
    const tokenB = await adminToken(t, "consumer-b");
    expectDigdirError(await api(t.emu.url, "POST", path(), { token: tokenB, body: { keys: [jwk("z")] } }), 404);
  });
});
