/**
 * The secrets guard of the end-to-end suite: every CLI output (except of commands run with `--show-secrets`),
 * every stack's state files, and the emulator's request log are scanned for private key material and admin
 * credentials. A finding fails the test that produced it, naming where and what kind of material, never the
 * material itself. test/e2e/secrets.test.ts checks that the guard catches what it must and runs a whole
 * lifecycle (errors included) under it.
 *
 * What counts as secret:
 * - a PEM private key block;
 * - a private JWK member (`d`, `p`, `q`, `dp`, `dq`, `qi`) with a value, in JSON or in JSON inside a string;
 * - a JWT (an access token, an admin grant);
 * - anything registered as known: the emulator's admin certificate keys, and the private keys `--show-secrets`
 *   revealed (so they cannot appear elsewhere in another form).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface Finding {
  readonly where: string;
  readonly what: string;
}

const PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\\*"(?:d|p|q|dp|dq|qi)\\*"\s*:\s*\\*"[A-Za-z0-9_-]{16,}/, "a private JWK member"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, "a JWT (token or signed grant)"],
];

/** Fragments of known secrets (each long enough never to occur by chance), with a label for findings. */
const known = new Map<string, string>();

/** Registers a secret value: its long runs of base64/base64url characters become fragments to look for. */
export function rememberSecret(label: string, value: string): void {
  for (const run of value.match(/[A-Za-z0-9+/=_-]{32,}/g) ?? []) {
    for (let i = 0; i + 32 <= run.length; i += 32) known.set(run.slice(i, i + 32), label);
  }
}

/** Registers the private members of every JWK in a text (e.g. the output of `--show-secrets`). */
export function rememberJwks(label: string, text: string): void {
  for (const m of text.matchAll(/\\*"(?:d|p|q|dp|dq|qi)\\*"\s*:\s*\\*"([A-Za-z0-9_-]{32,})/g)) rememberSecret(label, m[1] ?? "");
}

export function scan(where: string, text: string): Finding[] {
  const out: Finding[] = [];
  for (const [re, what] of PATTERNS) if (re.test(text)) out.push({ where, what });
  for (const [fragment, label] of known) {
    if (text.includes(fragment)) {
      out.push({ where, what: `part of ${label}` });
      break;
    }
  }
  return out;
}

let scanned = 0;
/** How many texts the guard has scanned in this process (the secrets test checks the guard is in the path). */
export function scannedCount(): number {
  return scanned;
}

/** Throws when a text holds secret material; the message never contains the material. */
export function assertNoSecrets(where: string, text: string): void {
  scanned++;
  const findings = scan(where, text);
  if (findings.length > 0) {
    throw new Error(`secret material found: ${findings.map((f) => `${f.what} in ${f.where}`).join("; ")} (not shown here)`);
  }
}

/** Scans every file under a directory (a file backend's state, its history and backups). */
export function assertNoSecretsInDir(where: string, dir: string): void {
  const walk = (d: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else assertNoSecrets(`${where}: ${p.slice(dir.length + 1)}`, readFileSync(p, "utf8"));
    }
  };
  walk(dir);
}

// ---- the emulator's request log ------------------------------------------------------------------------------

const emulatorLog: string[] = [];
let teeing = false;

/**
 * Takes the in-process emulator's request log (`[emulator] ...` lines on stderr) into a buffer instead of the test
 * output, so it can be scanned. Installed once per process.
 */
export function captureEmulatorLog(): void {
  if (teeing) return;
  teeing = true;
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.startsWith("[emulator] ")) {
      emulatorLog.push(text);
      return true;
    }
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
}

/** Scans and empties the captured emulator log; returns how many lines it held. */
export function assertNoSecretsInEmulatorLog(where: string): number {
  const lines = emulatorLog.splice(0);
  assertNoSecrets(`${where} (emulator request log)`, lines.join(""));
  return lines.length;
}
