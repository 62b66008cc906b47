/**
 * The Resource Registry (`{altinn}/resourceregistry/api/v1`): resources, their XACML policies, and access lists
 * with members and resource connections. Every call goes through the Altinn platform client (Altinn token,
 * subscription key, error shapes).
 */
import { randomUUID } from "node:crypto";

import { AltinnApi } from "../runtime/altinn.js";
import { ApiError, type ErrorSubject } from "../runtime/errors.js";
import type { HttpResponse } from "../runtime/http.js";
import { liveAccessList, liveMember, liveResource, page, type LiveAccessList, type LiveMember, type LiveResource } from "./schemas.js";

const BASE = "/resourceregistry/api/v1";
export const RESOURCE_SCOPES = ["altinn:resourceregistry/resource.write"] as const;
export const ACCESS_LIST_SCOPES = ["altinn:resourceregistry/accesslist.read", "altinn:resourceregistry/accesslist.write"] as const;
/** The registry refuses member requests with more than this many parties. */
export const MEMBERS_PER_REQUEST = 100;

const seg = encodeURIComponent;

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Resources and policies. */
export class RegistryApi {
  private constructor(private readonly api: AltinnApi) {}

  static async forOrg(org: string | undefined, subject: ErrorSubject): Promise<RegistryApi> {
    return new RegistryApi(await AltinnApi.forOrg(org, RESOURCE_SCOPES, "Altinn Resource Registry", subject));
  }

  get orgNumber(): string {
    return this.api.orgNumber;
  }

  get environment(): string {
    return this.api.env.name;
  }

