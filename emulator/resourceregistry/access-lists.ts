// Resource Registry access lists (RRR, "tilgangslister"): /access-lists/{owner} (shared/specs/altinn-registry.md §4).
import { type EmulatorContext } from "../core/context.js";
import { type Reply, type Request, type Route, queryParams } from "../core/router.js";
import { type AccessList, type AccessListConnection, type Party, nowIso } from "../core/state.js";
import { type AltinnCaller, altinnHandler, requireScope, serviceOwnerByCode, serviceOwnerByOrgNumber } from "../altinn/auth.js";
import { type JsonObject, isObject, prop, readObject } from "../altinn/body.js";
import { type ValidationError, altinnProblem, altinnValidation, aspnetProblem, fail } from "../altinn/errors.js";
import { RESOURCE_ADMIN, RR_BASE, currentResource } from "./resources.js";

const READ = ["altinn:resourceregistry/accesslist.read", "altinn:resourceregistry/accesslist.write", RESOURCE_ADMIN];
const WRITE = ["altinn:resourceregistry/accesslist.write", RESOURCE_ADMIN];
const LIST_PAGE = 20;
const MEMBER_PAGE = 100;
const CONNECTION_PAGE = 100;
const MAX_MEMBERS_PER_CALL = 100;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
function unb64(token: string): JsonObject | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function etagOf(l: AccessList): string {
  return `W/"${b64({ version: String(l.version) })}"`;
}

const httpDate = (iso: string) => new Date(iso).toUTCString();
const seconds = (ms: number) => Math.floor(ms / 1000);

function versionHeaders(l: AccessList): Record<string, string> {
  return { etag: etagOf(l), "last-modified": httpDate(l.updatedAt) };
}

/** Canonical `{owner}`: a registered service-owner code (any case), else 400 RR.VLD-00010. */
function ownerOf(ctx: EmulatorContext, raw: string): string {
  const org = serviceOwnerByCode(ctx, raw);
  if (!org)
    fail(
      altinnValidation([
        { code: "RR.VLD-00010", title: "Access list owner must be a valid and registered org-code.", paths: ["/$PATH/owner"] },
      ]),
    );
  return org.orgCode;
}

/**
 * The caller owns `owner`: its token's `urn:altinn:org` when it has one (compared alone), else its org number maps to
 * the code (`ttd` inherits digdir's number).
 */
function ownsOrgCode(ctx: EmulatorContext, caller: AltinnCaller, owner: string): boolean {
  if (caller.scopes.has(RESOURCE_ADMIN)) return true;
  // Org codes compare case-insensitively (a resource's `orgcode` may be stored as `TTD`).
  const wanted = owner.toLowerCase();
  if (caller.orgCode !== undefined) return caller.orgCode.toLowerCase() === wanted;
  const code = serviceOwnerByOrgNumber(ctx, caller.orgNumber)?.orgCode.toLowerCase();
  if (code === wanted) return true;
  const ttdFallback = wanted === "ttd" && serviceOwnerByCode(ctx, "ttd") === undefined;
  return ttdFallback && code === "digdir";
}

/**
 * Scope (403), ownership (403: an authorization policy), then the owner code (400 RR.VLD-00010: a resource filter,
 * which runs after authorization). Returns the canonical owner.
 */
function authorize(ctx: EmulatorContext, req: Request, caller: AltinnCaller, write: boolean): string {
  requireScope(caller, write ? WRITE : READ);
  if (!ownsOrgCode(ctx, caller, req.params["owner"] as string)) fail({ status: 403 });
  return ownerOf(ctx, req.params["owner"] as string);
}

function listKey(owner: string, id: string): string {
  return `${owner}/${id}`;
}

