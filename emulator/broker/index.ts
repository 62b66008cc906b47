// Altinn Broker (Formidling): service-owner initialisation and per-resource settings
// (shared/specs/altinn-events-broker-dialogporten.md §2).
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route } from "../core/router.js";
import { type BrokerResource } from "../core/state.js";
import { type AltinnCaller, altinnHandler, requireScope } from "../altinn/auth.js";
import { type JsonObject, prop, readObject } from "../altinn/body.js";
import { aspnetProblem, fail, rfcType, traceId } from "../altinn/errors.js";
import { currentResource, resourceOwner } from "../resourceregistry/index.js";

export const BROKER_BASE = "/broker/api/v1";
const SERVICE_OWNER_SCOPE = "altinn:serviceowner";
const VIRUS_SCAN_LIMIT = 50_000_000_000;
const MAX_SIZE = 32 * 50000 * 1024 * 1024;
const DAY_MS = 86_400_000;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  503: "Service Unavailable",
};

/** Broker's `ProblemDetailsHelper.ToProblemResult`: an Altinn problem whose type/title are the RFC ones, `detail` the message, `code` `BRO-NNNNN`. */
export function broError(status: number, code: string, detail: string): Reply {
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: {
      type: rfcType(status),
      title: TITLES[status] ?? "Error",
      status,
      detail,
      code,
      traceId: traceId(),
      statusDescription: TITLES[status] ?? "",
    },
  };
}

/** `Errors` of Broker's application layer, with their exact messages. */
export const BROKER_ERRORS = {
  FileTransferNotFound: [404, "BRO-00001", "The requested file transfer was not found"],
  ServiceOwnerNotConfigured: [400, "BRO-00002", "Service owner needs to be configured to use the broker API"],
  InvalidResourceDefinition: [
    403,
    "BRO-00005",
    "The resource needs to be registered as an Altinn 3 resource and it has to be associated with a service owner",
  ],
  NoAccessToResource: [
    401,
    "BRO-00006",
    "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry",
  ],
  MaxUploadSizeCannotBeNegative: [400, "BRO-00011", "Max file transfer size cannot be negative"],
  MaxUploadSizeCannotBeZero: [400, "BRO-00012", "Max file transfer size cannot be zero"],
  MaxUploadSizeForVirusScan: [
    400,
    "BRO-00013",
    "Max file transfer size cannot be set higher than 50GB in production unless the resource has been pre-approved for disabled virus scan. Contact us @ Slack.",
  ],
  InvalidTimeToLiveFormat: [
    400,
    "BRO-00014",
    "Invalid file transfer time to live format. Should follow ISO8601 standard for duration. Example: 'P30D' for 30 days.",
  ],
  TimeToLiveCannotExceed365Days: [400, "BRO-00015", "Time to live cannot exceed 365 days"],
  InvalidGracePeriodFormat: [
    400,
    "BRO-00017",
    "Invalid grace period format. Should follow ISO8601 standard for duration. Example: 'PT2H' for 2 hours.",
  ],
  GracePeriodCannotExceed24Hours: [400, "BRO-00018", "Grace period cannot exceed 24 hours"],
  StorageProviderNotReady: [503, "BRO-00021", "Storage provider is not ready yet. Please try again later."],
  MaxUploadSizeOverGlobal: [
    400,
    "BRO-00022",
    "Max file transfer size cannot be set higher than 100GB in production because it has not yet been tested for it. Contact us @ Slack if you need it.",
  ],
  NeedServiceCodeForManifestShim: [
    400,
    "BRO-00023",
    "In order to use manifest file shim you need to provide external service code and edition code",
  ],
  ServiceOwnerHasNotBeenConfigured: [400, "BRO-00024", "The service owner associated with the resource has not been configured."],
  ResourceHasNotBeenConfigured: [400, "BRO-00025", "The resource has not been configured."],
  RequiredPartyNotSpecified: [400, "BRO-00026", "The resource requires the service owner party to be present as part of the transaction."],
  RequiredPartyInvalidRecipientConfiguration: [
    400,
    "BRO-00027",
    "When required party is specified and the required party is not the sender, the number of recipients can only be one.",
  ],
  RecipientNotInAccessList: [400, "BRO-00028", "All recipients need to be in the access list of the resource."],
  ServiceOwnerAlreadyExists: [409, "BRO-07002", "Service owner already exists"],
  ServiceOwnerNotFound: [404, "BRO-07004", "Service owner not found"],
} as const satisfies Record<string, readonly [number, string, string]>;

export function brokerError(name: keyof typeof BROKER_ERRORS): Reply {
  const [status, code, message] = BROKER_ERRORS[name];
  return broError(status, code, message);
}

/** The caller's org: system user org, then `urn:altinn:orgNumber`, then `consumer` (callerOf reads the last two). */
function callerOrg(caller: AltinnCaller): string {
  return caller.systemUser?.orgNumber ?? caller.orgNumber;
}

