// Altinn Authentication's System Register (vendor API) and system-user requests
// (shared/specs/altinn-registry.md §5), the customer's accept/reject on the control plane, and the
// Maskinporten `authorization_details` handler that turns an accepted system user into a system-user token.
import { randomUUID } from "node:crypto";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, json } from "../core/router.js";
import { type RegisteredSystem, type RightDto, type SystemUserRequest, nowIso } from "../core/state.js";
import { type AltinnCaller, AUTH_BASE, altinnHandler, requireScope } from "../altinn/auth.js";
import { type JsonObject, isObject, prop, readBody, readObject } from "../altinn/body.js";
import { type ValidationError, altinnProblem, altinnValidation, aspnetProblem, fail, forbid, stringReply } from "../altinn/errors.js";
import { type AuthorizationDetailsHandler } from "../maskinporten/index.js";
import { currentResource } from "../resourceregistry/index.js";

const SR = `${AUTH_BASE}/systemregister/vendor`;
const REQ = `${AUTH_BASE}/systemuser/request/vendor`;
const SR_WRITE = ["altinn:authentication/systemregister.write", "altinn:authentication/systemregister.admin"];
const REQ_WRITE = ["altinn:authentication/systemuser.request.write"];
const REQ_READ = ["altinn:authentication/systemuser.request.read"];
const DELEGABLE_TYPES = new Set([
  "AltinnApp",
  "Systemresource",
  "Default",
  "CorrespondenceService",
  "BrokerService",
  "GenericAccessResource",
  "MigratedApp",
]);
const REQUEST_TTL_MS = 180 * 86_400_000;
const P = "/registersystemrequest";

const isAdmin = (caller: AltinnCaller) => caller.scopes.has("altinn:authentication/systemregister.admin");

function stringList(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
    fail(aspnetProblem(400, { [`$.${path}`]: ["The JSON value could not be converted to System.String[]."] }));
  return v.map((x) => x.trim());
}

function textDict(v: unknown, path: string): Record<string, string> {
  if (!isObject(v)) fail(aspnetProblem(400, { [`$.${path}`]: ["The JSON value could not be converted to a dictionary."] }));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x.trim() : String(x)]));
}

export function readRights(v: unknown, path = "rights"): RightDto[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(aspnetProblem(400, { [`$.${path}`]: ["The JSON value could not be converted to a list of rights."] }));
  return v.map((r, i) => {
    const action = prop(r, "action");
    const resource = prop(r, "resource");
    if (!Array.isArray(resource))
      fail(aspnetProblem(400, { [`$.${path}[${i}].resource`]: ["The JSON value could not be converted to a list."] }));
    return {
      ...(typeof action === "string" ? { action: action.trim() } : {}),
      resource: resource.map((x) => ({ id: String(prop(x, "id") ?? "").trim(), value: String(prop(x, "value") ?? "").trim() })),
    };
  });
}

export function readPackages(v: unknown, path = "accessPackages"): { urn: string }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    fail(aspnetProblem(400, { [`$.${path}`]: ["The JSON value could not be converted to a list of access packages."] }));
  return v.map((x) => ({ urn: String(prop(x, "urn") ?? "").trim() }));
}

const rightKey = (r: RightDto) => JSON.stringify([r.action ?? null, r.resource.map((x) => [x.id, x.value])]);

function rightErrors(ctx: EmulatorContext, rights: readonly RightDto[]): ValidationError[] {
  const errors: ValidationError[] = [];
  const path = [`${P}/rights/resource`];
  for (const r of rights)
    for (const x of r.resource) {
      if (x.id !== "urn:altinn:resource")
        errors.push({ code: "AUTH.VLD-00009", title: `Invalid resource attribute id ${x.id}: must be urn:altinn:resource`, paths: path });
      else {
        const res = currentResource(ctx, x.value);
        if (!res)
          errors.push({ code: "AUTH.VLD-00003", title: `The resource ${x.value} does not exist in the Resource Registry`, paths: path });
        else if (!DELEGABLE_TYPES.has(String(res["resourceType"])))
          errors.push({
            code: "AUTH.VLD-00017",
            title: `Resources of type ${String(res["resourceType"])} can not be delegated to a system`,
            paths: path,
          });
      }
    }
  if (new Set(rights.map(rightKey)).size !== rights.length)
    errors.push({ code: "AUTH.VLD-00006", title: "Duplicate rights", paths: [`${P}/rights`] });
  return errors;
}

