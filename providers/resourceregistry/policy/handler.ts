/**
 * `resourceregistry:Policy`: the XACML policy of one resource. Generated from declarative rules (or taken as a
 * hand-written document), checked against the registry's acceptance rules before upload, and compared
 * canonically with the stored policy, so a policy that means the same is never uploaded again and never
 * reported as drift.
 */
import { ConfigurationError } from "../../runtime/errors.js";
import { defineKind } from "../../runtime/kind.js";
import { RegistryApi } from "../api.js";
import { policyRules, type PolicyInputs } from "./inputs.js";
import { POLICY_REPLACE_FIELDS, canonicalPolicy, modelOf, planPolicy } from "./plan.js";
import { acceptanceProblems, buildXacml, parseXacml, XacmlError, type ParsedPolicy } from "./xacml.js";

export const POLICY_KIND = "resourceregistry:Policy";

/** A policy as stored upstream: its text, and what it says when it is XACML. */
interface Observed {
  readonly xml: string;
  readonly parsed: ParsedPolicy | undefined;
}

function observe(xml: string): Observed {
  try {
    return { xml, parsed: parseXacml(xml) };
  } catch (e) {
    if (e instanceof XacmlError) return { xml, parsed: undefined };
    throw e;
  }
}

/** The document to upload for the inputs, checked against the registry's rules. */
function documentFor(i: PolicyInputs): string {
  const model = modelOf(i);
  const xml = i.xacml ?? (model ? buildXacml(i.resource, model) : undefined);
  if (xml === undefined) throw new ConfigurationError(`${POLICY_KIND}: no rules and no xacml`, "give either rules or xacml");
  const problems = acceptanceProblems(i.resource, parseXacml(xml));
  if (problems.length > 0)
    throw new ConfigurationError(`${POLICY_KIND} for resource ${i.resource}: ${problems.join("; ")}`, "fix the policy");
  return xml;
}

async function write(i: PolicyInputs, subject: { kind?: string; resource?: string }, organization: string | undefined): Promise<Observed> {
  const registry = await RegistryApi.forOrg(organization, subject);
  const xml = documentFor(i);
  const live = await registry.getPolicy(i.resource);
  if (live !== undefined && planPolicy(i, { resource: i.resource, livePolicyXml: live }).changes.length === 0) return observe(live);
  await registry.putPolicy(i.resource, xml);
  return observe(xml);
}

export const altinnResourcePolicy = defineKind({
  name: POLICY_KIND,
  inputs: policyRules,
  canonical: (p) => canonicalPolicy(p),
  replaceFields: POLICY_REPLACE_FIELDS,
  label: (p, id) => `policy of resource "${String(id ?? p.resource ?? "?")}"`,
  outputs: (o: Observed) => {
    const model = o.parsed?.model;
    return {
      // As declarative rules when the stored policy has their shape; otherwise the stored text is kept as an
      // output, so drift in a policy edited by hand is still seen.
      fields: {
        xacml: o.xml,
        ...(model
          ? {
              rules: model.rules,
              minimumAuthenticationLevel: model.minimumAuthenticationLevel,
              minimumAuthenticationLevelOrg: model.minimumAuthenticationLevelOrg,
            }
          : {}),
      },
      computed: model ? {} : { livePolicyXml: o.xml },
    };
  },
  async create(i, ctx) {
    return { id: i.resource, observed: await write(i, ctx.subject, ctx.organization) };
  },
  async read(id, _previous, ctx) {
    const registry = await RegistryApi.forOrg(ctx.organization, ctx.subject);
    const live = await registry.getPolicy(id);
    return live === undefined ? undefined : observe(live);
  },
  async update(_id, i, _olds, ctx) {
    return write(i, ctx.subject, ctx.organization);
  },
  // The registry cannot remove a policy on its own: it stays until its resource is deleted. Nothing to call.
  async delete() {},
});
