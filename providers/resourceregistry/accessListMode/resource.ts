import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link AltinnResourceAccessListMode}. */
export interface AltinnResourceAccessListModeArgs {
  /** The organisation whose credentials act; it must own the resource. Default: stack config `orgNumber`. */
  readonly organization?: pulumi.Input<string>;
  /** The resource's identifier. Changing it replaces this switch. */
  readonly resource: pulumi.Input<string>;
  /** `Enabled`: only members of connected access lists; `Disabled`: anyone the policy permits. */
  readonly mode: pulumi.Input<"Enabled" | "Disabled">;
}

/**
 * A resource's access-list mode, as a step of its own so it can depend on the access lists (and their members
 * and connections) it relies on. Type token `pulumi-nodejs:dynamic/resourceregistry:AccessListMode`; the id is
 * the resource's identifier. Deleting it leaves the mode as it is.
 */
export class AltinnResourceAccessListMode extends KindResource {
  declare readonly mode: pulumi.Output<string>;

  constructor(name: string, args: AltinnResourceAccessListModeArgs, opts?: pulumi.CustomResourceOptions) {
    super("resourceregistry", "AccessListMode", name, { ...args }, opts);
  }
}
