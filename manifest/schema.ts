/**
 * The onboarding manifest: one declarative, reviewable document per environment. It lives in the stack
 * config (`altinn-onboarding:manifest`) or in a YAML file that `altinn-onboarding:manifestFile` names.
 * What differs between environments (org numbers, endpoints) is config, not a copy of the manifest: any string
 * may be `${config:<key>}`, replaced by that stack config value before validation.
 */
import { z } from "zod";

import {
  INTEGRATION_TYPES,
  PREFIX_RE,
  SUBSCOPE_RE,
  VISIBILITIES,
  durationSchema,
  orgNumberSchema,
  scopeNameSchema,
} from "@altinn-onboarding/providers";

/** A logical name: becomes part of Pulumi resource names, so it must stay stable (renames need aliases). */
const logicalName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a name is 1-63 lower-case letters, digits and '-', starting with a letter or digit");

function uniqueBy<T>(key: (t: T) => string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: [i], message: `${what} "${k}" is declared twice (also at index ${first})` });
      } else {
        seen.set(k, i);
      }
    });
  };
}

const setOf = <S extends z.ZodType<string>>(item: S, what: string) => z.array(item).superRefine(uniqueBy((s: string) => s, what));

export const scopeSchema = z
  .object({
    /** Org number of the scope owner; defaults to the manifest's `organization`. */
    organization: orgNumberSchema.optional(),
    /** The prefix Digdir assigned to the owner. Immutable: a change replaces the scope. */
    prefix: z.string().regex(PREFIX_RE, "a prefix is lower-case letters, digits, '_' and '-'"),
    /** The part after the colon. Immutable: a change replaces the scope. */
    subscope: z.string().max(128).regex(SUBSCOPE_RE, "a subscope is letters, digits and _ - . / :, starting with a letter or digit"),
    description: z.string().min(1, "Digdir requires a description").max(1024),
    longDescription: z.string().optional(),
    visibility: z.enum(VISIBILITIES).default("PUBLIC"),
    /** Longest token lifetime for this scope: seconds, ISO-8601 (PT2M) or TimeSpan (00:02:00). */
    atMaxAge: durationSchema.optional(),
    allowedIntegrationTypes: setOf(z.enum(INTEGRATION_TYPES), "integration type").optional(),
    accessibleForAll: z.boolean().default(false),
    delegationSource: z.url({ protocol: /^https?$/ }).optional(),
    /** Consumer organisations granted access (one MaskinportenScopeGrant each). */
    consumers: setOf(orgNumberSchema, "consumer").default([]),
  })
  .strict();

export const clientSchema = z
  .object({
    /** Logical name: the Pulumi resource name and, by default, the client_name. */
    name: logicalName,
    /** Org number whose admin client owns this client; defaults to the manifest's `organization`. */
    organization: orgNumberSchema.optional(),
    /** Display name in Digdir's portal; defaults to `name`. */
    clientName: z.string().min(1).max(256).optional(),
    description: z.string().max(1024).default(""),
    integrationType: z.enum(INTEGRATION_TYPES).default("maskinporten"),
    scopes: setOf(scopeNameSchema, "scope").min(1, "Digdir cannot register a client without scopes: give at least one"),
    accessTokenLifetime: durationSchema.optional(),
    /**
     * Named keys: each name is one RSA key the provider generates. Rotate by adding a new name, applying, then
     * removing the old name: the new key is registered before the old one is removed.
     */
    keys: setOf(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a key name is 1-64 letters, digits, '.', '_' or '-'"), "key")
      .max(5, "Digdir allows at most 5 keys per client")
      .default([]),
    keyLifetimeDays: z.number().int().min(1).max(365).default(365),
    /** Keys this close to expiry are renewed by `up` and reported by drift detection. */
    keyRenewalDays: z.number().int().min(0).max(364).default(30),
    /** client_id of an existing client to take over instead of creating one. */
    adopt: z.string().min(1).optional(),
    /**
     * Also store each private key as a secret in this Azure Key Vault (through @pulumi/azure-native; its
     * plugin must be installed where `pulumi up` runs). Secret names: `<secretPrefix>-<key name>`.
     */
    keyVault: z
      .object({
        resourceGroupName: z.string().min(1).max(90),
        vaultName: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, "a Key Vault name is 3-24 letters, digits and '-', starting with a letter"),
        /** Default `maskinporten-<client name>`. */
        secretPrefix: z
          .string()
          .regex(/^[A-Za-z0-9-]{1,100}$/, "a secret prefix is letters, digits and '-'")
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    /** Org number this stack acts for by default (its admin client's organisation). */
    organization: orgNumberSchema.optional(),
    maskinporten: z
      .object({
        scopes: z
          .array(scopeSchema)
          .superRefine(uniqueBy((s: { prefix: string; subscope: string }) => `${s.prefix}:${s.subscope}`, "scope"))
          .default([]),
        clients: z
          .array(clientSchema)
          .superRefine(uniqueBy((c: { name: string }) => c.name, "client"))
          .default([]),
      })
      .strict()
      .default({ scopes: [], clients: [] }),
  })
  .strict()
  .superRefine((m, ctx) => {
    const needsOrg = (what: string, i: number, org: string | undefined) => {
      if (!org && !m.organization) {
        ctx.addIssue({
          code: "custom",
          path: ["maskinporten", what, i, "organization"],
          message: "no organization here and none at the top of the manifest: say which organisation acts",
        });
      }
    };
    m.maskinporten.scopes.forEach((s, i) => needsOrg("scopes", i, s.organization));
    m.maskinporten.clients.forEach((c, i) => needsOrg("clients", i, c.organization));
  });

export type Manifest = z.infer<typeof manifestSchema>;
export type ScopeSpec = z.infer<typeof scopeSchema>;
export type ClientSpec = z.infer<typeof clientSchema>;