/** ISO-8601 duration as XmlConvert.ToTimeSpan reads it (a year is 365 days, a month 30); milliseconds, or undefined. */
export function parseIsoDuration(s: string): number | undefined {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(s);
  if (!m || s.endsWith("P") || s.endsWith("T")) return undefined;
  const [, neg, y, mo, d, h, mi, sec] = m;
  const ms =
    ((Number(y ?? 0) * 365 + Number(mo ?? 0) * 30 + Number(d ?? 0)) * 24 * 3600 +
      Number(h ?? 0) * 3600 +
      Number(mi ?? 0) * 60 +
      Number(sec ?? 0)) *
    1000;
  return neg ? -ms : ms;
}

/** .NET `TimeSpan.ToString()`: `[-][d.]hh:mm:ss[.fffffff]`. */
export function timeSpan(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  const days = Math.floor(rest / DAY_MS);
  rest -= days * DAY_MS;
  const p2 = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(rest / 3_600_000);
  const mi = Math.floor((rest % 3_600_000) / 60_000);
  const s = Math.floor((rest % 60_000) / 1000);
  const frac = rest % 1000;
  return `${sign}${days > 0 ? `${days}.` : ""}${p2(h)}:${p2(mi)}:${p2(s)}${frac > 0 ? `.${String(frac * 10_000).padStart(7, "0")}` : ""}`;
}

function deploymentStatus(ctx: EmulatorContext, createdAtMs: number): string {
  const delay = altinnSettings(ctx).brokerDeployMs;
  const elapsed = Date.now() - createdAtMs;
  if (elapsed >= delay) return "Ready";
  return elapsed < delay / 3 ? "NotStarted" : "DeployingResources";
}

function resourceView(r: BrokerResource): JsonObject {
  return {
    maxFileTransferSize: r.maxFileTransferSize,
    fileTransferTimeToLive: r.fileTransferTimeToLive,
    purgeFileTransferAfterAllRecipientsConfirmed: r.purgeFileTransferAfterAllRecipientsConfirmed,
    purgeFileTransferGracePeriod: r.purgeFileTransferGracePeriod,
    useManifestFileShim: r.useManifestFileShim,
    externalServiceCodeLegacy: r.externalServiceCodeLegacy,
    externalServiceEditionCodeLegacy: r.externalServiceEditionCodeLegacy,
    requiredParty: r.requiredParty,
  };
}

function typed<T>(body: JsonObject, name: string, check: (v: unknown) => v is T, what: string): T | undefined {
  const v = prop(body, name);
  if (v === undefined || v === null) return undefined;
  if (!check(v)) fail(aspnetProblem(400, { [`$.${name}`]: [`The JSON value could not be converted to ${what}.`] }));
  return v;
}
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const isBool = (v: unknown): v is boolean => typeof v === "boolean";

/** The configured record, or the owner checks of a first PUT against the Resource Registry. */
function ownedResource(ctx: EmulatorContext, id: string, org: string): BrokerResource | undefined {
  const existing = ctx.store.state.brokerResources[id];
  const owner =
    existing?.ownerOrgNumber ??
    (() => {
      const rr = currentResource(ctx, id);
      const o = rr ? resourceOwner(ctx, rr) : undefined;
      if (!o) fail(brokerError("InvalidResourceDefinition"));
      return o;
    })();
  // Not the owner: 401, not 403 (Broker's choice).
  if (owner !== org) fail(brokerError("NoAccessToResource"));
  return existing;
}

