import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link MaskinportenScopeGrant}. */
export interface MaskinportenScopeGrantArgs {
  /** The scope owner (9-digit org number) whose admin credentials grant. Default: `altinn-onboarding:orgNumber`. Changing it replaces the grant. */
  readonly organization?: pulumi.Input<string>;
  /** The scope, `<prefix>:<subscope>`. Changing it replaces the grant. */
  readonly scope: pulumi.Input<string>;
  /** The consumer organisation (9 digits, valid MOD11 check digit). Changing it replaces the grant. */
  readonly consumerOrg: pulumi.Input<string>;
}

/**
 * One consumer organisation's access to one scope. Type token `pulumi-nodejs:dynamic/maskinporten:ScopeGrant`.
 * Deleting it revokes the access. `state` is what Digdir reports: a DENIED or REQUESTED record shows as drift
 * and `up` grants again.
 */
export class MaskinportenScopeGrant extends KindResource {
  declare readonly scope: pulumi.Output<string>;
  declare readonly consumerOrg: pulumi.Output<string>;
  /** `APPROVED`, `REQUESTED` or `DENIED`. */
  declare readonly state: pulumi.Output<string>;
  declare readonly ownerOrgNumber: pulumi.Output<string>;

  constructor(name: string, args: MaskinportenScopeGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super("maskinporten", "ScopeGrant", name, { ...args, state: undefined, ownerOrgNumber: undefined }, opts);
  }
}
