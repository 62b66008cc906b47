/**
 * Ready-made rules for the services this project onboards, matched to the subject attributes each kind of token
 * carries (docs/resources/policy.md, "Subjects and tokens"):
 * - a service owner's token (`altinn:serviceowner`) carries `urn:altinn:org` = its org code;
 * - an organisation's own token, and a system user of that organisation, carry
 *   `urn:altinn:organization:identifier-no` = its org number;
 * - a system user also carries the access packages its customer granted it (`urn:altinn:accesspackage`);
 * - persons carry role codes (`urn:altinn:rolecode`), e.g. DAGL, for the parties they represent.
 */
import type { PolicyRule } from "./xacml.js";

export interface ServiceRuleOptions {
  /** The service owner's org code (e.g. `ttd`): it may send (and read, and subscribe). */
  readonly ownerOrgCode: string;
  /** Other organisations that may send (org numbers). Default none. */
  readonly senders?: readonly string[];
  /** Organisations that receive (org numbers): their tokens and system users may read and subscribe. */
  readonly recipients?: readonly string[];
  /** Roles of persons who may read for a recipient. Default `["DAGL"]`. */
  readonly recipientRoles?: readonly string[];
  /** Access packages whose holders may read for a recipient (slugs). Default none. */
  readonly recipientAccessPackages?: readonly string[];
}

const orgs = (list: readonly string[] | undefined): string[] => (list ?? []).map((o) => `urn:altinn:organization:identifier-no:${o}`);

function recipientSubjects(o: ServiceRuleOptions): string[] {
  return [
    ...(o.recipientRoles ?? ["DAGL"]).map((r) => `urn:altinn:rolecode:${r}`),
    ...(o.recipientAccessPackages ?? []).map((p) => `urn:altinn:accesspackage:${p}`),
    ...orgs(o.recipients),
  ];
}

/** Correspondence (Melding): senders `write`, recipients `read`; both `subscribe` (Events). */
export function correspondenceRules(o: ServiceRuleOptions): PolicyRule[] {
  return [
    {
      description: "Senders: the service owner (and any other sender) may send, read and subscribe",
      subjects: [`urn:altinn:org:${o.ownerOrgCode}`, ...orgs(o.senders)],
      actions: ["write", "read", "subscribe"],
    },
    { description: "Recipients may read and subscribe", subjects: recipientSubjects(o), actions: ["read", "subscribe"] },
  ];
}

/** Broker (Formidling): senders `write`, recipients `read`; both `subscribe` (Events). */
export function brokerRules(o: ServiceRuleOptions): PolicyRule[] {
  return [
    {
      description: "Senders may initialise and upload file transfers, and subscribe",
      subjects: [`urn:altinn:org:${o.ownerOrgCode}`, ...orgs(o.senders)],
      actions: ["write", "subscribe"],
    },
    {
      description: "Recipients may download file transfers, and subscribe",
      subjects: recipientSubjects(o),
      actions: ["read", "subscribe"],
    },
  ];
}
