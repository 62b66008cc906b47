// The policy's pure plan: generated XACML parses back to the same rules; what differs only in whitespace,
// attribute order, rule order or identifiers compares equal; the registry's acceptance rules are enforced.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { UNKNOWN } from "../../runtime/validation.js";
import { planPolicy } from "./plan.js";
import { brokerRules, correspondenceRules } from "./ruleSets.js";
import { acceptanceProblems, buildXacml, parseSubject, parseXacml, type PolicyRule } from "./xacml.js";

const subject = fc.oneof(
  fc.constantFrom("DAGL", "PRIV", "APIADM").map((r) => `urn:altinn:rolecode:${r}`),
  fc.constantFrom("ttd", "digdir").map((o) => `urn:altinn:org:${o}`),
  fc.constantFrom("313000028", "314000013").map((o) => `urn:altinn:organization:identifier-no:${o}`),
  fc.stringMatching(/^[a-z][a-z-]{2,20}$/).map((p) => `urn:altinn:accesspackage:${p}`),
);
const rule = fc.record({
  subjects: fc.uniqueArray(subject, { minLength: 1, maxLength: 4 }),
  actions: fc.uniqueArray(fc.constantFrom("read", "write", "subscribe", "sign"), { minLength: 1, maxLength: 3 }),
  description: fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/\s+/g, " ").trim() || "d"),
});

describe("policy plans", () => {
  it("reads generated XACML back as the same rules, and plans nothing for it", () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 4 }), (rules, level) => {
        const xml = buildXacml("ttd-res", { rules, minimumAuthenticationLevel: level });
        const parsed = parseXacml(xml);
        expect(acceptanceProblems("ttd-res", parsed)).toEqual([]);
        expect(parsed.model?.rules).toEqual(rules);
        expect(parsed.model?.minimumAuthenticationLevel).toBe(level);
        expect(
          planPolicy({ resource: "ttd-res", rules, minimumAuthenticationLevel: level }, { resource: "ttd-res", livePolicyXml: xml })
            .changes,
        ).toEqual([]);
      }),
    );
  });

  it("compares rules as a set and matches that ignore case in any case", () => {
    const rules = correspondenceRules({ ownerOrgCode: "ttd", recipients: ["313000028"] });
    const shuffled = [...rules].reverse().map((r) => ({ ...r, subjects: [...r.subjects].reverse().map((s) => s.replace("DAGL", "dagl")) }));
    expect(planPolicy({ resource: "r-1", rules }, { resource: "r-1", rules: shuffled }).changes).toEqual([]);
    const fewer: PolicyRule[] = [rules[0] as PolicyRule, { ...(rules[1] as PolicyRule), actions: ["subscribe"] }];
    expect(planPolicy({ resource: "r-1", rules }, { resource: "r-1", rules: fewer }).changes.map((c) => c.field)).toEqual(["policy"]);
  });

  it("sees a hand-written document that means the same as equal to the rules", () => {
    const rules = brokerRules({ ownerOrgCode: "ttd", recipients: ["313000028"] });
    const handWritten = buildXacml("r-1", { rules })
      .replace(/<xacml:/g, "<p:")
      .replace(/<\/xacml:/g, "</p:")
      .replace('xmlns:xacml="', 'xmlns:p="')
      .replace(/\n\s*/g, " ");
    expect(planPolicy({ resource: "r-1", rules }, { resource: "r-1", xacml: handWritten }).changes).toEqual([]);
  });

  it("refuses a rule for another resource, a Deny rule and a rule without the resource", () => {
    const other = parseXacml(buildXacml("r-2", { rules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read"] }] }));
    expect(acceptanceProblems("r-1", other)).toEqual([
      expect.stringMatching(/rules for another resource \(r-2\)/),
      expect.stringMatching(/rule 1 does not target the resource/),
    ]);
    const deny = parseXacml(
      buildXacml("r-1", { rules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read"] }] }).replace(
        'Effect="Permit"',
        'Effect="Deny"',
      ),
    );
    expect(acceptanceProblems("r-1", deny)).toEqual([expect.stringMatching(/Effect "Deny"/)]);
    expect(() => parseXacml("<Policy/>")).toThrow(/XACML 3.0 namespace/);
    expect(() => parseXacml("<not xml")).toThrow(/well-formed|namespace/);
  });

  it("knows the subjects each token carries, and checks org numbers", () => {
    expect(parseSubject("urn:altinn:organization:identifier-no:313000028")).toEqual({
      attribute: "urn:altinn:organization:identifier-no",
      value: "313000028",
    });
    expect(parseSubject("urn:altinn:organization:identifier-no:313000029")).toEqual({ error: expect.stringMatching(/MOD11/) });
    expect(parseSubject("urn:altinn:org:ttd")).toEqual({ attribute: "urn:altinn:org", value: "ttd" });
    expect(parseSubject("DAGL")).toHaveProperty("error");
  });

  it("plans a change, never a replacement, while rules are not known", () => {
    const plan = planPolicy({ resource: "r-1", rules: UNKNOWN }, { resource: "r-1", rules: correspondenceRules({ ownerOrgCode: "ttd" }) });
    expect(plan.changes.map((c) => c.field)).toEqual(["policy"]);
    expect(plan.replaces).toEqual([]);
  });
});
