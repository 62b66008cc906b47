/**
 * Invalid input, one table for every kind: manifests with one thing wrong (each refused with the path of the
 * wrong value and the rule it breaks), and, for kinds the manifest has no section for yet, resource inputs with one
 * thing wrong (refused by the kind's `check` with the property and the rule). test/manifest/bad-input.test.ts runs
 * them all in-process; test/e2e/bad-input.test.ts runs a sample through the CLI.
 *
 * Adding a manifest section: add STORY_CASES under its name (start from VALID_STORIES with one field broken); the
 * in-process test fails while a section of the schema has no case. KIND_CASES hold a kind's rules through `check`.
 */
import type { Props } from "../../providers/runtime/contract.js";

export interface BadManifest {
  /** The manifest section the case breaks. */
  readonly section: string;
  readonly what: string;
  readonly manifest: unknown;
  /** The path the refusal must name, exactly as the manifest loader prints it. */
  readonly path: string;
  /** A fragment of the rule's message. */
  readonly rule: RegExp;
}

export interface BadKindInput {
  /** The runtime's kind name (`<module>:<Type>`). */
  readonly kind: string;
  readonly what: string;
  readonly args: Props;
  /** The property `check` must name (dotted path). */
  readonly property: string;
  readonly rule: RegExp;
}

const ORG = "311000012"; // the emulator seed's service owner (prefix ttd)
const CONSUMER = "313000028"; // granted ttd:example.read in the seed

const scope = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  prefix: "ttd",
  subscope: "orders.read",
  description: "Read orders",
  consumers: [CONSUMER],
  ...over,
});
const client = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "orders",
  organization: CONSUMER,
  scopes: ["ttd:example.read"],
  keys: ["k1"],
  ...over,
});
const withScopes = (...scopes: Record<string, unknown>[]): unknown => ({ organization: ORG, maskinporten: { scopes } });
const withClients = (...clients: Record<string, unknown>[]): unknown => ({ organization: ORG, maskinporten: { clients } });

/** A valid manifest of every section: the cases break one thing each. */
export const VALID_MANIFEST: unknown = { organization: ORG, maskinporten: { scopes: [scope()], clients: [client()] } };

const S = "maskinporten.scopes[0]";
const C = "maskinporten.clients[0]";
const NOT_STRING = /expected string/;
const NOT_ONE_OF = /expected one of/;

