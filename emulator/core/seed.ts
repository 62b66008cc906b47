import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isValidOrgNumber } from "./orgno.js";
import { type AccessRecord, type ClientEntry, type EmulatorState, type Scope, nowIso } from "./state.js";

const orgNumber = z.string().refine(isValidOrgNumber, "must be a nine-digit organisation number passing MOD11");

const seedSchema = z
  .object({
    organizations: z
      .array(
        z.strictObject({
          orgNumber,
          orgCode: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and '-'"),
          name: z.string().min(1),
          serviceOwner: z.boolean().default(false),
          /** Correspondence has this service owner set up; default: `serviceOwner`. */
          correspondenceServiceOwner: z.boolean().optional(),
          scopePrefixes: z.array(z.string().regex(/^[a-z0-9]+$/)).default([]),
          adminClient: z.strictObject({
            clientId: z.uuid().optional(),
            scopes: z.array(z.string().min(1)).min(1),
          }),
        }),
      )
      .min(1),
    delegationSources: z.array(z.strictObject({ name: z.string().min(1), issuer: z.string().min(1) })).default([]),
    scopes: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z0-9]+:[A-Za-z0-9._/:-]+$/, "prefix:subscope"),
          description: z.string().min(1),
          visibility: z.enum(["PUBLIC", "PRIVATE", "INTERNAL"]).default("PUBLIC"),
          accessibleForAll: z.boolean().default(false),
          allowedIntegrationTypes: z.array(z.string()).default(["maskinporten"]),
          atMaxAge: z.number().int().nonnegative().default(0),
          delegationSource: z.string().optional(),
        }),
      )
      .default([]),
    grants: z.array(z.strictObject({ scope: z.string(), consumers: z.array(orgNumber) })).default([]),
    delegations: z.array(z.strictObject({ scope: z.string(), consumerOrgNumber: orgNumber, supplierOrgNumber: orgNumber })).default([]),
    /** Organisations in Altinn's Register beyond the seeded organisations (which are always parties). */
    parties: z
      .array(
        z.strictObject({
          orgNumber: z.string().regex(/^\d{9}$/, "nine digits"),
          name: z.string().min(1),
          partyId: z.number().int().positive().optional(),
          partyUuid: z.uuid().optional(),
        }),
      )
      .default([]),
    accessPackages: z
      .array(
        z.strictObject({
          urn: z.string().regex(/^urn:altinn:accesspackage:[a-z0-9-]+$/, "urn:altinn:accesspackage:<slug>"),
          isDelegable: z.boolean().default(true),
          isAssignable: z.boolean().default(true),
        }),
      )
      .default([]),
    altinn: z
      .strictObject({
        environment: z.enum(["local", "tt02", "prod"]).default("local"),
        subscriptionKeys: z.array(z.string().min(1)).default([]),
        eventsRetryFactor: z.number().positive().max(1).default(1),
        brokerDeployMs: z.number().int().nonnegative().default(1500),
        correspondencePublishMs: z.number().int().nonnegative().default(0),
      })
      .default({ environment: "local", subscriptionKeys: [], eventsRetryFactor: 1, brokerDeployMs: 1500, correspondencePublishMs: 0 }),
  })
  .loose();

export type Seed = z.infer<typeof seedSchema>;

