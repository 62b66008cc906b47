/**
 * Reading and validating the manifest. No Pulumi here, so the rules are unit-testable: the program passes a
 * config lookup in. Errors name the exact path (`maskinporten.clients[2].scopes[0]: ...`) and the rule, and
 * are thrown before any resource is registered.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

import { parse as parseYaml } from "yaml";
import type { z } from "zod";

import { manifestSchema, type Manifest } from "./schema";

export class ManifestError extends Error {
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`the onboarding manifest (${source}) is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestError";
  }
}

/** `maskinporten.clients[2].scopes[0]` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(manifest)";
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
}

const CONFIG_REF = /\$\{config:([A-Za-z0-9_.:-]+)\}/g;

/** Replaces `${config:<key>}` in every string with the stack config value; a missing key is an error. */
export function substituteConfig(
  value: unknown,
  lookup: (key: string) => string | undefined,
  path: PropertyKey[] = [],
  missing: string[] = [],
): unknown {
  if (typeof value === "string") {
    return value.replace(CONFIG_REF, (_m, key: string) => {
      const v = lookup(key);
      if (v === undefined) {
        missing.push(`${formatPath(path)}: refers to stack config "${key}", which is not set (pulumi config set ${key} <value>)`);
        return "";
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteConfig(v, lookup, [...path, i], missing));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteConfig(v, lookup, [...path, k], missing)]));
  }
  return value;
}

export interface ManifestSource {
  /** The manifest object from stack config, if any. */
  inline?: unknown;
  /** A YAML file named by stack config, relative to the project directory. */
  file?: string;
  projectDir: string;
  /** Stack config lookup (`namespace:key`, or a bare key in the project namespace). */
  config: (key: string) => string | undefined;
}

export function loadManifest(src: ManifestSource): Manifest {
  let raw: unknown;
  let where: string;
  if (src.file !== undefined) {
    const path = isAbsolute(src.file) ? src.file : resolve(src.projectDir, src.file);
    where = path;
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new ManifestError([`manifestFile: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`], path);
    }
    try {
      raw = parseYaml(text);
    } catch (e) {
      throw new ManifestError([`not valid YAML: ${(e as Error).message}`], path);
    }
  } else {
    where = "stack config altinn-onboarding:manifest";
    raw = src.inline ?? {};
  }
  const missing: string[] = [];
  const substituted = substituteConfig(raw, src.config, [], missing);
  if (missing.length > 0) throw new ManifestError(missing, where);
  const parsed = manifestSchema.safeParse(substituted);
  if (!parsed.success) throw new ManifestError(describeIssues(parsed.error.issues), where);
  return parsed.data;
}
