/** The input rules of a resource's access-list mode. */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema } from "../../runtime/validation.js";
import { ACCESS_LIST_MODES, resourceIdSchema } from "../model.js";

export const accessListModeRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    /** The resource's identifier. */
    resource: resourceIdSchema,
    mode: z.enum(ACCESS_LIST_MODES),
  }),
);
export type AccessListModeInputs = z.output<typeof accessListModeRules.shape>;
