import type * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";
import type { LanguageText } from "../model.js";

/** Arguments of {@link AltinnResource}: the service-resource model the Resource Registry accepts. */
export interface AltinnResourceArgs {
  /**
   * The organisation (9-digit org number) whose credentials make the calls. Default: the owner
   * (`hasCompetentAuthority.organization`).
   */
  readonly organization?: pulumi.Input<string>;
  /**
   * The identifier: at least 4 lower-case letters, digits, `_` or `-`. `app_` is reserved for apps. It can never
   * change, and a deleted identifier can never be used again: changing it replaces the resource.
   */
  readonly identifier: pulumi.Input<string>;
  /** Title in en, nb and nn (all three required). */
  readonly title: pulumi.Input<LanguageText>;
  /** Description in en, nb and nn (all three required). */
  readonly description: pulumi.Input<LanguageText>;
  /** What a delegated right gives, in en, nb and nn. Required when `delegable` (the default). */
  readonly rightDescription?: pulumi.Input<LanguageText>;
  /** `CorrespondenceService`, `BrokerService`, `GenericAccessResource`, `MaskinportenSchema`, ... */
  readonly resourceType: pulumi.Input<string>;
  /**
   * The mode the resource is created with: `Disabled` (default; anyone the policy permits) or `Enabled` (only
   * members of connected access lists: nobody until a list is connected). Later changes are made by
   * {@link AltinnResourceAccessListMode}, ordered after the lists, so access is never opened or cut by accident.
   */
  readonly accessListMode?: pulumi.Input<"Disabled" | "Enabled">;
  /** Contact points: `{category, email?, telephone?, contactPage?}`. Default: left as the registry has them (`[]` on create). */
  readonly contactPoints?: pulumi.Input<pulumi.Input<{ category: string; email?: string; telephone?: string; contactPage?: string }>[]>;
  /** The owner: org number (required unless `ttd`), Altinn org code (lower case), optional name. */
  readonly hasCompetentAuthority: pulumi.Input<{ organization?: string; orgcode: string; name?: LanguageText }>;
  /** References (a set): Maskinporten scopes, Altinn 2 service codes, ... Default: as the registry has them. */
  readonly resourceReferences?: pulumi.Input<pulumi.Input<{ referenceSource: string; reference: string; referenceType: string }>[]>;
  /** Whether rights to it can be delegated. Default true. */
  readonly delegable?: pulumi.Input<boolean>;
  /** Whether it is shown in Altinn's portals. Default true. */
  readonly visible?: pulumi.Input<boolean>;
  /** Party types it is for (a set): `Company`, `PrivatePerson`, ... Default: as the registry has them. */
  readonly availableForType?: pulumi.Input<pulumi.Input<string>[]>;
  /** Free text; Altinn Studio uses `Completed`, `Deprecated`, `UnderDevelopment`, `Withdrawn`. Default: unset. */
  readonly status?: pulumi.Input<string>;
  /** Search keywords (a set): `{word, language}`. Default: as the registry has them. */
  readonly keywords?: pulumi.Input<pulumi.Input<{ word: string; language: "en" | "nb" | "nn" }>[]>;
  /** Home page (http or https URL). */
  readonly homepage?: pulumi.Input<string>;
  /** Take over a resource that already exists with this identifier (`pulumi import` does not work for dynamic resources). Default false. */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * A service resource in Altinn's Resource Registry. Type token `pulumi-nodejs:dynamic/resourceregistry:Resource`;
 * the id is the identifier. In production, deleting it keeps it upstream (the registry refuses deletes there),
 * drops it from state and warns; components protect it there.
 */
export class AltinnResource extends KindResource {
  declare readonly identifier: pulumi.Output<string>;
  /** `urn:altinn:resource:<identifier>`: how policies, Events filters and System Register rights name it. */
  declare readonly urn: pulumi.Output<string>;
  declare readonly title: pulumi.Output<LanguageText>;
  declare readonly resourceType: pulumi.Output<string>;

  constructor(name: string, args: AltinnResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super("resourceregistry", "Resource", name, { ...args, urn: undefined }, opts);
  }
}
