// Dialogporten's end-user dialog search, just enough to prove a system user's access: the dialogs are the published
// correspondences (Correspondence creates one dialog per correspondence), and the caller sees those whose party and
// service resource the PDP lets it `read` (spec altinn-events-broker-dialogporten.md §4).
import { type EmulatorContext } from "../core/context.js";
import { findOrg } from "../core/state.js";
import { type Reply, type Request, type Route, json, queryParams } from "../core/router.js";
import { type AltinnCaller, bearerToken, callerFromToken } from "../altinn/auth.js";
import { forbid, traceId } from "../altinn/errors.js";
import { decide, subjectOf } from "../authorization/pdp.js";
import { publishedCorrespondences } from "../correspondence/index.js";

export const DIALOGPORTEN_BASE = "/dialogporten/api/v1";
const END_USER_SCOPES = ["digdir:dialogporten", "digdir:dialogporten.noconsent"];
const VALID_USER_TYPES = "Person, SystemUser, IdportenEmailIdentifiedUser";
const ORG_PARTY = /^urn:altinn:organization:identifier-no:(\d{9})$/;
const PERSON_PARTY = /^urn:altinn:person:identifier-no:\d{11}$/;
/** The default order (contentUpdatedAt, then id, both descending) as GetOrderString writes it. */
const DEFAULT_ORDER = "contentupdatedat_desc,id_desc";

/** ErrorResponseBuilderExtensions: a ValidationProblemDetails with the status's type and title. */
function problem(req: Request, status: 400 | 403, errors: Record<string, string[]>): Reply {
  const [type, title] =
    status === 400
      ? ["https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1", "One or more validation errors occurred."]
      : ["https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3", "Forbidden."];
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: { type, title, status, instance: req.path, errors, traceId: traceId() },
  };
}

/** The values of a list query parameter: repeated, or comma-separated in one value. */
function listParam(req: Request, name: string): string[] {
  return queryParams(req.query, name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function search(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  // The EndUser policy (scope) is checked by UseAuthorization, before the user-type middleware.
  if (!END_USER_SCOPES.some((s) => caller.scopes.has(s))) return forbid();
  // UserTypeValidationMiddleware: an organisation's own token is no end user; a system user's is.
  if (!caller.systemUser?.id)
    return problem(req, 403, {
      Type: [
        `The request was authenticated, but we were unable to determine valid user type in order to authorize the request. Valid user types for this endpoint are: ${VALID_USER_TYPES}`,
      ],
    });
  const serviceResources = listParam(req, "serviceResource");
  const parties = listParam(req, "party");
  const errors: Record<string, string[]> = {};
  if (serviceResources.length === 0 && parties.length === 0) errors[""] = ["Either ServiceResource or Party must be specified."];
  parties.forEach((p, i) => {
    if (!ORG_PARTY.test(p) && !PERSON_PARTY.test(p)) errors[`Party[${i}]`] = ["'Party' is not a valid party identifier."];
  });
  if (Object.keys(errors).length > 0) return problem(req, 400, errors);

  // GetAuthorizedResourcesForSearch: a system user acts for its owner only, on the resources the PDP lets it read.
  const subject = subjectOf(ctx, caller);
  const partyFilter = new Set(parties.map((p) => p.toLowerCase()));
  const resourceFilter = new Set(serviceResources.map((r) => r.toLowerCase()));
  const items = publishedCorrespondences(ctx)
    .filter((c) => partyFilter.size === 0 || partyFilter.has(c.recipient.toLowerCase()))
    .filter((c) => resourceFilter.size === 0 || resourceFilter.has(`urn:altinn:resource:${c.resourceId}`))
    .filter((c) => ORG_PARTY.exec(c.recipient)?.[1] === caller.systemUser?.orgNumber)
    .filter(
      (c) =>
        decide(ctx, { subject, resourceId: c.resourceId, action: "read", resourcePartyOrgNumber: ORG_PARTY.exec(c.recipient)?.[1] }).permit,
    )
    .sort((a, b) => Date.parse(b.published ?? b.created) - Date.parse(a.published ?? a.created) || (a.id < b.id ? 1 : -1))
    .map((c) => ({
      id: c.id,
      org: findOrg(ctx.store.state, c.serviceOwnerOrgNumber)?.orgCode ?? null,
      serviceResource: `urn:altinn:resource:${c.resourceId}`,
      serviceResourceType: "CorrespondenceService",
      party: c.recipient,
      progress: null,
      process: null,
      guiAttachmentCount: 0,
      extendedStatus: null,
      externalReference: c.sendersReference,
      createdAt: c.created,
      updatedAt: c.published ?? c.created,
      contentUpdatedAt: c.published ?? c.created,
      dueAt: c.dueDateTime,
      status: c.isConfirmationNeeded ? "RequiresAttention" : "NotApplicable",
      hasUnopenedContent: !c.statuses.some((s) => s.status === "Read"),
      systemLabel: "Default",
      isApiOnly: false,
      content: {
        title: { mediaType: "text/plain", value: [{ value: c.content.messageTitle, languageCode: c.content.language }] },
        summary:
          c.content.messageSummary === null
            ? null
            : { mediaType: "text/plain", value: [{ value: c.content.messageSummary, languageCode: c.content.language }] },
      },
    }));
  return json(200, { items, hasNextPage: false, continuationToken: null, orderBy: DEFAULT_ORDER });
}

export function dialogportenRoutes(ctx: EmulatorContext): Route[] {
  return [
    {
      method: "GET",
      template: `${DIALOGPORTEN_BASE}/enduser/dialogs`,
      mutates: true,
      handler: async (req) => {
        // JwtBearer's challenge: `Bearer` without a token, `Bearer error="invalid_token"` for one that does not verify.
        const token = bearerToken(req);
        if (!token) return { status: 401, headers: { "www-authenticate": "Bearer" } };
        const caller = await callerFromToken(ctx, token, true);
        if (!caller) return { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } };
        return search(ctx, req, caller);
      },
    },
  ];
}
