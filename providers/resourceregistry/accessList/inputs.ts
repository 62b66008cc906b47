/** The input rules of an access list with its members and resource connections (check and the manifest share them). */
import { z } from "zod";

import { inputRules } from "../../runtime/inputs.js";
import { isValidOrgNumber, orgNumberSchema, setOf } from "../../runtime/validation.js";
import { actionSchema, resourceIdSchema } from "../model.js";

const ORG_URN = "urn:altinn:organization:identifier-no:";

/** A member: an organisation number (MOD11 checked), or a party URN (organisation number, party uuid or id). */
export const memberSchema = z.string().superRefine((s, ctx) => {
  const orgno = s.startsWith(ORG_URN) ? s.slice(ORG_URN.length) : /^\d+$/.test(s) ? s : undefined;
  if (orgno !== undefined) {
    if (!isValidOrgNumber(orgno)) {
      ctx.addIssue({
        code: "custom",
        message: `not a valid organisation number: ${orgno} (9 digits, MOD11 check digit with weights 3,2,7,6,5,4,3,2)`,
      });
    }
    return;
  }
  if (!/^urn:altinn:party:uuid:[0-9a-f-]{36}$/i.test(s) && !/^urn:altinn:party:id:\d+$/.test(s)) {
    ctx.addIssue({
      code: "custom",
      message:
        "a member is an organisation number, or urn:altinn:organization:identifier-no:<orgno>, urn:altinn:party:uuid:<uuid> or urn:altinn:party:id:<id>",
    });
  }
});

export const connectionSchema = z.object({
  /** The resource's identifier (a resource of the list's owner). */
  resource: resourceIdSchema,
  /** The actions the list's members get (a set); empty: every action the policy permits. */
  actions: setOf(actionSchema, "action").default([]),
});

export const accessListRules = inputRules(
  z.object({
    organization: orgNumberSchema.optional(),
    /** The owning service owner's Altinn org code (e.g. `ttd`). */
    owner: z.string().regex(/^[a-z0-9-]{2,20}$/, "owner is the service owner's Altinn org code in lower case (e.g. ttd)"),
    identifier: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,99}$/,
        "an access-list identifier is 1-100 lower-case letters, digits, '_' or '-' (e.g. godkjente-banker)",
      ),
    name: z.string().trim().min(1, "an access list needs a name"),
    description: z.string().default(""),
    members: setOf(memberSchema, "member").default([]),
    connections: z.array(connectionSchema).default([]),
    /** Take over a list that exists with this identifier (its members and connections are then set to these). */
    adopt: z.boolean().default(false),
  }),
  (l, ctx) => {
    const seen = new Map<string, number>();
    (l.connections ?? []).forEach((c, i) => {
      const first = seen.get(c.resource);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["connections", i, "resource"],
          message: `resource ${c.resource} is connected twice (also at index ${first})`,
        });
      } else {
        seen.set(c.resource, i);
      }
    });
  },
);
export type AccessListInputs = z.output<typeof accessListRules.shape>;
