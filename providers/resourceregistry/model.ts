/**
 * The Resource Registry's vocabulary, shared by its kinds: resource types, reference sources and types, party
 * types, texts in the three languages, and resource identifiers.
 */
import { z } from "zod";

export const RESOURCE_TYPES = [
  "Systemresource",
  "MaskinportenSchema",
  "Altinn2Service",
  "AltinnApp",
  "GenericAccessResource",
  "BrokerService",
  "CorrespondenceService",
  "Consent",
  "MigratedApp",
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const REFERENCE_SOURCES = ["Default", "Altinn1", "Altinn2", "Altinn3", "ExternalPlatform"] as const;
export const REFERENCE_TYPES = [
  "Default",
  "Uri",
  "DelegationSchemeId",
  "MaskinportenScope",
  "ServiceCode",
  "ServiceEditionCode",
  "ApplicationId",
  "ServiceEditionVersion",
] as const;
export const PARTY_TYPES = ["PrivatePerson", "LegalEntityEnterprise", "Company", "BankruptcyEstate", "SelfRegisteredUser"] as const;
export const ACCESS_LIST_MODES = ["Disabled", "Enabled"] as const;

/** A resource identifier as the registry accepts it on create. */
export const RESOURCE_ID_RE = /^[a-z0-9_-]{4,}$/;
export const resourceIdSchema = z
  .string()
  .regex(RESOURCE_ID_RE, "a resource identifier is at least 4 lower-case letters, digits, '_' or '-' (the registry's rule)");

const text = (what: string, lang: string) => z.string().trim().min(1, `${what} needs a text in ${lang}`);

/** A text in English, Bokmål and Nynorsk: the registry requires all three, none blank. */
export function languageText(what: string) {
  return z.object({ en: text(what, "English (en)"), nb: text(what, "Bokmål (nb)"), nn: text(what, "Nynorsk (nn)") });
}
export type LanguageText = { en: string; nb: string; nn: string };

/** The URN a resource is known by in policies, Events filters and System Register rights. */
export function resourceUrn(identifier: string): string {
  return `urn:altinn:resource:${identifier}`;
}

/** An action name in a policy or an access-list action filter: no spaces. */
export const actionSchema = z
  .string()
  .min(1, "an action is a name such as read, write or subscribe")
  .regex(/^\S+$/, "an action name has no spaces (read, write, subscribe, or a custom action)");
