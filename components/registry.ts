/**
 * The Resource Registry part every service story has: the resource, its policy, access lists for its
 * parties, and the access-list mode last. The order is the one the registry needs: resource -> policy -> lists
 * (members, connections) -> mode, so access is never open to everybody, nor cut for everybody, by accident.
 */
import type * as pulumi from "@pulumi/pulumi";

import {
  AltinnAccessList,
  AltinnResource,
  AltinnResourceAccessListMode,
  AltinnResourcePolicy,
  type PolicyRule,
} from "@altinn-onboarding/providers";
import type { CorrespondenceSpec } from "../manifest";
import type { StoryContext } from "./shared";

type ServiceSpec = Pick<CorrespondenceSpec, "resource" | "orgCode" | "minimumAuthenticationLevel" | "policyRules"> & {
  policyXacml?: string;
};

export interface ListSpec {
  /** Suffix of the list's identifier and resource name: `<resource id>-<suffix>`. */
  readonly suffix: string;
  readonly name: string;
  readonly members: readonly string[];
  /** Actions members get on the resource. */
  readonly actions: readonly string[];
}

export interface ServiceRegistry {
  readonly resource: AltinnResource;
  readonly policy: AltinnResourcePolicy;
  readonly lists: readonly AltinnAccessList[];
  /** What must exist before the service can be used: the mode switch (or the policy when there is none). */
  readonly ready: pulumi.Resource;
  readonly mode: "Enabled" | "Disabled";
}

export function serviceRegistry(
  parent: pulumi.ComponentResource,
  args: {
    organization: string;
    resourceType: string;
    spec: ServiceSpec;
    rules: PolicyRule[];
    lists: readonly ListSpec[];
    dependsOn: readonly pulumi.Resource[];
  },
  ctx: StoryContext,
): ServiceRegistry {
  const { spec } = args;
  const r = spec.resource;
  const lists = args.lists.filter((l) => l.members.length > 0);
  const mode = r.accessListMode ?? (lists.length > 0 ? "Enabled" : "Disabled");
  // Production refuses deletes of registry resources: protect them there (docs/resources/resource.md says how to retire one).
  const protect = ctx.environment === "prod";
  const resource = new AltinnResource(
    "resource",
    {
      organization: args.organization,
      identifier: r.identifier,
      title: r.title,
      description: r.description,
      ...(r.rightDescription !== undefined ? { rightDescription: r.rightDescription } : {}),
      resourceType: args.resourceType,
      accessListMode: mode,
      hasCompetentAuthority: { organization: args.organization, orgcode: spec.orgCode },
      ...(r.contactPoints !== undefined ? { contactPoints: r.contactPoints } : {}),
      ...(r.resourceReferences !== undefined ? { resourceReferences: r.resourceReferences } : {}),
      delegable: r.delegable,
      visible: r.visible,
      ...(r.availableForType !== undefined ? { availableForType: r.availableForType } : {}),
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.keywords !== undefined ? { keywords: r.keywords } : {}),
      ...(r.homepage !== undefined ? { homepage: r.homepage } : {}),
      adopt: r.adopt,
    },
    { parent, dependsOn: [...args.dependsOn], protect },
  );
  const policy = new AltinnResourcePolicy(
    "policy",
    {
      organization: args.organization,
      resource: r.identifier,
      ...(spec.policyXacml !== undefined
        ? { xacml: spec.policyXacml }
        : {
            rules: spec.policyRules ?? args.rules,
            ...(spec.minimumAuthenticationLevel !== undefined ? { minimumAuthenticationLevel: spec.minimumAuthenticationLevel } : {}),
          }),
    },
    { parent, dependsOn: [resource] },
  );
  const made = lists.map(
    (l) =>
      new AltinnAccessList(
        `list-${l.suffix}`,
        {
          organization: args.organization,
          owner: spec.orgCode,
          identifier: `${r.identifier}-${l.suffix}`,
          name: l.name,
          members: [...l.members],
          connections: [{ resource: r.identifier, actions: [...l.actions] }],
        },
        { parent, dependsOn: [policy] },
      ),
  );
  const switched = new AltinnResourceAccessListMode(
    "access-list-mode",
    { organization: args.organization, resource: r.identifier, mode },
    { parent, dependsOn: [policy, ...made] },
  );
  return { resource, policy, lists: made, ready: switched, mode };
}
