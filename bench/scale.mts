// Benchmark: how `pulumi up`, a no-change `preview --refresh` and the state size grow with the number of
// Maskinporten clients, against the emulator with added per-request latency (to stand in for a real API).
// Prints numbers; asserts nothing. Not part of the test run.
//   npm run build && node bench/scale.mts [clients=10,40] [latencyMs=20]
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// The emulator's compiled entry point (tsc -b emulator), loaded without importing its sources.
const { startEmulator } = (await import(join(root, "emulator/dist/index.js"))) as {
  startEmulator(o: { port: number; stateDir: string; quiet: boolean }): Promise<{ url: string; close(): Promise<void> }>;
};

const sizes = (process.argv[2] ?? "10,40").split(",").map(Number);
const latencyMs = Number(process.argv[3] ?? 20);

// Asynchronous on purpose: the emulator runs in this process and must keep answering while the CLI works.
async function pulumi(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  const r = await promisify(execFile)(join(root, ".tools/bin/pulumi"), [...args, "--non-interactive"], {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return { ms: performance.now() - t0, stdout: r.stdout };
}

console.log(`clients  up_s  preview_refresh_s  destroy_s  state_KB  state_B_per_resource  (emulator latency ${latencyMs} ms/request)`);
for (const n of sizes) {
  const base = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const emu = await startEmulator({ port: 0, stateDir: join(base, "emulator"), quiet: true });
  await fetch(`${emu.url}/__emulator/latency`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms: latencyMs }),
  });
  const stack = `bench-${n}`;
  const stackFile = join(root, "stacks", `Pulumi.${stack}.yaml`);
  const env = {
    ...process.env,
    PATH: `${join(root, ".tools/bin")}:${process.env.PATH ?? ""}`,
    PULUMI_HOME: join(base, "home"),
    PULUMI_BACKEND_URL: `file://${base}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  try {
    await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], env);
    const clients = Array.from(
      { length: n },
      (_, i) => `        - name: c${i}\n          scopes: ["ttd:example.read"]\n          keys: ["k1"]\n`,
    ).join("");
    const salt = readFileSync(stackFile, "utf8");
    writeFileSync(
      stackFile,
      `${salt.trimEnd()}\nconfig:\n  altinn-onboarding:environment: local\n  altinn-onboarding:emulatorUrl: ${emu.url}\n  altinn-onboarding:manifest:\n    organization: "313000028"\n    maskinporten:\n      clients:\n${clients}`,
    );
    const up = await pulumi(["up", "--yes", "--skip-preview", "--stack", stack], env);
    const preview = await pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", stack], env);
    const state = (await pulumi(["stack", "export", "--stack", stack], env)).stdout;
    const resources = (JSON.parse(state) as { deployment: { resources: unknown[] } }).deployment.resources.length;
    if (process.env.BENCH_DUMP_STATE) writeFileSync(process.env.BENCH_DUMP_STATE, state);
    const destroy = await pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], env);
    const kb = Buffer.byteLength(state) / 1024;
    console.log(
      `${String(n).padStart(7)}  ${(up.ms / 1000).toFixed(1).padStart(4)}  ${(preview.ms / 1000).toFixed(1).padStart(17)}  ${(destroy.ms / 1000).toFixed(1).padStart(9)}  ${kb.toFixed(0).padStart(8)}  ${Math.round(
        (kb * 1024) / resources,
      )
        .toString()
        .padStart(20)}`,
    );
  } finally {
    await emu.close();
    rmSync(stackFile, { force: true });
    rmSync(base, { recursive: true, force: true });
  }
}
