// Soak: one `pulumi up` per seed under issue #14's fault mix (on every /api/v1/* call 10% 503s and 5% connection
// resets, and 20% of client creates committed with their answer dropped), at 50 ms latency, through the real CLI.
// For each seed it reports whether the one run converged, duplicates, orphans (clients with the stack's marker
// that state does not know), lost or stray keys (a client's live keys differ from those in state), whether state
// equals the emulator (a refresh finds nothing), how many faults fired, and the wall time. The test suite runs
// three seeds of 20 clients (test/e2e/convergence.test.ts); this runs more seeds and larger N. Asserts nothing;
// exits 1 when a seed did not converge cleanly.
//   npm run bench:soak [-- seeds=1-10] [clients=40] [latency=50]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { stringify } from "yaml";

import type * as Lib from "./lib.mjs";

const { adminCall, emulator, resourcesOf, root, stack } = (await import(new URL("./lib.mts", import.meta.url).href)) as typeof Lib;

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split("=", 2) as [string, string]));
const seedArg = args.seeds ?? "1-10";
const seeds = seedArg.includes("-")
  ? Array.from({ length: Number(seedArg.split("-")[1]) - Number(seedArg.split("-")[0]) + 1 }, (_, i) => Number(seedArg.split("-")[0]) + i)
  : seedArg.split(",").map(Number);
const clients = Number(args.clients ?? 40);
const latencyMs = Number(args.latency ?? 50);

const PROVIDER = "311000012";
const CONSUMER = "313000028";

function manifest(): unknown {
  return {
    organization: PROVIDER,
    maskinporten: {
      scopes: [{ prefix: "ttd", subscope: "soak.read", description: "Soak", consumers: [CONSUMER] }],
      clients: Array.from({ length: clients }, (_, i) => ({
        name: `c${i}`,
        organization: CONSUMER,
        scopes: i % 2 === 0 ? ["ttd:soak.read"] : ["ttd:example.read"],
        keys: ["k1"],
      })),
    },
  };
}

interface Outcome {
  seed: number;
  upOk: boolean;
  duplicates: number;
  orphans: number;
  missing: number;
  keyMismatches: number;
  refreshClean: boolean;
  faultsFired: number;
  ms: number;
}

async function soak(seed: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "bench-soak-"));
  const emu = await emulator(join(dir, "emulator"));
  const name = `soak-${seed}`;
  const st = await stack(root, name, join(root, "stacks"));
  try {
    const config = stringify({
      "altinn-onboarding:environment": "local",
      "altinn-onboarding:emulatorUrl": emu.url,
      "altinn-onboarding:manifest": manifest(),
    });
    st.setConfig(
      config
        .split("\n")
        .map((l) => (l ? `  ${l}` : l))
        .join("\n"),
    );
    await emu.control("POST", "/latency", { ms: latencyMs });
    await emu.control("POST", "/faults", { method: "POST", path: "/api/v1/clients", probability: 0.2, seed, dropResponse: true });
    await emu.control("POST", "/faults", { path: "/api/v1/*", probability: 0.1, seed: seed + 1, status: 503 });
    await emu.control("POST", "/faults", { path: "/api/v1/*", probability: 0.05, seed: seed + 2, reset: true });
    const up = await st.run(["up", "--yes", "--skip-preview"], true);
    const fired = (await emu.control("GET", "/faults")) as { hits: number }[];
    await emu.control("DELETE", "/faults");
    await emu.control("POST", "/latency", { ms: 0 });
    if (up.code !== 0) console.log(`  seed ${seed}: up failed:\n${up.stdout.slice(-3000)}\n${up.stderr.slice(-2000)}`);

    const inState = resourcesOf((await st.run(["stack", "export"])).stdout).filter((r) => r.type.endsWith("maskinporten:Client"));
    const prefix = `iac:altinn-onboarding/${name}/`;
    const live = (
      (await adminCall(emu, CONSUMER, "GET", "/clients")).json as { client_id: string; description?: string; active?: boolean }[]
    )
      .map((c) => ({ id: c.client_id, marker: /\[(iac:[^\]]+)\]$/.exec(c.description ?? "")?.[1] ?? "", active: c.active !== false }))
      .filter((c) => c.active && c.marker.startsWith(prefix));
    const byMarker = new Map<string, number>();
    for (const c of live) byMarker.set(c.marker, (byMarker.get(c.marker) ?? 0) + 1);
    const stateIds = new Set(inState.map((r) => r.id));
    let keyMismatches = 0;
    for (const r of inState) {
      const res = await adminCall(emu, CONSUMER, "GET", `/clients/${r.id}/jwks`);
      const kids = res.status === 200 ? (res.json as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort() : [];
      const want = Object.values((r.outputs?.keyIds ?? {}) as Record<string, string>).sort();
      if (JSON.stringify(kids) !== JSON.stringify(want)) keyMismatches++;
    }
    const refresh = await st.run(["refresh", "--preview-only", "--expect-no-changes"], true);
    await st.run(["destroy", "--yes", "--skip-preview"], true);
    return {
      seed,
      upOk: up.code === 0,
      duplicates: [...byMarker.values()].filter((v) => v > 1).length,
      orphans: live.filter((c) => !stateIds.has(c.id)).length,
      missing: clients - inState.length,
      keyMismatches,
      refreshClean: refresh.code === 0,
      faultsFired: fired.reduce((a, f) => a + f.hits, 0),
      ms: up.ms,
    };
  } finally {
    st.dispose();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `Soak: ${seeds.length} seeds x one up of ${clients} clients + a scope and its grant; ${latencyMs} ms latency; ` +
    "10% 503s and 5% resets on /api/v1/*, 20% of client creates committed with the answer dropped.",
);
console.log("  seed  one-run up  duplicates  orphans  missing  key mismatches  refresh clean  faults fired  up wall time");
let clean = 0;
for (const seed of seeds) {
  const o = await soak(seed);
  const ok = o.upOk && o.duplicates === 0 && o.orphans === 0 && o.missing === 0 && o.keyMismatches === 0 && o.refreshClean;
  if (ok) clean++;
  console.log(
    `  ${String(o.seed).padEnd(6)}${(o.upOk ? "yes" : "NO").padEnd(12)}${String(o.duplicates).padEnd(12)}${String(o.orphans).padEnd(9)}` +
      `${String(o.missing).padEnd(9)}${String(o.keyMismatches).padEnd(16)}${(o.refreshClean ? "yes" : "NO").padEnd(15)}` +
      `${String(o.faultsFired).padEnd(14)}${(o.ms / 1000).toFixed(1)} s`,
  );
}
console.log(`converged cleanly in one run: ${clean}/${seeds.length} seeds`);
process.exitCode = clean === seeds.length ? 0 : 1;