function packageErrors(ctx: EmulatorContext, packages: readonly { urn: string }[], isVisible: boolean): ValidationError[] {
  const errors: ValidationError[] = [];
  const path = [`${P}/accesspackages`];
  for (const p of packages) {
    const known = ctx.store.state.accessPackages.find((a) => a.urn === p.urn);
    if (p.urn.split(":").length < 4 || !known || (!known.isDelegable && !known.isAssignable))
      errors.push({ code: "AUTH.VLD-00008", title: `Access package ${p.urn} is malformed, unknown, or can not be delegated`, paths: path });
    else if (isVisible && !known.isAssignable)
      errors.push({ code: "AUTH.VLD-00018", title: `A visible system can not have the client-only access package ${p.urn}`, paths: path });
  }
  if (new Set(packages.map((p) => p.urn)).size !== packages.length)
    errors.push({ code: "AUTH.VLD-00007", title: "Duplicate access packages", paths: path });
  return errors;
}

/** A request body: the stored system's fields minus the server-set ones, with the vendor as sent (`0192:<orgno>`). */
type SystemInput = Omit<RegisteredSystem, "internalId" | "vendorOrgNumber" | "isDeleted" | "created"> & { vendorId: string };

/** The RegisterSystemRequest; `id`, `vendor`, `name` and `description` are C# `required` (400 when missing). */
function readSystem(req: Request): SystemInput {
  const body = readObject(req);
  const missing = ["id", "vendor", "name", "description"].filter((k) => prop(body, k) === undefined || prop(body, k) === null);
  if (missing.length > 0)
    fail(
      aspnetProblem(400, {
        $: [
          `JSON deserialization for type 'RegisterSystemRequest' was missing required properties, including the following: ${missing.join(", ")}`,
        ],
      }),
    );
  const id = prop(body, "id");
  const vendorId = prop(prop(body, "vendor"), "ID");
  if (typeof id !== "string") fail(aspnetProblem(400, { "$.id": ["The JSON value could not be converted to System.String."] }));
  if (typeof vendorId !== "string")
    fail(aspnetProblem(400, { "$.vendor.ID": ["The JSON value could not be converted to System.String."] }));
  const vis = prop(body, "isVisible");
  return {
    id: id.trim(),
    vendorId: vendorId.trim(),
    name: textDict(prop(body, "name"), "name"),
    description: textDict(prop(body, "description"), "description"),
    rights: readRights(prop(body, "rights")),
    accessPackages: readPackages(prop(body, "accessPackages")),
    clientId: stringList(prop(body, "clientId"), "clientId"),
    allowedRedirectUrls: stringList(prop(body, "allowedRedirectUrls"), "allowedRedirectUrls"),
    isVisible: vis === true,
  };
}

function isHttpsUrl(u: string): boolean {
  try {
    return new URL(u).protocol === "https:";
  } catch {
    return false;
  }
}

const vendorOrgOf = (vendorId: string) => vendorId.slice(vendorId.indexOf(":") + 1);

