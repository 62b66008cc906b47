/**
 * The onboarding manifest: one declarative, reviewable document per environment. It lives in the stack
 * config (`altinn-onboarding:manifest`) or in a YAML file that `altinn-onboarding:manifestFile` names.
 * What differs between environments (org numbers, endpoints) is config, not a copy of the manifest: any string
 * may be `${config:<key>}`, replaced by that stack config value before validation.
 *
 * Every field a resource kind takes is validated by that kind's own input rules (the providers export them):
 * the manifest picks the fields a story exposes and adds only what is its own (logical names, consumers, the
 * Key Vault sink), so the manifest and the providers' `check` cannot disagree.
 */
import { z } from "zod";

import { clientRules, grantRules, orgNumberSchema, scopeRules, setOf } from "@altinn-onboarding/providers";

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

const scope = scopeRules.shape.shape;
export const scopeSchema = z
  .object({
    /** Org number of the scope owner; defaults to the manifest's `organization`. */
    organization: scope.organization,
    /** The prefix Digdir assigned to the owner. Immutable: a change replaces the scope. */
    prefix: scope.prefix,
    /** The part after the colon. Immutable: a change replaces the scope. */
    subscope: scope.subscope,
    description: scope.description,
    longDescription: scope.longDescription,
    visibility: scope.visibility,
    /** Longest token lifetime for this scope: seconds, ISO-8601 (PT2M) or TimeSpan (00:02:00). */
    atMaxAge: scope.atMaxAge,
    allowedIntegrationTypes: scope.allowedIntegrationTypes,
    accessibleForAll: scope.accessibleForAll,
    /** Say `openToAll: true` to confirm `accessibleForAll: true`; the policy pack refuses an open scope without it. */
    openToAll: scope.openToAll,
    delegationSource: scope.delegationSource,
    /** Consumer organisations granted access (one MaskinportenScopeGrant each). */
    consumers: setOf(grantRules.shape.shape.consumerOrg, "consumer").default([]),
  })
  .strict()
  .superRefine(scopeRules.refine);

const client = clientRules.shape.shape;
export const clientSchema = z
  .object({
    /** Logical name: the Pulumi resource name and, by default, the client_name. */
    name: logicalName,
    /** Org number whose admin client owns this client; defaults to the manifest's `organization`. */
    organization: client.organization,
    /** Display name in Digdir's portal; defaults to `name`. */
    clientName: client.name.optional(),
    description: client.description,
    integrationType: client.integrationType,
    scopes: client.scopes,
    accessTokenLifetime: client.accessTokenLifetime,
    /**
     * Named keys: each name is one RSA key the provider generates. Rotate by adding a new name, applying, then
     * removing the old name: the new key is registered before the old one is removed.
     */
    keys: client.keys,
    keyLifetimeDays: client.keyLifetimeDays,
    /** Keys this close to expiry are renewed by `up` and reported by drift detection. */
    keyRenewalDays: client.keyRenewalDays,
    /** client_id of an existing client to take over instead of creating one. */
    adopt: client.adopt,
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
  .strict()
  .superRefine(clientRules.refine);

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
