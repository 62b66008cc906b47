/**
 * What the project's tools (`npm run verify`) use of the provider runtime: environments resolved from a stack's
 * config, credentials, and tokens (Maskinporten, the Altinn exchange, system users). Tools act with the stack's
 * own clients' keys, as the onboarding's users would.
 */
export { setConfig } from "./runtime/config.js";
export { currentEnvironment, type Environment } from "./runtime/environments.js";
export { adminCredential, type AdminCredential, type AdminSigner } from "./runtime/credentials.js";
export { altinnHeaders, altinnToken, maskinportenToken, systemUserToken } from "./runtime/tokens.js";
export { ApiClient, parseErrorBody } from "./runtime/http.js";
export { ApiError, redact } from "./runtime/errors.js";
