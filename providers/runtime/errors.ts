/**
 * The one error type of the provider runtime. Every failed API call becomes an {@link ApiError} that says which
 * resource, which call (method and path, never a credential), the status, the API's own error code and
 * correlation id, and what the user can do about it. Its message is what the Pulumi CLI prints.
 */

/** Where a call was made from: the resource kind and a human name for the resource ("client acme-orders"). */
export interface ErrorSubject {
  /** The kind's name as the runtime registry knows it, e.g. `maskinporten:Client`. */
  readonly kind?: string;
  /** A short human identification, e.g. `client "acme-orders" (id 4f0c…)`. */
  readonly resource?: string;
}

export interface ApiErrorDetails extends ErrorSubject {
  /** Which API, e.g. `Maskinporten self-service`. */
  readonly api: string;
  readonly method: string;
  /** Path and query, relative to the API's base URL (credentials never appear in paths). */
  readonly path: string;
  /** HTTP status; undefined for network errors and timeouts. */
  readonly status?: number;
  /** The API's own error code (`MP-200`, `RR-00001`, an OAuth `error`...). */
  readonly code?: string;
  /** The API's own explanation, redacted and shortened. */
  readonly detail?: string;
  /** The correlation/trace id the API returned, for its service desk. */
  readonly correlationId?: string;
  /** What the user can do about it. */
  readonly hint?: string;
  /** How many attempts were made (retries included). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

const MAX_DETAIL = 600;

/**
 * Removes anything that looks like a credential from a text meant for a human: bearer tokens, JWTs, PEM blocks,
 * private JWK members and form-encoded assertions. Applied to every API response text that goes into an error.
 */
export function redact(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?(-----END [A-Z ]+-----|$)/g, "[redacted PEM]")
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]")
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g, "[redacted JWT]")
    .replace(/("(?:d|p|q|dp|dq|qi|k|client_secret|access_token|assertion|privateJwk)"\s*:\s*)"[^"]*"/g, '$1"[redacted]"')
    .replace(/\b(assertion|client_secret|access_token)=[^&\s]+/g, "$1=[redacted]");
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_DETAIL ? `${oneLine.slice(0, MAX_DETAIL)}…` : oneLine;
}

/** A failed call to one of the APIs, with everything the user needs to act on it and nothing secret. */
export class ApiError extends Error {
  readonly kind: string | undefined;
  readonly resource: string | undefined;
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly correlationId: string | undefined;
  readonly hint: string | undefined;
  readonly attempts: number;

  constructor(d: ApiErrorDetails) {
    const detail = d.detail === undefined ? undefined : shorten(redact(d.detail));
    const path = redact(d.path);
    super(ApiError.compose({ ...d, detail, path }), d.cause === undefined ? undefined : { cause: d.cause });
    this.name = "ApiError";
    this.kind = d.kind;
    this.resource = d.resource;
    this.api = d.api;
    this.method = d.method;
    this.path = path;
    this.status = d.status;
    this.code = d.code;
    this.detail = detail;
    this.correlationId = d.correlationId;
    this.hint = d.hint;
    this.attempts = d.attempts ?? 1;
  }

  /** A copy with a better explanation of what to do, or a resource name filled in by a caller higher up. */
  with(more: Partial<Pick<ApiErrorDetails, "hint" | "resource" | "kind" | "detail">>): ApiError {
    return new ApiError({
      kind: more.kind ?? this.kind,
      resource: more.resource ?? this.resource,
      api: this.api,
      method: this.method,
      path: this.path,
      status: this.status,
      code: this.code,
      detail: more.detail ?? this.detail,
      correlationId: this.correlationId,
      hint: more.hint ?? this.hint,
      attempts: this.attempts,
      cause: this.cause,
    });
  }

  private static compose(d: ApiErrorDetails): string {
    const who = [d.kind, d.resource].filter(Boolean).join(" ");
    const status = d.status === undefined ? "no response" : `HTTP ${d.status}`;
    const parts = [`${who ? `${who}: ` : ""}${d.api} ${d.method} ${d.path} failed: ${status}`];
    if (d.code) parts.push(`code ${d.code}`);
    if (d.detail) parts.push(d.detail);
    if (d.correlationId) parts.push(`correlation id ${d.correlationId}`);
    if (d.attempts !== undefined && d.attempts > 1) parts.push(`after ${d.attempts} attempts`);
    let msg = parts.join("; ");
    if (d.hint) msg += `.\nWhat to do: ${d.hint}`;
    return msg;
  }
}

/**
 * A create that made its object upstream but could not finish (for example an Events subscription that never
 * validated). The engine records the resource with these outputs as created but unhealthy, so the id is kept in
 * state and the next `up` continues from it instead of making another one.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly outs: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = "ResourceInitError";
  }
}

/** A problem the user must fix in configuration or inputs, found before or without any API call. */
export class ConfigurationError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(`${redact(message)}\nWhat to do: ${hint}`);
    this.name = "ConfigurationError";
    this.hint = hint;
  }
}

/** The default advice for a status, used when a caller has nothing more specific. */
export function hintForStatus(status: number | undefined): string | undefined {
  if (status === undefined) {
    return "check that the API is reachable from here (network, proxy, the environment's base URL in stack config) and retry";
  }
  if (status === 401) {
    return "the admin token was rejected: check the admin client id and key/certificate for this environment (stack config or environment variables)";
  }
  if (status === 403) {
    return "the admin client lacks an admin scope for this call (idporten:dcr.* / idporten:scopes.*): ask Digdir (servicedesk@digdir.no) to grant it";
  }
  if (status === 429 || status >= 500) return "the API is overloaded or failing: retry later (`pulumi up` is safe to re-run)";
  return undefined;
}
