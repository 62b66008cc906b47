// The ServiceResource model: reading a request body the way the registry does (case-insensitive names, enums as
// case-insensitive strings or integers, unknown properties ignored) and its validation rules (spec §2).
import { type ValidationError, aspnetProblem, fail, stringReply } from "../altinn/errors.js";
import { type JsonObject, compact, isObject, prop } from "../altinn/body.js";

/** Flag values as the registry's enum declares them; reads accept the names (any case) or these integers. */
export const RESOURCE_TYPES: Record<string, number> = {
  Default: 0,
  Systemresource: 1,
  MaskinportenSchema: 2,
  Altinn2Service: 4,
  AltinnApp: 8,
  GenericAccessResource: 16,
  BrokerService: 32,
  CorrespondenceService: 64,
  Consent: 128,
  MigratedApp: 256,
};
const REFERENCE_SOURCES = ["Default", "Altinn1", "Altinn2", "Altinn3", "ExternalPlatform"];
const REFERENCE_TYPES = [
  "Default",
  "Uri",
  "DelegationSchemeId",
  "MaskinportenScope",
  "ServiceCode",
  "ServiceEditionCode",
  "ApplicationId",
  "ServiceEditionVersion",
];
const AVAILABLE_FOR = ["PrivatePerson", "LegalEntityEnterprise", "Company", "BankruptcyEstate", "SelfRegisteredUser"];
const ACCESS_LIST_MODES = ["Disabled", "Enabled"];

const IDENTIFIER = /^[a-z0-9_-]{4,}$/;

/** A JSON type mismatch: System.Text.Json fails model binding, ASP.NET answers its RFC 7807 problem. */
function bindError(path: string, what: string): never {
  fail(aspnetProblem(400, { [`$.${path}`]: [`The JSON value could not be converted to ${what}. Path: $.${path}`] }));
}

function enumValue(v: unknown, names: readonly string[], path: string, flags?: Record<string, number>): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") {
    const hit = names.find((n) => n.toLowerCase() === v.toLowerCase());
    if (hit) return hit;
  } else if (typeof v === "number" && Number.isInteger(v)) {
    const hit = flags ? names.find((n) => flags[n] === v) : names[v];
    if (hit) return hit;
  }
  return bindError(path, "an enum value");
}

function text(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") bindError(path, "System.String");
  return v;
}

function bool(v: unknown, path: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean") bindError(path, "System.Boolean");
  return v;
}

function dict(v: unknown, path: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) bindError(path, "a dictionary");
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    if (typeof x !== "string") bindError(`${path}.${k}`, "System.String");
    out[k] = x;
  }
  return out;
}

function list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) bindError(path, "a list");
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

function obj(v: unknown, path: string): JsonObject {
  if (!isObject(v)) bindError(path, "an object");
  return v;
}

/** Reads a body into the canonical output form (camelCase, nulls left out, defaults filled). */
export function readServiceResource(body: JsonObject): JsonObject {
  const hca = prop(body, "hasCompetentAuthority");
  const resourceType = enumValue(prop(body, "resourceType"), Object.keys(RESOURCE_TYPES), "resourceType", RESOURCE_TYPES);
  return compact({
    identifier: text(prop(body, "identifier"), "identifier"),
    version: text(prop(body, "version"), "version"),
    title: dict(prop(body, "title"), "title"),
    description: dict(prop(body, "description"), "description"),
    rightDescription: dict(prop(body, "rightDescription"), "rightDescription"),
    homepage: text(prop(body, "homepage"), "homepage"),
    status: text(prop(body, "status"), "status"),
    spatial: list(prop(body, "spatial"), "spatial", text),
    produces: list(prop(body, "produces"), "produces", text),
    isPartOf: text(prop(body, "isPartOf"), "isPartOf"),
    thematicAreas: list(prop(body, "thematicAreas"), "thematicAreas", text),
    resourceReferences: list(prop(body, "resourceReferences"), "resourceReferences", (x, p) => {
      const o = obj(x, p);
      return compact({
        referenceSource: enumValue(prop(o, "referenceSource"), REFERENCE_SOURCES, `${p}.referenceSource`),
        reference: text(prop(o, "reference"), `${p}.reference`),
        referenceType: enumValue(prop(o, "referenceType"), REFERENCE_TYPES, `${p}.referenceType`),
      });
    }),
    delegable: bool(prop(body, "delegable"), "delegable", true),
    visible: bool(prop(body, "visible"), "visible", true),
    hasCompetentAuthority:
      hca === undefined || hca === null
        ? undefined
        : compact({
            organization: text(prop(obj(hca, "hasCompetentAuthority"), "organization"), "hasCompetentAuthority.organization"),
            orgcode: text(prop(hca, "orgcode"), "hasCompetentAuthority.orgcode"),
            name: dict(prop(hca, "name"), "hasCompetentAuthority.name"),
          }),
    keywords: list(prop(body, "keywords"), "keywords", (x, p) => {
      const o = obj(x, p);
      return compact({ word: text(prop(o, "word"), `${p}.word`), language: text(prop(o, "language"), `${p}.language`) });
    }),
    accessListMode: enumValue(prop(body, "accessListMode"), ACCESS_LIST_MODES, "accessListMode") ?? "Disabled",
    selfIdentifiedUserEnabled: bool(prop(body, "selfIdentifiedUserEnabled"), "selfIdentifiedUserEnabled", false),
    enterpriseUserEnabled: bool(prop(body, "enterpriseUserEnabled"), "enterpriseUserEnabled", false),
    resourceType: resourceType ?? "Default",
    availableForType: list(prop(body, "availableForType"), "availableForType", (x, p) => enumValue(x, AVAILABLE_FOR, p) as string),
    contactPoints: list(prop(body, "contactPoints"), "contactPoints", (x, p) => {
      const o = obj(x, p);
      return compact({
        category: text(prop(o, "category"), `${p}.category`),
        email: text(prop(o, "email"), `${p}.email`),
        telephone: text(prop(o, "telephone"), `${p}.telephone`),
        contactPage: text(prop(o, "contactPage"), `${p}.contactPage`),
      });
    }),
    authorizationReference: list(prop(body, "authorizationReference"), "authorizationReference", (x, p) => {
      const o = obj(x, p);
      return compact({ id: text(prop(o, "id"), `${p}.id`), value: text(prop(o, "value"), `${p}.value`) });
    }),
    consentTemplate: text(prop(body, "consentTemplate"), "consentTemplate"),
    consentText: dict(prop(body, "consentText"), "consentText"),
    consentMetadata: isObject(prop(body, "consentMetadata")) ? prop(body, "consentMetadata") : undefined,
    isOneTimeConsent: bool(prop(body, "isOneTimeConsent"), "isOneTimeConsent", false),
  });
}

