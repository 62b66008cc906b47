// Bad input in-process, as one table (test/support/bad-inputs.ts): each invalid manifest is refused by the manifest
// loader with the path of the wrong value and its rule; each invalid input of a kind without a manifest section is
// refused by the kind's check with the property and the rule. Everything goes through the same path a run takes
// (manifest -> each resource's check -> create) against an in-process emulator, which counts the calls: the whole
// table makes none. The control: the valid manifest and inputs the cases are made from do make calls.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadManifest, ManifestError } from "../../manifest/index.js";
import { manifestSchema } from "../../manifest/schema.js";
import type { Props } from "../../providers/runtime/contract.js";
import { runtime } from "../../providers/serve.js";
import { metrics, type Metrics } from "../support/emulator-control.js";
import { KIND_CASES, MANIFEST_CASES, STORY_CASES, VALID_KIND_INPUTS, VALID_MANIFEST, VALID_STORIES } from "../support/bad-inputs.js";
import { startProviderEnv, type ProviderTestEnv } from "../providers/support.js";

let t: ProviderTestEnv;
let before: Metrics;
beforeAll(async () => {
  t = await startProviderEnv();
  before = await metrics(t.emu.url);
});
afterAll(async () => {
  await t.close();
});

/** The engine's order for one resource: check (failures stop it), then create. */
async function apply(kind: string, args: Props): Promise<{ property: string; reason: string }[]> {
  const checked = await runtime.check({}, { ...args, resourceKind: kind });
  if (checked.failures && checked.failures.length > 0) return checked.failures;
  await runtime.create(checked.inputs ?? {});
  return [];
}

/**
 * What the program does with a manifest, resource by resource (index.ts, components/), as far as the
 * Maskinporten stories go (the control needs no more: calls show up); the manifest's problems.
 */
async function run(manifest: unknown, marker: string): Promise<string[]> {
  let m;
  try {
    m = loadManifest({ inline: manifest, projectDir: "/nonexistent", config: () => undefined });
  } catch (e) {
    if (e instanceof ManifestError) return [...e.problems];
    throw e;
  }
  const org = m.organization;
  for (const s of m.apiProvider.scopes) {
    const { consumers, ...fields } = s;
    await apply("maskinporten:Scope", { ...fields, organization: s.organization ?? org, adopt: true });
    for (const consumerOrg of consumers)
      await apply("maskinporten:ScopeGrant", { organization: s.organization ?? org, scope: `${s.prefix}:${s.subscope}`, consumerOrg });
  }
  for (const c of m.consumers) {
    const { clientName, keyVault: _vault, subscriptions: _subscriptions, ...fields } = c;
    await apply("maskinporten:Client", { ...fields, name: clientName ?? c.name, organization: c.organization ?? org, marker });
  }
  return [];
}

const CASES = [...MANIFEST_CASES, ...STORY_CASES];

describe("invalid manifests, refused before any call", () => {
  it(`has at least 60 invalid manifests, covering every section of the manifest (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    // Every top-level section the schema knows has cases (a new section without cases fails here).
    const sections = Object.keys(manifestSchema.shape).filter((k) => k !== "organization");
    for (const section of sections)
      expect(
        CASES.some((c) => c.section.split(".")[0] === section),
        section,
      ).toBe(true);
  });

  it.each(CASES.map((c, i) => [`${c.section}: ${c.what}`, i] as const))("%s", async (_name, i) => {
    const c = CASES[i];
    if (!c) throw new Error(`no case ${i}`);
    const problems = await run(c.manifest, `iac:test/bad-input/${i}`);
    const named = problems.filter((p) => p.startsWith(`${c.path}: `));
    expect(named.length, `no problem at ${c.path}; got:\n${problems.join("\n")}`).toBeGreaterThan(0);
    expect(
      named.some((p) => c.rule.test(p)),
      `${c.path}: ${String(c.rule)} not in:\n${named.join("\n")}`,
    ).toBe(true);
  });

  it.each(KIND_CASES.map((c, i) => [`${c.kind}: ${c.what}`, i] as const))("%s", async (_name, i) => {
    const c = KIND_CASES[i];
    if (!c) throw new Error(`no case ${i}`);
    const failures = await apply(c.kind, c.args);
    const named = failures.filter((f) => f.property === c.property);
    expect(named.length, `no failure at ${c.property}; got ${JSON.stringify(failures)}`).toBeGreaterThan(0);
    expect(
      named.some((f) => c.rule.test(f.reason)),
      JSON.stringify(named),
    ).toBe(true);
  });

  // Runs after the table (vitest runs a file's tests in order).
  it("made no API call at all for the whole table", async () => {
    const after = await metrics(t.emu.url);
    const calls = [...after.calls].filter(([k, v]) => v !== (before.calls.get(k) ?? 0));
    expect(calls).toEqual([]);
  });

  it("control: the valid manifest the cases break, and the valid kind inputs, pass their rules and do reach the API", async () => {
    expect(await run(VALID_STORIES, "iac:test/bad-input/stories")).toEqual([]);
    expect(await run(VALID_MANIFEST, "iac:test/bad-input/valid")).toEqual([]);
    const checkOnly = await Promise.all(
      Object.entries(VALID_KIND_INPUTS).map(
        async ([kind, args]) => (await runtime.check({}, { ...args, resourceKind: kind })).failures ?? [],
      ),
    );
    expect(checkOnly.flat()).toEqual([]);
    const after = await metrics(t.emu.url);
    const posts = [...after.calls].filter(([k, v]) => k.startsWith("POST /api/v1/") && v > (before.calls.get(k) ?? 0));
    expect(posts.length).toBeGreaterThan(0);
  });
});
