/** The input rules of a Broker resource's settings, with Broker's own limits (checked at preview). */
import { z } from "zod";

import { setting } from "../../runtime/environments.js";
import { inputRules } from "../../runtime/inputs.js";
import { durationSchema, durationSeconds, orgNumberSchema } from "../../runtime/validation.js";
import { resourceIdSchema } from "../../resourceregistry/model.js";

/** Broker's ceiling on a file transfer (BRO-00022): 32 × 50,000 MiB. */
export const MAX_FILE_TRANSFER_SIZE = 32 * 50_000 * 1024 * 1024;
/** In production, larger than this needs Altinn's approval to disable the virus scan (BRO-00013). */
export const VIRUS_SCAN_LIMIT = 50_000_000_000;
const DAY = 86_400;

export const resourceSettingsRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    /** The Broker resource's identifier in the Resource Registry. */
    resource: resourceIdSchema,
    maxFileTransferSize: z
      .number()
      .int()
      .positive("maxFileTransferSize is a number of bytes above 0 (BRO-00011/BRO-00012)")
      .max(MAX_FILE_TRANSFER_SIZE, `maxFileTransferSize is at most ${MAX_FILE_TRANSFER_SIZE} bytes (BRO-00022)`)
      .optional(),
    fileTransferTimeToLive: durationSchema
      .refine((d) => (durationSeconds(d) ?? 0) <= 365 * DAY, "fileTransferTimeToLive is at most 365 days (BRO-00015)")
      .optional(),
    purgeFileTransferAfterAllRecipientsConfirmed: z.boolean().optional(),
    purgeFileTransferGracePeriod: durationSchema
      .refine((d) => (durationSeconds(d) ?? 0) <= DAY, "purgeFileTransferGracePeriod is at most 24 hours (BRO-00018)")
      .optional(),
    useManifestFileShim: z.boolean().optional(),
    externalServiceCodeLegacy: z.string().min(1).optional(),
    externalServiceEditionCodeLegacy: z.number().int().positive().optional(),
    requiredParty: orgNumberSchema.optional(),
    /** Altinn has approved larger files without virus scan for this resource (needed above 50 GB in production). */
    approvedForDisabledVirusScan: z.boolean().default(false),
  }),
  (s, ctx) => {
    if (s.useManifestFileShim === true && (s.externalServiceCodeLegacy === undefined || s.externalServiceEditionCodeLegacy === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["useManifestFileShim"],
        message: "useManifestFileShim needs externalServiceCodeLegacy and externalServiceEditionCodeLegacy (BRO-00023)",
      });
    }
    const prod = (setting("environment") ?? "local").toLowerCase() === "prod";
    if (
      prod &&
      s.maxFileTransferSize !== undefined &&
      s.maxFileTransferSize > VIRUS_SCAN_LIMIT &&
      s.approvedForDisabledVirusScan !== true
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["maxFileTransferSize"],
        message:
          "in production, files above 50 GB need Altinn's approval to skip the virus scan (BRO-00013): ask Altinn, then set approvedForDisabledVirusScan: true",
      });
    }
  },
);
export type ResourceSettingsInputs = z.output<typeof resourceSettingsRules.shape>;
