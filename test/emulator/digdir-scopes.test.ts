// Conformance of /api/v1/scopes..., /scopes/all and /delegationsources with shared/specs/maskinporten.md §5.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestEmulator, adminToken, api, startTestEmulator } from "./helpers.js";

let t: TestEmulator;
let owner: string;

interface Scope {
  name: string;
  prefix: string;
  subscope: string;
  description: string;
  active: boolean;
  owner_orgno: string;
  accessible_for_all: boolean;
  allowed_integration_types: string[];
  at_max_age: number;
  visibility: string;
}
interface Access {
  scope: string;
  state: string;
  consumer_orgno: string;
  owner_orgno: string;
}

beforeAll(async () => {
  t = await startTestEmulator();
  owner = await adminToken(t, "ttd");
});
afterAll(async () => t.stop());

const q = (name: string) => `?scope=${encodeURIComponent(name)}`;

async function createScope(subscope: string, extra: Record<string, unknown> = {}) {
  return api<Scope>(t.emu.url, "POST", "/api/v1/scopes", {
    token: owner,
    body: { prefix: "ttd", subscope, description: `API ${subscope}`, ...extra },
  });
}

describe("scopes", () => {
  it("POST creates a scope under the org's own prefix; GET ?scope= and the list return it", async () => {
    const r = await createScope("orders/read", { at_max_age: 600, allowed_integration_types: ["maskinporten"] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: "ttd:orders/read",
      prefix: "ttd",
      subscope: "orders/read",
      active: true,
      owner_orgno: t.org("ttd").orgNumber,
      at_max_age: 600,
    });
    const one = await api<Scope>(t.emu.url, "GET", `/api/v1/scopes${q("ttd:orders/read")}`, { token: owner });
    expect(one.status).toBe(200);
    expect(one.body.name).toBe("ttd:orders/read");
    const list = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes", { token: owner });
    expect(list.body.map((s) => s.name)).toContain("ttd:orders/read");
  });

  it("a prefix the org does not hold is refused", async () => {
    const r = await api(t.emu.url, "POST", "/api/v1/scopes", {
      token: owner,
      body: { prefix: "altinn", subscope: "mine", description: "x" },
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });

  it("a missing description is refused with 400", async () => {
    expect((await api(t.emu.url, "POST", "/api/v1/scopes", { token: owner, body: { prefix: "ttd", subscope: "nodesc" } })).status).toBe(
      400,
    );
  });

  it("PUT updates; DELETE deactivates and returns active=false; re-POST gives 409; PUT active=true reactivates", async () => {
    await createScope("lifecycle");
    const put = await api<Scope>(t.emu.url, "PUT", `/api/v1/scopes${q("ttd:lifecycle")}`, {
      token: owner,
      body: { description: "changed", accessible_for_all: true },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ description: "changed", accessible_for_all: true, active: true });

    const del = await api<Scope>(t.emu.url, "DELETE", `/api/v1/scopes${q("ttd:lifecycle")}`, { token: owner });
    expect(del.status).toBe(200);
    expect(del.body.active).toBe(false);
    const listed = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes", { token: owner });
    expect(listed.body.map((s) => s.name)).not.toContain("ttd:lifecycle");
    const withInactive = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes?inactive=true", { token: owner });
    expect(withInactive.body.find((s) => s.name === "ttd:lifecycle")?.active).toBe(false);

    expect((await createScope("lifecycle")).status).toBe(409);

    const re = await api<Scope>(t.emu.url, "PUT", `/api/v1/scopes${q("ttd:lifecycle")}`, {
      token: owner,
      body: { description: "back", active: true },
    });
    expect(re.status).toBe(200);
    expect(re.body.active).toBe(true);
  });

  it("subscope cannot be changed by PUT", async () => {
    await createScope("fixed");
    expect(
      (await api(t.emu.url, "PUT", `/api/v1/scopes${q("ttd:fixed")}`, { token: owner, body: { subscope: "other", description: "x" } }))
        .status,
    ).toBe(400);
  });

  it("scope writes need idporten:scopes.write", async () => {
    const consumer = await adminToken(t, "consumer-a");
    expect(
      (await api(t.emu.url, "POST", "/api/v1/scopes", { token: consumer, body: { prefix: "ttd", subscope: "x", description: "x" } }))
        .status,
    ).toBe(403);
    expect((await api(t.emu.url, "POST", "/api/v1/scopes", { body: { prefix: "ttd", subscope: "x", description: "x" } })).status).toBe(401);
  });
});

describe("consumer access", () => {
  const consumerA = () => t.org("consumer-a").orgNumber;

  it("PUT grants (idempotent), GET lists, the consumer sees it in /scopes/access/all, DELETE revokes to DENIED", async () => {
    await createScope("granted");
    const g1 = await api<Access>(t.emu.url, "PUT", `/api/v1/scopes/access/${consumerA()}${q("ttd:granted")}`, { token: owner });
    expect(g1.status).toBe(200);
    expect(g1.body).toMatchObject({
      scope: "ttd:granted",
      state: "APPROVED",
      consumer_orgno: consumerA(),
      owner_orgno: t.org("ttd").orgNumber,
    });
    expect((await api(t.emu.url, "PUT", `/api/v1/scopes/access/${consumerA()}${q("ttd:granted")}`, { token: owner })).status).toBe(200);

    const acl = await api<Access[]>(t.emu.url, "GET", `/api/v1/scopes/access${q("ttd:granted")}`, { token: owner });
    expect(acl.body.filter((a) => a.consumer_orgno === consumerA())).toHaveLength(1);

    const consumerToken = await adminToken(t, "consumer-a");
    const mine = await api<Access[]>(t.emu.url, "GET", "/api/v1/scopes/access/all?integration_type=maskinporten", { token: consumerToken });
    expect(mine.status).toBe(200);
    expect(mine.body.map((a) => a.scope)).toContain("ttd:granted");

    const rev = await api<Access>(t.emu.url, "DELETE", `/api/v1/scopes/access/${consumerA()}${q("ttd:granted")}`, { token: owner });
    expect(rev.status).toBe(200);
    expect(rev.body.state).toBe("DENIED");
    const after = await api<Access[]>(t.emu.url, "GET", "/api/v1/scopes/access/all", { token: consumerToken });
    expect(after.status === 200 ? after.body.map((a) => a.scope) : []).not.toContain("ttd:granted");
  });

  it("/scopes/access/all leaves a revoked (DENIED) access out unless ?inactive=true (spec §2: soft-deleted entities)", async () => {
    await createScope("revoked.listing");
    const consumerToken = await adminToken(t, "consumer-a");
    expect((await api(t.emu.url, "PUT", `/api/v1/scopes/access/${consumerA()}${q("ttd:revoked.listing")}`, { token: owner })).status).toBe(
      200,
    );
    expect(
      (await api(t.emu.url, "DELETE", `/api/v1/scopes/access/${consumerA()}${q("ttd:revoked.listing")}`, { token: owner })).status,
    ).toBe(200);
    const active = await api<Access[]>(t.emu.url, "GET", "/api/v1/scopes/access/all", { token: consumerToken });
    expect(active.status === 200 ? active.body.map((a) => a.scope) : []).not.toContain("ttd:revoked.listing");
    const withInactive = await api<Access[]>(t.emu.url, "GET", "/api/v1/scopes/access/all?inactive=true", { token: consumerToken });
    expect(withInactive.status).toBe(200);
    expect(withInactive.body.find((a) => a.scope === "ttd:revoked.listing")?.state).toBe("DENIED");
  });

  it("an invalid consumer org number is refused with 400", async () => {
    await createScope("strict");
    expect((await api(t.emu.url, "PUT", `/api/v1/scopes/access/123456789${q("ttd:strict")}`, { token: owner })).status).toBe(400);
    expect((await api(t.emu.url, "PUT", `/api/v1/scopes/access/12345${q("ttd:strict")}`, { token: owner })).status).toBe(400);
  });

  it("only the owner manages a scope's access", async () => {
    const other = await adminToken(t, "digdir");
    const r = await api(t.emu.url, "PUT", `/api/v1/scopes/access/${consumerA()}${q("ttd:example.read")}`, { token: other });
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it("a scope without consumers lists [] (nais/digdirator reads the ACL right after creating a scope and fails on any 4xx)", async () => {
    await createScope("lonely");
    const r = await api<unknown[]>(t.emu.url, "GET", `/api/v1/scopes/access${q("ttd:lonely")}`, { token: owner });
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
  });
});

describe("public lists", () => {
  it("GET /scopes/all needs no token, lists public scopes and filters accessible_for_all", async () => {
    const all = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes/all");
    expect(all.status).toBe(200);
    const names = all.body.map((s) => s.name);
    expect(names).toContain("altinn:serviceowner");
    expect(names).toContain("digdir:dialogporten");
    const open = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes/all?accessible_for_all=true&integration_type=maskinporten");
    expect(open.body.length).toBeGreaterThan(0);
    expect(open.body.every((s) => s.accessible_for_all)).toBe(true);
  });

  it("/scopes/all leaves inactive scopes out unless inactive=true; flags bind like Spring booleans (True, 1)", async () => {
    await createScope("public.retired", { accessible_for_all: true });
    expect((await api(t.emu.url, "DELETE", `/api/v1/scopes${q("ttd:public.retired")}`, { token: owner })).status).toBe(200);
    const names = async (query: string) => (await api<Scope[]>(t.emu.url, "GET", `/api/v1/scopes/all${query}`)).body.map((s) => s.name);
    expect(await names("")).not.toContain("ttd:public.retired");
    expect(await names("?inactive=false")).not.toContain("ttd:public.retired");
    expect(await names("?inactive=true")).toContain("ttd:public.retired");
    expect(await names("?inactive=True&accessible_for_all=True")).toContain("ttd:public.retired");
    const open = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes/all?accessible_for_all=1");
    expect(open.body.length).toBeGreaterThan(0);
    expect(open.body.every((s) => s.accessible_for_all)).toBe(true);
  });

  it("PRIVATE scopes are left out of /scopes/all", async () => {
    await createScope("hidden", { visibility: "PRIVATE" });
    const all = await api<Scope[]>(t.emu.url, "GET", "/api/v1/scopes/all");
    expect(all.body.map((s) => s.name)).not.toContain("ttd:hidden");
  });

  it("GET /delegationsources needs no token and lists altinn", async () => {
    const r = await api<{ name: string; issuer: string }[]>(t.emu.url, "GET", "/api/v1/delegationsources");
    expect(r.status).toBe(200);
    expect(r.body.map((d) => d.name)).toContain("altinn");
  });
});
