/** The input rules of an onboarding precondition. */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema, setOf } from "../../runtime/validation.js";
import { scopeNameSchema } from "../../digdir/names.js";

export const preconditionRules = inputRules(
  z.object({
    /** The organisation the preconditions are about (whose credentials check them). */
    organization: orgNumberSchema,
    /** Scopes the organisation must hold: granted to it, open to all, or its own. */
    scopes: setOf(scopeNameSchema, "scope").default([]),
    /** The organisation must be a registered Altinn service owner with this org code. */
    serviceOwnerCode: z
      .string()
      .regex(/^[a-z0-9-]{2,20}$/, "an Altinn org code in lower case")
      .optional(),
    /** What needs these preconditions, for messages (e.g. "Correspondence service ttd-orders"). */
    purpose: z.string().default("this onboarding"),
  }),
);
export type PreconditionInputs = z.output<typeof preconditionRules.shape>;
