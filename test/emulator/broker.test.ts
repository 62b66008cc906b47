// Conformance of Broker's service-owner and resource configuration with
// shared/specs/altinn-events-broker-dialogporten.md §2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { altinnToken, call, minimalResource } from "./altinn-helpers.js";
import { type TestEmulator, adminToken, startTestEmulator } from "./helpers.js";

const B = "/broker/api/v1";
let t: TestEmulator;
let ttdToken: string;

beforeAll(async () => {
  t = await startTestEmulator();
  expect((await call(t.emu.url, "POST", "/__emulator/options", { body: { altinn: { brokerDeployMs: 600 } } })).status).toBe(200);
  ttdToken = await altinnToken(t, "ttd");
  for (const id of ["ttd-broker-a", "ttd-broker-b"])
    expect(
      (
        await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
          token: ttdToken,
          body: minimalResource(id, t.org("ttd"), { resourceType: "BrokerService" }),
        })
      ).status,
    ).toBe(201);
});
afterAll(async () => t.stop());

const code = (r: { json: unknown }) => (r.json as { code?: string }).code;

describe("service owner", () => {
  it("PUT resource before initialisation is 400 BRO-00024; GET serviceowner before is 404 BRO-07004", async () => {
    const r = await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, { token: ttdToken, body: { fileTransferTimeToLive: "P30D" } });
    expect(r.status).toBe(400);
    expect(code(r)).toBe("BRO-00024");
    const g = await call(t.emu.url, "GET", `${B}/serviceowner`, { token: ttdToken });
    expect(g.status).toBe(404);
    expect(code(g)).toBe("BRO-07004");
  });

  it("POST needs name; then 2xx; a repeat is 409 BRO-07002; storage goes NotStarted/DeployingResources -> Ready", async () => {
    expect((await call(t.emu.url, "POST", `${B}/serviceowner`, { token: ttdToken, body: {} })).status).toBe(400);
    const r = await call(t.emu.url, "POST", `${B}/serviceowner`, { token: ttdToken, body: { Name: t.org("ttd").orgNumber } });
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(300);
    const again = await call(t.emu.url, "POST", `${B}/serviceowner`, { token: ttdToken, body: { name: "x" } });
    expect(again.status).toBe(409);
    expect(code(again)).toBe("BRO-07002");
    const first = (await call(t.emu.url, "GET", `${B}/serviceowner`, { token: ttdToken })).json as {
      name: string;
      storageProviders: { type: string; deploymentStatus: string }[];
    };
    expect(first.name).toBe(t.org("ttd").orgNumber);
    expect(first.storageProviders.length).toBeGreaterThan(0);
    expect(["NotStarted", "DeployingResources"]).toContain(first.storageProviders[0]?.deploymentStatus);
    await new Promise((ok) => setTimeout(ok, 700));
    const later = (await call(t.emu.url, "GET", `${B}/serviceowner`, { token: ttdToken })).json as typeof first;
    expect(later.storageProviders.every((p) => p.deploymentStatus === "Ready")).toBe(true);
  });

  it("needs altinn:serviceowner (403) and takes a raw Maskinporten token", async () => {
    expect(
      (await call(t.emu.url, "GET", `${B}/serviceowner`, { token: await altinnToken(t, "ttd", ["altinn:broker.write"]) })).status,
    ).toBe(403);
    expect((await call(t.emu.url, "GET", `${B}/serviceowner`, { token: await adminToken(t, "ttd") })).status).toBe(200);
  });
});