function systemErrors(ctx: EmulatorContext, s: SystemInput, mode: "create" | "update"): ValidationError[] {
  const errors: ValidationError[] = [];
  const org = vendorOrgOf(s.vendorId);
  if (!s.vendorId.startsWith("0192:"))
    errors.push({ code: "AUTH.VLD-00000", title: "The vendor id must start with 0192:", paths: [`${P}/vendor/id`] });
  if (s.id.split("_")[0] !== org || !s.id.includes("_"))
    errors.push({
      code: "AUTH.VLD-00001",
      title: `The system id must start with the vendor's organisation number and _ (${org}_)`,
      paths: [`${P}/id`],
    });
  if (/\s/.test(s.id)) errors.push({ code: "AUTH.VLD-00013", title: "The system id can not contain spaces", paths: [`${P}/id`] });
  if (mode === "create" && ctx.store.state.systems[s.id])
    errors.push({ code: "AUTH.VLD-00002", title: `The system id ${s.id} already exists`, paths: [`${P}/id`] });
  for (const u of s.allowedRedirectUrls) {
    if (!isHttpsUrl(u))
      errors.push({
        code: "AUTH.VLD-00005",
        title: `The redirect URL ${u} must be an absolute https URL`,
        paths: [`${P}/allowedredirecturls`],
      });
  }
  const active = Object.values(ctx.store.state.systems).filter((x) => !x.isDeleted && x.id !== s.id);
  for (const c of s.clientId)
    if (active.some((x) => x.clientId.includes(c)))
      errors.push({ code: "AUTH.VLD-00004", title: `The client id ${c} is already used by another system`, paths: [`${P}/clientid`] });
  if (mode === "update" && new Set(s.clientId).size !== s.clientId.length)
    errors.push({ code: "AUTH.VLD-00011", title: "Duplicate client ids", paths: [`${P}/clientid`] });
  return [...errors, ...rightErrors(ctx, s.rights), ...packageErrors(ctx, s.accessPackages, s.isVisible)];
}

function fullView(s: RegisteredSystem): JsonObject {
  return {
    id: s.id,
    vendor: { ID: `0192:${s.vendorOrgNumber}` },
    name: s.name,
    description: s.description,
    rights: s.rights,
    accessPackages: s.accessPackages,
    clientId: s.clientId,
    allowedRedirectUrls: s.allowedRedirectUrls,
    isVisible: s.isVisible,
    isDeleted: s.isDeleted,
  };
}

function listView(ctx: EmulatorContext, s: RegisteredSystem): JsonObject {
  const org =
    ctx.store.state.organizations.find((o) => o.orgNumber === s.vendorOrgNumber) ??
    ctx.store.state.parties.find((p) => p.orgNumber === s.vendorOrgNumber);
  return {
    systemId: s.id,
    systemVendorOrgNumber: s.vendorOrgNumber,
    systemVendorOrgName: org?.name ?? "",
    name: s.name,
    description: s.description,
    rights: s.rights,
    accessPackages: s.accessPackages,
    isVisible: s.isVisible,
  };
}

/** The caller's system, or 404 / 403. */
function ownedSystem(ctx: EmulatorContext, id: string, caller: AltinnCaller): RegisteredSystem {
  const s = ctx.store.state.systems[id];
  if (!s) fail(aspnetProblem(404));
  if (!isAdmin(caller) && s.vendorOrgNumber !== caller.orgNumber) fail(forbid());
  return s;
}

const succeeded = (): Reply => json(200, { succeeded: true });

