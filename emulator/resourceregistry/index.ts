// The Altinn Resource Registry under /resourceregistry/api/v1: resources, policies and access lists.
import { type EmulatorContext } from "../core/context.js";
import { type Route } from "../core/router.js";
import { accessListRoutes } from "./access-lists.js";
import { resourceRoutes } from "./resources.js";

export { RR_BASE, currentResource, resourceOwner } from "./resources.js";
export { accessListAllows } from "./access-lists.js";

export function resourceRegistryRoutes(ctx: EmulatorContext): Route[] {
  return [...resourceRoutes(ctx), ...accessListRoutes(ctx)];
}
