// Shared pieces of the benchmarks: the emulator (compiled, in this process), throwaway stacks driven through the
// real CLI, the emulator's request metrics, and the peak memory of the dynamic-provider process a command starts.
import { spawn } from "node:child_process";
import { createPrivateKey, randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { SignJWT } from "jose";

export const root = resolve(import.meta.dirname, "..");

// The emulator's compiled entry point (tsc -b emulator), loaded without importing its sources.
const { startEmulator } = (await import(join(root, "emulator/dist/index.js"))) as {
  startEmulator(o: { port: number; stateDir: string; quiet: boolean }): Promise<{ url: string; close(): Promise<void> }>;
};

export interface Emulator {
  readonly url: string;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function emulator(dir: string): Promise<Emulator> {
  const emu = await startEmulator({ port: 0, stateDir: dir, quiet: true });
  return {
    url: emu.url,
    async control(method, path, body) {
      const res = await fetch(`${emu.url}/__emulator${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} /__emulator${path}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : undefined;
    },
    close: () => emu.close(),
  };
}

export interface Snapshot {
  /** Requests by `METHOD route` (control plane excluded). */
  readonly calls: Map<string, number>;
  /** Tokens issued, by client id. */
  readonly tokens: Map<string, number>;
}

export async function snapshot(emu: Emulator): Promise<Snapshot> {
  const m = (await emu.control("GET", "/metrics")) as {
    requests: { method: string; route: string; count: number }[];
    tokenRequests: Record<string, { issued: number }>;
  };
  const calls = new Map<string, number>();
  for (const r of m.requests) {
    if (r.route.startsWith("/__emulator/")) continue;
    calls.set(`${r.method} ${r.route}`, (calls.get(`${r.method} ${r.route}`) ?? 0) + r.count);
  }
  return { calls, tokens: new Map(Object.entries(m.tokenRequests).map(([k, v]) => [k, v.issued])) };
}

export function diff<K>(before: Map<K, number>, after: Map<K, number>): Map<K, number> {
  const out = new Map<K, number>();
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) out.set(k, v - (before.get(k) ?? 0));
  return out;
}

/** The environment of a throwaway CLI home and file backend under `base`. */
export function cliEnv(base: string, passphrase: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(root, ".tools/bin")}:${process.env.PATH ?? ""}`,
    PULUMI_HOME: join(base, "home"),
    PULUMI_BACKEND_URL: `file://${base}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

export interface Run {
  readonly ms: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident memory (VmHWM) of the dynamic-provider process the command started, in KiB (0: none seen). */
  readonly providerPeakKiB: number;
  /** CPU time (user + system) of that process, as last sampled (every 100 ms), in ms. */
  readonly providerCpuMs: number;
}

/** User + system CPU time of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

function vmHwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The dynamic-provider hosts (`.../cmd/dynamic-provider ...`) among `root`'s descendants. */
function providerPids(rootPid: number): number[] {
  const parents = new Map<number, number>();
  const cmds = new Map<number, string>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      parents.set(Number(d), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
      cmds.set(Number(d), readFileSync(`/proc/${d}/cmdline`, "utf8"));
    } catch {
      // gone meanwhile
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === rootPid) return true;
    return false;
  };
  return [...cmds].filter(([pid, cmd]) => cmd.includes("cmd/dynamic-provider") && isDescendant(pid)).map(([pid]) => pid);
}

/** Runs the CLI asynchronously (the emulator in this process keeps answering), sampling the provider's memory. */
export function pulumi(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; allowFailure?: boolean }): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(join(root, ".tools/bin/pulumi"), [...args, "--non-interactive", "--color", "never"], {
      cwd: opts.cwd,
      env: opts.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const cpu = new Map<number, number>();
    const sampler = setInterval(() => {
      for (const pid of providerPids(child.pid ?? -1)) {
        peak = Math.max(peak, vmHwmKiB(pid));
        cpu.set(pid, Math.max(cpu.get(pid) ?? 0, cpuMs(pid)));
      }
    }, 100);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(sampler);
      const run = {
        ms: performance.now() - t0,
        code: code ?? -1,
        stdout,
        stderr,
        providerPeakKiB: peak,
        providerCpuMs: [...cpu.values()].reduce((a, b) => a + b, 0),
      };
      if (code !== 0 && !opts.allowFailure) reject(new Error(`pulumi ${args.join(" ")} exited ${code}\n${stdout}\n${stderr}`));
      else resolvePromise(run);
    });
  });
}

/** A throwaway stack: its own temp backend and CLI home; `config` is the YAML of its `config:` block. */
export interface Stack {
  readonly name: string;
  readonly base: string;
  run(args: string[], allowFailure?: boolean): Promise<Run>;
  setConfig(configYaml: string): void;
  dispose(): void;
}

export async function stack(projectDir: string, name: string, stackConfigDir: string): Promise<Stack> {
  const base = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const env = cliEnv(base, "bench");
  const file = join(stackConfigDir, `Pulumi.${name}.yaml`);
  const run = (args: string[], allowFailure = false): Promise<Run> =>
    pulumi([...args, "--stack", name], { cwd: projectDir, env, allowFailure });
  rmSync(file, { force: true });
  await pulumi(["stack", "init", name, "--secrets-provider", "passphrase"], { cwd: projectDir, env });
  const salt = readFileSync(file, "utf8").trimEnd();
  return {
    name,
    base,
    run,
    setConfig: (configYaml) => writeFileSync(file, `${salt}\nconfig:\n${configYaml}`),
    dispose() {
      rmSync(file, { force: true });
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A resource of a `pulumi stack export` deployment. */
export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  dependencies?: string[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
}

export function resourcesOf(exported: string): StateResource[] {
  return (JSON.parse(exported) as { deployment: { resources?: StateResource[] } }).deployment.resources ?? [];
}

export const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v ?? null), "utf8");

// ---- the Digdir self-service API as an organisation's admin (for checks that do not trust the provider) -------

interface EmulatorOrg {
  orgNumber: string;
  adminClient: { clientId: string; scopes: string[]; certificatePem: string; certificateKeyPem: string };
}

export async function adminCall(
  emu: Emulator,
  orgNumber: string,
  method: string,
  path: string,
): Promise<{ status: number; json: unknown }> {
  const { organizations } = (await emu.control("GET", "/credentials")) as { organizations: EmulatorOrg[] };
  const org = organizations.find((o) => o.orgNumber === orgNumber);
  if (!org) throw new Error(`no organisation ${orgNumber}`);
  const chain = [...org.adminClient.certificatePem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    (m[1] ?? "").replace(/\s+/g, ""),
  );
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({ scope: org.adminClient.scopes.join(" ") })
    .setProtectedHeader({ alg: "RS256", x5c: chain })
    .setIssuer(org.adminClient.clientId)
    .setAudience(`${emu.url}/`)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(createPrivateKey(org.adminClient.certificateKeyPem));
  const tok = await fetch(`${emu.url}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
  });
  const { access_token } = (await tok.json()) as { access_token: string };
  const res = await fetch(`${emu.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${access_token}` } });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
