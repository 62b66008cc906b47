// Part 2 state is durable like part 1's, and a state file written before part 2 still loads.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { altinnToken, call, minimalResource } from "./altinn-helpers.js";
import { type AdminCredentials, type TestEmulator } from "./helpers.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function start(stateDir: string, port = 0): Promise<TestEmulator> {
  const emu = await startEmulator({ port, stateDir, quiet: true });
  const orgs = ((await call(emu.url, "GET", "/__emulator/credentials")).json as { organizations: AdminCredentials[] }).organizations;
  return { emu, stateDir, orgs, org: (c) => orgs.find((o) => o.orgCode === c) as AdminCredentials, stop: () => emu.close() };
}

describe("Altinn state on disk", () => {
  it("resources, policies, access lists and systems survive a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-altinn-dur-"));
    dirs.push(dir);
    const a = await start(dir);
    const token = await altinnToken(a, "ttd");
    expect(
      (await call(a.emu.url, "POST", "/resourceregistry/api/v1/resource", { token, body: minimalResource("ttd-durable", a.org("ttd")) }))
        .status,
    ).toBe(201);
    expect(
      (await call(a.emu.url, "PUT", "/resourceregistry/api/v1/access-lists/ttd/durable-list", { token, body: { name: "D" } })).status,
    ).toBe(200);
    await a.stop();
    const b = await start(dir);
    expect((await call(b.emu.url, "GET", "/resourceregistry/api/v1/resource/ttd-durable")).status).toBe(200);
    const token2 = await altinnToken(b, "ttd");
    expect((await call(b.emu.url, "GET", "/resourceregistry/api/v1/access-lists/ttd/durable-list", { token: token2 })).status).toBe(200);
    await b.stop();
  });

  it("a state file without the Altinn sections (written by part 1) loads and gets them from the seed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-altinn-old-"));
    dirs.push(dir);
    const a = await start(dir);
    await a.stop();
    const file = join(dir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const k of [
      "parties",
      "accessPackages",
      "altinnSettings",
      "resources",
      "nextResourceVersionId",
      "accessLists",
      "nextAccessListVersion",
      "subscriptions",
      "nextSubscriptionId",
      "brokerServiceOwners",
      "brokerResources",
      "systems",
      "systemUserRequests",
      "systemUsers",
    ])
      delete state[k];
    writeFileSync(file, JSON.stringify(state));
    const b = await start(dir);
    const token = await altinnToken(b, "ttd");
    expect(
      (
        await call(b.emu.url, "POST", "/resourceregistry/api/v1/resource", {
          token,
          body: minimalResource("ttd-after-upgrade", b.org("ttd")),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(b.emu.url, "PUT", "/resourceregistry/api/v1/access-lists/ttd/l/members", {
          token,
          body: { data: [`urn:altinn:organization:identifier-no:${b.org("consumer-a").orgNumber}`] },
        })
      ).status,
    ).toBe(404);
    await b.stop();
  });
});
