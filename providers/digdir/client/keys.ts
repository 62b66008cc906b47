/**
 * Client key material, generated inside the provider with jose. The `kid` is the RFC 7638 thumbprint of the
 * public key: unique, stable, and made only of base64url characters (Digdir allows letters, digits and `._-`).
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";

import type { RegisteredJwk } from "./plan.js";

export interface GeneratedKey {
  readonly kid: string;
  /** Public members only (kty, n, e) plus kid, alg and use. */
  readonly publicJwk: RegisteredJwk;
  /** The private JWK as JSON text. A secret: only ever returned as a secret output. */
  readonly privateJwk: string;
}

export async function generateClientKey(modulusLength = 2048): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength, extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint({ kty: "RSA", n: pub.n ?? "", e: pub.e ?? "" }, "sha256");
  const publicJwk: RegisteredJwk = { kty: "RSA", n: pub.n, e: pub.e, kid, alg: "RS256", use: "sig" };
  const priv = await exportJWK(privateKey);
  return { kid, publicJwk, privateJwk: JSON.stringify({ ...priv, kid, alg: "RS256", use: "sig" }) };
}

/** The public half of a private JWK (JSON text), as registered: kty, n, e, kid, alg and use. */
export function publicJwkOf(privateJwk: string): RegisteredJwk | undefined {
  try {
    const { kty, n, e, kid, alg } = JSON.parse(privateJwk) as Record<string, unknown>;
    if (typeof kid !== "string") return undefined;
    return { kty, n, e, kid, alg: typeof alg === "string" ? alg : "RS256", use: "sig" };
  } catch {
    return undefined;
  }
}
