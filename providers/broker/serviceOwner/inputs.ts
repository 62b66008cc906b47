/** The input rules of a Broker service owner. */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema } from "../../runtime/validation.js";

export const serviceOwnerRules = inputRules(
  z.object({
    /** The organisation to initialise as a Broker service owner (whose credentials act). */
    organization: orgNumberSchema,
    /** A display name; Broker keeps the first one it is given. */
    name: z.string().trim().min(1, "a service owner needs a name"),
    /** How long to wait for Broker's storage to be ready. */
    readyTimeoutSeconds: z.number().int().min(0).max(3600).default(600),
  }),
);
export type ServiceOwnerInputs = z.output<typeof serviceOwnerRules.shape>;