export const MANIFEST_CASES: readonly BadManifest[] = [
  // ---- top level --------------------------------------------------------------------------------------------
  { section: "top level", what: "not a mapping", manifest: "maskinporten: yes", path: "(manifest)", rule: /expected object/ },
  {
    section: "top level",
    what: "organisation of 8 digits",
    manifest: { organization: "31100001" },
    path: "organization",
    rule: /exactly 9 digits/,
  },
  {
    section: "top level",
    what: "organisation with a wrong check digit",
    manifest: { organization: "311000013" },
    path: "organization",
    rule: /MOD11/,
  },
  { section: "top level", what: "organisation as a number", manifest: { organization: 311000012 }, path: "organization", rule: NOT_STRING },
  {
    section: "top level",
    what: "a misspelt section",
    manifest: { organization: ORG, maskinport: {} },
    path: "(manifest)",
    rule: /Unrecognized key: "maskinport"/,
  },
  {
    section: "top level",
    what: "maskinporten as a list",
    manifest: { organization: ORG, maskinporten: [] },
    path: "maskinporten",
    rule: /expected object/,
  },
  {
    section: "top level",
    what: "an unknown key in maskinporten",
    manifest: { organization: ORG, maskinporten: { client: [] } },
    path: "maskinporten",
    rule: /Unrecognized key: "client"/,
  },
  {
    section: "top level",
    what: "scopes as a mapping",
    manifest: { organization: ORG, maskinporten: { scopes: {} } },
    path: "maskinporten.scopes",
    rule: /expected array/,
  },
  {
    section: "top level",
    what: "clients as a string",
    manifest: { organization: ORG, maskinporten: { clients: "orders" } },
    path: "maskinporten.clients",
    rule: /expected array/,
  },
  {
    section: "top level",
    what: "a ${config:...} reference to a key that is not set",
    manifest: { organization: "${config:altinn-onboarding:missingOrg}" },
    path: "organization",
    rule: /stack config "altinn-onboarding:missingOrg", which is not set/,
  },

  // ---- maskinporten.scopes ----------------------------------------------------------------------------------
  {
    section: "maskinporten.scopes",
    what: "prefix in upper case",
    manifest: withScopes(scope({ prefix: "TTD" })),
    path: `${S}.prefix`,
    rule: /a prefix is lower-case/,
  },
  {
    section: "maskinporten.scopes",
    what: "empty prefix",
    manifest: withScopes(scope({ prefix: "" })),
    path: `${S}.prefix`,
    rule: /a prefix is lower-case/,
  },
  {
    section: "maskinporten.scopes",
    what: "prefix with a colon",
    manifest: withScopes(scope({ prefix: "ttd:x" })),
    path: `${S}.prefix`,
    rule: /a prefix is lower-case/,
  },
  {
    section: "maskinporten.scopes",
    what: "subscope starting with a dot",
    manifest: withScopes(scope({ subscope: ".orders" })),
    path: `${S}.subscope`,
    rule: /a subscope is letters/,
  },
  {
    section: "maskinporten.scopes",
    what: "subscope ending with a slash",
    manifest: withScopes(scope({ subscope: "orders/" })),
    path: `${S}.subscope`,
    rule: /not ending with/,
  },
  {
    section: "maskinporten.scopes",
    what: "subscope with a space",
    manifest: withScopes(scope({ subscope: "orders read" })),
    path: `${S}.subscope`,
    rule: /a subscope is letters/,
  },
  {
    section: "maskinporten.scopes",
    what: "subscope of 129 characters",
    manifest: withScopes(scope({ subscope: "a".repeat(129) })),
    path: `${S}.subscope`,
    rule: /128/,
  },
  {
    section: "maskinporten.scopes",
    what: "no description",
    manifest: withScopes(scope({ description: undefined })),
    path: `${S}.description`,
    rule: NOT_STRING,
  },
  {
    section: "maskinporten.scopes",
    what: "empty description",
    manifest: withScopes(scope({ description: "" })),
    path: `${S}.description`,
    rule: /Digdir requires a description/,
  },
  {
    section: "maskinporten.scopes",
    what: "description of 1025 characters",
    manifest: withScopes(scope({ description: "d".repeat(1025) })),
    path: `${S}.description`,
    rule: /1024/,
  },
  {
    section: "maskinporten.scopes",
    what: "long description as a number",
    manifest: withScopes(scope({ longDescription: 42 })),
    path: `${S}.longDescription`,
    rule: NOT_STRING,
  },
  {
    section: "maskinporten.scopes",
    what: "unknown visibility",
    manifest: withScopes(scope({ visibility: "SECRET" })),
    path: `${S}.visibility`,
    rule: NOT_ONE_OF,
  },
  {
    section: "maskinporten.scopes",
    what: "max age in words",
    manifest: withScopes(scope({ atMaxAge: "2 minutes" })),
    path: `${S}.atMaxAge`,
    rule: /a duration is a number of seconds/,
  },
  {
    section: "maskinporten.scopes",
    what: "max age with a fraction of a second",
    manifest: withScopes(scope({ atMaxAge: 1.5 })),
    path: `${S}.atMaxAge`,
    rule: /whole number of seconds/,
  },
  {
    section: "maskinporten.scopes",
    what: "negative max age",
    manifest: withScopes(scope({ atMaxAge: -5 })),
    path: `${S}.atMaxAge`,
    rule: /a duration is a number of seconds/,
  },
  {
    section: "maskinporten.scopes",
    what: "max age 'PT' with no amount",
    manifest: withScopes(scope({ atMaxAge: "PT" })),
    path: `${S}.atMaxAge`,
    rule: /a duration is a number of seconds/,
  },
  {
    section: "maskinporten.scopes",
    what: "unknown integration type",
    manifest: withScopes(scope({ allowedIntegrationTypes: ["maskinport"] })),
    path: `${S}.allowedIntegrationTypes[0]`,
    rule: NOT_ONE_OF,
  },
  {
    section: "maskinporten.scopes",
    what: "integration type twice",
    manifest: withScopes(scope({ allowedIntegrationTypes: ["maskinporten", "maskinporten"] })),
    path: `${S}.allowedIntegrationTypes[1]`,
    rule: /declared twice/,
  },
  {
    section: "maskinporten.scopes",
    what: "accessibleForAll as text",
    manifest: withScopes(scope({ accessibleForAll: "yes" })),
    path: `${S}.accessibleForAll`,
    rule: /expected boolean/,
  },
  {
    section: "maskinporten.scopes",
    what: "openToAll as text",
    manifest: withScopes(scope({ openToAll: "true" })),
    path: `${S}.openToAll`,
    rule: /expected boolean/,
  },
  {
    section: "maskinporten.scopes",
    what: "delegation source not http(s)",
    manifest: withScopes(scope({ delegationSource: "ftp://idp.example" })),
    path: `${S}.delegationSource`,
    rule: /Invalid URL/,
  },
  {
    section: "maskinporten.scopes",
    what: "consumer of 8 digits",
    manifest: withScopes(scope({ consumers: ["31300002"] })),
    path: `${S}.consumers[0]`,
    rule: /exactly 9 digits/,
  },
  {
    section: "maskinporten.scopes",
    what: "consumer with a wrong check digit",
    manifest: withScopes(scope({ consumers: ["313000029"] })),
    path: `${S}.consumers[0]`,
    rule: /MOD11/,
  },
  {
    section: "maskinporten.scopes",
    what: "consumer twice",
    manifest: withScopes(scope({ consumers: [CONSUMER, CONSUMER] })),
    path: `${S}.consumers[1]`,
    rule: /declared twice/,
  },
  {
    section: "maskinporten.scopes",
    what: "owner with a wrong check digit",
    manifest: withScopes(scope({ organization: "311000013" })),
    path: `${S}.organization`,
    rule: /MOD11/,
  },
  {
    section: "maskinporten.scopes",
    what: "the same scope twice",
    manifest: withScopes(scope(), scope({ description: "again" })),
    path: "maskinporten.scopes[1]",
    rule: /scope "ttd:orders.read" is declared twice/,
  },
  {
    section: "maskinporten.scopes",
    what: "a misspelt field",
    manifest: withScopes(scope({ consumer: [CONSUMER] })),
    path: S,
    rule: /Unrecognized key: "consumer"/,
  },
  {
    section: "maskinporten.scopes",
    what: "no acting organisation anywhere",
    manifest: { maskinporten: { scopes: [scope()] } },
    path: `${S}.organization`,
    rule: /no organization here and none at the top/,
  },

  // ---- maskinporten.clients ---------------------------------------------------------------------------------
  {
    section: "maskinporten.clients",
    what: "name in upper case",
    manifest: withClients(client({ name: "Orders" })),
    path: `${C}.name`,
    rule: /a name is 1-63 lower-case/,
  },
  {
    section: "maskinporten.clients",
    what: "name of 64 characters",
    manifest: withClients(client({ name: "o".repeat(64) })),
    path: `${C}.name`,
    rule: /a name is 1-63/,
  },
  {
    section: "maskinporten.clients",
    what: "no name",
    manifest: withClients(client({ name: undefined })),
    path: `${C}.name`,
    rule: NOT_STRING,
  },
  {
    section: "maskinporten.clients",
    what: "empty display name",
    manifest: withClients(client({ clientName: "" })),
    path: `${C}.clientName`,
    rule: /a client needs a name/,
  },
  {
    section: "maskinporten.clients",
    what: "display name of 257 characters",
    manifest: withClients(client({ clientName: "n".repeat(257) })),
    path: `${C}.clientName`,
    rule: /256/,
  },
  {
    section: "maskinporten.clients",
    what: "a marker written into the description",
    manifest: withClients(client({ description: "orders [iac:mine]" })),
    path: `${C}.description`,
    rule: /must not contain '\[iac:'/,
  },
  {
    section: "maskinporten.clients",
    what: "description of 1025 characters",
    manifest: withClients(client({ description: "d".repeat(1025) })),
    path: `${C}.description`,
    rule: /1024/,
  },
  {
    section: "maskinporten.clients",
    what: "unknown integration type",
    manifest: withClients(client({ integrationType: "oauth" })),
    path: `${C}.integrationType`,
    rule: NOT_ONE_OF,
  },
  {
    section: "maskinporten.clients",
    what: "no scopes",
    manifest: withClients(client({ scopes: [] })),
    path: `${C}.scopes`,
    rule: /give at least one/,
  },
  {
    section: "maskinporten.clients",
    what: "scopes left out",
    manifest: withClients(client({ scopes: undefined })),
    path: `${C}.scopes`,
    rule: /expected array/,
  },
  {
    section: "maskinporten.clients",
    what: "scopes as one string",
    manifest: withClients(client({ scopes: "ttd:example.read" })),
    path: `${C}.scopes`,
    rule: /expected array/,
  },
  {
    section: "maskinporten.clients",
    what: "a scope without a colon",
    manifest: withClients(client({ scopes: ["ttd.example"] })),
    path: `${C}.scopes[0]`,
    rule: /a scope is <prefix>:<subscope>/,
  },
  {
    section: "maskinporten.clients",
    what: "a scope twice",
    manifest: withClients(client({ scopes: ["ttd:example.read", "ttd:example.read"] })),
    path: `${C}.scopes[1]`,
    rule: /declared twice/,
  },
  {
    section: "maskinporten.clients",
    what: "token lifetime in words",
    manifest: withClients(client({ accessTokenLifetime: "forever" })),
    path: `${C}.accessTokenLifetime`,
    rule: /a duration is/,
  },
  {
    section: "maskinporten.clients",
    what: "TimeSpan with 61 minutes",
    manifest: withClients(client({ accessTokenLifetime: "00:61:00" })),
    path: `${C}.accessTokenLifetime`,
    rule: /a duration is/,
  },
  {
    section: "maskinporten.clients",
    what: "six keys",
    manifest: withClients(client({ keys: ["a", "b", "c", "d", "e", "f"] })),
    path: `${C}.keys`,
    rule: /at most 5 keys/,
  },
  {
    section: "maskinporten.clients",
    what: "key name starting with '-'",
    manifest: withClients(client({ keys: ["-k"] })),
    path: `${C}.keys[0]`,
    rule: /a key name is 1-64/,
  },
  {
    section: "maskinporten.clients",
    what: "key name of 65 characters",
    manifest: withClients(client({ keys: ["k".repeat(65)] })),
    path: `${C}.keys[0]`,
    rule: /a key name is 1-64/,
  },
  {
    section: "maskinporten.clients",
    what: "a key name twice",
    manifest: withClients(client({ keys: ["k1", "k1"] })),
    path: `${C}.keys[1]`,
    rule: /declared twice/,
  },
  {
    section: "maskinporten.clients",
    what: "key lifetime over 365 days",
    manifest: withClients(client({ keyLifetimeDays: 400 })),
    path: `${C}.keyLifetimeDays`,
    rule: /at most 365 days/,
  },
  {
    section: "maskinporten.clients",
    what: "key lifetime of 0 days",
    manifest: withClients(client({ keyLifetimeDays: 0 })),
    path: `${C}.keyLifetimeDays`,
    rule: />=1/,
  },
  {
    section: "maskinporten.clients",
    what: "key lifetime of 1.5 days",
    manifest: withClients(client({ keyLifetimeDays: 1.5 })),
    path: `${C}.keyLifetimeDays`,
    rule: /expected int/,
  },
  {
    section: "maskinporten.clients",
    what: "renewal window as long as the lifetime",
    manifest: withClients(client({ keyLifetimeDays: 30, keyRenewalDays: 30 })),
    path: `${C}.keyRenewalDays`,
    rule: /smaller than keyLifetimeDays/,
  },
  {
    section: "maskinporten.clients",
    what: "negative renewal window",
    manifest: withClients(client({ keyRenewalDays: -1 })),
    path: `${C}.keyRenewalDays`,
    rule: />=0/,
  },
  {
    section: "maskinporten.clients",
    what: "empty adopt",
    manifest: withClients(client({ adopt: "" })),
    path: `${C}.adopt`,
    rule: /adopt takes the client_id/,
  },
  {
    section: "maskinporten.clients",
    what: "owner with a wrong check digit",
    manifest: withClients(client({ organization: "313000029" })),
    path: `${C}.organization`,
    rule: /MOD11/,
  },
  {
    section: "maskinporten.clients",
    what: "the same client twice",
    manifest: withClients(client(), client({ keys: ["k2"] })),
    path: "maskinporten.clients[1]",
    rule: /client "orders" is declared twice/,
  },
  {
    section: "maskinporten.clients",
    what: "a misspelt field",
    manifest: withClients(client({ scope: ["ttd:example.read"] })),
    path: C,
    rule: /Unrecognized key: "scope"/,
  },
  {
    section: "maskinporten.clients",
    what: "Key Vault name too short",
    manifest: withClients(client({ keyVault: { resourceGroupName: "rg", vaultName: "kv" } })),
    path: `${C}.keyVault.vaultName`,
    rule: /a Key Vault name is 3-24/,
  },
  {
    section: "maskinporten.clients",
    what: "Key Vault without a resource group",
    manifest: withClients(client({ keyVault: { resourceGroupName: "", vaultName: "kv-orders" } })),
    path: `${C}.keyVault.resourceGroupName`,
    rule: />=1/,
  },
  {
    section: "maskinporten.clients",
    what: "Key Vault secret prefix with a space",
    manifest: withClients(client({ keyVault: { resourceGroupName: "rg", vaultName: "kv-orders", secretPrefix: "my keys" } })),
    path: `${C}.keyVault.secretPrefix`,
    rule: /a secret prefix is letters/,
  },
  {
    section: "maskinporten.clients",
    what: "a misspelt Key Vault field",
    manifest: withClients(client({ keyVault: { resourceGroupName: "rg", vaultName: "kv-orders", vault: "x" } })),
    path: `${C}.keyVault`,
    rule: /Unrecognized key: "vault"/,
  },
  {
    section: "maskinporten.clients",
    what: "no acting organisation anywhere",
    manifest: { maskinporten: { clients: [client({ organization: undefined })] } },
    path: `${C}.organization`,
    rule: /no organization here and none at the top/,
  },
];

