/**
 * Reading and validating the manifest. No Pulumi here, so the rules are unit-testable: the program passes a
 * config lookup in. Errors name the exact path (`maskinporten.clients[2].scopes[0]: ...`) and the rule, and
 * are thrown before any resource is registered.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";

import { parse as parseYaml } from "yaml";
import type { z } from "zod";

import { formatPath } from "./path";
import { crossCheck, manifestSchema, normalise, type Manifest } from "./schema";

export { formatPath };

export class ManifestError extends Error {
  constructor(
    readonly problems: readonly string[],
    source: string,
  ) {
    super(`the onboarding manifest (${source}) is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ManifestError";
  }
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

/** Reads the hand-written policies the manifest names (relative to the project), into `policyXacml`. */
function readPolicyFiles(m: Manifest, projectDir: string, where: string): Pick<Manifest, "correspondence" | "broker"> {
  const problems: string[] = [];
  const read = <T extends { policyFile?: string | undefined }>(section: string, list: readonly T[]): (T & { policyXacml?: string })[] =>
    list.map((s, i) => {
      if (s.policyFile === undefined) return s;
      const path = isAbsolute(s.policyFile) ? s.policyFile : resolve(projectDir, s.policyFile);
      try {
        return { ...s, policyXacml: readFileSync(path, "utf8") };
      } catch (e) {
        problems.push(`${section}[${i}].policyFile: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        return s;
      }
    });
  const out = { correspondence: read("correspondence", m.correspondence), broker: read("broker", m.broker) };
  if (problems.length > 0) throw new ManifestError(problems, where);
  return out;
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
  const environment = (src.config("altinn-onboarding:environment") ?? "local").toLowerCase();
  const issues = crossCheck(parsed.data, environment);
  if (issues.length > 0)
    throw new ManifestError(
      issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
      where,
    );
  const manifest = normalise(parsed.data);
  return { ...manifest, ...readPolicyFiles(manifest, src.projectDir, where) };
}
