// Digdir's self-service API (Samarbeidsportalen "External OIDC" and "Scopes"), under /api/v1.
import { type EmulatorContext } from "../core/context.js";
import { type Route } from "../core/router.js";
import { clientRoutes } from "./clients.js";
import { jwksRoutes } from "./jwks.js";
import { scopeRoutes } from "./scopes.js";

export const DIGDIR_BASE = "/api/v1";

export function digdirRoutes(ctx: EmulatorContext): Route[] {
  return [...clientRoutes(ctx, DIGDIR_BASE), ...jwksRoutes(ctx, DIGDIR_BASE), ...scopeRoutes(ctx, DIGDIR_BASE)];
}
