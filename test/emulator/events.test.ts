// Conformance of Events subscriptions, the validation handshake and delivery with
// shared/specs/altinn-events-broker-dialogporten.md §1.
import { type IncomingMessage, type Server, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { altinnToken, call, minimalResource, multipart } from "./altinn-helpers.js";
import { type TestEmulator, adminToken, startTestEmulator } from "./helpers.js";
import { xacml } from "./replay/wire.js";

const SUBS = "/events/api/v1/subscriptions";
let t: TestEmulator;
let ttdToken: string;
let vendorToken: string;

interface Hit {
  path: string;
  body: Record<string, unknown>;
  contentType: string | undefined;
  auth: string | undefined;
}
/** A loopback webhook: records every POST; `failures[path]` answers 500 that many times first. */
class Hook {
  server!: Server;
  hits: Hit[] = [];
  failures: Record<string, number> = {};
  url = "";
  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        this.hits.push({
          path,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>,
          contentType: req.headers["content-type"],
          auth: req.headers.authorization,
        });
        const left = this.failures[path] ?? 0;
        if (left > 0) this.failures[path] = left - 1;
        res.writeHead(left > 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((ok) => this.server.listen(0, "127.0.0.1", ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  of(path: string, type?: string): Hit[] {
    return this.hits.filter((h) => h.path === path && (type === undefined || h.body["type"] === type));
  }
}
const hook = new Hook();

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const RESOURCE = "ttd-events-res";
const resourceFilter = `urn:altinn:resource:${RESOURCE}`;

beforeAll(async () => {
  t = await startTestEmulator();
  await hook.start();
  // The real schedule is 1 s, 5 s, 10 s ...; tests scale it down.
  expect((await call(t.emu.url, "POST", "/__emulator/options", { body: { altinn: { eventsRetryFactor: 0.001 } } })).status).toBe(200);
  ttdToken = await altinnToken(t, "ttd");
  vendorToken = await altinnToken(t, "vendor");
  await resourceWithPolicy(RESOURCE, true);
});

/** A resource of ttd whose policy permits ttd (by org code) and, when `vendor`, the vendor (by org number) to subscribe. */
async function resourceWithPolicy(id: string, vendor: boolean): Promise<void> {
  const created = await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
    token: ttdToken,
    body: minimalResource(id, t.org("ttd"), { resourceType: "BrokerService" }),
  });
  expect(created.status).toBe(201);
  const rules: Parameters<typeof xacml>[0] = [
    { subject: [["urn:altinn:org", "ttd"]], resource: id, actions: ["read", "write", "subscribe"] },
  ];
  if (vendor)
    rules.push({ subject: [["urn:altinn:organization:identifier-no", t.org("vendor").orgNumber]], resource: id, actions: ["subscribe"] });
  const mp = multipart("policyFile", "policy.xml", xacml(rules, id));
  const up = await call(t.emu.url, "POST", `/resourceregistry/api/v1/resource/${id}/policy`, {
    token: ttdToken,
    rawBody: mp.body,
    headers: { "content-type": mp.contentType },
  });
  expect(up.status).toBe(201);
}
afterAll(async () => {
  await t.stop();
  await new Promise((ok) => hook.server.close(ok));
});

const subscribe = (body: unknown, token = ttdToken) => call(t.emu.url, "POST", SUBS, { token, body });

describe("create", () => {
  it("201 with the subscription, Location /subscription/{id}; the handshake POSTs validatesubscription and sets validated", async () => {
    const r = await subscribe({ endPoint: `${hook.url}/a`, resourceFilter, typeFilter: "no.altinn.broker.published" });
    expect(r.status).toBe(201);
    const s = r.json as Record<string, unknown>;
    expect(s["id"]).toBeTypeOf("number");
    expect(r.headers.get("location")).toBe(`/events/api/v1/subscription/${String(s["id"])}`);
    expect(s["endPoint"]).toBe(`${hook.url}/a`);
    expect(s["resourceFilter"]).toBe(resourceFilter);
    expect(s["typeFilter"]).toBe("no.altinn.broker.published");
    expect(s["consumer"]).toBe("/org/ttd");
    expect(s["createdBy"]).toBe("/org/ttd");
    expect(s["validated"]).toBe(false);
    expect(s["includeSubunits"]).toBe(false);
    expect("subjectFilter" in s).toBe(false);
    expect(typeof s["created"]).toBe("string");
    await until(() => hook.of("/a", "platform.events.validatesubscription").length > 0);
    const hs = hook.of("/a")[0] as Hit;
    expect(hs.body["specversion"]).toBe("1.0");
    expect(hs.body["id"]).toBeTypeOf("string");
    expect(String(hs.body["source"])).toMatch(new RegExp(`/events/api/v1/subscriptions/${String(s["id"])}$`));
    expect(hs.body["time"]).toBeUndefined();
    expect(hs.contentType).toMatch(/^application\/json/);
    expect(hs.auth).toBeUndefined();
    await until(
      async () =>
        ((await call(t.emu.url, "GET", `${SUBS}/${String(s["id"])}`, { token: ttdToken })).json as { validated: boolean }).validated,
    );
  });

  it("is idempotent: the same tuple returns the same row (201) and validates again", async () => {
    const body = { endPoint: `${hook.url}/idem`, resourceFilter };
    const a = await subscribe(body);
    await until(() => hook.of("/idem").length >= 1);
    const b = await subscribe(body);
    expect(b.status).toBe(201);
    expect((b.json as { id: number }).id).toBe((a.json as { id: number }).id);
    await until(() => hook.of("/idem").length >= 2);
    const c = await subscribe({ ...body, typeFilter: "x.y" });
    expect((c.json as { id: number }).id).not.toBe((a.json as { id: number }).id);
  });

  it("retries the handshake on failure and validates on the first 2xx", async () => {
    hook.failures["/flaky"] = 3;
    const r = await subscribe({ endPoint: `${hook.url}/flaky`, resourceFilter });
    const id = (r.json as { id: number }).id;
    await until(
      async () => ((await call(t.emu.url, "GET", `${SUBS}/${id}`, { token: ttdToken })).json as { validated: boolean }).validated,
    );
    expect(hook.of("/flaky").length).toBe(4);
  });

  it("gives up after the schedule: a webhook that always fails stays unvalidated", async () => {
    hook.failures["/dead"] = 1000;
    const r = await subscribe({ endPoint: `${hook.url}/dead`, resourceFilter });
    const id = (r.json as { id: number }).id;
    // 9 attempts: the first plus the retries 1 s, 5 s, 10 s, 30 s, 60 s, 120 s x 3 (scaled).
    await until(() => hook.of("/dead").length >= 9, 10_000);
    await new Promise((ok) => setTimeout(ok, 600));
    expect(hook.of("/dead").length).toBe(9);
    expect(((await call(t.emu.url, "GET", `${SUBS}/${id}`, { token: ttdToken })).json as { validated: boolean }).validated).toBe(false);
  });

  it("an https endpoint on another host is accepted but never contacted and stays unvalidated", async () => {
    const r = await subscribe({ endPoint: "https://hooks.example.invalid/altinn", resourceFilter });
    expect(r.status).toBe(201);
    await new Promise((ok) => setTimeout(ok, 100));
    expect(
      ((await call(t.emu.url, "GET", `${SUBS}/${(r.json as { id: number }).id}`, { token: ttdToken })).json as { validated: boolean })
        .validated,
    ).toBe(false);
  });
});

describe("refusals, in the real order, with bare-string bodies", () => {
  const msg = async (body: unknown, token = ttdToken) => {
    const r = await subscribe(body, token);
    return { status: r.status, body: r.json, text: r.text };
  };

  it("endpoint: missing, relative, or plain http off loopback", async () => {
    for (const endPoint of [undefined, "/relative", "http://hooks.example.invalid/x", "ftp://127.0.0.1/x"])
      expect(await msg({ endPoint, resourceFilter })).toMatchObject({
        status: 400,
        body: "Missing or invalid endpoint to push events towards",
      });
  });

  it("sourceFilter must be absolute https, and is not supported for generic resources", async () => {
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter, sourceFilter: "http://ttd.apps.altinn.no/ttd/app" })).toMatchObject({
      status: 400,
      body: "SourceFilter must be an absolute URL with the https scheme.",
    });
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter, sourceFilter: "https://platform.altinn.no/x" })).toMatchObject({
      status: 400,
      body: "Source filter is not supported for subscriptions on this resource.",
    });
  });

  it("scope altinn:events.subscribe is checked after the endpoint and before the resource filter (403, empty body)", async () => {
    const noScope = await altinnToken(t, "ttd", ["altinn:serviceowner"]);
    expect(await msg({ endPoint: "bad", resourceFilter: "BAD" }, noScope)).toMatchObject({ status: 400 });
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter: "BAD" }, noScope)).toMatchObject({ status: 403, text: "" });
  });

  it("resourceFilter: required, lowercase URN", async () => {
    expect(await msg({ endPoint: `${hook.url}/x` })).toMatchObject({ status: 400, body: "Resource filter is required." });
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter: "urn:altinn:resource:TTD-Upper" })).toMatchObject({
      status: 400,
      body: "Resource filter must be a valid urn",
    });
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter: "not-a-urn" })).toMatchObject({
      status: 400,
      body: "Resource filter must be a valid urn",
    });
  });

  it("alternativeSubjectFilter and includeSubunits without subjectFilter", async () => {
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter, alternativeSubjectFilter: "/org/123456789" })).toMatchObject({
      status: 400,
      body: "AlternativeSubject filter is not supported for subscriptions on this resource.",
    });
    expect(await msg({ endPoint: `${hook.url}/x`, resourceFilter, includeSubunits: true })).toMatchObject({
      status: 400,
      body: "IncludeSubunits requires a subject filter.",
    });
  });

  it("PDP: the policy decides subscribe (403 with the string for an org it does not name); no own-subject rule", async () => {
    const vendorSubject = `urn:altinn:organization:identifier-no:${t.org("vendor").orgNumber}`;
    // A resource whose policy names only ttd: the vendor is refused, with or without a subject filter naming itself.
    await resourceWithPolicy("ttd-events-closed", false);
    const closed = "urn:altinn:resource:ttd-events-closed";
    for (const body of [
      { endPoint: `${hook.url}/v`, resourceFilter: closed },
      { endPoint: `${hook.url}/v`, resourceFilter: closed, subjectFilter: vendorSubject },
    ])
      expect(await msg(body, vendorToken)).toMatchObject({
        status: 403,
        body: `Not authorized to create a subscription for resource ${closed}.`,
      });
    // The vendor is named on RESOURCE by org number: permitted, consumer /organisation/<orgno>.
    const own = await msg({ endPoint: `${hook.url}/v`, resourceFilter, subjectFilter: vendorSubject }, vendorToken);
    expect(own.status).toBe(201);
    expect((own.body as { consumer: string }).consumer).toBe(`/organisation/${t.org("vendor").orgNumber}`);
    expect(await msg({ endPoint: `${hook.url}/v`, resourceFilter: "urn:altinn:resource:no-such-resource" })).toMatchObject({ status: 403 });
  });

  it("a raw Maskinporten token is 401 (Events takes Altinn tokens only)", async () => {
    expect((await msg({ endPoint: `${hook.url}/x`, resourceFilter }, await adminToken(t, "ttd"))).status).toBe(401);
  });
});

