/**
 * `npm run verify`: proves an onboarding works by doing what its users will do, story by story, with the stack's
 * own clients and keys: a Maskinporten token with each key, the Altinn exchange, a correspondence sent and read
 * by each recipient, a file transfer initialised and listed, an event delivered to each subscription, a
 * system-user token and a Dialogporten search for each customer that accepted. Checks that write (sending,
 * initialising) run in the local stack, and in test or prod only when asked for (`--write`).
 *
 * Secrets never leave this module: tokens and keys are used, never printed; errors are redacted.
 */
import { createPrivateKey, randomUUID, type JsonWebKey } from "node:crypto";

import {
  ApiClient,
  ApiError,
  adminCredential,
  altinnHeaders,
  altinnToken,
  currentEnvironment,
  maskinportenToken,
  redact,
  setConfig,
  systemUserToken,
  type AdminCredential,
  type Environment,
} from "@altinn-onboarding/providers/tooling";

export type Outcome = "pass" | "fail" | "waiting" | "skipped";

export interface CheckResult {
  readonly story: string;
  readonly check: string;
  readonly result: Outcome;
  readonly detail: string;
  readonly ms: number;
}

interface ClientOut {
  clientId: string;
  organization: string;
  scopes: string[];
  keyIds: Record<string, string>;
}
interface SubscriptionOut {
  subscriptionId: string;
  endpoint: string;
  resource: string;
  type: string;
  /** The party it is about (empty: every party). */
  subject?: string;
  validated: boolean;
}
interface ServiceOut {
  organization: string;
  orgCode: string;
  resource: string;
  recipients: string[];
  senders: string[];
  client: ClientOut;
  subscriptions: SubscriptionOut[];
}
interface SystemOut {
  vendor: string;
  systemId: string;
  rights: { resource: string; action?: string }[];
  client: ClientOut;
  customers: { organization: string; requestId: string; status: string; confirmUrl: string }[];
}
/** The stack outputs verify reads (index.ts writes them). */
export interface StackOutputs {
  clients?: Record<string, ClientOut>;
  privateJwks?: Record<string, Record<string, string>>;
  stories?: {
    consumers?: Record<string, { client: ClientOut; subscriptions: SubscriptionOut[] }>;
    correspondence?: Record<string, ServiceOut>;
    broker?: Record<string, ServiceOut>;
    endUserSystems?: Record<string, SystemOut>;
  };
}

export interface VerifyOptions {
  /** Run the checks that write (send, initialise) even outside the local stack. */
  readonly write: boolean;
  /** The longest a check keeps trying (propagation delays), in seconds. */
  readonly maxWaitSeconds: number;
  /** Progress lines (never secrets). */
  readonly progress?: (line: string) => void;
}

