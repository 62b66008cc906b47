import * as pulumi from "@pulumi/pulumi";

import { BrokerResourceSettings, brokerRules, type BrokerServiceOwner } from "@altinn-onboarding/providers";
import type { BrokerSpec } from "../manifest";
import { serviceRegistry } from "./registry";
import {
  storyClient,
  storyPreconditions,
  storySubscriptions,
  summaryOf,
  type ClientSummary,
  type StoryContext,
  type SubscriptionSummary,
} from "./shared";

/** Arguments of {@link BrokerService}. */
export interface BrokerServiceArgs {
  readonly organization?: string;
  readonly spec: BrokerSpec & { policyXacml?: string };
  /** The organisation's Broker service owner (one per organisation, shared by its Broker services). */
  readonly serviceOwner: (organization: string, dependsOn: readonly pulumi.Resource[]) => BrokerServiceOwner;
  readonly context: StoryContext;
}

export interface BrokerSummary {
  organization: string;
  orgCode: string;
  resource: string;
  accessListMode: string;
  senders: string[];
  recipients: string[];
  client: ClientSummary;
  subscriptions: SubscriptionSummary[];
}

/**
 * A Broker (Formidling) service: the resource (`BrokerService`), its policy (senders `write`, recipients
 * `read`, both `subscribe`), access lists of senders (the service owner included) and recipients, the access-list
 * mode, the organisation's Broker service owner and the resource's settings, the service owner's Maskinporten
 * client with the Broker scopes, and Events subscriptions. Preconditions are checked first.
 */
export class BrokerService extends pulumi.ComponentResource {
  public readonly summary: pulumi.Output<BrokerSummary>;
  public readonly privateJwks: pulumi.Output<Record<string, string>>;
  public readonly clientName: string;
  /** What must exist before others use the resource (its mode, after policy and access lists). */
  public readonly ready: pulumi.Resource;
  /** The story's Maskinporten client: ids and key ids. */
  public readonly client: pulumi.Output<ClientSummary>;

  /** The story's logical name. */
  public readonly name: string;

  constructor(name: string, args: BrokerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("altinn-onboarding:story:BrokerService", name, {}, opts);
    this.name = name;
    const { spec, context } = args;
    const org = spec.organization ?? args.organization;
    if (!org) throw new Error("manifest validation let through a Broker service without an organisation");
    const pre = storyPreconditions(
      this,
      "service-owner",
      {
        organization: org,
        scopes: spec.client.scopes,
        serviceOwnerCode: spec.orgCode,
        purpose: `Broker service ${spec.resource.identifier}`,
      },
      context,
    );
    const senders = [...new Set([org, ...spec.senders])];
    const registry = serviceRegistry(
      this,
      {
        organization: org,
        resourceType: "BrokerService",
        spec,
        rules: brokerRules({
          ownerOrgCode: spec.orgCode,
          senders: senders,
          recipients: spec.recipients,
          recipientRoles: spec.recipientRoles,
          recipientAccessPackages: spec.recipientAccessPackages,
        }),
        lists: [
          { suffix: "senders", name: `Senders of ${spec.resource.identifier}`, members: senders, actions: ["write", "subscribe"] },
          {
            suffix: "recipients",
            name: `Recipients of ${spec.resource.identifier}`,
            members: spec.recipients,
            actions: ["read", "subscribe"],
          },
        ],
        dependsOn: pre ? [pre] : [],
      },
      context,
    );
    const owner = args.serviceOwner(org, pre ? [pre] : []);
    const { approvedForDisabledVirusScan, ...settings } = spec.settings;
    new BrokerResourceSettings(
      "settings",
      {
        organization: org,
        resource: spec.resource.identifier,
        ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)),
        approvedForDisabledVirusScan,
      },
      { parent: this, dependsOn: [registry.resource, owner] },
    );
    const client = storyClient(this, spec.client, spec.client.organization ?? org, context, pre ? [pre] : []);
    // Broker publishes events about the sender and each recipient: with access lists, one subscription per party.
    const subs = storySubscriptions(
      this,
      "events",
      spec.subscriptions,
      {
        organization: org,
        resource: spec.resource.identifier,
        serviceOwner: true,
        perParty: registry.mode === "Enabled" ? [...new Set([...senders, ...spec.recipients])] : [],
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
      senders,
      recipients: [...spec.recipients],
      client: c,
      subscriptions: s,
    }));
    this.registerOutputs({ summary: this.summary });
  }
}
