import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link BrokerResourceSettings}. Every setting is optional: only what is declared is managed. */
export interface BrokerResourceSettingsArgs {
  /** The resource's owner (whose credentials act; `altinn:serviceowner`). Default: stack config `orgNumber`. */
  readonly organization?: pulumi.Input<string>;
  /** The Broker resource's identifier in the Resource Registry. Changing it replaces the settings. */
  readonly resource: pulumi.Input<string>;
  /** Largest file transfer in bytes (1 to 1,677,721,600,000; above 50 GB in production needs Altinn's approval). */
  readonly maxFileTransferSize?: pulumi.Input<number>;
  /** How long a file transfer lives: ISO-8601 (`P30D`), TimeSpan (`30.00:00:00`) or seconds; at most 365 days. Broker's default P30D. */
  readonly fileTransferTimeToLive?: pulumi.Input<number | string>;
  /** Purge a transfer once every recipient confirmed the download. Broker's default true. */
  readonly purgeFileTransferAfterAllRecipientsConfirmed?: pulumi.Input<boolean>;
  /** Grace period before that purge; at most 24 hours. Broker's default PT2H. */
  readonly purgeFileTransferGracePeriod?: pulumi.Input<number | string>;
  /** Use Altinn 2's manifest-file shim (needs both legacy codes). Broker's default false. */
  readonly useManifestFileShim?: pulumi.Input<boolean>;
  readonly externalServiceCodeLegacy?: pulumi.Input<string>;
  readonly externalServiceEditionCodeLegacy?: pulumi.Input<number>;
  /** A party every transfer must have as sender or as its single recipient (org number). */
  readonly requiredParty?: pulumi.Input<string>;
  /** Say that Altinn approved files above 50 GB without virus scan (checked at preview in production). */
  readonly approvedForDisabledVirusScan?: pulumi.Input<boolean>;
}

/**
 * Broker's settings for one resource. Type token `pulumi-nodejs:dynamic/broker:ResourceSettings`; the id is the
 * resource's identifier. Deleting it leaves the settings in Broker (they cannot be unset).
 */
export class BrokerResourceSettings extends KindResource {
  constructor(name: string, args: BrokerResourceSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super("broker", "ResourceSettings", name, { ...args }, opts);
  }
}
