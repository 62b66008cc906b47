/**
 * zod schemas of what the Resource Registry answers. Loose objects: fields the program does not manage are kept,
 * so a full PUT of a resource sends back what the registry gave.
 */
import { z } from "zod";

const texts = z.record(z.string(), z.string().nullish()).nullish();

export const liveResource = z.looseObject({
  identifier: z.string(),
  title: texts,
  description: texts,
  rightDescription: texts,
  resourceType: z.union([z.string(), z.number()]).nullish(),
  accessListMode: z.union([z.string(), z.number()]).nullish(),
  contactPoints: z.array(z.looseObject({})).nullish(),
  hasCompetentAuthority: z.looseObject({ organization: z.string().nullish(), orgcode: z.string().nullish(), name: texts }).nullish(),
  resourceReferences: z.array(z.looseObject({})).nullish(),
  delegable: z.boolean().nullish(),
  visible: z.boolean().nullish(),
  availableForType: z.array(z.union([z.string(), z.number()])).nullish(),
  status: z.string().nullish(),
  keywords: z.array(z.looseObject({})).nullish(),
  homepage: z.string().nullish(),
  versionId: z.number().nullish(),
});
export type LiveResource = z.infer<typeof liveResource>;

export const liveConnection = z.looseObject({
  resourceIdentifier: z.string(),
  actionFilters: z.array(z.string()).nullish(),
});

export const liveAccessList = z.looseObject({
  identifier: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  urn: z.string().nullish(),
  resourceConnections: z.array(liveConnection).nullish(),
});
export type LiveAccessList = z.infer<typeof liveAccessList>;

export const liveMember = z.looseObject({
  id: z.string(),
  identifiers: z.record(z.string(), z.union([z.string(), z.number()])).nullish(),
});
export type LiveMember = z.infer<typeof liveMember>;

/** A page of a paginated list: `{links: {next}, data: [...]}`. */
export function page<S extends z.ZodType>(item: S) {
  return z.looseObject({ links: z.looseObject({ next: z.string().nullish() }).nullish(), data: z.array(item) });
}
