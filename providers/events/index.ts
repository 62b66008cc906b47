/** Altinn Events: webhook subscriptions. Type tokens use the module `events`. */
export { EventSubscription, type EventSubscriptionArgs } from "./subscription/resource.js";
export { subscriptionRules } from "./subscription/inputs.js";
export { KNOWN_EVENT_TYPES, isKnownEventType } from "./types.js";
export { resourceFilterOf } from "./subscription/plan.js";