function systemRoutes(ctx: EmulatorContext): Route[] {
  const w = (fn: (req: Request, caller: AltinnCaller) => Reply) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      requireScope(caller, SR_WRITE);
      return fn(req, caller);
    });
  return [
    {
      method: "POST",
      template: SR,
      mutates: true,
      handler: w((req, caller) => {
        const s = readSystem(req);
        // Ownership is checked before validation errors are returned.
        if (!isAdmin(caller) && vendorOrgOf(s.vendorId) !== caller.orgNumber) return forbid();
        const errors = systemErrors(ctx, s, "create");
        if (errors.length > 0) return altinnValidation(errors);
        const internalId = randomUUID();
        const { vendorId, ...rest } = s;
        ctx.store.state.systems[s.id] = {
          ...rest,
          internalId,
          vendorOrgNumber: vendorOrgOf(vendorId),
          isDeleted: false,
          created: nowIso(),
        };
        return { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(internalId) };
      }),
    },
    {
      method: "GET",
      template: SR,
      handler: w((_req, caller) =>
        json(
          200,
          Object.values(ctx.store.state.systems)
            .filter((s) => !s.isDeleted && s.vendorOrgNumber === caller.orgNumber)
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map((s) => listView(ctx, s)),
        ),
      ),
    },
    {
      method: "GET",
      template: `${SR}/:systemId`,
      handler: w((req, caller) => json(200, fullView(ownedSystem(ctx, req.params["systemId"] as string, caller)))),
    },
    {
      method: "PUT",
      template: `${SR}/:systemId`,
      mutates: true,
      handler: w((req, caller) => {
        const stored = ownedSystem(ctx, req.params["systemId"] as string, caller);
        const s = readSystem(req);
        if (vendorOrgOf(s.vendorId) !== stored.vendorOrgNumber) return aspnetProblem(404);
        if (s.id !== stored.id)
          return altinnValidation([
            { code: "AUTH.VLD-00012", title: "The system id in the body does not match the path", paths: [`${P}/id`] },
          ]);
        if (stored.isDeleted) return stringReply(400, "The system is deleted");
        const errors = systemErrors(ctx, s, "update");
        if (errors.length > 0) return altinnValidation(errors);
        // Full replace: the rights and packages lists are replaced entirely.
        Object.assign(stored, {
          name: s.name,
          description: s.description,
          rights: s.rights,
          accessPackages: s.accessPackages,
          clientId: s.clientId,
          allowedRedirectUrls: s.allowedRedirectUrls,
          isVisible: s.isVisible,
        });
        return succeeded();
      }),
    },
    {
      method: "PUT",
      template: `${SR}/:systemId/rights`,
      mutates: true,
      handler: w((req, caller) => {
        const stored = ownedSystem(ctx, req.params["systemId"] as string, caller);
        if (stored.isDeleted) return stringReply(400, "The system is deleted");
        const rights = readRights(readBody(req), "");
        const errors = rightErrors(ctx, rights);
        if (errors.length > 0) return altinnValidation(errors);
        stored.rights = rights;
        return succeeded();
      }),
    },
    {
      method: "PUT",
      template: `${SR}/:systemId/accesspackages`,
      mutates: true,
      handler: w((req, caller) => {
        const stored = ownedSystem(ctx, req.params["systemId"] as string, caller);
        if (stored.isDeleted) return stringReply(400, "The system is deleted");
        const packages = readPackages(readBody(req), "");
        const errors = packageErrors(ctx, packages, stored.isVisible);
        if (errors.length > 0) return altinnValidation(errors);
        stored.accessPackages = packages;
        return succeeded();
      }),
    },
    {
      method: "DELETE",
      template: `${SR}/:systemId`,
      mutates: true,
      handler: w((req, caller) => {
        const id = req.params["systemId"] as string;
        if (!ctx.store.state.systems[id]) return aspnetProblem(400, { SystemId: [`The system ${id} does not exist`] });
        const s = ownedSystem(ctx, id, caller);
        // Soft delete: the id stays reserved forever; the client ids are released (ignored by the uniqueness rule).
        s.isDeleted = true;
        return succeeded();
      }),
    },
  ];
}

function requestView(ctx: EmulatorContext, r: SystemUserRequest): JsonObject {
  const env = altinnSettings(ctx).environment;
  const host = env === "prod" ? "https://am.ui.altinn.no" : env === "tt02" ? "https://am.ui.tt02.altinn.no" : ctx.origin;
  const timedOut = Date.now() - Date.parse(r.created) > REQUEST_TTL_MS;
  return {
    id: r.id,
    ...(r.integrationTitle === undefined ? {} : { integrationTitle: r.integrationTitle }),
    externalRef: r.externalRef,
    systemId: r.systemId,
    partyOrgNo: r.partyOrgNo,
    rights: r.rights,
    accessPackages: r.accessPackages,
    status: timedOut && r.status === "New" ? "Timedout" : r.status,
    ...(r.redirectUrl === undefined ? {} : { redirectUrl: r.redirectUrl }),
    confirmUrl: `${host}/accessmanagement/ui/systemuser/request?id=${r.id}&DONTCHOOSEREPORTEE=true`,
    escalated: false,
    created: r.created,
    timedOut,
  };
}

const sameUrl = (a: URL, b: URL) =>
  a.protocol === b.protocol && a.host === b.host && a.pathname.replace(/\/$/, "") === b.pathname.replace(/\/$/, "");

