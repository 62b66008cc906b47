// Altinn Broker (Formidling): service-owner initialisation and per-resource settings
// (shared/specs/altinn-events-broker-dialogporten.md §2).
import { randomUUID } from "node:crypto";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, json, queryParam } from "../core/router.js";
import { type BrokerResource, type FileTransfer, nowIso } from "../core/state.js";
import { type AltinnCaller, altinnHandler, requireScope } from "../altinn/auth.js";
import { type JsonObject, isObject, prop, readBody, readObject } from "../altinn/body.js";
import { aspnetProblem, fail, forbid, rfcType, traceId } from "../altinn/errors.js";
import { decide, subjectOf } from "../authorization/pdp.js";
import { publish } from "../events/index.js";
import { accessListAllows, currentResource, resourceOwner } from "../resourceregistry/index.js";

export const BROKER_BASE = "/broker/api/v1";
const SERVICE_OWNER_SCOPE = "altinn:serviceowner";
const SENDER_SCOPE = "altinn:broker.write";
const RECIPIENT_SCOPE = "altinn:broker.read";
const ORG_URN = "urn:altinn:organization:identifier-no:";
/** Constants.OrgNumberPattern. */
const ORG_NUMBER_PATTERN = /^(?:\d{4}:\d{9}|urn:altinn:organization:identifier-no:\d{9})$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
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

// --- file transfers (just enough to prove access: metadata, no file contents) ---

const withoutPrefix = (s: string): string => s.replace(/^(?:\d{4}:|urn:altinn:organization:identifier-no:)/, "");

/**
 * `AltinnAuthorizationService.CheckUserAccess`: the resource must be configured in Broker with an owner (else no
 * access, no shortcut for the owner); then the PDP must permit one of `actions` with `party` as the resource party.
 */
function brokerAccess(ctx: EmulatorContext, caller: AltinnCaller, resourceId: string, party: string, actions: readonly string[]): boolean {
  const configured = ctx.store.state.brokerResources[resourceId];
  if (!configured?.ownerOrgNumber) return false;
  const subject = subjectOf(ctx, caller);
  return actions.some((action) => decide(ctx, { subject, resourceId, action, resourcePartyOrgNumber: withoutPrefix(party) }).permit);
}

/** Model validation of FileTransferInitalizeExt (ASP.NET's automatic 400). */
function readInitialize(req: Request): { ok: true; body: JsonObject } | { ok: false; reply: Reply } {
  const body = readBody(req);
  if (!isObject(body))
    return { ok: false, reply: aspnetProblem(400, { $: ["The JSON value could not be converted to FileTransferInitalizeExt."] }) };
  const errors: Record<string, string[]> = {};
  const add = (key: string, msg: string) => (errors[key] ??= []).push(msg);
  const fileName = prop(body, "fileName");
  if (typeof fileName !== "string" || fileName === "") add("FileName", "The FileName field is required.");
  else if (fileName.length > 255)
    add("FileName", "The field FileName must be a string with a minimum length of 1 and a maximum length of 255.");
  const resourceId = prop(body, "resourceId");
  if (typeof resourceId !== "string" || resourceId === "") add("ResourceId", "The ResourceId field is required.");
  else if (resourceId.length > 255)
    add("ResourceId", "The field ResourceId must be a string with a minimum length of 1 and a maximum length of 255.");
  else if (!/^(?:urn:altinn:resource:)?[^:]{1,255}$/.test(resourceId)) add("ResourceId", "Invalid Resource identifier format");
  const sender = prop(body, "sender");
  if (typeof sender !== "string" || sender === "") add("Sender", "The Sender field is required.");
  else if (!ORG_NUMBER_PATTERN.test(sender))
    add(
      "Sender",
      "Organization numbers should be on the form countrycode:organizationnumber (e.g. 0192:910753614) or urn:altinn:organization:identifier-no:organizationnumber",
    );
  const recipients = prop(body, "recipients");
  if (!Array.isArray(recipients)) add("Recipients", "The Recipients field is required.");
  else if (recipients.length === 0) add("Recipients", "One or more recipients are required");
  else if (recipients.some((r) => typeof r !== "string" || !ORG_NUMBER_PATTERN.test(r)))
    add(
      "Recipients",
      "Each recipient should be on the form countrycode:organizationnumber (e.g. 0192:910753614) or urn:altinn:organization:identifier-no:organizationnumber",
    );
  // PropertyListAttribute.
  const properties = prop(body, "propertyList");
  if (isObject(properties)) {
    const entries = Object.entries(properties);
    if (entries.length > 10) add("PropertyList", "PropertyList can contain at most 10 properties");
    else
      for (const [k, v] of entries) {
        const value = typeof v === "string" ? v : "";
        if (k.length > 50) {
          add("PropertyList", `PropertyList Key can not be longer than 50. Length:${k.length}, KeyValue:${k}`);
          break;
        }
        if (value.length > 3000) {
          add("PropertyList", `PropertyList Value can not be longer than 3000. Length:${value.length}, Value:${value}`);
          break;
        }
      }
  }
  return Object.keys(errors).length > 0 ? { ok: false, reply: aspnetProblem(400, errors) } : { ok: true, body };
}

