import type * as pulumi from "@pulumi/pulumi";

import { correspondenceRules } from "@altinn-onboarding/providers";
import type { CorrespondenceSpec } from "../manifest";
import { ServiceStoryComponent, type ServiceSummary } from "./service";
import type { StoryContext } from "./shared";

/** Arguments of {@link CorrespondenceServiceOwner}. */
export interface CorrespondenceServiceOwnerArgs {
  /** The service owner's org number when the spec names none. */
  readonly organization?: string;
  readonly spec: CorrespondenceSpec & { policyXacml?: string };
  readonly context: StoryContext;
}

/** What a Correspondence story prints and `npm run verify` reads. */
export type CorrespondenceSummary = ServiceSummary;

/**
 * A service owner sending Correspondence (Melding) on a resource: the resource (`CorrespondenceService`), its
 * policy (senders `write`, recipients `read`, both `subscribe`), the access list of recipient organisations (and
 * of other senders), the access-list mode, the sender's Maskinporten client (`altinn:correspondence.write`,
 * `altinn:serviceowner`) and the Events subscriptions for the resource. Preconditions (the client's scopes granted
 * by Altinn, the organisation registered as a service owner) are checked before anything that needs them.
 */
export class CorrespondenceServiceOwner extends ServiceStoryComponent {
  constructor(name: string, args: CorrespondenceServiceOwnerArgs, opts?: pulumi.ComponentResourceOptions) {
    const { spec, context } = args;
    const org = spec.organization ?? args.organization;
    if (!org) throw new Error("manifest validation let through a Correspondence service without an organisation");
    super(
      "altinn-onboarding:story:CorrespondenceServiceOwner",
      name,
      () => ({
        product: "Correspondence",
        organization: org,
        spec,
        resourceType: "CorrespondenceService",
        rules: correspondenceRules({
          ownerOrgCode: spec.orgCode,
          senders: spec.senders,
          recipients: spec.recipients,
          recipientRoles: spec.recipientRoles,
          recipientAccessPackages: spec.recipientAccessPackages,
        }),
        // The owning service owner sends without being asked the policy; other senders need a list with write.
        lists: [
          {
            suffix: "recipients",
            name: `Recipients of ${spec.resource.identifier}`,
            members: spec.recipients,
            actions: ["read", "subscribe"],
          },
          {
            suffix: "senders",
            name: `Senders of ${spec.resource.identifier}`,
            members: spec.senders,
            actions: ["write", "read", "subscribe"],
          },
        ],
        senders: spec.senders,
        // Correspondence publishes its events about each recipient.
        eventParties: spec.recipients,
      }),
      context,
      opts,
    );
  }
}