function connectionView(c: AccessListConnection, withActions = true): JsonObject {
  return {
    resourceIdentifier: c.resourceIdentifier,
    ...(withActions && c.actionFilters.length > 0 ? { actionFilters: [...c.actionFilters] } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

interface Include {
  connections: boolean;
  actions: boolean;
  resource: string | undefined;
}

function infoView(l: AccessList, include?: Include): JsonObject {
  const base: JsonObject = {
    urn: `urn:altinn:access-list:${l.owner}:${l.identifier}`,
    identifier: l.identifier,
    name: l.name,
    description: l.description,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
  };
  if (include?.connections) {
    const conns = l.connections.filter((c) => include.resource === undefined || c.resourceIdentifier === include.resource);
    base["resourceConnections"] = conns.map((c) => connectionView(c, include.actions));
  }
  return base;
}

/** `include=resources|resource-actions|members`; `members` is not implemented by the registry (501). */
function readInclude(req: Request, requireResource: boolean): Include | undefined {
  const values = req.query
    .getAll("include")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (values.length === 0) return undefined;
  if (values.includes("members"))
    fail(altinnProblem(501, "RR-00000", "Members are not supported yet as an include option for this endpoint."));
  const actions = values.includes("resource-actions");
  const connections = actions || values.includes("resources");
  const resource = req.query.get("resource") ?? undefined;
  if (connections && requireResource && resource === undefined)
    fail(
      altinnValidation([
        {
          code: "RR.VLD-00002",
          title: "Resource identifier is required when including resource connections.",
          paths: ["/$QUERY/include", "/$QUERY/resource"],
        },
      ]),
    );
  return { connections, actions, resource };
}

function parseTags(h: string): string[] {
  return h
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
}
const opaque = (t: string) => (t.startsWith("W/") ? t.slice(2) : t);

/**
 * Conditional requests on the list aggregate: If-Match (weak tags only; a strong tag is a 400; `*`), else
 * If-Unmodified-Since; If-None-Match (`*` too), else If-Modified-Since. 412 with an empty body, or 304 on reads.
 */
function preconditions(req: Request, current: AccessList | undefined, read: boolean): Reply | undefined {
  const h = (n: string) => {
    const v = req.headers[n];
    return typeof v === "string" ? v : undefined;
  };
  const ifMatch = h("if-match");
  const ifNoneMatch = h("if-none-match");
  const tag = current ? opaque(etagOf(current)) : undefined;
  if (ifMatch !== undefined) {
    const tags = parseTags(ifMatch);
    if (tags.some((t) => t !== "*" && !t.startsWith("W/")))
      return altinnValidation([{ code: "STD.VLD-00000", title: "Only weak entity tags are supported", paths: ["/$HEADER/If-Match"] }]);
    if (!current || !tags.some((t) => t === "*" || opaque(t) === tag)) return { status: 412 };
  } else {
    const ius = h("if-unmodified-since");
    if (
      ius !== undefined &&
      !Number.isNaN(Date.parse(ius)) &&
      (!current || seconds(Date.parse(current.updatedAt)) > seconds(Date.parse(ius)))
    )
      return { status: 412 };
  }
  const notModified = (): Reply => (read && current ? { status: 304, headers: versionHeaders(current) } : { status: 412 });
  if (ifNoneMatch !== undefined) {
    const tags = parseTags(ifNoneMatch);
    if (current && tags.some((t) => t === "*" || opaque(t) === tag)) return notModified();
  } else if (current) {
    // If-Modified-Since counts on writes too: "not modified since" makes a write fail its precondition (412).
    const ims = h("if-modified-since");
    if (ims !== undefined && !Number.isNaN(Date.parse(ims)) && seconds(Date.parse(current.updatedAt)) <= seconds(Date.parse(ims)))
      return notModified();
  }
  return undefined;
}

function bump(ctx: EmulatorContext, l: AccessList): void {
  l.version = ctx.store.state.nextAccessListVersion++;
  l.updatedAt = nowIso();
}

function memberView(p: Party | undefined, m: { partyUuid: string; since: string }): JsonObject {
  return {
    id: `urn:altinn:party:uuid:${m.partyUuid}`,
    since: m.since,
    identifiers: {
      "urn:altinn:party:uuid": m.partyUuid,
      ...(p ? { "urn:altinn:party:id": p.partyId, "urn:altinn:organization:identifier-no": p.orgNumber } : {}),
    },
  };
}

/** Pages of a sorted collection; the token carries the aggregate version, so a change during paging is a 412. */
function page<T>(
  ctx: EmulatorContext,
  req: Request,
  l: AccessList,
  items: readonly T[],
  keyOf: (t: T) => string,
  size: number,
  view: (t: T) => JsonObject,
): Reply {
  let from: string | undefined;
  const token = req.query.get("token");
  if (token !== null) {
    const t = unb64(token);
    if (!t || typeof t["continueFrom"] !== "string")
      return altinnValidation([{ code: "STD.VLD-00000", title: "Invalid continuation token", paths: ["/$QUERY/token"] }]);
    if (t["version"] !== l.version) return { status: 412 };
    from = t["continueFrom"];
  }
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = from === undefined ? sorted : sorted.filter((x) => keyOf(x) > (from as string));
  const data = rest.slice(0, size);
  const more = rest.length > size;
  const next = more
    ? `${ctx.origin}${req.path}?token=${b64({ version: l.version, continueFrom: keyOf(data[data.length - 1] as T) })}`
    : null;
  return { status: 200, headers: versionHeaders(l), body: { links: { next }, data: data.map(view) } };
}

function membersPage(ctx: EmulatorContext, req: Request, l: AccessList): Reply {
  const byUuid = new Map(ctx.store.state.parties.map((p) => [p.partyUuid, p]));
  return page(
    ctx,
    req,
    l,
    l.members,
    (m) => m.partyUuid,
    MEMBER_PAGE,
    (m) => memberView(byUuid.get(m.partyUuid), m),
  );
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** A party URN (`urn:altinn:organization:identifier-no:`, `urn:altinn:party:uuid:`, `urn:altinn:party:id:`) looked up in the Register. */
function resolvePartyUrn(parties: readonly Party[], urn: string): Party | undefined | "malformed" {
  let m: RegExpExecArray | null;
  if ((m = /^urn:altinn:organization:identifier-no:(\d{9})$/.exec(urn))) return parties.find((p) => p.orgNumber === m?.[1]);
  if ((m = new RegExp(`^urn:altinn:party:uuid:(${UUID})$`).exec(urn))) return parties.find((p) => p.partyUuid === m?.[1]?.toLowerCase());
  if ((m = /^urn:altinn:party:id:(\d+)$/.exec(urn))) return parties.find((p) => p.partyId === Number(m?.[1]));
  return "malformed";
}

/** Resolves `{"data":[partyUrn...]}` through the Register; any unknown party fails the whole request (RR-00001). */
function readMembers(ctx: EmulatorContext, req: Request, tooManyCode: string): Party[] {
  const body = readObject(req);
  const data = prop(body, "data");
  if (!Array.isArray(data)) fail(altinnValidation([{ code: "STD.VLD-00000", title: "data is required", paths: ["/data"] }]));
  if (data.length > MAX_MEMBERS_PER_CALL)
    fail(
      altinnValidation([
        {
          code: tooManyCode,
          title:
            tooManyCode === "RR.VLD-00000"
              ? "Cannot replace more than 100 members at a time. Use POST and DELETE methods instead."
              : "Cannot add or remove more than 100 members at a time.",
          paths: ["/data"],
        },
      ]),
    );
  const parties = ctx.store.state.parties;
  const found: Party[] = [];
  const unknown: string[] = [];
  data.forEach((urn, i) => {
    const s = typeof urn === "string" ? urn : "";
    const party = resolvePartyUrn(parties, s);
    if (party === "malformed")
      fail(
        altinnValidation([
          { code: "RR.VLD-00004", title: "Invalid party URN.", paths: [`/data/${i}`], detail: `Not a supported party URN: ${s}` },
        ]),
      );
    if (party) found.push(party);
    else unknown.push(s);
  });
  if (unknown.length > 0)
    fail(altinnProblem(400, "RR-00001", "One or more party references not found.", `Unknown parties: ${unknown.join(", ")}`));
  return found;
}

type ListHandler = (req: Request, l: AccessList | undefined, key: string, owner: string, caller: AltinnCaller) => Reply;

export function accessListRoutes(ctx: EmulatorContext): Route[] {
  const b = `${RR_BASE}/access-lists/:owner`;
  const lists = () => ctx.store.state.accessLists;
  /** Authorises, loads the list and applies the conditional headers before `fn`. */
  const onList = (write: boolean, read: boolean, fn: ListHandler) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      const owner = authorize(ctx, req, caller, write);
      const key = listKey(owner, req.params["listId"] as string);
      const l = lists()[key];
      const pre = preconditions(req, l, read);
      if (pre) return pre;
      return fn(req, l, key, owner, caller);
    });
  const existing = (l: AccessList | undefined): AccessList => l ?? fail(aspnetProblem(404));

  return [
    {
      method: "GET",
      template: `${RR_BASE}/access-lists/memberships`,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => memberships(ctx, req, caller)),
    },
    {
      method: "GET",
      template: b,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        const owner = authorize(ctx, req, caller, false);
        const include = readInclude(req, true);
        const all = Object.values(lists())
          .filter((l) => l.owner === owner)
          .sort((x, y) => (x.identifier < y.identifier ? -1 : 1));
        const token = req.query.get("token");
        const from = token === null ? undefined : unb64(token)?.["continueFrom"];
        const rest = typeof from === "string" ? all.filter((l) => l.identifier > from) : all;
        const data = rest.slice(0, LIST_PAGE);
        let next: string | null = null;
        if (rest.length > LIST_PAGE) {
          // The registry's next link spells the include parameter `includes` (a typo): page 2+ loses the include.
          const q = new URLSearchParams();
          for (const v of req.query.getAll("include")) q.append("includes", v);
          const resource = req.query.get("resource");
          if (resource !== null) q.set("resource", resource);
          q.set("token", b64({ continueFrom: (data[data.length - 1] as AccessList).identifier }));
          next = `${ctx.origin}${req.path}?${q.toString()}`;
        }
        return { status: 200, body: { links: { next }, data: data.map((l) => infoView(l, include)) } };
      }),
    },
    {
      method: "GET",
      template: `${b}/:listId`,
      handler: onList(false, true, (req, l) => {
        const list = existing(l);
        return { status: 200, headers: versionHeaders(list), body: infoView(list, readInclude(req, false)) };
      }),
    },
    {
      method: "PUT",
      template: `${b}/:listId`,
      mutates: true,
      handler: onList(true, false, (req, l, key, owner) => {
        const body = readObject(req);
        const name = prop(body, "name");
        const description = prop(body, "description");
        if (typeof name !== "string" || name.trim() === "")
          return altinnValidation([{ code: "STD.VLD-00000", title: "The name is required", paths: ["/name"] }]);
        if (description !== undefined && description !== null && typeof description !== "string")
          return aspnetProblem(400, { "$.description": ["The JSON value could not be converted to System.String."] });
        const desc = typeof description === "string" ? description : "";
        if (l) {
          // A no-op emits no event, so the version (and the ETag) stays.
          if (l.name !== name || l.description !== desc) {
            l.name = name;
            l.description = desc;
            bump(ctx, l);
          }
          return { status: 200, headers: versionHeaders(l), body: infoView(l) };
        }
        const now = nowIso();
        const created: AccessList = {
          owner,
          identifier: req.params["listId"] as string,
          name,
          description: desc,
          createdAt: now,
          updatedAt: now,
          version: 0,
          members: [],
          connections: [],
        };
        bump(ctx, created);
        created.updatedAt = now;
        lists()[key] = created;
        return { status: 200, headers: versionHeaders(created), body: infoView(created) };
      }),
    },
    {
      method: "PATCH",
      template: `${b}/:listId`,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", () =>
        altinnProblem(501, "RR-00000", "JSON Patch of access lists is not implemented"),
      ),
    },
    {
      method: "DELETE",
      template: `${b}/:listId`,
      mutates: true,
      handler: onList(true, false, (_req, l, key) => {
        if (!l) return { status: 204 };
        delete lists()[key];
        return { status: 200, body: infoView(l) };
      }),
    },
    { method: "GET", template: `${b}/:listId/members`, handler: onList(false, true, (req, l) => membersPage(ctx, req, existing(l))) },
    ...(["PUT", "POST", "DELETE"] as const).map((method) => ({
      method,
      template: `${b}/:listId/members`,
      mutates: true,
      handler: onList(true, false, (req, l) => {
        const list = existing(l);
        const parties = readMembers(ctx, req, method === "PUT" ? "RR.VLD-00000" : "RR.VLD-00001");
        const uuids = new Set(parties.map((p) => p.partyUuid));
        const before = new Set(list.members.map((m) => m.partyUuid));
        const now = nowIso();
        let changed = false;
        if (method === "DELETE" || method === "PUT") {
          const keep = list.members.filter((m) => (method === "DELETE" ? !uuids.has(m.partyUuid) : uuids.has(m.partyUuid)));
          changed = keep.length !== list.members.length;
          list.members = keep;
        }
        if (method !== "DELETE")
          for (const u of uuids)
            if (!before.has(u)) {
              list.members.push({ partyUuid: u, since: now });
              changed = true;
            }
        if (changed) bump(ctx, list);
        return membersPage(ctx, { ...req, query: new URLSearchParams() }, list);
      }),
    })),
    {
      method: "GET",
      template: `${b}/:listId/resource-connections`,
      handler: onList(false, true, (req, l) => {
        const list = existing(l);
        return page(
          ctx,
          req,
          list,
          list.connections,
          (c) => c.resourceIdentifier,
          CONNECTION_PAGE,
          (c) => connectionView(c),
        );
      }),
    },
    {
      method: "PUT",
      template: `${b}/:listId/resource-connections/:resourceId`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        const owner = authorize(ctx, req, caller, true);
        const rid = req.params["resourceId"] as string;
        const body = req.body.length === 0 ? {} : readObject(req);
        const raw = prop(body, "actionFilters");
        if (raw !== undefined && raw !== null && !(Array.isArray(raw) && raw.every((x) => typeof x === "string")))
          return aspnetProblem(400, { "$.actionFilters": ["The JSON value could not be converted to System.String[]."] });
        const actions = [...new Set((raw ?? []) as string[])];
        // The controller resolves the resource and its owner before the service loads the list.
        const resource = currentResource(ctx, rid);
        if (!resource) return altinnProblem(400, "RR-00002", "One or more resource references not found.");
        const orgcode = String((resource["hasCompetentAuthority"] as JsonObject | undefined)?.["orgcode"] ?? "");
        if (!ownsOrgCode(ctx, caller, orgcode))
          return altinnProblem(
            403,
            "RR-00004",
            "Cannot create a access-list connection to a resource not owned by the same service-owner as the access-list.",
          );
        const l = lists()[listKey(owner, req.params["listId"] as string)];
        const list = existing(l);
        const pre = preconditions(req, list, false);
        if (pre) return pre;
        const now = nowIso();
        let conn = list.connections.find((c) => c.resourceIdentifier === rid);
        if (!conn) {
          conn = { resourceIdentifier: rid, actionFilters: actions, createdAt: now, updatedAt: now };
          list.connections.push(conn);
          bump(ctx, list);
        } else if (conn.actionFilters.length !== actions.length || !actions.every((a) => conn?.actionFilters.includes(a))) {
          // Actions are compared as a set: the same set in another order is a no-op.
          conn.actionFilters = actions;
          conn.updatedAt = now;
          bump(ctx, list);
        }
        return { status: 200, headers: versionHeaders(list), body: connectionView(conn) };
      }),
    },
    {
      method: "DELETE",
      template: `${b}/:listId/resource-connections/:resourceId`,
      mutates: true,
      handler: onList(true, false, (req, l) => {
        const list = existing(l);
        const rid = req.params["resourceId"] as string;
        const conn = list.connections.find((c) => c.resourceIdentifier === rid);
        if (!conn) return { status: 204 };
        list.connections = list.connections.filter((c) => c !== conn);
        bump(ctx, list);
        return { status: 200, headers: versionHeaders(list), body: connectionView(conn) };
      }),
    },
  ];
}

