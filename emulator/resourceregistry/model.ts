// The ServiceResource model: reading a request body the way the registry does (case-insensitive names, enums as
// case-insensitive strings or integers, unknown properties ignored) and its validation rules (spec §2).
import { aspnetProblem, fail } from "../altinn/errors.js";
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

/** `HasLanguage`: the key is there and its text is not blank. */
function hasLanguage(d: unknown, lang: string): boolean {
  const v = (d as Record<string, string> | undefined)?.[lang];
  return typeof v === "string" && v.trim() !== "";
}

/** Migrated Altinn 1 apps (`app_{org}_a1-{service}-{edition}:{version}`) are exempt from the identifier rule. */
const MIGRATED_A1_APP = /^app_[a-z0-9]+_a1-.+:[a-z0-9.]+$/i;

export type ModelStateErrors = Record<string, string[]>;

/**
 * `ServiceResourceHelper.ValidateResource` of the registry: ModelState keys (`Title`, `HasCompetentAuthority.Organization`)
 * and messages exactly as the code words them. `isNew` adds the identifier rule (create only). The registry answers
 * these as ASP.NET's ValidationProblemDetails (`errors{}`), which its own controller tests read.
 *
 * The registry dereferences `identifier` and `hasCompetentAuthority` without a null check here, so a body without
 * them is a 500 there; `undefined` is returned for that case.
 */
export function validateServiceResource(r: JsonObject, isNew: boolean): ModelStateErrors | undefined {
  const id = r["identifier"] as string | undefined;
  const hca = r["hasCompetentAuthority"] as JsonObject | undefined;
  if (id === undefined || hca === undefined) return undefined;
  const errors: ModelStateErrors = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  const type = r["resourceType"] as string;
  const refs = (r["resourceReferences"] as JsonObject[] | undefined) ?? [];
  const hasRef = (t: string) => refs.some((x) => x["referenceType"] === t);
  const orgcode = hca["orgcode"] as string | undefined;
  const isApp = type === "AltinnApp" || type === "MigratedApp";

  if (id.startsWith("se_") && (!hasRef("ServiceCode") || !hasRef("ServiceEditionCode")))
    add("Identifier", "Invalid prefix. Only to be used for Altinn 2 services");
  if (id.startsWith("app_") && !isApp) add("Identifier", "Invalid Prefix. app_ is only for Altinn Studio apps");
  if (type === "Default") add("ResourceType", "ResourceType needs to be set");
  const org = hca["organization"] as string | undefined;
  if (orgcode?.toLowerCase() !== "ttd" && (org === undefined || org.trim() === ""))
    add("HasCompetentAuthority.Organization", "HasCompetentAuthority needs to be set with valid organization number");
  if (isApp && !id.toLowerCase().startsWith(`app_${orgcode ?? ""}`.toLowerCase()))
    add("Identifier", "Invalid identifier for app resource. App resources needs to have an identifier starting with app_<org>");
  if (isApp) {
    const appName = id.split(`app_${orgcode ?? ""}_`).join("");
    const wanted = `${orgcode ?? ""}/${appName}`.toLowerCase();
    const ok = refs.some(
      (x) =>
        x["referenceType"] === "ApplicationId" &&
        x["referenceSource"] === "Altinn3" &&
        String(x["reference"] ?? "").toLowerCase() === wanted,
    );
    if (!ok)
      add(
        "ResourceReferences",
        "Invalid resource references for app resource. App resources needs to have a reference with ReferenceType=ApplicationId, ReferenceSource=Altinn3 and Reference=<org>/<appname>",
      );
  }
  if (isNew && !IDENTIFIER.test(id) && !MIGRATED_A1_APP.test(id))
    add("Identifier", "Invalid id. Only a-z and 0-9 is allowed together with _ and -.  Minimum 4 characters");
  for (const [lang, name] of LANGUAGES) if (!hasLanguage(r["title"], lang)) add("Title", `Missing title in ${name} ${lang}`);
  if (r["delegable"] === true)
    for (const [lang, name] of LANGUAGES)
      if (!hasLanguage(r["rightDescription"], lang)) add("RightDescription", `Missing RightDescription in ${name} ${lang}`);
  for (const [lang, name] of LANGUAGES)
    if (!hasLanguage(r["description"], lang)) add("Description", `Missing Description in ${name} ${lang}`);
  if (type === "MaskinportenSchema" && !hasRef("MaskinportenScope"))
    add("ResourceReferences", "Missing maskinporten scopen for MaskinportenSchema resource");
  return errors;
}

/** `AsFilePath()` on Linux: an identifier may not hold `/` or NUL (only the migrated A1 form can get here with one). */
export function identifierFilePathProblem(id: string): string | undefined {
  if (id !== "" && !id.includes("/") && !id.includes("\0")) return undefined;
  return "Invalid resource identifier. Cannot be empty or contain any of the characters: \0, /";
}