describe("read, delete, no update", () => {
  it("GET by id; another consumer's is 403 with an empty body; unknown is 404; list returns own only; DELETE 200 then 404", async () => {
    const r = await subscribe({ endPoint: `${hook.url}/rd`, resourceFilter });
    const id = (r.json as { id: number }).id;
    const other = await call(t.emu.url, "GET", `${SUBS}/${id}`, { token: vendorToken });
    expect(other.status).toBe(403);
    expect(other.text).toBe("");
    expect((await call(t.emu.url, "GET", `${SUBS}/99999`, { token: ttdToken })).status).toBe(404);
    const list = (await call(t.emu.url, "GET", SUBS, { token: ttdToken })).json as {
      count: number;
      subscriptions: { id: number; createdBy: string }[];
    };
    expect(list.count).toBe(list.subscriptions.length);
    expect(list.subscriptions.map((s) => s.id)).toContain(id);
    expect(list.subscriptions.every((s) => s.createdBy === "/org/ttd")).toBe(true);
    expect((await call(t.emu.url, "DELETE", `${SUBS}/${id}`, { token: vendorToken })).status).toBe(403);
    const del = await call(t.emu.url, "DELETE", `${SUBS}/${id}`, { token: ttdToken });
    expect(del.status).toBe(200);
    expect(del.text).toBe("");
    expect((await call(t.emu.url, "DELETE", `${SUBS}/${id}`, { token: ttdToken })).status).toBe(404);
  });

  it("there is no update endpoint", async () => {
    const r = await subscribe({ endPoint: `${hook.url}/upd`, resourceFilter });
    const put = await call(t.emu.url, "PUT", `${SUBS}/${(r.json as { id: number }).id}`, {
      token: ttdToken,
      body: { endPoint: `${hook.url}/other` },
    });
    expect(put.status).toBeGreaterThanOrEqual(400);
  });
});

