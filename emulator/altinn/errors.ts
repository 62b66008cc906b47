// The three error shapes of Altinn's platform APIs (shared/specs/altinn-registry.md §0): Altinn ProblemDetails
// (with codes such as RR-00001 and a validation variant), ASP.NET RFC 7807 problems, and plain strings.
import { randomBytes } from "node:crypto";
import { type Reply } from "../core/router.js";

const PROBLEM = "application/problem+json";

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  415: "Unsupported Media Type",
  451: "Unavailable For Legal Reasons",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
};

/** RFC 9110 section links, as ASP.NET puts them in `type`. */
const RFC_SECTION: Record<number, string> = {
  400: "15.5.1",
  401: "15.5.2",
  403: "15.5.4",
  404: "15.5.5",
  409: "15.5.10",
  410: "15.5.11",
  412: "15.5.13",
  415: "15.5.16",
  500: "15.6.1",
  501: "15.6.2",
  503: "15.6.4",
};

/** A W3C trace id, like ASP.NET's `traceId`. */
export function traceId(): string {
  return `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-00`;
}

export function rfcType(status: number): string {
  return `https://tools.ietf.org/html/rfc9110#section-${RFC_SECTION[status] ?? "15.5.1"}`;
}

/** Altinn.Authorization.ProblemDetails: `{type:"urn:altinn:error:<code>", title, status, detail, code, traceId, statusDescription}`. */
export function altinnProblem(
  status: number,
  code: string,
  title: string,
  detail?: string,
  extensions: Readonly<Record<string, string>> = {},
): Reply {
  return {
    status,
    headers: { "content-type": PROBLEM },
    body: {
      type: `urn:altinn:error:${code}`,
      title,
      status,
      ...(detail === undefined ? {} : { detail }),
      code,
      traceId: traceId(),
      statusDescription: STATUS_TEXT[status] ?? "",
      // ProblemExtensionData: top-level members.
      ...extensions,
    },
  };
}

export interface ValidationError {
  readonly code: string;
  readonly title: string;
  readonly paths: readonly string[];
  readonly detail?: string;
  /** ProblemExtensionData of the error, written as top-level members of it. */
  readonly extensions?: Readonly<Record<string, string>>;
}

/** The Altinn validation variant: `code:"STD-00000"` and a `validationErrors` array. */
export function altinnValidation(errors: readonly ValidationError[]): Reply {
  return {
    status: 400,
    headers: { "content-type": PROBLEM },
    body: {
      type: "urn:altinn:error:STD-00000",
      title: "One or more validation errors occurred.",
      status: 400,
      code: "STD-00000",
      traceId: traceId(),
      statusDescription: "Bad Request",
      validationErrors: errors.map((e) => ({
        code: e.code,
        title: e.title,
        paths: [...e.paths],
        ...(e.detail === undefined ? {} : { detail: e.detail }),
        ...e.extensions,
      })),
    },
  };
}

/** ASP.NET's RFC 7807 body, as bare `NotFound()`, `Unauthorized()` or model-binding failures give it. */
export function aspnetProblem(status: number, errors?: Record<string, string[]>): Reply {
  return {
    status,
    headers: { "content-type": PROBLEM },
    body: {
      type: rfcType(status),
      title: errors ? "One or more validation errors occurred." : (STATUS_TEXT[status] ?? "Error"),
      status,
      ...(errors ? { errors } : {}),
      traceId: traceId(),
    },
  };
}

/** `BadRequest("msg")` and friends: a JSON string (quotes included) under `[Produces("application/json")]`, else text/plain. */
export function stringReply(status: number, message: string, asJson = true): Reply {
  return asJson
    ? { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(message) }
    : { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: message };
}

/** `Forbid()`: 403 with an empty body. */
export function forbid(): Reply {
  return { status: 403 };
}

/** Thrown by helpers deep in a handler; the Altinn wrapper turns it into the reply. */
export class AltinnFailure extends Error {
  constructor(readonly reply: Reply) {
    super(`altinn failure ${reply.status}`);
  }
}

export function fail(reply: Reply): never {
  throw new AltinnFailure(reply);
}