function configure(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  requireScope(caller, [SERVICE_OWNER_SCOPE]);
  const id = req.params["resourceId"] as string;
  const org = callerOrg(caller);
  const existing = ownedResource(ctx, id, org);
  // Only a first configuration (no Broker record yet) asks whether the resource's service owner is set up.
  if (!existing && !ctx.store.state.brokerServiceOwners[org]) return brokerError("ServiceOwnerHasNotBeenConfigured");
  const body = readObject(req);
  const size = typed(body, "maxFileTransferSize", isNum, "System.Int64");
  const ttl = typed(body, "fileTransferTimeToLive", isStr, "System.String");
  const purge = typed(body, "purgeFileTransferAfterAllRecipientsConfirmed", isBool, "System.Boolean");
  const grace = typed(body, "purgeFileTransferGracePeriod", isStr, "System.String");
  const shim = typed(body, "useManifestFileShim", isBool, "System.Boolean");
  const code = typed(body, "externalServiceCodeLegacy", isStr, "System.String");
  const edition = typed(body, "externalServiceEditionCodeLegacy", isNum, "System.Int32");
  const requiredParty = typed(body, "requiredParty", isStr, "System.String");
  // The model-level attribute on the shim: true with an empty code or edition 0 in the body.
  if (shim === true && ((code !== undefined && code.trim() === "") || edition === 0))
    return aspnetProblem(400, {
      UseManifestFileShim: ["The manifest file shim needs externalServiceCodeLegacy and externalServiceEditionCodeLegacy"],
    });

  if (size !== undefined) {
    if (size < 0) return brokerError("MaxUploadSizeCannotBeNegative");
    if (size === 0) return brokerError("MaxUploadSizeCannotBeZero");
    if (altinnSettings(ctx).environment === "prod" && size > VIRUS_SCAN_LIMIT) return brokerError("MaxUploadSizeForVirusScan");
    if (size > MAX_SIZE) return brokerError("MaxUploadSizeOverGlobal");
  }
  let ttlMs: number | undefined;
  if (ttl !== undefined) {
    ttlMs = parseIsoDuration(ttl);
    if (ttlMs === undefined) return brokerError("InvalidTimeToLiveFormat");
    if (ttlMs > 365 * DAY_MS) return brokerError("TimeToLiveCannotExceed365Days");
  }
  let graceMs: number | undefined;
  if (grace !== undefined) {
    graceMs = parseIsoDuration(grace);
    if (graceMs === undefined) return brokerError("InvalidGracePeriodFormat");
    if (graceMs > DAY_MS) return brokerError("GracePeriodCannotExceed24Hours");
  }
  if (
    shim === true &&
    ((existing?.externalServiceCodeLegacy ?? code ?? null) === null ||
      (existing?.externalServiceEditionCodeLegacy ?? edition ?? null) === null)
  )
    return brokerError("NeedServiceCodeForManifestShim");

  const r: BrokerResource = existing ?? {
    resourceId: id,
    ownerOrgNumber: org,
    maxFileTransferSize: null,
    fileTransferTimeToLive: null,
    purgeFileTransferAfterAllRecipientsConfirmed: true,
    purgeFileTransferGracePeriod: null,
    useManifestFileShim: false,
    externalServiceCodeLegacy: null,
    externalServiceEditionCodeLegacy: null,
    requiredParty: null,
  };
  // Partial update: null or missing leaves a field unchanged.
  if (size !== undefined) r.maxFileTransferSize = size;
  if (ttlMs !== undefined) r.fileTransferTimeToLive = timeSpan(ttlMs);
  if (purge !== undefined) r.purgeFileTransferAfterAllRecipientsConfirmed = purge;
  if (graceMs !== undefined) r.purgeFileTransferGracePeriod = timeSpan(graceMs);
  if (shim !== undefined) r.useManifestFileShim = shim;
  if (code !== undefined) r.externalServiceCodeLegacy = code;
  if (edition !== undefined) r.externalServiceEditionCodeLegacy = edition;
  if (requiredParty !== undefined) r.requiredParty = requiredParty;
  ctx.store.state.brokerResources[id] = r;
  return { status: 200 };
}

export function brokerRoutes(ctx: EmulatorContext): Route[] {
  const so = `${BROKER_BASE}/serviceowner`;
  return [
    {
      method: "POST",
      template: so,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        requireScope(caller, [SERVICE_OWNER_SCOPE]);
        const body = readObject(req);
        const name = prop(body, "name");
        if (typeof name !== "string" || name === "") return aspnetProblem(400, { Name: ["The Name field is required."] });
        const org = callerOrg(caller);
        if (ctx.store.state.brokerServiceOwners[org]) return brokerError("ServiceOwnerAlreadyExists");
        ctx.store.state.brokerServiceOwners[org] = { orgNumber: org, name, createdAtMs: Date.now() };
        return { status: 200 };
      }),
    },
    {
      method: "GET",
      template: so,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (_req, caller) => {
        requireScope(caller, [SERVICE_OWNER_SCOPE]);
        const owner = ctx.store.state.brokerServiceOwners[callerOrg(caller)];
        if (!owner) return brokerError("ServiceOwnerNotFound");
        const env = { local: "Development", tt02: "Staging", prod: "Production" }[altinnSettings(ctx).environment];
        const deploymentStatus_ = deploymentStatus(ctx, owner.createdAtMs);
        return {
          status: 200,
          body: {
            name: owner.name,
            storageProviders: ["AltinnAzure", "AltinnAzureWithoutVirusScan"].map((type) => ({
              type,
              deploymentStatus: deploymentStatus_,
              deploymentEnvironment: env,
            })),
          },
        };
      }),
    },
    {
      method: "PUT",
      template: `${BROKER_BASE}/resource/:resourceId`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => configure(ctx, req, caller)),
    },
    {
      method: "GET",
      template: `${BROKER_BASE}/resource/:resourceId`,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        requireScope(caller, [SERVICE_OWNER_SCOPE]);
        const r = ctx.store.state.brokerResources[req.params["resourceId"] as string];
        if (!r) return brokerError("ResourceHasNotBeenConfigured");
        if (r.ownerOrgNumber !== callerOrg(caller)) return brokerError("NoAccessToResource");
        return { status: 200, body: resourceView(r) };
      }),
    },
  ];
}
