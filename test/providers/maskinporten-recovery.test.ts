// MaskinportenClient and MaskinportenScope under faults and after interrupted runs, against the in-process
// emulator: a create that failed without effect is sent again and makes exactly one client; a lost answer is
// resolved by the marker; the organisation's clients are listed once per run; keys the program registered but
// never saved (stray) are reported by read and removed, while keys registered by hand stay external.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { kidPrefixOf, generateClientKey } from "../../providers/digdir/client/keys.js";
import { clearMarkerIndex } from "../../providers/digdir/client/markers.js";
import { preparedKeyCount } from "../../providers/digdir/client/handler.js";
import { setRetryPolicy } from "../../providers/runtime/http.js";
import { runtime } from "../../providers/serve.js";
import type { Props } from "../../providers/runtime/contract.js";
import { CONSUMER_A, SERVICE_OWNER, adminCall, createVia, startProviderEnv, type ProviderTestEnv } from "./support.js";

const CLIENT = "maskinporten:Client";
let t: ProviderTestEnv;
let seq = 0;

beforeAll(async () => {
  t = await startProviderEnv();
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await control("DELETE", "/faults");
  setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
});

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${t.emu.url}/__emulator${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Requests the emulator counted, by "METHOD route" (any status). */
async function counts(): Promise<Map<string, number>> {
  const m = (await control("GET", "/metrics")) as { requests: { method: string; route: string; count: number }[] };
  const out = new Map<string, number>();
  for (const r of m.requests) out.set(`${r.method} ${r.route}`, (out.get(`${r.method} ${r.route}`) ?? 0) + r.count);
  return out;
}

function since(before: Map<string, number>, after: Map<string, number>, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

function clientArgs(extra: Props = {}): Props {
  seq++;
  return {
    organization: CONSUMER_A,
    name: `recovery-${seq}`,
    marker: `iac:test/recovery/${seq}-${Date.now().toString(36)}`,
    scopes: ["ttd:example.read"],
    keys: ["k1"],
    ...extra,
  };
}

async function clientsWithMarker(marker: string): Promise<{ client_id: string }[]> {
  const list = (await adminCall(t.emu.url, CONSUMER_A, "GET", "/clients")).body as { client_id: string; description?: string }[];
  return list.filter((c) => (c.description ?? "").includes(`[${marker}]`));
}

async function liveKids(id: string): Promise<string[]> {
  const res = await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`);
  return res.status === 200 ? ((res.body as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort() as string[]) : [];
}

/** Adds a key to a client's JWKS out of band (as an interrupted run, or a person, would have). */
async function addKey(id: string, kid: string): Promise<void> {
  const current = (await adminCall(t.emu.url, CONSUMER_A, "GET", `/clients/${id}/jwks`)).body as { keys: Record<string, unknown>[] };
  const extra = await generateClientKey();
  const res = await adminCall(t.emu.url, CONSUMER_A, "POST", `/clients/${id}/jwks`, {
    keys: [...current.keys.map(({ exp: _exp, ...k }) => k), { ...extra.publicJwk, kid }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("a create that failed without effect", () => {
  it("is sent again after a 503 and after a connection reset, and makes exactly one client", async () => {
    await control("POST", "/faults", { method: "POST", path: "/api/v1/clients", count: 1, status: 503 });
    await control("POST", "/faults", { method: "POST", path: "/api/v1/clients", count: 1, reset: true });
    const a = clientArgs();
    const before = await counts();
    const { id, outs } = await createVia(CLIENT, a);
    const after = await counts();
    // Two failed POSTs and the one that went through.
    expect(since(before, after, "POST /api/v1/clients")).toBe(3);
    expect(await clientsWithMarker(String(a.marker))).toEqual([expect.objectContaining({ client_id: id })]);
    expect(await liveKids(id)).toEqual([(outs.keyIds as Record<string, string>).k1]);
  });

  it("resolves a lost answer by the marker: one POST, one client, its key registered", async () => {
    await control("POST", "/faults", { method: "POST", path: "/api/v1/clients", count: 1, dropResponse: true });
    const a = clientArgs();
    const before = await counts();
    const { id, outs } = await createVia(CLIENT, a);
    const after = await counts();
    expect(since(before, after, "POST /api/v1/clients")).toBe(1);
    expect(await clientsWithMarker(String(a.marker))).toHaveLength(1);
    expect(await liveKids(id)).toEqual([(outs.keyIds as Record<string, string>).k1]);
  });

  it("is never sent again after a refusal (4xx)", async () => {
    await control("POST", "/faults", { method: "POST", path: "/api/v1/clients", count: 1, status: 400 });
    const before = await counts();
    await expect(createVia(CLIENT, clientArgs())).rejects.toThrow(/HTTP 400/);
    expect(since(before, await counts(), "POST /api/v1/clients")).toBe(1);
  });

  it("gives up after the budget and says what happened", async () => {
    setRetryPolicy({ baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 });
    await control("POST", "/faults", { method: "POST", path: "/api/v1/clients", status: 503 });
    const a = clientArgs();
    const before = await counts();
    await expect(createVia(CLIENT, a)).rejects.toThrow(/POST \/clients failed: HTTP 503/);
    expect(since(before, await counts(), "POST /api/v1/clients")).toBe(3);
    await control("DELETE", "/faults");
    expect(await clientsWithMarker(String(a.marker))).toHaveLength(0);
  });

  it("sends a scope create again after a 503, and finds a scope whose answer was lost", async () => {
    const scope = (sub: string): Props => ({ organization: SERVICE_OWNER, prefix: "ttd", subscope: sub, description: "recovery test" });
    await control("POST", "/faults", { method: "POST", path: "/api/v1/scopes", count: 1, status: 503 });
    const first = await createVia("maskinporten:Scope", scope(`recovery.a${seq}`));
    expect(first.outs.active).toBe(true);
    await control("POST", "/faults", { method: "POST", path: "/api/v1/scopes", count: 1, dropResponse: true });
    const before = await counts();
    const second = await createVia("maskinporten:Scope", scope(`recovery.b${seq}`));
    expect(second.id).toBe(`ttd:recovery.b${seq}`);
    expect(since(before, await counts(), "POST /api/v1/scopes")).toBe(1);
  });
});

describe("marker lookups", () => {
  it("list an organisation's clients once per run, however many clients are created", async () => {
    clearMarkerIndex();
    const before = await counts();
    await Promise.all([1, 2, 3, 4, 5].map(() => createVia(CLIENT, clientArgs())));
    await createVia(CLIENT, clientArgs());
    const after = await counts();
    expect(since(before, after, "GET /api/v1/clients")).toBe(1);
    // Each new client: one POST for the client, one for its keys; a client just made has no keys to read.
    expect(since(before, after, "POST /api/v1/clients")).toBe(6);
    expect(since(before, after, "POST /api/v1/clients/:clientId/jwks")).toBe(6);
    expect(since(before, after, "GET /api/v1/clients/:clientId/jwks")).toBe(0);
  });

  it("find the client an interrupted run made, from the one listing", async () => {
    const a = clientArgs();
    const made = await adminCall(t.emu.url, CONSUMER_A, "POST", "/clients", {
      integration_type: "maskinporten",
      client_name: "left by a killed run",
      description: `[${String(a.marker)}]`,
      token_endpoint_auth_method: "private_key_jwt",
      scopes: ["ttd:example.read"],
    });
    clearMarkerIndex(); // a new run
    const { id } = await createVia(CLIENT, a);
    expect(id).toBe((made.body as { client_id: string }).client_id);
    expect(await clientsWithMarker(String(a.marker))).toHaveLength(1);
  });
});

describe("stray keys (registered by the program, never saved)", () => {
  it("carry the client's owner prefix in their kid", async () => {
    const a = clientArgs();
    const { outs } = await createVia(CLIENT, a);
    expect((outs.keyIds as Record<string, string>).k1?.startsWith(kidPrefixOf(String(a.marker)))).toBe(true);
  });

  it("are reported by read as stray, not external, show as a change, and are removed by update", async () => {
    const a = clientArgs();
    const { id, outs, inputs } = await createVia(CLIENT, a);
    const strayKid = `${kidPrefixOf(String(a.marker))}lost-key-of-a-killed-run`;
    await addKey(id, strayKid);
    await addKey(id, "registered-by-hand");

    const read = await runtime.read(id, outs);
    expect(read.props?.strayKeyIds).toEqual([strayKid]);
    expect(read.props?.externalKeyIds).toEqual(["registered-by-hand"]);
    const diff = await runtime.diff(id, read.props ?? {}, inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });

    const updated = await runtime.update(id, read.props ?? {}, inputs);
    expect(updated.outs?.strayKeyIds).toEqual([]);
    const ownKid = (outs.keyIds as Record<string, string>).k1 ?? "";
    expect(await liveKids(id)).toEqual([ownKid, "registered-by-hand"].sort());
    const again = await runtime.read(id, updated.outs);
    expect(again.props?.strayKeyIds).toEqual([]);
    expect((await runtime.diff(id, again.props ?? {}, inputs)).changes).toBe(false);
  });

  it("are replaced when a create finds the client of an interrupted run: a new key, the stray one gone", async () => {
    const a = clientArgs();
    const first = await createVia(CLIENT, a);
    const lostKid = (first.outs.keyIds as Record<string, string>).k1 ?? "";
    // The run that made it died before saving: state knows nothing, the client and its key are live.
    await addKey(first.id, "registered-by-hand");
    clearMarkerIndex();
    const recovered = await createVia(CLIENT, a);
    expect(recovered.id).toBe(first.id);
    const newKid = (recovered.outs.keyIds as Record<string, string>).k1 ?? "";
    expect(newKid).not.toBe(lostKid);
    expect(await liveKids(first.id)).toEqual([newKid, "registered-by-hand"].sort());
    expect(recovered.outs.externalKeyIds).toEqual(["registered-by-hand"]);
    expect(recovered.outs.strayKeyIds).toEqual([]);
  });

  it("of another client's prefix are external on this client", async () => {
    const a = clientArgs();
    const { id, outs } = await createVia(CLIENT, a);
    const foreign = `${kidPrefixOf("iac:some/other/client")}abc`;
    await addKey(id, foreign);
    const read = await runtime.read(id, outs);
    expect(read.props?.externalKeyIds).toEqual([foreign]);
    expect(read.props?.strayKeyIds).toEqual([]);
  });
});

describe("key generation ahead of the create", () => {
  it("starts when check first sees a new client, and the create takes those keys", async () => {
    const a = clientArgs({ keys: ["k1", "k2"] });
    const before = preparedKeyCount();
    const checked = await runtime.check({}, { ...a, resourceKind: CLIENT });
    expect(preparedKeyCount()).toBe(before + 2);
    // A client in state (old inputs) prepares nothing.
    await runtime.check(checked.inputs ?? {}, { ...checked.inputs, name: "renamed" });
    expect(preparedKeyCount()).toBe(before + 2);
    const created = await runtime.create(checked.inputs ?? {});
    expect(preparedKeyCount()).toBe(before);
    expect(Object.keys(created.outs?.keyIds as Record<string, string>)).toEqual(["k1", "k2"]);
  });
});
