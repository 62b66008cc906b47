/** Process-tree helpers for tests that kill the Pulumi CLI (Linux /proc). */
import { readdirSync, readFileSync } from "node:fs";

export interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  cmdline: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z") return undefined; // a zombie has exited
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
    return { pid, ppid: Number(rest[1]), pgid: Number(rest[2]), cmdline };
  } catch {
    return undefined; // gone meanwhile
  }
}

export function allProcesses(): Proc[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== undefined);
}

/** Every live descendant of `root` (not `root` itself). */
export function descendants(root: number): Proc[] {
  const all = allProcesses();
  const out: Proc[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const p of all) {
      if (p.ppid === parent) {
        out.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  return readProc(pid) !== undefined;
}

/** Polls until `cond` holds, failing after `boundMs` (a liveness bound, not a timing assertion). */
export async function eventually(what: string, cond: () => boolean | Promise<boolean>, boundMs: number, everyMs = 100): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not within ${boundMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
