// Maskinporten: discovery, the emulator's signing keys and the token endpoint, on the issuer's real paths.
import { type EmulatorContext, issuerOf } from "../core/context.js";
import { type Route, json } from "../core/router.js";
import { publicJwks } from "./access-token.js";
import { type AuthorizationDetailsHandler, tokenHandler } from "./token.js";

export { verifyAccessToken, type AccessTokenClaims } from "./access-token.js";
export { type AuthorizationDetailsHandler } from "./token.js";

export function maskinportenRoutes(ctx: EmulatorContext, authorizationDetails?: () => AuthorizationDetailsHandler | undefined): Route[] {
  return [
    {
      method: "GET",
      template: "/.well-known/oauth-authorization-server",
      handler: () =>
        json(200, {
          issuer: issuerOf(ctx),
          token_endpoint: `${ctx.origin}/token`,
          jwks_uri: `${ctx.origin}/jwk`,
          grant_types_supported: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
          token_endpoint_auth_methods_supported: ["private_key_jwt"],
          token_endpoint_auth_signing_alg_values_supported: ["RS256", "RS384", "RS512"],
          authorization_details_types_supported: ["urn:altinn:systemuser", "urn:altinn:consent"],
        }),
    },
    { method: "GET", template: "/jwk", handler: async () => json(200, await publicJwks(ctx)) },
    { method: "POST", template: "/token", handler: tokenHandler(ctx, authorizationDetails) },
  ];
}
