// XACML 3.0 policies as the Resource Registry accepts them (spec §3): the ABAC parser's structure rules (a failure
// is an XmlException, answered 500) and the registry's own rule that every Rule targets exactly this resource.
import { XMLParser, XMLValidator } from "fast-xml-parser";

export const XACML_NS = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17";
const RESOURCE_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
const ACTION_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";

export interface XmlElement {
  readonly ns: string | undefined;
  readonly local: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
}

/** Malformed XML or XACML: the registry lets the XmlException through as a 500. */
export class XacmlError extends Error {}

type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode, scope: ReadonlyMap<string, string>): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ":@");
  if (name === undefined || name === "#text" || name.startsWith("?")) return undefined;
  const rawAttrs = (node[":@"] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  const ns = new Map(scope);
  for (const [k, v] of Object.entries(rawAttrs)) {
    const a = k.slice(2); // "@_" prefix
    if (a === "xmlns") ns.set("", v);
    else if (a.startsWith("xmlns:")) ns.set(a.slice(6), v);
    else attrs[a.includes(":") ? a.slice(a.indexOf(":") + 1) : a] = v;
  }
  const colon = name.indexOf(":");
  const prefix = colon >= 0 ? name.slice(0, colon) : "";
  const local = colon >= 0 ? name.slice(colon + 1) : name;
  if (prefix !== "" && !ns.has(prefix)) throw new XacmlError(`undeclared namespace prefix ${prefix}`);
  const kids = (node[name] ?? []) as OrderedNode[];
  const children: XmlElement[] = [];
  let text = "";
  for (const k of kids) {
    if ("#text" in k) text += String(k["#text"]);
    else {
      const el = toElement(k, ns);
      if (el) children.push(el);
    }
  }
  return { ns: ns.get(prefix), local, attrs, children, text: text.trim() };
}

export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XacmlError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
  });
  const nodes = parser.parse(xml) as OrderedNode[];
  const roots = nodes.map((n) => toElement(n, new Map())).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1) throw new XacmlError("expected exactly one root element");
  return roots[0] as XmlElement;
}

const xacml = (e: XmlElement) => e.ns === XACML_NS;

/** Elements of a Policy in the order the schema requires; `+` may repeat, `?` is optional. */
const POLICY_SEQUENCE: readonly [string, "?" | "1" | "+" | "*"][] = [
  ["Description", "?"],
  ["PolicyIssuer", "?"],
  ["PolicyDefaults", "?"],
  ["Target", "1"],
  ["Rule", "+"],
  ["ObligationExpressions", "?"],
  ["AdviceExpressions", "?"],
];

function checkSequence(children: readonly XmlElement[]): void {
  let i = 0;
  for (const [name, card] of POLICY_SEQUENCE) {
    let n = 0;
    while (i < children.length && (children[i] as XmlElement).local === name) {
      n++;
      i++;
    }
    if ((card === "1" || card === "+") && n === 0) throw new XacmlError(`Policy: expected element ${name}`);
    if ((card === "1" || card === "?") && n > 1) throw new XacmlError(`Policy: element ${name} may appear once`);
  }
  if (i < children.length) throw new XacmlError(`Policy: unexpected element ${(children[i] as XmlElement).local}`);
}

export interface Match {
  readonly matchId: string;
  readonly attributeId: string;
  readonly category: string;
  readonly value: string;
}

export type TargetAnyOfs = readonly (readonly (readonly Match[])[])[];

export interface ParsedRule {
  readonly ruleId: string;
  readonly effect: string;
  /** The Target's AnyOf elements (ANDed), each a list of AllOf (ORed), each a list of Matches (ANDed). */
  readonly anyOf: readonly (readonly (readonly Match[])[])[];
}

function matchOf(m: XmlElement): Match {
  if (!m.attrs["MatchId"]) throw new XacmlError("Match: missing MatchId");
  const value = m.children.find((c) => c.local === "AttributeValue");
  const designator = m.children.find((c) => c.local === "AttributeDesignator");
  if (!value || !designator) throw new XacmlError("Match: needs AttributeValue and AttributeDesignator");
  const attributeId = designator.attrs["AttributeId"];
  const category = designator.attrs["Category"];
  if (!attributeId || !category) throw new XacmlError("AttributeDesignator: missing AttributeId or Category");
  return { matchId: m.attrs["MatchId"], attributeId, category, value: value.text };
}

