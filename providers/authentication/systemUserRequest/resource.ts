import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link SystemUserRequest}. */
export interface SystemUserRequestArgs {
  /** The vendor (its client needs `altinn:authentication/systemuser.request.write` and `.read`). Changing it replaces. */
  readonly vendor: pulumi.Input<string>;
  /** The system (a `SystemRegistration`'s id). Changing it replaces. */
  readonly systemId: pulumi.Input<string>;
  /** The customer organisation asked for a system user. Changing it replaces. */
  readonly partyOrgNo: pulumi.Input<string>;
  /** Makes the request unique per system and customer. Default: the customer's org number. Changing it replaces. */
  readonly externalRef?: pulumi.Input<string>;
  /** Rights asked for: a subset of the system's rights. Changing them replaces. */
  readonly rights?: pulumi.Input<pulumi.Input<{ resource: string; action?: string }>[]>;
  /** Access packages asked for. Changing them replaces. */
  readonly accessPackages?: pulumi.Input<pulumi.Input<string>[]>;
  /** Where the customer is sent after answering: one of the system's allowed redirect URLs. */
  readonly redirectUrl?: pulumi.Input<string>;
  readonly integrationTitle?: pulumi.Input<string>;
}

/**
 * A request to one customer for a system user. Type token `pulumi-nodejs:dynamic/authentication:SystemUserRequest`;
 * the id is the request id. `status` and `confirmUrl` are outputs. Deleting it withdraws a request that is still
 * waiting (a system user the customer already accepted stays).
 */
export class SystemUserRequest extends KindResource {
  declare readonly requestId: pulumi.Output<string>;
  /** `New` (waiting for the customer), `Accepted`, `Rejected`, `Denied`, `TimedOut`. */
  declare readonly status: pulumi.Output<string>;
  /** The page the customer opens to answer. */
  declare readonly confirmUrl: pulumi.Output<string>;

  constructor(name: string, args: SystemUserRequestArgs, opts?: pulumi.CustomResourceOptions) {
    super("authentication", "SystemUserRequest", name, { ...args, requestId: undefined, status: undefined, confirmUrl: undefined }, opts);
  }
}
