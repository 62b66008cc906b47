// The emulator's own control plane (/__emulator/...) as issue 3 specifies it: credentials, faults, latency,
// reset, state and metrics.
import { X509Certificate } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MASKINPORTEN_CLIENT, type TestEmulator, adminToken, api, leafOrgNumber, startTestEmulator } from "./helpers.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => t.stop());
afterEach(async () => {
  await api(t.emu.url, "DELETE", "/__emulator/faults");
  await api(t.emu.url, "POST", "/__emulator/latency", { body: { ms: 0 } });
});

const MOD11 = [3, 2, 7, 6, 5, 4, 3, 2];
function passesMod11(orgNo: string): boolean {
  const sum = MOD11.reduce((acc, w, i) => acc + w * Number(orgNo[i]), 0);
  const check = (11 - (sum % 11)) % 11;
  return /^\d{9}$/.test(orgNo) && check !== 10 && check === Number(orgNo[8]);
}

describe("health and credentials", () => {
  it("health answers 200", async () => {
    expect((await api(t.emu.url, "GET", "/__emulator/health")).status).toBe(200);
  });

  it("credentials list every seeded org with its admin client and business certificate", async () => {
    const r = await api<{ organizations: Record<string, unknown>[] }>(t.emu.url, "GET", "/__emulator/credentials");
    expect(r.status).toBe(200);
    const orgs = r.body.organizations;
    expect(orgs.length).toBeGreaterThanOrEqual(4);
    for (const o of orgs) {
      expect(Object.keys(o).sort()).toEqual(["adminClient", "name", "orgCode", "orgNumber", "scopePrefixes", "serviceOwner"]);
      const admin = o["adminClient"] as Record<string, unknown>;
      expect(Object.keys(admin).sort()).toEqual(["certificateKeyPem", "certificatePem", "clientId", "scopes"]);
      expect(passesMod11(o["orgNumber"] as string)).toBe(true);
      // The chain is leaf first; the leaf names the org and is issued by the next certificate (the test CA).
      const pems = (admin["certificatePem"] as string).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
      expect(pems.length).toBe(2);
      const leaf = new X509Certificate(pems[0] as string);
      const ca = new X509Certificate(pems[1] as string);
      expect(leaf.checkIssued(ca)).toBe(true);
      expect(leafOrgNumber(pems[0] as string)).toBe(o["orgNumber"]);
      expect(admin["certificateKeyPem"]).toContain("PRIVATE KEY");
    }
    const kinds = orgs.map((o) => o["serviceOwner"]);
    expect(kinds).toContain(true);
    expect(kinds).toContain(false);
  });

  it("admin clients have no registered keys", async () => {
    const token = await adminToken(t, "ttd");
    const id = t.org("ttd").adminClient.clientId;
    expect((await api(t.emu.url, "GET", `/api/v1/clients/${id}/jwks`, { token })).status).toBe(404);
  });
});

