/** The input rules of a Maskinporten client (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { durationSchema, orgNumberSchema, setOf } from "../../runtime/validation.js";
import { INTEGRATION_TYPES, scopeNameSchema } from "../names.js";

/** Digdir's limit on keys per client. */
export const MAX_KEYS = 5;
export const DEFAULT_KEY_LIFETIME_DAYS = 365;
export const DEFAULT_KEY_RENEWAL_DAYS = 30;

export const keyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a key name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const clientRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    name: z.string().min(1, "a client needs a name").max(256),
    description: z
      .string()
      .max(1024)
      .refine((s) => !/\[iac:/.test(s), "the description must not contain '[iac:': the provider adds its marker itself")
      .default(""),
    marker: z.string().regex(/^iac:[^\]\s]{1,200}$/, "a marker is 'iac:' followed by up to 200 characters without spaces or ']'"),
    integrationType: z.enum(INTEGRATION_TYPES).default("maskinporten"),
    scopes: setOf(scopeNameSchema, "scope").min(1, "Digdir cannot register a client without scopes: give at least one"),
    accessTokenLifetime: durationSchema.optional(),
    keys: setOf(keyNameSchema, "key")
      .max(MAX_KEYS, `Digdir allows at most ${MAX_KEYS} keys per client: remove a key before adding another`)
      .default([]),
    keyLifetimeDays: z.number().int().min(1).max(365, "Digdir keys live at most 365 days").default(DEFAULT_KEY_LIFETIME_DAYS),
    keyRenewalDays: z.number().int().min(0).max(364).default(DEFAULT_KEY_RENEWAL_DAYS),
    adopt: z.string().min(1, "adopt takes the client_id of an existing client").optional(),
  }),
  (i, ctx) => {
    if (i.keyRenewalDays !== undefined && i.keyLifetimeDays !== undefined && i.keyRenewalDays >= i.keyLifetimeDays) {
      ctx.addIssue({
        code: "custom",
        path: ["keyRenewalDays"],
        message: "keyRenewalDays must be smaller than keyLifetimeDays, or every key would be renewed on every run",
      });
    }
  },
);
export type ClientInputs = z.output<typeof clientRules.shape>;
