/**
 * What the stories share: a story's Maskinporten client (with the optional Key Vault sink), its Events
 * subscriptions (one per event type), its preconditions, and the options every story takes.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as keyvaultModule from "@pulumi/azure-native/keyvault";

import { EventSubscription, MaskinportenClient, OnboardingPrecondition, isKnownEventType } from "@altinn-onboarding/providers";
import type { ClientSpec, SubscriptionSpec } from "../manifest";

/** Options every story takes besides its spec. */
export interface StoryContext {
  /** The stack's environment (`local`, `test`, `prod`): registry resources and systems are protected in prod. */
  readonly environment: string;
  /** Scope name -> the resources a client using it must wait for (the grants of this stack's API provider). */
  readonly scopeDependencies?: ReadonlyMap<string, readonly pulumi.Resource[]>;
  /**
   * Resource identifier -> what must exist before others use a resource this stack declares (its policy, access
   * lists and mode): a consumer's subscription to it waits for them.
   */
  readonly resourceReady?: ReadonlyMap<string, pulumi.Resource>;
}

/** What a story prints and what `npm run verify` reads for one client (ids, never key material). */
export interface ClientSummary {
  clientId: string;
  organization: string;
  scopes: string[];
  /** Key name -> kid. */
  keyIds: Record<string, string>;
  /** Kids registered outside this program (left alone). */
  externalKeyIds: string[];
}

/** The URN of the component the first version of the program made (its children move into the stories). */
export const FIRST_COMPONENT_URN = pulumi.createUrn("maskinporten", "altinn-onboarding:maskinporten:Onboarding");

export function summaryOf(client: MaskinportenClient): pulumi.Output<ClientSummary> {
  return pulumi
    .all([client.clientId, client.clientOrgNumber, client.scopes, client.keyIds, client.externalKeyIds])
    .apply(([clientId, organization, scopes, keyIds, externalKeyIds]) => ({
      clientId,
      organization,
      scopes: [...scopes].sort(),
      keyIds,
      externalKeyIds,
    }));
}

/**
 * A story's Maskinporten client. It waits for `dependsOn` (preconditions) and for the grants of the scopes it
 * uses when this stack's API provider grants them. Its alias keeps a client made by the first version of the
 * program (a child of that version's component) where it is.
 */
export function storyClient(
  parent: pulumi.ComponentResource,
  spec: ClientSpec,
  organization: string,
  ctx: StoryContext,
  dependsOn: readonly pulumi.Resource[] = [],
): MaskinportenClient {
  const grants = spec.scopes.flatMap((s) => ctx.scopeDependencies?.get(s) ?? []);
  const client = new MaskinportenClient(
    `client-${spec.name}`,
    {
      organization,
      name: spec.clientName ?? spec.name,
      description: spec.description,
      integrationType: spec.integrationType,
      scopes: [...spec.scopes],
      ...(spec.accessTokenLifetime !== undefined ? { accessTokenLifetime: spec.accessTokenLifetime } : {}),
      keys: [...spec.keys],
      keyLifetimeDays: spec.keyLifetimeDays,
      keyRenewalDays: spec.keyRenewalDays,
      ...(spec.adopt !== undefined ? { adopt: spec.adopt } : {}),
    },
    { parent, dependsOn: [...dependsOn, ...grants], aliases: [{ parent: FIRST_COMPONENT_URN }] },
  );
  if (spec.keyVault) storeKeysInKeyVault(parent, spec, client);
  return client;
}

/** One Key Vault secret per key: the private JWK, so applications read it from the vault, not from state. */
function storeKeysInKeyVault(parent: pulumi.ComponentResource, spec: ClientSpec, client: MaskinportenClient): void {
  const vault = spec.keyVault;
  if (!vault) return;
  // Only this module of @pulumi/azure-native, and only when asked for: loading the whole package costs seconds.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const keyvault = require("@pulumi/azure-native/keyvault") as typeof keyvaultModule;
  const prefix = vault.secretPrefix ?? `maskinporten-${spec.name}`;
  for (const keyName of spec.keys) {
    const secretName = `${prefix}-${keyName}`.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 127);
    new keyvault.Secret(
      `keyvault-${spec.name}-${keyName}`,
      {
        resourceGroupName: vault.resourceGroupName,
        vaultName: vault.vaultName,
        secretName,
        properties: {
          contentType: "application/jwk+json",
          value: pulumi.secret(client.privateJwks.apply((jwks) => jwks[keyName] ?? "")),
        },
        tags: { "maskinporten-client-id": client.clientId, "maskinporten-kid": client.keyIds.apply((ids) => ids[keyName] ?? "") },
      },
      { parent, dependsOn: [client], aliases: [{ parent: FIRST_COMPONENT_URN }] },
    );
  }
}

