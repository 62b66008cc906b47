/**
 * Drives the real Pulumi CLI (.tools/bin/pulumi) for end-to-end tests: a throwaway project directory, a
 * file backend and PULUMI_HOME in a temp dir, no plugin downloads, no update checks.
 */
import { spawn } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { assertNoSecrets, assertNoSecretsInDir, rememberJwks } from "./secrets.js";

export const repoRoot = resolve(__dirname, "../..");
export const toolsBin = join(repoRoot, ".tools", "bin");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiProject {
  dir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], opts?: { allowFailure?: boolean; env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  cleanup(): void;
}

/**
 * A drift check as users run it: `refresh --preview-only --expect-no-changes` (with `--diff` to name the fields).
 * Exit 0: no drift; a failed exit is returned, not thrown.
 */
export function driftCheck(project: PulumiProject, diff = false): Promise<CliResult> {
  return project.run(["refresh", "--preview-only", "--expect-no-changes", ...(diff ? ["--diff"] : [])], { allowFailure: true });
}

/** The CLI's environment: state and PULUMI_HOME under `base` (which gets a `state` folder), no downloads. */
function cliEnv(base: string, extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  mkdirSync(join(base, "state"), { recursive: true });
  return {
    ...process.env,
    PATH: `${toolsBin}:${process.env.PATH ?? ""}`,
    PULUMI_HOME: join(base, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${join(base, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NO_COLOR: "1",
    ...extraEnv,
  };
}

/** Copies a fixture project to a temp dir (node_modules linked to the repo's) with its own state backend. */
export function pulumiProject(fixtureDir: string, extraEnv: NodeJS.ProcessEnv = {}): PulumiProject {
  const base = mkdtempSync(join(tmpdir(), "altinn-onboarding-e2e-"));
  const dir = join(base, "project");
  cpSync(fixtureDir, dir, { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  const env = cliEnv(base, extraEnv);
  return {
    dir,
    env,
    run: (args, opts = {}) => runPulumi(args, dir, { ...env, ...opts.env }, opts.allowFailure ?? false),
    cleanup: () => {
      try {
        assertNoSecretsInDir("the stack's state files", join(base, "state"));
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

/**
 * A throwaway stack of the repository's own project (Pulumi.yaml, index.ts, stacks/): its state and
 * PULUMI_HOME live in a temp dir, its stack file stacks/Pulumi.<stack>.yaml (git-ignored pattern e2e-*) is
 * removed by cleanup().
 */
export async function repoStack(stack: string, configYaml: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<PulumiProject> {
  if (!/^e2e-[a-z0-9-]+$/.test(stack)) throw new Error("e2e stacks are named e2e-<something>");
  const base = mkdtempSync(join(tmpdir(), "altinn-onboarding-e2e-"));
  const stackFile = join(repoRoot, "stacks", `Pulumi.${stack}.yaml`);
  const env = cliEnv(base, extraEnv);
  const project: PulumiProject = {
    dir: repoRoot,
    env,
    run: (args, opts = {}) => runPulumi([...args, "--stack", stack], repoRoot, { ...env, ...opts.env }, opts.allowFailure ?? false),
    cleanup: () => {
      try {
        assertNoSecretsInDir(`the state files of stack ${stack}`, join(base, "state"));
      } finally {
        rmSync(stackFile, { force: true });
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
  rmSync(stackFile, { force: true });
  await runPulumi(["stack", "init", stack, "--secrets-provider", "passphrase"], repoRoot, env, false);
  if (configYaml) appendFileSync(stackFile, configYaml);
  return project;
}

export function runPulumi(args: string[], cwd: string, env: NodeJS.ProcessEnv, allowFailure: boolean): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(toolsBin, "pulumi"), [...args, "--non-interactive", "--color", "never"], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      // The secrets guard (secrets.ts): only a command asked to show secrets may print them.
      if (args.includes("--show-secrets")) {
        rememberJwks("a private key shown by --show-secrets", stdout);
      } else {
        try {
          assertNoSecrets(`the output of pulumi ${args.join(" ")}`, stdout + stderr);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
      }
      if (code !== 0 && !allowFailure) {
        reject(new Error(`pulumi ${args.join(" ")} exited ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      } else {
        resolvePromise(result);
      }
    });
  });
}

/** The dynamic resources of a `pulumi stack export` deployment. */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export function dynamicResources(exported: string): ExportedResource[] {
  const doc = JSON.parse(exported) as { deployment?: { resources?: ExportedResource[] } };
  return (doc.deployment?.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
}

/** Bytes of the serialized `__provider`, whether stored as plain text or as a secret envelope. */
export function providerSize(value: unknown): number {
  return Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value ?? ""), "utf8");
}
