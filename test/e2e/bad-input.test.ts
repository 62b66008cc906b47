/**
 * A sample of the bad-input table (test/support/bad-inputs.ts) through the real CLI: `preview` (and `up`) of a
 * stack whose manifest has one thing wrong fails, the output names the path of the wrong value and its rule, and
 * the emulator sees no call at all.
 */
import { describe, expect, it } from "vitest";

import { MANIFEST_CASES, STORY_CASES, type BadManifest } from "../support/bad-inputs.js";
import { callsBetween, metrics } from "../support/emulator-control.js";
import { localStacks } from "../support/local-stack.js";

/** One case of each section, from the middle of its part of the table. */
function sample(): BadManifest[] {
  const bySection = new Map<string, BadManifest[]>();
  for (const c of [...MANIFEST_CASES, ...STORY_CASES]) bySection.set(c.section, [...(bySection.get(c.section) ?? []), c]);
  return [...bySection.values()].map((cs) => cs[Math.floor(cs.length / 2)]).filter((c): c is BadManifest => !!c);
}

describe("bad input through the real CLI", () => {
  const stacks = localStacks();

  it("refuses a sample of the table with path and rule, and makes no call", async () => {
    const cases = sample();
    expect(cases.length).toBeGreaterThanOrEqual(8);
    const project = await stacks.stack("e2e-bad-input", cases[0]?.manifest);
    const before = await metrics(stacks.url());
    for (const [i, c] of cases.entries()) {
      project.setManifest(c.manifest);
      const cmd = i === 0 ? ["up", "--yes", "--skip-preview"] : ["preview"];
      const r = await project.run(cmd, { allowFailure: true });
      const out = r.stdout + r.stderr;
      expect(r.code, `${c.what}: ${out}`).not.toBe(0);
      expect(out, c.what).toContain("the onboarding manifest (stack config altinn-onboarding:manifest) is invalid");
      const line = out.split("\n").find((l) => l.includes(`- ${c.path}: `));
      expect(line, `${c.what}: no line for ${c.path} in\n${out}`).toBeDefined();
      expect(line, c.what).toMatch(c.rule);
    }
    expect(callsBetween(before, await metrics(stacks.url()))).toEqual({});
  });
});
