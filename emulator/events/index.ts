// Altinn Events: webhook subscriptions, the endpoint validation handshake and delivery
// (shared/specs/altinn-events-broker-dialogporten.md §1). The emulator only ever connects to loopback addresses.
import { randomUUID } from "node:crypto";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, json, parseJson } from "../core/router.js";
import { type Subscription, nowIso } from "../core/state.js";
import { type AltinnCaller, altinnHandler, hasAnyScope } from "../altinn/auth.js";
import { type JsonObject, compact, isObject, prop, readObject } from "../altinn/body.js";
import { aspnetProblem, forbid, stringReply } from "../altinn/errors.js";
import { decide, subjectOf, subjectOfConsumer } from "../authorization/pdp.js";

export const EVENTS_BASE = "/events/api/v1";
const SUBSCRIBE_SCOPE = "altinn:events.subscribe";
const PUBLISH_SCOPE = "altinn:events.publish";
const PUBLISH_ADMIN_SCOPE = "altinn:events.publish.admin";
const RESOURCE_FILTER = /^urn:[a-z0-9-]{1,30}(:[a-z0-9()+,.\-;$_!/]{1,100}){1,10}$/;
/** Validation handshake: the first try at once, then cooldowns of 1, 5, 10 s, then 30, 60, 120, 120, 120 s (appsettings). */
export const VALIDATION_DELAYS_S = [0, 1, 5, 10, 30, 60, 120, 120, 120];
/** Delivery: 12 attempts, waits of 10 s, 30 s, 1 m, 5 m, 10 m, 30 m, 1 h, 3 h, 6 h, 12 h, 12 h. */
export const DELIVERY_DELAYS_S = [0, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 43200, 43200];
const TIMEOUT_S = 45;

