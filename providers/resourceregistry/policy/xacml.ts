/**
 * XACML 3.0 for Resource Registry policies: generated deterministically from declarative rules with an XML
 * library (fast-xml-parser's builder: escaping and structure are its job, not string concatenation), parsed
 * back into one canonical form in which whitespace, attribute order, rule order and identifiers do not count,
 * and checked against the registry's own acceptance rules before anything is uploaded.
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";

import { isValidOrgNumber } from "../../runtime/validation.js";

export const XACML_NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17";
const SUBJECT_CATEGORY = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject";
const RESOURCE_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
const ACTION_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";
const ACTION_ID = "urn:oasis:names:tc:xacml:1.0:action:action-id";
const RESOURCE_ATTRIBUTE = "urn:altinn:resource";
const STRING = "http://www.w3.org/2001/XMLSchema#string";
const INTEGER = "http://www.w3.org/2001/XMLSchema#integer";
const EQUAL = "urn:oasis:names:tc:xacml:1.0:function:string-equal";
const EQUAL_IGNORE_CASE = "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case";
const DENY_OVERRIDES = "urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides";
const MIN_AUTH_LEVEL = "urn:altinn:minimum-authenticationlevel";
const MIN_AUTH_LEVEL_ORG = "urn:altinn:minimum-authenticationlevel-org";

/**
 * Subject attributes a rule can name, written as `<attribute>:<value>`:
 * - `urn:altinn:rolecode:DAGL`: a person with that role for the party (persons only; case-insensitive);
 * - `urn:altinn:accesspackage:<slug>`: holders of that access package (persons and system users; case-insensitive);
 * - `urn:altinn:org:<code>`: a service owner's token (`altinn:serviceowner`), e.g. the sender of a Correspondence;
 * - `urn:altinn:organization:identifier-no:<orgno>`: an organisation's own token, or a system user of that organisation;
 * - `urn:altinn:systemuser:uuid:<uuid>`: one system user.
 */
export const SUBJECT_ATTRIBUTES = {
  "urn:altinn:rolecode": EQUAL_IGNORE_CASE,
  "urn:altinn:accesspackage": EQUAL_IGNORE_CASE,
  "urn:altinn:org": EQUAL,
  "urn:altinn:organization:identifier-no": EQUAL,
  "urn:altinn:systemuser:uuid": EQUAL,
} as const;
type SubjectAttribute = keyof typeof SUBJECT_ATTRIBUTES;

/** One declarative rule: any of `subjects` may do any of `actions` on the policy's resource. */
export interface PolicyRule {
  readonly subjects: readonly string[];
  readonly actions: readonly string[];
  readonly description?: string;
}

export interface PolicyModel {
  readonly rules: readonly PolicyRule[];
  /** Minimum authentication level for persons (obligation). */
  readonly minimumAuthenticationLevel?: number;
  /** Minimum authentication level for organisations (obligation). */
  readonly minimumAuthenticationLevelOrg?: number;
}

/** A subject string split into its attribute and value, or a reason it is not one. */
export function parseSubject(s: string): { attribute: SubjectAttribute; value: string } | { error: string } {
  const attribute = (Object.keys(SUBJECT_ATTRIBUTES) as SubjectAttribute[]).find((a) => s.startsWith(`${a}:`));
  if (!attribute) {
    return {
      error: `a subject is one of ${Object.keys(SUBJECT_ATTRIBUTES)
        .map((a) => `${a}:<value>`)
        .join(", ")}`,
    };
  }
  const value = s.slice(attribute.length + 1);
  if (value === "" || /\s/.test(value)) return { error: `a subject's value is not empty and has no spaces (${attribute}:<value>)` };
  if (attribute === "urn:altinn:organization:identifier-no" && !isValidOrgNumber(value)) {
    return { error: `not a valid organisation number: ${value} (9 digits, MOD11 check digit)` };
  }
  return { attribute, value };
}

function match(matchId: string, value: string, attributeId: string, category: string, dataType = STRING) {
  return {
    "xacml:Match": {
      "@_MatchId": matchId,
      "xacml:AttributeValue": { "@_DataType": dataType, "#text": value },
      "xacml:AttributeDesignator": {
        "@_AttributeId": attributeId,
        "@_Category": category,
        "@_DataType": dataType,
        "@_MustBePresent": "false",
      },
    },
  };
}

function obligation(n: number, category: string, level: number) {
  return {
    "@_FulfillOn": "Permit",
    "@_ObligationId": `urn:altinn:obligation:authenticationLevel${n}`,
    "xacml:AttributeAssignmentExpression": {
      "@_AttributeId": `urn:altinn:obligation${n}-assignment1`,
      "@_Category": category,
      "xacml:AttributeValue": { "@_DataType": INTEGER, "#text": String(level) },
    },
  };
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
});