function createRequest(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  requireScope(caller, REQ_WRITE);
  const body = readObject(req);
  const systemId = prop(body, "systemId");
  const partyOrgNo = prop(body, "partyOrgNo");
  if (typeof systemId !== "string" || typeof partyOrgNo !== "string")
    return aspnetProblem(400, { $: ["systemId and partyOrgNo are required"] });
  const externalRef =
    typeof prop(body, "externalRef") === "string" && prop(body, "externalRef") !== "" ? (prop(body, "externalRef") as string) : partyOrgNo;
  const system = ctx.store.state.systems[systemId];
  if (!system || system.isDeleted || system.vendorOrgNumber !== caller.orgNumber)
    return altinnProblem(404, "AUTH-00011", "The system was not found for this vendor");
  // A system user for the same (systemId, partyOrgNo, externalRef) already exists (an accepted request): 400
  // AUTH-00004, checked before the idempotent lookup, so repeating an accepted request is refused, not 200.
  if (
    Object.values(ctx.store.state.systemUsers).some(
      (u) => u.systemId === systemId && u.partyOrgNo === partyOrgNo && u.externalRef === externalRef,
    )
  )
    return altinnProblem(400, "AUTH-00004", "Failed to create new SystemUser, existing SystemUser tied to the given System-Id.");
  const existing = Object.values(ctx.store.state.systemUserRequests).find(
    (r) =>
      r.systemId === systemId &&
      r.partyOrgNo === partyOrgNo &&
      r.externalRef === externalRef &&
      Date.now() - Date.parse(r.created) <= REQUEST_TTL_MS,
  );
  if (existing) return json(200, requestView(ctx, existing));
  if (!ctx.store.state.parties.some((p) => p.orgNumber === partyOrgNo))
    return altinnProblem(400, "AUTH-00000", "The party was not found in the Register");
  const rawRights = prop(body, "rights");
  const rawPackages = prop(body, "accessPackages");
  if ((rawRights === undefined || rawRights === null) && (rawPackages === undefined || rawPackages === null))
    return altinnProblem(400, "AUTH-00001", "The request needs rights or access packages");
  const rights = readRights(rawRights);
  const packages = readPackages(rawPackages);
  if (rights.length === 0 && packages.length === 0)
    return altinnProblem(400, "AUTH-00059", "The request needs at least one right or access package");
  const systemRights = new Set(system.rights.map(rightKey));
  if (!rights.every((r) => systemRights.has(rightKey(r))))
    return altinnProblem(400, "AUTH-00001", "The rights must be a subset of the system's rights");
  const redirect = prop(body, "redirectUrl");
  if (typeof redirect === "string" && redirect !== "") {
    let url: URL;
    try {
      url = new URL(redirect);
    } catch {
      return altinnProblem(400, "AUTH-00026", "The redirect URL is not a valid URL");
    }
    const allowed = system.allowedRedirectUrls.flatMap((u) => {
      try {
        return [new URL(u)];
      } catch {
        return [];
      }
    });
    if (!allowed.some((a) => sameUrl(a, url)))
      return altinnProblem(400, "AUTH-00021", "The redirect URL is not one of the system's allowed redirect URLs");
  }
  const title = prop(body, "integrationTitle");
  const r: SystemUserRequest = {
    id: randomUUID(),
    vendorOrgNumber: caller.orgNumber,
    externalRef,
    systemId,
    partyOrgNo,
    rights,
    accessPackages: packages,
    status: "New",
    ...(typeof redirect === "string" && redirect !== "" ? { redirectUrl: redirect } : {}),
    ...(typeof title === "string" ? { integrationTitle: title } : {}),
    created: nowIso(),
  };
  ctx.store.state.systemUserRequests[r.id] = r;
  return { status: 201, headers: { location: `${AUTH_BASE}/systemuser/request/${r.id}` }, body: requestView(ctx, r) };
}

/** The vendor's own request; another vendor's looks like an unknown one (404 AUTH-00010). */
function ownRequest(ctx: EmulatorContext, r: SystemUserRequest | undefined, caller: AltinnCaller): SystemUserRequest {
  if (!r || r.vendorOrgNumber !== caller.orgNumber) fail(altinnProblem(404, "AUTH-00010", "The system user request was not found"));
  return r;
}