/** 127.0.0.0/8, ::1 and localhost: the only hosts the emulator will ever connect to. */
export function isLoopback(url: URL): boolean {
  const h = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function absolute(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** `consumer`/`createdBy` from the token: org code, then system user, then org number. */
function consumerOf(caller: AltinnCaller): string {
  if (caller.orgCode) return `/org/${caller.orgCode}`;
  if (caller.systemUser?.id) return `/systemuser/${caller.systemUser.id}`;
  return `/organisation/${caller.orgNumber}`;
}

function view(s: Subscription): JsonObject {
  return compact({
    id: s.id,
    endPoint: s.endPoint,
    sourceFilter: s.sourceFilter,
    subjectFilter: s.subjectFilter,
    typeFilter: s.typeFilter,
    resourceFilter: s.resourceFilter,
    consumer: s.consumer,
    createdBy: s.createdBy,
    created: s.created,
    validated: s.validated,
    includeSubunits: s.includeSubunits,
  });
}

function optionalString(body: JsonObject, name: string): string | undefined {
  const v = prop(body, name);
  return typeof v === "string" ? v : undefined;
}

/** One POST to a loopback endpoint; true on any 2xx. Never throws. */
async function post(ctx: EmulatorContext, endpoint: string, payload: unknown): Promise<boolean> {
  const url = absolute(endpoint);
  if (!url || !isLoopback(url)) return false;
  const factor = altinnSettings(ctx).eventsRetryFactor;
  const { signal, done } = ctx.background.signal(Math.max(1000, TIMEOUT_S * 1000 * factor));
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(payload),
      redirect: "manual",
      signal,
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300;
  } catch {
    return false;
  } finally {
    done();
  }
}

/** Tries `attempt` on the schedule (scaled by the retry factor) until it succeeds or the schedule ends. */
function retrying(ctx: EmulatorContext, delaysS: readonly number[], attempt: () => Promise<boolean>, from = 0): void {
  const run = async (i: number): Promise<void> => {
    if (await attempt()) return;
    const next = delaysS[i + 1];
    if (next !== undefined) ctx.background.schedule(next * 1000 * altinnSettings(ctx).eventsRetryFactor, () => run(i + 1));
  };
  const first = delaysS[from] ?? 0;
  ctx.background.schedule(first * 1000 * altinnSettings(ctx).eventsRetryFactor, () => run(from));
}

/** Queues the handshake; a 2xx sets `validated`. Endpoints off loopback are never contacted and stay unvalidated. */
function queueValidation(ctx: EmulatorContext, id: number): void {
  const s = ctx.store.state.subscriptions[String(id)];
  if (!s) return;
  const url = absolute(s.endPoint);
  if (!url || !isLoopback(url)) return;
  retrying(ctx, VALIDATION_DELAYS_S, async () => {
    const current = ctx.store.state.subscriptions[String(id)];
    // A repeated create queues the handshake again even for a validated row; a failure never un-validates it.
    if (!current) return true;
    const ok = await post(ctx, current.endPoint, {
      specversion: "1.0",
      id: randomUUID(),
      source: `${ctx.origin}${EVENTS_BASE}/subscriptions/${id}`,
      type: "platform.events.validatesubscription",
    });
    const still = ctx.store.state.subscriptions[String(id)];
    if (ok && still) {
      still.validated = true;
      ctx.store.save();
    }
    return ok;
  });
}

const ORG_SUBJECT = /^urn:altinn:organization:identifier-no:(\d{9})$/;

/** The organisation a subject filter or an event subject names (the resource party of the decision), if any. */
function partyOf(subject: unknown): string | undefined {
  return typeof subject === "string" ? ORG_SUBJECT.exec(subject)?.[1] : undefined;
}

/**
 * The PDP decision on `subscribe` (spec §1.2 step 6): the caller's subject, the resource, and the subject filter's
 * organisation as the resource party (what the access-list check needs). No owner shortcut: the owner too needs a
 * rule that permits it.
 */
function pdpPermits(ctx: EmulatorContext, caller: AltinnCaller, resourceFilter: string, subjectFilter: string | undefined): boolean {
  if (!resourceFilter.startsWith("urn:altinn:resource:")) return false;
  const resourceId = resourceFilter.slice("urn:altinn:resource:".length);
  return decide(ctx, { subject: subjectOf(ctx, caller), resourceId, action: "subscribe", resourcePartyOrgNumber: partyOf(subjectFilter) })
    .permit;
}

/**
 * Outbound authorisation (OutboundService.AuthorizeAndPush): each consumer is asked `subscribe` on the event's
 * resource with the event's subject as the resource party. App events (no resource in the registry here) pass.
 */
function deliveryPermitted(ctx: EmulatorContext, s: Subscription, event: JsonObject): boolean {
  const resource = event["resource"];
  if (typeof resource !== "string" || !resource.startsWith("urn:altinn:resource:")) return false;
  const resourceId = resource.slice("urn:altinn:resource:".length);
  if (resourceId.startsWith("app_")) return true;
  const subject = subjectOfConsumer(ctx, s.consumer);
  if (!subject) return false;
  return decide(ctx, { subject, resourceId, action: "subscribe", resourcePartyOrgNumber: partyOf(event["subject"]) }).permit;
}

function create(ctx: EmulatorContext, body: JsonObject, caller: AltinnCaller): Reply {
  const endPoint = optionalString(body, "endPoint");
  const sourceFilter = optionalString(body, "sourceFilter");
  let resourceFilter = optionalString(body, "resourceFilter");
  const subjectFilter = optionalString(body, "subjectFilter");
  const typeFilter = optionalString(body, "typeFilter");
  const alternativeSubjectFilter = optionalString(body, "alternativeSubjectFilter");
  const includeSubunits = prop(body, "includeSubunits") === true;

  // 1. endpoint: absolute https; plain http only for loopback (emulator deviation, so local webhooks work).
  const ep = endPoint === undefined ? undefined : absolute(endPoint);
  if (!ep || !(ep.protocol === "https:" || (ep.protocol === "http:" && isLoopback(ep))))
    return stringReply(400, "Missing or invalid endpoint to push events towards");
  // 2. sourceFilter format.
  const src = sourceFilter === undefined ? undefined : absolute(sourceFilter);
  if (sourceFilter !== undefined && src?.protocol !== "https:")
    return stringReply(400, "SourceFilter must be an absolute URL with the https scheme.");
  const appSource = src !== undefined && /(^|\.)apps\.([a-z0-9]+\.)?altinn\.(no|cloud)$/.test(src.hostname);
  const isApp = (resourceFilter?.startsWith("urn:altinn:resource:app_") ?? false) || appSource;
  // 3. scope, for non-app subscriptions.
  if (!isApp && !hasAnyScope(caller, [SUBSCRIBE_SCOPE])) return forbid();
  // 4. resource filter.
  if (isApp && resourceFilter === undefined && src) {
    const [org, app] = src.pathname.split("/").filter(Boolean);
    if (org && app) resourceFilter = `urn:altinn:resource:app_${org}_${app}`;
  }
  if (resourceFilter === undefined) return stringReply(400, "Resource filter is required.");
  if (!RESOURCE_FILTER.test(resourceFilter) || !absolute(resourceFilter)) return stringReply(400, "Resource filter must be a valid urn");
  // 5. service-level rules.
  if (!isApp && sourceFilter !== undefined) return stringReply(400, "Source filter is not supported for subscriptions on this resource.");
  if (!isApp && alternativeSubjectFilter !== undefined)
    return stringReply(400, "AlternativeSubject filter is not supported for subscriptions on this resource.");
  if (includeSubunits && subjectFilter === undefined) return stringReply(400, "IncludeSubunits requires a subject filter.");
  // 6. authorisation. Apps: the emulator has none, so only the app's own service owner is permitted.
  const permitted = isApp
    ? caller.orgCode !== undefined && resourceFilter.startsWith(`urn:altinn:resource:app_${caller.orgCode}_`)
    : pdpPermits(ctx, caller, resourceFilter, subjectFilter);
  if (!permitted) return stringReply(403, `Not authorized to create a subscription for resource ${resourceFilter}.`);
  // 7. find or insert; validation is queued again either way.
  const consumer = consumerOf(caller);
  const state = ctx.store.state;
  const same = Object.values(state.subscriptions).find(
    (s) =>
      s.resourceFilter === resourceFilter &&
      s.sourceFilter === sourceFilter &&
      s.subjectFilter === subjectFilter &&
      s.typeFilter === typeFilter &&
      s.consumer === consumer &&
      s.endPoint === endPoint &&
      s.includeSubunits === includeSubunits,
  );
  const sub: Subscription = same ?? {
    id: state.nextSubscriptionId++,
    endPoint: endPoint as string,
    resourceFilter,
    ...(sourceFilter === undefined ? {} : { sourceFilter }),
    ...(subjectFilter === undefined ? {} : { subjectFilter }),
    ...(typeFilter === undefined ? {} : { typeFilter }),
    consumer,
    createdBy: consumer,
    created: nowIso(),
    validated: false,
    includeSubunits,
  };
  state.subscriptions[String(sub.id)] = sub;
  queueValidation(ctx, sub.id);
  return { status: 201, headers: { location: `${EVENTS_BASE}/subscription/${sub.id}` }, body: view(sub) };
}

/** The caller's own subscription, 404 (empty) when unknown, 403 (empty) when someone else's. */
function own(ctx: EmulatorContext, idParam: string, caller: AltinnCaller): Subscription | Reply {
  // `{id}` binds to an int: anything else fails model binding (ASP.NET 400).
  if (!/^-?\d+$/.test(idParam)) return aspnetProblem(400, { id: [`The value '${idParam}' is not valid.`] });
  const s = ctx.store.state.subscriptions[String(Number(idParam))];
  if (!s) return { status: 404 };
  if (s.createdBy !== consumerOf(caller)) return forbid();
  return s;
}

/**
 * Delivers a CloudEvent to every matching validated subscription whose consumer the PDP permits `subscribe` for the
 * event; the first attempt is awaited, retries run later. `refused` lists matching subscriptions the PDP refused.
 */
export async function publish(
  ctx: EmulatorContext,
  event: JsonObject,
): Promise<{ matched: number[]; delivered: number[]; refused: number[] }> {
  const matches = Object.values(ctx.store.state.subscriptions).filter(
    (s) =>
      s.validated &&
      s.resourceFilter === event["resource"] &&
      (s.subjectFilter === undefined || s.subjectFilter === event["subject"]) &&
      (s.typeFilter === undefined || s.typeFilter === event["type"]),
  );
  const refused = matches.filter((s) => !deliveryPermitted(ctx, s, event));
  const delivered: number[] = [];
  await Promise.all(
    matches
      .filter((s) => !refused.includes(s))
      .map(async (s) => {
        if (await post(ctx, s.endPoint, event)) delivered.push(s.id);
        else if (DELIVERY_DELAYS_S.length > 1) retrying(ctx, DELIVERY_DELAYS_S, () => post(ctx, s.endPoint, event), 1);
      }),
  );
  const ids = (list: readonly Subscription[]) => list.map((s) => s.id).sort((a, b) => a - b);
  return { matched: ids(matches), delivered: delivered.sort((a, b) => a - b), refused: ids(refused) };
}

/** `UriExtensions.IsValidUrn`: an absolute URI matching the lowercase URN pattern. */
function isValidUrn(s: string): boolean {
  return RESOURCE_FILTER.test(s) && absolute(s) !== undefined;
}

/** CloudEvents structured mode as the CloudNative SDK reads it; a failure is the formatter's model-state error. */
function readCloudEvent(req: { body: Buffer }): JsonObject | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString("utf8"));
  } catch (err) {
    return err instanceof Error ? err.message : "The request body is not JSON";
  }
  if (!isObject(parsed)) return "Structured mode content does not represent a CloudEvent";
  if (parsed["specversion"] !== "1.0") return "Structured mode content does not represent a CloudEvent";
  const missing = ["id", "source", "type"].filter((a) => typeof parsed[a] !== "string" || parsed[a] === "");
  if (missing.length > 0) return `CloudEvent is missing required attributes: ${missing.join(", ")} (Parameter 'data')`;
  return parsed;
}

