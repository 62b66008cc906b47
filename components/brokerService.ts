import * as pulumi from "@pulumi/pulumi";

import { BrokerResourceSettings, brokerRules, type BrokerServiceOwner } from "@altinn-onboarding/providers";
import type { BrokerSpec } from "../manifest";
import { serviceStory, type ServiceSummary } from "./service";
import type { ClientSummary, StoryContext } from "./shared";

/** Arguments of {@link BrokerService}. */
export interface BrokerServiceArgs {
  readonly organization?: string;
  readonly spec: BrokerSpec & { policyXacml?: string };
  /** The organisation's Broker service owner (one per organisation, shared by its Broker services). */
  readonly serviceOwner: (organization: string, dependsOn: readonly pulumi.Resource[]) => BrokerServiceOwner;
  readonly context: StoryContext;
}

/** What a Broker story prints and `npm run verify` reads. */
export type BrokerSummary = ServiceSummary;

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
    const senders = [...new Set([org, ...spec.senders])];
    const parts = serviceStory(
      this,
      {
        product: "Broker",
        organization: org,
        spec,
        resourceType: "BrokerService",
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
        senders,
        // Broker publishes events about the sender and each recipient.
        eventParties: [...new Set([...senders, ...spec.recipients])],
        extra: (registry, dependsOn) => {
          const owner = args.serviceOwner(org, dependsOn);
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
        },
      },
      context,
    );
    this.ready = parts.ready;
    this.clientName = parts.clientName;
    this.client = parts.client;
    this.privateJwks = parts.privateJwks;
    this.summary = parts.summary;
    this.registerOutputs({ summary: this.summary });
  }
}