describe("faults", () => {
  it("a counted status fault answers the status (with Retry-After) count times, then passes", async () => {
    expect(
      (
        await api(t.emu.url, "POST", "/__emulator/faults", {
          body: { method: "GET", path: "/api/v1/scopes/all", count: 2, status: 503, retryAfter: 2 },
        })
      ).status,
    ).toBeLessThan(300);
    const a = await api(t.emu.url, "GET", "/api/v1/scopes/all");
    expect(a.status).toBe(503);
    expect(a.headers.get("retry-after")).toBe("2");
    expect((await api(t.emu.url, "GET", "/api/v1/scopes/all")).status).toBe(503);
    expect((await api(t.emu.url, "GET", "/api/v1/scopes/all")).status).toBe(200);
  });

  it("prefix patterns with * match, and other methods are left alone", async () => {
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { method: "POST", path: "/api/v1/*", status: 429 } });
    expect((await api(t.emu.url, "GET", "/api/v1/delegationsources")).status).toBe(200);
    expect((await api(t.emu.url, "POST", "/api/v1/clients", { body: {} })).status).toBe(429);
  });

  it("probability faults with the same seed fire on the same requests", async () => {
    const run = async (): Promise<number[]> => {
      await api(t.emu.url, "DELETE", "/__emulator/faults");
      await api(t.emu.url, "POST", "/__emulator/faults", {
        body: { path: "/api/v1/delegationsources", probability: 0.5, seed: 7, status: 500 },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await api(t.emu.url, "GET", "/api/v1/delegationsources")).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it("delayMs delays the answer", async () => {
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/jwk", count: 1, delayMs: 300 } });
    const start = Date.now();
    expect((await api(t.emu.url, "GET", "/jwk")).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(280);
  });

  it("hang never answers; reset drops the connection", async () => {
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/jwk", count: 1, hang: true } });
    await expect(fetch(`${t.emu.url}/jwk`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/jwk", count: 1, reset: true } });
    await expect(fetch(`${t.emu.url}/jwk`)).rejects.toThrow();
    expect((await api(t.emu.url, "GET", "/jwk")).status).toBe(200);
  });

  it("dropResponse applies the request but the caller sees a failure", async () => {
    const token = await adminToken(t, "consumer-b");
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { method: "POST", path: "/api/v1/clients", count: 1, dropResponse: true } });
    const body = {
      ...MASKINPORTEN_CLIENT,
      client_name: "dropped",
      description: "marker-dropped-1",
      scopes: ["altinn:correspondence.read"],
    };
    await expect(
      fetch(`${t.emu.url}/api/v1/clients`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    ).rejects.toThrow();
    const list = await api<{ description: string }[]>(t.emu.url, "GET", "/api/v1/clients", { token });
    expect(list.body.filter((c) => c.description === "marker-dropped-1")).toHaveLength(1);
  });

  it("no effect applies to /__emulator/: hang, reset, dropResponse and delay rules on /* leave the control plane alone", async () => {
    for (const effect of [{ hang: true }, { reset: true }, { dropResponse: true }, { delayMs: 2000 }]) {
      await api(t.emu.url, "DELETE", "/__emulator/faults");
      expect((await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/*", ...effect } })).status).toBe(201);
      const start = Date.now();
      const r = await fetch(`${t.emu.url}/__emulator/health`, { signal: AbortSignal.timeout(1500) });
      expect(r.status).toBe(200);
      expect(Date.now() - start).toBeLessThan(1000);
    }
    // The same kind of rule does hold up a real API.
    await api(t.emu.url, "DELETE", "/__emulator/faults");
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/*", count: 1, hang: true } });
    await expect(fetch(`${t.emu.url}/jwk`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
  });

  it("control-plane calls are never faulted; invalid rules are refused", async () => {
    await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/*", status: 500 } });
    expect((await api(t.emu.url, "GET", "/__emulator/health")).status).toBe(200);
    expect((await api(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/x", status: 500, hang: true } })).status).toBe(400);
  });
});

describe("latency, reset, state, metrics", () => {
  it("latency is added to real API requests only", async () => {
    await api(t.emu.url, "POST", "/__emulator/latency", { body: { ms: 250 } });
    let start = Date.now();
    await api(t.emu.url, "GET", "/jwk");
    expect(Date.now() - start).toBeGreaterThanOrEqual(230);
    start = Date.now();
    await api(t.emu.url, "GET", "/__emulator/health");
    expect(Date.now() - start).toBeLessThan(230);
  });

  it("reset brings the state back to the seed and keeps the credentials", async () => {
    const token = await adminToken(t, "ttd");
    const s = await api(t.emu.url, "POST", "/api/v1/scopes", {
      token,
      body: { prefix: "ttd", subscope: "before.reset", description: "x" },
    });
    expect(s.status).toBe(200);
    const stateBefore = await api<{ scopes: Record<string, unknown> }>(t.emu.url, "GET", "/__emulator/state");
    expect(Object.keys(stateBefore.body.scopes)).toContain("ttd:before.reset");
    expect((await api(t.emu.url, "POST", "/__emulator/reset")).status).toBe(200);
    const stateAfter = await api<{ scopes: Record<string, unknown> }>(t.emu.url, "GET", "/__emulator/state");
    expect(Object.keys(stateAfter.body.scopes)).not.toContain("ttd:before.reset");
    const creds = await api<{ organizations: { adminClient: { clientId: string; certificatePem: string } }[] }>(
      t.emu.url,
      "GET",
      "/__emulator/credentials",
    );
    expect(creds.body.organizations.map((o) => o.adminClient.clientId)).toEqual(t.orgs.map((o) => o.adminClient.clientId));
    expect(creds.body.organizations.map((o) => o.adminClient.certificatePem)).toEqual(t.orgs.map((o) => o.adminClient.certificatePem));
    await adminToken(t, "ttd");
  });

  it("metrics count requests by method, route template and status, and token requests by client", async () => {
    const token = await adminToken(t, "consumer-a");
    await api(t.emu.url, "GET", "/api/v1/clients/00000000-0000-4000-8000-000000000001", { token });
    const m = await api<{
      requests: { method: string; route: string; status: number; count: number }[];
      tokenRequests: Record<string, { issued: number; refused: number }>;
    }>(t.emu.url, "GET", "/__emulator/metrics");
    expect(
      m.body.requests.find((r) => r.method === "GET" && r.route === "/api/v1/clients/:clientId" && r.status === 404)?.count,
    ).toBeGreaterThanOrEqual(1);
    expect(m.body.tokenRequests[t.org("consumer-a").adminClient.clientId]?.issued).toBeGreaterThanOrEqual(1);
  });
});
