// A small policy decision point: decides a request (subject attributes, resource id, action) with the resource's
// stored XACML policy, then applies the Resource Rights Registry (access lists) and, for system users, the rights of
// the accepted system-user request. No shortcuts: what the policy does not permit is denied.
// The subject attributes are a contract with the providers' generated policies; see emulator/README.md.
import { type EmulatorContext } from "../core/context.js";
import { type RightDto } from "../core/state.js";
import { type AltinnCaller, serviceOwnerByCode, serviceOwnerByOrgNumber } from "../altinn/auth.js";
import { type JsonObject } from "../altinn/body.js";
import { accessListAllows, currentResource } from "../resourceregistry/index.js";
import { type Match, type TargetAnyOfs, XacmlError, parsePolicyDocument } from "../resourceregistry/xacml.js";

export const SUBJECT_CATEGORY = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject";
export const RESOURCE_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
export const ACTION_CATEGORY = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";
export const ACTION_ID = "urn:oasis:names:tc:xacml:1.0:action:action-id";
export const ORG_NUMBER_ATTRIBUTE = "urn:altinn:organization:identifier-no";
export const ORG_CODE_ATTRIBUTE = "urn:altinn:org";
export const SYSTEM_USER_ATTRIBUTE = "urn:altinn:systemuser:uuid";
export const ACCESS_PACKAGE_ATTRIBUTE = "urn:altinn:accesspackage";
const PACKAGE_PREFIX = "urn:altinn:accesspackage:";

const STRING_EQUAL = "urn:oasis:names:tc:xacml:1.0:function:string-equal";
const STRING_EQUAL_IGNORE_CASE = "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case";

export interface SubjectAttribute {
  readonly id: string;
  readonly value: string;
}

export interface Subject {
  readonly attributes: readonly SubjectAttribute[];
  /** Set for a system user's token: the rights and packages of its accepted request. */
  readonly systemUser?: { readonly id: string; readonly orgNumber: string; readonly rights: readonly RightDto[] } | undefined;
}

/**
 * The subject of an Altinn caller:
 * - an organisation's own token: `urn:altinn:organization:identifier-no` = its org number, plus `urn:altinn:org` =
 *   its org code when it is a registered service owner and the token has `altinn:serviceowner`;
 * - a system user's token: `urn:altinn:systemuser:uuid`, `urn:altinn:organization:identifier-no` = the customer
 *   (the system user's owner) and `urn:altinn:accesspackage` = each package slug of the accepted request.
 * No organisation or system-user token carries `urn:altinn:rolecode` (a person's attribute).
 */
export function subjectOf(ctx: EmulatorContext, caller: AltinnCaller): Subject {
  if (caller.systemUser?.id) return systemUserSubject(ctx, caller.systemUser.id, caller.systemUser.orgNumber);
  const attributes: SubjectAttribute[] = [{ id: ORG_NUMBER_ATTRIBUTE, value: caller.orgNumber }];
  const owner = serviceOwnerByOrgNumber(ctx, caller.orgNumber);
  if (owner && caller.scopes.has("altinn:serviceowner")) attributes.push({ id: ORG_CODE_ATTRIBUTE, value: owner.orgCode });
  return { attributes };
}

/** A system user's subject: its id, its owner (the customer) and the access packages of its accepted request. */
export function systemUserSubject(ctx: EmulatorContext, id: string, customerOrgNumber: string): Subject {
  const su = ctx.store.state.systemUsers[id];
  const request = su
    ? Object.values(ctx.store.state.systemUserRequests).find(
        (r) => r.status === "Accepted" && r.systemId === su.systemId && r.partyOrgNo === su.partyOrgNo && r.externalRef === su.externalRef,
      )
    : undefined;
  const packages = (request?.accessPackages ?? [])
    .map((p) => p.urn)
    .filter((u) => u.startsWith(PACKAGE_PREFIX))
    .map((u) => u.slice(PACKAGE_PREFIX.length));
  return {
    attributes: [
      { id: SYSTEM_USER_ATTRIBUTE, value: id },
      { id: ORG_NUMBER_ATTRIBUTE, value: customerOrgNumber },
      ...packages.map((value) => ({ id: ACCESS_PACKAGE_ATTRIBUTE, value })),
    ],
    systemUser: { id, orgNumber: customerOrgNumber, rights: request?.rights ?? [] },
  };
}

/**
 * The subject of an Events subscription's `consumer` (what the real service authorises each delivery with):
 * `/org/<code>` is the service owner's token (org number and org code), `/organisation/<orgno>` an organisation's,
 * `/systemuser/<id>` a system user's. Undefined for anything else.
 */
