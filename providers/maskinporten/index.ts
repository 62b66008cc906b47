/** Maskinporten and the Digdir self-service API: clients with managed keys, exposed scopes, consumer grants. */
export { MaskinportenClient, type MaskinportenClientArgs, type MaskinportenClientKeyInfo } from "./client.js";
export { MaskinportenScope, type MaskinportenScopeArgs } from "./scope.js";
export { MaskinportenScopeGrant, type MaskinportenScopeGrantArgs } from "./scopeGrant.js";
