/**
 * The README's main command, run as written (`bash tools/main.sh`, what `npm start` runs), on a free port with
 * throwaway state: it starts the emulator itself, creates the local stack with the documented development
 * passphrase, applies the example onboarding, and a key of the new client obtains a Maskinporten token.
 * A second run changes nothing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { repoRoot } from "../support/pulumi-cli.js";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function mainCommand(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(repoRoot, "tools", "main.sh")], { cwd: repoRoot, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

describe("the README's main command", () => {
  let base: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "main-command-"));
    const { PULUMI_CONFIG_PASSPHRASE: _p, PULUMI_CONFIG_PASSPHRASE_FILE: _f, ...rest } = process.env;
    env = {
      ...rest,
      EMULATOR_PORT: String(await freePort()),
      EMULATOR_STATE_DIR: join(base, "emulator"),
      PULUMI_BACKEND_URL: `file://${join(base, "state")}`,
      PULUMI_HOME: join(base, "pulumi-home"),
      NO_COLOR: "1",
    };
  });

  afterAll(() => {
    try {
      process.kill(Number(readFileSync(join(base, "emulator", "emulator.pid"), "utf8")), "SIGTERM");
    } catch {
      // the emulator never started: nothing to stop
    }
    rmSync(base, { recursive: true, force: true });
  });

  it("starts the emulator, applies the example onboarding and gets a token with the new key", async () => {
    const { code, output } = await mainCommand(env);
    expect(code, output).toBe(0);
    expect(output).toContain(`starting the emulator on http://127.0.0.1:${env.EMULATOR_PORT}`);
    expect(output).toMatch(/\+ 5 created/);
    expect(output).toMatch(/orders-reader \/ key 2026-11 \(kid [\w.-]+\): Maskinporten token issued for "ttd:orders.read"/);
    expect(output).toContain("privateJwks  : [secret]");
    expect(output).not.toMatch(/"d"\s*:/); // no private key member printed
  });

  it("changes nothing on a second run, reusing the running emulator", async () => {
    const { code, output } = await mainCommand(env);
    expect(code, output).toBe(0);
    expect(output).toContain("emulator already answering");
    expect(output).toMatch(/5 unchanged/);
    expect(output).toContain("Maskinporten token issued");
  });
});