describe("delivery (POST /__emulator/events)", () => {
  it("delivers a CloudEvent to validated subscriptions whose filters match, and only to them", async () => {
    const subject = "urn:altinn:organization:identifier-no:313000028";
    const match = await subscribe({ endPoint: `${hook.url}/d-match`, resourceFilter, typeFilter: "no.altinn.broker.published" });
    const otherType = await subscribe({ endPoint: `${hook.url}/d-type`, resourceFilter, typeFilter: "no.altinn.broker.uploadfailed" });
    const otherSubject = await subscribe({
      endPoint: `${hook.url}/d-subject`,
      resourceFilter,
      subjectFilter: "urn:altinn:organization:identifier-no:314000013",
    });
    const unvalidated = await subscribe({ endPoint: "https://hooks.example.invalid/d", resourceFilter });
    for (const s of [match, otherType, otherSubject]) {
      const id = (s.json as { id: number }).id;
      await until(
        async () => ((await call(t.emu.url, "GET", `${SUBS}/${id}`, { token: ttdToken })).json as { validated: boolean }).validated,
      );
    }
    const event = {
      specversion: "1.0",
      type: "no.altinn.broker.published",
      source: "https://platform.tt02.altinn.no/broker/api/v1/filetransfer",
      resource: resourceFilter,
      resourceinstance: "f-1",
      subject,
      data: { Role: "Recipient" },
    };
    const r = await call(t.emu.url, "POST", "/__emulator/events", { body: event });
    expect(r.status).toBe(200);
    const out = r.json as { matched: number[]; delivered: number[] };
    const matchId = (match.json as { id: number }).id;
    expect(out.delivered).toContain(matchId);
    for (const s of [otherType, otherSubject, unvalidated]) expect(out.matched).not.toContain((s.json as { id: number }).id);
    const got = hook.of("/d-match", "no.altinn.broker.published");
    expect(got).toHaveLength(1);
    expect(got[0]?.body).toMatchObject({ resource: resourceFilter, resourceinstance: "f-1", subject, data: { Role: "Recipient" } });
    expect(hook.of("/d-type", "no.altinn.broker.published")).toHaveLength(0);
  });
});

