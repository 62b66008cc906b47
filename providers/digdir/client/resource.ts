import * as pulumi from "@pulumi/pulumi";

import { KindResource } from "../../dynamic.js";

/** Arguments of {@link MaskinportenClient}. */
export interface MaskinportenClientArgs {
  /**
   * The organisation (9-digit org number) that owns the client; its admin credentials make the calls.
   * Default: stack config `altinn-onboarding:orgNumber`, or the only configured admin organisation.
   * Changing it replaces the client.
   */
  readonly organization?: pulumi.Input<string>;
  /** Display name (`client_name`). Updated in place. */
  readonly name: pulumi.Input<string>;
  /**
   * Free text shown in Samarbeidsportalen. The provider appends its marker (`[iac:...]`) to what is stored.
   * Default: empty. Updated in place.
   */
  readonly description?: pulumi.Input<string>;
  /**
   * The scopes the client may request (a set: order does not matter). Each must be granted to the organisation,
   * open to all, or owned by it; at least one. Updated in place.
   */
  readonly scopes: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Access-token lifetime: seconds, ISO-8601 (`PT2M`) or TimeSpan (`00:02:00`). Default 0 = Maskinporten's
   * default (120 s). Capped by each scope's max age. Updated in place.
   */
  readonly accessTokenLifetime?: pulumi.Input<number | string>;
  /**
   * `integration_type`. Default `maskinporten`. Digdir cannot change it: changing it replaces the client.
   */
  readonly integrationType?: pulumi.Input<"maskinporten" | "api_klient" | "idporten" | "ansattporten" | "krr" | "eformidling">;
  /**
   * Names of the keys the program manages on the client (a set, at most 5). A new name generates a new RSA
   * key inside the provider and registers it; a removed name unregisters its key. Rotate by adding the new
   * name in one `up` and removing the old one in a later `up` (after consumers switched). Default: none.
   */
  readonly keys?: pulumi.Input<pulumi.Input<string>[]>;
  /** Lifetime of a registered key in days (Digdir's maximum and default: 365). */
  readonly keyLifetimeDays?: pulumi.Input<number>;
  /**
   * A key that expires within this many days is registered again (same key, new expiry) by `up`, and shows as
   * drift in `refresh --preview-only`. Default 30.
   */
  readonly keyRenewalDays?: pulumi.Input<number>;
  /**
   * Adopt an existing client by its `client_id` instead of creating one (`pulumi import` does not work for
   * dynamic resources). Only read when the resource is created; its fields are then set to these arguments.
   */
  readonly adopt?: pulumi.Input<string>;
  /**
   * The marker stored in the description, which lets a create whose answer was lost find its client again.
   * Default `iac:<project>/<stack>/<resource name>`; set it only to keep a marker across a rename.
   */
  readonly marker?: pulumi.Input<string>;
}

/** A key the program manages, as the `keys` output lists it (public parts only). */
export interface MaskinportenClientKeyInfo {
  readonly name: string;
  readonly kid: string;
  readonly publicJwk: Record<string, unknown>;
  /** Expiry as Digdir reports it (ISO-8601). */
  readonly expiresAt?: string;
  /** Whether the key is in the client's live JWKS. */
  readonly registered: boolean;
}

/** Builds the default marker; `]` and whitespace are not allowed in it. */
function defaultMarker(name: string): string {
  return `iac:${pulumi.getProject()}/${pulumi.getStack()}/${name}`.replace(/[\s\]]/g, "-").slice(0, 204);
}

/**
 * A Maskinporten client (Digdir self-service API), with the keys the program manages on it.
 * Type token: `pulumi-nodejs:dynamic/maskinporten:Client`. Deleting it deactivates the client (Digdir never
 * deletes). `privateJwks` is a secret output.
 */
export class MaskinportenClient extends KindResource {
  /** The server-assigned client id (also the resource id). */
  declare readonly clientId: pulumi.Output<string>;
  /** The organisation Digdir recorded as the client's owner (`client_orgno`). */
  declare readonly clientOrgNumber: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string>;
  declare readonly marker: pulumi.Output<string>;
  declare readonly scopes: pulumi.Output<string[]>;
  declare readonly integrationType: pulumi.Output<string>;
  declare readonly accessTokenLifetime: pulumi.Output<number | string>;
  /** The names of the program's keys (the `keys` argument). */
  declare readonly keys: pulumi.Output<string[]>;
  /** The program's keys: name, kid, public JWK, expiry, whether registered. */
  declare readonly registeredKeys: pulumi.Output<MaskinportenClientKeyInfo[]>;
  /** Key name -> kid. */
  declare readonly keyIds: pulumi.Output<Record<string, string>>;
  /** Kids registered on the client outside this program: left alone, reported here. */
  declare readonly externalKeyIds: pulumi.Output<string[]>;
  /**
   * Kids of keys this program registered but whose private half never reached state (a run interrupted between
   * registering a key and saving it). Empty after every `up`, which removes them; drift detection reports them.
   */
  declare readonly strayKeyIds: pulumi.Output<string[]>;
  /** Key name -> private JWK (JSON text). Secret. */
  declare readonly privateJwks: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MaskinportenClientArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "maskinporten",
      "Client",
      name,
      {
        marker: defaultMarker(name),
        ...args,
        clientId: undefined,
        clientOrgNumber: undefined,
        registeredKeys: undefined,
        keyIds: undefined,
        externalKeyIds: undefined,
        strayKeyIds: undefined,
        privateJwks: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateJwks"] }),
    );
  }
}
