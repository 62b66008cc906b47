/** The onboarding manifest: its schema (zod, exported as JSON Schema for editors) and its loader. */
export { manifestSchema, type Manifest, type ClientSpec, type ScopeSpec } from "./schema.js";
export { loadManifest, ManifestError, formatPath, substituteConfig, type ManifestSource } from "./load.js";
export { manifestJsonSchema } from "./json-schema.js";
