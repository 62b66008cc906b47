/** The onboarding manifest: its schema (zod, exported as JSON Schema for editors) and its loader. */
export { manifestSchema, type Manifest, type ClientSpec, type ScopeSpec } from "./schema";
export { loadManifest, ManifestError, formatPath, substituteConfig, type ManifestSource } from "./load";
export { manifestJsonSchema } from "./json-schema";
