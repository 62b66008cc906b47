// Benchmark: `pulumi up`, a no-op preview, `preview --refresh` and `destroy` of N onboarding stories through the real
// CLI against the emulator with added per-request latency, each next to its floor: the same resource graph with a
// dynamic provider that only sleeps for the calls the real one makes one after another (bench/floor). Prints wall
// times, API calls per resource and phase, tokens per run, the provider's peak memory and state bytes per
// resource, with the targets beside them; asserts nothing. Not part of the test run.
//   npm run bench [-- sizes=10,40,100] [latency=50] [parallel=32] [reps=1] [shape=maskinporten-consumer]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";

import { stringify } from "yaml";

import type { FloorGraph, FloorResource } from "./floor/graph.js";
import type * as Lib from "./lib.mjs";
import type { Emulator, Run, StateResource } from "./lib.mjs";
import type * as Stories from "./stories.mjs";
import type { StoryShape } from "./stories.mjs";

// Sibling modules by their real file names (Node runs .mts as is; the type imports above give tsc their types).
const { bytes, diff, emulator, resourcesOf, root, snapshot, stack } = (await import(
  new URL("./lib.mts", import.meta.url).href
)) as typeof Lib;
const { CRITICAL_PATH, SHAPES, kindOfCall } = (await import(new URL("./stories.mts", import.meta.url).href)) as typeof Stories;

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split("=", 2) as [string, string]));
const sizes = (args.sizes ?? "10,40,100").split(",").map(Number);
const latencyMs = Number(args.latency ?? 50);
const parallel = Number(args.parallel ?? 32);
const reps = Math.max(1, Number(args.reps ?? 1));
const shape: StoryShape = SHAPES.find((s) => s.name === (args.shape ?? SHAPES[0]?.name)) ?? (SHAPES[0] as StoryShape);

/** Targets (issue #14). */
const TARGET_UP_VS_FLOOR = 1.25;
const TARGET_RESOURCE_BYTES = 2048;

const PHASES = ["up", "no-op preview", "preview --refresh", "destroy"] as const;
type Phase = (typeof PHASES)[number];
const COMMANDS: Record<Phase, string[]> = {
  up: ["up", "--yes", "--skip-preview"],
  "no-op preview": ["preview", "--expect-no-changes"],
  "preview --refresh": ["preview", "--refresh", "--expect-no-changes"],
  destroy: ["destroy", "--yes", "--skip-preview"],
};

interface Measured {
  readonly run: Run;
  /** API calls by `METHOD route`. */
  readonly calls: Map<string, number>;
  /** Tokens issued by the token endpoint, by client id. */
  readonly tokens: Map<string, number>;
}

async function measure(emu: Emulator, run: () => Promise<Run>): Promise<Measured> {
  const before = await snapshot(emu);
  const r = await run();
  const after = await snapshot(emu);
  return { run: r, calls: diff(before.calls, after.calls), tokens: diff(before.tokens, after.tokens) };
}

