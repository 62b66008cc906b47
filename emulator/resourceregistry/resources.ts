// Resource Registry: resources and their XACML policies (shared/specs/altinn-registry.md §2-3).
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, queryParam } from "../core/router.js";
import { type StoredResource } from "../core/state.js";
import { type AltinnCaller, altinnHandler, requireScope, serviceOwnerByCode } from "../altinn/auth.js";
import { type JsonObject, readObject } from "../altinn/body.js";
import { aspnetProblem, fail, forbid, stringReply } from "../altinn/errors.js";
import { parseMultipart } from "./multipart.js";
import { XacmlError, flattenRules, parsePolicy, registryRuleViolation } from "./xacml.js";
import { RESOURCE_TYPES, identifierFilePathProblem, readServiceResource, validateServiceResource } from "./model.js";

export const RR_BASE = "/resourceregistry/api/v1";
export const RESOURCE_WRITE = "altinn:resourceregistry/resource.write";
export const RESOURCE_ADMIN = "altinn:resourceregistry/resource.admin";

/** The current version of a live resource. */
export function currentResource(ctx: EmulatorContext, id: string): JsonObject | undefined {
  const r = ctx.store.state.resources[id];
  return r && !r.deleted ? (r.versions[r.versions.length - 1] as JsonObject) : undefined;
}

/** The owning org number: `hasCompetentAuthority.organization`, or for `ttd` without one, the seeded ttd org. */
export function resourceOwner(ctx: EmulatorContext, r: JsonObject): string | undefined {
  const hca = r["hasCompetentAuthority"] as JsonObject | undefined;
  const org = hca?.["organization"] as string | undefined;
  if (org) return org;
  const code = hca?.["orgcode"] as string | undefined;
  return code ? serviceOwnerByCode(ctx, code)?.orgNumber : undefined;
}

function mayWrite(caller: AltinnCaller, owner: string | undefined): boolean {
  return caller.scopes.has(RESOURCE_ADMIN) || (owner !== undefined && owner === caller.orgNumber);
}

/**
 * `MaskinportenSchemaAuthorizer`: every `MaskinportenScope` reference of the resource (any resource type) must start
 * with one of the caller's `consumer_prefix` claims and `:`, unless the caller has `resource.admin`. The emulator's
 * tokens carry no `consumer_prefix`; the org's seeded scope prefixes stand in. A refusal is 401 with a
 * ValidationProblemDetails listing the scopes under `InvalidPrefix`.
 */
function checkScopePrefixes(ctx: EmulatorContext, caller: AltinnCaller, r: JsonObject): void {
  if (caller.scopes.has(RESOURCE_ADMIN)) return;
  const claim = caller.claims["consumer_prefix"];
  const prefixes = Array.isArray(claim)
    ? claim.map(String)
    : (ctx.store.state.organizations.find((o) => o.orgNumber === caller.orgNumber)?.scopePrefixes ?? []);
  const refs = ((r["resourceReferences"] as JsonObject[] | undefined) ?? []).filter(
    (x) => x["referenceType"] === "MaskinportenScope" && x["reference"] !== undefined,
  );
  const bad = refs.map((x) => String(x["reference"])).filter((s) => !prefixes.some((p) => s.startsWith(`${p}:`)));
  if (bad.length > 0)
    fail({
      status: 401,
      headers: { "content-type": "application/problem+json; charset=utf-8" },
      body: {
        title: "Unauthorized",
        status: 401,
        detail: "Not authorized for creating resource with the listed scopes",
        errors: { InvalidPrefix: bad },
      },
    });
}

/** `ValidateResource` failing is ASP.NET's ValidationProblem(ModelState); a body it cannot handle is a 500, as there. */
function validate(r: JsonObject, isNew: boolean): void {
  const errors = validateServiceResource(r, isNew);
  if (errors === undefined) fail(aspnetProblem(500));
  if (Object.keys(errors).length > 0) fail(aspnetProblem(400, errors));
}

function storeVersion(ctx: EmulatorContext, id: string, r: JsonObject): void {
  const state = ctx.store.state;
  const versionId = state.nextResourceVersionId++;
  const entry: StoredResource = state.resources[id] ?? { versions: [], deleted: false };
  entry.versions.push({ ...r, versionId });
  state.resources[id] = entry;
}

function liveResources(ctx: EmulatorContext): JsonObject[] {
  return Object.keys(ctx.store.state.resources)
    .sort()
    .map((id) => currentResource(ctx, id))
    .filter((r): r is JsonObject => r !== undefined);
}

/**
 * `resourceType` binds to the enum as ASP.NET query binding does: a name in any case or its integer value; an
 * unknown value fails model binding (400). The match itself is exact equality on the enum.
 */
