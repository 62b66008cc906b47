/**
 * The language host front (tools/pulumi-language-front) that tools/setup.sh installs beside a CLI built from Go
 * modules: it starts the legacy host (sdk v3.68.0) as a child, forwards every call to it and serves RunPlugin for
 * policy packs itself (test/e2e/policy.test.ts runs a pack through it). Where an official CLI is used instead (the
 * `official-cli` CI job), its own language host does that and this file is not run.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { pulumiProject, repoRoot, toolsBin } from "../support/pulumi-cli.js";

const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
const pinned = lock.packages["node_modules/@pulumi/pulumi"]?.version ?? "";
const cliDir = dirname(realpathSync(join(toolsBin, "pulumi")));
const front = join(cliDir, "pulumi-language-nodejs");

/** Starts the front in its own process group (as the engine does) with a stand-in for the legacy host. */
function startFront(legacyScript: string): {
  pid: number;
  stdout: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const dir = mkdtempSync(join(tmpdir(), "front-"));
  const legacy = join(dir, "legacy-host");
  writeFileSync(legacy, `#!/bin/sh\n${legacyScript}\n`);
  chmodSync(legacy, 0o755);
  const child = spawn(front, ["127.0.0.1:1"], { env: { ...process.env, PULUMI_LANGUAGE_FRONT_LEGACY_HOST: legacy }, detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    }),
  );
  if (child.pid === undefined) throw new Error("the front did not start");
  return { pid: child.pid, stdout: () => stdout, done };
}

const waitFor = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe("the language host front", () => {
  const project = pulumiProject(join(repoRoot, "test", "e2e", "fixtures", "smoke"));
  afterAll(() => project.cleanup());

  it("is installed beside the CLI built from Go modules, with the legacy host in legacy/", () => {
    expect(basename(cliDir), "run bash tools/setup.sh: .tools/bin/pulumi is not the Go-built toolchain with the front").toMatch(
      new RegExp(`^pulumi-v${pinned.replace(/\./g, "\\.")}-front-[0-9a-f]{12}$`),
    );
    expect(realpathSync(join(toolsBin, "pulumi-language-nodejs"))).toBe(realpathSync(front));
    const version = execFileSync(front, ["--front-version"], { encoding: "utf8" }).trim();
    expect(version).toBe(`v${pinned}+front.${basename(cliDir).split("-").pop()}`);
    expect(existsSync(join(cliDir, "legacy", "pulumi-language-nodejs"))).toBe(true);
  });

  it("forwards the engine's calls: pulumi about reports the legacy host's own plugin version", async () => {
    await project.run(["stack", "init", "e2e-front"]);
    const about = await project.run(["about", "--json"]);
    const plugins = (JSON.parse(about.stdout) as { plugins: { name: string; kind: string; version: string }[] }).plugins;
    expect(plugins.find((p) => p.kind === "language" && p.name === "nodejs")?.version).toBe("3.68.0");
  });

  it("prints its own port first, and stops quietly when the engine interrupts its process group", async () => {
    const f = startFront("echo 4242; exec sleep 30");
    await waitFor(() => f.stdout().endsWith("\n"));
    process.kill(-f.pid, "SIGINT");
    const r = await f.done;
    expect(r.stdout).toMatch(/^\d+\n$/);
    expect(r.stdout).not.toBe("4242\n");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("stops quietly when the legacy host sees the engine's interrupt first", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "front-pid-")), "legacy.pid");
    const f = startFront(`echo $$ > ${pidFile}; echo 4242; exec sleep 30`);
    await waitFor(() => f.stdout().endsWith("\n") && existsSync(pidFile));
    process.kill(Number(readFileSync(pidFile, "utf8")), "SIGINT");
    const r = await f.done;
    rmSync(dirname(pidFile), { recursive: true, force: true });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("says what failed when the legacy host dies on its own", async () => {
    const r = await startFront("echo 4242; sleep 0.3; exit 3").done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the legacy Node language host exited: exit status 3");
  });

  it("names the missing legacy host and what to do", () => {
    const dir = mkdtempSync(join(tmpdir(), "front-alone-"));
    try {
      const alone = join(dir, "pulumi-language-nodejs");
      copyFileSync(front, alone);
      const r = spawnSync(alone, ["127.0.0.1:1"], { env: { ...process.env, PULUMI_LANGUAGE_FRONT_LEGACY_HOST: "" }, encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`the legacy Node language host is missing at ${join(dir, "legacy", "pulumi-language-nodejs")}`);
      expect(r.stderr).toContain("run bash tools/setup.sh");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