/** Reads a JSON or YAML seed file and validates it; errors name the offending path. */
export function loadSeed(file: string = defaultSeedFile()): Seed {
  const text = readFileSync(file, "utf8");
  const raw: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  const result = seedSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid emulator seed ${file}:\n${lines.join("\n")}`);
  }
  checkReferences(result.data, file);
  return result.data;
}

/** emulator/seed/default.json, from the sources (emulator/core) or the compiled code (emulator/dist/core). */
export function defaultSeedFile(): string {
  const fromSource = join(__dirname, "..", "seed", "default.json");
  return existsSync(fromSource) ? fromSource : join(__dirname, "..", "..", "seed", "default.json");
}

function checkReferences(seed: Seed, file: string): void {
  const problems: string[] = [];
  const orgs = new Set(seed.organizations.map((o) => o.orgNumber));
  const scopes = new Map(seed.scopes.map((s) => [s.name, s]));
  const granted = new Set(seed.grants.flatMap((g) => g.consumers.map((c) => `${g.scope} ${c}`)));
  seed.scopes.forEach((s, i) => {
    if (!ownerOf(seed, s.name)) problems.push(`scopes.${i}: no organisation holds the prefix of ${s.name}`);
  });
  seed.grants.forEach((g, i) => {
    if (!scopes.has(g.scope)) problems.push(`grants.${i}.scope: unknown scope ${g.scope}`);
  });
  seed.organizations.forEach((o, i) => {
    o.adminClient.scopes.forEach((name, j) => {
      const s = scopes.get(name);
      if (!s) problems.push(`organizations.${i}.adminClient.scopes.${j}: unknown scope ${name}`);
      else if (!s.accessibleForAll && ownerOf(seed, name) !== o.orgNumber && !granted.has(`${name} ${o.orgNumber}`))
        problems.push(`organizations.${i}.adminClient.scopes.${j}: ${name} is not granted to ${o.orgNumber}`);
    });
  });
  if (orgs.size !== seed.organizations.length) problems.push("organizations: duplicate orgNumber");
  seed.parties.forEach((p, i) => {
    if (orgs.has(p.orgNumber)) problems.push(`parties.${i}.orgNumber: ${p.orgNumber} is a seeded organisation, which is a party already`);
  });
  if (problems.length > 0) throw new Error(`invalid emulator seed ${file}:\n  ${problems.join("\n  ")}`);
}

function ownerOf(seed: Seed, scopeName: string): string | undefined {
  const prefix = scopeName.slice(0, scopeName.indexOf(":"));
  return seed.organizations.find((o) => o.scopePrefixes.includes(prefix))?.orgNumber;
}

/** A stable client_id per org, so credentials stay the same across resets and fresh state dirs. */
export function adminClientId(orgNo: string): string {
  const h = createHash("sha256").update(`altinn-onboarding-emulator-admin:${orgNo}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stable Register ids per org number, so member identifiers survive resets. */
export function derivedParty(orgNo: string): { partyId: number; partyUuid: string } {
  const h = createHash("sha256").update(`altinn-onboarding-emulator-party:${orgNo}`).digest("hex");
  return {
    partyId: 50_000_000 + (parseInt(h.slice(0, 7), 16) % 9_000_000),
    partyUuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`,
  };
}

export function stateFromSeed(seed: Seed): EmulatorState {
  const now = nowIso();
  const orgName = new Map(seed.organizations.map((o) => [o.orgNumber, o.name]));
  const scopes: Record<string, Scope> = {};
  for (const s of seed.scopes) {
    const [prefix, ...rest] = s.name.split(":");
    scopes[s.name] = {
      name: s.name,
      prefix: prefix as string,
      subscope: rest.join(":"),
      description: s.description,
      long_description: null,
      descriptions: null,
      active: true,
      visibility: s.visibility,
      token_type: "SELF_CONTAINED",
      at_max_age: s.atMaxAge,
      authorization_max_lifetime: 0,
      allowed_integration_types: s.allowedIntegrationTypes,
      accessible_for_all: s.accessibleForAll,
      delegation_source: s.delegationSource ?? null,
      requires_user_consent: false,
      requires_user_authentication: false,
      requires_pseudonymous_tokens: false,
      enforced_aud_for_access_token: null,
      owner_orgno: ownerOf(seed, s.name) as string,
      created: now,
      last_updated: now,
    };
  }
  const accesses: AccessRecord[] = seed.grants.flatMap((g) =>
    g.consumers.map((consumer) => {
      const owner = scopes[g.scope]?.owner_orgno as string;
      return {
        scope: g.scope,
        state: "APPROVED" as const,
        consumer_orgno: consumer,
        owner_orgno: owner,
        prefix: null,
        owner_organization_name: orgName.get(owner) ?? null,
        consumer_organization_name: orgName.get(consumer) ?? null,
        created: now,
        last_updated: now,
      };
    }),
  );
  const clients: Record<string, ClientEntry> = {};
  const adminClients: Record<string, string> = {};
  for (const o of seed.organizations) {
    const id = o.adminClient.clientId ?? adminClientId(o.orgNumber);
    adminClients[o.orgNumber] = id;
    clients[id] = {
      jwks: null,
      client: {
        client_id: id,
        client_name: `${o.orgCode}-admin`,
        description: `Admin client of ${o.name} (emulator seed); authenticates with its business certificate`,
        integration_type: "maskinporten",
        application_type: "web",
        token_endpoint_auth_method: "private_key_jwt",
        grant_types: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
        scopes: [...o.adminClient.scopes],
        client_orgno: o.orgNumber,
        supplier_orgno: null,
        access_token_lifetime: 0,
        authorization_lifetime: 0,
        refresh_token_lifetime: null,
        refresh_token_usage: null,
        redirect_uris: null,
        post_logout_redirect_uris: null,
        frontchannel_logout_uri: null,
        frontchannel_logout_session_required: null,
        client_uri: null,
        sso_disabled: null,
        code_challenge_method: null,
        jwks_uri: `/clients/${id}/jwks`,
        onbehalfof: [],
        active: true,
        created: now,
        last_updated: now,
      },
    };
  }
  return {
    version: 1,
    organizations: seed.organizations.map((o) => ({
      orgNumber: o.orgNumber,
      orgCode: o.orgCode,
      name: o.name,
      serviceOwner: o.serviceOwner,
      scopePrefixes: [...o.scopePrefixes],
      ...(o.correspondenceServiceOwner === undefined ? {} : { correspondenceServiceOwner: o.correspondenceServiceOwner }),
    })),
    adminClients,
    clients,
    scopes,
    accesses,
    delegationSources: seed.delegationSources.map((d) => ({ ...d, created: now, last_updated: now })),
    delegations: seed.delegations.map((d) => ({ ...d })),
    parties: [
      ...seed.organizations.map((o) => ({ orgNumber: o.orgNumber, name: o.name, partyId: undefined, partyUuid: undefined })),
      ...seed.parties,
    ].map((p) => {
      const d = derivedParty(p.orgNumber);
      return { orgNumber: p.orgNumber, name: p.name, partyId: p.partyId ?? d.partyId, partyUuid: p.partyUuid ?? d.partyUuid };
    }),
    accessPackages: seed.accessPackages.map((a) => ({ ...a })),
    altinnSettings: { ...seed.altinn, subscriptionKeys: [...seed.altinn.subscriptionKeys] },
    resources: {},
    nextResourceVersionId: 1,
    accessLists: {},
    nextAccessListVersion: 1,
    subscriptions: {},
    nextSubscriptionId: 1,
    brokerServiceOwners: {},
    brokerResources: {},
    systems: {},
    systemUserRequests: {},
    systemUsers: {},
    sinks: {},
    correspondences: {},
    fileTransfers: {},
  };
}
