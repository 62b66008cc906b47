/** Broker (Formidling) configuration: the service owner and per-resource settings (`{altinn}/broker/api/v1`). */
import { z } from "zod";

import { AltinnApi } from "../runtime/altinn.js";
import { ApiError, type ErrorSubject } from "../runtime/errors.js";

const BASE = "/broker/api/v1";
export const BROKER_CONFIG_SCOPES = ["altinn:serviceowner"] as const;

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** `GET serviceowner`: camelCase in ASP.NET's defaults, PascalCase in Broker's own Bruno test; both are read. */
export const liveServiceOwner = z.record(z.string(), z.unknown()).transform((o) => {
  const pick = (k: string): unknown => o[k] ?? o[k.charAt(0).toUpperCase() + k.slice(1)];
  const providers = (pick("storageProviders") as unknown[] | undefined) ?? [];
  return {
    name: typeof pick("name") === "string" ? (pick("name") as string) : "",
    storageProviders: providers.map((p) => {
      const r = (p ?? {}) as Record<string, unknown>;
      const get = (k: string): string => String(r[k] ?? r[k.charAt(0).toUpperCase() + k.slice(1)] ?? "");
      return { type: get("type"), deploymentStatus: get("deploymentStatus"), deploymentEnvironment: get("deploymentEnvironment") };
    }),
  };
});
export type LiveServiceOwner = z.infer<typeof liveServiceOwner>;

export const liveResourceSettings = loose({
  maxFileTransferSize: z.number().nullish(),
  fileTransferTimeToLive: z.string().nullish(),
  purgeFileTransferAfterAllRecipientsConfirmed: z.boolean().nullish(),
  purgeFileTransferGracePeriod: z.string().nullish(),
  useManifestFileShim: z.boolean().nullish(),
  externalServiceCodeLegacy: z.string().nullish(),
  externalServiceEditionCodeLegacy: z.number().nullish(),
  requiredParty: z.string().nullish(),
});
export type LiveResourceSettings = z.infer<typeof liveResourceSettings>;

export class BrokerApi {
  private constructor(private readonly api: AltinnApi) {}

  static async forOrg(org: string | undefined, subject: ErrorSubject): Promise<BrokerApi> {
    return new BrokerApi(await AltinnApi.forOrg(org, BROKER_CONFIG_SCOPES, "Altinn Broker", subject));
  }

  get orgNumber(): string {
    return this.api.orgNumber;
  }

  /** The organisation's service-owner record, or undefined before it is initialised (404 BRO-07004). */
  async getServiceOwner(): Promise<LiveServiceOwner | undefined> {
    const req = { method: "GET" as const, path: `${BASE}/serviceowner`, accept: [404] };
    const res = await this.api.send(req);
    return res.status === 404 ? undefined : this.api.parse(req, res, liveServiceOwner);
  }

  /** Initialises the service owner; `false` when Broker says it already exists (409 BRO-07002). */
  async initServiceOwner(name: string): Promise<boolean> {
    const res = await this.api.send({
      method: "POST",
      path: `${BASE}/serviceowner`,
      json: { name },
      idempotent: false,
      accept: [409],
      hints: { 403: "the organisation's client needs altinn:serviceowner, and the organisation must be an Altinn service owner" },
    });
    return res.status !== 409;
  }

  /** The resource's settings, or undefined when Broker has none (400 BRO-00025 "not configured"). */
  async getResource(id: string): Promise<LiveResourceSettings | undefined> {
    try {
      return await this.api.json({ method: "GET", path: `${BASE}/resource/${encodeURIComponent(id)}` }, liveResourceSettings);
    } catch (e) {
      if (e instanceof ApiError && (e.code === "BRO-00025" || e.status === 404)) return undefined;
      throw e;
    }
  }

  /** A partial upsert: fields left out (or null) stay as they are. */
  async putResource(id: string, body: Record<string, unknown>): Promise<void> {
    await this.api.send({
      method: "PUT",
      path: `${BASE}/resource/${encodeURIComponent(id)}`,
      json: body,
      hints: {
        400: "Broker refused the settings (the code says which rule), or the service owner is not initialised (BRO-00024): declare a BrokerServiceOwner first",
        401: "the organisation is not the resource's owner in the Resource Registry (BRO-00006)",
        403: "the resource does not exist in the Resource Registry, or has no owner (BRO-00005): create it first",
      },
    });
  }
}
