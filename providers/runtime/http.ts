/**
 * The HTTP layer every API client uses: undici with timeouts, a per-host concurrency cap, retries only where
 * they are safe (429 honouring Retry-After, 502/503/504 and network errors, capped exponential backoff with
 * full jitter; a non-idempotent request only on 429 or a refused connection), and one error type.
 */
import { request, errors as undiciErrors } from "undici";
import type { z } from "zod";

import { ApiError, hintForStatus, type ErrorSubject } from "./errors.js";
import { setting } from "./environments.js";

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After the client will wait; a longer one fails the call with the server's advice. */
  maxRetryAfterMs: number;
  timeoutMs: number;
  /**
   * Concurrent requests per host (scheme + host + port). The provider is not told the engine's `--parallel`;
   * the default leaves room for `-p 32` with two requests in flight per step (a client's read sends two GETs at
   * once), so the engine's parallelism, not this cap, bounds a run. Lower it (`httpConcurrency`) for an API that
   * throttles; 429s are retried after their Retry-After either way.
   */
  perHostConcurrency: number;
}

const DEFAULTS: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 300,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
  perHostConcurrency: 64,
};

let overrides: Partial<RetryPolicy> = {};

/** Test hook and tuning point: replaces parts of the retry policy for this process. */
export function setRetryPolicy(p: Partial<RetryPolicy>): void {
  overrides = { ...p };
}

function positive(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export function retryPolicy(): RetryPolicy {
  const timeoutS = positive(setting("httpTimeoutSeconds"));
  return {
    ...DEFAULTS,
    ...(timeoutS === undefined ? {} : { timeoutMs: timeoutS * 1000 }),
    ...(positive(setting("httpMaxAttempts")) === undefined
      ? {}
      : { maxAttempts: Math.floor(positive(setting("httpMaxAttempts")) ?? DEFAULTS.maxAttempts) }),
    ...(positive(setting("httpConcurrency")) === undefined
      ? {}
      : { perHostConcurrency: Math.floor(positive(setting("httpConcurrency")) ?? DEFAULTS.perHostConcurrency) }),
    ...overrides,
  };
}

/** A counting semaphore per host, so a big stack cannot flood one API. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: () => number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

const gates = new Map<string, Gate>();
function gateFor(origin: string): Gate {
  let g = gates.get(origin);
  if (!g) {
    g = new Gate(() => retryPolicy().perHostConcurrency);
    gates.set(origin, g);
  }
  return g;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface HttpRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** Path relative to the client's base URL, starting with `/`; path segments must already be encoded. */
  readonly path: string;
  readonly query?: Query;
  /** A JSON body, a form body (`application/x-www-form-urlencoded`), or any other body with its content type. */
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  readonly raw?: { readonly contentType: string; readonly data: string | Buffer };
  /**
   * Extra request headers (`If-Match`, `Ocp-Apim-Subscription-Key`, ...). Like the token, they never appear in
   * errors.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** A bearer token; it never appears in errors. */
  readonly token?: string;
  /** Default: true for GET/PUT/DELETE, false for POST/PATCH. A non-idempotent call is retried only on 429. */
  readonly idempotent?: boolean;
  /** Statuses that are answers, not errors (e.g. 404 in `read`). */
  readonly accept?: readonly number[];
  readonly subject?: ErrorSubject;
  /** Advice for a given status, more specific than the default. */
  readonly hints?: Readonly<Record<number, string>>;
}

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What an API says about an error, pulled out of whichever error format it used. */
export interface ParsedError {
  code?: string;
  detail?: string;
  correlationId?: string;
}

/**
 * Reads the error formats of the Digdir and Altinn APIs: Digdir self-service (`errors[]`, `error_description`,
 * `correlation_id`), OAuth (`error`, `error_description` with an `MP-xxx` code), Altinn/RFC 7807 ProblemDetails
 * (`code`, `title`, `detail`, `traceId`), and a plain string.
 */
