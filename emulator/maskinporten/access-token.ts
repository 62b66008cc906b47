import { randomUUID } from "node:crypto";
import * as jose from "jose";
import { type EmulatorContext, issuerOf } from "../core/context.js";

export interface AccessTokenClaims {
  scope: string;
  iss: string;
  client_amr: "private_key_jwt" | "virksomhetssertifikat";
  token_type: "Bearer";
  exp: number;
  iat: number;
  client_id: string;
  jti: string;
  consumer: { authority: "iso6523-actorid-upis"; ID: string };
  supplier?: { authority: "iso6523-actorid-upis"; ID: string };
  delegation_source?: string;
  aud?: string | string[];
  pid?: string;
  authorization_details?: unknown[];
}

export function orgClaim(orgNumber: string): { authority: "iso6523-actorid-upis"; ID: string } {
  return { authority: "iso6523-actorid-upis", ID: `0192:${orgNumber}` };
}

export async function issueAccessToken(
  ctx: EmulatorContext,
  claims: Omit<AccessTokenClaims, "iss" | "token_type" | "jti" | "iat" | "exp">,
  lifetimeSec: number,
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const full: AccessTokenClaims = { ...claims, iss: issuerOf(ctx), token_type: "Bearer", iat, exp: iat + lifetimeSec, jti: randomUUID() };
  // The header of a real Maskinporten access token is exactly {kid, alg} (spec §6): no `typ`.
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(full)))
    .setProtectedHeader({ alg: "RS256", kid: ctx.pki.signingKid })
    .sign(ctx.pki.signingKey);
}

/** Verifies an access token issued by this emulator (signature, issuer, expiry); undefined when it is not valid. */
export async function verifyAccessToken(ctx: EmulatorContext, token: string): Promise<AccessTokenClaims | undefined> {
  try {
    const { payload } = await jose.jwtVerify(token, ctx.pki.signingPublicKey, { issuer: issuerOf(ctx), algorithms: ["RS256"] });
    const claims = payload as unknown as AccessTokenClaims;
    if (typeof claims.scope !== "string" || typeof claims.consumer?.ID !== "string" || typeof claims.client_id !== "string")
      return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

export async function publicJwks(ctx: EmulatorContext): Promise<{ keys: jose.JWK[] }> {
  const jwk = await jose.exportJWK(ctx.pki.signingPublicKey);
  return { keys: [{ ...jwk, kid: ctx.pki.signingKid, alg: "RS256", use: "sig" }] };
}
