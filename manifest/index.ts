/** The onboarding manifest: its schema (zod, exported as JSON Schema for editors) and its loader. */
export {
  manifestSchema,
  type Manifest,
  type ClientSpec,
  type ScopeSpec,
  type ConsumerSpec,
  type CorrespondenceSpec,
  type BrokerSpec,
  type EndUserSystemSpec,
} from "./schema";
export type { SubscriptionSpec } from "./common";
export { loadManifest, ManifestError, formatPath, substituteConfig, type ManifestSource } from "./load";
export { manifestJsonSchema } from "./json-schema";
