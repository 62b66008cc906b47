/** The input rules of a resource's policy (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema, setOf } from "../../runtime/validation.js";
import { actionSchema, resourceIdSchema } from "../model.js";
import { XacmlError, acceptanceProblems, parseSubject, parseXacml } from "./xacml.js";

export const subjectSchema = z.string().superRefine((s, ctx) => {
  const p = parseSubject(s);
  if ("error" in p) ctx.addIssue({ code: "custom", message: p.error });
});

export const policyRuleSchema = z.object({
  /** Who: any of these subjects (`urn:altinn:rolecode:DAGL`, `urn:altinn:org:ttd`, ...). */
  subjects: setOf(subjectSchema, "subject").min(1, "a rule needs at least one subject"),
  /** What: any of these actions (`read`, `write`, `subscribe`, or a custom action). */
  actions: setOf(actionSchema, "action").min(1, "a rule needs at least one action"),
  description: z.string().optional(),
});

const level = z.number().int().min(0).max(4, "an authentication level is 0-4");

export const policyRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    /** The resource's identifier. */
    resource: resourceIdSchema,
    /** Declarative rules; the provider writes the XACML. Give this or `xacml`. */
    rules: z.array(policyRuleSchema).min(1, "a policy needs at least one rule").optional(),
    /** A hand-written XACML 3.0 document (its text: the program reads the file, the provider does no file I/O). */
    xacml: z.string().optional(),
    minimumAuthenticationLevel: level.optional(),
    minimumAuthenticationLevelOrg: level.optional(),
  }),
  (p, ctx) => {
    const given = [p.rules, p.xacml].filter((x) => x !== undefined).length;
    if (given !== 1 && p.resource !== undefined) {
      ctx.addIssue({ code: "custom", path: ["rules"], message: "give either rules or xacml (exactly one)" });
    }
    if (p.xacml !== undefined && (p.minimumAuthenticationLevel !== undefined || p.minimumAuthenticationLevelOrg !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["xacml"],
        message: "a hand-written policy states its own obligations: leave out the authentication levels",
      });
    }
    if (p.xacml !== undefined && p.resource !== undefined) {
      try {
        for (const problem of acceptanceProblems(p.resource, parseXacml(p.xacml)))
          ctx.addIssue({ code: "custom", path: ["xacml"], message: problem });
      } catch (e) {
        if (!(e instanceof XacmlError)) throw e;
        ctx.addIssue({ code: "custom", path: ["xacml"], message: e.message });
      }
    }
  },
);
export type PolicyInputs = z.output<typeof policyRules.shape>;
