// Altinn Authentication's System Register (vendor API) and system-user requests
// (shared/specs/altinn-registry.md §5), the customer's accept/reject on the control plane, and the
// Maskinporten `authorization_details` handler that turns an accepted system user into a system-user token.
import { randomUUID } from "node:crypto";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, json, queryParam } from "../core/router.js";
import { type RegisteredSystem, type RightDto, type SystemUser, type SystemUserRequest, nowIso } from "../core/state.js";
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
const PORTAL_SCOPE = "altinn:portal/enduser";
const LOOKUP_SCOPE = "altinn:maskinporten/systemuser.read";
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

/** ErrorPathConstant of the System Register. */
const PATH = {
  vendorId: `${P}/vendor/id`,
  systemId: `${P}/systemid`,
  redirectUrls: `${P}/allowedredirecturls`,
  clientId: `${P}/clientid`,
  packages: `${P}/accesspackages`,
  rights: `${P}/rights/resource`,
};

/** ValidationErrors of the System Register (AUTH.VLD-000nn) with their exact titles. */
const VLD = {
  orgIdentifier: ["AUTH.VLD-00000", "the org number identifier is not valid ISO6523 identifier"],
  systemIdFormat: ["AUTH.VLD-00001", "The system id does not match the format orgnumber_xxxx..."],
  systemIdExists: ["AUTH.VLD-00002", "The system id already exists"],
  resourceNotFound: ["AUTH.VLD-00003", "One or more resources specified in rights were not found in Altinn's resource register."],
  clientIdExists: ["AUTH.VLD-00004", "One of the client id is already tagged with an existing system"],
  redirectUrl: ["AUTH.VLD-00005", "One or more of the redirect urls format is not valid. The valid format is https://xxx.xx"],
  duplicateRights: ["AUTH.VLD-00006", "One or more duplicate rights found"],
  duplicatePackages: ["AUTH.VLD-00007", "One or more duplicate access package(s) found"],
  packageNotValid: ["AUTH.VLD-00008", "One or all the accesspackage(s) is not found in altinn's access packages or is not delegable"],
  resourceIdFormat: ["AUTH.VLD-00009", "One or more resource id is in wrong format. The valid format is urn:altinn:resource"],
  duplicateClientIds: ["AUTH.VLD-00011", "Request contains duplicate client ids"],
  systemIdMismatch: ["AUTH.VLD-00012", "The system ID in the request body does not match the system ID in the URL"],
  systemIdSpaces: ["AUTH.VLD-00013", "System ID cannot have spaces in id (leading, trailing or in between the id)"],
  resourceNotDelegable: ["AUTH.VLD-00017", "One or more resources specified in rights is of resource type which is not delegable."],
  visibleWithClientPackage: [
    "AUTH.VLD-00018",
    "Access packages meant for system user for client relations can't be used in combination with the flag isVisible: true",
  ],
} as const;

function vld(which: keyof typeof VLD, path: string, extensions?: Record<string, string>): ValidationError {
  const [code, title] = VLD[which];
  return { code, title, paths: [path], ...(extensions ? { extensions } : {}) };
}

/**
 * `ValidateRights`: one error per kind (malformed attribute id, unknown resource, type not delegable), each naming
 * the resource ids in its extension ("Invalid Resource Id Details : " etc., joined with " | "), then duplicates.
 */
function rightErrors(ctx: EmulatorContext, rights: readonly RightDto[]): ValidationError[] {
  const invalidFormat: string[] = [];
  const notFound: string[] = [];
  const notDelegable: string[] = [];
  for (const r of rights)
    for (const x of r.resource) {
      if (x.id !== "urn:altinn:resource") invalidFormat.push(x.value);
      else {
        const res = currentResource(ctx, x.value);
        if (!res) notFound.push(x.value);
        else if (!DELEGABLE_TYPES.has(String(res["resourceType"]))) notDelegable.push(x.value);
      }
    }
  const errors: ValidationError[] = [];
  if (invalidFormat.length > 0)
    errors.push(vld("resourceIdFormat", PATH.rights, { "Invalid Resource Id Details : ": invalidFormat.join(" | ") }));
  if (notFound.length > 0) errors.push(vld("resourceNotFound", PATH.rights, { "ResourceIds Not Found : ": notFound.join(" | ") }));
  if (notDelegable.length > 0)
    errors.push(vld("resourceNotDelegable", PATH.rights, { "ResourceIds Not Delegable : ": notDelegable.join(" | ") }));
  if (new Set(rights.map(rightKey)).size !== rights.length) errors.push(vld("duplicateRights", PATH.rights));
  return errors;
}

