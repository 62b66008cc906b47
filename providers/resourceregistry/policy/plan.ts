/**
 * The pure plan of a resource's policy. Desired and current policies are compared in XACML's canonical form
 * (./xacml.ts): declarative rules are first written as the XACML the provider would upload, so a rule set and
 * a hand-written document that mean the same compare equal, and whitespace, attribute order, rule order and
 * identifiers never count.
 */
import { UNKNOWN, containsUnknown } from "../../runtime/validation.js";
import { compare, str, type Plan } from "../../runtime/plan.js";
import { buildXacml, parseXacml, XacmlError, type PolicyModel, type PolicyRule } from "./xacml.js";

type Obj = Record<string, unknown>;

export interface PolicyCanon {
  resource: unknown;
  policy: unknown;
}

export const POLICY_REPLACE_FIELDS = ["resource"] as const;

/** The model the inputs (or outputs) describe: declarative rules with their obligations. */
export function modelOf(p: Obj): PolicyModel | undefined {
  if (!Array.isArray(p.rules)) return undefined;
  return {
    rules: p.rules as PolicyRule[],
    ...(typeof p.minimumAuthenticationLevel === "number" ? { minimumAuthenticationLevel: p.minimumAuthenticationLevel } : {}),
    ...(typeof p.minimumAuthenticationLevelOrg === "number" ? { minimumAuthenticationLevelOrg: p.minimumAuthenticationLevelOrg } : {}),
  };
}

/** The XACML the props stand for: the live document when a read could not express it as rules, else xacml, else rules. */
export function documentOf(p: Obj): string | undefined {
  if (typeof p.livePolicyXml === "string") return p.livePolicyXml;
  if (typeof p.xacml === "string") return p.xacml;
  const model = modelOf(p);
  return model && typeof p.resource === "string" ? buildXacml(p.resource, model) : undefined;
}

export function canonicalPolicy(p: Obj): PolicyCanon {
  if (containsUnknown(p.resource) || containsUnknown(p.rules) || containsUnknown(p.xacml))
    return { resource: str(p.resource), policy: UNKNOWN };
  const doc = documentOf(p);
  let policy: unknown;
  try {
    policy = doc === undefined ? null : parseXacml(doc).canon;
  } catch (e) {
    if (!(e instanceof XacmlError)) throw e;
    // A stored document that is not XACML compares as its text: it differs from any valid policy.
    policy = { unreadable: doc };
  }
  return { resource: str(p.resource), policy };
}

export function planPolicy(desired: Obj, current: Obj): Plan {
  return compare(canonicalPolicy(desired), canonicalPolicy(current), POLICY_REPLACE_FIELDS);
}