const kindOfType = (type: string): string => type.replace(/^pulumi-nodejs:dynamic\//, "");
const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const pad = (v: string | number, n: number): string => String(v).padEnd(n);

/** The floor's input: the real graph from its exported state, with what each operation sleeps. */
function floorGraph(resources: readonly StateResource[], stackOutputs: unknown): FloorGraph {
  const kept = resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"));
  const urns = new Set(kept.map((r) => r.urn));
  const floor: FloorResource[] = kept.map((r) => {
    const { __provider: _p, resourceKind: _k, ...outputs } = r.outputs ?? {};
    const secretOutputs = r.additionalSecretOutputs ?? [];
    // A secret is stored encrypted: filler of the ciphertext's length keeps the state the same size.
    for (const k of secretOutputs) if (k in outputs) outputs[k] = "x".repeat(Math.max(0, bytes(outputs[k]) - 2));
    return {
      urn: r.urn,
      type: r.type,
      name: r.urn.slice(r.urn.lastIndexOf("::") + 2),
      custom: r.custom === true,
      ...(r.parent && urns.has(r.parent) ? { parent: r.parent } : {}),
      dependencies: (r.dependencies ?? []).filter((d) => urns.has(d)),
      props: outputs,
      secretOutputs,
    };
  });
  const sleepMs = Object.fromEntries(
    Object.entries(CRITICAL_PATH).map(([kind, p]) => [
      kind,
      { create: p.create * latencyMs, read: p.read * latencyMs, update: p.update * latencyMs, delete: p.delete * latencyMs },
    ]),
  );
  return { sleepMs, resources: floor, stackOutputBytes: bytes(stackOutputs) };
}

function stackConfig(emu: Emulator, manifest: unknown): string {
  const config = {
    "altinn-onboarding:environment": "local",
    "altinn-onboarding:emulatorUrl": emu.url,
    "altinn-onboarding:manifest": manifest,
  };
  return stringify(config)
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
}

async function bench(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const graphFile = join(dir, "floor-graph.json");
  process.env.BENCH_FLOOR_GRAPH = graphFile; // read by the floor's program and provider (the CLI passes it on)
  const emu = await emulator(join(dir, "emulator"));
  await emu.control("POST", "/latency", { ms: latencyMs });
  const p = ["--parallel", String(parallel)];
  const real = await stack(root, `bench-${n}`, join(root, "stacks"));
  const floorDir = join(root, "bench", "floor");
  const floor = await stack(floorDir, `floor-${n}`, floorDir);
  try {
    real.setConfig(stackConfig(emu, shape.manifest(n)));
    floor.setConfig("");
    // Each round: the real cycle, then the floor's; the report takes each phase's median over the rounds.
    const rounds: { real: Map<Phase, Measured>; floor: Map<Phase, Run> }[] = [];
    let state = "";
    for (let round = 0; round < reps; round++) {
      const measuredReal = new Map<Phase, Measured>();
      for (const phase of PHASES) {
        if (phase === "destroy") state = (await real.run(["stack", "export"])).stdout;
        measuredReal.set(phase, await measure(emu, () => real.run([...COMMANDS[phase], ...p])));
      }
      const resources = resourcesOf(state);
      writeFileSync(graphFile, JSON.stringify(floorGraph(resources, resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs)));
      const floorRuns = new Map<Phase, Run>();
      for (const phase of PHASES) floorRuns.set(phase, await floor.run([...COMMANDS[phase], ...p]));
      rounds.push({ real: measuredReal, floor: floorRuns });
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
    const realMs = (ph: Phase): number => median(rounds.map((r) => r.real.get(ph)?.run.ms ?? 0));
    const floorMs = (ph: Phase): number => median(rounds.map((r) => r.floor.get(ph)?.ms ?? 0));
    const measured = rounds[0]?.real ?? new Map<Phase, Measured>();
    const peak = (ph: Phase): number => Math.max(...rounds.map((r) => r.real.get(ph)?.run.providerPeakKiB ?? 0));
    const floorPeak = Math.max(...rounds.flatMap((r) => PHASES.map((ph) => r.floor.get(ph)?.providerPeakKiB ?? 0)));
    const resources = resourcesOf(state);
    const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));

    // ---- report -----------------------------------------------------------------------------------------------
    const count = new Map<string, number>();
    for (const r of dynamic) count.set(kindOfType(r.type), (count.get(kindOfType(r.type)) ?? 0) + 1);
    const kinds = [...count.keys()].sort();
    console.log(
      `\nN=${n} stories: ${dynamic.length} resources (${kinds.map((k) => `${count.get(k)} ${k.replace(/^.*:/, "")}`).join(", ")}), ` +
        `${resources.length} in state; latency ${latencyMs} ms; -p ${parallel}`,
    );
    console.log(
      `  ${pad(`wall time${reps > 1 ? ` (median of ${reps})` : ""}`, 24)}${pad("real", 10)}${pad("floor", 10)}${pad("real/floor", 12)}target`,
    );
    for (const phase of PHASES) {
      const r = realMs(phase);
      const f = Math.max(1, floorMs(phase));
      const target =
        phase === "up"
          ? `<= ${TARGET_UP_VS_FLOOR}x: ${r / f <= TARGET_UP_VS_FLOOR ? "met" : "NOT MET"}`
          : phase === "no-op preview"
            ? ""
            : "";
      console.log(`  ${pad(phase, 24)}${pad(s(r), 10)}${pad(s(f), 10)}${pad(`${(r / f).toFixed(2)}x`, 12)}${target}`);
    }

    console.log(`  ${pad("API calls per resource", 34)}${PHASES.map((ph) => pad(ph, 20)).join("")}`);
    const callsOf = (ph: Phase, kind: string): number =>
      sum([...(measured.get(ph)?.calls ?? new Map<string, number>())].filter(([c]) => kindOfCall(c) === kind).map(([, v]) => v));
    for (const kind of kinds) {
      const k = count.get(kind) ?? 1;
      console.log(
        `  ${pad(`${kind} (n=${k})`, 34)}${PHASES.map((ph) => pad(`${(callsOf(ph, kind) / k).toFixed(2)} (${callsOf(ph, kind)})`, 20)).join("")}`,
      );
    }
    const totals = PHASES.map((ph) => sum(measured.get(ph)?.calls.values() ?? []));
    console.log(
      `  ${pad("all calls (per resource)", 34)}${totals.map((t) => pad(`${(t / dynamic.length).toFixed(2)} (${t})`, 20)).join("")}`,
    );
    const noop = totals[1] ?? -1;
    console.log(`  no-op preview: ${noop} calls (target 0: ${noop === 0 ? "met" : "NOT MET"})`);
    const tokenTarget = shape.tokenTarget(n);
    const tokens = PHASES.map((ph) => sum(measured.get(ph)?.tokens.values() ?? []));
    const worstTokens = Math.max(...tokens);
    console.log(
      `  tokens issued per run: ${PHASES.map((ph, i) => `${ph} ${tokens[i]}`).join(", ")} ` +
        `(target <= ${tokenTarget}, one per organisation and scope set: ${worstTokens <= tokenTarget ? "met" : "NOT MET"})`,
    );
    const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
    console.log(
      `  provider peak memory (VmHWM): ${PHASES.map((ph) => `${ph} ${mib(peak(ph))}`).join(", ")}; floor's provider ${mib(floorPeak)}`,
    );
    const cpuOf = (ph: Phase): number => median(rounds.map((r) => r.real.get(ph)?.run.providerCpuMs ?? 0));
    const floorCpu = median(rounds.map((r) => r.floor.get("up")?.providerCpuMs ?? 0));
    console.log(`  provider CPU time: ${PHASES.map((ph) => `${ph} ${s(cpuOf(ph))}`).join(", ")}; floor's provider in up ${s(floorCpu)}`);

    // State: what the provider stores for a resource (inputs and outputs) apart from its encrypted private keys,
    // and the whole record with what the engine adds (URN, parent, dependencies, provider reference, stack trace).
    const sizeOf = (r: StateResource): number => {
      const { privateJwks: _keys, ...outputs } = r.outputs ?? {};
      return bytes(r.inputs) + bytes(outputs);
    };
    const recordOf = (r: StateResource): number => {
      const { privateJwks: _keys, ...outputs } = r.outputs ?? {};
      return bytes({ ...r, outputs });
    };
    console.log(
      `  state: ${(Buffer.byteLength(state) / 1024).toFixed(0)} KB; ${pad("bytes per resource without encrypted keys", 46)}inputs+outputs (avg/max)   whole record (avg/max)`,
    );
    const avg = (xs: number[]): number => Math.round(sum(xs) / Math.max(1, xs.length));
    for (const kind of kinds) {
      const of = dynamic.filter((r) => kindOfType(r.type) === kind);
      const st = of.map(sizeOf);
      const rec = of.map(recordOf);
      console.log(`    ${pad(kind, 50)}${pad(`${avg(st)} / ${Math.max(...st)}`, 27)}${avg(rec)} / ${Math.max(...rec)}`);
    }
    const worst = Math.max(...dynamic.map(sizeOf));
    console.log(
      `    largest inputs+outputs: ${worst} B (target < ${TARGET_RESOURCE_BYTES} B: ${worst < TARGET_RESOURCE_BYTES ? "met" : "NOT MET"})`,
    );
  } finally {
    real.dispose();
    floor.dispose();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpu = cpus();
console.log(
  `npm run bench, ${new Date().toISOString()}: ${cpu.length} x ${cpu[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
console.log(`Story shape "${shape.name}": one story is ${shape.story}.`);
console.log(
  `Floor: the same graph with a provider that only sleeps ${latencyMs} ms per call on each operation's critical path (bench/stories.mts).`,
);
for (const n of sizes) await bench(n);
