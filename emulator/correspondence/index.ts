// Altinn Correspondence (Melding), just enough to prove access: a sender initialises a correspondence, it is
// published shortly after, and the recipient lists and opens it; every check is the resource's policy and access
// lists through the emulator's PDP (shared/specs/altinn-events-broker-dialogporten.md §3 and §3.1).
import { randomUUID } from "node:crypto";
import { type EmulatorContext, altinnSettings } from "../core/context.js";
import { type Reply, type Request, type Route, json, queryParam } from "../core/router.js";
import { type StoredCorrespondence, findOrg, nowIso } from "../core/state.js";
import { type AltinnCaller, altinnHandler } from "../altinn/auth.js";
import { type JsonObject, isObject, prop, readBody } from "../altinn/body.js";
import { forbid, rfcType, traceId } from "../altinn/errors.js";
import { decide, subjectOf } from "../authorization/pdp.js";
import { publish } from "../events/index.js";
import { currentResource, resourceOwner } from "../resourceregistry/index.js";

export const CORRESPONDENCE_BASE = "/correspondence/api/v1";
const WRITE_SCOPE = "altinn:correspondence.write";
const READ_SCOPE = "altinn:correspondence.read";
const SERVICE_OWNER_SCOPE = "altinn:serviceowner";
const ORG_URN = "urn:altinn:organization:identifier-no:";
const ORG_RECIPIENT = /^(?:0192:|urn:altinn:organization:identifier-no:)(\d{9})$/;
const PERSON_RECIPIENT = /^(?:urn:altinn:person:identifier-no:)?\d{11}$/;
const OTHER_RECIPIENT = /^urn:altinn:person:(?:idporten-email:.+|legacy-selfidentified:[^:]+)$/;
/** ResourceIdentifierAttribute. */
const RESOURCE_IDENTIFIER = /^(?:urn:altinn:resource:)?[^:]{1,255}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Statuses a recipient never sees (FilterByStatus's recipient blacklist; IsAvailableForRecipient). */
const HIDDEN_FOR_RECIPIENT = new Set(["Initialized", "ReadyForPublish", "Failed"]);

const RFC_TITLES: Record<number, [string, string]> = {
  400: ["https://tools.ietf.org/html/rfc9110#section-15.5.1", "Bad Request"],
  401: ["https://tools.ietf.org/html/rfc9110#section-15.5.2", "Unauthorized"],
  403: ["https://tools.ietf.org/html/rfc9110#section-15.5.4", "Forbidden"],
  404: ["https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found"],
  409: ["https://tools.ietf.org/html/rfc9110#section-15.5.10", "Conflict"],
  451: ["https://tools.ietf.org/html/rfc7725#section-3", "Unavailable For Legal Reasons"],
};

/** Correspondence's application errors: [status, number, message] (Errors.cs). */
export const CORRESPONDENCE_ERRORS = {
  CorrespondenceNotFound: [404, 1001, "The requested correspondence was not found"],
  MessageTitleIsNotPlainText: [400, 1002, "Message title must be plain text"],
  MessageBodyIsNotMarkdown: [400, 1003, "Message body must be markdown"],
  DuplicateRecipients: [400, 1006, "Recipients must be unique"],
  DueDatePriorToday: [400, 1008, "DueDateTime cannot be prior to today"],
  DueDatePriorRequestedPublishTime: [400, 1009, "DueDateTime cannot be prior to RequestedPublishTime"],
  DueDateRequired: [400, 1016, "DueDateTime is required when confirmation is needed"],
  ReadBeforeFetched: [400, 1024, "Correspondence must be fetched before it can be read"],
  MissingContent: [400, 1019, "The Content field must be provided for the correspondence"],
  MessageTitleEmpty: [400, 1020, "Message title cannot be empty"],
  MessageBodyEmpty: [400, 1021, "Message body cannot be empty"],
  MessageBodyTooLong: [400, 1022, "Message body cannot exceed 30000 characters"],
  InvalidLanguage: [400, 1023, "Invalid language chosen. Supported languages is Norsk bokmål (nb), Nynorsk (nn) and English (en)"],
  InvalidDateRange: [400, 1027, "From date cannot be after to date"],
  DuplicateInitCorrespondenceRequest: [409, 1034, "A correspondence with the same idempotent key already exists"],
  InvalidResource: [400, 1036, "ResourceId must match an existing resource in the resource registry"],
  MessageTitleTooLong: [400, 1037, "Message title cannot exceed 255 characters"],
  MessageSenderIsNotPlainText: [400, 1039, "Message sender must be plain text"],
  AlreadyMarkedAsRead: [400, 1040, "Correspondence is already marked as read"],
  MessageSummaryWrongLength: [400, 1042, "Message summary, if not null, must be between 0 and 255 characters long"],
  IdempotencyKeyNotAllowedWithMultipleRecipients: [400, 1047, "Idempotency key is not supported for requests with multiple recipients"],
  ServiceOwnerNotFound: [
    451,
    2014,
    "Service owner not setup in this environment. You need a service owner agreement to use Correspondence. Please contact us at Slack.",
  ],
  NoAccessToResource: [
    401,
    4001,
    "You must use an Altinn token, DialogToken or log in to IDPorten as someone with access to the resource and organization in Altinn Authorization",
  ],
  IncorrectCorrespondenceResourceType: [
    400,
    4010,
    "Resource type is not supported. Resource must be of type CorrespondenceService. If creating a Correspondence as a transmission with reference to an existing DialogId AltinnApp is also allowed.",
  ],
} as const satisfies Record<string, readonly [number, number, string]>;

type ErrorName = keyof typeof CORRESPONDENCE_ERRORS;

/** `ProblemDetailsHelper.ToProblemResult`: an Altinn problem (`code` CORR-0NNNN) with the RFC type and title, and `errorCode`. */
function corrError(name: ErrorName, message?: string): Reply {
  const [status, number, text] = CORRESPONDENCE_ERRORS[name];
  return corrProblem(status, number, message ?? text);
}

function corrProblem(status: number, number: number, detail: string): Reply {
  const [type, title] = RFC_TITLES[status] ?? [rfcType(status), "Error"];
  return {
    status,
    headers: { "content-type": "application/problem+json" },
    body: {
      type,
      title,
      status,
      detail,
      code: `CORR-${String(number).padStart(5, "0")}`,
      traceId: traceId(),
      errorCode: number,
    },
  };
}

/** `ToValidationProblemResult`: model-state errors as Altinn validation errors (CORR.VLD-00000) plus the old `errors` map. */
function validationProblem(errors: Record<string, string[]>): Reply {
  return {
    status: 400,
    headers: { "content-type": "application/problem+json" },
    body: {
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
      title: "Bad Request",
      status: 400,
      code: "STD-00000",
      validationErrors: Object.entries(errors).flatMap(([key, messages]) =>
        messages.map((m) => ({ code: "CORR.VLD-00000", title: m, paths: [`/${key.replace(/\./g, "/")}`] })),
      ),
      errors,
      traceId: traceId(),
    },
  };
}

// --- token policies (AuthorizationConstants.Sender / Recipient / SenderOrRecipient) ---

/** Sender: an Altinn token with `altinn:correspondence.write`, or a Maskinporten token with it and `altinn:serviceowner`. */
function isSender(c: AltinnCaller): boolean {
  return c.scopes.has(WRITE_SCOPE) && (c.tokenKind === "altinn" || c.scopes.has(SERVICE_OWNER_SCOPE));
}
/** Recipient: an Altinn token (the only scheme of the policy) with `altinn:correspondence.read`. */
function isRecipient(c: AltinnCaller): boolean {
  return c.tokenKind === "altinn" && c.scopes.has(READ_SCOPE);
}
/** `ClaimsPrincipalExtensions.CallingAsSender`: the scope string contains the write scope. */
function callingAsSender(c: AltinnCaller): boolean {
  return c.scopes.has(WRITE_SCOPE);
}

/** The org of the token's `consumer` claim (the bypass compares it, not the system user's org). */
function consumerOrg(c: AltinnCaller): string | undefined {
  const id = (c.claims["consumer"] as { ID?: unknown } | undefined)?.ID;
  return typeof id === "string" ? /^(?:0192:)?(\d{9})$/.exec(id)?.[1] : undefined;
}

/** The caller's organisation: a system user's owner, else the token's organisation. */
function callerOrg(c: AltinnCaller): string {
  return c.systemUser?.orgNumber ?? c.orgNumber;
}

const withoutPrefix = (s: string): string => ORG_RECIPIENT.exec(s)?.[1] ?? s;

/** A Norwegian national identity number: eleven digits with both mod-11 control digits (`IsSocialSecurityNumber`). */
export function isNationalIdentityNumber(s: string): boolean {
  const d = s.replace(/^urn:altinn:person:identifier-no:/, "");
  if (!/^\d{11}$/.test(d)) return false;
  const control = (weights: readonly number[]) => {
    const sum = weights.reduce((acc, w, i) => acc + w * Number(d[i]), 0);
    const c = 11 - (sum % 11);
    return c === 11 ? 0 : c;
  };
  const c1 = control([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  const c2 = control([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  return c1 !== 10 && c2 !== 10 && c1 === Number(d[9]) && c2 === Number(d[10]);
}

/**
 * `AltinnAuthorizationService.CheckUserAccess`: the resource must have an owner (else no access); a token with
 * `altinn:serviceowner` whose consumer is the resource owner is not asked the policy; everyone else needs the PDP to
 * permit one of `actions` with `party` as the resource party.
 */
function hasAccess(ctx: EmulatorContext, c: AltinnCaller, resourceId: string, party: string, actions: readonly string[]): boolean {
  const resource = currentResource(ctx, resourceId);
  const owner = resource ? resourceOwner(ctx, resource) : undefined;
  if (!owner) return false;
  if (c.scopes.has(SERVICE_OWNER_SCOPE) && consumerOrg(c) === owner) return true;
  const subject = subjectOf(ctx, c);
  return actions.some((action) => decide(ctx, { subject, resourceId, action, resourcePartyOrgNumber: withoutPrefix(party) }).permit);
}

/** Whether Correspondence has the org set up as a service owner (seed flag, default: a service owner). */
export function correspondenceServiceOwner(ctx: EmulatorContext, orgNumber: string): boolean {
  const org = findOrg(ctx.store.state, orgNumber);
  return org !== undefined && (org.correspondenceServiceOwner ?? org.serviceOwner);
}

// --- publishing ---

function latest(c: StoredCorrespondence): string {
  return c.statuses[c.statuses.length - 1]?.status ?? "Initialized";
}

function addStatus(c: StoredCorrespondence, status: string, at = nowIso()): void {
  c.statuses.push({ status, statusText: status, statusChanged: at });
}

function event(ctx: EmulatorContext, type: string, c: StoredCorrespondence, party: string): JsonObject {
  return {
    specversion: "1.0",
    id: randomUUID(),
    time: nowIso(),
    type: `no.altinn.correspondence.${type}`,
    source: `${ctx.origin}${CORRESPONDENCE_BASE}/correspondence`,
    resource: `urn:altinn:resource:${c.resourceId}`,
    resourceinstance: c.id,
    subject: party,
    alternativesubject: `/organisation/${withoutPrefix(party)}`,
  };
}

function publishAt(ctx: EmulatorContext, c: StoredCorrespondence): number {
  const delay = altinnSettings(ctx).correspondencePublishMs ?? 0;
  return Math.max(Date.parse(c.requestedPublishTime), Date.parse(c.created) + delay);
}

/** Publishes a ReadyForPublish correspondence once its time has come; sends `correspondencepublished` to Events. */
function publishIfDue(ctx: EmulatorContext, c: StoredCorrespondence): boolean {
  if (latest(c) !== "ReadyForPublish" || Date.now() < publishAt(ctx, c)) return false;
  const at = nowIso();
  addStatus(c, "Published", at);
  c.published = at;
  void publish(ctx, event(ctx, "correspondencepublished", c, c.recipient));
  return true;
}

/** Brings every due correspondence up to date (a read sees what the publish job would have done by now). */
function settle(ctx: EmulatorContext): void {
  let changed = false;
  for (const c of Object.values(ctx.store.state.correspondences)) changed = publishIfDue(ctx, c) || changed;
  if (changed) ctx.store.save();
}

function schedulePublish(ctx: EmulatorContext, id: string): void {
  const c = ctx.store.state.correspondences[id];
  if (!c) return;
  ctx.background.schedule(Math.max(0, publishAt(ctx, c) - Date.now()), () => {
    const current = ctx.store.state.correspondences[id];
    if (current && publishIfDue(ctx, current)) ctx.store.save();
  });
}

// --- initialise ---

function dateOrNull(v: unknown): string | null | "invalid" {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string" || Number.isNaN(Date.parse(v))) return "invalid";
  return new Date(Date.parse(v)).toISOString();
}

function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** `StringLength`'s messages. */
function lengthError(field: string, max: number, min = 0): string {
  return min > 0
    ? `The field ${field} must be a string with a minimum length of ${min} and a maximum length of ${max}.`
    : `The field ${field} must be a string with a maximum length of ${max}.`;
}

/** `[Required]` on a string: null, missing and empty strings fail. */
const missing = (v: unknown): boolean => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** Model binding and the validation attributes of InitializeCorrespondencesExt (keys as ASP.NET's model state). */
function readInitialize(req: Request): { body: JsonObject; errors: Record<string, string[]> } {
  const body = readBody(req);
  const errors: Record<string, string[]> = {};
  const add = (key: string, msg: string) => (errors[key] ??= []).push(msg);
  const text = (key: string, v: unknown) => {
    if (v !== undefined && v !== null && typeof v !== "string") add(`$.${key}`, `The JSON value could not be converted to System.String.`);
  };
  if (!isObject(body)) return { body: {}, errors: { $: ["The JSON value could not be converted to InitializeCorrespondencesExt."] } };
  const corr = prop(body, "correspondence");
  if (!isObject(corr)) add("Correspondence", "The Correspondence field is required.");
  else {
    const rid = prop(corr, "resourceId");
    text("correspondence.resourceId", rid);
    if (missing(rid)) add("Correspondence.ResourceId", "The ResourceId field is required.");
    else if (typeof rid === "string") {
      if (rid.length > 255) add("Correspondence.ResourceId", lengthError("ResourceId", 255, 1));
      if (!RESOURCE_IDENTIFIER.test(rid)) add("Correspondence.ResourceId", "Invalid Resource identifier format");
    }
    const ref = prop(corr, "sendersReference");
    text("correspondence.sendersReference", ref);
    if (missing(ref)) add("Correspondence.SendersReference", "The SendersReference field is required.");
    else if (typeof ref === "string" && ref.length > 4096) add("Correspondence.SendersReference", lengthError("SendersReference", 4096, 1));
    const messageSender = prop(corr, "messageSender");
    text("correspondence.messageSender", messageSender);
    if (typeof messageSender === "string" && messageSender.length > 255)
      add("Correspondence.MessageSender", lengthError("MessageSender", 255));
    const content = prop(corr, "content");
    if (!isObject(content)) add("Correspondence.Content", "The Content field is required.");
    else {
      const title = prop(content, "messageTitle");
      const summary = prop(content, "messageSummary");
      const messageBody = prop(content, "messageBody");
      const language = prop(content, "language");
      for (const [k, v] of [
        ["messageTitle", title],
        ["messageSummary", summary],
        ["messageBody", messageBody],
        ["language", language],
      ] as const)
        text(`correspondence.content.${k}`, v);
      if (missing(title)) add("Correspondence.Content.MessageTitle", "The MessageTitle field is required.");
      else if (typeof title === "string" && title.length > 255)
        add("Correspondence.Content.MessageTitle", lengthError("MessageTitle", 255, 1));
      if (typeof summary === "string" && summary.length > 255)
        add("Correspondence.Content.MessageSummary", lengthError("MessageSummary", 255));
      if (missing(messageBody)) add("Correspondence.Content.MessageBody", "The MessageBody field is required.");
      else if (typeof messageBody === "string" && messageBody.length > 30000)
        add("Correspondence.Content.MessageBody", lengthError("MessageBody", 30000, 1));
      // ISO6391Attribute: blank passes (it defaults to nb); else exactly two characters, and not the invariant culture's "iv".
      if (typeof language === "string" && language.trim() !== "") {
        if (language.length !== 2) add("Correspondence.Content.Language", "The ISO6391 field must be exactly 2 characters long!");
        else if ("iv".includes(language)) add("Correspondence.Content.Language", "The language code must be ISO6391 compliant!");
      }
    }
  }
  const recipients = prop(body, "recipients");
  if (recipients === undefined || recipients === null) add("Recipients", "The Recipients field is required.");
  else if (!Array.isArray(recipients)) add("Recipients", "Recipients Object is not of proper type");
  else if (recipients.length === 0) add("Recipients", "Recipients can not be empty");
  else if (recipients.length > 500) add("Recipients", "Recipients can contain at most 500 recipients");
  else if (recipients.some((r) => typeof r !== "string" || r === "")) add("Recipients", "Recipients can not contain null or empty values");
  else {
    const bad = (recipients as string[]).find((r) => !ORG_RECIPIENT.test(r) && !PERSON_RECIPIENT.test(r) && !OTHER_RECIPIENT.test(r));
    const badPerson = (recipients as string[]).find((r) => PERSON_RECIPIENT.test(r) && !isNationalIdentityNumber(r));
    if (bad === undefined && badPerson !== undefined) add("Recipients", "The given Recipient national identity number is not valid");
    if (bad !== undefined)
      add(
        "Recipients",
        "Recipient should be an organization number in the format 'urn:altinn:organization:identifier-no:organizationnumber' or the format countrycode:organizationnumber, for instance 0192:910753614, a national identity number, an idporten email URN in the format 'urn:altinn:person:idporten-email:email', or a legacy selfidentified URN in the format 'urn:altinn:person:legacy-selfidentified:username'",
      );
  }
  const key = prop(body, "idempotentKey");
  if (key !== undefined && key !== null) {
    if (typeof key !== "string" || !GUID.test(key))
      add("$.idempotentKey", "The JSON value could not be converted to System.Nullable`1[System.Guid].");
    else if (/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(key)) add("IdempotentKey", "The idempotency key must be a valid non-empty GUID");
  }
  return { body, errors };
}

const HTML_TAG = /<\/?[a-zA-Z][^<>]*>/;

/**
 * `TextValidation.ValidatePlainText`, approximated: the real one round-trips the text through Markdig and
 * ReverseMarkdown and compares; here, HTML tags and markdown syntax (headings, quotes, emphasis, links, images,
 * rules) fail. Backticks and backslashes are always accepted, as in the real one.
 */
export function isPlainText(text: string): boolean {
  const t = text.replace(/[`\\]/g, "");
  return !(
    HTML_TAG.test(t) ||
    /^\s{0,3}#{1,6}(\s|$)/m.test(t) ||
    /^\s{0,3}>/m.test(t) ||
    /\*\*\S|__\S|(^|[^\w*])\*[^\s*][^*]*\*/.test(t) ||
    /(^|\W)_[^\s_][^_]*_(\W|$)/.test(t) ||
    /!?\[[^\]]*\]\([^)]*\)/.test(t) ||
    /^\s{0,3}([-*_])(\s*\1){2,}\s*$/m.test(t)
  );
}

/** `TextValidation.ValidateMarkdown`, approximated: markdown is fine, HTML outside code spans and blocks is not. */
export function isMarkdown(text: string): boolean {
  return !HTML_TAG.test(text.replace(/```[\s\S]*?```|``[\s\S]*?``|`[^`]*`/g, ""));
}

function initialize(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!isSender(caller)) return forbid();
  const { body, errors } = readInitialize(req);
  if (Object.keys(errors).length > 0) return validationProblem(errors);
  const corr = prop(body, "correspondence") as JsonObject;
  const content = prop(corr, "content") as JsonObject;
  // The mapper strips a `urn:altinn:resource:` prefix.
  const resourceId = (prop(corr, "resourceId") as string).replace(/^urn:altinn:resource:/, "");
  const recipients = prop(body, "recipients") as string[];
  const key = prop(body, "idempotentKey");
  const idempotentKey = typeof key === "string" ? key.toLowerCase() : null;
  const state = ctx.store.state;

  // Handler: idempotency first, then the validation helper's order.
  if (idempotentKey !== null) {
    if (recipients.length > 1) return corrError("IdempotencyKeyNotAllowedWithMultipleRecipients");
    if (Object.values(state.correspondences).some((c) => c.idempotentKey === idempotentKey))
      return corrError("DuplicateInitCorrespondenceRequest");
  }
  const resource = currentResource(ctx, resourceId);
  const owner = resource ? resourceOwner(ctx, resource) : undefined;
  if (!resource || !owner) return corrError("InvalidResource");
  if (!hasAccess(ctx, caller, resourceId, owner, ["write"])) return corrError("NoAccessToResource");
  if (resource["resourceType"] !== "CorrespondenceService") return corrError("IncorrectCorrespondenceResourceType");
  // Emulator choice: the real service's check is disabled in code; see emulator/README.md.
  if (!correspondenceServiceOwner(ctx, owner)) return corrError("ServiceOwnerNotFound");
  if (new Set(recipients).size !== recipients.length) return corrError("DuplicateRecipients");
  const notFound = recipients.filter((r) => {
    const org = ORG_RECIPIENT.exec(r)?.[1];
    return org === undefined || !state.parties.some((p) => p.orgNumber === org);
  });
  if (notFound.length > 0) return corrProblem(404, 1029, `Could not find partyId for the following recipients: ${notFound.join(", ")}`);
  const due = dateOrNull(prop(corr, "dueDateTime"));
  const requested = dateOrNull(prop(corr, "requestedPublishTime"));
  if (due === "invalid" || requested === "invalid")
    return validationProblem({
      [due === "invalid" ? "Correspondence.DueDateTime" : "Correspondence.RequestedPublishTime"]: ["The value is not a valid date."],
    });
  const confirmation = prop(corr, "isConfirmationNeeded") === true;
  if (confirmation && due === null) return corrError("DueDateRequired");
  const created = nowIso();
  const publishTime = requested ?? created;
  if (due !== null) {
    if (Date.parse(due) < Date.now()) return corrError("DueDatePriorToday");
    if (Date.parse(due) < Date.parse(publishTime)) return corrError("DueDatePriorRequestedPublishTime");
  }
  const title = prop(content, "messageTitle") as string;
  const messageBody = prop(content, "messageBody") as string;
  const summary = prop(content, "messageSummary");
  const rawLanguage = prop(content, "language");
  // The mapper: a blank language is nb.
  const language = typeof rawLanguage === "string" && rawLanguage.trim() !== "" ? rawLanguage : "nb";
  // ValidateCorrespondenceContent, in its order.
  if (title.trim() === "") return corrError("MessageTitleEmpty");
  if (!isPlainText(title)) return corrError("MessageTitleIsNotPlainText");
  if (title.length > 255) return corrError("MessageTitleTooLong");
  if (typeof summary === "string" && summary.length > 255) return corrError("MessageSummaryWrongLength");
  if (!isMarkdown(messageBody)) return corrError("MessageBodyIsNotMarkdown");
  if (messageBody.length < 1) return corrError("MessageBodyEmpty");
  if (messageBody.length > 30000) return corrError("MessageBodyTooLong");
  if (!["nb", "nn", "en"].includes(language.toLowerCase())) return corrError("InvalidLanguage");
  const messageSender = prop(corr, "messageSender");
  if (typeof messageSender === "string" && messageSender !== "" && !isPlainText(messageSender))
    return corrError("MessageSenderIsNotPlainText");

  const made: StoredCorrespondence[] = recipients.map((r) => {
    const c: StoredCorrespondence = {
      id: randomUUID(),
      resourceId,
      sender: `${ORG_URN}${owner}`,
      serviceOwnerOrgNumber: owner,
      recipient: `${ORG_URN}${withoutPrefix(r)}`,
      sendersReference: prop(corr, "sendersReference") as string,
      messageSender: typeof messageSender === "string" ? messageSender : null,
      content: { language, messageTitle: title, messageSummary: typeof summary === "string" ? summary : null, messageBody },
      requestedPublishTime: publishTime,
      dueDateTime: due,
      propertyList: stringMap(prop(corr, "propertyList")),
      replyOptions: Array.isArray(prop(corr, "replyOptions")) ? (prop(corr, "replyOptions") as unknown[]) : [],
      externalReferences: Array.isArray(prop(corr, "externalReferences")) ? (prop(corr, "externalReferences") as unknown[]) : [],
      isConfirmationNeeded: confirmation,
      isConfidential: prop(corr, "isConfidential") === true,
      allowForwarding: prop(corr, "allowForwarding") === true,
      ignoreReservation: prop(corr, "ignoreReservation") === true,
      idempotentKey,
      created,
      published: null,
      statuses: [],
    };
    addStatus(c, "Initialized", created);
    addStatus(c, "ReadyForPublish", created);
    return c;
  });
  for (const c of made) {
    state.correspondences[c.id] = c;
    void publish(ctx, event(ctx, "correspondenceinitialized", c, c.sender));
    schedulePublish(ctx, c.id);
  }
  return json(200, {
    correspondences: made.map((c) => ({ correspondenceId: c.id, status: "ReadyForPublish", recipient: c.recipient, notifications: [] })),
    attachmentIds: [],
  });
}

// --- read ---

function overview(c: StoredCorrespondence, withContent: boolean): JsonObject {
  const last = c.statuses[c.statuses.length - 1] as StoredCorrespondence["statuses"][number];
  const read = c.statuses.find((s) => s.status === "Read")?.statusChanged ?? null;
  return {
    correspondenceId: c.id,
    status: last.status,
    statusText: last.statusText,
    statusChanged: last.statusChanged,
    resourceId: c.resourceId,
    sender: c.sender,
    sendersReference: c.sendersReference,
    messageSender: c.messageSender ?? "",
    // CorrespondenceContentMapper: withheld content is an empty object in language "no".
    content: withContent
      ? { ...c.content, attachments: [] }
      : { language: "no", messageTitle: "", messageSummary: "", messageBody: "", attachments: [] },
    created: c.created,
    recipient: c.recipient,
    replyOptions: c.replyOptions,
    notifications: [],
    propertyList: c.propertyList,
    externalReferences: c.externalReferences,
    requestedPublishTime: c.requestedPublishTime,
    ignoreReservation: c.ignoreReservation,
    published: c.published,
    read,
    isConfirmationNeeded: c.isConfirmationNeeded,
    isConfidential: c.isConfidential,
    allowForwarding: c.allowForwarding,
    dueDateTime: c.dueDateTime,
  };
}

type Opened = { c: StoredCorrespondence; asRecipient: boolean; asSender: boolean } | Reply;

/** GetCorrespondenceOverviewHandler's checks: 404 CORR-01001, then recipient or sender access (401 CORR-04001), then availability. */
function open(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Opened {
  settle(ctx);
  const id = req.params["correspondenceId"] as string;
  if (!GUID.test(id)) return validationProblem({ correspondenceId: [`The value '${id}' is not valid.`] });
  const c = ctx.store.state.correspondences[id.toLowerCase()];
  if (!c) return corrError("CorrespondenceNotFound");
  const asRecipient = hasAccess(ctx, caller, c.resourceId, c.recipient, ["read"]);
  const asSender = hasAccess(ctx, caller, c.resourceId, c.sender, ["write"]);
  if (!asRecipient && !asSender) return corrError("NoAccessToResource");
  if (asRecipient && !callingAsSender(caller) && HIDDEN_FOR_RECIPIENT.has(latest(c))) return corrError("CorrespondenceNotFound");
  return { c, asRecipient, asSender };
}

/** A recipient's fetch (the real service's StatusFetched row); the overview debounces them for 15 s, details do not. */
function recordFetch(c: StoredCorrespondence, debounce: boolean): void {
  const fetched = (c.fetched ??= []);
  const last = fetched[fetched.length - 1];
  if (debounce && last && Date.now() - Date.parse(last.statusChanged) < 15_000) return;
  fetched.push({ status: "Fetched", statusText: "Fetched", statusChanged: nowIso() });
}

function getOne(ctx: EmulatorContext, req: Request, caller: AltinnCaller, details: boolean): Reply {
  if (!isSender(caller) && !isRecipient(caller)) return forbid();
  const o = open(ctx, req, caller);
  if ("status" in o) return o;
  const { c, asRecipient } = o;
  if (asRecipient && !callingAsSender(caller)) {
    recordFetch(c, !details);
    ctx.store.save();
  }
  // Content is shown to the recipient, and to others until the correspondence is published.
  const body = overview(c, asRecipient || c.published === null);
  if (!details) return json(200, body);
  const history = [...c.statuses, ...(c.fetched ?? [])].sort((a, b) => Date.parse(a.statusChanged) - Date.parse(b.statusChanged));
  return json(200, { ...body, statusHistory: history.map((s) => ({ ...s })) });
}

function getContent(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!isRecipient(caller)) return forbid();
  const o = open(ctx, req, caller);
  if ("status" in o) return o;
  const { c, asRecipient } = o;
  if (asRecipient && !callingAsSender(caller) && !c.statuses.some((s) => s.status === "Read")) {
    recordFetch(c, true);
    addStatus(c, "Read");
    void publish(ctx, event(ctx, "correspondencereceiverread", c, c.sender));
    ctx.store.save();
  }
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: c.content.messageBody };
}

/** MarkCorrespondenceAsReadHandler: 404, recipient access (401), available (404), fetched first (1024), not read yet (1040). */
function markAsRead(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!isRecipient(caller)) return forbid();
  settle(ctx);
  const id = req.params["correspondenceId"] as string;
  if (!GUID.test(id)) return validationProblem({ correspondenceId: [`The value '${id}' is not valid.`] });
  const c = ctx.store.state.correspondences[id.toLowerCase()];
  if (!c) return corrError("CorrespondenceNotFound");
  if (!hasAccess(ctx, caller, c.resourceId, c.recipient, ["read"])) return corrError("NoAccessToResource");
  if (HIDDEN_FOR_RECIPIENT.has(latest(c))) return corrError("CorrespondenceNotFound");
  if ((c.fetched ?? []).length === 0) return corrError("ReadBeforeFetched");
  if (c.statuses.some((s) => s.status === "Read")) return corrError("AlreadyMarkedAsRead");
  addStatus(c, "Read");
  void publish(ctx, event(ctx, "correspondencereceiverread", c, c.sender));
  return json(200, c.id);
}

const ROLES = ["Recipient", "Sender", "RecipientAndSender"];
const STATUSES = [
  "Initialized",
  "ReadyForPublish",
  "Published",
  "Fetched",
  "Read",
  "Replied",
  "Confirmed",
  "PurgedByRecipient",
  "PurgedByAltinn",
  "Archived",
  "Reserved",
  "Failed",
  "AttachmentsDownloaded",
  "Forwarded",
];

/** An enum query value as ASP.NET binds it: a name in any case, or its number. */
function enumValue(values: readonly string[], raw: string): string | undefined {
  if (/^\d+$/.test(raw)) return values[Number(raw)];
  return values.find((v) => v.toLowerCase() === raw.toLowerCase());
}

/**
 * GET ?resourceId&role[&status&from&to&sendersReference&idempotentKey&onBehalfOf]: the ids the party may see, after
 * CheckAccessAsAny (read or write) on it. `status` filters on statuses the correspondence has had.
 */
function list(ctx: EmulatorContext, req: Request, caller: AltinnCaller): Reply {
  if (!isSender(caller) && !isRecipient(caller)) return forbid();
  settle(ctx);
  const errors: Record<string, string[]> = {};
  const role = queryParam(req.query, "role");
  const matched = role === null || role === "" ? undefined : enumValue(ROLES, role);
  if (role === null || role === "") errors["role"] = ["The role field is required."];
  else if (matched === undefined) errors["role"] = [`The value '${role}' is not valid.`];
  const statusRaw = queryParam(req.query, "status");
  const status = statusRaw === null || statusRaw === "" ? undefined : enumValue(STATUSES, statusRaw);
  if (statusRaw !== null && statusRaw !== "" && status === undefined) errors["status"] = [`The value '${statusRaw}' is not valid.`];
  const dates: Record<string, number | undefined> = {};
  for (const name of ["from", "to"]) {
    const v = queryParam(req.query, name);
    if (v === null || v === "") continue;
    const t = Date.parse(v);
    if (Number.isNaN(t)) errors[name] = [`The value '${v}' is not valid.`];
    else dates[name] = t;
  }
  const key = queryParam(req.query, "idempotentKey");
  if (key !== null && key !== "" && !GUID.test(key)) errors["idempotentKey"] = [`The value '${key}' is not valid.`];
  const rawOnBehalfOf = queryParam(req.query, "onBehalfOf");
  const onBehalfOf = rawOnBehalfOf === null || rawOnBehalfOf.trim() === "" ? null : rawOnBehalfOf;
  if (onBehalfOf !== null && PERSON_RECIPIENT.test(onBehalfOf) && !isNationalIdentityNumber(onBehalfOf))
    errors["onBehalfOf"] = ["The given OnBehalfOf national identity number is not valid"];
  else if (onBehalfOf !== null && !ORG_RECIPIENT.test(onBehalfOf) && !PERSON_RECIPIENT.test(onBehalfOf))
    errors["onBehalfOf"] = [
      "OnBehalfOf must be either a valid organization number (format: 'urn:altinn:organization:identifier-no:organizationnumber' or '0192:organizationnumber') or a valid national identity number (format: 'urn:altinn:person:identifier-no:nationalidentitynumber' or just 'nationalidentitynumber')",
    ];
  if (Object.keys(errors).length > 0) return validationProblem(errors);
  const from = dates["from"];
  const to = dates["to"];
  if (from !== undefined && to !== undefined && from > to) return corrError("InvalidDateRange");
  const resourceId = queryParam(req.query, "resourceId") ?? "";
  const party = onBehalfOf !== null ? withoutPrefix(onBehalfOf.replace(/^urn:altinn:person:identifier-no:/, "")) : callerOrg(caller);
  if (!hasAccess(ctx, caller, resourceId, party, ["read", "write"])) return corrError("NoAccessToResource");
  const all = Object.values(ctx.store.state.correspondences);
  if (key !== null && key !== "") {
    const hit = all.find((c) => c.idempotentKey === key.toLowerCase());
    return json(200, { ids: hit ? [hit.id] : [] });
  }
  const urn = `${ORG_URN}${party}`;
  const had = (c: StoredCorrespondence) => status === undefined || c.statuses.some((s) => s.status === status);
  const asSender = (c: StoredCorrespondence) => (c.serviceOwnerOrgNumber === party || c.sender === urn) && had(c);
  const asRecipient = (c: StoredCorrespondence) =>
    c.recipient === urn && (status === undefined ? !HIDDEN_FOR_RECIPIENT.has(latest(c)) : !HIDDEN_FOR_RECIPIENT.has(status) && had(c));
  const sendersReference = queryParam(req.query, "sendersReference");
  const ids = all
    .filter((c) => c.resourceId === resourceId)
    .filter(
      (c) =>
        (from === undefined || Date.parse(c.requestedPublishTime) > from) && (to === undefined || Date.parse(c.requestedPublishTime) < to),
    )
    .filter((c) => (matched === "Sender" ? asSender(c) : matched === "Recipient" ? asRecipient(c) : asSender(c) || asRecipient(c)))
    .filter((c) => sendersReference === null || sendersReference === "" || c.sendersReference === sendersReference)
    .sort((a, b) => Date.parse(b.requestedPublishTime) - Date.parse(a.requestedPublishTime))
    .slice(0, 1000)
    .map((c) => c.id);
  return json(200, { ids });
}

/** Published correspondences: what Dialogporten shows as dialogs. */
export function publishedCorrespondences(ctx: EmulatorContext): StoredCorrespondence[] {
  settle(ctx);
  return Object.values(ctx.store.state.correspondences).filter((c) => c.published !== null);
}

export function correspondenceRoutes(ctx: EmulatorContext): Route[] {
  const b = `${CORRESPONDENCE_BASE}/correspondence`;
  return [
    {
      method: "POST",
      template: b,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => initialize(ctx, req, caller)),
    },
    { method: "GET", template: b, handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => list(ctx, req, caller)) },
    {
      method: "GET",
      template: `${b}/:correspondenceId`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => getOne(ctx, req, caller, false)),
    },
    {
      method: "GET",
      template: `${b}/:correspondenceId/details`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn-or-maskinporten", (req, caller) => getOne(ctx, req, caller, true)),
    },
    {
      method: "POST",
      template: `${b}/:correspondenceId/markasread`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn", (req, caller) => markAsRead(ctx, req, caller)),
    },
    {
      method: "GET",
      template: `${b}/:correspondenceId/content`,
      mutates: true,
      handler: altinnHandler(ctx, "altinn", (req, caller) => getContent(ctx, req, caller)),
    },
  ];
}