export function subjectOfConsumer(ctx: EmulatorContext, consumer: string): Subject | undefined {
  const [, kind, value] = /^\/(org|organisation|systemuser)\/(.+)$/.exec(consumer) ?? [];
  if (kind === undefined || value === undefined) return undefined;
  if (kind === "org") {
    const owner = serviceOwnerByCode(ctx, value);
    return owner
      ? {
          attributes: [
            { id: ORG_NUMBER_ATTRIBUTE, value: owner.orgNumber },
            { id: ORG_CODE_ATTRIBUTE, value: owner.orgCode },
          ],
        }
      : { attributes: [{ id: ORG_CODE_ATTRIBUTE, value }] };
  }
  if (kind === "organisation") return { attributes: [{ id: ORG_NUMBER_ATTRIBUTE, value }] };
  const su = ctx.store.state.systemUsers[value];
  return su ? systemUserSubject(ctx, value, su.partyOrgNo) : undefined;
}

export interface DecisionRequest {
  readonly subject: Subject;
  readonly resourceId: string;
  readonly action: string;
  /** The organisation the action is on (recipient for recipient actions, sender for senders): the access-list party. */
  readonly resourcePartyOrgNumber?: string | undefined;
}

export type Decision =
  | { readonly permit: true }
  | { readonly permit: false; readonly reason: "no-resource" | "no-policy" | "policy" | "access-list" | "system-user-rights" };

function matches(m: Match, request: DecisionRequest): boolean {
  let bag: string[];
  if (m.category === SUBJECT_CATEGORY) bag = request.subject.attributes.filter((a) => a.id === m.attributeId).map((a) => a.value);
  else if (m.category === RESOURCE_CATEGORY) bag = m.attributeId === "urn:altinn:resource" ? [request.resourceId] : [];
  else if (m.category === ACTION_CATEGORY) bag = m.attributeId === ACTION_ID ? [request.action] : [];
  else bag = [];
  if (m.matchId === STRING_EQUAL) return bag.includes(m.value);
  if (m.matchId === STRING_EQUAL_IGNORE_CASE) return bag.some((v) => v.toLowerCase() === m.value.toLowerCase());
  // Any other function is not evaluated by the emulator: it never matches.
  return false;
}

/** AnyOf elements are ANDed, the AllOf elements of one AnyOf ORed, the Matches of one AllOf ANDed. An empty target matches. */
export function targetMatches(target: TargetAnyOfs, request: DecisionRequest): boolean {
  return target.every((anyOf) => anyOf.some((allOf) => allOf.every((m) => matches(m, request))));
}

/** Whether the system user's accepted request covers the resource (and the action, when the right names one). */
function rightsCover(rights: readonly RightDto[], resourceId: string, action: string): boolean {
  return rights.some(
    (r) =>
      (r.action === undefined || r.action === action) && r.resource.some((x) => x.id === "urn:altinn:resource" && x.value === resourceId),
  );
}

/**
 * Permit only if some (Permit) rule of the policy applies (deny-overrides with Permit-only rules). Then, for a system
 * user, the resource (and action) must be among its accepted rights; with accessListMode Enabled, the resource party
 * must be on an access list connected to the resource whose actionFilters allow the action.
 */
export function decide(ctx: EmulatorContext, request: DecisionRequest): Decision {
  const resource: JsonObject | undefined = currentResource(ctx, request.resourceId);
  if (!resource) return { permit: false, reason: "no-resource" };
  const stored = ctx.store.state.resources[request.resourceId]?.policy;
  if (stored === undefined) return { permit: false, reason: "no-policy" };
  let policy;
  try {
    policy = parsePolicyDocument(Buffer.from(stored, "base64").toString("utf8"));
  } catch (err) {
    if (err instanceof XacmlError) return { permit: false, reason: "no-policy" };
    throw err;
  }
  const applies =
    targetMatches(policy.target, request) && policy.rules.some((r) => r.effect === "Permit" && targetMatches(r.anyOf, request));
  if (!applies) return { permit: false, reason: "policy" };
  if (request.subject.systemUser && !rightsCover(request.subject.systemUser.rights, request.resourceId, request.action))
    return { permit: false, reason: "system-user-rights" };
  if (resource["accessListMode"] === "Enabled") {
    const party = request.resourcePartyOrgNumber;
    if (party === undefined || !accessListAllows(ctx, request.resourceId, party, request.action))
      return { permit: false, reason: "access-list" };
  }
  return { permit: true };
}
