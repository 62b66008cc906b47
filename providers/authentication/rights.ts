/** Rights on resources, as the System Register and system-user requests take them: `{resource, action?}`. */
import { z } from "zod";

import { actionSchema, resourceIdSchema } from "../resourceregistry/model.js";

export const rightSchema = z.object({
  /** The resource's identifier in the Resource Registry. */
  resource: resourceIdSchema,
  /** One action (e.g. `read`); none: every action of the resource's policy. */
  action: actionSchema.optional(),
});
export type Right = z.infer<typeof rightSchema>;

export const accessPackageSchema = z
  .string()
  .regex(/^urn:altinn:accesspackage:[a-z0-9-]+$/, "an access package is urn:altinn:accesspackage:<slug> (lower-case letters, digits, '-')");

/** A set of rights compared by meaning: `resource` + `action`, sorted. */
export function rightKeys(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return [...new Set(v.map((r) => `${String((r as Right).resource)}#${String((r as Right).action ?? "")}`))].sort();
}

/** Whether every right in `wanted` is among `granted` (a right without action covers every action). */
export function rightsMissing(wanted: readonly Right[], granted: readonly Right[]): Right[] {
  return wanted.filter((w) => !granted.some((g) => g.resource === w.resource && (g.action === undefined || g.action === w.action)));
}