function searchResourceType(raw: string | null): string | undefined {
  if (raw === null || raw === "") return undefined;
  const hit = Object.entries(RESOURCE_TYPES).find(([name, n]) => name.toLowerCase() === raw.toLowerCase() || String(n) === raw.trim());
  if (!hit) fail(aspnetProblem(400, { resourceType: [`The value '${raw}' is not valid.`] }));
  return hit[0];
}

function search(ctx: EmulatorContext, q: URLSearchParams): JsonObject[] {
  const lc = (name: string) => queryParam(q, name)?.toLowerCase() ?? undefined;
  const id = lc("id");
  const description = lc("description");
  const keyword = lc("keyword");
  const reference = lc("reference");
  const orgCode = lc("orgCode");
  const organizationId = lc("organizationId");
  const resourceType = searchResourceType(queryParam(q, "resourceType"));
  // `title` is accepted and ignored, as the registry does.
  return liveResources(ctx).filter((r) => {
    const hca = (r["hasCompetentAuthority"] ?? {}) as JsonObject;
    const texts = (v: unknown) => Object.values((v ?? {}) as Record<string, string>).map((s) => s.toLowerCase());
    if (id && !String(r["identifier"]).toLowerCase().includes(id)) return false;
    if (description && !texts(r["description"]).some((s) => s.includes(description))) return false;
    if (
      keyword &&
      !((r["keywords"] ?? []) as JsonObject[]).some((k) =>
        String(k["word"] ?? "")
          .toLowerCase()
          .includes(keyword),
      )
    )
      return false;
    if (
      reference &&
      !((r["resourceReferences"] ?? []) as JsonObject[]).some((k) =>
        String(k["reference"] ?? "")
          .toLowerCase()
          .includes(reference),
      )
    )
      return false;
    if (orgCode && String(hca["orgcode"] ?? "").toLowerCase() !== orgCode) return false;
    if (organizationId && String(hca["organization"] ?? "").toLowerCase() !== organizationId) return false;
    if (resourceType && r["resourceType"] !== resourceType) return false;
    return true;
  });
}

function policyOf(ctx: EmulatorContext, id: string): string | undefined {
  const p = ctx.store.state.resources[id]?.policy;
  return p === undefined ? undefined : Buffer.from(p, "base64").toString("utf8");
}

function uploadPolicy(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  requireScope(caller, [RESOURCE_WRITE, RESOURCE_ADMIN]);
  // The controller checks the file before it looks the resource up.
  const ct = req.headers["content-type"];
  const parts = parseMultipart(typeof ct === "string" ? ct : undefined, req.body);
  const file = parts?.find((p) => p.name.toLowerCase() === "policyfile");
  if (!file || file.data.length === 0) return stringReply(400, "The policy file can not be null");
  const id = req.params["id"] as string;
  const resource = currentResource(ctx, id);
  if (!resource) return stringReply(400, "Unknown resource");
  if (!mayWrite(caller, resourceOwner(ctx, resource))) return forbid();
  let rules;
  try {
    rules = parsePolicy(file.data.toString("utf8"));
  } catch (err) {
    // The registry catches ArgumentException only; an XmlException from the ABAC parser becomes a 500.
    if (err instanceof XacmlError) return aspnetProblem(500);
    throw err;
  }
  const violation = registryRuleViolation(rules, id);
  if (violation) return stringReply(400, violation);
  (ctx.store.state.resources[id] as StoredResource).policy = file.data.toString("base64");
  return { status: 201, headers: { location: `${id}/policy` } };
}

