// State survives restarts, and a kill at any moment never leaves a corrupt state file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { MASKINPORTEN_CLIENT, adminToken, api, rsaKey, startTestEmulator } from "./helpers.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "emu-durable-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("restart", () => {
  it("clients, keys, scopes, grants, credentials and issued tokens survive a restart on the same state dir", async () => {
    const dir = tempDir();
    const first = await startTestEmulator(dir);
    const owner = await adminToken(first, "ttd");
    const scope = await api(first.emu.url, "POST", "/api/v1/scopes", {
      token: owner,
      body: { prefix: "ttd", subscope: "durable", description: "kept" },
    });
    expect(scope.status).toBe(200);
    const consumer = first.org("consumer-b").orgNumber;
    expect((await api(first.emu.url, "PUT", `/api/v1/scopes/access/${consumer}?scope=ttd:durable`, { token: owner })).status).toBe(200);
    const tokenB = await adminToken(first, "consumer-b");
    const client = await api<{ client_id: string }>(first.emu.url, "POST", "/api/v1/clients", {
      token: tokenB,
      body: { ...MASKINPORTEN_CLIENT, description: "durable client", scopes: ["ttd:durable"] },
    });
    expect(client.status).toBe(200);
    const jwks = await api(first.emu.url, "POST", `/api/v1/clients/${client.body.client_id}/jwks`, {
      token: tokenB,
      body: { keys: [{ ...rsaKey().publicJwk, kid: "durable-key", alg: "RS256", use: "sig" }] },
    });
    expect(jwks.status).toBe(200);
    // State is on disk as soon as the write answered, before any shutdown.
    expect(readFileSync(join(dir, "state.json"), "utf8")).toContain("durable-key");
    await first.emu.close();

    // Same port: the issuer (and so every token's iss) is http://127.0.0.1:<port>/.
    const second = await startEmulator({ port: first.emu.port, stateDir: dir, quiet: true });
    try {
      // A token issued before the restart is still accepted: the signing key is persisted too.
      const got = await api<{ scopes: string[] }>(second.url, "GET", `/api/v1/clients/${client.body.client_id}`, { token: tokenB });
      expect(got.status).toBe(200);
      expect(got.body.scopes).toEqual(["ttd:durable"]);
      const keys = await api<{ keys: { kid: string }[] }>(second.url, "GET", `/api/v1/clients/${client.body.client_id}/jwks`, {
        token: tokenB,
      });
      expect(keys.body.keys.map((k) => k.kid)).toEqual(["durable-key"]);
      const acl = await api<{ consumer_orgno: string; state: string }[]>(second.url, "GET", "/api/v1/scopes/access?scope=ttd:durable", {
        token: owner,
      });
      expect(acl.body).toEqual([expect.objectContaining({ consumer_orgno: consumer, state: "APPROVED" })]);
      const creds = await api<{ organizations: { adminClient: { certificatePem: string } }[] }>(
        second.url,
        "GET",
        "/__emulator/credentials",
      );
      expect(creds.body.organizations.map((o) => o.adminClient.certificatePem)).toEqual(
        first.orgs.map((o) => o.adminClient.certificatePem),
      );
    } finally {
      await second.close();
    }
  });

  it("a corrupt state file stops the start with a clear error instead of silently starting over", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "state.json"), '{"version":1,"organiz');
    await expect(startEmulator({ port: 0, stateDir: dir, quiet: true })).rejects.toThrow(/state\.json/);
  });

  it("leftover temp files from a killed writer are removed at start", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "state.json.tmp-123-abcd"), "half a document");
    const emu = await startEmulator({ port: 0, stateDir: dir, quiet: true });
    await emu.close();
    expect(readdirSync(dir).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });
});

describe("atomic writes", () => {
  it("killing a writer at random moments always leaves a complete, parseable file", async () => {
    const dir = tempDir();
    const file = join(dir, "state.json");
    const persist = resolve(__dirname, "../../emulator/core/persist.ts");
    // The child rewrites a ~2 MB document in a loop; every version is internally consistent.
    const script = `
      import { atomicWriteJson } from ${JSON.stringify(persist)};
      for (let n = 1; ; n++) atomicWriteJson(${JSON.stringify(file)}, { n, items: Array.from({ length: 20000 }, () => "v" + n + "-0123456789abcdef0123456789abcdef0123456789abcdef") });
    `;
    for (let round = 0; round < 4; round++) {
      const child = spawn(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], { stdio: "ignore" });
      await new Promise((ok) => setTimeout(ok, 150 + Math.floor(Math.random() * 250)));
      child.kill("SIGKILL");
      await new Promise((ok) => child.once("exit", ok));
      const doc = JSON.parse(readFileSync(file, "utf8")) as { n: number; items: string[] };
      expect(doc.items).toHaveLength(20000);
      expect(new Set(doc.items)).toEqual(new Set([`v${doc.n}-0123456789abcdef0123456789abcdef0123456789abcdef`]));
    }
  });
});
