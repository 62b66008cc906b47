import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link AltinnAccessList}. */
export interface AltinnAccessListArgs {
  /** The organisation whose credentials act; it must own `owner`. Default: stack config `orgNumber`. */
  readonly organization?: pulumi.Input<string>;
  /** The owning service owner's Altinn org code (e.g. `ttd`). Changing it replaces the list. */
  readonly owner: pulumi.Input<string>;
  /** The list's identifier, unique per owner (e.g. `godkjente-banker`). Changing it replaces the list. */
  readonly identifier: pulumi.Input<string>;
  /** Display name. */
  readonly name: pulumi.Input<string>;
  /** Description. Default `""`. */
  readonly description?: pulumi.Input<string>;
  /**
   * Members (a set): organisation numbers (MOD11 checked), or party URNs (`urn:altinn:organization:identifier-no:…`,
   * `urn:altinn:party:uuid:…`, `urn:altinn:party:id:…`). Each must be a party in Altinn's Register. Default none.
   */
  readonly members?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Resources the list gives access to, each with the actions its members get (empty: every action the
   * resource's policy permits). The resources must belong to `owner`. Default none.
   */
  readonly connections?: pulumi.Input<pulumi.Input<{ resource: pulumi.Input<string>; actions?: pulumi.Input<string>[] }>[]>;
  /** Take over a list that already exists (its members and connections are then set to these). Default false. */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An access list (Resource Rights Registry) with its members and resource connections. Type token
 * `pulumi-nodejs:dynamic/resourceregistry:AccessList`; the id is `<owner>/<identifier>`. Deleting it deletes the
 * list, its memberships and its connections.
 */
export class AltinnAccessList extends KindResource {
  declare readonly identifier: pulumi.Output<string>;
  /** `urn:altinn:access-list:<owner>:<identifier>`. */
  declare readonly urn: pulumi.Output<string>;
  declare readonly members: pulumi.Output<string[]>;
  declare readonly connections: pulumi.Output<{ resource: string; actions: string[] }[]>;

  constructor(name: string, args: AltinnAccessListArgs, opts?: pulumi.CustomResourceOptions) {
    super("resourceregistry", "AccessList", name, { ...args, urn: undefined }, opts);
  }
}
