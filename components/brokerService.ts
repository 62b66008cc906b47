import type * as pulumi from "@pulumi/pulumi";

import { BrokerResourceSettings, brokerRules, type BrokerServiceOwner } from "@altinn-onboarding/providers";
import type { BrokerSpec } from "../manifest";
import { ServiceStoryComponent, type ServiceSummary } from "./service";
import type { StoryContext } from "./shared";

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
export class BrokerService extends ServiceStoryComponent {
  constructor(name: string, args: BrokerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const { spec, context } = args;
    const org = spec.organization ?? args.organization;
    if (!org) throw new Error("manifest validation let through a Broker service without an organisation");
    const senders = [...new Set([org, ...spec.senders])];
    super(
      "altinn-onboarding:story:BrokerService",
      name,
      (self) => ({
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
            { parent: self, dependsOn: [registry.resource, owner] },
          );
        },
      }),
      context,
      opts,
    );
  }
}