/** The XACML document for a resource's rules. Deterministic: the same model always gives the same bytes. */
export function buildXacml(resource: string, model: PolicyModel): string {
  const rules = model.rules.map((rule, i) => ({
    "@_RuleId": `urn:altinn:resource:${resource}:ruleid:${i + 1}`,
    "@_Effect": "Permit",
    ...(rule.description ? { "xacml:Description": rule.description } : {}),
    "xacml:Target": {
      "xacml:AnyOf": [
        {
          "xacml:AllOf": rule.subjects.map((s) => {
            const p = parseSubject(s);
            if ("error" in p) throw new Error(`subject ${s}: ${p.error}`);
            return match(SUBJECT_ATTRIBUTES[p.attribute], p.value, p.attribute, SUBJECT_CATEGORY);
          }),
        },
        { "xacml:AllOf": [match(EQUAL, resource, RESOURCE_ATTRIBUTE, RESOURCE_CATEGORY)] },
        { "xacml:AllOf": rule.actions.map((a) => match(EQUAL, a, ACTION_ID, ACTION_CATEGORY)) },
      ],
    },
  }));
  const obligations = [
    ...(model.minimumAuthenticationLevel !== undefined ? [obligation(1, MIN_AUTH_LEVEL, model.minimumAuthenticationLevel)] : []),
    ...(model.minimumAuthenticationLevelOrg !== undefined ? [obligation(2, MIN_AUTH_LEVEL_ORG, model.minimumAuthenticationLevelOrg)] : []),
  ];
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    "xacml:Policy": {
      "@_xmlns:xacml": XACML_NS,
      "@_PolicyId": `urn:altinn:resource:${resource}:policyid:1`,
      "@_Version": "1.0",
      "@_RuleCombiningAlgId": DENY_OVERRIDES,
      "xacml:Target": "",
      "xacml:Rule": rules,
      ...(obligations.length > 0 ? { "xacml:ObligationExpressions": { "xacml:ObligationExpression": obligations } } : {}),
    },
  });
}

// ---- reading ------------------------------------------------------------------------------------------------

type Node = Record<string, unknown>;
const ARRAYS = new Set(["Rule", "AnyOf", "AllOf", "Match", "ObligationExpression", "AttributeAssignmentExpression"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  isArray: (name) => ARRAYS.has(name),
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
});
const rawParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, parseAttributeValue: false });

const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter((x): x is Node => !!x && typeof x === "object") : []);
const node = (v: unknown): Node => (v && typeof v === "object" && !Array.isArray(v) ? (v as Node) : {});
const text = (v: unknown): string => (typeof v === "string" ? v : typeof node(v)["#text"] === "string" ? String(node(v)["#text"]) : "");

/** One Match as read. */
interface CanonMatch {
  category: string;
  attribute: string;
  value: string;
  ignoreCase: boolean;
}

/** A rule as compared: its Target as AnyOf (AND) of AllOf (OR) of Match (AND), every level sorted. */
export interface CanonRule {
  effect: string;
  description: string;
  target: string[][][];
}

export interface CanonPolicy {
  rules: CanonRule[];
  obligations: string[];
}

export interface ParsedPolicy {
  readonly canon: CanonPolicy;
  /** Every `urn:altinn:resource` value a rule matches. */
  readonly resources: readonly string[];
  /** The declarative rules, when every rule has the shape {@link buildXacml} writes (undefined otherwise). */
  readonly model: PolicyModel | undefined;
}

export class XacmlError extends Error {}

function matchOf(m: Node): CanonMatch {
  const designator = node(m.AttributeDesignator);
  return {
    category: String(designator.Category ?? ""),
    attribute: String(designator.AttributeId ?? ""),
    value: text(m.AttributeValue).trim(),
    ignoreCase: String(m.MatchId ?? "").endsWith("string-equal-ignore-case"),
  };
}

/** How a Match compares: a value matched case-insensitively compares in lower case. */
const key = (m: CanonMatch): string =>
  `${m.category}|${m.attribute}|${m.ignoreCase ? "ci" : "cs"}|${m.ignoreCase ? m.value.toLowerCase() : m.value}`;

