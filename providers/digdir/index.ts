/**
 * Maskinporten and Digdir's self-service API: clients with managed keys, exposed scopes, consumer grants. Type
 * tokens keep the module name `maskinporten` (`pulumi-nodejs:dynamic/maskinporten:Client`, ...).
 */
export { MaskinportenClient, type MaskinportenClientArgs, type MaskinportenClientKeyInfo } from "./client/resource.js";
export { MaskinportenScope, type MaskinportenScopeArgs } from "./scope/resource.js";
export { MaskinportenScopeGrant, type MaskinportenScopeGrantArgs } from "./scopeGrant/resource.js";
export { clientRules, MAX_KEYS } from "./client/inputs.js";
export { scopeRules, VISIBILITIES } from "./scope/inputs.js";
export { grantRules } from "./scopeGrant/inputs.js";
export { INTEGRATION_TYPES, PREFIX_RE, SUBSCOPE_RE, scopeNameSchema } from "./names.js";
