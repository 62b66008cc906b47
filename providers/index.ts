/**
 * @altinn-onboarding/providers: the dynamic resources of altinn-onboarding.
 *
 * The resource classes (what a Pulumi program constructs) are exported here. Their implementation is the
 * runtime at `@altinn-onboarding/providers/runtime`, which Pulumi's dynamic-provider process loads by
 * package name at call time.
 */
export { SmokeRecord, type SmokeRecordArgs } from "./smoke/record.js";
export {
  MaskinportenClient,
  MaskinportenScope,
  MaskinportenScopeGrant,
  type MaskinportenClientArgs,
  type MaskinportenClientKeyInfo,
  type MaskinportenScopeArgs,
  type MaskinportenScopeGrantArgs,
} from "./maskinporten/index.js";

/** The offline rules the manifest shares with the providers' `check` (one definition of each rule). */
export { durationSchema, isValidOrgNumber, orgNumberSchema } from "./runtime/validation.js";
export { INTEGRATION_TYPES, PREFIX_RE, SUBSCOPE_RE, VISIBILITIES, scopeNameSchema } from "./maskinporten/inputs.js";
