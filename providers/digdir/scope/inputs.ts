/** The input rules of a Maskinporten scope (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { durationSchema, orgNumberSchema, setOf } from "../../runtime/validation.js";
import { INTEGRATION_TYPES, PREFIX_RE, SUBSCOPE_RE } from "../names.js";

export const VISIBILITIES = ["PUBLIC", "PRIVATE", "INTERNAL"] as const;

export const scopeRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    prefix: z.string().regex(PREFIX_RE, "a prefix is lower-case letters, digits, '_' and '-' (the one Digdir assigned to your org)"),
    subscope: z
      .string()
      .max(128)
      .regex(
        SUBSCOPE_RE,
        "a subscope is letters, digits and _ - . / :, starting with a letter or digit and not ending with '.', '/' or ':'",
      ),
    description: z.string().min(1, "Digdir requires a description").max(1024),
    longDescription: z.string().optional(),
    visibility: z.enum(VISIBILITIES).default("PUBLIC"),
    atMaxAge: durationSchema.optional(),
    allowedIntegrationTypes: setOf(z.enum(INTEGRATION_TYPES), "integration type").optional(),
    accessibleForAll: z.boolean().default(false),
    /**
     * The manifest's explicit `openToAll: true`, recorded so the policy pack can tell a scope opened to every
     * organisation on purpose from one opened by mistake. No effect on the API.
     */
    openToAll: z.boolean().optional(),
    delegationSource: z
      .url({ protocol: /^https?$/ })
      .or(z.literal(""))
      .optional(),
    adopt: z.boolean().default(false),
  }),
);
export type ScopeInputs = z.output<typeof scopeRules.shape>;
