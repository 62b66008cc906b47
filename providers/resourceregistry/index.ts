/**
 * Altinn's Resource Registry: service resources, their XACML policies, access lists (with members and resource
 * connections), and a resource's access-list mode. Type tokens use the module `resourceregistry`.
 */
export { AltinnResource, type AltinnResourceArgs } from "./resource/resource.js";
export { AltinnResourcePolicy, type AltinnResourcePolicyArgs } from "./policy/resource.js";
export { AltinnAccessList, type AltinnAccessListArgs } from "./accessList/resource.js";
export { AltinnResourceAccessListMode, type AltinnResourceAccessListModeArgs } from "./accessListMode/resource.js";
export { resourceRules } from "./resource/inputs.js";
export { policyRules, policyRuleSchema } from "./policy/inputs.js";
export { accessListRules } from "./accessList/inputs.js";
export { accessListModeRules } from "./accessListMode/inputs.js";
export { brokerRules, correspondenceRules, type ServiceRuleOptions } from "./policy/ruleSets.js";
export { buildXacml, SUBJECT_ATTRIBUTES, type PolicyModel, type PolicyRule } from "./policy/xacml.js";
export { RESOURCE_TYPES, languageText, resourceUrn, type LanguageText } from "./model.js";
