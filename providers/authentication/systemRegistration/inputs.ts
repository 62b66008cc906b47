/** The input rules of a System Register entry (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema, setOf } from "../../runtime/validation.js";
import { languageText } from "../../resourceregistry/model.js";
import { accessPackageSchema, rightSchema } from "../rights.js";

const https = z.url({ protocol: /^https$/, error: "a redirect URL is an absolute https URL (AUTH.VLD-00005)" });

export const systemRegistrationRules = inputRules(
  z.object({
    /** The vendor: the organisation that registers the system (its credentials act). */
    vendor: orgNumberSchema,
    /** `<vendor orgno>_<name>`, no spaces. Never reusable once deleted. */
    systemId: z.string().regex(/^\d{9}_\S+$/, "a system id is <vendor org number>_<name>, without spaces (e.g. 312000016_orders)"),
    name: languageText("name"),
    description: languageText("description"),
    rights: z.array(rightSchema).default([]),
    accessPackages: setOf(accessPackageSchema, "access package").default([]),
    /** The Maskinporten client ids the system uses (a client may belong to one active system). */
    clientIds: setOf(z.string().min(1), "client id").default([]),
    allowedRedirectUrls: setOf(https, "redirect URL").default([]),
    /** Shown to customers in Altinn's portal. */
    visible: z.boolean().default(false),
    /** Take over a system that is registered with this id. */
    adopt: z.boolean().default(false),
  }),
  (s, ctx) => {
    if (s.vendor !== undefined && s.systemId !== undefined && !s.systemId.startsWith(`${s.vendor}_`)) {
      ctx.addIssue({
        code: "custom",
        path: ["systemId"],
        message: `the system id starts with the vendor's org number and '_' (${s.vendor}_...) (AUTH.VLD-00001)`,
      });
    }
    const seen = new Set<string>();
    (s.rights ?? []).forEach((r, i) => {
      const k = `${r.resource}#${r.action ?? ""}`;
      if (seen.has(k))
        ctx.addIssue({ code: "custom", path: ["rights", i], message: `the right on ${r.resource} is declared twice (AUTH.VLD-00006)` });
      seen.add(k);
    });
  },
);
export type SystemRegistrationInputs = z.output<typeof systemRegistrationRules.shape>;
