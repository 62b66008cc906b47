// The emulator's persistent state: one JSON document, written atomically after every change.
// Part 2 APIs add their own top-level sections; loading fills a missing section from the seed.

export interface Organization {
  orgNumber: string;
  /** Altinn org code for service owners (e.g. "ttd"); a short slug for everyone else. */
  orgCode: string;
  name: string;
  serviceOwner: boolean;
  scopePrefixes: string[];
  /** Whether Correspondence has this service owner set up (its service-owner row); unset means `serviceOwner`. */
  correspondenceServiceOwner?: boolean;
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

/** An organisation known to Altinn's Register (access-list members, system-user parties). */
export interface Party {
  orgNumber: string;
  name: string;
  partyId: number;
  partyUuid: string;
}

/** An access package as Access Management describes it (System Register AUTH.VLD-00008 / 00018). */
export interface AccessPackage {
  urn: string;
  isDelegable: boolean;
  /** False for client-only packages (only usable through agent/client system users). */
  isAssignable: boolean;
}

/** Altinn-side switches from the seed; `POST /__emulator/options` can override them until the next reset. */
export interface AltinnSettings {
  /** "prod" makes the emulator behave like production (resource DELETE refused, Broker 50 GB rule). */
  environment: "local" | "tt02" | "prod";
  /** APIM subscription keys; when non-empty every Altinn API call must send one in `Ocp-Apim-Subscription-Key`. */
  subscriptionKeys: string[];
  /** Multiplies the Events retry schedules (validation handshake and delivery); 1 = the real schedule. */
  eventsRetryFactor: number;
  /** How long a Broker service owner's storage takes to reach `Ready`, in milliseconds. */
  brokerDeployMs: number;
  /** How long after initialisation (or its requestedPublishTime) a correspondence is published, in milliseconds. */
  correspondencePublishMs: number;
}

export interface StoredResource {
  /** Every version ever written, oldest first; the last one is current. Each is the canonical JSON output. */
  versions: Record<string, unknown>[];
  deleted: boolean;
  /** The policy file exactly as uploaded, base64. */
  policy?: string;
}

export interface AccessListConnection {
  resourceIdentifier: string;
  actionFilters: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AccessList {
  owner: string;
  identifier: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** The aggregate version: any change to info, members or connections bumps it. */
  version: number;
  members: { partyUuid: string; since: string }[];
  connections: AccessListConnection[];
}

export interface Subscription {
  id: number;
  endPoint: string;
  resourceFilter?: string;
  sourceFilter?: string;
  subjectFilter?: string;
  typeFilter?: string;
  consumer: string;
  createdBy: string;
  created: string;
  validated: boolean;
  includeSubunits: boolean;
}

export interface BrokerServiceOwner {
  orgNumber: string;
  name: string;
  /** Epoch milliseconds; the storage status is derived from it and the deploy delay. */
  createdAtMs: number;
}

export interface BrokerResource {
  resourceId: string;
  ownerOrgNumber: string;
  maxFileTransferSize: number | null;
  /** Stored in .NET TimeSpan form. */
  fileTransferTimeToLive: string | null;
  purgeFileTransferAfterAllRecipientsConfirmed: boolean;
  purgeFileTransferGracePeriod: string | null;
  useManifestFileShim: boolean;
  externalServiceCodeLegacy: string | null;
  externalServiceEditionCodeLegacy: number | null;
  requiredParty: string | null;
}

export interface RightDto {
  action?: string;
  resource: { id: string; value: string }[];
}

export interface RegisteredSystem {
  internalId: string;
  id: string;
  vendorOrgNumber: string;
  name: Record<string, string>;
  description: Record<string, string>;
  rights: RightDto[];
  accessPackages: { urn: string }[];
  clientId: string[];
  allowedRedirectUrls: string[];
  isVisible: boolean;
  isDeleted: boolean;
  created: string;
}

export interface SystemUserRequest {
  id: string;
  vendorOrgNumber: string;
  externalRef: string;
  systemId: string;
  partyOrgNo: string;
  rights: RightDto[];
  accessPackages: { urn: string }[];
  status: "New" | "Accepted" | "Rejected" | "Denied" | "Timedout";
  redirectUrl?: string;
  integrationTitle?: string;
  created: string;
}

export interface SystemUser {
  id: string;
  systemId: string;
  partyOrgNo: string;
  externalRef: string;
  created: string;
}

export interface CorrespondenceStatusEntry {
  status: string;
  statusText: string;
  statusChanged: string;
}

/** One correspondence (one recipient) as Correspondence stores it. */
export interface StoredCorrespondence {
  id: string;
  resourceId: string;
  /** The resource owner, `urn:altinn:organization:identifier-no:<orgno>` (the real service's `Sender`). */
  sender: string;
  serviceOwnerOrgNumber: string;
  /** `urn:altinn:organization:identifier-no:<orgno>`. */
  recipient: string;
  sendersReference: string;
  messageSender: string | null;
  content: { language: string; messageTitle: string; messageSummary: string | null; messageBody: string };
  requestedPublishTime: string;
  dueDateTime: string | null;
  propertyList: Record<string, string>;
  replyOptions: unknown[];
  externalReferences: unknown[];
  isConfirmationNeeded: boolean;
  isConfidential: boolean;
  allowForwarding: boolean;
  ignoreReservation: boolean;
  idempotentKey: string | null;
  created: string;
  published: string | null;
  statuses: CorrespondenceStatusEntry[];
  /** Recipients' fetches (a separate table in the real service: they show in the details' history, never as the status). */
  fetched?: CorrespondenceStatusEntry[];
}

/** One Broker file transfer (metadata only: the emulator stores no file contents). */
export interface FileTransfer {
  fileTransferId: string;
  resourceId: string;
  fileName: string;
  sendersFileTransferReference: string | null;
  /** `urn:altinn:organization:identifier-no:<orgno>`. */
  sender: string;
  recipients: { recipient: string; status: string; statusText: string; statusChanged: string }[];
  propertyList: Record<string, string>;
  checksum: string | null;
  useVirusScan: boolean;
  created: string;
  expirationTime: string;
  status: string;
  statusText: string;
  statusChanged: string;
}

/** One request received by a control-plane webhook sink. */
export interface SinkDelivery {
  method: string;
  /** Lower-cased names; credentials (Authorization, cookies, subscription keys) are not recorded. */
  headers: Record<string, string>;
  /** The JSON body, or the text when it is not JSON, or null when empty. */
  body: unknown;
  receivedAt: string;
}

export interface Sink {
  /** What the sink answers (200 when unset). */
  status?: number;
  deliveries: SinkDelivery[];
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
  // Part 2 (Altinn). A state file written by part 1 gets these sections from the seed when loaded.
  parties: Party[];
  accessPackages: AccessPackage[];
  altinnSettings: AltinnSettings;
  resources: Record<string, StoredResource>;
  /** Global, increasing: every resource write takes the next one. */
  nextResourceVersionId: number;
  /** Key `${owner}/${identifier}`. */
  accessLists: Record<string, AccessList>;
  nextAccessListVersion: number;
  subscriptions: Record<string, Subscription>;
  nextSubscriptionId: number;
  brokerServiceOwners: Record<string, BrokerServiceOwner>;
  brokerResources: Record<string, BrokerResource>;
  /** Key: the system's `id`. Soft-deleted systems stay (the id is reserved forever). */
  systems: Record<string, RegisteredSystem>;
  systemUserRequests: Record<string, SystemUserRequest>;
  systemUsers: Record<string, SystemUser>;
  /** Control-plane webhook sinks by name. */
  sinks: Record<string, Sink>;
  /** Correspondence by id. */
  correspondences: Record<string, StoredCorrespondence>;
  /** Broker file transfers by id. */
  fileTransfers: Record<string, FileTransfer>;
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function findOrg(state: EmulatorState, orgNumber: string): Organization | undefined {
  return state.organizations.find((o) => o.orgNumber === orgNumber);
}
