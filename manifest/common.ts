/** Pieces every story section of the manifest shares: logical names, clients, subscriptions, duplicates. */
import { z } from "zod";

import { clientRules, setOf, subscriptionRules } from "@altinn-onboarding/providers";

/** A logical name: becomes part of Pulumi resource names, so it must stay stable (renames need aliases). */
export const logicalName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "a name is 1-63 lower-case letters, digits and '-', starting with a letter or digit");

export function uniqueBy<T>(key: (t: T) => string, what: string) {
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

const client = clientRules.shape.shape;

/** The Key Vault sink of a client's private keys. */
export const keyVaultSchema = z
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
  .strict();

/** The fields of a Maskinporten client, as every story declares one (scopes are checked against the story). */
export const clientFields = {
  /** Logical name: the Pulumi resource name and, by default, the client_name. */
  name: logicalName,
  /** Org number whose admin client owns this client; defaults to the story's organisation. */
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
  /** Also store each private key as a secret in this Azure Key Vault (through @pulumi/azure-native). */
  keyVault: keyVaultSchema.optional(),
};

export const storyClientSchema = z.object(clientFields).strict().superRefine(clientRules.refine);
export type ClientSpec = z.infer<typeof storyClientSchema>;

const sub = subscriptionRules.shape.shape;

/** A webhook subscription of a story: one per event type (none: every type). */
export const storySubscriptionSchema = z
  .object({
    endpoint: sub.endpoint,
    /** Event types (one subscription each); none: every type of the resource. */
    types: setOf(
      z.string().regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "an event type is one lower-case name such as no.altinn.broker.published"),
      "type",
    ).default([]),
    subject: sub.subject,
    includeSubunits: sub.includeSubunits,
    validationTimeoutSeconds: sub.validationTimeoutSeconds,
  })
  .strict();
export type SubscriptionSpec = z.infer<typeof storySubscriptionSchema>;
