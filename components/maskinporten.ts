import * as pulumi from "@pulumi/pulumi";
import type * as keyvaultModule from "@pulumi/azure-native/keyvault";

import { MaskinportenClient, MaskinportenScope, MaskinportenScopeGrant } from "@altinn-onboarding/providers";
import type { ClientSpec, ScopeSpec } from "../manifest";

/** Arguments of {@link MaskinportenOnboarding}: the `maskinporten` section of the manifest, resolved. */
export interface MaskinportenOnboardingArgs {
  /** Org number that acts where a scope or client names none. */
  readonly organization?: string;
  /** Scopes this organisation exposes as an API provider, with the consumers granted each. */
  readonly scopes: readonly ScopeSpec[];
  /** Maskinporten clients (integrations) and the keys the program manages on them. */
  readonly clients: readonly ClientSpec[];
}

/** What the stack prints for one client: ids, never key material. */
export interface ClientSummary {
  clientId: string;
  organization: string;
  scopes: string[];
  /** Key name -> kid. */
  keyIds: Record<string, string>;
  /** Kids registered outside this program (left alone). */
  externalKeyIds: string[];
}

/**
 * The Maskinporten side of an onboarding: exposed scopes and their grants (API provider), then the clients
 * that consume scopes. A client that uses a scope declared here waits for that scope's grants, because Digdir
 * refuses a scope on a client before the client's organisation has been granted it.
 */
export class MaskinportenOnboarding extends pulumi.ComponentResource {
  /** Scope names this stack exposes. */
  public readonly scopeNames: pulumi.Output<string[]>;
  /** Grant state per `<scope> -> <consumer org>` (APPROVED, REQUESTED or DENIED as Digdir reports it). */
  public readonly grants: pulumi.Output<Record<string, string>>;
  /** Per client logical name: ids and key ids (never private keys). */
  public readonly clients: pulumi.Output<Record<string, ClientSummary>>;
  /** Per client logical name, key name -> private JWK (JSON). Secret. */
  public readonly privateJwks: pulumi.Output<Record<string, Record<string, string>>>;

  constructor(name: string, args: MaskinportenOnboardingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("altinn-onboarding:maskinporten:Onboarding", name, {}, opts);
    const orgOf = (spec: { organization?: string | undefined }): string => {
      const org = spec.organization ?? args.organization;
      if (!org) throw new Error("manifest validation let through a scope or client without an organisation");
      return org;
    };

    const grantsByScope = new Map<string, pulumi.Resource[]>();
    const grantStates: Record<string, pulumi.Output<string>> = {};
    const scopeNames: pulumi.Output<string>[] = [];
    for (const spec of args.scopes) {
      const scopeName = `${spec.prefix}:${spec.subscope}`;
      const scope = new MaskinportenScope(
        `scope-${scopeName}`,
        {
          organization: orgOf(spec),
          prefix: spec.prefix,
          subscope: spec.subscope,
          description: spec.description,
          ...(spec.longDescription !== undefined ? { longDescription: spec.longDescription } : {}),
          visibility: spec.visibility,
          ...(spec.atMaxAge !== undefined ? { atMaxAge: spec.atMaxAge } : {}),
          ...(spec.allowedIntegrationTypes !== undefined ? { allowedIntegrationTypes: spec.allowedIntegrationTypes } : {}),
          accessibleForAll: spec.accessibleForAll,
          ...(spec.openToAll !== undefined ? { openToAll: spec.openToAll } : {}),
          ...(spec.delegationSource !== undefined ? { delegationSource: spec.delegationSource } : {}),
        },
        { parent: this },
      );
      scopeNames.push(scope.name);
      const grants = spec.consumers.map((consumerOrg) => {
        // The scope's name as a plain string (it cannot change without replacing the scope), plus an explicit
        // dependency: a change to the scope's texts then plans as one update of the scope and nothing else.
        const grant = new MaskinportenScopeGrant(
          `grant-${scopeName}-${consumerOrg}`,
          { organization: orgOf(spec), scope: scopeName, consumerOrg },
          { parent: this, dependsOn: [scope] },
        );
        grantStates[`${scopeName} -> ${consumerOrg}`] = grant.state;
        return grant;
      });
      // A client that uses this scope waits for its grants (which wait for the scope).
      grantsByScope.set(scopeName, grants.length > 0 ? grants : [scope]);
    }

    const summaries: Record<string, pulumi.Output<ClientSummary>> = {};
    const secrets: Record<string, pulumi.Output<Record<string, string>>> = {};
    for (const spec of args.clients) {
      const dependsOn = spec.scopes.flatMap((s) => grantsByScope.get(s) ?? []);
      const client = new MaskinportenClient(
        `client-${spec.name}`,
        {
          organization: orgOf(spec),
          name: spec.clientName ?? spec.name,
          description: spec.description,
          integrationType: spec.integrationType,
          scopes: [...spec.scopes],
          ...(spec.accessTokenLifetime !== undefined ? { accessTokenLifetime: spec.accessTokenLifetime } : {}),
          keys: [...spec.keys],
          keyLifetimeDays: spec.keyLifetimeDays,
          keyRenewalDays: spec.keyRenewalDays,
          ...(spec.adopt !== undefined ? { adopt: spec.adopt } : {}),
        },
        { parent: this, dependsOn },
      );
      summaries[spec.name] = pulumi
        .all([client.clientId, client.clientOrgNumber, client.scopes, client.keyIds, client.externalKeyIds])
        .apply(([clientId, organization, scopes, keyIds, externalKeyIds]) => ({
          clientId,
          organization,
          scopes: [...scopes].sort(),
          keyIds,
          externalKeyIds,
        }));
      secrets[spec.name] = client.privateJwks;
      if (spec.keyVault) this.storeKeysInKeyVault(spec, client);
    }

    this.scopeNames = pulumi.all(scopeNames);
    this.grants = pulumi.all(grantStates);
    this.clients = pulumi.all(summaries);
    this.privateJwks = pulumi.secret(pulumi.all(secrets));
    // Private keys are not component outputs: each is stored once by its client (a secret output) and once in the
    // stack output users read keys from (index.ts).
    this.registerOutputs({ scopeNames: this.scopeNames, grants: this.grants, clients: this.clients });
  }

  /** One Key Vault secret per key: the private JWK, so applications read it from the vault, not from state. */
  private storeKeysInKeyVault(spec: ClientSpec, client: MaskinportenClient): void {
    const vault = spec.keyVault;
    if (!vault) return;
    // Only this module of @pulumi/azure-native, and only when asked for: loading the whole package costs seconds.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const keyvault = require("@pulumi/azure-native/keyvault") as typeof keyvaultModule;
    const prefix = vault.secretPrefix ?? `maskinporten-${spec.name}`;
    for (const keyName of spec.keys) {
      const secretName = `${prefix}-${keyName}`.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 127);
      new keyvault.Secret(
        `keyvault-${spec.name}-${keyName}`,
        {
          resourceGroupName: vault.resourceGroupName,
          vaultName: vault.vaultName,
          secretName,
          properties: {
            contentType: "application/jwk+json",
            value: pulumi.secret(client.privateJwks.apply((jwks) => jwks[keyName] ?? "")),
          },
          tags: { "maskinporten-client-id": client.clientId, "maskinporten-kid": client.keyIds.apply((ids) => ids[keyName] ?? "") },
        },
        { parent: this, dependsOn: [client] },
      );
    }
  }
}
