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

/**
 * The base of a service story component: it builds the story from what the product gives (`args`, called with the
 * component as the parent of the product's own resources) and holds what the stack exports and verify reads.
 */
export abstract class ServiceStoryComponent extends pulumi.ComponentResource {
  public readonly summary: pulumi.Output<ServiceSummary>;
  /** Key name -> private JWK (JSON) of the story's client. Secret; not a component output. */
  public readonly privateJwks: pulumi.Output<Record<string, string>>;
  public readonly clientName: string;
  /** What must exist before others use the resource (its mode, after policy and access lists). */
  public readonly ready: pulumi.Resource;
  /** The story's Maskinporten client: ids and key ids. */
  public readonly client: pulumi.Output<ClientSummary>;
  /** The story's logical name. */
  public readonly name: string;

  protected constructor(
    type: string,
    name: string,
    args: (self: pulumi.ComponentResource) => ServiceStoryArgs,
    context: StoryContext,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    this.name = name;
    const story = args(this);
    const { spec, organization: org } = story;
    const pre = storyPreconditions(
      this,
      "service-owner",
      {
        organization: org,
        scopes: spec.client.scopes,
        serviceOwnerCode: spec.orgCode,
        purpose: `${story.product} service ${spec.resource.identifier}`,
      },
      context,
    );
    const preDeps = pre ? [pre] : [];
    const registry = serviceRegistry(
      this,
      { organization: org, resourceType: story.resourceType, spec, rules: story.rules, lists: story.lists, dependsOn: preDeps },
      context,
    );
    story.extra?.(registry, preDeps);
    const client = storyClient(this, spec.client, spec.client.organization ?? org, context, preDeps);
    const subs = storySubscriptions(
      this,
      "events",
      spec.subscriptions,
      {
        organization: org,
        resource: spec.resource.identifier,
        serviceOwner: true,
        perParty: registry.mode === "Enabled" ? story.eventParties : [],
      },
      [registry.ready],
    );
    this.ready = registry.ready;
    this.clientName = spec.client.name;
    this.client = summaryOf(client);
    this.privateJwks = client.privateJwks;
    this.summary = pulumi.all([this.client, pulumi.all(subs.summaries)]).apply(([c, s]) => ({
      organization: org,
      orgCode: spec.orgCode,
      resource: spec.resource.identifier,
      accessListMode: registry.mode,
      senders: [...story.senders],
      recipients: [...spec.recipients],
      client: c,
      subscriptions: s,
    }));
    this.registerOutputs({ summary: this.summary });
  }
}
