/** `broker:` a service owner running a Broker (Formidling) service: file transfers from senders to recipients. */
import { z } from "zod";

import { orgNumberSchema, resourceSettingsRules } from "@altinn-onboarding/providers";

import { logicalName, storyClientSchema, storySubscriptionSchema } from "./common";
import { partiesFields, storyResourceSchema } from "./registry";

/** Scopes a Broker service owner's client needs. */
export const BROKER_SCOPES = ["altinn:broker.write", "altinn:broker.read", "altinn:serviceowner"] as const;

const s = resourceSettingsRules.shape.shape;
export const brokerSettingsSchema = z
  .object({
    maxFileTransferSize: s.maxFileTransferSize,
    fileTransferTimeToLive: s.fileTransferTimeToLive,
    purgeFileTransferAfterAllRecipientsConfirmed: s.purgeFileTransferAfterAllRecipientsConfirmed,
    purgeFileTransferGracePeriod: s.purgeFileTransferGracePeriod,
    useManifestFileShim: s.useManifestFileShim,
    externalServiceCodeLegacy: s.externalServiceCodeLegacy,
    externalServiceEditionCodeLegacy: s.externalServiceEditionCodeLegacy,
    requiredParty: s.requiredParty,
    approvedForDisabledVirusScan: s.approvedForDisabledVirusScan,
  })
  .strict()
  .superRefine(resourceSettingsRules.refine);

export const brokerSchema = z
  .object({
    name: logicalName,
    organization: orgNumberSchema.optional(),
    ...partiesFields,
    resource: storyResourceSchema,
    /** Broker's settings for the resource (only those given are managed). */
    settings: brokerSettingsSchema.default({ approvedForDisabledVirusScan: false }),
    /** The service owner's Maskinporten client (its scopes must include altinn:broker.write, .read and altinn:serviceowner). */
    client: storyClientSchema,
    subscriptions: z.array(storySubscriptionSchema).default([]),
  })
  .strict();
export type BrokerSpec = z.infer<typeof brokerSchema>;
