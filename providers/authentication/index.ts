/**
 * Altinn Authentication for system vendors: System Register entries and system-user requests. Type tokens use the
 * module `authentication`.
 */
export { SystemRegistration, type SystemRegistrationArgs } from "./systemRegistration/resource.js";
export { SystemUserRequest, type SystemUserRequestArgs } from "./systemUserRequest/resource.js";
export { systemRegistrationRules } from "./systemRegistration/inputs.js";
export { systemUserRequestRules } from "./systemUserRequest/inputs.js";
export { rightsMissing, type Right } from "./rights.js";
