/** Onboarding-wide kinds: preconditions done by hand upstream. Type tokens use the module `onboarding`. */
export { OnboardingPrecondition, type OnboardingPreconditionArgs } from "./precondition/resource.js";
export { preconditionRules } from "./precondition/inputs.js";
