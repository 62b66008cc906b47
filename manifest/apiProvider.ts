/** `apiProvider:` the scopes an organisation exposes as an API provider, and the consumers granted each. */
import { z } from "zod";

import { grantRules, scopeRules, setOf } from "@altinn-onboarding/providers";

import { uniqueBy } from "./common";

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
export type ScopeSpec = z.infer<typeof scopeSchema>;

export const apiProviderSchema = z
  .object({
    scopes: z
      .array(scopeSchema)
      .superRefine(uniqueBy((s: { prefix: string; subscope: string }) => `${s.prefix}:${s.subscope}`, "scope"))
      .default([]),
  })
  .strict();
export type ApiProviderSpec = z.infer<typeof apiProviderSchema>;
