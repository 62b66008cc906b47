/** What `npm run drift` and `npm run plan` share: arguments, report files, exit codes. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { repoRoot } from "./pulumi.js";

/** Exit codes of both tools. */
export const EXIT = { ok: 0, found: 1, error: 2 } as const;

export class UsageError extends Error {}

export interface Options {
  readonly stack: string;
  /** `--cwd <dir>`: the Pulumi project directory, when it is not this repository (passed to the CLI as --cwd). */
  readonly cwd?: string;
  /** Where the Markdown and JSON reports go. */
  readonly out: string;
  readonly flags: ReadonlySet<string>;
  /** Repeatable options with a value (`--policy-pack <dir>`). */
  readonly lists: Readonly<Record<string, string[]>>;
}

/**
 * Parses `--stack <name> [--out <dir>] [--cwd <dir>]` plus the given boolean flags and repeatable value options. Anything else
 * is a usage error naming the argument.
 */
export function parseArgs(argv: readonly string[], allowed: { flags?: readonly string[]; lists?: readonly string[] } = {}): Options {
  const flags = new Set<string>();
  const lists: Record<string, string[]> = {};
  let stack: string | undefined;
  let out = ".reports";
  let cwd: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === "--stack" || name === "-s") stack = value();
    else if (name === "--out") out = value();
    else if (name === "--cwd") cwd = resolve(value());
    else if (allowed.flags?.includes(name) && inline === undefined) flags.add(name);
    else if (allowed.lists?.includes(name)) (lists[name] ??= []).push(value());
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
  }
  if (!stack) throw new UsageError("--stack <name> is required (the stack to check, e.g. test or prod)");
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(stack)) throw new UsageError(`not a stack name: ${JSON.stringify(stack)}`);
  return { stack, out: resolve(repoRoot(), out), ...(cwd !== undefined ? { cwd } : {}), flags, lists };
}

/** Writes `<out>/<base>-<stack>.md` and `.json`; returns their paths. */
export function writeReports(
  out: string,
  base: string,
  stack: string,
  markdown: string,
  json: unknown,
): { markdown: string; json: string } {
  mkdirSync(out, { recursive: true });
  const file = `${base}-${stack.replaceAll("/", "_")}`;
  const paths = { markdown: join(out, `${file}.md`), json: join(out, `${file}.json`) };
  writeFileSync(paths.markdown, markdown);
  writeFileSync(paths.json, `${JSON.stringify(json, null, 2)}\n`);
  return paths;
}

/** Runs a tool's main: usage errors and failures print one actionable message and exit 2. */
export function main(usage: string, body: () => Promise<number>): void {
  body().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) process.stderr.write(`${err.message}\nusage: ${usage}\n`);
      else process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(EXIT.error);
    },
  );
}

/** The CLI arguments that select the stack (and the project directory, when given). */
export function stackArgs(opts: Options): string[] {
  return ["--stack", opts.stack, ...(opts.cwd !== undefined ? ["--cwd", opts.cwd] : [])];
}