function fileTransferEvent(ctx: EmulatorContext, type: string, t: FileTransfer, party: string, role: string): JsonObject {
  return {
    specversion: "1.0",
    id: randomUUID(),
    time: nowIso(),
    type: `no.altinn.broker.${type}`,
    source: `${ctx.origin}${BROKER_BASE}/filetransfer`,
    resource: `urn:altinn:resource:${t.resourceId}`,
    resourceinstance: t.fileTransferId,
    subject: `${ORG_URN}${withoutPrefix(party)}`,
    data: { Role: role },
  };
}

/** InitializeFileTransferHandler, in its order. */
function initializeFileTransfer(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!caller.scopes.has(SENDER_SCOPE)) return forbid();
  const read = readInitialize(req);
  if (!read.ok) return read.reply;
  const b = read.body;
  // The mapper strips a `urn:altinn:resource:` prefix.
  const resourceId = (prop(b, "resourceId") as string).replace(/^urn:altinn:resource:/, "");
  const sender = prop(b, "sender") as string;
  const recipients = prop(b, "recipients") as string[];
  const state = ctx.store.state;
  if (!brokerAccess(ctx, caller, resourceId, sender, ["write"])) return brokerError("NoAccessToResource");
  const resource = state.brokerResources[resourceId];
  if (!resource) return brokerError("ResourceHasNotBeenConfigured");
  const owner = state.brokerServiceOwners[resource.ownerOrgNumber];
  if (!owner) return brokerError("ServiceOwnerNotConfigured");
  if (deploymentStatus(ctx, owner.createdAtMs) !== "Ready") return brokerError("StorageProviderNotReady");
  const rr = currentResource(ctx, resourceId);
  if (!rr || !resourceOwner(ctx, rr)) return brokerError("InvalidResourceDefinition");
  // Broker's own access-list rule: every recipient must be on a list connected to the resource (any action).
  if (rr["accessListMode"] === "Enabled" && recipients.some((r) => !accessListAllows(ctx, resourceId, withoutPrefix(r), undefined)))
    return brokerError("RecipientNotInAccessList");
  if (resource.requiredParty) {
    const required = withoutPrefix(resource.requiredParty);
    if (withoutPrefix(sender) !== required) {
      if (recipients.length > 1) return brokerError("RequiredPartyInvalidRecipientConfiguration");
      if (recipients.length === 0 || withoutPrefix(recipients[0] as string) !== required) return brokerError("RequiredPartyNotSpecified");
    }
  }
  const now = nowIso();
  const ttl = resource.fileTransferTimeToLive ? parseTimeSpan(resource.fileTransferTimeToLive) : 30 * DAY_MS;
  const ref = prop(b, "sendersFileTransferReference");
  const checksum = prop(b, "checksum");
  const t: FileTransfer = {
    fileTransferId: randomUUID(),
    resourceId,
    fileName: prop(b, "fileName") as string,
    sendersFileTransferReference: typeof ref === "string" ? ref : null,
    sender: `${ORG_URN}${withoutPrefix(sender)}`,
    recipients: recipients.map((r) => ({
      recipient: `${ORG_URN}${withoutPrefix(r)}`,
      status: "Initialized",
      statusText: "Initialized",
      statusChanged: now,
    })),
    propertyList: isObject(prop(b, "propertyList"))
      ? Object.fromEntries(
          Object.entries(prop(b, "propertyList") as JsonObject).filter((e): e is [string, string] => typeof e[1] === "string"),
        )
      : {},
    checksum: typeof checksum === "string" && checksum !== "" ? checksum : null,
    useVirusScan: prop(b, "disableVirusScan") !== true,
    created: now,
    expirationTime: new Date(Date.now() + ttl).toISOString(),
    status: "Initialized",
    statusText: "Ready for upload",
    statusChanged: now,
  };
  state.fileTransfers[t.fileTransferId] = t;
  void publish(ctx, fileTransferEvent(ctx, "filetransferinitialized", t, t.sender, "Sender"));
  return json(200, { fileTransferId: t.fileTransferId });
}

/** `[-][d.]hh:mm:ss[.fffffff]` back to milliseconds. */
function parseTimeSpan(s: string): number {
  const m = /^(-)?(?:(\d+)\.)?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(s);
  if (!m) return 30 * DAY_MS;
  const [, neg, d, h, mi, sec, frac] = m;
  const ms =
    Number(d ?? 0) * DAY_MS +
    Number(h) * 3_600_000 +
    Number(mi) * 60_000 +
    Number(sec) * 1000 +
    Math.round(Number(`0.${frac ?? "0"}`) * 1000);
  return neg ? -ms : ms;
}

