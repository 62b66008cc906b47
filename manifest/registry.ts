/** What the Correspondence and Broker sections share: the resource they publish, its policy and its parties. */
import { z } from "zod";

import { orgNumberSchema, policyRuleSchema, resourceRules, setOf } from "@altinn-onboarding/providers";

const r = resourceRules.shape.shape;

/** The service resource of a story (its type is the story's: CorrespondenceService or BrokerService). */
export const storyResourceSchema = z
  .object({
    identifier: r.identifier,
    title: r.title,
    description: r.description,
    rightDescription: r.rightDescription,
    /** Default `Enabled` when the story has recipients: only its access lists' members have access. */
    accessListMode: r.accessListMode.unwrap().optional(),
    contactPoints: r.contactPoints,
    resourceReferences: r.resourceReferences,
    delegable: r.delegable,
    visible: r.visible,
    availableForType: r.availableForType,
    status: r.status,
    keywords: r.keywords,
    homepage: r.homepage,
    /** Take over a resource that exists with this identifier. */
    adopt: r.adopt,
  })
  .strict();
export type StoryResourceSpec = z.infer<typeof storyResourceSchema>;

/** The parties and rules of a service: who sends, who receives, and how the policy is written. */
export const partiesFields = {
  /** The service owner's Altinn org code (e.g. `ttd`). */
  orgCode: z.string().regex(/^[a-z0-9-]{2,20}$/, "orgCode is the service owner's Altinn org code in lower case"),
  /** Receiving organisations: members of the recipients' access list, and named in the policy. */
  recipients: setOf(orgNumberSchema, "recipient").default([]),
  /** Other organisations that may send (the service owner always may). */
  senders: setOf(orgNumberSchema, "sender").default([]),
  /** Roles of persons who may read for a recipient. Default DAGL. */
  recipientRoles: setOf(z.string().regex(/^[A-Za-z0-9]+$/, "a role code such as DAGL"), "role").default(["DAGL"]),
  /** Access packages whose holders (persons, system users) may read for a recipient (slugs). */
  recipientAccessPackages: setOf(z.string().regex(/^[a-z0-9-]+$/, "an access package slug"), "access package").default([]),
  /** Minimum authentication level for persons (policy obligation). */
  minimumAuthenticationLevel: z.number().int().min(0).max(4).optional(),
  /** Your own rules instead of the ready-made set (same shape as AltinnResourcePolicy's rules). */
  policyRules: z.array(policyRuleSchema).min(1).optional(),
  /** A hand-written XACML file instead (relative to the project); read by the program. */
  policyFile: z.string().min(1).optional(),
};
