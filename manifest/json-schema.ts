import { z } from "zod";

import { manifestSchema } from "./schema";

/**
 * The manifest as JSON Schema (draft 2020-12), for editor completion of stack files and manifest files.
 * Cross-field rules (duplicates, MOD11 check digits) are enforced by the zod schema at `pulumi up`/`preview`.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://altinn-onboarding.local/manifest.schema.json",
    title: "altinn-onboarding manifest",
  };
}
