import * as pulumi from "@pulumi/pulumi";

import { SystemRegistration, SystemUserRequest } from "@altinn-onboarding/providers";
import type { EndUserSystemSpec } from "../manifest";
import { storyClient, storyPreconditions, summaryOf, type ClientSummary, type StoryContext } from "./shared";

/** Arguments of {@link EndUserSystem}. */
export interface EndUserSystemArgs {
  /** The vendor's org number when the spec names none. */
  readonly organization?: string;
  readonly spec: EndUserSystemSpec;
  readonly context: StoryContext;
}

export interface CustomerSummary {
  organization: string;
  requestId: string;
  status: string;
  /** The page the customer opens to accept. */
  confirmUrl: string;
}

export interface EndUserSystemSummary {
  vendor: string;
  systemId: string;
  rights: { resource: string; action?: string }[];
  client: ClientSummary;
  customers: CustomerSummary[];
}

/**
 * A system vendor's end-user system (Dialogporten and Correspondence through system users): its Maskinporten
 * client, its System Register entry (protected: a deleted id can never be used again), and a system-user request
 * to each customer, whose `confirmUrl`s are outputs.
 */
export class EndUserSystem extends pulumi.ComponentResource {
  public readonly summary: pulumi.Output<EndUserSystemSummary>;
  public readonly privateJwks: pulumi.Output<Record<string, string>>;
  public readonly clientName: string;
  /** The story's Maskinporten client: ids and key ids. */
  public readonly client: pulumi.Output<ClientSummary>;

  /** The story's logical name. */
  public readonly name: string;

  constructor(name: string, args: EndUserSystemArgs, opts?: pulumi.ComponentResourceOptions) {
    super("altinn-onboarding:story:EndUserSystem", name, {}, opts);
    this.name = name;
    const { spec, context } = args;
    const vendor = spec.vendor ?? args.organization;
    if (!vendor) throw new Error("manifest validation let through an end-user system without a vendor");
    const systemId = spec.systemId ?? `${vendor}_${spec.name.replace(/-/g, "_")}`;
    const pre = storyPreconditions(
      this,
      "vendor",
      { organization: vendor, scopes: spec.client.scopes, purpose: `end-user system ${systemId}` },
      context,
    );
    const client = storyClient(this, spec.client, spec.client.organization ?? vendor, context, pre ? [pre] : []);
    const rights = spec.rights.map(({ resource, action }) => ({ resource, ...(action !== undefined ? { action } : {}) }));
    const system = new SystemRegistration(
      "system",
      {
        vendor,
        systemId,
        name: spec.title,
        description: spec.description,
        rights,
        accessPackages: [...spec.accessPackages],
        clientIds: [client.clientId],
        allowedRedirectUrls: [...spec.redirectUrls],
        visible: spec.visible,
      },
      { parent: this, protect: spec.protect, dependsOn: pre ? [pre] : [] },
    );
    const customers = spec.customers.map((c) => {
      const request = new SystemUserRequest(
        `request-${c.organization}`,
        {
          vendor,
          systemId: system.systemId,
          partyOrgNo: c.organization,
          ...(c.externalRef !== undefined ? { externalRef: c.externalRef } : {}),
          rights: (c.rights ?? rights).map(({ resource, action }) => ({ resource, ...(action !== undefined ? { action } : {}) })),
        },
        { parent: this },
      );
      return pulumi.all([request.requestId, request.status, request.confirmUrl]).apply(([requestId, status, confirmUrl]) => ({
        organization: c.organization,
        requestId,
        status,
        confirmUrl,
      }));
    });
    this.clientName = spec.client.name;
    this.client = summaryOf(client);
    this.privateJwks = client.privateJwks;
    this.summary = pulumi
      .all([summaryOf(client), pulumi.all(customers)])
      .apply(([c, cs]) => ({ vendor, systemId, rights, client: c, customers: cs }));
    this.registerOutputs({ summary: this.summary });
  }
}