export function resourceRoutes(ctx: EmulatorContext): Route[] {
  const b = `${RR_BASE}/resource`;
  const create = altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
    requireScope(caller, [RESOURCE_WRITE, RESOURCE_ADMIN]);
    const r = readServiceResource(readObject(req));
    // The controller's order: validation, the identifier as a file name, owner (403), scope prefixes (401), 409.
    validate(r, true);
    const id = r["identifier"] as string;
    const badPath = identifierFilePathProblem(id);
    if (badPath) return stringReply(400, badPath);
    if (!mayWrite(caller, resourceOwner(ctx, r))) return forbid();
    checkScopePrefixes(ctx, caller, r);
    // A deleted identifier stays reserved (its row is only marked deleted): re-creating it conflicts [inferred].
    if (ctx.store.state.resources[id]) return stringReply(409, `The Resource already exist: ${id}`);
    storeVersion(ctx, id, r);
    return { status: 201, headers: { location: `${b}/${id}` } };
  });
  return [
    { method: "POST", template: b, mutates: true, handler: create },
    { method: "POST", template: `${b}/`, mutates: true, handler: create },
    {
      method: "GET",
      template: `${b}/resourcelist`,
      handler: altinnHandler(ctx, "anonymous", () => ({ status: 200, body: liveResources(ctx) })),
    },
    {
      method: "GET",
      template: `${b}/search`,
      handler: altinnHandler(ctx, "anonymous", (req) => ({ status: 200, body: search(ctx, req.query) })),
    },
    {
      method: "GET",
      template: `${b}/orgs`,
      handler: altinnHandler(ctx, "anonymous", () => ({
        status: 200,
        body: {
          orgs: Object.fromEntries(
            ctx.store.state.organizations
              .filter((o) => o.serviceOwner)
              .map((o) => [
                o.orgCode,
                {
                  name: { en: o.name, nb: o.name, nn: o.name },
                  logo: "",
                  orgnr: o.orgNumber,
                  homepage: "",
                  environments: ["local", "tt02", "production"],
                },
              ]),
          ),
        },
      })),
    },
    {
      method: "GET",
      template: `${b}/:id`,
      handler: altinnHandler(ctx, "anonymous", (req) => {
        const entry = ctx.store.state.resources[req.params["id"] as string];
        if (!entry || entry.deleted) return aspnetProblem(404);
        const v = req.query.get("versionId");
        if (v !== null) {
          const hit = entry.versions.find((x) => String(x["versionId"]) === v);
          return hit ? { status: 200, body: hit } : aspnetProblem(404);
        }
        return { status: 200, body: entry.versions[entry.versions.length - 1] };
      }),
    },
    {
      method: "PUT",
      template: `${b}/:id`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        requireScope(caller, [RESOURCE_WRITE, RESOURCE_ADMIN]);
        const id = req.params["id"] as string;
        const stored = currentResource(ctx, id);
        if (!stored) return aspnetProblem(404);
        const r = readServiceResource(readObject(req));
        if (r["identifier"] !== id) return stringReply(400, "Id in path does not match ID in resource");
        // PUT validates the model ([Required] HasCompetentAuthority) before ValidateResource.
        if (r["hasCompetentAuthority"] === undefined)
          return aspnetProblem(400, { HasCompetentAuthority: ["The HasCompetentAuthority field is required."] });
        validate(r, false);
        // The registry checks the new body's owner only; the emulator also refuses moving a resource to another owner.
        if (!mayWrite(caller, resourceOwner(ctx, r)) || !mayWrite(caller, resourceOwner(ctx, stored))) return forbid();
        checkScopePrefixes(ctx, caller, r);
        // Full replace, and a new version every time, even when nothing changed.
        storeVersion(ctx, id, r);
        return { status: 200 };
      }),
    },
    {
      method: "DELETE",
      template: `${b}/:id`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => {
        requireScope(caller, [RESOURCE_WRITE, RESOURCE_ADMIN]);
        // The environment check comes before the lookup (choice: the spec does not give the order).
        if (altinnSettings(ctx).environment === "prod")
          return stringReply(403, "Delete operation is not allowed in PROD environment", false);
        const id = req.params["id"] as string;
        const stored = currentResource(ctx, id);
        if (!stored) return aspnetProblem(404);
        if (!mayWrite(caller, resourceOwner(ctx, stored))) return forbid();
        // All versions and the policy go; the identifier stays reserved.
        ctx.store.state.resources[id] = { versions: [], deleted: true };
        return { status: 204 };
      }),
    },
    {
      method: "POST",
      template: `${b}/:id/policy`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => uploadPolicy(ctx, req, caller)),
    },
    {
      method: "PUT",
      template: `${b}/:id/policy`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => uploadPolicy(ctx, req, caller)),
    },
    {
      method: "GET",
      template: `${b}/:id/policy`,
      handler: altinnHandler(ctx, "anonymous", (req) => {
        const id = req.params["id"] as string;
        if (!currentResource(ctx, id)) return stringReply(404, "Unable to find resource");
        const p = ctx.store.state.resources[id]?.policy;
        if (p === undefined) return stringReply(404, "Unable to find requested policy");
        return {
          status: 200,
          headers: { "content-type": "text/xml", "content-disposition": "attachment; filename=policy.xml" },
          body: Buffer.from(p, "base64"),
        };
      }),
    },
    {
      method: "GET",
      template: `${b}/:id/policy/rules`,
      handler: altinnHandler(ctx, "anonymous", (req) => {
        const id = req.params["id"] as string;
        // `new NotFoundResult()`: ASP.NET's problem body, for a missing resource or policy alike.
        const xml = currentResource(ctx, id) ? policyOf(ctx, id) : undefined;
        if (xml === undefined) return aspnetProblem(404);
        return { status: 200, body: flattenRules(parsePolicy(xml)) };
      }),
    },
  ];
}
