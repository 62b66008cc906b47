// The engine watchdog: a process started the way Pulumi starts its dynamic-provider host (`node
// .../cmd/dynamic-provider/index.js <engine address>`, through a shell shim that does not exec) keeps running
// while the engine answers on its address, and exits once the engine is gone, even though its parent (the shim)
// is still there. Liveness is checked by polling with a generous bound, never by timing.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { engineAddressOf, probe } from "../../providers/runtime/watchdog.js";

const repo = resolve(__dirname, "../..");
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function fakeEngine(): Promise<{ address: string; server: Server }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  return { address: `127.0.0.1:${port}`, server };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, cond: () => boolean, boundMs: number): Promise<void> {
  const end = Date.now() + boundMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`not within ${boundMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A stand-in for Pulumi's host: a script at <tmp>/cmd/dynamic-provider/index.js that loads the runtime's
 * watchdog the way the runtime does on first use, prints its pid, and stays up (as the gRPC server would), started
 * by `sh -c 'node ... "$@"'` with a pipe on stdin, like the engine's shim.
 */
function startHost(address: string, stdinFromEngine: boolean): { shim: ChildProcess; pid: Promise<number> } {
  const dir = mkdtempSync(join(tmpdir(), "watchdog-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, "cmd", "dynamic-provider", "index.js");
  mkdirSync(join(dir, "cmd", "dynamic-provider"), { recursive: true });
  writeFileSync(
    script,
    `require(${JSON.stringify(join(repo, "providers/dist/runtime/watchdog.js"))}).watchEngineOnce();\n` +
      `console.log(String(process.pid));\nsetInterval(() => {}, 60000);\n`,
  );
  const shim = spawn("sh", ["-c", `node "${script}" "$@"`, "shim", address], {
    stdio: [stdinFromEngine ? "pipe" : "ignore", "pipe", "inherit"],
    env: { ...process.env, ALTINN_ONBOARDING_ENGINE_WATCHDOG: "" },
    detached: true,
  });
  cleanups.push(() => {
    try {
      process.kill(-(shim.pid ?? 0), "SIGKILL");
    } catch {
      // already gone
    }
  });
  const pid = new Promise<number>((ok, fail) => {
    shim.stdout?.once("data", (d: Buffer) => ok(Number(d.toString().trim())));
    shim.once("exit", (code) => fail(new Error(`the host exited early (${code})`)));
  });
  return { shim, pid };
}

describe("engine watchdog", () => {
  it("recognises Pulumi's dynamic-provider host and its engine address, and nothing else", () => {
    expect(engineAddressOf(["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:43123"])).toBe(
      "127.0.0.1:43123",
    );
    expect(engineAddressOf(["node", "/x/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:1", "extra"])).toBe("127.0.0.1:1");
    expect(engineAddressOf(["node", "/x/node_modules/vitest/vitest.mjs", "127.0.0.1:43123"])).toBeUndefined();
    expect(engineAddressOf(["node", "/x/cmd/dynamic-provider/index.js"])).toBeUndefined();
    expect(engineAddressOf(["node", "/x/cmd/dynamic-provider/index.js", "--flag"])).toBeUndefined();
  });

  it("probes: alive while something listens, gone once it stops", async () => {
    const { address, server } = await fakeEngine();
    expect(await probe(address)).toBe("alive");
    await new Promise<void>((ok) => server.close(() => ok()));
    expect(await probe(address)).toBe("gone");
  });

  it.each([
    ["with the engine's stdin pipe", true],
    ["without it (another shim)", false],
  ])("keeps the host running while the engine lives and ends it when the engine is gone, %s", async (_what, withPipe) => {
    const { address, server } = await fakeEngine();
    const { shim, pid: hostPid } = startHost(address, withPipe);
    const pid = await hostPid;
    // Alive across several probes while the engine answers.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(alive(pid)).toBe(true);
    // The engine dies (its port closes; with the pipe, its end of stdin closes too); the shim is still there.
    await new Promise<void>((ok) => server.close(() => ok()));
    if (withPipe) shim.stdin?.destroy();
    await until("the host exits", () => !alive(pid), 20_000);
    await until("the shim exits after it", () => shim.exitCode !== null, 20_000);
  });
});