describe("outbound authorisation", () => {
  it("each delivery is authorised again: after the policy stops naming the consumer, its subscription matches but is refused", async () => {
    const id = "ttd-events-revoked";
    await resourceWithPolicy(id, true);
    const vendorSubject = `urn:altinn:organization:identifier-no:${t.org("vendor").orgNumber}`;
    const created = await subscribe(
      { endPoint: `${hook.url}/revoked`, resourceFilter: `urn:altinn:resource:${id}`, subjectFilter: vendorSubject },
      vendorToken,
    );
    expect(created.status).toBe(201);
    const subId = (created.json as { id: number }).id;
    await until(
      async () => ((await call(t.emu.url, "GET", `${SUBS}/${subId}`, { token: vendorToken })).json as { validated: boolean }).validated,
    );
    const event = {
      type: "no.altinn.broker.published",
      source: "https://example.invalid/x",
      resource: `urn:altinn:resource:${id}`,
      subject: vendorSubject,
    };
    const first = await call(t.emu.url, "POST", "/__emulator/events", { body: event });
    expect(first.json).toEqual({ matched: [subId], delivered: [subId], refused: [] });
    // The owner replaces the policy with one that names only itself.
    const mp = multipart(
      "policyFile",
      "policy.xml",
      xacml([{ subject: [["urn:altinn:org", "ttd"]], resource: id, actions: ["read", "write", "subscribe"] }], id),
    );
    const up = await call(t.emu.url, "PUT", `/resourceregistry/api/v1/resource/${id}/policy`, {
      token: ttdToken,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(up.status).toBe(201);
    const second = await call(t.emu.url, "POST", "/__emulator/events", { body: event });
    expect(second.json).toEqual({ matched: [subId], delivered: [], refused: [subId] });
    expect(hook.of("/revoked", "no.altinn.broker.published")).toHaveLength(1);
  });
});
