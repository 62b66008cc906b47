/** The input rules of an Events subscription (check and the manifest share them). */
import { z } from "zod";

import { setting } from "../../runtime/environments.js";
import { inputRules } from "../../runtime/inputs.js";
import { isValidOrgNumber, orgNumberSchema } from "../../runtime/validation.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Whether an endpoint's host is this machine (plain http is allowed only there, and only in the local stack). */
export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

export const endpointSchema = z.string().superRefine((s, ctx) => {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "the endpoint is an absolute URL (https://...)" });
    return;
  }
  if (url.protocol === "https:") return;
  const local = (setting("environment") ?? "local").toLowerCase() === "local";
  if (url.protocol === "http:" && local && isLoopback(url)) return;
  ctx.addIssue({
    code: "custom",
    message: local
      ? "the endpoint must be https (plain http only to this machine: 127.0.0.1 or localhost, in the local stack)"
      : "the endpoint must be https: Events delivers only to https endpoints outside the local stack",
  });
});

/** A resource identifier or its URN; Events' filter is the lower-case URN. */
export const resourceFilterSchema = z
  .string()
  .regex(/^(urn:altinn:resource:)?[A-Za-z0-9_-]{4,}$/i, "the resource is its identifier or urn:altinn:resource:<identifier>");

/** A party a subscription is limited to: an organisation or a person. */
export const subjectSchema = z.string().superRefine((s, ctx) => {
  const org = /^urn:altinn:organization:identifier-no:(\d{9})$/i.exec(s);
  if (org) {
    if (!isValidOrgNumber(org[1] ?? ""))
      ctx.addIssue({ code: "custom", message: `not a valid organisation number: ${org[1] ?? ""} (MOD11)` });
    return;
  }
  if (/^urn:altinn:person:identifier-no:\d{11}$/i.test(s)) return;
  ctx.addIssue({
    code: "custom",
    message: "the subject is urn:altinn:organization:identifier-no:<orgno> or urn:altinn:person:identifier-no:<11 digits>",
  });
});

export const subscriptionRules = inputRules(
  z.object({
    /** The subscribing organisation: whose credentials create the subscription (and whose it is). */
    organization: orgNumberSchema.optional(),
    endpoint: endpointSchema,
    resource: resourceFilterSchema,
    subject: subjectSchema.optional(),
    type: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "an event type is one lower-case name such as no.altinn.broker.published")
      .optional(),
    includeSubunits: z.boolean().default(false),
    /** The organisation subscribes as the resource's service owner (its token carries `altinn:serviceowner`). */
    serviceOwner: z.boolean().default(false),
    /** How long create waits for Events to validate the endpoint. */
    validationTimeoutSeconds: z.number().int().min(0).max(3600).default(120),
  }),
  (s, ctx) => {
    if (s.includeSubunits === true && s.subject === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["includeSubunits"],
        message: "includeSubunits needs a subject (an organisation whose subunits to include)",
      });
    }
  },
);
export type SubscriptionInputs = z.output<typeof subscriptionRules.shape>;
