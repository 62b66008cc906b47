/** `correspondence:` a service owner sending Correspondence (Melding) on a resource to recipient organisations. */
import { z } from "zod";

import { orgNumberSchema } from "@altinn-onboarding/providers";

import { logicalName, storyClientSchema, storySubscriptionSchema } from "./common";
import { partiesFields, storyResourceSchema } from "./registry";

/** Scopes a Correspondence sender's client needs. */
export const CORRESPONDENCE_SENDER_SCOPES = ["altinn:correspondence.write", "altinn:serviceowner"] as const;

export const correspondenceSchema = z
  .object({
    name: logicalName,
    /** The service owner's org number; defaults to the manifest's `organization`. */
    organization: orgNumberSchema.optional(),
    ...partiesFields,
    resource: storyResourceSchema,
    /** The sender's Maskinporten client (its scopes must include altinn:correspondence.write and altinn:serviceowner). */
    client: storyClientSchema,
    /** Webhooks for the resource's events, subscribed as its service owner. */
    subscriptions: z.array(storySubscriptionSchema).default([]),
  })
  .strict();
export type CorrespondenceSpec = z.infer<typeof correspondenceSchema>;