function targetOf(target: XmlElement | undefined): ParsedRule["anyOf"] {
  if (!target) return [];
  return target.children.filter(xacml).map((anyOf) => {
    if (anyOf.local !== "AnyOf") throw new XacmlError(`Target: unexpected element ${anyOf.local}`);
    return anyOf.children.filter(xacml).map((allOf) => {
      if (allOf.local !== "AllOf") throw new XacmlError(`AnyOf: unexpected element ${allOf.local}`);
      const matches = allOf.children.filter(xacml).map((m) => {
        if (m.local !== "Match") throw new XacmlError(`AllOf: unexpected element ${m.local}`);
        return matchOf(m);
      });
      if (matches.length === 0) throw new XacmlError("AllOf: needs at least one Match");
      return matches;
    });
  });
}

export interface ParsedPolicy {
  /** The policy's own Target (usually empty: it then applies to every request). */
  readonly target: TargetAnyOfs;
  readonly rules: readonly ParsedRule[];
}

/** Parses and structurally checks a policy; throws XacmlError (→ 500) when the ABAC parser would throw. */
export function parsePolicy(xml: string): ParsedRule[] {
  return [...parsePolicyDocument(xml).rules];
}

/** The policy with its own Target, for the emulator's PDP. */
export function parsePolicyDocument(xml: string): ParsedPolicy {
  const root = parseXml(xml);
  if (root.local !== "Policy" || root.ns !== XACML_NS) throw new XacmlError(`root element must be Policy in ${XACML_NS}`);
  if (!root.attrs["PolicyId"] || !root.attrs["RuleCombiningAlgId"])
    throw new XacmlError("Policy: PolicyId and RuleCombiningAlgId are required");
  const children = root.children.filter(xacml);
  checkSequence(children);
  const target = targetOf(children.find((c) => c.local === "Target"));
  const rules = children
    .filter((c) => c.local === "Rule")
    .map((rule) => {
      const ruleId = rule.attrs["RuleId"];
      const effect = rule.attrs["Effect"];
      if (!ruleId) throw new XacmlError("Rule: missing RuleId");
      // Spec §3: each Rule needs RuleId and Effect="Permit"; anything else fails in the parser (500).
      if (effect !== "Permit") throw new XacmlError("Rule: Effect must be Permit");
      return { ruleId, effect, anyOf: targetOf(rule.children.find((c) => xacml(c) && c.local === "Target")) };
    });
  return { target, rules };
}

const isResourceMatch = (m: Match) => m.attributeId === "urn:altinn:resource" && m.category === RESOURCE_CATEGORY;

/** The registry's acceptance rule (spec §3); the message of the 400 when a rule breaks it. */
export function registryRuleViolation(rules: readonly ParsedRule[], resourceId: string): string | undefined {
  const values = rules.map((r) =>
    r.anyOf
      .flat(2)
      .filter(isResourceMatch)
      .map((m) => m.value),
  );
  if (values.some((v) => v.some((x) => x !== resourceId))) return "Policy not accepted: Contains rules for a different registry resource";
  if (values.some((v) => v.length === 0)) return "Policy not accepted: Contains rule without reference to registry resource id";
  return undefined;
}

/** `UrnJsonTypeValue`: a URN written as `{type, value}`. */
export interface AttributeMatch {
  type: string;
  value: string;
}

export interface PolicyRuleView {
  subject: AttributeMatch[];
  action: AttributeMatch;
  resource: AttributeMatch[];
}

function categoryOf(allOfs: readonly (readonly Match[])[]): "subject" | "action" | "resource" {
  const c = allOfs[0]?.[0]?.category ?? "";
  if (c === ACTION_CATEGORY) return "action";
  if (c === RESOURCE_CATEGORY) return "resource";
  return "subject";
}

/** `/policy/rules`: one entry per Permit rule × subject alternative × action × resource alternative. */
export function flattenRules(rules: readonly ParsedRule[]): PolicyRuleView[] {
  const out: PolicyRuleView[] = [];
  for (const rule of rules) {
    if (rule.effect !== "Permit") continue;
    const by = { subject: [] as AttributeMatch[][], action: [] as AttributeMatch[][], resource: [] as AttributeMatch[][] };
    for (const anyOf of rule.anyOf)
      by[categoryOf(anyOf)].push(...anyOf.map((allOf) => allOf.map((m) => ({ type: m.attributeId, value: m.value }))));
    const subjects = by.subject.length > 0 ? by.subject : [[]];
    const resources = by.resource.length > 0 ? by.resource : [[]];
    for (const subject of subjects)
      for (const action of by.action.flat()) for (const resource of resources) out.push({ subject, action, resource });
  }
  return out;
}
