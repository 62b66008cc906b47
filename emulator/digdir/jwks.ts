// /api/v1/clients/{id}/jwks: whole-set key registration (spec §4).
import { createPublicKey } from "node:crypto";
import { z } from "zod";
import { type EmulatorContext } from "../core/context.js";
import { type Route, json } from "../core/router.js";
import { type StoredJwk, nowIso } from "../core/state.js";
import { DCR_MODIFY, DCR_READ, DCR_WRITE, authed } from "./auth.js";
import { ownClient } from "./clients.js";
import { type FieldError, refuse } from "./errors.js";
import { parseBody } from "./validation.js";

export const MAX_KEYS = 5;
const ONE_YEAR_SEC = 365 * 24 * 60 * 60;
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

const jwkSchema = z.looseObject({
  kid: z.string().regex(/^[A-Za-z0-9._-]+$/, "kid may contain letters, digits and . _ -"),
  kty: z.literal("RSA"),
  alg: z.enum(["RS256", "RS384", "RS512"]),
  use: z.literal("sig", 'use must be "sig"'),
  n: z.string().min(1),
  e: z.string().min(1),
  exp: z.number().int().positive().optional(),
  x5c: z.array(z.string()).optional(),
});
const setSchema = z.looseObject({ keys: z.array(jwkSchema) });

export function jwksRoutes(ctx: EmulatorContext, base: string): Route[] {
  const write = authed(ctx, [DCR_WRITE, DCR_MODIFY], (req, caller) => {
    const entry = ownClient(ctx, caller, req.params["clientId"] as string);
    const body = parseBody(req, setSchema, "Jwks");
    const errors: FieldError[] = [];
    if (body.keys.length === 0)
      errors.push({ field: "keys", message: "keys must not be empty; use DELETE to remove all keys", objectName: "Jwks" });
    if (body.keys.length > MAX_KEYS) errors.push({ field: "keys", message: `at most ${MAX_KEYS} keys per client`, objectName: "Jwks" });
    const kids = body.keys.map((k) => k.kid);
    if (new Set(kids).size !== kids.length)
      errors.push({ field: "keys", message: "kid must be unique within the client", objectName: "Jwks" });
    const nowSec = Math.floor(Date.now() / 1000);
    const keys: StoredJwk[] = [];
    body.keys.forEach((k, i) => {
      const field = `keys[${i}]`;
      if (PRIVATE_MEMBERS.some((m) => m in k)) {
        // Never echo or store private key material.
        errors.push({ field, message: "private key members are not accepted; register the public key only", objectName: "Jwks" });
        return;
      }
      try {
        const bits = createPublicKey({ key: { kty: "RSA", n: k.n, e: k.e }, format: "jwk" }).asymmetricKeyDetails?.modulusLength ?? 0;
        if (bits < 2048) errors.push({ field, message: `RSA keys must be at least 2048 bits (got ${bits})`, objectName: "Jwks" });
      } catch {
        errors.push({ field, message: "n/e do not form a valid RSA public key", objectName: "Jwks" });
        return;
      }
      if (k.exp !== undefined && k.exp <= nowSec) errors.push({ field: `${field}.exp`, message: "exp is in the past", objectName: "Jwks" });
      const exp = Math.min(k.exp ?? nowSec + ONE_YEAR_SEC, nowSec + ONE_YEAR_SEC);
      keys.push({ kid: k.kid, kty: k.kty, alg: k.alg, use: k.use, n: k.n, e: k.e, exp, ...(k.x5c ? { x5c: k.x5c } : {}) });
    });
    if (errors.length > 0) refuse(400, [], errors);
    const now = nowIso();
    entry.jwks = { keys, created: entry.jwks?.created ?? now, last_updated: now };
    return json(200, entry.jwks);
  });
  return [
    {
      method: "GET",
      template: `${base}/clients/:clientId/jwks`,
      handler: authed(ctx, [DCR_READ], (req, caller) => {
        const entry = ownClient(ctx, caller, req.params["clientId"] as string);
        if (!entry.jwks || entry.jwks.keys.length === 0) {
          if (ctx.options.emptyJwks404) refuse(404, `Client ${entry.client.client_id} has no registered keys`);
          const now = nowIso();
          return json(200, { keys: [], created: entry.jwks?.created ?? now, last_updated: entry.jwks?.last_updated ?? now });
        }
        return json(200, entry.jwks);
      }),
    },
    { method: "POST", template: `${base}/clients/:clientId/jwks`, mutates: true, handler: write },
    { method: "PUT", template: `${base}/clients/:clientId/jwks`, mutates: true, handler: write },
    {
      method: "DELETE",
      template: `${base}/clients/:clientId/jwks`,
      mutates: true,
      handler: authed(ctx, [DCR_WRITE, DCR_MODIFY], (req, caller) => {
        const entry = ownClient(ctx, caller, req.params["clientId"] as string);
        entry.jwks = null;
        return { status: 200 };
      }),
    },
  ];
}