// ---- the story sections ------------------------------------------------------------------------------------

const TEXT3 = { en: "Orders", nb: "Ordrer", nn: "Ordrar" };
const storyResource = (identifier: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  identifier,
  title: TEXT3,
  description: TEXT3,
  rightDescription: TEXT3,
  contactPoints: [{ category: "Support", email: "support@ttd.example" }],
  ...over,
});
const correspondence = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "order-letters",
  orgCode: "ttd",
  recipients: [CONSUMER],
  resource: storyResource("ttd-order-letters"),
  client: { name: "letters-sender", scopes: ["altinn:correspondence.write", "altinn:serviceowner"], keys: ["k1"] },
  ...over,
});
const broker = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "invoices",
  orgCode: "ttd",
  recipients: [CONSUMER],
  resource: storyResource("ttd-invoices"),
  settings: { fileTransferTimeToLive: "P30D" },
  client: { name: "invoices-broker", scopes: ["altinn:broker.write", "altinn:broker.read", "altinn:serviceowner"], keys: ["k1"] },
  ...over,
});
const VENDOR = "312000016";
const system = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "orders-app",
  vendor: VENDOR,
  title: TEXT3,
  description: TEXT3,
  rights: [{ resource: "ttd-order-letters" }],
  redirectUrls: ["https://vendor.example/done"],
  client: { name: "orders-app", scopes: ["digdir:dialogporten"], keys: ["k1"] },
  customers: [{ organization: CONSUMER }],
  ...over,
});
const consumer = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...client(), ...over });
const subscription = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  endpoint: "https://hooks.example/orders",
  resource: "ttd-order-letters",
  types: ["no.altinn.correspondence.correspondencepublished"],
  ...over,
});
/** The top-level organisation plus the given sections, with the correspondence service the others refer to. */
const stories = (sections: Record<string, unknown>): unknown => ({ organization: ORG, correspondence: [correspondence()], ...sections });

