// The control-plane webhook sink (issue #10): it records deliveries, answers the Events handshake, can be made to
// fail, never gets faults or latency, and is a usable Events endPoint in the local stack, so an event published
// through the emulator (its own publish endpoint or the control plane's) is delivered to it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { altinnToken, call, minimalResource, multipart } from "./altinn-helpers.js";
import { xacml } from "./replay/wire.js";
import { type TestEmulator, startTestEmulator } from "./helpers.js";

let t: TestEmulator;
let ttdToken: string;
const RESOURCE = "ttd-sink-res";

interface Delivery {
  method: string;
  headers: Record<string, string>;
  body: unknown;
  receivedAt: string;
}
const sink = async (name: string, query = "") =>
  ((await call(t.emu.url, "GET", `/__emulator/sink/${name}${query}`)).json as { deliveries: Delivery[] }).deliveries;

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => t.stop());
beforeEach(async () => {
  await call(t.emu.url, "POST", "/__emulator/reset");
  await call(t.emu.url, "POST", "/__emulator/options", { body: { altinn: { eventsRetryFactor: 0.001 } } });
  ttdToken = await altinnToken(t, "ttd");
});

describe("POST/GET/DELETE /__emulator/sink/{name}", () => {
  it("records each request (method, headers without credentials, JSON or text body, time) and answers 200; an unknown name has no deliveries", async () => {
    expect(await sink("never-used")).toEqual([]);
    const before = Date.now();
    const r = await call(t.emu.url, "POST", "/__emulator/sink/orders", {
      body: { type: "a.b", n: 1 },
      headers: { authorization: "Bearer secret", "ocp-apim-subscription-key": "k", "x-custom": "kept" },
    });
    expect(r.status).toBe(200);
    await call(t.emu.url, "POST", "/__emulator/sink/orders", { rawBody: "plain text", headers: { "content-type": "text/plain" } });
    const got = await sink("orders");
    expect(got.map((d) => d.body)).toEqual([{ type: "a.b", n: 1 }, "plain text"]);
    expect(got[0]?.method).toBe("POST");
    expect(got[0]?.headers["x-custom"]).toBe("kept");
    expect(got[0]?.headers["content-type"]).toBe("application/json");
    expect(got[0]?.headers).not.toHaveProperty("authorization");
    expect(got[0]?.headers).not.toHaveProperty("ocp-apim-subscription-key");
    expect(Date.parse(got[0]?.receivedAt ?? "")).toBeGreaterThanOrEqual(before - 1000);
    // Another sink is separate.
    expect(await sink("other")).toEqual([]);
  });

  it("?type= filters on the body's type; DELETE clears the sink", async () => {
    for (const type of ["x.created", "x.deleted", "x.created"]) await call(t.emu.url, "POST", "/__emulator/sink/typed", { body: { type } });
    expect((await sink("typed", "?type=x.created")).length).toBe(2);
    expect((await sink("typed", "?type=x.deleted")).length).toBe(1);
    expect((await call(t.emu.url, "DELETE", "/__emulator/sink/typed")).status).toBe(204);
    expect(await sink("typed")).toEqual([]);
  });

  it("a name must be a slug (400 otherwise)", async () => {
    for (const bad of ["Upper", "-lead", "under_score", "a".repeat(65)]) {
      expect((await call(t.emu.url, "POST", `/__emulator/sink/${bad}`, { body: {} })).status, bad).toBe(400);
      expect((await call(t.emu.url, "GET", `/__emulator/sink/${bad}`)).status, bad).toBe(400);
    }
  });

  it("PUT {status} makes the sink answer that status (still recording); {status: 200} restores it", async () => {
    expect((await call(t.emu.url, "PUT", "/__emulator/sink/flaky", { body: { status: 503 } })).status).toBe(200);
    expect((await call(t.emu.url, "POST", "/__emulator/sink/flaky", { body: { type: "t" } })).status).toBe(503);
    expect((await sink("flaky")).length).toBe(1);
    await call(t.emu.url, "PUT", "/__emulator/sink/flaky", { body: { status: 200 } });
    expect((await call(t.emu.url, "POST", "/__emulator/sink/flaky", { body: { type: "t" } })).status).toBe(200);
    expect((await call(t.emu.url, "PUT", "/__emulator/sink/flaky", { body: { status: 99 } })).status).toBe(400);
  });

  it("is never faulted or delayed (control plane), and reset clears every sink", async () => {
    await call(t.emu.url, "POST", "/__emulator/faults", { body: { path: "/*", status: 500 } });
    await call(t.emu.url, "POST", "/__emulator/latency", { body: { ms: 2000 } });
    const started = Date.now();
    expect((await call(t.emu.url, "POST", "/__emulator/sink/calm", { body: {} })).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    await call(t.emu.url, "POST", "/__emulator/reset");
    expect(await sink("calm")).toEqual([]);
  });

  it("deliveries survive a restart on the same state dir", async () => {
    await call(t.emu.url, "POST", "/__emulator/sink/durable", { body: { type: "kept" } });
    const { startEmulator } = await import("../../emulator/index.js");
    await t.emu.close();
    const again = await startEmulator({ port: t.emu.port, stateDir: t.stateDir, quiet: true });
    t = { ...t, emu: again };
    expect((await sink("durable")).map((d) => d.body)).toEqual([{ type: "kept" }]);
  });
});

describe("the sink as an Events endPoint in the local stack", () => {
  async function resourceWithPolicy(): Promise<void> {
    expect(
      (
        await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
          token: ttdToken,
          body: minimalResource(RESOURCE, t.org("ttd")),
        })
      ).status,
    ).toBe(201);
    // ttd (urn:altinn:org) may publish and subscribe.
    const xml = xacml([{ subject: [["urn:altinn:org", "ttd"]], resource: RESOURCE, actions: ["publish", "subscribe"] }], RESOURCE);
    const mp = multipart("policyFile", "policy.xml", xml);
    const up = await call(t.emu.url, "POST", `/resourceregistry/api/v1/resource/${RESOURCE}/policy`, {
      token: ttdToken,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(up.status).toBe(201);
  }

  async function subscribeTo(name: string): Promise<number> {
    const r = await call(t.emu.url, "POST", "/events/api/v1/subscriptions", {
      token: ttdToken,
      body: { endPoint: `${t.emu.url}/__emulator/sink/${name}`, resourceFilter: `urn:altinn:resource:${RESOURCE}` },
    });
    expect(r.status).toBe(201);
    return (r.json as { id: number }).id;
  }
  const validated = async (id: number) =>
    ((await call(t.emu.url, "GET", `/events/api/v1/subscriptions/${id}`, { token: ttdToken })).json as { validated: boolean }).validated;

  it("a subscription to the sink validates (the sink records the handshake) and receives an event published through POST /events/api/v1/events", async () => {
    await resourceWithPolicy();
    const id = await subscribeTo("orders");
    await until(() => validated(id));
    const handshake = await sink("orders", "?type=platform.events.validatesubscription");
    expect(handshake).toHaveLength(1);
    expect(handshake[0]?.headers["content-type"]).toMatch(/^application\/json/);
    const pub = await call(t.emu.url, "POST", "/events/api/v1/events", {
      token: ttdToken,
      rawBody: JSON.stringify({
        specversion: "1.0",
        id: "evt-1",
        type: "no.altinn.broker.filetransferinitialized",
        source: "https://platform.tt02.altinn.no/broker/api/v1/filetransfer",
        resource: `urn:altinn:resource:${RESOURCE}`,
        subject: `urn:altinn:organization:identifier-no:${t.org("ttd").orgNumber}`,
      }),
      headers: { "content-type": "application/cloudevents+json" },
    });
    expect(pub.status).toBe(200);
    const events = await sink("orders", "?type=no.altinn.broker.filetransferinitialized");
    expect(events.map((d) => (d.body as { id: string }).id)).toEqual(["evt-1"]);
  });

  it("POST /__emulator/events delivers to the sink too", async () => {
    await resourceWithPolicy();
    const id = await subscribeTo("control");
    await until(() => validated(id));
    const r = await call(t.emu.url, "POST", "/__emulator/events", {
      body: { resource: `urn:altinn:resource:${RESOURCE}`, type: "test.happened", source: "urn:test" },
    });
    expect(r.json).toEqual({ matched: [id], delivered: [id], refused: [] });
    expect((await sink("control", "?type=test.happened")).length).toBe(1);
  });

  it("a sink made to answer 503 fails the handshake: the subscription stays unvalidated and gets no events", async () => {
    await resourceWithPolicy();
    await call(t.emu.url, "PUT", "/__emulator/sink/refusing", { body: { status: 503 } });
    const id = await subscribeTo("refusing");
    await until(async () => (await sink("refusing", "?type=platform.events.validatesubscription")).length >= 3);
    expect(await validated(id)).toBe(false);
    const r = await call(t.emu.url, "POST", "/__emulator/events", {
      body: { resource: `urn:altinn:resource:${RESOURCE}`, type: "test.happened", source: "urn:test" },
    });
    expect(r.json).toEqual({ matched: [], delivered: [], refused: [] });
  });
});
