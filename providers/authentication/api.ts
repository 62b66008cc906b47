/**
 * Altinn Authentication's vendor APIs (`{altinn}/authentication/api/v1`): the System Register (a vendor's
 * end-user systems) and system-user requests (a vendor asking a customer organisation for a system user).
 */
import { z } from "zod";

import { AltinnApi } from "../runtime/altinn.js";
import { ApiError, type ErrorSubject } from "../runtime/errors.js";

const BASE = "/authentication/api/v1";
export const SYSTEM_REGISTER_SCOPES = ["altinn:authentication/systemregister.write"] as const;
export const SYSTEM_USER_REQUEST_SCOPES = [
  "altinn:authentication/systemuser.request.read",
  "altinn:authentication/systemuser.request.write",
] as const;

const right = z.looseObject({
  action: z.string().nullish(),
  resource: z.array(z.looseObject({ id: z.string(), value: z.string() })).nullish(),
});

export const liveSystem = z.looseObject({
  id: z.string(),
  vendor: z.looseObject({ ID: z.string().nullish(), id: z.string().nullish() }).nullish(),
  name: z.record(z.string(), z.string()).nullish(),
  description: z.record(z.string(), z.string()).nullish(),
  rights: z.array(right).nullish(),
  accessPackages: z.array(z.looseObject({ urn: z.string() })).nullish(),
  clientId: z.array(z.string()).nullish(),
  allowedRedirectUrls: z.array(z.string()).nullish(),
  isVisible: z.boolean().nullish(),
  isDeleted: z.boolean().nullish(),
});
export type LiveSystem = z.infer<typeof liveSystem>;

export const liveRequest = z.looseObject({
  id: z.string(),
  externalRef: z.string().nullish(),
  systemId: z.string(),
  partyOrgNo: z.string(),
  rights: z.array(right).nullish(),
  accessPackages: z.array(z.looseObject({ urn: z.string() })).nullish(),
  status: z.string(),
  redirectUrl: z.string().nullish(),
  confirmUrl: z.string().nullish(),
  integrationTitle: z.string().nullish(),
});
export type LiveRequest = z.infer<typeof liveRequest>;

/** A right on a resource, as the APIs write it. */
export function rightBody(r: { resource: string; action?: string | undefined }): Record<string, unknown> {
  return { ...(r.action !== undefined ? { action: r.action } : {}), resource: [{ id: "urn:altinn:resource", value: r.resource }] };
}

/** A right as the program writes it: `{resource, action?}`. */
export function rightOf(r: z.infer<typeof right>): { resource: string; action?: string } {
  const resource = (r.resource ?? []).find((x) => x.id === "urn:altinn:resource")?.value ?? "";
  return { resource, ...(r.action ? { action: r.action } : {}) };
}

export class SystemRegisterApi {
  private constructor(private readonly api: AltinnApi) {}

  static async forOrg(org: string | undefined, subject: ErrorSubject): Promise<SystemRegisterApi> {
    return new SystemRegisterApi(await AltinnApi.forOrg(org, SYSTEM_REGISTER_SCOPES, "Altinn System Register", subject));
  }

  get orgNumber(): string {
    return this.api.orgNumber;
  }

  /** The system, deleted or not; undefined when the id was never registered. */
  async get(id: string): Promise<LiveSystem | undefined> {
    const req = { method: "GET" as const, path: `${BASE}/systemregister/vendor/${encodeURIComponent(id)}`, accept: [404] };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveSystem);
  }

  async create(body: Record<string, unknown>): Promise<void> {
    await this.api.send({
      method: "POST",
      path: `${BASE}/systemregister/vendor`,
      json: body,
      idempotent: false,
      hints: {
        400: "the System Register refused the system (the AUTH.VLD code says which rule: the id is <vendor orgno>_<name> without spaces and never used before, redirect URLs are https, a client id may belong to one system only, rights name existing delegable resources)",
        403: "the vendor organisation must be the caller, and its client needs altinn:authentication/systemregister.write (an agreement with Digdir)",
      },
    });
  }

  async put(id: string, body: Record<string, unknown>): Promise<void> {
    await this.api.send({ method: "PUT", path: `${BASE}/systemregister/vendor/${encodeURIComponent(id)}`, json: body });
  }

  async delete(id: string): Promise<void> {
    try {
      await this.api.send({ method: "DELETE", path: `${BASE}/systemregister/vendor/${encodeURIComponent(id)}`, accept: [404] });
    } catch (e) {
      // An id that is unknown (or already deleted) is answered with a validation problem: already gone.
      if (e instanceof ApiError && e.status === 400 && /SystemId|not found|does not exist/i.test(e.detail ?? "")) return;
      throw e;
    }
  }
}

export class SystemUserRequestApi {
  private constructor(private readonly api: AltinnApi) {}

  static async forOrg(org: string | undefined, subject: ErrorSubject): Promise<SystemUserRequestApi> {
    return new SystemUserRequestApi(await AltinnApi.forOrg(org, SYSTEM_USER_REQUEST_SCOPES, "Altinn system-user requests", subject));
  }

  /** Creates the request, or (idempotent upstream) answers the existing one for the same system, party and reference. */
  create(body: Record<string, unknown>): Promise<LiveRequest> {
    return this.api.json(
      {
        method: "POST",
        path: `${BASE}/systemuser/request/vendor`,
        json: body,
        idempotent: true,
        hints: {
          400: "Authentication refused the request (the AUTH code says which rule: the customer must exist, rights must be among the system's rights, the redirect URL among its allowed URLs)",
          404: "the system does not exist or belongs to another vendor (AUTH-00011)",
        },
      },
      liveRequest,
    );
  }

  async get(id: string): Promise<LiveRequest | undefined> {
    const req = { method: "GET" as const, path: `${BASE}/systemuser/request/vendor/${encodeURIComponent(id)}`, accept: [404] };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveRequest);
  }

  async byExternalRef(systemId: string, orgNo: string, externalRef: string): Promise<LiveRequest | undefined> {
    const req = {
      method: "GET" as const,
      path: `${BASE}/systemuser/request/vendor/byexternalref/${encodeURIComponent(systemId)}/${encodeURIComponent(orgNo)}/${encodeURIComponent(externalRef)}`,
      accept: [404],
    };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveRequest);
  }

  async delete(id: string): Promise<void> {
    await this.api.send({ method: "DELETE", path: `${BASE}/systemuser/request/vendor/${encodeURIComponent(id)}`, accept: [404] });
  }
}
