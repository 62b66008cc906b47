/**
 * The Digdir self-service API (`/api/v1`): clients, their JWKS, scopes and scope access. Every call carries
 * an admin token for the acting organisation; a 401 drops the cached token and retries once.
 */
import type { z } from "zod";

import { adminCredential, type AdminCredential } from "../runtime/credentials.js";
import { currentEnvironment, type Environment } from "../runtime/environments.js";
import { ApiError, type ErrorSubject } from "../runtime/errors.js";
import { ApiClient, type HttpRequest, type HttpResponse } from "../runtime/http.js";
import { forgetToken, maskinportenToken } from "../runtime/tokens.js";
import {
  liveAccess,
  liveAccessList,
  liveClient,
  liveClientList,
  liveJwks,
  liveScope,
  liveScopeList,
  liveScopeOrList,
  type LiveAccess,
  type LiveClient,
  type LiveJwk,
  type LiveScope,
} from "./schemas.js";

/** The admin scopes requested when the credential does not say which it holds. */
export const DEFAULT_ADMIN_SCOPES = ["idporten:dcr.read", "idporten:dcr.write", "idporten:scopes.write"] as const;

/** Only Digdir's admin scopes go into the admin token, whatever else the admin client may hold. */
function adminScopes(cred: AdminCredential): string[] {
  const held = cred.scopes?.filter((s) => s.startsWith("idporten:dcr") || s.startsWith("idporten:scopes"));
  return held && held.length > 0 ? held : [...DEFAULT_ADMIN_SCOPES];
}

/** A list endpoint may answer an error saying "does not have any" instead of `[]`. */
function isEmptyListError(e: unknown): boolean {
  return e instanceof ApiError && e.status !== undefined && e.status >= 400 && e.status < 500 && /does not have any/i.test(e.detail ?? "");
}

export class SelfServiceApi {
  private readonly http: ApiClient;

  private constructor(
    readonly env: Environment,
    readonly cred: AdminCredential,
    private readonly subject: ErrorSubject,
  ) {
    this.http = new ApiClient("Digdir self-service API", env.selfServiceUrl);
  }

  /** The API as the admin client of `orgNumber` (or the configured default organisation). */
  static async forOrg(orgNumber: string | undefined, subject: ErrorSubject): Promise<SelfServiceApi> {
    const env = currentEnvironment();
    return new SelfServiceApi(env, await adminCredential(orgNumber, env), subject);
  }

  get orgNumber(): string {
    return this.cred.orgNumber;
  }

  /** A copy whose errors name another resource. */
  about(subject: ErrorSubject): SelfServiceApi {
    return new SelfServiceApi(this.env, this.cred, subject);
  }

  private async send(req: Omit<HttpRequest, "token" | "subject">): Promise<HttpResponse> {
    const scopes = adminScopes(this.cred);
    const full = { ...req, subject: this.subject };
    const token = await maskinportenToken(this.env, this.cred, scopes);
    const res = await this.http.send({ ...full, token, accept: [...(req.accept ?? []), 401] });
    if (res.status !== 401 || req.accept?.includes(401)) return res;
    forgetToken(this.env, this.cred.clientId, scopes);
    const fresh = await maskinportenToken(this.env, this.cred, scopes);
    return this.http.send({ ...full, token: fresh });
  }

  private async json<S extends z.ZodType>(req: Omit<HttpRequest, "token" | "subject">, schema: S): Promise<z.infer<S>> {
    const res = await this.send(req);
    return this.http.parse({ ...req, subject: this.subject }, res, schema);
  }

  private async list<S extends z.ZodType>(req: Omit<HttpRequest, "token" | "subject">, schema: S, empty: z.infer<S>): Promise<z.infer<S>> {
    try {
      const res = await this.send(req);
      if (res.status === 404 || res.text.trim() === "") return empty;
      return this.http.parse({ ...req, subject: this.subject }, res, schema);
    } catch (e) {
      if (isEmptyListError(e)) return empty;
      throw e;
    }
  }

  // ---- clients --------------------------------------------------------------------------------------------

  listClients(inactive = false): Promise<LiveClient[]> {
    return this.list({ method: "GET", path: "/clients", query: inactive ? { inactive: true } : {} }, liveClientList, []);
  }

  /** One client, or undefined when the id is unknown. */
  async getClient(clientId: string): Promise<LiveClient | undefined> {
    const req = { method: "GET" as const, path: `/clients/${encodeURIComponent(clientId)}`, accept: [404] };
    const res = await this.send(req);
    if (res.status === 404) return undefined;
    return this.http.parse({ ...req, subject: this.subject }, res, liveClient);
  }

