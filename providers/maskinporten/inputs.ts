/**
 * The offline rules of `check` for the Maskinporten kinds (zod). Every failure names the field and the rule.
 * Values not known yet during preview pass (they are checked again at `up`). Unknown keys are dropped rather
 * than refused: the engine may hand a class's output-only properties back as inputs, and the argument types
 * already catch typos at compile time.
 */
import { z } from "zod";

import { durationSchema, orUnknown, orgNumberSchema } from "../runtime/validation.js";
import { MAX_KEYS } from "./plan.js";

export const INTEGRATION_TYPES = ["maskinporten", "api_klient", "idporten", "ansattporten", "krr", "eformidling"] as const;

/** A scope prefix as Digdir assigns them: lower-case letters, digits, `_` and `-`. */
export const PREFIX_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** A subscope: letters, digits and `_ - . / :`, starting with a letter or digit, not ending with a separator. */
export const SUBSCOPE_RE = /^[A-Za-z0-9](?:[A-Za-z0-9_\-./:]*[A-Za-z0-9_-])?$/;

export function isScopeName(s: string): boolean {
  const i = s.indexOf(":");
  return i > 0 && PREFIX_RE.test(s.slice(0, i)) && SUBSCOPE_RE.test(s.slice(i + 1));
}

export const scopeNameSchema = z
  .string()
  .refine(isScopeName, "a scope is <prefix>:<subscope>: a lower-case prefix (a-z, 0-9, _ -), a colon, then letters, digits and _ - . / :");

const keyNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a key name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

function unique(values: readonly unknown[]): boolean {
  const known = values.filter((v) => typeof v === "string");
  return new Set(known).size === known.length;
}

export const clientInputsSchema = z
  .object({
    organization: orUnknown(orgNumberSchema).optional(),
    name: orUnknown(z.string().min(1, "a client needs a name").max(256)),
    description: orUnknown(
      z
        .string()
        .max(1024)
        .refine((s) => !/\[iac:/.test(s), "the description must not contain '[iac:': the provider adds its marker itself"),
    ).default(""),
    marker: orUnknown(
      z.string().regex(/^iac:[^\]\s]{1,200}$/, "a marker is 'iac:' followed by up to 200 characters without spaces or ']'"),
    ),
    integrationType: orUnknown(z.enum(INTEGRATION_TYPES)).default("maskinporten"),
    scopes: orUnknown(
      z
        .array(orUnknown(scopeNameSchema))
        .min(1, "Digdir cannot register a client without scopes: give at least one")
        .refine(unique, "scopes is a set: each scope once"),
    ),
    accessTokenLifetime: orUnknown(durationSchema).optional(),
    keys: orUnknown(
      z
        .array(orUnknown(keyNameSchema))
        .max(MAX_KEYS, `Digdir allows at most ${MAX_KEYS} keys per client: remove a key before adding another`)
        .refine(unique, "keys is a set: each key name once"),
    ).default([]),
    keyLifetimeDays: z.number().int().min(1).max(365, "Digdir keys live at most 365 days").default(365),
    keyRenewalDays: z.number().int().min(0).max(364).default(30),
    adopt: orUnknown(z.string().min(1, "adopt takes the client_id of an existing client")).optional(),
  })
  .refine((i) => i.keyRenewalDays < i.keyLifetimeDays, {
    path: ["keyRenewalDays"],
    message: "keyRenewalDays must be smaller than keyLifetimeDays, or every key would be renewed on every run",
  });
export type ClientInputs = z.infer<typeof clientInputsSchema>;

export const VISIBILITIES = ["PUBLIC", "PRIVATE", "INTERNAL"] as const;

export const scopeInputsSchema = z.object({
  organization: orUnknown(orgNumberSchema).optional(),
  prefix: orUnknown(
    z.string().regex(PREFIX_RE, "a prefix is lower-case letters, digits, '_' and '-' (the one Digdir assigned to your org)"),
  ),
  subscope: orUnknown(
    z
      .string()
      .max(128)
      .regex(
        SUBSCOPE_RE,
        "a subscope is letters, digits and _ - . / :, starting with a letter or digit and not ending with '.', '/' or ':'",
      ),
  ),
  description: orUnknown(z.string().min(1, "Digdir requires a description").max(1024)),
  longDescription: orUnknown(z.string()).optional(),
  visibility: orUnknown(z.enum(VISIBILITIES)).default("PUBLIC"),
  atMaxAge: orUnknown(durationSchema).optional(),
  allowedIntegrationTypes: orUnknown(
    z.array(orUnknown(z.enum(INTEGRATION_TYPES))).refine(unique, "allowedIntegrationTypes is a set"),
  ).optional(),
  accessibleForAll: orUnknown(z.boolean()).default(false),
  delegationSource: orUnknown(z.url({ protocol: /^https?$/ }).or(z.literal(""))).optional(),
  adopt: z.boolean().default(false),
});
export type ScopeInputs = z.infer<typeof scopeInputsSchema>;

export const grantInputsSchema = z.object({
  organization: orUnknown(orgNumberSchema).optional(),
  scope: orUnknown(scopeNameSchema),
  consumerOrg: orUnknown(orgNumberSchema),
});
export type GrantInputs = z.infer<typeof grantInputsSchema>;
