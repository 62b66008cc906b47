import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";
import type { LanguageText } from "../../resourceregistry/model.js";

/** Arguments of {@link SystemRegistration}. */
export interface SystemRegistrationArgs {
  /** The vendor's org number; its client (`altinn:authentication/systemregister.write`) registers. Changing it replaces. */
  readonly vendor: pulumi.Input<string>;
  /** `<vendor orgno>_<name>`, without spaces. Never reusable once deleted. Changing it replaces (delete first). */
  readonly systemId: pulumi.Input<string>;
  readonly name: pulumi.Input<LanguageText>;
  readonly description: pulumi.Input<LanguageText>;
  /** Rights on resources the system needs (a set): `{resource, action?}`. Default none. */
  readonly rights?: pulumi.Input<pulumi.Input<{ resource: string; action?: string }>[]>;
  /** Access packages (`urn:altinn:accesspackage:<slug>`, a set). Default none. */
  readonly accessPackages?: pulumi.Input<pulumi.Input<string>[]>;
  /** Maskinporten client ids the system uses (from `MaskinportenClient.clientId`). Default none. */
  readonly clientIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Where a customer may be sent back after approving a request (https). Default none. */
  readonly allowedRedirectUrls?: pulumi.Input<pulumi.Input<string>[]>;
  /** Shown to customers in Altinn's portal. Default false. */
  readonly visible?: pulumi.Input<boolean>;
  /** Take over a system registered with this id. Default false. */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An end-user system in Altinn's System Register. Type token
 * `pulumi-nodejs:dynamic/authentication:SystemRegistration`; the id is the system id. Deleting it is a soft delete
 * upstream: the id can never be used again. Components protect it by default.
 */
export class SystemRegistration extends KindResource {
  declare readonly systemId: pulumi.Output<string>;
  declare readonly rights: pulumi.Output<{ resource: string; action?: string }[]>;

  constructor(name: string, args: SystemRegistrationArgs, opts?: pulumi.CustomResourceOptions) {
    super("authentication", "SystemRegistration", name, { ...args }, opts);
  }
}