describe("resource configuration", () => {
  it("GET of a never-configured resource is 400 BRO-00025", async () => {
    const r = await call(t.emu.url, "GET", `${B}/resource/ttd-broker-b`, { token: ttdToken });
    expect(r.status).toBe(400);
    expect(code(r)).toBe("BRO-00025");
  });

  it("PUT is a partial upsert; GET has every key, nulls included, durations as .NET TimeSpan", async () => {
    const put = await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, {
      token: ttdToken,
      body: {
        maxFileTransferSize: 2147483648,
        fileTransferTimeToLive: "P30D",
        purgeFileTransferAfterAllRecipientsConfirmed: true,
        purgeFileTransferGracePeriod: "PT2H",
        useManifestFileShim: false,
      },
    });
    expect(put.status).toBeGreaterThanOrEqual(200);
    expect(put.status).toBeLessThan(300);
    const g = await call(t.emu.url, "GET", `${B}/resource/ttd-broker-a`, { token: ttdToken });
    expect(g.status).toBe(200);
    expect(g.json).toEqual({
      maxFileTransferSize: 2147483648,
      fileTransferTimeToLive: "30.00:00:00",
      purgeFileTransferAfterAllRecipientsConfirmed: true,
      purgeFileTransferGracePeriod: "02:00:00",
      useManifestFileShim: false,
      externalServiceCodeLegacy: null,
      externalServiceEditionCodeLegacy: null,
      requiredParty: null,
    });
    // Omitted and null fields stay as they were.
    await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, {
      token: ttdToken,
      body: { purgeFileTransferGracePeriod: "PT30M", maxFileTransferSize: null },
    });
    const g2 = (await call(t.emu.url, "GET", `${B}/resource/ttd-broker-a`, { token: ttdToken })).json as Record<string, unknown>;
    expect(g2["purgeFileTransferGracePeriod"]).toBe("00:30:00");
    expect(g2["maxFileTransferSize"]).toBe(2147483648);
    expect(g2["fileTransferTimeToLive"]).toBe("30.00:00:00");
  });

  it("an unset resource reads back the defaults: TTL and grace null, purge true, shim false", async () => {
    await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-b`, { token: ttdToken, body: { requiredParty: "313000028" } });
    expect((await call(t.emu.url, "GET", `${B}/resource/ttd-broker-b`, { token: ttdToken })).json).toMatchObject({
      fileTransferTimeToLive: null,
      purgeFileTransferGracePeriod: null,
      purgeFileTransferAfterAllRecipientsConfirmed: true,
      useManifestFileShim: false,
      requiredParty: "313000028",
    });
  });

  it("validation codes", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ maxFileTransferSize: -1 }, "BRO-00011"],
      [{ maxFileTransferSize: 0 }, "BRO-00012"],
      [{ maxFileTransferSize: 1_677_721_600_001 }, "BRO-00022"],
      [{ fileTransferTimeToLive: "30 days" }, "BRO-00014"],
      [{ fileTransferTimeToLive: "P366D" }, "BRO-00015"],
      [{ purgeFileTransferGracePeriod: "2h" }, "BRO-00017"],
      [{ purgeFileTransferGracePeriod: "PT25H" }, "BRO-00018"],
      [{ useManifestFileShim: true }, "BRO-00023"],
    ];
    for (const [body, expected] of cases) {
      const r = await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, { token: ttdToken, body });
      expect(r.status, expected).toBe(400);
      expect(code(r), expected).toBe(expected);
    }
    // 50 GB + 1 is fine outside prod.
    expect(
      (await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, { token: ttdToken, body: { maxFileTransferSize: 50_000_000_001 } }))
        .status,
    ).toBeLessThan(300);
    expect(
      (
        await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, {
          token: ttdToken,
          body: { fileTransferTimeToLive: "P365D", purgeFileTransferGracePeriod: "PT24H" },
        })
      ).status,
    ).toBeLessThan(300);
  });

  it("a resource missing from the Resource Registry is 403 BRO-00005; another owner's is 401 BRO-00006", async () => {
    const missing = await call(t.emu.url, "PUT", `${B}/resource/no-such-resource`, { token: ttdToken, body: {} });
    expect(missing.status).toBe(403);
    expect(code(missing)).toBe("BRO-00005");
    const digdir = await altinnToken(t, "digdir", ["altinn:serviceowner"]);
    const foreign = await call(t.emu.url, "PUT", `${B}/resource/ttd-broker-a`, { token: digdir, body: {} });
    expect(foreign.status).toBe(401);
    expect(code(foreign)).toBe("BRO-00006");
    const foreignGet = await call(t.emu.url, "GET", `${B}/resource/ttd-broker-a`, { token: digdir });
    expect(foreignGet.status).toBe(401);
  });
});
