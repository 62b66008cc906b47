import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link OnboardingPrecondition}. */
export interface OnboardingPreconditionArgs {
  /** The organisation the preconditions are about. */
  readonly organization: pulumi.Input<string>;
  /** Scopes it must hold (granted, open to all, or its own): e.g. `altinn:correspondence.write`. */
  readonly scopes?: pulumi.Input<pulumi.Input<string>[]>;
  /** It must be the registered Altinn service owner with this org code (e.g. `ttd`). */
  readonly serviceOwnerCode?: pulumi.Input<string>;
  /** What needs them, for messages. */
  readonly purpose?: pulumi.Input<string>;
}

/**
 * Steps done by hand by Altinn or Digdir, checked before what depends on them. Type token
 * `pulumi-nodejs:dynamic/onboarding:Precondition`. Make the resources that need them depend on it.
 */
export class OnboardingPrecondition extends KindResource {
  declare readonly holds: pulumi.Output<boolean>;
  declare readonly missingScopes: pulumi.Output<string[]>;

  constructor(name: string, args: OnboardingPreconditionArgs, opts?: pulumi.CustomResourceOptions) {
    super("onboarding", "Precondition", name, { ...args, holds: undefined, missingScopes: undefined }, opts);
  }
}