/**
 * `GET /access-lists/memberships?party=&resource=`: the access-list memberships of one party, optionally for one
 * resource (an internal API: `resource.admin`, or a platform access token the emulator does not issue).
 */
function memberships(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  requireScope(caller, [RESOURCE_ADMIN]);
  const errors: ValidationError[] = [];
  const split = (name: string) =>
    queryParams(req.query, name)
      .flatMap((v) => v.split(","))
      .filter((v) => v !== "");
  const parties: string[] = [];
  for (const p of split("party")) {
    if (resolvePartyUrn([], p) === "malformed" && !/^urn:altinn:person:identifier-no:\d{11}$/.test(p))
      errors.push({ code: "RR.VLD-00004", title: "Invalid party URN.", paths: ["/$QUERY/party"] });
    else parties.push(p);
  }
  const resources: string[] = [];
  for (const r of split("resource")) {
    const m = /^urn:altinn:resource:([a-z0-9_:.-]+)$/i.exec(r);
    if (!m) errors.push({ code: "RR.VLD-00005", title: "Invalid resource URN.", paths: ["/$QUERY/resource"] });
    else resources.push(m[1] as string);
  }
  if (parties.length === 0) errors.push({ code: "RR.VLD-00003", title: "At least 1 party must be specified.", paths: ["/$QUERY/party"] });
  else if (parties.length > 1)
    errors.push({ code: "RR.VLD-00006", title: "Multiple parties currently not supported.", paths: ["/$QUERY/party"] });
  if (resources.length > 1)
    errors.push({ code: "RR.VLD-00007", title: "Multiple resources currently not supported.", paths: ["/$QUERY/resource"] });
  if (errors.length > 0) return altinnValidation(errors);
  const party = resolvePartyUrn(ctx.store.state.parties, parties[0] as string);
  if (!party || party === "malformed") return altinnProblem(400, "RR-00001", "One or more party references not found.");
  const data: JsonObject[] = [];
  const sorted = Object.values(ctx.store.state.accessLists).sort((x, y) =>
    listKey(x.owner, x.identifier) < listKey(y.owner, y.identifier) ? -1 : 1,
  );
  for (const l of sorted) {
    const member = l.members.find((m) => m.partyUuid === party.partyUuid);
    if (!member) continue;
    for (const c of l.connections) {
      if (resources.length > 0 && c.resourceIdentifier !== resources[0]) continue;
      data.push({
        party: `urn:altinn:party:uuid:${party.partyUuid}`,
        resource: `urn:altinn:resource:${c.resourceIdentifier}`,
        since: member.since,
        ...(c.actionFilters.length > 0 ? { actionFilters: [...c.actionFilters] } : {}),
      });
    }
  }
  return { status: 200, body: { data } };
}

/** Whether the org is on a list connected to the resource whose actionFilters allow `action` (any connection when undefined). */
export function accessListAllows(ctx: EmulatorContext, resourceId: string, orgNumber: string, action: string | undefined): boolean {
  const party = ctx.store.state.parties.find((p) => p.orgNumber === orgNumber);
  if (!party) return false;
  return Object.values(ctx.store.state.accessLists).some(
    (l) =>
      l.members.some((m) => m.partyUuid === party.partyUuid) &&
      l.connections.some(
        (c) =>
          c.resourceIdentifier === resourceId && (action === undefined || c.actionFilters.length === 0 || c.actionFilters.includes(action)),
      ),
  );
}
