/**
 * `endUserSystems:` a system vendor's end-user system (reading Dialogporten and Correspondence for its customers
 * through system users): its Maskinporten client, its System Register entry, and a system-user request to each
 * customer.
 */
import { z } from "zod";

import { languageText, orgNumberSchema, systemRegistrationRules, systemUserRequestRules } from "@altinn-onboarding/providers";

import { logicalName, storyClientSchema } from "./common";

/** Scopes an end-user system's client needs (Dialogporten through a system user). */
export const END_USER_SYSTEM_SCOPES = ["digdir:dialogporten"] as const;

const sys = systemRegistrationRules.shape.shape;
const req = systemUserRequestRules.shape.shape;

export const customerSchema = z
  .object({
    organization: orgNumberSchema,
    /** Makes the request unique; change it to ask again after a rejection. Default the customer's org number. */
    externalRef: req.externalRef,
    /** Rights asked for: a subset of the system's. Default: all of the system's rights. */
    rights: req.rights.unwrap().optional(),
  })
  .strict();

export const endUserSystemSchema = z
  .object({
    name: logicalName,
    /** The vendor's org number; defaults to the manifest's `organization`. */
    vendor: orgNumberSchema.optional(),
    /** Default `<vendor>_<name>` (with '-' as '_'). Never reusable once deleted. */
    systemId: sys.systemId.optional(),
    title: languageText("title"),
    description: languageText("description"),
    /** Rights on resources (declared in this manifest, or `external: true` on the right). */
    rights: z
      .array(
        sys.rights
          .unwrap()
          .element.extend({ external: z.boolean().default(false) })
          .strict(),
      )
      .default([]),
    accessPackages: sys.accessPackages,
    redirectUrls: sys.allowedRedirectUrls,
    visible: sys.visible,
    /** The system's Maskinporten client (its scopes must include digdir:dialogporten). */
    client: storyClientSchema,
    customers: z.array(customerSchema).default([]),
    /** Protect the System Register entry (a deleted id can never be used again). Default true. */
    protect: z.boolean().default(true),
  })
  .strict();
export type EndUserSystemSpec = z.infer<typeof endUserSystemSchema>;
