/**
 * The README's main command, run as written (`bash tools/main.sh`, what `npm start` runs), on a free port with
 * throwaway state: it starts the emulator itself, creates the local stack with the documented development
 * passphrase, applies the full example onboarding (a service owner with a Correspondence service and a Broker
 * service, an API provider with a consumer, a system vendor with one customer, who accepts through the
 * emulator's control plane), prints a summary a person can read, and `verify` passes every check. A second run
 * changes nothing; after a destroy, it works again (identifiers that can never be reused upstream do not break it).
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

  const passes = (output: string): void => {
    expect(output).toMatch(/verify: \d+ passed, 0 failed, 0 waiting/);
    for (const check of [
      /client letters-sender\s+Maskinporten token with key 2026-11\s+pass/,
      /correspondence order-letters\s+read as recipient 314000013\s+pass/,
      /broker invoices\s+list as recipient 313000028\s+pass/,
      /correspondence order-letters\s+event delivered to \S+\/__emulator\/sink\/order-letters .*pass/,
      /end-user system orders-app\s+Dialogporten search for 313000028\s+pass/,
    ])
      expect(output).toMatch(check);
  };

  it("starts the emulator, applies the full example, the customer accepts, and verify passes every check", async () => {
    const { code, output } = await mainCommand(env);
    expect(code, output).toBe(0);
    expect(output).toContain(`starting the emulator on http://127.0.0.1:${env.EMULATOR_PORT}`);
    expect(output).toMatch(/\+ \d+ created/);
    expect(output).toMatch(/customer 313000028 accepts the system-user request of 312000016_orders_app/);
    expect(output).toMatch(/Correspondence service order-letters: resource ttd-order-letters of ttd/);
    expect(output).toMatch(/customer 313000028: Accepted/);
    passes(output);
    expect(output).not.toMatch(/"d"\s*:/); // no private key member printed
  });

  it("changes nothing on a second run, reusing the running emulator", async () => {
    const { code, output } = await mainCommand(env);
    expect(code, output).toBe(0);
    expect(output).toContain("emulator already answering");
    expect(output).toMatch(/\d+ unchanged/);
    expect(output).not.toMatch(/\d+ (created|updated|replaced|deleted)/);
    passes(output);
  });

  it("works again after a destroy", async () => {
    const destroy = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        "bash",
        [join(repoRoot, "tools", "pulumi-env.sh"), "pulumi", "destroy", "--yes", "--skip-preview", "--stack", "local", "--non-interactive"],
        {
          cwd: repoRoot,
          env: { ...env, ALTINN_ONBOARDING_EMULATOR_URL: `http://127.0.0.1:${env.EMULATOR_PORT}` },
          stdio: "ignore",
        },
      );
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? -1));
    });
    expect(destroy).toBe(0);
    const { code, output } = await mainCommand(env);
    expect(code, output).toBe(0);
    expect(output).toMatch(/the emulator starts from its seed/);
    passes(output);
  });
});
