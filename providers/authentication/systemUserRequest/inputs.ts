/** The input rules of a system-user request to one customer (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema, setOf } from "../../runtime/validation.js";
import { accessPackageSchema, rightSchema } from "../rights.js";

export const systemUserRequestRules = inputRules(
  z.object({
    /** The vendor (whose credentials send the request). */
    vendor: orgNumberSchema,
    systemId: z.string().regex(/^\d{9}_\S+$/, "a system id is <vendor org number>_<name>, without spaces"),
    /** The customer organisation asked for a system user. */
    partyOrgNo: orgNumberSchema,
    /** Makes the request unique per system and customer; default the customer's org number. */
    externalRef: z.string().min(1).max(255).optional(),
    rights: z.array(rightSchema).default([]),
    accessPackages: setOf(accessPackageSchema, "access package").default([]),
    redirectUrl: z.url({ protocol: /^https$/ }).optional(),
    integrationTitle: z.string().optional(),
  }),
  (r, ctx) => {
    if (r.rights !== undefined && r.accessPackages !== undefined && r.rights.length === 0 && r.accessPackages.length === 0) {
      ctx.addIssue({ code: "custom", path: ["rights"], message: "a request asks for at least one right or access package (AUTH-00059)" });
    }
  },
);
export type SystemUserRequestInputs = z.output<typeof systemUserRequestRules.shape>;
