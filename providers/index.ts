/**
 * @altinn-onboarding/providers: the dynamic resources of altinn-onboarding.
 *
 * The resource classes (what a Pulumi program constructs) and the input rules the manifest shares with the
 * providers' `check` are exported here. The implementation is served from `@altinn-onboarding/providers/runtime`
 * (./serve.ts), which Pulumi's dynamic-provider process loads by package name at call time.
 */
export * from "./digdir/index.js";
export * from "./resourceregistry/index.js";
export * from "./events/index.js";
export * from "./broker/index.js";
export * from "./authentication/index.js";
export * from "./onboarding/index.js";

/** Offline rules shared by every kind (one definition of each rule). */
export { durationSchema, isValidOrgNumber, orgNumberSchema, setOf } from "./runtime/validation.js";
export type { InputRules } from "./runtime/inputs.js";
