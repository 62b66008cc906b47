// The CLI contract of `npm run emulator` (first stdout line, env vars, clean stop) and the seed loader's checks.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { api } from "./helpers.js";

const root = resolve(__dirname, "../..");
const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "emu-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("npm run emulator (emulator/dist/main.js)", () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", join(root, "emulator")], { stdio: "inherit" });
  }, 120_000);

  it("prints the listening line first, honours EMULATOR_PORT/EMULATOR_STATE_DIR/EMULATOR_SEED and stops cleanly on SIGTERM", async () => {
    const stateDir = tempDir();
    const seed = join(stateDir, "seed.yaml");
    writeFileSync(
      seed,
      [
        "organizations:",
        "  - { orgNumber: '311000012', orgCode: ttd, name: Yaml Agency, serviceOwner: true, scopePrefixes: [idporten], adminClient: { scopes: ['idporten:dcr.read'] } }",
        "scopes:",
        "  - { name: 'idporten:dcr.read', description: read }",
      ].join("\n"),
    );
    const child = spawn(process.execPath, [join(root, "emulator/dist/main.js")], {
      env: { ...process.env, EMULATOR_PORT: "0", EMULATOR_STATE_DIR: stateDir, EMULATOR_SEED: seed, EMULATOR_QUIET: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const firstLine = await new Promise<string>((ok, fail) => {
      let buf = "";
      child.stdout.on("data", (c: Buffer) => {
        buf += c.toString();
        if (buf.includes("\n")) ok(buf.slice(0, buf.indexOf("\n")));
      });
      child.once("exit", (code) => fail(new Error(`exited ${String(code)} before listening`)));
    });
    expect(firstLine).toMatch(/^emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = firstLine.slice("emulator listening on ".length);
    const creds = await api<{ organizations: { name: string }[] }>(url, "GET", "/__emulator/credentials");
    expect(creds.body.organizations.map((o) => o.name)).toEqual(["Yaml Agency"]);
    const exit = new Promise<number | null>((ok) => child.once("exit", ok));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });
});

describe("seed validation", () => {
  it("an org number failing MOD11 is refused with the path named", async () => {
    const dir = tempDir();
    const seed = join(dir, "bad.json");
    writeFileSync(
      seed,
      JSON.stringify({ organizations: [{ orgNumber: "311000013", orgCode: "x", name: "X", adminClient: { scopes: ["a:b"] } }] }),
    );
    await expect(startEmulator({ port: 0, stateDir: dir, seedFile: seed, quiet: true })).rejects.toThrow(/organizations\.0\.orgNumber/);
  });

  it("an admin scope that is not granted to its org is refused", async () => {
    const dir = tempDir();
    const seed = join(dir, "ungranted.json");
    writeFileSync(
      seed,
      JSON.stringify({
        organizations: [
          { orgNumber: "311000012", orgCode: "a", name: "A", scopePrefixes: ["aa"], adminClient: { scopes: ["aa:x"] } },
          { orgNumber: "312000016", orgCode: "b", name: "B", adminClient: { scopes: ["aa:x"] } },
        ],
        scopes: [{ name: "aa:x", description: "x" }],
      }),
    );
    await expect(startEmulator({ port: 0, stateDir: dir, seedFile: seed, quiet: true })).rejects.toThrow(/not granted to 312000016/);
  });
});
