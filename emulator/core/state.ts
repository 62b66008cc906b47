// The emulator's persistent state: one JSON document, written atomically after every change.
// Part 2 APIs add their own top-level sections; loading fills a missing section from the seed.

export interface Organization {
  orgNumber: string;
  /** Altinn org code for service owners (e.g. "ttd"); a short slug for everyone else. */
  orgCode: string;
  name: string;
  serviceOwner: boolean;
  scopePrefixes: string[];
}

/** A client's public key as stored and returned by GET /clients/{id}/jwks. */
export interface StoredJwk {
  kid: string;
  kty: string;
  alg: string;
  use: string;
  n: string;
  e: string;
  /** Epoch seconds; the server fills it in (now + 1 year) and caps it there. */
  exp: number;
  x5c?: string[];
}

export interface JwkSet {
  keys: StoredJwk[];
  created: string;
  last_updated: string;
}

/** The client object exactly as the self-service API returns it. */
export interface DigdirClient {
  client_id: string;
  client_name: string | null;
  description: string;
  integration_type: string;
  application_type: string;
  token_endpoint_auth_method: string;
  grant_types: string[];
  scopes: string[];
  client_orgno: string;
  supplier_orgno: string | null;
  access_token_lifetime: number;
  authorization_lifetime: number;
  refresh_token_lifetime: number | null;
  refresh_token_usage: string | null;
  redirect_uris: string[] | null;
  post_logout_redirect_uris: string[] | null;
  frontchannel_logout_uri: string | null;
  frontchannel_logout_session_required: boolean | null;
  client_uri: string | null;
  sso_disabled: boolean | null;
  code_challenge_method: string | null;
  jwks_uri: string;
  onbehalfof: unknown[];
  active: boolean;
  created: string;
  last_updated: string;
}

export interface ClientEntry {
  client: DigdirClient;
  jwks: JwkSet | null;
}

export interface Scope {
  name: string;
  prefix: string;
  subscope: string;
  description: string;
  long_description: string | null;
  descriptions: Record<string, string> | null;
  active: boolean;
  visibility: string;
  token_type: string;
  at_max_age: number;
  authorization_max_lifetime: number;
  allowed_integration_types: string[];
  accessible_for_all: boolean;
  delegation_source: string | null;
  requires_user_consent: boolean;
  requires_user_authentication: boolean;
  requires_pseudonymous_tokens: boolean;
  enforced_aud_for_access_token: string | null;
  owner_orgno: string;
  created: string;
  last_updated: string;
}

export type AccessState = "REQUESTED" | "APPROVED" | "DENIED";

export interface AccessRecord {
  scope: string;
  state: AccessState;
  consumer_orgno: string;
  owner_orgno: string;
  prefix: string | null;
  owner_organization_name: string | null;
  consumer_organization_name: string | null;
  created: string;
  last_updated: string;
}

export interface DelegationSource {
  name: string;
  issuer: string;
  created: string;
  last_updated: string;
}

/** An Altinn delegation of a scope from a consumer org to a supplier org (`consumer_org` grants). */
export interface Delegation {
  scope: string;
  consumerOrgNumber: string;
  supplierOrgNumber: string;
}

export interface EmulatorState {
  version: 1;
  organizations: Organization[];
  /** orgNumber -> client_id of the org's seeded admin client. */
  adminClients: Record<string, string>;
  clients: Record<string, ClientEntry>;
  scopes: Record<string, Scope>;
  accesses: AccessRecord[];
  delegationSources: DelegationSource[];
  delegations: Delegation[];
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function findOrg(state: EmulatorState, orgNumber: string): Organization | undefined {
  return state.organizations.find((o) => o.orgNumber === orgNumber);
}