/** `ValidateAccessPackages`: one AUTH.VLD-00008 for every malformed, unknown or undelegable package; duplicates; isVisible with client-only packages. */
function packageErrors(ctx: EmulatorContext, packages: readonly { urn: string }[], isVisible: boolean): ValidationError[] {
  const invalidFormat: string[] = [];
  const notFound: string[] = [];
  const notDelegable: string[] = [];
  const nonAssignable: string[] = [];
  for (const p of packages) {
    if (p.urn === "" || p.urn.split(":").length < 4) {
      invalidFormat.push(p.urn);
      continue;
    }
    const known = ctx.store.state.accessPackages.find((a) => a.urn === p.urn);
    if (!known) notFound.push(p.urn);
    else if (!known.isDelegable && !known.isAssignable) notDelegable.push(p.urn);
    else if (!known.isAssignable) nonAssignable.push(p.urn);
  }
  const errors: ValidationError[] = [];
  if (invalidFormat.length + notFound.length + notDelegable.length > 0) {
    const details = [
      ...(invalidFormat.length > 0 ? [`Invalid format: ${invalidFormat.join(", ")}`] : []),
      ...(notFound.length > 0 ? [`Not found: ${notFound.join(", ")}`] : []),
      ...(notDelegable.length > 0 ? [`Not possible to delegate: ${notDelegable.join(", ")}`] : []),
    ];
    errors.push(vld("packageNotValid", PATH.packages, { "Invalid Urn Details : ": details.join(" | ") }));
  }
  if (new Set(packages.map((p) => p.urn)).size !== packages.length) errors.push(vld("duplicatePackages", PATH.packages));
  if (isVisible && nonAssignable.length > 0) errors.push(vld("visibleWithClientPackage", PATH.packages));
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

/** `ValidateRegisteredSystem` (create): spaces, the `<orgno>_` prefix, an existing id, redirect URLs, client ids in use. */
function newSystemErrors(ctx: EmulatorContext, s: SystemInput): ValidationError[] {
  const errors: ValidationError[] = [];
  const org = vendorOrgOf(s.vendorId);
  if (s.id.includes(" ")) errors.push(vld("systemIdSpaces", PATH.systemId));
  if (s.id.split("_")[0] !== org || !s.id.includes("_")) errors.push(vld("systemIdFormat", PATH.systemId));
  if (ctx.store.state.systems[s.id]) errors.push(vld("systemIdExists", PATH.systemId));
  if (!s.allowedRedirectUrls.every(isHttpsUrl)) errors.push(vld("redirectUrl", PATH.redirectUrls));
  const active = Object.values(ctx.store.state.systems).filter((x) => !x.isDeleted);
  if (s.clientId.some((c) => active.some((x) => x.clientId.includes(c)))) errors.push(vld("clientIdExists", PATH.clientId));
  return errors;
}

/** `ValidateClientIds` (update): duplicates (case-insensitive), and one error per client id used by another active system. */
function updatedClientIdErrors(ctx: EmulatorContext, s: SystemInput): ValidationError[] {
  const errors: ValidationError[] = [];
  if (new Set(s.clientId.map((c) => c.toLowerCase())).size !== s.clientId.length) errors.push(vld("duplicateClientIds", PATH.clientId));
  const others = Object.values(ctx.store.state.systems).filter((x) => !x.isDeleted && x.id !== s.id);
  for (const c of s.clientId)
    if (others.some((x) => x.clientId.some((o) => o.toLowerCase() === c.toLowerCase()))) errors.push(vld("clientIdExists", PATH.clientId));
  return errors;
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

const mayWriteSystem = (caller: AltinnCaller, s: RegisteredSystem) => isAdmin(caller) || s.vendorOrgNumber === caller.orgNumber;

const succeeded = (): Reply => json(200, { succeeded: true });
/** The controller has no `[Produces]`: its string results are text/plain. */
const deletedSystem = (): Reply => stringReply(400, "Cannot update a system marked as deleted.", false);
const systemNotFound = (id: string): Reply => stringReply(404, `System with ID '${id}' not found.`, false);

function systemRoutes(ctx: EmulatorContext): Route[] {
  const w = (fn: (req: Request, caller: AltinnCaller) => Reply) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      requireScope(caller, SR_WRITE);
      return fn(req, caller);
    });
  const portal = (fn: (req: Request) => Reply) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      requireScope(caller, [PORTAL_SCOPE]);
      return fn(req);
    });
  const systems = () => ctx.store.state.systems;
  /** The stored system for the rights/packages PUTs, which dereference it without a null check (500 when unknown). */
  const forUpdate = (req: Request, caller: AltinnCaller): RegisteredSystem => {
    const stored = systems()[req.params["systemId"] as string];
    if (!stored) fail(aspnetProblem(500));
    if (!mayWriteSystem(caller, stored)) fail(forbid());
    if (stored.isDeleted) fail(deletedSystem());
    return stored;
  };
  return [
    {
      method: "POST",
      template: SR,
      mutates: true,
      handler: w((req, caller) => {
        const s = readSystem(req);
        // The org identifier is checked alone first; the other errors are gathered, then ownership (403) comes
        // before they are returned.
        if (!s.vendorId.startsWith("0192:")) return altinnValidation([vld("orgIdentifier", PATH.vendorId)]);
        const errors = [...newSystemErrors(ctx, s), ...rightErrors(ctx, s.rights), ...packageErrors(ctx, s.accessPackages, s.isVisible)];
        if (!isAdmin(caller) && vendorOrgOf(s.vendorId) !== caller.orgNumber) return forbid();
        if (errors.length > 0) return altinnValidation(errors);
        const internalId = randomUUID();
        const { vendorId, ...rest } = s;
        systems()[s.id] = {
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
          Object.values(systems())
            .filter((s) => !s.isDeleted && s.vendorOrgNumber === caller.orgNumber)
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map((s) => listView(ctx, s)),
        ),
      ),
    },
    {
      method: "GET",
      template: `${SR}/:systemId`,
      handler: w((req, caller) => {
        const s = systems()[req.params["systemId"] as string];
        if (!s) return aspnetProblem(404);
        if (!mayWriteSystem(caller, s)) return forbid();
        return json(200, fullView(s));
      }),
    },
    {
      method: "PUT",
      template: `${SR}/:systemId`,
      mutates: true,
      handler: w((req, caller) => {
        const id = req.params["systemId"] as string;
        const stored = systems()[id];
        if (!stored) return systemNotFound(id);
        // Authorised against the stored vendor before the body's vendor is compared, so a wrong guess reads as 404.
        if (!mayWriteSystem(caller, stored)) return forbid();
        const s = readSystem(req);
        if (vendorOrgOf(s.vendorId) !== stored.vendorOrgNumber || !s.vendorId.startsWith("0192:")) return systemNotFound(id);
        if (s.id !== stored.id) return altinnValidation([vld("systemIdMismatch", PATH.systemId)]);
        if (stored.isDeleted) return deletedSystem();
        const errors = [
          ...rightErrors(ctx, s.rights),
          ...packageErrors(ctx, s.accessPackages, s.isVisible),
          ...updatedClientIdErrors(ctx, s),
        ];
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
        const stored = forUpdate(req, caller);
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
        const stored = forUpdate(req, caller);
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
        const s = systems()[req.params["systemId"] as string];
        if (!s) return aspnetProblem(400, { return: ["System not found"] });
        if (!mayWriteSystem(caller, s)) return forbid();
        // Soft delete: the id stays reserved forever; the client ids are released (ignored by the uniqueness rule).
        s.isDeleted = true;
        return succeeded();
      }),
    },
    // The portal's reads (scope altinn:portal/enduser): what a customer is asked to delegate.
    {
      method: "GET",
      template: `${AUTH_BASE}/systemregister/:systemId`,
      handler: portal((req) => {
        const s = systems()[req.params["systemId"] as string];
        return s ? json(200, listView(ctx, s)) : aspnetProblem(404);
      }),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/systemregister/:systemId/rights`,
      handler: portal((req) => json(200, systems()[req.params["systemId"] as string]?.rights ?? [])),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/systemregister/:systemId/accesspackages`,
      handler: portal((req) => json(200, systems()[req.params["systemId"] as string]?.accessPackages ?? [])),
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

/** `Problem` descriptors of Authentication used here, with their exact titles. */
const AUTH = {
  Reportee_Orgno_NotFound: [400, "AUTH-00000", "Can't resolve the Organisation Number from the logged in Reportee PartyId."],
  Rights_NotFound_Or_NotDelegable: [400, "AUTH-00001", "One or more Right not found or not delegable."],
  SystemUser_AlreadyExists: [400, "AUTH-00004", "Failed to create new SystemUser, existing SystemUser tied to the given System-Id."],
  RequestNotFound: [404, "AUTH-00010", "The Id does not refer to a Request in our system."],
  SystemIdNotFound: [404, "AUTH-00011", "The Id does not refer to a Registered System."],
  RedirectUriNotFound: [400, "AUTH-00021", "The RedirectUri was not found or not valid."],
  NoRedirectUrisFoundOnSystem: [400, "AUTH-00026", "No redirect uris are set for the system"],
  SystemUser_MissingRightsOrAccessPackages: [
    400,
    "AUTH-00059",
    "No AccessPackages or Single Rights found, a SystemUser must have at least one",
  ],
  AccessPackage_NotFound: [400, "AUTH-00063", "One or more accesspackage is not found in the referenced system in the System Register."],
  AccessPackage_NotDelegable_Standard: [
    400,
    "AUTH-00064",
    "One or more access packages cannot be delegated. Either they are intended for clients or they cannot be delegated further.",
  ],
} as const satisfies Record<string, readonly [number, string, string]>;

function authProblem(name: keyof typeof AUTH, extensions?: Record<string, string>): Reply {
  const [status, code, title] = AUTH[name];
  return altinnProblem(status, code, title, undefined, extensions);
}

/** `Uri.GetLeftPart(UriPartial.Path)`: scheme, authority and path; the query is ignored. */
const leftPart = (u: URL) => `${u.protocol}//${u.host}${u.pathname}`;

/**
 * `SystemUserService.ValidateAccessPackages` for a standard request: more packages than the system has, or one the
 * system does not have, is AUTH-00063 (`NotFoundPackages`); one that is not assignable (client-only, or neither
 * delegable nor assignable) is AUTH-00064 (`NotDelegablePackages`).
 */
function requestPackageProblem(ctx: EmulatorContext, packages: readonly { urn: string }[], system: RegisteredSystem): Reply | undefined {
  if (system.accessPackages.length < packages.length) return authProblem("AccessPackage_NotFound");
  const notFound = packages.filter((p) => !system.accessPackages.some((x) => x.urn === p.urn)).map((p) => p.urn);
  if (notFound.length > 0) return authProblem("AccessPackage_NotFound", { NotFoundPackages: notFound.join(", ") });
  const notAssignable = packages
    .filter((p) => !ctx.store.state.accessPackages.find((a) => a.urn === p.urn)?.isAssignable)
    .map((p) => p.urn);
  if (notAssignable.length > 0)
    return authProblem("AccessPackage_NotDelegable_Standard", { NotDelegablePackages: notAssignable.join(", ") });
  return undefined;
}

/**
 * `POST /systemuser/request/vendor` (RequestSystemUserController.CreateRequest, then the service): an existing system
 * user for the (systemId, partyOrgNo, externalRef) triple is 400 AUTH-00004; an existing request that has not timed
 * out is answered 200 as it is; then the system (404 AUTH-00011, also for another vendor's), the party
 * (400 AUTH-00000), the redirect URL (AUTH-00026 when the system allows none, AUTH-00021 when it matches none; a
 * malformed one throws: 500), rights/packages present (AUTH-00001 when both null, AUTH-00059 when both empty), rights a
 * subset of the system's (AUTH-00001), packages (AUTH-00063/00064).
 */
function createRequest(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  requireScope(caller, REQ_WRITE);
  const body = readObject(req);
  const systemId = prop(body, "systemId");
  const partyOrgNo = prop(body, "partyOrgNo");
  if (typeof systemId !== "string" || typeof partyOrgNo !== "string")
    return aspnetProblem(400, { $: ["systemId and partyOrgNo are required"] });
  const externalRef =
    typeof prop(body, "externalRef") === "string" && prop(body, "externalRef") !== "" ? (prop(body, "externalRef") as string) : partyOrgNo;
  const sameTriple = (x: { systemId: string; partyOrgNo: string; externalRef: string }) =>
    x.systemId === systemId && x.partyOrgNo === partyOrgNo && x.externalRef === externalRef;
  if (Object.values(ctx.store.state.systemUsers).some(sameTriple)) return authProblem("SystemUser_AlreadyExists");
  const existing = Object.values(ctx.store.state.systemUserRequests).find(
    (r) => sameTriple(r) && r.vendorOrgNumber === caller.orgNumber && Date.now() - Date.parse(r.created) <= REQUEST_TTL_MS,
  );
  if (existing) return json(200, requestView(ctx, existing));
  const system = ctx.store.state.systems[systemId];
  if (!system || system.isDeleted || system.vendorOrgNumber !== caller.orgNumber) return authProblem("SystemIdNotFound");
  if (!ctx.store.state.parties.some((p) => p.orgNumber === partyOrgNo)) return authProblem("Reportee_Orgno_NotFound");
  const redirect = prop(body, "redirectUrl");
  if (typeof redirect === "string" && redirect !== "") {
    if (system.allowedRedirectUrls.length === 0) return authProblem("NoRedirectUrisFoundOnSystem");
    let url: URL;
    try {
      url = new URL(redirect);
    } catch {
      return aspnetProblem(500);
    }
    const allowed = system.allowedRedirectUrls.flatMap((u) => {
      try {
        return [leftPart(new URL(u))];
      } catch {
        return [];
      }
    });
    if (!allowed.includes(leftPart(url))) return authProblem("RedirectUriNotFound");
  }
  const rawRights = prop(body, "rights");
  const rawPackages = prop(body, "accessPackages");
  if ((rawRights === undefined || rawRights === null) && (rawPackages === undefined || rawPackages === null))
    return authProblem("Rights_NotFound_Or_NotDelegable");
  const rights = readRights(rawRights);
  const packages = readPackages(rawPackages);
  if (rights.length === 0 && packages.length === 0) return authProblem("SystemUser_MissingRightsOrAccessPackages");
  const systemRights = new Set(system.rights.map(rightKey));
  if (rights.length > system.rights.length || !rights.every((r) => systemRights.has(rightKey(r))))
    return authProblem("Rights_NotFound_Or_NotDelegable");
  if (packages.length > 0) {
    const problem = requestPackageProblem(ctx, packages, system);
    if (problem) return problem;
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
  return {
    status: 201,
    headers: { location: `${ctx.origin}/${AUTH_BASE.slice(1)}/systemuser/request/${r.id}` },
    body: requestView(ctx, r),
  };
}

/** The vendor's own request; another vendor's looks like an unknown one (404 AUTH-00010). */
function ownRequest(r: SystemUserRequest | undefined, caller: AltinnCaller): SystemUserRequest {
  if (!r || r.vendorOrgNumber !== caller.orgNumber) fail(authProblem("RequestNotFound"));
  return r;
}

/** The vendor's own system for the by-system lists; unknown or another vendor's is 404 AUTH-00011. */
function vendorSystem(ctx: EmulatorContext, id: string, caller: AltinnCaller): RegisteredSystem {
  const s = ctx.store.state.systems[id];
  if (!s || s.vendorOrgNumber !== caller.orgNumber) fail(authProblem("SystemIdNotFound"));
  return s;
}

/** `SystemUserExternalDTO`: what a vendor (or Maskinporten) reads about a system user. */
function systemUserView(ctx: EmulatorContext, u: SystemUser): JsonObject {
  const system = ctx.store.state.systems[u.systemId];
  const vendor = system?.vendorOrgNumber ?? "";
  const request = Object.values(ctx.store.state.systemUserRequests).find(
    (r) => r.status === "Accepted" && r.systemId === u.systemId && r.partyOrgNo === u.partyOrgNo && r.externalRef === u.externalRef,
  );
  const vendorName =
    ctx.store.state.organizations.find((o) => o.orgNumber === vendor)?.name ??
    ctx.store.state.parties.find((p) => p.orgNumber === vendor)?.name ??
    "";
  return {
    id: u.id,
    integrationTitle: request?.integrationTitle ?? system?.name["nb"] ?? u.systemId,
    systemId: u.systemId,
    productName: u.systemId,
    reporteeOrgNo: u.partyOrgNo,
    created: u.created,
    isDeleted: false,
    supplierName: vendorName,
    supplierOrgno: vendor,
    externalRef: u.externalRef,
    userType: "standard",
  };
}

function requestRoutes(ctx: EmulatorContext): Route[] {
  const withScope = (scopes: readonly string[], fn: (req: Request, caller: AltinnCaller) => Reply) =>
    altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
      requireScope(caller, scopes);
      return fn(req, caller);
    });
  const read = (fn: (req: Request, caller: AltinnCaller) => Reply) => withScope(REQ_READ, fn);
  const requests = () => ctx.store.state.systemUserRequests;
  const users = () => Object.values(ctx.store.state.systemUsers);
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
      handler: read((req, caller) => json(200, requestView(ctx, ownRequest(requests()[req.params["id"] as string], caller)))),
    },
    {
      method: "GET",
      template: `${REQ}/byexternalref/:systemId/:orgNo/:externalRef`,
      handler: read((req, caller) => {
        const r = Object.values(requests()).find(
          (x) =>
            x.systemId === req.params["systemId"] && x.partyOrgNo === req.params["orgNo"] && x.externalRef === req.params["externalRef"],
        );
        return json(200, requestView(ctx, ownRequest(r, caller)));
      }),
    },
    {
      method: "GET",
      template: `${REQ}/bysystem/:systemId`,
      handler: read((req, caller) => {
        vendorSystem(ctx, req.params["systemId"] as string, caller);
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
      handler: withScope(REQ_WRITE, (req, caller) => {
        const r = ownRequest(requests()[req.params["id"] as string], caller);
        delete requests()[r.id];
        return { status: 202 };
      }),
    },
    // The vendor's system-user lookups (SystemUserController).
    {
      method: "GET",
      template: `${AUTH_BASE}/systemuser/vendor/bysystem/:systemId`,
      handler: withScope(SR_WRITE, (req, caller) => {
        const system = vendorSystem(ctx, req.params["systemId"] as string, caller);
        const data = users()
          .filter((u) => u.systemId === system.id)
          .sort((a, b) => (a.created < b.created ? -1 : 1))
          .map((u) => systemUserView(ctx, u));
        return json(200, { links: { next: null }, data });
      }),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/systemuser/vendor/byquery`,
      handler: withScope(REQ_WRITE, (req, caller) => {
        const systemId = queryParam(req.query, "system-id");
        const orgno = queryParam(req.query, "orgno");
        const externalRef = queryParam(req.query, "external-ref") ?? orgno;
        const u = users().find((x) => x.systemId === systemId && x.partyOrgNo === orgno && x.externalRef === externalRef);
        if (!u || ctx.store.state.systems[u.systemId]?.vendorOrgNumber !== caller.orgNumber) return aspnetProblem(404);
        return json(200, systemUserView(ctx, u));
      }),
    },
    {
      method: "GET",
      template: `${AUTH_BASE}/systemuser/byExternalId`,
      handler: withScope([LOOKUP_SCOPE], (req) => {
        const clientId = queryParam(req.query, "clientId");
        const vendor = queryParam(req.query, "systemProviderOrgNo");
        const owner = queryParam(req.query, "systemUserOwnerOrgNo");
        if (!clientId || !vendor || !owner) return aspnetProblem(400);
        const externalRef = queryParam(req.query, "externalRef") || owner;
        const u = users().find((x) => {
          const s = ctx.store.state.systems[x.systemId];
          return (
            s &&
            !s.isDeleted &&
            s.clientId.includes(clientId) &&
            s.vendorOrgNumber === vendor &&
            x.partyOrgNo === owner &&
            x.externalRef === externalRef
          );
        });
        return u ? json(200, systemUserView(ctx, u)) : aspnetProblem(404);
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
    // The Broker and Correspondence Bruno collections send the bare org number and work against test Maskinporten;
    // the token always carries the 0192: form.
    const org = typeof orgId === "string" ? /^(?:0192:)?(\d{9})$/.exec(orgId)?.[1] : undefined;
    if (!org) return { ok: false, code: "MP-302", message: "systemuser_org must be {authority:iso6523-actorid-upis, ID:[0192:]<orgno>}" };
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