  /** One resource (its latest version), or undefined when the registry does not know it. */
  async getResource(id: string): Promise<LiveResource | undefined> {
    const req = { method: "GET" as const, path: `${BASE}/resource/${seg(id)}`, accept: [404] };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveResource);
  }

  /** POST is not idempotent (a repeat is 409): retried only on 429. */
  async createResource(body: Record<string, unknown>): Promise<void> {
    await this.api.send({
      method: "POST",
      path: `${BASE}/resource`,
      json: body,
      idempotent: false,
      hints: {
        409: "a resource with this identifier exists (or existed: the registry never frees a deleted identifier): set adopt to take it over, or choose another identifier",
      },
    });
  }

  /** A full replacement; every PUT makes a new version upstream, so callers send one only for a real change. */
  async putResource(id: string, body: Record<string, unknown>): Promise<void> {
    await this.api.send({ method: "PUT", path: `${BASE}/resource/${seg(id)}`, json: body });
  }

  /** Deletes the resource: `deleted`, `gone` (404), or `refused-in-prod` (the registry's 403 in production). */
  async deleteResource(id: string): Promise<"deleted" | "gone" | "refused-in-prod"> {
    try {
      const res = await this.api.send({ method: "DELETE", path: `${BASE}/resource/${seg(id)}`, accept: [404] });
      return res.status === 404 ? "gone" : "deleted";
    } catch (e) {
      if (e instanceof ApiError && e.status === 403 && /not allowed in PROD/i.test(e.detail ?? "")) return "refused-in-prod";
      throw e;
    }
  }

  /** The policy as stored (XACML text), or undefined when the resource has none. */
  async getPolicy(id: string): Promise<string | undefined> {
    const res = await this.api.send({ method: "GET", path: `${BASE}/resource/${seg(id)}/policy`, accept: [404] });
    return res.status === 404 ? undefined : res.text;
  }

  /** Uploads (overwrites) the policy: multipart/form-data with the file in the form field `policyFile`. */
  async putPolicy(id: string, xacml: string): Promise<void> {
    const boundary = `----altinn-onboarding-${randomUUID()}`;
    const data = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="policyFile"; filename="policy.xml"\r\nContent-Type: text/xml\r\n\r\n${xacml}\r\n--${boundary}--\r\n`,
      "utf8",
    );
    await this.api.send({
      method: "PUT",
      path: `${BASE}/resource/${seg(id)}/policy`,
      raw: { contentType: `multipart/form-data; boundary=${boundary}`, data },
      hints: {
        400: "the registry refused the policy: every rule must target this resource only (urn:altinn:resource), and the resource must exist",
        500: "the registry could not parse the policy as XACML 3.0: check a hand-written policy document",
      },
    });
  }
}

/** An access list as read: its info, the ETag of its current version, and its members. */
export interface AccessListState {
  readonly info: LiveAccessList;
  readonly etag: string | undefined;
}

/** Access lists of one owner (an Altinn org code). */
export class AccessListApi {
  private constructor(
    private readonly api: AltinnApi,
    readonly owner: string,
  ) {}

  static async forOrg(org: string | undefined, owner: string, subject: ErrorSubject): Promise<AccessListApi> {
    return new AccessListApi(await AltinnApi.forOrg(org, ACCESS_LIST_SCOPES, "Altinn Resource Registry (access lists)", subject), owner);
  }

  get orgNumber(): string {
    return this.api.orgNumber;
  }

  /** A lock key for writes to one list: they share one version upstream. */
  lockKey(id: string): string {
    return `access-list|${this.api.env.altinnUrl}|${this.owner.toLowerCase()}|${id}`;
  }

  private path(id: string, rest = ""): string {
    return `${BASE}/access-lists/${seg(this.owner)}/${seg(id)}${rest}`;
  }

  /** The list with its resource connections (and their action filters), or undefined when it does not exist. */
  async get(id: string): Promise<AccessListState | undefined> {
    const req = { method: "GET" as const, path: this.path(id), query: { include: "resource-actions" }, accept: [404] };
    const res = await this.api.send(req);
    if (res.status === 404) return undefined;
    return { info: this.api.parse(req, res, liveAccessList), etag: header(res, "etag") };
  }

  /** Creates or updates name and description. `etag` undefined: create only (`If-None-Match: *`). */
  async put(id: string, body: { name: string; description: string }, etag: string | undefined): Promise<string | undefined> {
    const res = await this.api.send({
      method: "PUT",
      path: this.path(id),
      json: body,
      headers: etag === undefined ? { "if-none-match": "*" } : { "if-match": etag },
    });
    return header(res, "etag");
  }

  async delete(id: string): Promise<void> {
    await this.api.send({ method: "DELETE", path: this.path(id), accept: [404] });
  }

  /** Every member, following the pages. */
  async members(id: string): Promise<LiveMember[]> {
    const out: LiveMember[] = [];
    const schema = page(liveMember);
    let token: string | undefined;
    for (let pages = 0; pages < 10_000; pages++) {
      const req = { method: "GET" as const, path: this.path(id, "/members"), query: token === undefined ? {} : { token } };
      const body = await this.api.json(req, schema);
      out.push(...body.data);
      const next = body.links?.next;
      if (!next) return out;
      token = new URL(next, "http://x").searchParams.get("token") ?? undefined;
      if (token === undefined) return out;
    }
    return out;
  }

  /** Adds (POST) or removes (DELETE) at most {@link MEMBERS_PER_REQUEST} members; returns the new ETag. */
  async changeMembers(
    id: string,
    method: "POST" | "DELETE",
    parties: readonly string[],
    etag: string | undefined,
  ): Promise<string | undefined> {
    if (parties.length > MEMBERS_PER_REQUEST) throw new Error(`internal: at most ${MEMBERS_PER_REQUEST} members per request`);
    const res = await this.api.send({
      method,
      path: this.path(id, "/members"),
      json: { data: parties },
      // Adding present members and removing absent ones are no-ops upstream: a repeat is safe.
      idempotent: true,
      ...(etag === undefined ? {} : { headers: { "if-match": etag } }),
      hints: { 400: "a member is not a known party (organisation number, party uuid or id) in Altinn's Register" },
    });
    return header(res, "etag");
  }

  async putConnection(id: string, resource: string, actions: readonly string[], etag: string | undefined): Promise<string | undefined> {
    const res = await this.api.send({
      method: "PUT",
      path: this.path(id, `/resource-connections/${seg(resource)}`),
      json: { actionFilters: actions },
      ...(etag === undefined ? {} : { headers: { "if-match": etag } }),
      hints: {
        400: `resource ${resource} does not exist in the registry: create it first`,
        403: `resource ${resource} belongs to another service owner: a list can only be connected to the owner's resources`,
      },
    });
    return header(res, "etag");
  }

  async deleteConnection(id: string, resource: string, etag: string | undefined): Promise<string | undefined> {
    const res = await this.api.send({
      method: "DELETE",
      path: this.path(id, `/resource-connections/${seg(resource)}`),
      accept: [404],
      ...(etag === undefined ? {} : { headers: { "if-match": etag } }),
    });
    return header(res, "etag");
  }
}

/** A failed precondition (`If-Match` no longer current): someone else changed the list. */
export function isStale(e: unknown): boolean {
  return e instanceof ApiError && e.status === 412;
}
