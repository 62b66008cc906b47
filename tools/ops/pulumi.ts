/**
 * Runs the Pulumi CLI the way `npm run pulumi` does (tools/pulumi-env.sh: the project's backend default, no
 * plugin downloads, the local stack's development passphrase only for `--stack local`), with engine events
 * streamed as JSON lines. Never with --show-secrets.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

import { parseEvents, type EngineRun } from "./events.js";

/** The repository root (tools/ops/dist/*.js and tools/ops/*.ts both sit two levels below tools/). */
export function repoRoot(): string {
  const here = __dirname;
  return resolve(here, here.endsWith(join("ops", "dist")) ? "../../.." : "../..");
}

export interface CliRun extends EngineRun {
  readonly exitCode: number;
  /** What the CLI wrote to stderr (never contains secret values: the CLI masks them). */
  readonly stderr: string;
}

export function runPulumiJson(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const root = repoRoot();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      "bash",
      [join(root, "tools", "pulumi-env.sh"), "pulumi", ...args, "--json", "--non-interactive", "--color", "never"],
      {
        cwd: root,
        env: { ...env, PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new Error(`could not start the Pulumi CLI (bash tools/pulumi-env.sh pulumi): ${e.message}`)));
    child.on("close", (code) => {
      const run = parseEvents(Buffer.concat(out).toString("utf8"));
      resolvePromise({ ...run, exitCode: code ?? -1, stderr: Buffer.concat(err).toString("utf8") });
    });
  });
}

/** Why a CLI run failed, for a person: its error diagnostics, else the last lines of stderr. */
export function failureText(run: CliRun): string {
  const errors = run.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const useful = errors.filter((m) => !/^(preview|refresh) failed$/.test(m));
  if (useful.length > 0) return useful.join("\n");
  const tail = run.stderr.trim().split("\n").slice(-10).join("\n");
  return tail || errors.join("\n") || `the Pulumi CLI exited with code ${run.exitCode}`;
}