/** What a story prints and `npm run verify` reads for one subscription. */
export interface SubscriptionSummary {
  subscriptionId: string;
  endpoint: string;
  resource: string;
  type: string;
  /** The party the subscription is about (empty: every party). */
  subject: string;
  validated: boolean;
}

/** One Events subscription per event type (none: one for every type); unknown types are warned about. */
export function storySubscriptions(
  parent: pulumi.ComponentResource,
  prefix: string,
  specs: readonly SubscriptionSpec[],
  common: {
    organization: string;
    resource: string;
    serviceOwner: boolean;
    subject?: string | undefined;
    /**
     * Organisations to subscribe about, one subscription each, when a subscription names no subject. With access
     * lists (mode Enabled), Events authorises a subscription with its subject's organisation as the party, which
     * must be on a list: a subscription without a subject would be refused.
     */
    perParty?: readonly string[];
  },
  dependsOn: readonly pulumi.Resource[],
): { resources: EventSubscription[]; summaries: pulumi.Output<SubscriptionSummary>[] } {
  const resources: EventSubscription[] = [];
  const summaries: pulumi.Output<SubscriptionSummary>[] = [];
  specs.forEach((spec, i) => {
    for (const type of spec.types.length > 0 ? spec.types : [undefined]) {
      if (type !== undefined && !isKnownEventType(type)) {
        void pulumi.log.warn(
          `event type "${type}" is not one Broker, Correspondence or Dialogporten publishes: a misspelt type matches nothing (known: no.altinn.broker.*, no.altinn.correspondence.*, dialogporten.dialog.*)`,
          parent,
        );
      }
      const subjects: (string | undefined)[] =
        spec.subject !== undefined || common.subject !== undefined
          ? [spec.subject ?? common.subject]
          : common.perParty && common.perParty.length > 0
            ? common.perParty.map((o) => `urn:altinn:organization:identifier-no:${o}`)
            : [undefined];
      for (const subject of subjects) {
        const party = subject?.slice(subject.lastIndexOf(":") + 1);
        const sub = new EventSubscription(
          `${prefix}-subscription-${i}${type ? `-${type}` : ""}${party && subjects.length > 1 ? `-${party}` : ""}`,
          {
            organization: common.organization,
            serviceOwner: common.serviceOwner,
            endpoint: spec.endpoint,
            resource: common.resource,
            ...(subject !== undefined ? { subject } : {}),
            ...(type !== undefined ? { type } : {}),
            includeSubunits: spec.includeSubunits,
            validationTimeoutSeconds: spec.validationTimeoutSeconds,
          },
          { parent, dependsOn: [...dependsOn] },
        );
        resources.push(sub);
        summaries.push(
          pulumi.all([sub.subscriptionId, sub.validated]).apply(([subscriptionId, validated]) => ({
            subscriptionId,
            endpoint: spec.endpoint,
            resource: common.resource,
            type: type ?? "",
            subject: subject ?? "",
            validated,
          })),
        );
      }
    }
  });
  return { resources, summaries };
}

/**
 * The preconditions of a story: scopes Altinn or Digdir grant by hand (those this stack does not grant itself)
 * and, for a service owner, its registration. Undefined when there is nothing to check.
 */
export function storyPreconditions(
  parent: pulumi.ComponentResource,
  name: string,
  args: { organization: string; scopes: readonly string[]; serviceOwnerCode?: string; purpose: string },
  ctx: StoryContext,
): OnboardingPrecondition | undefined {
  const scopes = args.scopes.filter((s) => !ctx.scopeDependencies?.has(s));
  if (scopes.length === 0 && args.serviceOwnerCode === undefined) return undefined;
  return new OnboardingPrecondition(
    `${name}-preconditions`,
    {
      organization: args.organization,
      scopes,
      ...(args.serviceOwnerCode !== undefined ? { serviceOwnerCode: args.serviceOwnerCode } : {}),
      purpose: args.purpose,
    },
    { parent },
  );
}