/** Parses a policy; structural problems (not XACML, no rules) are {@link XacmlError}s. */
export function parseXacml(xml: string): ParsedPolicy {
  let doc: Node;
  let raw: Node;
  try {
    doc = node(parser.parse(xml, true));
    raw = node(rawParser.parse(xml));
  } catch (e) {
    throw new XacmlError(`not well-formed XML: ${(e as Error).message}`);
  }
  const rootName = Object.keys(raw).find((k) => k !== "?xml") ?? "";
  const prefix = rootName.includes(":") ? rootName.slice(0, rootName.indexOf(":")) : "";
  const ns = node(raw[rootName])[prefix ? `xmlns:${prefix}` : "xmlns"];
  if (rootName.replace(/^.*:/, "") !== "Policy" || ns !== XACML_NS) {
    throw new XacmlError(`the root element must be Policy in the XACML 3.0 namespace (${XACML_NS})`);
  }
  const policy = node(doc.Policy);
  const rules = nodes(policy.Rule);
  if (rules.length === 0) throw new XacmlError("a policy needs at least one Rule");
  const resources = new Set<string>();
  const canonRules: CanonRule[] = [];
  const model: PolicyRule[] = [];
  let simple = true;
  for (const rule of rules) {
    const anyOfs = nodes(node(rule.Target).AnyOf).map((anyOf) => nodes(anyOf.AllOf).map((allOf) => nodes(allOf.Match).map(matchOf)));
    for (const m of anyOfs.flat(2)) if (m.attribute === RESOURCE_ATTRIBUTE) resources.add(m.value);
    canonRules.push({
      effect: String(rule.Effect ?? ""),
      description: text(rule.Description).replace(/\s+/g, " ").trim(),
      target: anyOfs
        .map((a) => a.map((all) => all.map(key).sort()).sort((x, y) => x.join().localeCompare(y.join())))
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    });
    // The declarative shape: one AnyOf of single-match subjects, one of the resource, one of actions.
    const [subjects, resource, actions] = anyOfs;
    const single = (a: CanonMatch[][] | undefined): CanonMatch[] | undefined =>
      a && a.every((all) => all.length === 1) ? a.map((all) => all[0] as CanonMatch) : undefined;
    const s = single(subjects);
    const r = single(resource);
    const act = single(actions);
    if (
      anyOfs.length !== 3 ||
      !s ||
      !r ||
      !act ||
      s.some((m) => m.category !== SUBJECT_CATEGORY) ||
      act.some((m) => m.attribute !== ACTION_ID) ||
      rule.Effect !== "Permit"
    ) {
      simple = false;
      continue;
    }
    const description = text(rule.Description).trim();
    model.push({
      subjects: s.map((m) => `${m.attribute}:${m.value}`),
      actions: act.map((m) => m.value),
      ...(description ? { description } : {}),
    });
  }
  const obligations = nodes(node(policy.ObligationExpressions).ObligationExpression)
    .flatMap((o) => nodes(o.AttributeAssignmentExpression))
    .map((a) => `${String(a.Category ?? "")}=${text(a.AttributeValue).trim()}`)
    .sort();
  const level = (category: string): number | undefined => {
    const found = obligations.find((o) => o.startsWith(`${category}=`));
    return found === undefined ? undefined : Number(found.slice(category.length + 1));
  };
  const lp = level(MIN_AUTH_LEVEL);
  const lo = level(MIN_AUTH_LEVEL_ORG);
  return {
    canon: { rules: canonRules.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), obligations },
    resources: [...resources].sort(),
    model: simple
      ? {
          rules: model,
          ...(lp !== undefined ? { minimumAuthenticationLevel: lp } : {}),
          ...(lo !== undefined ? { minimumAuthenticationLevelOrg: lo } : {}),
        }
      : undefined,
  };
}

/**
 * The registry's acceptance rules, checked before upload: every rule is a Permit rule that targets this
 * resource (a Match on `urn:altinn:resource` equal to its identifier) and no other resource. Returns the
 * problems, each a sentence; none means the registry would accept the policy.
 */
export function acceptanceProblems(resource: string, p: ParsedPolicy): string[] {
  const problems: string[] = [];
  const others = p.resources.filter((r) => r !== resource);
  if (others.length > 0)
    problems.push(`the policy has rules for another resource (${others.join(", ")}); a policy may only name resource ${resource}`);
  p.canon.rules.forEach((r, i) => {
    if (r.effect !== "Permit") problems.push(`rule ${i + 1} has Effect "${r.effect}": the registry accepts Permit rules only`);
    const targets = r.target.flat(2).filter((k) => k === `${RESOURCE_CATEGORY}|${RESOURCE_ATTRIBUTE}|cs|${resource}`);
    if (targets.length === 0)
      problems.push(`rule ${i + 1} does not target the resource: it needs a Match on ${RESOURCE_ATTRIBUTE} = ${resource}`);
  });
  return problems;
}
