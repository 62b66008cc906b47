import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link EventSubscription}. */
export interface EventSubscriptionArgs {
  /** The subscribing organisation; its client needs `altinn:events.subscribe`. Default: stack config `orgNumber`. */
  readonly organization?: pulumi.Input<string>;
  /**
   * Where Events POSTs the events: an absolute https URL (plain http only to 127.0.0.1/localhost in the local
   * stack). Changing it replaces the subscription.
   */
  readonly endpoint: pulumi.Input<string>;
  /** The resource: its identifier or `urn:altinn:resource:<id>` (stored as the lower-case URN). Changing it replaces. */
  readonly resource: pulumi.Input<string>;
  /**
   * Only events about this party: `urn:altinn:organization:identifier-no:<orgno>` (or a person). Needed unless the
   * organisation subscribes as the resource's service owner. Changing it replaces.
   */
  readonly subject?: pulumi.Input<string>;
  /** Only events of this one type (e.g. `no.altinn.broker.published`). Default: every type. Changing it replaces. */
  readonly type?: pulumi.Input<string>;
  /** Also events about subunits of the subject organisation. Default false. Changing it replaces. */
  readonly includeSubunits?: pulumi.Input<boolean>;
  /** Subscribe as the resource's service owner (the token then carries `altinn:serviceowner`). Default false. */
  readonly serviceOwner?: pulumi.Input<boolean>;
  /** How long create waits for Events to validate the endpoint. Default 120 s. */
  readonly validationTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * An Altinn Events webhook subscription. Type token `pulumi-nodejs:dynamic/events:Subscription`; the id is Events'
 * subscription id. Immutable upstream: a change replaces it (the new one first). Deleting it deletes it.
 */
export class EventSubscription extends KindResource {
  declare readonly subscriptionId: pulumi.Output<string>;
  /** Whether Events has validated the endpoint (only validated subscriptions receive events). */
  declare readonly validated: pulumi.Output<boolean>;
  /** The lower-case `urn:altinn:resource:<id>` Events filters on. */
  declare readonly resourceFilter: pulumi.Output<string>;

  constructor(name: string, args: EventSubscriptionArgs, opts?: pulumi.CustomResourceOptions) {
    super("events", "Subscription", name, { ...args, subscriptionId: undefined, validated: undefined, resourceFilter: undefined }, opts);
  }
}
