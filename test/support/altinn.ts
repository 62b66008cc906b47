/**
 * Test-side Altinn calls, written from the API contracts with fetch: the e2e and provider tests use them to see
 * what the providers did upstream and to change things by hand, independently of providers/.
 */
import { adminToken, emulatorOrgs } from "./maskinporten.js";

export interface RawResult {
  status: number;
  text: string;
  headers: Headers;
  json: unknown;
}

/** An Altinn token for a seeded organisation: its admin client's Maskinporten token, exchanged. */
export async function altinnTokenFor(emulatorUrl: string, orgNumber: string, scopes?: string[]): Promise<string> {
  const org = (await emulatorOrgs(emulatorUrl)).find((o) => o.orgNumber === orgNumber);
  if (!org) throw new Error(`the emulator has no organisation ${orgNumber}`);
  const mp = await adminToken(emulatorUrl, org, scopes ?? org.adminClient.scopes.filter((s) => s.startsWith("altinn:")));
  const res = await fetch(`${emulatorUrl}/authentication/api/v1/exchange/maskinporten`, { headers: { authorization: `Bearer ${mp}` } });
  if (res.status !== 200) throw new Error(`exchange for ${orgNumber}: ${res.status} ${await res.text()}`);
  return (await res.text()).trim();
}

export async function altinnCall(
  emulatorUrl: string,
  token: string,
  method: string,
  path: string,
  opts: { json?: unknown; body?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {},
): Promise<RawResult> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...opts.headers };
  let body: string | Uint8Array | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers["content-type"] = opts.contentType ?? "application/octet-stream";
    body = typeof opts.body === "string" ? opts.body : new Uint8Array(opts.body);
  }
  const res = await fetch(`${emulatorUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, headers: res.headers, json };
}

/** Uploads a policy document by hand (multipart, field policyFile). */
export async function uploadPolicy(emulatorUrl: string, token: string, resource: string, xml: string): Promise<RawResult> {
  const boundary = "----test-boundary-7f3a";
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="policyFile"; filename="policy.xml"\r\nContent-Type: text/xml\r\n\r\n${xml}\r\n--${boundary}--\r\n`;
  return altinnCall(emulatorUrl, token, "PUT", `/resourceregistry/api/v1/resource/${resource}/policy`, {
    body,
    contentType: `multipart/form-data; boundary=${boundary}`,
  });
}

/** Requests the emulator has answered since `before`, by `METHOD route` (control-plane calls left out). */
export async function requestCounts(emulatorUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${emulatorUrl}/__emulator/metrics`);
  const body = (await res.json()) as { requests: { method: string; route: string; count: number }[] };
  const out = new Map<string, number>();
  for (const r of body.requests) {
    if (r.route.startsWith("/__emulator")) continue;
    out.set(`${r.method} ${r.route}`, (out.get(`${r.method} ${r.route}`) ?? 0) + r.count);
  }
  return out;
}

export function countsSince(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (v - (before.get(k) ?? 0) > 0) out[k] = v - (before.get(k) ?? 0);
  return out;
}
