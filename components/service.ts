/**
 * What a messaging service story (Correspondence, Broker) builds, whatever the product: its preconditions, its
 * Resource Registry part, the service owner's Maskinporten client, its Events subscriptions and the summary
 * `npm run verify` reads. A story gives what is its own: the resource type, the policy rules, the access lists,
 * the parties Events publishes about, and any product resources (Broker's settings).
 */
import * as pulumi from "@pulumi/pulumi";

import type { PolicyRule } from "@altinn-onboarding/providers";
import type { CorrespondenceSpec } from "../manifest";
import { serviceRegistry, type ListSpec, type ServiceRegistry } from "./registry";
import {
  storyClient,
  storyPreconditions,
  storySubscriptions,
  summaryOf,
  type ClientSummary,
  type StoryContext,
  type SubscriptionSummary,
} from "./shared";

/** What a service story prints and `npm run verify` reads. */
export interface ServiceSummary {
  organization: string;
  orgCode: string;
  resource: string;
  accessListMode: string;
  senders: string[];
  recipients: string[];
  client: ClientSummary;
  subscriptions: SubscriptionSummary[];
}

/** The parts of a service spec this builder reads (both products' specs have them). */
type ServiceStorySpec = Pick<
  CorrespondenceSpec,
  "resource" | "orgCode" | "minimumAuthenticationLevel" | "policyRules" | "client" | "subscriptions" | "recipients"
> & { policyXacml?: string };

export interface ServiceStoryArgs {
  /** `Correspondence` or `Broker`: names the purpose of the preconditions. */
  readonly product: string;
  readonly organization: string;
  readonly spec: ServiceStorySpec;
  readonly resourceType: string;
  readonly rules: PolicyRule[];
  readonly lists: readonly ListSpec[];
  /** The senders the summary names. */
  readonly senders: readonly string[];
  /** The organisations Events publishes this service's events about (one subscription each with access lists). */
  readonly eventParties: readonly string[];
  /** The product's own resources, made after the registry part and before the client. */
  readonly extra?: (registry: ServiceRegistry, dependsOn: readonly pulumi.Resource[]) => void;
}

export interface ServiceStoryParts {
  readonly ready: pulumi.Resource;
  readonly clientName: string;
  readonly client: pulumi.Output<ClientSummary>;
  readonly privateJwks: pulumi.Output<Record<string, string>>;
  readonly summary: pulumi.Output<ServiceSummary>;
}

export function serviceStory(parent: pulumi.ComponentResource, args: ServiceStoryArgs, context: StoryContext): ServiceStoryParts {
  const { spec, organization: org } = args;
  const pre = storyPreconditions(
    parent,
    "service-owner",
    {
      organization: org,
      scopes: spec.client.scopes,
      serviceOwnerCode: spec.orgCode,
      purpose: `${args.product} service ${spec.resource.identifier}`,
    },
    context,
  );
  const preDeps = pre ? [pre] : [];
  const registry = serviceRegistry(
    parent,
    { organization: org, resourceType: args.resourceType, spec, rules: args.rules, lists: args.lists, dependsOn: preDeps },
    context,
  );
  args.extra?.(registry, preDeps);
  const client = storyClient(parent, spec.client, spec.client.organization ?? org, context, preDeps);
  const subs = storySubscriptions(
    parent,
    "events",
    spec.subscriptions,
    {
      organization: org,
      resource: spec.resource.identifier,
      serviceOwner: true,
      perParty: registry.mode === "Enabled" ? args.eventParties : [],
    },
    [registry.ready],
  );
  const summary = summaryOf(client);
  return {
    ready: registry.ready,
    clientName: spec.client.name,
    client: summary,
    privateJwks: client.privateJwks,
    summary: pulumi.all([summary, pulumi.all(subs.summaries)]).apply(([c, s]) => ({
      organization: org,
      orgCode: spec.orgCode,
      resource: spec.resource.identifier,
      accessListMode: registry.mode,
      senders: [...args.senders],
      recipients: [...spec.recipients],
      client: c,
      subscriptions: s,
    })),
  };
}
