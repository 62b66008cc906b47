import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

const TMP_MARK = ".tmp-";

/**
 * Writes a file so that a crash at any moment leaves either the old or the new content, never a mix:
 * write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
 */
export function atomicWriteFileSync(file: string, data: string | Buffer): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `${basename(file)}${TMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  // Makes the rename itself durable. Some platforms refuse to open a directory; durability is then best effort.
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // ignored: see above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and parses a JSON file written by {@link atomicWriteJson}; undefined when it does not exist. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`emulator state file ${file} is not valid JSON; move it away to start from the seed`, { cause: err });
  }
}

export function atomicWriteJson(file: string, value: unknown): void {
  atomicWriteFileSync(file, JSON.stringify(value, null, 2) + "\n");
}

/** Removes temp files left by a writer that was killed between creating and renaming them. */
export function removeStaleTempFiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.includes(TMP_MARK)) rmSync(join(dir, name), { force: true });
}