function fileTransferView(t: FileTransfer): JsonObject {
  return {
    fileTransferId: t.fileTransferId,
    resourceId: t.resourceId,
    fileName: t.fileName,
    sendersFileTransferReference: t.sendersFileTransferReference,
    checksum: t.checksum,
    useVirusScan: t.useVirusScan,
    fileTransferSize: 0,
    fileTransferStatus: t.status,
    fileTransferStatusText: t.statusText,
    fileTransferStatusChanged: t.statusChanged,
    created: t.created,
    expirationTime: t.expirationTime,
    sender: t.sender,
    recipients: t.recipients.map((r) => ({
      recipient: r.recipient,
      currentRecipientFileTransferStatusCode: r.status,
      currentRecipientFileTransferStatusText: r.statusText,
      currentRecipientFileTransferStatusChanged: r.statusChanged,
    })),
    propertyList: t.propertyList,
    published: null,
  };
}

/** GET {id} (and /details): 404 BRO-00001, then sender (write) or any recipient (read) access, else 401 BRO-00006. */
function getFileTransfer(ctx: EmulatorContext, req: Request, caller: AltinnCaller, details: boolean): Reply {
  if (!caller.scopes.has(SENDER_SCOPE) && !caller.scopes.has(RECIPIENT_SCOPE)) return forbid();
  const id = req.params["fileTransferId"] as string;
  if (!GUID.test(id)) return aspnetProblem(400, { fileTransferId: [`The value '${id}' is not valid.`] });
  const t = ctx.store.state.fileTransfers[id.toLowerCase()];
  if (!t) return brokerError("FileTransferNotFound");
  const permitted =
    brokerAccess(ctx, caller, t.resourceId, t.sender, ["write"]) ||
    t.recipients.some((r) => brokerAccess(ctx, caller, t.resourceId, r.recipient, ["read"]));
  if (!permitted) return brokerError("NoAccessToResource");
  const view = fileTransferView(t);
  if (!details) return json(200, view);
  return json(200, {
    ...view,
    fileTransferStatusHistory: [
      { fileTransferStatus: t.status, fileTransferStatusText: t.statusText, fileTransferStatusChanged: t.statusChanged },
    ],
    recipientFileTransferStatusHistory: t.recipients.map((r) => ({
      recipient: r.recipient,
      recipientFileTransferStatusCode: r.status,
      recipientFileTransferStatusText: r.statusText,
      recipientFileTransferStatusChanged: r.statusChanged,
    })),
  });
}

/** GET ?resourceId=&role=: CheckAccessForSearch (write or read) on the caller's organisation, then its transfers. */
function listFileTransfers(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!caller.scopes.has(SENDER_SCOPE) && !caller.scopes.has(RECIPIENT_SCOPE)) return forbid();
  const resourceId = queryParam(req.query, "resourceId") ?? "";
  const org = caller.systemUser?.orgNumber ?? caller.orgNumber;
  if (!brokerAccess(ctx, caller, resourceId, org, ["write", "read"])) return brokerError("NoAccessToResource");
  if (!ctx.store.state.brokerResources[resourceId]) return brokerError("InvalidResourceDefinition");
  const roleParam = queryParam(req.query, "role");
  const role = roleParam === null ? "Both" : ["Sender", "Recipient"].find((r) => r.toLowerCase() === roleParam.toLowerCase());
  if (role === undefined) return aspnetProblem(400, { role: [`The value '${roleParam ?? ""}' is not valid.`] });
  const urn = `${ORG_URN}${org}`;
  const ids = Object.values(ctx.store.state.fileTransfers)
    .filter((t) => t.resourceId === resourceId)
    .filter((t) => (role !== "Recipient" && t.sender === urn) || (role !== "Sender" && t.recipients.some((r) => r.recipient === urn)))
    .sort((a, b) => Date.parse(b.created) - Date.parse(a.created))
    .map((t) => t.fileTransferId);
  return json(200, ids);
}

export function brokerRoutes(ctx: EmulatorContext): Route[] {
  const so = `${BROKER_BASE}/serviceowner`;
  const ft = `${BROKER_BASE}/filetransfer`;
  return [
    {
      method: "POST",
      template: ft,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => initializeFileTransfer(ctx, req, caller)),
    },
    {
      method: "GET",
      template: ft,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => listFileTransfers(ctx, req, caller)),
    },
    {
      method: "GET",
      template: `${ft}/:fileTransferId`,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => getFileTransfer(ctx, req, caller, false)),
    },
    {
      method: "GET",
      template: `${ft}/:fileTransferId/details`,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => getFileTransfer(ctx, req, caller, true)),
    },
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