export function parseErrorBody(text: string, headers: HttpResponse["headers"]): ParsedError {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const out: ParsedError = {};
  const hdrCorrelation = header("x-correlation-id") ?? header("correlation-id") ?? header("x-request-id");
  if (hdrCorrelation) out.correlationId = hdrCorrelation;
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof b[k] === "string" && b[k] !== "" ? (b[k] as string) : undefined);
    const fieldErrors = Array.isArray(b.errors)
      ? (b.errors as unknown[])
          .map((e) => {
            if (!e || typeof e !== "object") return undefined;
            const r = e as Record<string, unknown>;
            const msg = typeof r.errorMessage === "string" ? r.errorMessage : typeof r.detail === "string" ? r.detail : undefined;
            const field = typeof r.fieldIdentifier === "string" ? r.fieldIdentifier : undefined;
            return msg ? (field ? `${field}: ${msg}` : msg) : undefined;
          })
          .filter((s): s is string => !!s)
      : [];
    // Altinn ProblemDetails: `validationErrors: [{code, detail, paths}]`; ASP.NET ValidationProblemDetails:
    // `errors: {Field: [messages]}`. Both name the field.
    const altinnErrors = Array.isArray(b.validationErrors)
      ? (b.validationErrors as unknown[])
          .map((e) => {
            if (!e || typeof e !== "object") return undefined;
            const r = e as Record<string, unknown>;
            const paths = Array.isArray(r.paths) ? r.paths.filter((x): x is string => typeof x === "string") : [];
            const msg = [r.detail, r.title].find((x): x is string => typeof x === "string" && x !== "");
            const code = typeof r.code === "string" ? ` (${r.code})` : "";
            return msg ? `${paths.length > 0 ? `${paths.join(", ")}: ` : ""}${msg}${code}` : undefined;
          })
          .filter((s): s is string => !!s)
      : [];
    const fieldMap =
      b.errors && typeof b.errors === "object" && !Array.isArray(b.errors)
        ? Object.entries(b.errors as Record<string, unknown>).flatMap(([field, msgs]) =>
            (Array.isArray(msgs) ? msgs : [msgs]).filter((m): m is string => typeof m === "string").map((m) => `${field}: ${m}`),
          )
        : [];
    const all = [...fieldErrors, ...altinnErrors, ...fieldMap];
    const description = str("error_description")?.replace(/^[,\s]+/, "");
    const detail = all.length > 0 ? all.join("; ") : (description ?? str("detail") ?? str("title") ?? str("message"));
    if (detail) out.detail = detail;
    const mp = /\bMP-\d{3}\b/.exec(`${str("error_description") ?? ""} ${str("error") ?? ""}`);
    // Digdir's `error` repeats the messages (", msg1, msg2"); only a token-like value is an error code.
    const tokenLike = (v: string | undefined): string | undefined => (v && /^[A-Za-z0-9_.:-]+$/.test(v) ? v : undefined);
    const code = mp?.[0] ?? tokenLike(str("code")) ?? tokenLike(str("error"));
    if (code) out.code = code;
    const corr = str("correlation_id") ?? str("correlationId") ?? str("traceId");
    if (corr) out.correlationId = corr;
  } else if (typeof body === "string" && body) {
    out.detail = body;
  } else if (text) {
    out.detail = text;
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(h: HttpResponse["headers"]): number | undefined {
  const raw = h["retry-after"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function backoff(attempt: number, p: RetryPolicy): number {
  const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(Math.random() * ceiling);
}

function isNetworkError(e: unknown): boolean {
  if (e instanceof undiciErrors.UndiciError) return true;
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^(E[A-Z]+|UND_ERR_.*)$/.test(code);
}

/** Waits before attempt `attempt + 1`: capped exponential backoff with full jitter, by this process's policy. */
export function pause(attempt: number): Promise<void> {
  return sleep(backoff(attempt, retryPolicy()));
}

/**
 * What a failed call says about its effect, for callers that decide whether to send it again:
 * - `rejected`: the API refused it (a 4xx other than 429), or the failure is not an API call's (configuration,
 *   a bug): sending it again fails the same way;
 * - `lost`: no usable answer and the server is done with the request (a connection error, or a 429/500/502/503
 *   answer): it may or may not have been committed, and a lookup can tell which;
 * - `pending`: the caller stopped waiting (a timeout) or a gateway did (504): the server may still commit it
 *   after any lookup, so it must not be sent again in this run.
 */
export type CallOutcome = "rejected" | "lost" | "pending";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

export function outcomeOf(e: unknown): CallOutcome {
  if (!(e instanceof ApiError)) return "rejected";
  if (e.status === undefined) {
    const code = (e.cause as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && TIMEOUT_CODES.has(code) ? "pending" : "lost";
  }
  if (e.status === 504) return "pending";
  return e.status === 429 || e.status >= 500 ? "lost" : "rejected";
}

function refusedBeforeSending(e: unknown): boolean {
  const code = (e as { code?: unknown; cause?: { code?: unknown } } | undefined)?.code;
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}

/** One API, on one base URL. */
export class ApiClient {
  constructor(
    /** A human name for error messages: `Maskinporten self-service`. */
    readonly api: string,
    readonly baseUrl: string,
  ) {}

  /** Sends a request; non-2xx statuses not listed in `accept` throw an {@link ApiError}. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const policy = retryPolicy();
    const url = new URL(this.baseUrl.replace(/\/+$/, "") + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const shownPath = url.pathname.slice(new URL(this.baseUrl).pathname.replace(/\/+$/, "").length) + url.search;
    const idempotent = req.idempotent ?? (req.method !== "POST" && req.method !== "PATCH");
    const headers: Record<string, string> = { accept: "application/json, text/plain;q=0.9", ...req.headers };
    let body: string | Buffer | undefined;
    if (req.raw !== undefined) {
      headers["content-type"] = req.raw.contentType;
      body = req.raw.data;
    } else if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    } else if (req.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(req.form).toString();
    }
    if (req.token) headers.authorization = `Bearer ${req.token}`;

    const fail = (status: number | undefined, parsed: ParsedError, attempts: number, cause?: unknown): ApiError =>
      new ApiError({
        ...req.subject,
        api: this.api,
        method: req.method,
        path: shownPath,
        status,
        ...parsed,
        attempts,
        hint: (status !== undefined ? req.hints?.[status] : undefined) ?? hintForStatus(status),
        cause,
      });

    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse;
      try {
        res = await gateFor(url.origin).run(async () => {
          const r = await request(url, {
            method: req.method,
            headers,
            body,
            headersTimeout: policy.timeoutMs,
            bodyTimeout: policy.timeoutMs,
          });
          const text = await r.body.text();
          return { status: r.statusCode, text, headers: r.headers };
        });
      } catch (e) {
        const retryable = isNetworkError(e) && (idempotent || refusedBeforeSending(e));
        if (retryable && attempt < policy.maxAttempts) {
          await sleep(backoff(attempt, policy));
          continue;
        }
        const code = (e as { code?: unknown }).code;
        throw fail(undefined, { detail: `${typeof code === "string" ? `${code}: ` : ""}${(e as Error).message}` }, attempt, e);
      }
      if ((res.status >= 200 && res.status < 300) || req.accept?.includes(res.status)) return res;
      const transient = res.status === 429 || (idempotent && [502, 503, 504].includes(res.status));
      if (transient && attempt < policy.maxAttempts) {
        const after = res.status === 429 || res.status === 503 ? retryAfterMs(res.headers) : undefined;
        if (after === undefined || after <= policy.maxRetryAfterMs) {
          await sleep(after ?? backoff(attempt, policy));
          continue;
        }
      }
      throw fail(res.status, parseErrorBody(res.text, res.headers), attempt);
    }
  }

  /** Sends a request and parses the JSON answer with a zod schema; a mismatch is an {@link ApiError} too. */
  async json<S extends z.ZodType>(req: HttpRequest, schema: S): Promise<z.infer<S>> {
    const res = await this.send(req);
    return this.parse(req, res, schema);
  }

  parse<S extends z.ZodType>(req: HttpRequest, res: HttpResponse, schema: S): z.infer<S> {
    const unexpected = (detail: string, hint: string, cause?: unknown): ApiError =>
      new ApiError({ ...req.subject, api: this.api, method: req.method, path: req.path, status: res.status, detail, hint, cause });
    let value: unknown;
    try {
      value = res.text === "" ? undefined : JSON.parse(res.text);
    } catch (e) {
      throw unexpected("the response is not JSON", "the API answered something unexpected; check the environment's base URL", e);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
        .join("; ");
      throw unexpected(
        `the response does not have the expected shape: ${issues}`,
        "the API may have changed; report this to the altinn-onboarding maintainers",
      );
    }
    return parsed.data;
  }
}
