// Benchmark: how `pulumi up`, a no-change `preview --refresh` and the state grow with the number of
// Maskinporten clients, against the emulator with added per-request latency (to stand in for a real API).
// Each run is an API provider with 2 scopes granted to 2 consumers (4 grants) and N consumer clients with one
// key each. Prints numbers, with the targets beside them; asserts nothing. Not part of the test run.
//   npm run bench [-- clients=40 [latencyMs=20]]      (sizes may be a list: 10,40)
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

const sizes = (process.argv[2] ?? "40").split(",").map(Number);
const latencyMs = Number(process.argv[3] ?? 20);
/** Target (issue: state that grows too fast): every dynamic resource under 2 KB apart from its encrypted keys. */
const TARGET_RESOURCE_BYTES = 2048;

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

function manifestYaml(clients: number): string {
  const scopes = ["bench.a", "bench.b"]
    .map((s) => `        - { prefix: ttd, subscope: ${s}, description: "Bench ${s}", consumers: ["313000028", "314000013"] }\n`)
    .join("");
  const list = Array.from(
    { length: clients },
    (_, i) => `        - { name: c${i}, organization: "313000028", scopes: ["ttd:bench.a"], keys: ["k1"] }\n`,
  ).join("");
  return `    organization: "311000012"\n    maskinporten:\n      scopes:\n${scopes}      clients:\n${list}`;
}

interface StateResource {
  type: string;
  urn: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v ?? null), "utf8");

console.log(`Emulator latency ${latencyMs} ms per request; 2 scopes, 4 grants, N clients with one key each.`);
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
    const salt = readFileSync(stackFile, "utf8");
    writeFileSync(
      stackFile,
      `${salt.trimEnd()}\nconfig:\n  altinn-onboarding:environment: local\n  altinn-onboarding:emulatorUrl: ${emu.url}\n  altinn-onboarding:manifest:\n${manifestYaml(n)}`,
    );
    const up = await pulumi(["up", "--yes", "--skip-preview", "--stack", stack], env);
    const preview = await pulumi(["preview", "--refresh", "--expect-no-changes", "--stack", stack], env);
    const state = (await pulumi(["stack", "export", "--stack", stack], env)).stdout;
    if (process.env.BENCH_DUMP_STATE) writeFileSync(process.env.BENCH_DUMP_STATE, state);
    const destroy = await pulumi(["destroy", "--yes", "--skip-preview", "--stack", stack], env);

    const resources = (JSON.parse(state) as { deployment: { resources: StateResource[] } }).deployment.resources;
    const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    // What the provider stores for a resource (its inputs and outputs), apart from its encrypted private keys
    // (the client's secret `privateJwks` output); and the whole record, with what the engine adds (URN, parent,
    // dependencies, provider reference, stack trace, timestamps).
    const sizeOf = (r: StateResource): number => {
      const { privateJwks: _keys, ...outputs } = r.outputs ?? {};
      return bytes(r.inputs) + bytes(outputs);
    };
    const recordOf = (r: StateResource): number => {
      const { privateJwks: _keys, ...outputs } = r.outputs ?? {};
      return bytes({ ...r, outputs });
    };
    const byType = new Map<string, { state: number[]; record: number[] }>();
    for (const r of dynamic) {
      const e = byType.get(r.type) ?? { state: [], record: [] };
      e.state.push(sizeOf(r));
      e.record.push(recordOf(r));
      byType.set(r.type, e);
    }
    const keysBytes = dynamic.reduce((s, r) => s + (r.outputs?.privateJwks === undefined ? 0 : bytes(r.outputs.privateJwks)), 0);
    const component = resources.find((r) => r.type === "altinn-onboarding:maskinporten:Onboarding");
    const stackRes = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const worst = Math.max(...dynamic.map(sizeOf));

    console.log(`\nclients=${n}: ${resources.length} resources in state, ${(Buffer.byteLength(state) / 1024).toFixed(0)} KB`);
    console.log(
      `  up ${(up.ms / 1000).toFixed(1)} s   preview --refresh ${(preview.ms / 1000).toFixed(1)} s   destroy ${(destroy.ms / 1000).toFixed(1)} s`,
    );
    const avg = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
    console.log(`  ${"bytes per resource, without encrypted keys".padEnd(52)} inputs+outputs (avg/max)   whole record (avg/max)`);
    for (const [type, e] of byType) {
      console.log(
        `  ${type.padEnd(46)} n=${String(e.state.length).padStart(3)}  ${`${avg(e.state)} / ${Math.max(...e.state)}`.padEnd(25)}  ${avg(e.record)} / ${Math.max(...e.record)}`,
      );
    }
    console.log(
      `  largest inputs+outputs without encrypted keys: ${worst} B (target < ${TARGET_RESOURCE_BYTES} B: ${worst < TARGET_RESOURCE_BYTES ? "met" : "NOT MET"})`,
    );
    console.log(`  encrypted private keys: ${keysBytes} B in all, ${Math.round(keysBytes / Math.max(1, n))} B per client`);
    console.log(`  component outputs ${bytes(component?.outputs)} B, stack outputs ${bytes(stackRes?.outputs)} B`);
  } finally {
    await emu.close();
    rmSync(stackFile, { force: true });
    rmSync(base, { recursive: true, force: true });
  }
}