/**
 * `POST /events/api/v1/events` (EventsController.Post): scope `altinn:events.publish` (403), Content-Type
 * `application/cloudevents+json` (415), a CloudEvent (400 model state), a `resource` URN (400 problem), the PDP's
 * `publish` decision on the resource (403, empty; `altinn:events.publish.admin` skips it), then 200 and delivery to
 * every matching validated subscription.
 */
async function publishEvent(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Promise<Reply> {
  if (!hasAnyScope(caller, [PUBLISH_SCOPE])) return forbid();
  const ct = req.headers["content-type"];
  if (typeof ct !== "string" || ct.split(";")[0]?.trim().toLowerCase() !== "application/cloudevents+json") return aspnetProblem(415);
  const event = readCloudEvent(req);
  if (typeof event === "string") return aspnetProblem(400, { RequestBody: [event] });
  const resource = event["resource"];
  if (typeof resource !== "string" || resource === "") return problemDetail(400, "A 'resource' property must be defined.");
  if (!isValidUrn(resource)) return problemDetail(400, "'Resource' must be a valid urn.");
  if (!hasAnyScope(caller, [PUBLISH_ADMIN_SCOPE])) {
    const resourceId = resource.startsWith("urn:altinn:resource:") ? resource.slice("urn:altinn:resource:".length) : undefined;
    const subjectOrg =
      typeof event["subject"] === "string" ? /^urn:altinn:organization:identifier-no:(\d{9})$/.exec(event["subject"])?.[1] : undefined;
    const decision =
      resourceId === undefined
        ? { permit: false }
        : decide(ctx, { subject: subjectOf(ctx, caller), resourceId, action: "publish", resourcePartyOrgNumber: subjectOrg });
    if (!decision.permit) return forbid();
  }
  const stored: JsonObject = { ...event, time: typeof event["time"] === "string" ? event["time"] : nowIso() };
  await publish(ctx, stored);
  return { status: 200 };
}

/** ASP.NET's `Problem(detail, null, status)`. */
function problemDetail(status: number, detail: string): Reply {
  const p = aspnetProblem(status);
  return { ...p, body: { ...(p.body as JsonObject), detail } };
}

export function eventsRoutes(ctx: EmulatorContext): Route[] {
  const b = `${EVENTS_BASE}/subscriptions`;
  return [
    {
      method: "POST",
      template: b,
      mutates: true,
      handler: altinnHandler(ctx, "altinn", (req, caller) => create(ctx, readObject(req), caller)),
    },
    {
      method: "GET",
      template: b,
      handler: altinnHandler(ctx, "altinn", (_req, caller) => {
        const mine = Object.values(ctx.store.state.subscriptions)
          .filter((s) => s.createdBy === consumerOf(caller))
          .sort((x, y) => x.id - y.id);
        return json(200, { count: mine.length, subscriptions: mine.map(view) });
      }),
    },
    {
      method: "GET",
      template: `${b}/:id`,
      handler: altinnHandler(ctx, "altinn", (req, caller) => {
        const s = own(ctx, req.params["id"] as string, caller);
        return "status" in s ? s : json(200, view(s));
      }),
    },
    {
      method: "DELETE",
      template: `${b}/:id`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn", (req, caller) => {
        const s = own(ctx, req.params["id"] as string, caller);
        if ("status" in s) return s;
        delete ctx.store.state.subscriptions[String(s.id)];
        return { status: 200 };
      }),
    },
    {
      method: "POST",
      template: `${EVENTS_BASE}/events`,
      handler: altinnHandler(ctx, "altinn", (req, caller) => publishEvent(ctx, req, caller)),
    },
    { method: "POST", template: "/__emulator/events", handler: publishHandler(ctx) },
  ];
}

/** Control plane: `POST /__emulator/events` publishes a CloudEvent (structured mode) to matching subscriptions. */
export function publishHandler(ctx: EmulatorContext) {
  return async (req: { body: Buffer }): Promise<Reply> => {
    const body = parseJson(req as Parameters<typeof parseJson>[0]);
    if (!isObject(body) || typeof body["resource"] !== "string" || typeof body["type"] !== "string" || typeof body["source"] !== "string")
      return json(400, { error: "invalid_request", issues: ["a CloudEvent with string resource, type and source is required"] });
    const event: JsonObject = { specversion: "1.0", id: randomUUID(), time: nowIso(), ...body };
    return json(200, await publish(ctx, event));
  };
}
