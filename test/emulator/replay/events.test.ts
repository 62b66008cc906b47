// Replay of Altinn/altinn-events' controller tests (test/Altinn.Platform.Events.Tests/TestingControllers/
// SubscriptionControllerTests.cs, EventsControllerTests.cs) and its Bruno collection (test/bruno/Events). The
// tests' orgs: skd/ttd become the seeded ttd (a service owner), an org token without an org code (950474084)
// becomes the vendor, another org (897069652) consumer-a. Where a test mocks the PDP to permit, the resource gets
// a policy that permits; where it mocks a denial, a policy that does not.
import { type Server, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { multipart } from "../altinn-helpers.js";
import { type Replay, startReplay } from "./fixture.js";
import { fullResource, xacml } from "./wire.js";

let r: Replay;
let ttdToken: string;
let hook: { server: Server; url: string; received: Record<string, unknown>[] };

const SUBS = "/events/api/v1/subscriptions";
const EVENTS = "/events/api/v1/events";
const RID = "ttd-altinn-events-automated-tests";

async function startHook(): Promise<typeof hook> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function resourceWithPolicy(rules: Parameters<typeof xacml>[0]): Promise<void> {
  const write = await r.altinn("ttd", ["altinn:resourceregistry/resource.write"]);
  const created = await r.call("POST", "/resourceregistry/api/v1/resource", { token: write, body: fullResource(RID, r.org("ttd")) });
  expect(created.status).toBe(201);
  const mp = multipart("policyFile", "policy.xml", xacml(rules, RID));
  const uploaded = await r.call("POST", `/resourceregistry/api/v1/resource/${RID}/policy`, {
    token: write,
    rawBody: mp.body,
    headers: { "content-type": mp.contentType },
  });
  expect(uploaded.status).toBe(201);
}

const subscribe = (token: string | undefined, body: unknown) => r.call("POST", SUBS, { token, body });
const cloudEvent = (extra: Record<string, unknown> = {}) => ({
  specversion: "1.0",
  id: "random-id",
  time: "2022-11-15T10:46:53.5339928Z",
  type: "system.event.occurred",
  source: "urn:isbn:1234567890",
  subject: `urn:altinn:organization:identifier-no:${r.org("consumer-a").orgNumber}`,
  resource: `urn:altinn:resource:${RID}`,
  ...extra,
});
const publish = (token: string | undefined, body: unknown, contentType = "application/cloudevents+json") =>
  r.call("POST", EVENTS, {
    token,
    rawBody: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": contentType },
  });

beforeAll(async () => {
  r = await startReplay();
  hook = await startHook();
});
afterAll(async () => {
  await new Promise<void>((ok) => hook.server.close(() => ok()));
  await r.stop();
});
beforeEach(async () => {
  await r.reset();
  hook.received.length = 0;
  ttdToken = await r.altinn("ttd", ["altinn:events.subscribe", "altinn:events.publish", "altinn:serviceowner"]);
});

describe("SubscriptionControllerTests.cs", () => {
  /** The vendor (an org token without an org code) subscribes to its own events on ttd's resource. */
  async function vendorSubscription(): Promise<number> {
    const vendor = r.org("vendor").orgNumber;
    await resourceWithPolicy([{ subject: [["urn:altinn:organization:identifier-no", vendor]], resource: RID, actions: ["subscribe"] }]);
    const token = await r.altinn("vendor", ["altinn:events.subscribe"]);
    const res = await subscribe(token, {
      endPoint: hook.url,
      resourceFilter: `urn:altinn:resource:${RID}`,
      subjectFilter: `urn:altinn:organization:identifier-no:${vendor}`,
    });
    expect(res.status).toBe(201);
    return (res.json as { id: number }).id;
  }

  it("SubscriptionControllerTests.cs: Get_GivenSubscriptionOrganisationWithValidSubject_ReturnsOk", async () => {
    const id = await vendorSubscription();
    const res = await r.call("GET", `${SUBS}/${id}`, { token: await r.altinn("vendor", ["altinn:events.subscribe"]) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, consumer: `/organisation/${r.org("vendor").orgNumber}` });
  });

  it("SubscriptionControllerTests.cs: Get_GivenSubscriptionOrganisationWithInvalidCreatedBy_ReturnsForbidden", async () => {
    const id = await vendorSubscription();
    const res = await r.call("GET", `${SUBS}/${id}`, { token: await r.altinn("consumer-a", ["altinn:correspondence.read"]) });
    expect(res.status).toBe(403);
  });

  it("SubscriptionControllerTests.cs: Get_MissingAuthToken_ReturnsUnauthorized", async () => {
    expect((await r.call("GET", SUBS)).status).toBe(401);
  });

  it("SubscriptionControllerTests.cs: Get_AuthenticatedOrg_CallsServiceAndReturnsList (only the caller's, consumer /org/ttd)", async () => {
    await resourceWithPolicy([{ subject: [["urn:altinn:org", "ttd"]], resource: RID, actions: ["subscribe"] }]);
    expect((await subscribe(ttdToken, { endPoint: hook.url, resourceFilter: `urn:altinn:resource:${RID}` })).status).toBe(201);
    const res = await r.call("GET", SUBS, { token: ttdToken });
    expect(res.status).toBe(200);
    const list = res.json as { count: number; subscriptions: { consumer: string }[] };
    expect(list.count).toBeGreaterThan(0);
    expect(list.subscriptions.every((s) => s.consumer === "/org/ttd")).toBe(true);
  });

  it("SubscriptionControllerTests.cs: Get_AuthenticatedUser_NoSubscriptionsReturnsEmtpyList", async () => {
    const res = await r.call("GET", SUBS, { token: await r.altinn("consumer-b", ["altinn:correspondence.read"]) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ count: 0, subscriptions: [] });
  });

  it("SubscriptionControllerTests.cs: Delete_GivenSubscriptionOrganisationWithValidSubject_ReturnsCreated (200)", async () => {
    const id = await vendorSubscription();
    const res = await r.call("DELETE", `${SUBS}/${id}`, { token: await r.altinn("vendor", ["altinn:events.subscribe"]) });
    expect(res.status).toBe(200);
  });

  it("SubscriptionControllerTests.cs: Delete_GivenSubscriptionOrganisationWithInvalidCreatedBy_ReturnsForbidden", async () => {
    const id = await vendorSubscription();
    const res = await r.call("DELETE", `${SUBS}/${id}`, { token: await r.altinn("consumer-a", ["altinn:correspondence.read"]) });
    expect(res.status).toBe(403);
  });

  it("SubscriptionControllerTests.cs: Post_GivenGenericSubscriptionWithoutScope_ReturnsForbidden", async () => {
    const noScope = await r.altinn("ttd", ["altinn:serviceowner"]);
    const res = await subscribe(noScope, {
      sourceFilter: "https://hunderpasseren.no/by/bronnoysund",
      endPoint: "https://www.skatteetaten.no/hook",
      subjectFilter: "/hund/ascii",
    });
    expect(res.status).toBe(403);
  });

  it("SubscriptionControllerTests.cs: Post_GivenMissingBearerToken_ReturnsUnauthorized", async () => {
    const res = await subscribe(undefined, {
      sourceFilter: "https://ttd.apps.altinn.no/ttd/flyttemelding",
      endPoint: "https://www.skatteetaten.no/hook",
    });
    expect(res.status).toBe(401);
  });

  it("SubscriptionControllerTests.cs: Post_GivenSubscriptionWithInvalidUrnResource_ReturnsBadRequest", async () => {
    // An app subscription (apps host in sourceFilter) needs no scope; the resource filter is then checked.
    const noScope = await r.altinn("consumer-a", ["altinn:correspondence.read"]);
    const res = await subscribe(noScope, {
      sourceFilter: "https://ttd.apps.altinn.no/ttd/endring-av-navn-v2",
      endPoint: "https://www.ttd.no/hook",
      alternativeSubjectFilter: "/person/01039012345",
      resourceFilter: "some-service",
    });
    expect(res.status).toBe(400);
    expect(res.text).toBe('"Resource filter must be a valid urn"');
  });

  for (const source of [
    "skd/flyttemelding",
    "altinn.no/ttd/apps-test/",
    "platform.altinn.no/",
    "http://altinn.no/ttd/",
    "sftp://altinn.no/ttd/",
  ]) {
    it(`SubscriptionControllerTests.cs: Post_SourceFilterIsNotAnAbsoluteHttpsUrl_ReturnsBadRequest("${source}")`, async () => {
      const res = await r.call("POST", SUBS, {
        token: ttdToken,
        rawBody: `{ "sourceFilter": "${source}", "endPoint": "https://altinn.no/hook" }`,
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe('"SourceFilter must be an absolute URL with the https scheme."');
    });
  }

  it("SubscriptionControllerTests.cs: Post_GivenSubscriptionWithoutEndpoint_ReturnsBadRequest", async () => {
    const res = await subscribe(ttdToken, { sourceFilter: "https://ttd.apps.altinn.no/ttd/flyttemelding", subjectFilter: "/party/133" });
    expect(res.status).toBe(400);
    expect(res.text).toBe('"Missing or invalid endpoint to push events towards"');
  });

  for (const endPoint of [
    "",
    "skd/flyttemelding",
    "altinn.no/ttd/apps-test/",
    "platform.altinn.no/",
    "http://altinn.no/ttd/",
    "sftp://altinn.no/ttd/",
  ]) {
    it(`SubscriptionControllerTests.cs: Post_EndPointIsNotAnAbsoluteHttpsUrl_ReturnsBadRequest("${endPoint}")`, async () => {
      const res = await r.call("POST", SUBS, {
        token: ttdToken,
        rawBody: `{ "endPoint": "${endPoint}" }`,
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      expect(res.text).toBe('"Missing or invalid endpoint to push events towards"');
    });
  }

  it("SubscriptionControllerTests.cs: Post_GivenValidAppSubscription_ReturnsStatusCreatedAndCorrectData", async () => {
    const sourceFilter = "https://ttd.apps.altinn.no/ttd/flyttemelding";
    const res = await subscribe(ttdToken, { sourceFilter, endPoint: "https://www.skatteetaten.no/hook" });
    expect(res.status).toBe(201);
    expect(res.text).toContain(new URL(sourceFilter).href);
  });
});

describe("EventsControllerTests.cs (POST /events/api/v1/events)", () => {
  it("EventsControllerTests.cs: Post_MissingBearerToken_UnauthorizedResponse", async () => {
    expect((await publish(undefined, cloudEvent())).status).toBe(401);
  });

  it("EventsControllerTests.cs: Post_ValidTokenInvalidScope_ForbiddenResponse", async () => {
    const subscribeOnly = await r.altinn("ttd", ["altinn:events.subscribe"]);
    expect((await publish(subscribeOnly, cloudEvent())).status).toBe(403);
  });

  it("EventsControllerTests.cs: Post_EventMissingParameters_BadRequestResponse", async () => {
    const invalid =
      '{ "time": "2022-11-15T10:46:53.5339928Z", "type": "app.instance.created", "source": "https://ttd.apps.at22.altinn.cloud/ttd/apps-test/instances/50019855/428a4575-2c04-4400-89a3-1aaadd2579cd", "subject": "/party/50019855", "specversion": "1.0", "alternativesubject": "/person/stephanie" }';
    const res = await publish(ttdToken, invalid);
    expect(res.status).toBe(400);
    expect(res.text).toContain("CloudEvent is missing required attributes: id (Parameter 'data')");
  });

  it("EventsControllerTests.cs: Post_ResourceIsNotUrn_BadRequestResponse", async () => {
    const res = await publish(ttdToken, cloudEvent({ resource: "this-is.not-urn" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("'Resource' must be a valid urn.");
  });

  it("EventsControllerTests.cs: Post_IncorrectContentType_UnsupportedMediaType", async () => {
    expect((await publish(ttdToken, cloudEvent(), "application/json")).status).toBe(415);
  });

  it("EventsControllerTests.cs: Post_PublishScopeIncluded_EventIsRegistered (the PDP permits publish)", async () => {
    await resourceWithPolicy([{ subject: [["urn:altinn:org", "ttd"]], resource: RID, actions: ["publish"] }]);
    const res = await publish(ttdToken, cloudEvent());
    expect(res.status).toBe(200);
  });

  it("EventsControllerTests.cs: Post_OrgAuthenticatedNotAuthorized_ReturnsForbidden (the PDP denies)", async () => {
    await resourceWithPolicy([{ subject: [["urn:altinn:org", "ttd"]], resource: RID, actions: ["subscribe"] }]);
    const res = await publish(ttdToken, cloudEvent());
    expect(res.status).toBe(403);
    expect(res.text).toBe("");
  });

  it("EventsController.cs Post -> outbound: a published event reaches the matching validated subscription", async () => {
    await resourceWithPolicy([{ subject: [["urn:altinn:org", "ttd"]], resource: RID, actions: ["publish", "subscribe"] }]);
    const sub = await subscribe(ttdToken, {
      endPoint: hook.url,
      resourceFilter: `urn:altinn:resource:${RID}`,
      typeFilter: "system.event.occurred",
    });
    expect(sub.status).toBe(201);
    const id = (sub.json as { id: number }).id;
    for (let i = 0; i < 100 && !((await r.call("GET", `${SUBS}/${id}`, { token: ttdToken })).json as { validated: boolean }).validated; i++)
      await new Promise((ok) => setTimeout(ok, 20));
    expect((await publish(ttdToken, cloudEvent({ id: "event-1" }))).status).toBe(200);
    const delivered = hook.received.filter((e) => e["type"] === "system.event.occurred");
    expect(delivered.map((e) => [e["id"], e["resource"]])).toEqual([["event-1", `urn:altinn:resource:${RID}`]]);
  });
});

describe("Bruno collection (test/bruno/Events)", () => {
  it("Bruno Subscriptions/generic subscription (org).bru ('endpoint' in lower case), list subscription.bru (trailing slash), subscription.bru (DELETE)", async () => {
    await resourceWithPolicy([{ subject: [["urn:altinn:org", "ttd"]], resource: RID, actions: ["subscribe"] }]);
    const created = await subscribe(ttdToken, {
      resourceFilter: `urn:altinn:resource:${RID}`,
      endpoint: "https://webhook.site/73e46e5f-e905-4375-8ab6-12986525007e",
    });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    const listed = await r.call("GET", `${SUBS}/`, { token: ttdToken });
    expect(listed.status).toBe(200);
    expect((listed.json as { subscriptions: { id: number }[] }).subscriptions.map((s) => s.id)).toContain(id);
    expect((await r.call("DELETE", `${SUBS}/${id}`, { token: ttdToken })).status).toBe(200);
  });

  it("Bruno Events publish/generic event (dialogporten).bru: altinn:events.publish.admin publishes without a PDP decision", async () => {
    const adminToken = await r.altinn("digdir", ["altinn:events.publish", "altinn:events.publish.admin"]);
    const res = await publish(adminToken, {
      specversion: "1.0",
      id: "019d4665-e739-7c1a-84ca-9df248032097",
      time: new Date().toISOString(),
      type: "dialogporten.dialog.updated.v1",
      source: "https://platform.tt02.altinn.no/dialogporten/api/v1/enduser/dialogs/019d4665-e739-7c1a-84ca-9df248032097",
      subject: "urn:altinn:person:identifier-no:15036202391",
      resource: "urn:altinn:resource:app_ttd_apps-test",
      resourceinstance: "019d4665-e739-7c1a-84ca-9df248032097",
    });
    expect(res.status).toBe(200);
  });
});
