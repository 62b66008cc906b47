/**
 * The emulator's control plane (`/__emulator/`) for tests: fault rules, latency, request metrics, and what the
 * Digdir self-service API holds for an organisation (read as its admin would, independently of providers/).
 */
import { adminToken, emulatorOrgs, selfService } from "./maskinporten.js";

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/__emulator${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /__emulator${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export interface FaultRule {
  method?: string;
  path: string;
  count?: number;
  probability?: number;
  seed?: number;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  hang?: true;
  reset?: true;
  dropResponse?: true;
}

export interface ActiveFault extends FaultRule {
  id: number;
  hits: number;
  remaining: number | null;
}

export const addFault = (url: string, rule: FaultRule): Promise<unknown> => control(url, "POST", "/faults", rule);
export const faults = async (url: string): Promise<ActiveFault[]> => (await control(url, "GET", "/faults")) as ActiveFault[];
export const clearFaults = (url: string): Promise<unknown> => control(url, "DELETE", "/faults");
export const setLatency = (url: string, ms: number): Promise<unknown> => control(url, "POST", "/latency", { ms });

export interface Metrics {
  /** Requests by `METHOD route` (route templates; control-plane calls excluded), any status. */
  readonly calls: Map<string, number>;
  /** Tokens issued by the token endpoint, by client id. */
  readonly tokens: Map<string, number>;
}

export async function metrics(url: string): Promise<Metrics> {
  const m = (await control(url, "GET", "/metrics")) as {
    requests: { method: string; route: string; count: number }[];
    tokenRequests: Record<string, { issued: number; refused: number }>;
  };
  const calls = new Map<string, number>();
  for (const r of m.requests) {
    if (r.route.startsWith("/__emulator/")) continue;
    const k = `${r.method} ${r.route}`;
    calls.set(k, (calls.get(k) ?? 0) + r.count);
  }
  return { calls, tokens: new Map(Object.entries(m.tokenRequests).map(([k, v]) => [k, v.issued])) };
}

/** What happened between two metric snapshots: calls by `METHOD route`, without zero entries. */
export function callsBetween(before: Metrics, after: Metrics): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after.calls) {
    const d = v - (before.calls.get(k) ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** Calls that change something upstream (anything but GET/HEAD, the token endpoint and Altinn's token exchange). */
export function mutatingCalls(calls: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(calls).filter(([k]) => !/^(GET|HEAD) /.test(k) && k !== "POST /token" && !k.includes("/exchange/")),
  );
}

export interface LiveClientView {
  client_id: string;
  client_name?: string;
  description?: string;
  scopes?: string[];
  active?: boolean;
}

/** An organisation's self-service API as its admin client, for checking what the program did. */
export async function adminOf(
  url: string,
  orgNumber: string,
): Promise<{
  clients(): Promise<LiveClientView[]>;
  jwks(clientId: string): Promise<string[]>;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
}> {
  const org = (await emulatorOrgs(url)).find((o) => o.orgNumber === orgNumber);
  if (!org) throw new Error(`no organisation ${orgNumber} in the emulator`);
  const token = await adminToken(url, org);
  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> =>
    selfService(url, token, method, path, body);
  return {
    call,
    async clients() {
      const res = await call("GET", "/clients");
      return res.status === 200 ? (res.json as LiveClientView[]) : [];
    },
    async jwks(clientId) {
      const res = await call("GET", `/clients/${clientId}/jwks`);
      return res.status === 200 ? (res.json as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort() : [];
    },
  };
}

/** The marker a client's description ends with (`... [iac:...]`), or undefined. */
export function markerOf(description: string | undefined): string | undefined {
  return /\[(iac:[^\]]+)\]$/.exec(description ?? "")?.[1];
}
