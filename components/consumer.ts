import * as pulumi from "@pulumi/pulumi";

import type { ConsumerSpec } from "../manifest";
import {
  storyClient,
  storyPreconditions,
  storySubscriptions,
  summaryOf,
  type ClientSummary,
  type StoryContext,
  type SubscriptionSummary,
} from "./shared";

/** Arguments of {@link Consumer}. */
export interface ConsumerArgs {
  /** The client's organisation when the spec names none. */
  readonly organization?: string;
  readonly spec: ConsumerSpec;
  readonly context: StoryContext;
}

/**
 * A consumer or recipient: an organisation's Maskinporten client with the scopes it reads with (each granted to
 * it, open to all, or granted by this stack's API provider), and its Events subscriptions (about itself, unless
 * a subject is given).
 */
export class Consumer extends pulumi.ComponentResource {
  public readonly client: pulumi.Output<ClientSummary>;
  /** Key name -> private JWK (JSON). Secret. Not a component output: read it from the stack's `privateJwks`. */
  public readonly privateJwks: pulumi.Output<Record<string, string>>;
  public readonly subscriptions: pulumi.Output<SubscriptionSummary[]>;

  /** The story's logical name. */
  public readonly name: string;

  constructor(name: string, args: ConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("altinn-onboarding:story:Consumer", name, {}, opts);
    this.name = name;
    const org = args.spec.organization ?? args.organization;
    if (!org) throw new Error("manifest validation let through a client without an organisation");
    const pre = storyPreconditions(
      this,
      name,
      { organization: org, scopes: args.spec.scopes, purpose: `consumer ${args.spec.name}` },
      args.context,
    );
    const client = storyClient(this, args.spec, org, args.context, pre ? [pre] : []);
    const subs = args.spec.subscriptions.map((s, i) =>
      storySubscriptions(
        this,
        `${name}-${i}`,
        [s],
        { organization: org, resource: s.resource, serviceOwner: false, subject: `urn:altinn:organization:identifier-no:${org}` },
        // A resource of this stack: wait until its policy and access lists let the consumer subscribe.
        [
          ...(pre ? [pre] : []),
          ...[args.context.resourceReady?.get(s.resource.replace(/^urn:altinn:resource:/i, "").toLowerCase())].filter(
            (r) => r !== undefined,
          ),
        ],
      ),
    );
    this.client = summaryOf(client);
    this.privateJwks = client.privateJwks;
    this.subscriptions = pulumi.all(subs.flatMap((s) => s.summaries));
    this.registerOutputs({ client: this.client, subscriptions: this.subscriptions });
  }
}