const LANGUAGES: readonly [string, string][] = [
  ["en", "english"],
  ["nb", "bokmal"],
  ["nn", "nynorsk"],
];

function blank(v: string | undefined): boolean {
  return v === undefined || v.trim() === "";
}

/**
 * The identifier rules of create; a failure is a plain-string 400 (spec §2). Wording is the emulator's own: the
 * real messages are not in the spec.
 */
export function checkNewIdentifier(r: JsonObject): void {
  const id = r["identifier"] as string | undefined;
  if (id === undefined || !IDENTIFIER.test(id))
    fail(stringReply(400, `Invalid resource identifier '${id ?? ""}': use at least 4 of a-z, 0-9, '_' and '-'`));
  const type = r["resourceType"] as string;
  if (id.startsWith("app_") && type !== "AltinnApp" && type !== "MigratedApp")
    fail(stringReply(400, "The prefix app_ is reserved for resources of type AltinnApp and MigratedApp"));
  if (id.startsWith("se_")) {
    const refs = (r["resourceReferences"] as JsonObject[] | undefined) ?? [];
    const has = (t: string) => refs.some((x) => x["referenceType"] === t);
    if (!has("ServiceCode") || !has("ServiceEditionCode"))
      fail(stringReply(400, "Resources with the prefix se_ need ServiceCode and ServiceEditionCode references"));
  }
}

/**
 * ModelState validation of a resource (spec §2): the keys (`Title`, `HasCompetentAuthority.Organization`) and the
 * messages ("Missing title in english en") as the registry words them, as Altinn `validationErrors[]`.
 * `isServiceOwnerCode` says whether an org code is a registered service owner.
 */
export function validateServiceResource(r: JsonObject, isServiceOwnerCode: (code: string) => boolean): ValidationError[] {
  const errors: ValidationError[] = [];
  const add = (key: string, message: string) => errors.push({ code: "STD.VLD-00000", title: message, detail: message, paths: [`/${key}`] });
  const texts = (key: string, field: string, label: string) => {
    const d = r[field] as Record<string, string> | undefined;
    for (const [lang, name] of LANGUAGES) if (blank(d?.[lang])) add(key, `Missing ${label} in ${name} ${lang}`);
  };
  if (blank(r["identifier"] as string | undefined)) add("Identifier", "Missing identifier");
  texts("Title", "title", "title");
  texts("Description", "description", "Description");
  if (r["delegable"] === true) texts("RightDescription", "rightDescription", "RightDescription");
  if (r["contactPoints"] === undefined) add("ContactPoints", "Missing contact points");
  if (r["resourceType"] === "Default") add("ResourceType", "Missing or invalid resourceType");
  const hca = r["hasCompetentAuthority"] as JsonObject | undefined;
  if (!hca) add("HasCompetentAuthority", "Missing competent authority");
  else {
    const org = hca["organization"] as string | undefined;
    const code = hca["orgcode"] as string | undefined;
    if (blank(org)) {
      if (code?.toLowerCase() !== "ttd") add("HasCompetentAuthority.Organization", "Missing organization number for competent authority");
    } else if (!/^\d{9}$/.test(org as string)) add("HasCompetentAuthority.Organization", "Organization number must be nine digits");
    if (blank(code)) add("HasCompetentAuthority.Orgcode", "Missing orgcode for competent authority");
    else if (!isServiceOwnerCode(code as string)) add("HasCompetentAuthority.Orgcode", `Unknown service owner code ${code as string}`);
  }
  if (r["resourceType"] === "MaskinportenSchema") {
    const refs = (r["resourceReferences"] as JsonObject[] | undefined) ?? [];
    if (!refs.some((x) => x["referenceType"] === "MaskinportenScope"))
      add("ResourceReferences", "A MaskinportenSchema resource needs a reference of type MaskinportenScope");
  }
  return errors;
}