class Waiting extends Error {}
class Skipped extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` until it passes or the time is up; a Waiting or Skipped answer ends it at once. */
async function attempt(fn: () => Promise<string>, maxWaitMs: number): Promise<{ result: Outcome; detail: string }> {
  const started = Date.now();
  let delay = 250;
  for (;;) {
    try {
      return { result: "pass", detail: await fn() };
    } catch (e) {
      if (e instanceof Waiting) return { result: "waiting", detail: e.message };
      if (e instanceof Skipped) return { result: "skipped", detail: e.message };
      if (Date.now() - started + delay > maxWaitMs) return { result: "fail", detail: redact(e instanceof Error ? e.message : String(e)) };
      await sleep(delay);
      delay = Math.min(delay * 2, 4000);
    }
  }
}

/** A client's credential with one of its keys (a `kid` grant), as its users sign. */
function credentialOf(client: ClientOut, jwkJson: string): Pick<AdminCredential, "clientId" | "signer"> {
  const jwk = JSON.parse(jwkJson) as JsonWebKey & { kid: string; alg?: string };
  const alg = jwk.alg === "RS384" || jwk.alg === "RS512" ? jwk.alg : "RS256";
  return { clientId: client.clientId, signer: { kind: "kid", kid: jwk.kid, key: createPrivateKey({ key: jwk, format: "jwk" }), alg } };
}

async function call(
  env: Environment,
  token: string,
  method: "GET" | "POST",
  path: string,
  json?: unknown,
): Promise<{ status: number; body: unknown }> {
  const client = new ApiClient("Altinn", env.altinnUrl);
  const res = await client.send({
    method,
    path,
    token,
    headers: altinnHeaders(),
    ...(json !== undefined ? { json } : {}),
    accept: [400, 401, 403, 404, 409, 422, 451],
  });
  let body: unknown;
  try {
    body = res.text ? JSON.parse(res.text) : undefined;
  } catch {
    body = res.text;
  }
  return { status: res.status, body };
}

/**
 * A refused call as a sentence: `refused` says who may not do what on which resource (401/403, the services'
 * answers to a policy or access-list refusal); any other status says the call failed.
 */
function refusal(refused: string, failed: string, r: { status: number; body: unknown }): Error {
  const b = r.body as { code?: unknown; detail?: unknown; title?: unknown } | undefined;
  const code = typeof b?.code === "string" ? ` ${b.code}` : "";
  const text = typeof b?.detail === "string" ? `: ${b.detail}` : typeof b?.title === "string" ? `: ${b.title}` : "";
  return new Error(`${r.status === 401 || r.status === 403 ? refused : failed}: HTTP ${r.status}${code}${text}`);
}

export async function verify(outputs: StackOutputs, config: Record<string, string>, opts: VerifyOptions): Promise<CheckResult[]> {
  setConfig({ get: (k) => config[k] });
  const env = currentEnvironment();
  const local = env.name === "local";
  const writes = local || opts.write;
  const results: CheckResult[] = [];
  const maxWaitMs = opts.maxWaitSeconds * 1000;
  const started = new Date().toISOString();

  const run = async (story: string, check: string, fn: () => Promise<string>): Promise<CheckResult> => {
    const t0 = performance.now();
    const { result, detail } = await attempt(fn, maxWaitMs);
    const r = { story, check, result, detail, ms: Math.round(performance.now() - t0) };
    results.push(r);
    opts.progress?.(`[verify] ${result.padEnd(7)} ${story}: ${check}${result === "pass" ? "" : ` (${detail})`}`);
    return r;
  };

  const clients = outputs.clients ?? {};
  const keys = outputs.privateJwks ?? {};
  const stories = outputs.stories ?? {};
  const firstKey = (name: string): string | undefined => Object.values(keys[name] ?? {})[0];

  /** A token of one of the stack's clients, or (local only) of the organisation's admin client in the emulator. */
  const tokenFor = async (org: string, scopes: readonly string[], exchange: boolean): Promise<{ token: string; how: string }> => {
    const own = Object.entries(clients).find(
      ([name, c]) => c.organization === org && scopes.every((s) => c.scopes.includes(s)) && firstKey(name) !== undefined,
    );
    let cred: Pick<AdminCredential, "clientId" | "signer">;
    let how: string;
    if (own) {
      cred = credentialOf(own[1], firstKey(own[0]) ?? "");
      how = `client ${own[0]}`;
    } else if (local) {
      cred = await adminCredential(org, env);
      how = `the emulator's client of ${org}`;
    } else {
      throw new Skipped(`no client of organisation ${org} with ${scopes.join(" ")} in this stack`);
    }
    const token = exchange ? await altinnToken(env, cred, scopes) : await maskinportenToken(env, cred, scopes);
    return { token, how };
  };

  // 1. Every client key gets a Maskinporten token for the client's scopes; clients with Altinn scopes exchange it.
  for (const [name, client] of Object.entries(clients)) {
    for (const [keyName, jwk] of Object.entries(keys[name] ?? {})) {
      await run(`client ${name}`, `Maskinporten token with key ${keyName}`, async () => {
        await maskinportenToken(env, credentialOf(client, jwk), client.scopes);
        return `scopes ${client.scopes.join(" ")}`;
      });
    }
    const altinnScopes = client.scopes.filter((s) => s.startsWith("altinn:"));
    const jwk = firstKey(name);
    if (altinnScopes.length > 0 && jwk !== undefined) {
      await run(`client ${name}`, "Altinn token exchange", async () => {
        await altinnToken(env, credentialOf(client, jwk), client.scopes);
        return "Altinn token issued";
      });
    }
  }

  // 2. Correspondence: the sender sends to each recipient, and each recipient reads it.
  for (const [name, s] of Object.entries(stories.correspondence ?? {})) {
    const story = `correspondence ${name}`;
    if (!writes) {
      await run(story, "send and read a correspondence", async () => {
        throw new Skipped("writes only with --write outside the local stack");
      });
      continue;
    }
    const senderKey = Object.entries(clients).find(([, c]) => c.clientId === s.client.clientId)?.[0];
    const sent = new Map<string, string>();
    for (const recipient of s.recipients) {
      await run(story, `send to ${recipient} as ${s.orgCode}`, async () => {
        const jwk = senderKey ? firstKey(senderKey) : undefined;
        if (!jwk) throw new Error("the sender's client has no key in this stack");
        const token = await altinnToken(env, credentialOf(s.client, jwk), ["altinn:correspondence.write", "altinn:serviceowner"]);
        const r = await call(env, token, "POST", "/correspondence/api/v1/correspondence", {
          correspondence: {
            resourceId: s.resource,
            sender: `0192:${s.organization}`,
            sendersReference: `verify-${randomUUID()}`,
            content: {
              language: "en",
              messageTitle: "altinn-onboarding verify",
              messageSummary: "A check that the onboarding works",
              messageBody: "Sent by npm run verify.",
            },
          },
          recipients: [`urn:altinn:organization:identifier-no:${recipient}`],
        });
        if (r.status >= 300)
          throw refusal(
            `resource ${s.resource}: organisation ${s.organization} may not send (action write)`,
            `sending on resource ${s.resource} failed`,
            r,
          );
        const id = (r.body as { correspondences?: { correspondenceId?: string }[] } | undefined)?.correspondences?.[0]?.correspondenceId;
        if (!id) throw new Error("the answer has no correspondence id");
        sent.set(recipient, id);
        return `correspondence ${id}`;
      });
    }
    for (const recipient of s.recipients) {
      await run(story, `read as recipient ${recipient}`, async () => {
        const id = sent.get(recipient);
        if (!id) throw new Skipped("nothing was sent to this recipient");
        const { token, how } = await tokenFor(recipient, ["altinn:correspondence.read"], true);
        const r = await call(env, token, "GET", `/correspondence/api/v1/correspondence/${id}`);
        if (r.status >= 300)
          throw refusal(
            `resource ${s.resource}: organisation ${recipient} may not read (action read)`,
            `reading on resource ${s.resource} as ${recipient} failed`,
            r,
          );
        return `read with ${how}`;
      });
    }
  }

  // 3. Broker: the service owner initialises a file transfer to each recipient, and each recipient lists it.
  for (const [name, s] of Object.entries(stories.broker ?? {})) {
    const story = `broker ${name}`;
    if (!writes) {
      await run(story, "initialise and list a file transfer", async () => {
        throw new Skipped("writes only with --write outside the local stack");
      });
      continue;
    }
    const senderKey = Object.entries(clients).find(([, c]) => c.clientId === s.client.clientId)?.[0];
    let transfer: string | undefined;
    await run(story, `initialise a file transfer as ${s.orgCode}`, async () => {
      const jwk = senderKey ? firstKey(senderKey) : undefined;
      if (!jwk) throw new Error("the service owner's client has no key in this stack");
      const token = await altinnToken(env, credentialOf(s.client, jwk), ["altinn:broker.write", "altinn:serviceowner"]);
      const r = await call(env, token, "POST", "/broker/api/v1/filetransfer", {
        resourceId: s.resource,
        fileName: "verify.txt",
        sendersFileTransferReference: `verify-${randomUUID()}`,
        sender: `0192:${s.organization}`,
        recipients: s.recipients.map((o) => `0192:${o}`),
        propertyList: {},
      });
      if (r.status >= 300)
        throw refusal(
          `resource ${s.resource}: organisation ${s.organization} may not initialise a file transfer (action write)`,
          `initialising a file transfer on resource ${s.resource} failed`,
          r,
        );
      const body = r.body as { fileTransferId?: string } | string | undefined;
      transfer = typeof body === "string" ? body : body?.fileTransferId;
      if (!transfer) throw new Error("the answer has no file transfer id");
      return `file transfer ${transfer}`;
    });
    for (const recipient of s.recipients) {
      await run(story, `list as recipient ${recipient}`, async () => {
        if (!transfer) throw new Skipped("no file transfer was initialised");
        const { token, how } = await tokenFor(recipient, ["altinn:broker.read"], true);
        const r = await call(env, token, "GET", `/broker/api/v1/filetransfer?resourceId=${encodeURIComponent(s.resource)}`);
        if (r.status >= 300)
          throw refusal(
            `resource ${s.resource}: organisation ${recipient} may not list file transfers (action read)`,
            `listing file transfers of resource ${s.resource} as ${recipient} failed`,
            r,
          );
        const ids = Array.isArray(r.body)
          ? r.body.map((x) => (typeof x === "string" ? x : String((x as { fileTransferId?: unknown }).fileTransferId ?? "")))
          : [];
        if (!ids.includes(transfer)) throw new Error(`file transfer ${transfer} is not in the recipient's list yet`);
        return `listed with ${how}`;
      });
    }
  }

  // 4. Events: each subscription is validated; locally, an event reached the emulator's sink.
  const subscriptions = [
    ...Object.entries(stories.correspondence ?? {}).flatMap(([n, s]) => s.subscriptions.map((x) => [`correspondence ${n}`, x] as const)),
    ...Object.entries(stories.broker ?? {}).flatMap(([n, s]) => s.subscriptions.map((x) => [`broker ${n}`, x] as const)),
    ...Object.entries(stories.consumers ?? {}).flatMap(([n, s]) => s.subscriptions.map((x) => [`consumer ${n}`, x] as const)),
  ];
  for (const [story, sub] of subscriptions) {
    const sink = local && /\/__emulator\/sink\/[a-z0-9-]+$/.test(sub.endpoint);
    const about = sub.subject ? ` about ${sub.subject.slice(sub.subject.lastIndexOf(":") + 1)}` : "";
    await run(story, `event delivered to ${sub.endpoint}${sub.type ? ` (${sub.type})` : ""}${about}`, async () => {
      if (!sub.validated) throw new Error(`subscription ${sub.subscriptionId} is not validated: Events does not deliver to it`);
      if (!sink) return `subscription ${sub.subscriptionId} is validated (deliveries are not observable from here)`;
      const res = await fetch(`${sub.endpoint}${sub.type ? `?type=${encodeURIComponent(sub.type)}` : ""}`);
      const got =
        ((await res.json()) as { deliveries?: { body?: { resource?: string; time?: string; type?: string } }[] }).deliveries ?? [];
      const resource = `urn:altinn:resource:${sub.resource.toLowerCase()}`;
      const match = got.find(
        (d) =>
          d.body?.resource === resource && d.body.type !== "platform.events.validatesubscription" && (d.body.time ?? started) >= started,
      );
      if (!match) throw new Error(`no event of ${resource}${sub.type ? ` of type ${sub.type}` : ""} arrived since the checks started`);
      return `event ${match.body?.type ?? ""} delivered`;
    });
  }

  // 5. End-user systems: a system-user token per customer that accepted, and a Dialogporten search with it.
  for (const [name, s] of Object.entries(stories.endUserSystems ?? {})) {
    const story = `end-user system ${name}`;
    const key = Object.entries(clients).find(([, c]) => c.clientId === s.client.clientId)?.[0];
    const jwk = key ? firstKey(key) : undefined;
    for (const customer of s.customers) {
      let token: string | undefined;
      await run(story, `system-user token for ${customer.organization}`, async () => {
        if (!jwk) throw new Error("the system's client has no key in this stack");
        try {
          token = await systemUserToken(env, credentialOf(s.client, jwk), ["digdir:dialogporten"], customer.organization);
        } catch (e) {
          if (e instanceof ApiError && e.status === 400 && /MP-30[0-9]/.test(`${e.code ?? ""} ${e.detail ?? ""}`)) {
            throw new Waiting(`organisation ${customer.organization} has not accepted the system-user request yet: ${customer.confirmUrl}`);
          }
          throw e;
        }
        return "token issued";
      });
      const resource = s.rights[0]?.resource;
      await run(story, `Dialogporten search for ${customer.organization}`, async () => {
        if (!token) throw new Skipped("no system-user token");
        if (!resource) throw new Skipped("the system has no rights on a resource");
        const r = await call(
          env,
          token,
          "GET",
          `/dialogporten/api/v1/enduser/dialogs?serviceResource=${encodeURIComponent(`urn:altinn:resource:${resource}`)}&party=${encodeURIComponent(`urn:altinn:organization:identifier-no:${customer.organization}`)}`,
        );
        if (r.status >= 300)
          throw refusal(
            `resource ${resource}: the system user of ${customer.organization} may not search (action read)`,
            `the Dialogporten search for ${customer.organization} failed`,
            r,
          );
        return `searched ${resource}`;
      });
    }
  }
  return results;
}

/** The results as a table a person reads: story / check / result / how long. */
export function table(results: readonly CheckResult[]): string {
  const rows = results.map((r) => [r.story, r.check, r.result, `${(r.ms / 1000).toFixed(1)} s`, r.result === "pass" ? "" : r.detail]);
  const head = ["story", "check", "result", "time", "detail"];
  const width = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
