import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";
import type { PolicyRule } from "./xacml.js";

/** Arguments of {@link AltinnResourcePolicy}. Give either `rules` or `xacml`. */
export interface AltinnResourcePolicyArgs {
  /** The organisation whose credentials upload; it must own the resource. Default: stack config `orgNumber`. */
  readonly organization?: pulumi.Input<string>;
  /** The resource's identifier. Changing it replaces the policy. */
  readonly resource: pulumi.Input<string>;
  /**
   * Declarative rules: each permits any of its `subjects` to do any of its `actions` on the resource. Subjects
   * are `urn:altinn:rolecode:<role>`, `urn:altinn:accesspackage:<slug>`, `urn:altinn:org:<org code>`,
   * `urn:altinn:organization:identifier-no:<orgno>` or `urn:altinn:systemuser:uuid:<uuid>`. See
   * `correspondenceRules` and `brokerRules` for ready-made sets.
   */
  readonly rules?: pulumi.Input<pulumi.Input<PolicyRule>[]>;
  /** A hand-written XACML 3.0 policy (the document's text; read the file in the program). */
  readonly xacml?: pulumi.Input<string>;
  /** Minimum authentication level for persons (an obligation), with `rules`. Default: none. */
  readonly minimumAuthenticationLevel?: pulumi.Input<number>;
  /** Minimum authentication level for organisations (an obligation), with `rules`. Default: none. */
  readonly minimumAuthenticationLevelOrg?: pulumi.Input<number>;
}

/**
 * The XACML policy of a Resource Registry resource. Type token `pulumi-nodejs:dynamic/resourceregistry:Policy`;
 * the id is the resource's identifier. Deleting it removes nothing upstream (the registry keeps a policy until
 * its resource is deleted).
 */
export class AltinnResourcePolicy extends KindResource {
  declare readonly resource: pulumi.Output<string>;

  constructor(name: string, args: AltinnResourcePolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super("resourceregistry", "Policy", name, { ...args }, opts);
  }
}
