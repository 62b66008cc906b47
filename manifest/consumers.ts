/** `consumers:` Maskinporten clients of organisations that use APIs or receive messages, with their subscriptions. */
import { z } from "zod";

import { clientRules, subscriptionRules } from "@altinn-onboarding/providers";

import { clientFields, storySubscriptionSchema } from "./common";

/** A consumer's subscription names its resource: declared in this manifest, or `external: true`. */
export const consumerSubscriptionSchema = storySubscriptionSchema
  .extend({
    /** The resource's identifier (a Correspondence or Broker resource of this manifest, or another owner's). */
    resource: subscriptionRules.shape.shape.resource,
    /** The resource is not declared in this manifest (another owner's, or another stack's). */
    external: z.boolean().default(false),
  })
  .strict();

export const consumerSchema = z
  .object({ ...clientFields, subscriptions: z.array(consumerSubscriptionSchema).default([]) })
  .strict()
  .superRefine(clientRules.refine);
export type ConsumerSpec = z.infer<typeof consumerSchema>;
