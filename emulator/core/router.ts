// A small route table: each API module contributes routes with path templates (`/api/v1/clients/:clientId`).
// The template doubles as the metrics label, so counts never explode with ids.

export interface Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface Reply {
  readonly status: number;
  /** JSON-serialised unless it is a string or a Buffer; undefined means no body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (req: Request) => Reply | Promise<Reply>;

export interface Route {
  readonly method: string;
  readonly template: string;
  readonly handler: Handler;
  /** True when the handler may change state: the store is persisted after it answers. */
  readonly mutates?: boolean;
  /** Literal segments match in any case (ASP.NET routing, as the Altinn services have); Digdir's API is case-sensitive. */
  readonly caseInsensitive?: boolean;
}

export type Match =
  | { readonly kind: "found"; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: "method-not-allowed"; readonly template: string; readonly allow: readonly string[] }
  | { readonly kind: "not-found" };

interface Compiled {
  readonly route: Route;
  /** Literal segments lower-cased when the route is case-insensitive. */
  readonly segments: readonly string[];
  /** Literal segments count: the more literals, the more specific (`/scopes/access/all` beats `/scopes/access/:orgno`). */
  readonly literals: number;
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: readonly Route[]): void {
    for (const route of routes) {
      const segments = split(route.template).map((s) => (route.caseInsensitive && !s.startsWith(":") ? s.toLowerCase() : s));
      this.routes.push({ route, segments, literals: segments.filter((s) => !s.startsWith(":")).length });
    }
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  match(method: string, path: string): Match {
    const parts = split(path);
    let pathMatch: { template: string; allow: string[] } | undefined;
    for (const c of this.routes) {
      const params = matchSegments(c.segments, parts, c.route.caseInsensitive === true);
      if (!params) continue;
      if (c.route.method === method) return { kind: "found", route: c.route, params };
      if (!pathMatch) pathMatch = { template: c.route.template, allow: [] };
      if (pathMatch.template === c.route.template) pathMatch.allow.push(c.route.method);
    }
    return pathMatch ? { kind: "method-not-allowed", ...pathMatch } : { kind: "not-found" };
  }
}

function matchSegments(template: readonly string[], parts: readonly string[], anyCase: boolean): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const p = parts[i] as string;
    if (t.startsWith(":")) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(p);
      } catch {
        return undefined;
      }
      params[t.slice(1)] = decoded;
    } else if (t !== (anyCase ? p.toLowerCase() : p)) {
      return undefined;
    }
  }
  return params;
}

/** Marks routes as ASP.NET-routed: literal path segments match in any case. */
export function aspnetRouted(routes: readonly Route[]): Route[] {
  return routes.map((r) => ({ ...r, caseInsensitive: true }));
}

/** A query parameter looked up by name in any case, as ASP.NET model binding does. */
export function queryParam(q: URLSearchParams, name: string): string | null {
  const direct = q.get(name);
  if (direct !== null) return direct;
  const lower = name.toLowerCase();
  for (const [k, v] of q) if (k.toLowerCase() === lower) return v;
  return null;
}

/** All values of a query parameter, its name matched in any case. */
export function queryParams(q: URLSearchParams, name: string): string[] {
  const lower = name.toLowerCase();
  return [...q].filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** Parses a JSON request body; undefined when it is empty or not JSON. */
export function parseJson(req: Request): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
