/**
 * Client key material, generated inside the provider with jose. A key's `kid` is `<owner prefix><thumbprint>`:
 * the owner prefix (`iac-<12 characters>.`) is derived from the client's marker, so a later run recognises a key
 * this program registered even when its private half never reached state (a run killed between registering the
 * key and the engine saving it) and removes it instead of keeping it as a key registered by someone else. The
 * rest is the RFC 7638 thumbprint of the public key: unique and stable. Only base64url characters and `.` and
 * `-`, which Digdir allows (letters, digits and `._-`). Keys made before this scheme have the bare thumbprint.
 */
import { createHash } from "node:crypto";

import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";

import type { RegisteredJwk } from "./plan.js";

export interface GeneratedKey {
  readonly kid: string;
  /** Public members only (kty, n, e) plus kid, alg and use. */
  readonly publicJwk: RegisteredJwk;
  /** The private JWK as JSON text. A secret: only ever returned as a secret output. */
  readonly privateJwk: string;
}

/** The kid prefix of the keys this program registers on the client with `marker`. */
export function kidPrefixOf(marker: string): string {
  return `iac-${createHash("sha256").update(marker, "utf8").digest("base64url").slice(0, 12)}.`;
}

export async function generateClientKey(kidPrefix = "", modulusLength = 2048): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength, extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = kidPrefix + (await calculateJwkThumbprint({ kty: "RSA", n: pub.n ?? "", e: pub.e ?? "" }, "sha256"));
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
