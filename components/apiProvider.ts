import * as pulumi from "@pulumi/pulumi";

import { MaskinportenScope, MaskinportenScopeGrant } from "@altinn-onboarding/providers";
import type { ScopeSpec } from "../manifest";

/** Arguments of {@link ApiProvider}: the `apiProvider` section of the manifest, resolved. */
export interface ApiProviderArgs {
  /** Org number that owns a scope that names none. */
  readonly organization?: string;
  /** Scopes the organisation exposes, with the consumers granted each. */
  readonly scopes: readonly ScopeSpec[];
}

/**
 * An API provider: the Maskinporten scopes an organisation exposes, and a grant to each consumer. Clients in the
 * same stack that use a scope wait for its grants (`dependenciesOf`), because Digdir refuses a scope on a client
 * before its organisation is granted it. It takes the place of the first version's Maskinporten component
 * (an alias keeps existing stacks' scopes and grants where they are).
 */
export class ApiProvider extends pulumi.ComponentResource {
  /** Scope names this stack exposes. */
  public readonly scopeNames: pulumi.Output<string[]>;
  /** Grant state per `<scope> -> <consumer org>` (APPROVED, REQUESTED or DENIED as Digdir reports it). */
  public readonly grants: pulumi.Output<Record<string, string>>;
  private readonly dependencies = new Map<string, pulumi.Resource[]>();

  constructor(name: string, args: ApiProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      "altinn-onboarding:story:ApiProvider",
      name,
      {},
      pulumi.mergeOptions(opts, { aliases: [{ name: "maskinporten", type: "altinn-onboarding:maskinporten:Onboarding" }] }),
    );
    const orgOf = (spec: { organization?: string | undefined }): string => {
      const org = spec.organization ?? args.organization;
      if (!org) throw new Error("manifest validation let through a scope without an organisation");
      return org;
    };
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
      this.dependencies.set(scopeName, grants.length > 0 ? grants : [scope]);
    }
    this.scopeNames = pulumi.all(scopeNames);
    this.grants = pulumi.all(grantStates);
    this.registerOutputs({ scopeNames: this.scopeNames, grants: this.grants });
  }

  /** Scope name -> what a client using it must wait for. */
  get scopeDependencies(): ReadonlyMap<string, readonly pulumi.Resource[]> {
    return this.dependencies;
  }
}
