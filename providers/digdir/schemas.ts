/**
 * zod schemas of what the Digdir self-service API returns (shared/specs/maskinporten.md sections 3-5). Loose
 * objects: unknown fields are kept, so a full PUT sends back what the server gave us.
 */
import { z } from "zod";

const nullableString = z.string().nullish();

export const liveClient = z.looseObject({
  client_id: z.string().min(1),
  client_name: nullableString,
  description: nullableString,
  integration_type: z.string(),
  application_type: nullableString,
  token_endpoint_auth_method: nullableString,
  grant_types: z.array(z.string()).nullish(),
  scopes: z.array(z.string()).nullish(),
  client_orgno: nullableString,
  supplier_orgno: nullableString,
  access_token_lifetime: z.number().nullish(),
  active: z.boolean().nullish(),
  created: nullableString,
  last_updated: nullableString,
});
export type LiveClient = z.infer<typeof liveClient>;

export const liveClientList = z.array(liveClient);

export const liveJwk = z.looseObject({
  kid: z.string(),
  kty: z.string(),
  alg: nullableString,
  use: nullableString,
  n: nullableString,
  e: nullableString,
  exp: z.number().nullish(),
});
export type LiveJwk = z.infer<typeof liveJwk>;

export const liveJwks = z.looseObject({ keys: z.array(liveJwk).nullish() });

export const liveScope = z.looseObject({
  name: nullableString,
  prefix: z.string(),
  subscope: z.string(),
  description: nullableString,
  long_description: nullableString,
  active: z.boolean().nullish(),
  visibility: nullableString,
  token_type: nullableString,
  at_max_age: z.number().nullish(),
  authorization_max_lifetime: z.number().nullish(),
  allowed_integration_types: z.array(z.string()).nullish(),
  accessible_for_all: z.boolean().nullish(),
  delegation_source: nullableString,
  owner_orgno: nullableString,
  created: nullableString,
  last_updated: nullableString,
});
export type LiveScope = z.infer<typeof liveScope>;

/** `GET /scopes?scope=` answers one scope; tolerate a one-element list too. */
export const liveScopeOrList = z.union([liveScope, z.array(liveScope)]);
export const liveScopeList = z.array(liveScope);

export const liveAccess = z.looseObject({
  scope: z.string(),
  state: z.string(),
  consumer_orgno: z.string(),
  owner_orgno: nullableString,
  created: nullableString,
  last_updated: nullableString,
});
export type LiveAccess = z.infer<typeof liveAccess>;
export const liveAccessList = z.array(liveAccess);
