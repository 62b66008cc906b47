/** The input rules of a Resource Registry resource (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { orgNumberSchema } from "../../runtime/validation.js";
import {
  ACCESS_LIST_MODES,
  PARTY_TYPES,
  REFERENCE_SOURCES,
  REFERENCE_TYPES,
  RESOURCE_TYPES,
  languageText,
  resourceIdSchema,
} from "../model.js";

export const contactPointSchema = z.object({
  category: z.string().min(1, "a contact point needs a category (e.g. Support)"),
  email: z.string().default(""),
  telephone: z.string().default(""),
  contactPage: z.string().default(""),
});

export const referenceSchema = z.object({
  referenceSource: z.enum(REFERENCE_SOURCES),
  reference: z.string().min(1),
  referenceType: z.enum(REFERENCE_TYPES),
});

export const resourceRules = inputRules(
  z.object({
    /** The organisation whose credentials act; default: the owner in `hasCompetentAuthority`. */
    organization: orgNumberSchema.optional(),
    identifier: resourceIdSchema,
    title: languageText("title"),
    description: languageText("description"),
    rightDescription: languageText("rightDescription").optional(),
    resourceType: z.enum(RESOURCE_TYPES, { error: `resourceType is one of ${RESOURCE_TYPES.join(", ")}` }),
    accessListMode: z.enum(ACCESS_LIST_MODES).default("Disabled"),
    contactPoints: z.array(contactPointSchema).optional(),
    hasCompetentAuthority: z.object({
      organization: orgNumberSchema.optional(),
      orgcode: z.string().regex(/^[a-z0-9-]{2,20}$/, "orgcode is the owner's Altinn service-owner code in lower case (e.g. ttd)"),
      name: languageText("hasCompetentAuthority.name").optional(),
    }),
    resourceReferences: z.array(referenceSchema).optional(),
    delegable: z.boolean().default(true),
    visible: z.boolean().default(true),
    availableForType: z.array(z.enum(PARTY_TYPES)).optional(),
    status: z.string().optional(),
    keywords: z.array(z.object({ word: z.string().min(1), language: z.enum(["en", "nb", "nn"]) })).optional(),
    homepage: z.url({ protocol: /^https?$/ }).optional(),
    /** Take over a resource that exists with this identifier (instead of failing). */
    adopt: z.boolean().default(false),
  }),
  (r, ctx) => {
    if (r.delegable !== false && r.rightDescription === undefined && r.identifier !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["rightDescription"],
        message: "a delegable resource needs rightDescription in en, nb and nn (or set delegable: false)",
      });
    }
    if (
      r.hasCompetentAuthority !== undefined &&
      r.hasCompetentAuthority.organization === undefined &&
      r.hasCompetentAuthority.orgcode !== "ttd"
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["hasCompetentAuthority", "organization"],
        message: "the owner's organisation number is required (only orgcode ttd may leave it out)",
      });
    }
    const id = r.identifier;
    if (id !== undefined && r.resourceType !== undefined) {
      if (id.startsWith("app_") && r.resourceType !== "AltinnApp" && r.resourceType !== "MigratedApp") {
        ctx.addIssue({
          code: "custom",
          path: ["identifier"],
          message: "the prefix app_ is reserved for resourceType AltinnApp and MigratedApp",
        });
      }
      const refs = r.resourceReferences ?? [];
      if (
        id.startsWith("se_") &&
        !(refs.some((x) => x.referenceType === "ServiceCode") && refs.some((x) => x.referenceType === "ServiceEditionCode"))
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["resourceReferences"],
          message: "an identifier starting with se_ needs ServiceCode and ServiceEditionCode references",
        });
      }
      if (r.resourceType === "MaskinportenSchema" && !refs.some((x) => x.referenceType === "MaskinportenScope")) {
        ctx.addIssue({
          code: "custom",
          path: ["resourceReferences"],
          message: "a MaskinportenSchema resource needs a reference of referenceType MaskinportenScope",
        });
      }
    }
  },
);
export type ResourceInputs = z.output<typeof resourceRules.shape>;