/** A valid manifest with every story section (the base the story cases break). */
export const VALID_STORIES: unknown = stories({
  apiProvider: { scopes: [scope()] },
  consumers: [consumer({ subscriptions: [subscription()] })],
  broker: [broker()],
  endUserSystems: [system()],
});

const AP = "apiProvider.scopes[0]";
const CO = "consumers[0]";
const CR = "correspondence[0]";
const BR = "broker[0]";
const EU = "endUserSystems[0]";

export const STORY_CASES: readonly BadManifest[] = [
  // ---- apiProvider ------------------------------------------------------------------------------------------
  {
    section: "apiProvider",
    what: "apiProvider as a list",
    manifest: stories({ apiProvider: [] }),
    path: "apiProvider",
    rule: /expected object/,
  },
  {
    section: "apiProvider",
    what: "a misspelt key",
    manifest: stories({ apiProvider: { scope: [] } }),
    path: "apiProvider",
    rule: /Unrecognized key: "scope"/,
  },
  {
    section: "apiProvider",
    what: "prefix in upper case",
    manifest: stories({ apiProvider: { scopes: [scope({ prefix: "Ttd" })] } }),
    path: `${AP}.prefix`,
    rule: /a prefix is lower-case/,
  },
  {
    section: "apiProvider",
    what: "consumer with a wrong check digit",
    manifest: stories({ apiProvider: { scopes: [scope({ consumers: ["313000029"] })] } }),
    path: `${AP}.consumers[0]`,
    rule: /MOD11/,
  },
  {
    section: "apiProvider",
    what: "a scope also in maskinporten.scopes",
    manifest: stories({ apiProvider: { scopes: [scope()] }, maskinporten: { scopes: [scope()] } }),
    path: "apiProvider.scopes",
    rule: /declared twice \(in maskinporten\.scopes and apiProvider\.scopes\)/,
  },
  {
    section: "apiProvider",
    what: "no acting organisation anywhere",
    manifest: { apiProvider: { scopes: [scope()] } },
    path: `${AP}.organization`,
    rule: /no organization here and none at the top/,
  },

  // ---- consumers --------------------------------------------------------------------------------------------
  {
    section: "consumers",
    what: "name in upper case",
    manifest: stories({ consumers: [consumer({ name: "Reader" })] }),
    path: `${CO}.name`,
    rule: /a name is 1-63 lower-case/,
  },
  {
    section: "consumers",
    what: "six keys",
    manifest: stories({ consumers: [consumer({ keys: ["a", "b", "c", "d", "e", "f"] })] }),
    path: `${CO}.keys`,
    rule: /at most 5 keys/,
  },
  {
    section: "consumers",
    what: "the same consumer twice",
    manifest: stories({ consumers: [consumer(), consumer()] }),
    path: "consumers[1]",
    rule: /consumer "orders" is declared twice/,
  },
  {
    section: "consumers",
    what: "a client name another story uses",
    manifest: stories({ consumers: [consumer({ name: "letters-sender" })] }),
    path: `${CR}.client`,
    rule: /client "letters-sender" is declared twice \(also at consumers\[0\]\)/,
  },
  {
    section: "consumers",
    what: "a webhook that is not a URL",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription({ endpoint: "hooks/orders" })] })] }),
    path: `${CO}.subscriptions[0].endpoint`,
    rule: /the endpoint is an absolute URL/,
  },
  {
    section: "consumers",
    what: "a plain-http webhook to another machine",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription({ endpoint: "http://hooks.example/orders" })] })] }),
    path: `${CO}.subscriptions[0].endpoint`,
    rule: /the endpoint must be https/,
  },
  {
    section: "consumers",
    what: "a subscription to a resource the manifest does not declare",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription({ resource: "ttd-unknown" })] })] }),
    path: `${CO}.subscriptions[0].resource`,
    rule: /resource ttd-unknown is not declared in this manifest/,
  },
  {
    section: "consumers",
    what: "an event type in capitals",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription({ types: ["No.Altinn.Published"] })] })] }),
    path: `${CO}.subscriptions[0].types[0]`,
    rule: /an event type is one lower-case name/,
  },
  {
    section: "consumers",
    what: "the same subscription twice",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription(), subscription()] })] }),
    path: `${CO}.subscriptions[1]`,
    rule: /the same subscription .* is declared twice/,
  },
  {
    section: "consumers",
    what: "a subscription subject that is not a party",
    manifest: stories({ consumers: [consumer({ subscriptions: [subscription({ subject: "313000028" })] })] }),
    path: `${CO}.subscriptions[0].subject`,
    rule: /the subject is urn:altinn:organization:identifier-no/,
  },

  // ---- correspondence ---------------------------------------------------------------------------------------
  {
    section: "correspondence",
    what: "org code in upper case",
    manifest: stories({ correspondence: [correspondence({ orgCode: "TTD" })] }),
    path: `${CR}.orgCode`,
    rule: /orgCode is the service owner's Altinn org code/,
  },
  {
    section: "correspondence",
    what: "a recipient with a wrong check digit",
    manifest: stories({ correspondence: [correspondence({ recipients: ["313000029"] })] }),
    path: `${CR}.recipients[0]`,
    rule: /MOD11/,
  },
  {
    section: "correspondence",
    what: "a resource identifier of 3 characters",
    manifest: stories({ correspondence: [correspondence({ resource: storyResource("ttd") })] }),
    path: `${CR}.resource.identifier`,
    rule: /at least 4 lower-case/,
  },
  {
    section: "correspondence",
    what: "a title without Nynorsk",
    manifest: stories({
      correspondence: [correspondence({ resource: storyResource("ttd-order-letters", { title: { en: "Orders", nb: "Ordrer" } }) })],
    }),
    path: `${CR}.resource.title.nn`,
    rule: NOT_STRING,
  },
  {
    section: "correspondence",
    what: "a sender's client without the correspondence.write scope",
    manifest: stories({
      correspondence: [correspondence({ client: { name: "letters-sender", scopes: ["altinn:serviceowner"], keys: ["k1"] } })],
    }),
    path: `${CR}.client.scopes`,
    rule: /a Correspondence sender's client needs the scopes altinn:correspondence\.write/,
  },
  {
    section: "correspondence",
    what: "own policy rules and a policy file",
    manifest: stories({
      correspondence: [
        correspondence({ policyRules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read"] }], policyFile: "policy.xml" }),
      ],
    }),
    path: `${CR}.policyFile`,
    rule: /give policyRules or policyFile, not both/,
  },
  {
    section: "correspondence",
    what: "authentication level 7",
    manifest: stories({ correspondence: [correspondence({ minimumAuthenticationLevel: 7 })] }),
    path: `${CR}.minimumAuthenticationLevel`,
    rule: /<=4/,
  },
  {
    section: "correspondence",
    what: "a webhook of the service owner that is not a URL",
    manifest: stories({ correspondence: [correspondence({ subscriptions: [{ endpoint: "not a url" }] })] }),
    path: `${CR}.subscriptions[0].endpoint`,
    rule: /the endpoint is an absolute URL/,
  },

  // ---- broker -----------------------------------------------------------------------------------------------
  {
    section: "broker",
    what: "name in upper case",
    manifest: stories({ broker: [broker({ name: "Invoices" })] }),
    path: `${BR}.name`,
    rule: /a name is 1-63 lower-case/,
  },
  {
    section: "broker",
    what: "a file time-to-live over a year",
    manifest: stories({ broker: [broker({ settings: { fileTransferTimeToLive: "P400D" } })] }),
    path: `${BR}.settings.fileTransferTimeToLive`,
    rule: /at most 365 days \(BRO-00015\)/,
  },
  {
    section: "broker",
    what: "a zero maximum file size",
    manifest: stories({ broker: [broker({ settings: { maxFileTransferSize: 0 } })] }),
    path: `${BR}.settings.maxFileTransferSize`,
    rule: /above 0/,
  },
  {
    section: "broker",
    what: "the manifest file shim without its legacy codes",
    manifest: stories({ broker: [broker({ settings: { useManifestFileShim: true } })] }),
    path: `${BR}.settings.useManifestFileShim`,
    rule: /needs externalServiceCodeLegacy/,
  },
  {
    section: "broker",
    what: "a misspelt setting",
    manifest: stories({ broker: [broker({ settings: { ttl: "P1D" } })] }),
    path: `${BR}.settings`,
    rule: /Unrecognized key: "ttl"/,
  },
  {
    section: "broker",
    what: "a client without broker.read",
    manifest: stories({
      broker: [broker({ client: { name: "invoices-broker", scopes: ["altinn:broker.write", "altinn:serviceowner"], keys: ["k1"] } })],
    }),
    path: `${BR}.client.scopes`,
    rule: /a Broker service owner's client needs the scopes altinn:broker\.read/,
  },
  {
    section: "broker",
    what: "a role code with a space",
    manifest: stories({ broker: [broker({ recipientRoles: ["DA GL"] })] }),
    path: `${BR}.recipientRoles[0]`,
    rule: /a role code such as DAGL/,
  },
  {
    section: "broker",
    what: "the correspondence resource's identifier again",
    manifest: stories({ broker: [broker({ resource: storyResource("ttd-order-letters") })] }),
    path: `${BR}.resource.identifier`,
    rule: /resource ttd-order-letters is declared twice/,
  },

  // ---- endUserSystems ---------------------------------------------------------------------------------------
  {
    section: "endUserSystems",
    what: "vendor with a wrong check digit",
    manifest: stories({ endUserSystems: [system({ vendor: "312000017" })] }),
    path: `${EU}.vendor`,
    rule: /MOD11/,
  },
  {
    section: "endUserSystems",
    what: "a system id of another vendor",
    manifest: stories({ endUserSystems: [system({ systemId: "313000028_orders" })] }),
    path: `${EU}.systemId`,
    rule: /starts with the vendor's org number/,
  },
  {
    section: "endUserSystems",
    what: "a system id with a space",
    manifest: stories({ endUserSystems: [system({ systemId: "312000016_my orders" })] }),
    path: `${EU}.systemId`,
    rule: /a system id is <vendor org number>_<name>/,
  },
  {
    section: "endUserSystems",
    what: "a right on a resource the manifest does not declare",
    manifest: stories({ endUserSystems: [system({ rights: [{ resource: "ttd-unknown" }] })] }),
    path: `${EU}.rights[0].resource`,
    rule: /resource ttd-unknown is not declared in this manifest/,
  },
  {
    section: "endUserSystems",
    what: "a customer asking for a right the system lacks",
    manifest: stories({ endUserSystems: [system({ customers: [{ organization: CONSUMER, rights: [{ resource: "ttd-invoices" }] }] })] }),
    path: `${EU}.customers[0].rights`,
    rule: /a request may only ask for the system's rights/,
  },
  {
    section: "endUserSystems",
    what: "a customer with a wrong check digit",
    manifest: stories({ endUserSystems: [system({ customers: [{ organization: "313000029" }] })] }),
    path: `${EU}.customers[0].organization`,
    rule: /MOD11/,
  },
  {
    section: "endUserSystems",
    what: "a plain-http redirect URL",
    manifest: stories({ endUserSystems: [system({ redirectUrls: ["http://vendor.example/done"] })] }),
    path: `${EU}.redirectUrls[0]`,
    rule: /a redirect URL is an absolute https URL/,
  },
  {
    section: "endUserSystems",
    what: "a client without digdir:dialogporten",
    manifest: stories({
      endUserSystems: [system({ client: { name: "orders-app", scopes: ["altinn:correspondence.read"], keys: ["k1"] } })],
    }),
    path: `${EU}.client.scopes`,
    rule: /an end-user system's client needs the scopes digdir:dialogporten/,
  },
  {
    section: "endUserSystems",
    what: "no vendor and no organisation",
    manifest: { endUserSystems: [system({ vendor: undefined, rights: [{ resource: "ttd-x1", external: true }] })] },
    path: `${EU}.vendor`,
    rule: /no vendor here and no organization at the top/,
  },
];

// ---- kinds through their input rules: `check` -------------------------------------------------------------

const TEXT = { en: "Orders", nb: "Ordrer", nn: "Ordrar" };
const resource = (over: Props = {}): Props => ({
  identifier: "ttd-bad-input",
  title: TEXT,
  description: TEXT,
  rightDescription: TEXT,
  resourceType: "CorrespondenceService",
  hasCompetentAuthority: { organization: ORG, orgcode: "ttd" },
  ...over,
});
const policy = (over: Props = {}): Props => ({
  organization: ORG,
  resource: "ttd-bad-input",
  rules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read"] }],
  ...over,
});
const accessList = (over: Props = {}): Props => ({ organization: ORG, owner: "ttd", identifier: "banks", name: "Banks", ...over });

/** Valid inputs of each kind below (the table's control: `check` accepts them). */
export const VALID_KIND_INPUTS: Readonly<Record<string, Props>> = {
  "resourceregistry:Resource": resource(),
  "resourceregistry:Policy": policy(),
  "resourceregistry:AccessList": accessList(),
  "resourceregistry:AccessListMode": { organization: ORG, resource: "ttd-bad-input", mode: "Enabled" },
};

export const KIND_CASES: readonly BadKindInput[] = [
  {
    kind: "resourceregistry:Resource",
    what: "identifier of 3 characters",
    args: resource({ identifier: "ttd" }),
    property: "identifier",
    rule: /at least 4/,
  },
  {
    kind: "resourceregistry:Resource",
    what: "unknown resource type",
    args: resource({ resourceType: "Website" }),
    property: "resourceType",
    rule: /resourceType is one of/,
  },
  {
    kind: "resourceregistry:Resource",
    what: "delegable without a right description",
    args: resource({ rightDescription: undefined }),
    property: "rightDescription",
    rule: /a delegable resource needs rightDescription/,
  },
  {
    kind: "resourceregistry:Resource",
    what: "org code in upper case",
    args: resource({ hasCompetentAuthority: { organization: ORG, orgcode: "TTD" } }),
    property: "hasCompetentAuthority.orgcode",
    rule: /orgcode is the owner's Altinn service-owner code/,
  },
  {
    kind: "resourceregistry:Resource",
    what: "app_ prefix on a generic resource",
    args: resource({ identifier: "app_ttd_orders", resourceType: "GenericAccessResource" }),
    property: "identifier",
    rule: /app_ is reserved/,
  },
  {
    kind: "resourceregistry:Resource",
    what: "a Maskinporten schema without its scope reference",
    args: resource({ resourceType: "MaskinportenSchema" }),
    property: "resourceReferences",
    rule: /referenceType MaskinportenScope/,
  },
  {
    kind: "resourceregistry:Policy",
    what: "neither rules nor XACML",
    args: policy({ rules: undefined }),
    property: "rules",
    rule: /either rules or xacml/,
  },
  {
    kind: "resourceregistry:Policy",
    what: "a rule with no subject",
    args: policy({ rules: [{ subjects: [], actions: ["read"] }] }),
    property: "rules.0.subjects",
    rule: /at least one subject/,
  },
  {
    kind: "resourceregistry:Policy",
    what: "authentication level 5",
    args: policy({ minimumAuthenticationLevel: 5 }),
    property: "minimumAuthenticationLevel",
    rule: /authentication level is 0-4/,
  },
  {
    kind: "resourceregistry:AccessList",
    what: "identifier with spaces",
    args: accessList({ identifier: "my banks" }),
    property: "identifier",
    rule: /an access-list identifier is 1-100 lower-case/,
  },
  {
    kind: "resourceregistry:AccessList",
    what: "member with a wrong check digit",
    args: accessList({ members: ["313000029"] }),
    property: "members.0",
    rule: /MOD11/,
  },
  {
    kind: "resourceregistry:AccessList",
    what: "owner in upper case",
    args: accessList({ owner: "TTD" }),
    property: "owner",
    rule: /owner is the service owner's/,
  },
  {
    kind: "resourceregistry:AccessListMode",
    what: "unknown mode",
    args: { organization: ORG, resource: "ttd-bad-input", mode: "On" },
    property: "mode",
    rule: NOT_ONE_OF,
  },
];
