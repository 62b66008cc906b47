import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link MaskinportenScope}. */
export interface MaskinportenScopeArgs {
  /**
   * The owning organisation (9-digit org number) whose admin credentials make the calls; it must hold the
   * prefix. Default: stack config `altinn-onboarding:orgNumber`. Changing it replaces the scope.
   */
  readonly organization?: pulumi.Input<string>;
  /** The prefix Digdir assigned to the organisation (`ttd`). Immutable: changing it replaces the scope. */
  readonly prefix: pulumi.Input<string>;
  /** The part after the colon; may contain `/`, `.` and `:`. Immutable: changing it replaces the scope. */
  readonly subscope: pulumi.Input<string>;
  /** Short description (required by Digdir). Updated in place. */
  readonly description: pulumi.Input<string>;
  /** Longer description, basic Markdown. Default: none. */
  readonly longDescription?: pulumi.Input<string>;
  /** `PUBLIC` (listed for everyone), `PRIVATE` (owner and granted consumers only) or `INTERNAL`. Default `PUBLIC`. */
  readonly visibility?: pulumi.Input<"PUBLIC" | "PRIVATE" | "INTERNAL">;
  /**
   * Maximum token lifetime for the scope: seconds, ISO-8601 (`PT5M`) or TimeSpan (`00:05:00`). Default 0 =
   * Maskinporten's default.
   */
  readonly atMaxAge?: pulumi.Input<number | string>;
  /** Integration types that may use the scope (a set). Default `["maskinporten"]`; `[]` means any. */
  readonly allowedIntegrationTypes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Open to every organisation without a grant. Default false. */
  readonly accessibleForAll?: pulumi.Input<boolean>;
  /**
   * Says that `accessibleForAll` is meant: the policy pack refuses a scope open to all without it. Recorded in
   * state only; no effect on the API. Default: unset.
   */
  readonly openToAll?: pulumi.Input<boolean>;
  /** Issuer URL of a delegation source (Altinn: `https://tt02.altinn.no/` in test). Default: none. */
  readonly delegationSource?: pulumi.Input<string>;
  /** Take over a scope that already exists and is active (an inactive one is always reactivated). Default false. */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * A Maskinporten scope the organisation exposes (API-provider side). Type token
 * `pulumi-nodejs:dynamic/maskinporten:Scope`; the id is the scope name. Deleting it deactivates the scope
 * (grants and clients keep it, no tokens are issued); creating it again reactivates it.
 */
export class MaskinportenScope extends KindResource {
  /** The full scope name, `<prefix>:<subscope>`. */
  declare readonly name: pulumi.Output<string>;
  declare readonly prefix: pulumi.Output<string>;
  declare readonly subscope: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly visibility: pulumi.Output<string>;
  declare readonly atMaxAge: pulumi.Output<number | string>;
  declare readonly allowedIntegrationTypes: pulumi.Output<string[]>;
  declare readonly accessibleForAll: pulumi.Output<boolean>;
  /** The owner Digdir reports (`owner_orgno`). */
  declare readonly ownerOrgNumber: pulumi.Output<string>;
  declare readonly active: pulumi.Output<boolean>;

  constructor(name: string, args: MaskinportenScopeArgs, opts?: pulumi.CustomResourceOptions) {
    super("maskinporten", "Scope", name, { ...args, name: undefined, ownerOrgNumber: undefined, active: undefined }, opts);
  }
}