function requestRoutes(ctx: EmulatorContext): Route[] {
  const read = (fn: (req: Request, caller: AltinnCaller) => Reply) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      requireScope(caller, REQ_READ);
      return fn(req, caller);
    });
  const requests = () => ctx.store.state.systemUserRequests;
  const decide = (status: "Accepted" | "Rejected") => (req: Request) => {
    const r = requests()[req.params["id"] as string];
    if (!r) return json(404, { error: "not_found" });
    if (r.status !== "New") return json(409, { error: "conflict", status: r.status });
    r.status = status;
    if (status === "Accepted") {
      const id = randomUUID();
      ctx.store.state.systemUsers[id] = {
        id,
        systemId: r.systemId,
        partyOrgNo: r.partyOrgNo,
        externalRef: r.externalRef,
        created: nowIso(),
      };
    }
    return json(200, requestView(ctx, r));
  };
  return [
    {
      method: "POST",
      template: REQ,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => createRequest(ctx, req, caller)),
    },
    {
      method: "GET",
      template: `${REQ}/:id`,
      handler: read((req, caller) => json(200, requestView(ctx, ownRequest(ctx, requests()[req.params["id"] as string], caller)))),
    },
    {
      method: "GET",
      template: `${REQ}/byexternalref/:systemId/:orgNo/:externalRef`,
      handler: read((req, caller) => {
        const r = Object.values(requests()).find(
          (x) =>
            x.systemId === req.params["systemId"] && x.partyOrgNo === req.params["orgNo"] && x.externalRef === req.params["externalRef"],
        );
        return json(200, requestView(ctx, ownRequest(ctx, r, caller)));
      }),
    },
    {
      method: "GET",
      template: `${REQ}/bysystem/:systemId`,
      handler: read((req, caller) => {
        ownedSystem(ctx, req.params["systemId"] as string, caller);
        const data = Object.values(requests())
          .filter((r) => r.systemId === req.params["systemId"] && r.vendorOrgNumber === caller.orgNumber)
          .sort((a, b) => (a.created < b.created ? -1 : 1))
          .map((r) => requestView(ctx, r));
        return json(200, { links: { next: null }, data });
      }),
    },
    {
      method: "DELETE",
      template: `${REQ}/:id`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        requireScope(caller, REQ_WRITE);
        const r = ownRequest(ctx, requests()[req.params["id"] as string], caller);
        delete requests()[r.id];
        return { status: 202 };
      }),
    },
    { method: "POST", template: "/__emulator/systemuser-requests/:id/accept", handler: decide("Accepted") },
    { method: "POST", template: "/__emulator/systemuser-requests/:id/reject", handler: decide("Rejected") },
  ];
}

export function systemRegisterRoutes(ctx: EmulatorContext): Route[] {
  return [...systemRoutes(ctx), ...requestRoutes(ctx)];
}

/**
 * Maskinporten `authorization_details` of type `urn:altinn:systemuser`: the client must belong to a registered
 * (not deleted) system that has an accepted system user for `systemuser_org`. The token then carries
 * `systemuser_id` and `system_id`, as the real one does.
 */
export function systemUserDetails(ctx: EmulatorContext): AuthorizationDetailsHandler {
  return (details, client) => {
    if (!Array.isArray(details) || details.length !== 1 || !isObject(details[0]))
      return { ok: false, code: "MP-301", message: "authorization_details must be an array with one object" };
    const d = details[0];
    if (d["type"] !== "urn:altinn:systemuser")
      return { ok: false, code: "MP-301", message: `Unsupported authorization_details type ${String(d["type"])}` };
    const orgId = prop(d["systemuser_org"], "ID");
    const org = typeof orgId === "string" ? /^0192:(\d{9})$/.exec(orgId)?.[1] : undefined;
    if (!org) return { ok: false, code: "MP-302", message: "systemuser_org must be {authority:iso6523-actorid-upis, ID:0192:<orgno>}" };
    const system = Object.values(ctx.store.state.systems).find((s) => !s.isDeleted && s.clientId.includes(client.client_id));
    if (!system) return { ok: false, code: "MP-303", message: "The client is not registered on any system in the System Register" };
    const user = Object.values(ctx.store.state.systemUsers).find((u) => u.systemId === system.id && u.partyOrgNo === org);
    if (!user) return { ok: false, code: "MP-303", message: `No system user for system ${system.id} at ${org}` };
    return {
      ok: true,
      details: [
        {
          type: "urn:altinn:systemuser",
          systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${org}` },
          systemuser_id: [user.id],
          system_id: system.id,
        },
      ],
    };
  };
}