  /** POST is not idempotent: it is retried only on 429; the caller finds a lost creation by its marker. */
  createClient(body: Record<string, unknown>): Promise<LiveClient> {
    return this.json({ method: "POST", path: "/clients", json: body, idempotent: false }, liveClient);
  }

  putClient(clientId: string, body: Record<string, unknown>): Promise<LiveClient> {
    return this.json({ method: "PUT", path: `/clients/${encodeURIComponent(clientId)}`, json: body }, liveClient);
  }

  /** Soft delete. Already gone is success. */
  async deleteClient(clientId: string): Promise<void> {
    await this.send({ method: "DELETE", path: `/clients/${encodeURIComponent(clientId)}`, accept: [404] });
  }

  async getJwks(clientId: string): Promise<LiveJwk[]> {
    const req = { method: "GET" as const, path: `/clients/${encodeURIComponent(clientId)}/jwks`, accept: [404] };
    const res = await this.send(req);
    if (res.status === 404 || res.text.trim() === "") return [];
    return this.http.parse({ ...req, subject: this.subject }, res, liveJwks).keys ?? [];
  }

  /** Replaces the whole set (the API has no per-key operations); an empty set is a DELETE. */
  async setJwks(clientId: string, keys: readonly Record<string, unknown>[]): Promise<LiveJwk[]> {
    const path = `/clients/${encodeURIComponent(clientId)}/jwks`;
    if (keys.length === 0) {
      await this.send({ method: "DELETE", path, accept: [404] });
      return [];
    }
    // Replacing the whole set with the same set is idempotent, so it may be retried.
    const res = await this.json({ method: "POST", path, json: { keys }, idempotent: true }, liveJwks);
    return res.keys ?? [];
  }

  // ---- scopes ---------------------------------------------------------------------------------------------

  listScopes(inactive = false): Promise<LiveScope[]> {
    return this.list({ method: "GET", path: "/scopes", query: inactive ? { inactive: true } : {} }, liveScopeList, []);
  }

  /** One of the org's own scopes, active or not; undefined when there is none. */
  async getScope(name: string): Promise<LiveScope | undefined> {
    const req = { method: "GET" as const, path: "/scopes", query: { scope: name, inactive: true }, accept: [404] };
    let res: HttpResponse;
    try {
      res = await this.send(req);
    } catch (e) {
      if (isEmptyListError(e)) return undefined;
      throw e;
    }
    if (res.status === 404 || res.text.trim() === "") return undefined;
    const parsed = this.http.parse({ ...req, subject: this.subject }, res, liveScopeOrList);
    const all = Array.isArray(parsed) ? parsed : [parsed];
    return all.find((s) => scopeName(s) === name);
  }

  createScope(body: Record<string, unknown>): Promise<LiveScope> {
    return this.json({ method: "POST", path: "/scopes", json: body, idempotent: false }, liveScope);
  }

  putScope(name: string, body: Record<string, unknown>): Promise<LiveScope> {
    return this.json({ method: "PUT", path: "/scopes", query: { scope: name }, json: body }, liveScope);
  }

  async deleteScope(name: string): Promise<void> {
    await this.send({ method: "DELETE", path: "/scopes", query: { scope: name }, accept: [404] });
  }

  // ---- access ---------------------------------------------------------------------------------------------

  grant(scope: string, consumerOrg: string): Promise<LiveAccess> {
    return this.json({ method: "PUT", path: `/scopes/access/${encodeURIComponent(consumerOrg)}`, query: { scope } }, liveAccess);
  }

  async revoke(scope: string, consumerOrg: string): Promise<void> {
    await this.send({ method: "DELETE", path: `/scopes/access/${encodeURIComponent(consumerOrg)}`, query: { scope }, accept: [404] });
  }

  listAccess(scope: string): Promise<LiveAccess[]> {
    return this.list({ method: "GET", path: "/scopes/access", query: { scope, inactive: true } }, liveAccessList, []);
  }

  /** Consumer side: every scope granted to the acting org. */
  grantedToMe(): Promise<LiveAccess[]> {
    return this.list({ method: "GET", path: "/scopes/access/all", query: { inactive: false } }, liveAccessList, []);
  }

  /** Public scopes (no auth needed, but the token does no harm). */
  publicScopes(): Promise<LiveScope[]> {
    return this.list({ method: "GET", path: "/scopes/all", query: { inactive: false } }, liveScopeList, []);
  }
}

export function scopeName(s: Pick<LiveScope, "name" | "prefix" | "subscope">): string {
  if (s.name) return s.name;
  return `${s.prefix.replace(/:$/, "")}:${s.subscope}`;
}
