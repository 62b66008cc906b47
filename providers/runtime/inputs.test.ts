// Input rules are defined once: check lets a value that is not known yet through (to check it again at `up`),
// a fully known value must satisfy every rule, and refinements across fields see only known fields.
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { checkInputs, inputRules, parseInputs } from "./inputs.js";
import { UNKNOWN } from "./validation.js";

const rules = inputRules(
  z.object({
    name: z.string().min(1, "a name is needed"),
    low: z.number().default(1),
    high: z.number().default(5),
    tags: z.array(z.string().regex(/^[a-z]+$/, "lower-case letters")).default([]),
  }),
  (v, ctx) => {
    if (v.low !== undefined && v.high !== undefined && v.low >= v.high)
      ctx.addIssue({ code: "custom", path: ["low"], message: "low < high" });
  },
);

describe("input rules", () => {
  it("fills defaults, drops unknown keys and names the field and rule of a failure", () => {
    expect(checkInputs(rules, { name: "a", extra: 1 })).toEqual({ inputs: { name: "a", low: 1, high: 5, tags: [] } });
    expect(checkInputs(rules, { name: "", tags: ["ok", "NO"] }).failures).toEqual([
      { property: "name", reason: "a name is needed" },
      { property: "tags.1", reason: "lower-case letters" },
    ]);
    expect(checkInputs(rules, { name: "a", low: 9 }).failures).toEqual([{ property: "low", reason: "low < high" }]);
  });

  it("passes a value not known yet through unchanged, and still checks the rest", () => {
    expect(checkInputs(rules, { name: UNKNOWN, tags: ["a", UNKNOWN] })).toEqual({
      inputs: { name: UNKNOWN, low: 1, high: 5, tags: ["a", UNKNOWN] },
    });
    // The refinement skips the unknown field instead of failing on it.
    expect(checkInputs(rules, { name: "a", low: UNKNOWN, high: 0 }).failures).toBeUndefined();
    expect(checkInputs(rules, { name: UNKNOWN, tags: ["BAD"] }).failures).toEqual([{ property: "tags.0", reason: "lower-case letters" }]);
  });

  it("never accepts the unknown value where every value must be known (the manifest, create)", () => {
    expect(rules.schema.safeParse({ name: UNKNOWN }).success).toBe(true); // a string is a string...
    expect(rules.schema.safeParse({ name: "a", low: UNKNOWN }).success).toBe(false); // ...but not a number
    expect(() => parseInputs(rules, { name: "a", tags: [UNKNOWN] }, "test:Kind")).toThrow(
      /test:Kind: invalid inputs: tags\.0: lower-case letters/,
    );
  });
});
