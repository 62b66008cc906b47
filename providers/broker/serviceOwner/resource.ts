import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link BrokerServiceOwner}. */
export interface BrokerServiceOwnerArgs {
  /** The organisation to initialise (9-digit org number); its client needs `altinn:serviceowner`. Changing it replaces. */
  readonly organization: pulumi.Input<string>;
  /** A display name (Broker keeps the first one it is given; changing it later changes nothing). */
  readonly name: pulumi.Input<string>;
  /** How long create waits for Broker's storage to be ready. Default 600 s. */
  readonly readyTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * An organisation initialised as a Broker service owner. Type token `pulumi-nodejs:dynamic/broker:ServiceOwner`;
 * the id is the org number. Declare one per organisation, however many Broker services it runs. Deleting it
 * removes nothing upstream (Broker cannot remove a service owner).
 */
export class BrokerServiceOwner extends KindResource {
  /** Whether Broker's storage for the organisation is deployed. */
  declare readonly storageReady: pulumi.Output<boolean>;
  /** Storage providers and their deployment status. */
  declare readonly storage: pulumi.Output<string[]>;

  constructor(name: string, args: BrokerServiceOwnerArgs, opts?: pulumi.CustomResourceOptions) {
    super("broker", "ServiceOwner", name, { ...args, storageReady: undefined, storage: undefined }, opts);
  }
}
