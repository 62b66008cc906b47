/** The input rules of a scope grant (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema } from "../../runtime/validation.js";
import { scopeNameSchema } from "../names.js";

export const grantRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    scope: scopeNameSchema,
    consumerOrg: orgNumberSchema,
  }),
);
export type GrantInputs = z.output<typeof grantRules.shape>;
