import { type EmulatorContext } from "../core/context.js";
import { type Handler, type Reply, type Request } from "../core/router.js";
import { type AccessTokenClaims, verifyAccessToken } from "../maskinporten/index.js";
import { DigdirFailure, digdirError } from "./errors.js";

export const DCR_READ = "idporten:dcr.read";
export const DCR_WRITE = "idporten:dcr.write";
export const DCR_MODIFY = "idporten:dcr.modify";
export const DCR_SUPPLIER = "idporten:dcr.supplier";
export const SCOPES_READ = "idporten:scopes.read";
export const SCOPES_WRITE = "idporten:scopes.write";

export interface Caller {
  readonly orgNumber: string;
  readonly scopes: ReadonlySet<string>;
  readonly claims: AccessTokenClaims;
}

export type AuthedHandler = (req: Request, caller: Caller) => Reply | Promise<Reply>;

/**
 * Wraps a self-service handler: a valid emulator-issued bearer token (401 otherwise) carrying at least one of
 * `anyOf` (403 otherwise). The caller's org is the token's `consumer.ID` (`0192:<orgno>`).
 */
export function authed(ctx: EmulatorContext, anyOf: readonly string[], handler: AuthedHandler): Handler {
  return async (req) => {
    const header = req.headers["authorization"];
    const m = typeof header === "string" ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) return digdirError(401, "Full authentication is required to access this resource");
    const claims = await verifyAccessToken(ctx, m[1] as string);
    const org = claims ? /^0192:(\d{9})$/.exec(claims.consumer.ID)?.[1] : undefined;
    if (!claims || !org) return digdirError(401, "Invalid or expired access token");
    const scopes = new Set(claims.scope.split(" "));
    if (!anyOf.some((s) => scopes.has(s))) return digdirError(403, `Access token lacks a required scope: one of ${anyOf.join(", ")}`);
    return unwrap(() => handler(req, { orgNumber: org, scopes, claims }));
  };
}

/** Runs a handler that may throw a Digdir refusal (see `refuse`). */
export async function unwrap(fn: () => Reply | Promise<Reply>): Promise<Reply> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DigdirFailure) return err.reply;
    throw err;
  }
}
