// Replay of Altinn/altinn-correspondence's controller tests (Test/Altinn.Correspondence.Tests/TestingController/
// Correspondence/: CorrespondenceInitializationTests.cs, CorrespondenceRetrievalTests.cs, CorrespondenceSearchTests.cs,
// CorrespondenceStatusTests.cs), with the body of their CorrespondenceBuilder. Substitutions: the tests' service
// owner 991825827 (both sender and recipient there) becomes ttd as the sender and consumer-a as the recipient; the
// mocked resource "1" (or a new Guid) becomes a CorrespondenceService resource of ttd whose policy permits ttd
// (write, read), consumer-b (write) and consumer-a (read). The tests' mocked PDP becomes that policy: their
// `_senderClient` is ttd (the owner's shortcut) or, where the sender must not be a recipient, consumer-b; their
// `_recipientClient` is consumer-a; a client with `notSender`/`notRecipient` is the vendor, which the policy does
// not name. Person recipients are out of the emulator's scope, so tests that need them are left out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResult } from "../altinn-helpers.js";
import { type Replay, startReplay } from "./fixture.js";
import { fullResource, xacml } from "./wire.js";
import { multipart } from "../altinn-helpers.js";

const BASE = "correspondence/api/v1/correspondence";
let r: Replay;
let sender: string; // ttd (resource owner, altinn:serviceowner)
let otherSender: string; // consumer-b: the policy permits write, not read
let recipient: string; // consumer-a: correspondence.read only
let invalid: string; // vendor: correspondence.write, named by no rule
let ttdNo: string;
let recipientNo: string;
let resources = 0;

const urn = (orgNo: string) => `urn:altinn:organization:identifier-no:${orgNo}`;
const BODY =
  "# test body /n __test__ /n **test**/n [test](www.test.no) /n ![test](www.test.no) /n ```test``` /n > test /n - test /n 1. test /n 1. test /n [x] test /n [ ] test /n ## test /n ### test /n #### test /n ##### test /n ###### test /n + test list /n - test list /n * list element";

interface Builder {
  correspondence: {
    resourceId: string;
    sendersReference: string;
    sender: string;
    messageSender?: string;
    content: { language: string | null; messageTitle: string | null; messageSummary: string | null; messageBody: string | null } | null;
    requestedPublishTime: string | null;
    dueDateTime?: string;
    propertyList: Record<string, string>;
    ignoreReservation: boolean;
    isConfirmationNeeded: boolean;
  };
  recipients: string[];
  existingAttachments: string[];
  idempotentKey?: string;
}

/** CorrespondenceBuilder.CreateCorrespondence(), on the given resource. */
function build(resourceId: string): Builder {
  return {
    correspondence: {
      resourceId,
      sendersReference: "1",
      sender: urn(ttdNo),
      content: { language: "nb", messageTitle: "test", messageSummary: "test", messageBody: BODY },
      requestedPublishTime: new Date().toISOString(),
      propertyList: { deserunt_12: "1", culpa_852: "2", anim5: "3" },
      ignoreReservation: false,
      isConfirmationNeeded: false,
    },
    recipients: [urn(recipientNo)],
    existingAttachments: [],
  };
}

/** A new CorrespondenceService resource of ttd with the replay policy (the tests' `Guid.NewGuid()` resources). */
async function newResource(type = "CorrespondenceService"): Promise<string> {
  const id = `corr-replay-${++resources}`;
  const write = await r.altinn("ttd", ["altinn:resourceregistry/resource.write"]);
  const created = await r.call("POST", "/resourceregistry/api/v1/resource", {
    token: write,
    body: fullResource(id, r.org("ttd"), { ResourceType: type as "CorrespondenceService" }),
  });
  expect(created.status, created.text).toBe(201);
  const policy = xacml(
    [
      { subject: [["urn:altinn:org", "ttd"]], resource: id, actions: ["write", "read"] },
      { subject: [["urn:altinn:organization:identifier-no", r.org("consumer-b").orgNumber]], resource: id, actions: ["write"] },
      { subject: [["urn:altinn:organization:identifier-no", recipientNo]], resource: id, actions: ["read"] },
    ],
    id,
  );
  const mp = multipart("policyFile", "policy.xml", policy);
  const up = await r.call("POST", `/resourceregistry/api/v1/resource/${id}/policy`, {
    token: write,
    rawBody: mp.body,
    headers: { "content-type": mp.contentType },
  });
  expect(up.status).toBe(201);
  return id;
}

const post = (token: string, body: unknown): Promise<RawResult> => r.call("POST", `/${BASE}`, { token, body });
const get = (token: string, path: string): Promise<RawResult> => r.call("GET", `/${BASE}${path}`, { token });
const ids = (res: RawResult) => (res.json as { ids: string[] }).ids;
const firstId = (res: RawResult) =>
  (res.json as { correspondences: { correspondenceId: string; recipient: string }[] }).correspondences[0]?.correspondenceId as string;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

/** CorrespondenceHelper.WaitForCorrespondenceStatusUpdate. */
async function waitFor(id: string, status: string): Promise<void> {
  const end = Date.now() + 5000;
  for (;;) {
    const res = await get(sender, `/${id}`);
    if ((res.json as { status?: string } | undefined)?.status === status) return;
    if (Date.now() > end) throw new Error(`correspondence ${id} never reached ${status}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

let R1: string; // the tests' resource "1"

beforeAll(async () => {
  r = await startReplay();
  ttdNo = r.org("ttd").orgNumber;
  recipientNo = r.org("consumer-a").orgNumber;
  sender = await r.altinn("ttd");
  otherSender = await r.altinn("consumer-b", ["altinn:correspondence.write"]);
  recipient = await r.altinn("consumer-a", ["altinn:correspondence.read"]);
  invalid = await r.altinn("vendor", ["altinn:correspondence.write"]);
  R1 = await newResource();
});
afterAll(async () => r.stop());

describe("CorrespondenceInitializationTests.cs", () => {
  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence", async () => {
    expect((await post(sender, build(R1))).status).toBe(200);
  });

  it.each(["nN", "EN"])(
    "CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithCorrectLanguageCode_ReturnsOK(%s)",
    async (lang) => {
      const b = build(R1);
      (b.correspondence.content as { language: string | null }).language = lang;
      expect((await post(sender, b)).status).toBe(200);
    },
  );

  it.each([null, "", " "])(
    "CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithNullOrEmptyLanguageCode_DefaultsToNb_ReturnsOK(%j)",
    async (lang) => {
      const b = build(R1);
      (b.correspondence.content as { language: string | null }).language = lang;
      const res = await post(sender, b);
      expect(res.status).toBe(200);
      const overview = await get(sender, `/${firstId(res)}`);
      expect((overview.json as { content: { language: string } }).content.language).toBe("nb");
    },
  );

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithInvalidLanguageCode_ReturnsBadRequest(nu)", async () => {
    const b = build(R1);
    (b.correspondence.content as { language: string }).language = "nu";
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_InvalidLanguageCode_ReturnsLegacyProblemDetailsFields", async () => {
    const b = build(R1);
    (b.correspondence.content as { language: string }).language = "nu";
    const res = await post(sender, b);
    expect(res.status).toBe(400);
    const p = res.json as Record<string, unknown>;
    expect(typeof p["type"]).toBe("string");
    expect(p["title"]).toBe("Bad Request");
    expect(p["status"]).toBe(400);
    expect(p["detail"]).toBe("Invalid language chosen. Supported languages is Norsk bokmål (nb), Nynorsk (nn) and English (en)");
    expect(typeof p["traceId"]).toBe("string");
    expect(p["traceId"]).not.toBe("");
    expect(p["errorCode"]).toBe(1023);
    expect(typeof p["code"]).toBe("string");
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithoutContent_ReturnsBadRequest", async () => {
    const b = build(R1);
    b.correspondence.content = null;
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithEmptyMessageFields_ReturnsBadRequest", async () => {
    const title = build(R1);
    (title.correspondence.content as { messageTitle: string }).messageTitle = "";
    const summary = build(R1);
    (summary.correspondence.content as { messageSummary: string }).messageSummary = "";
    const body = build(R1);
    (body.correspondence.content as { messageBody: string }).messageBody = "";
    expect((await post(sender, title)).status).toBe(400);
    expect((await post(sender, summary)).status).toBe(200);
    expect((await post(sender, body)).status).toBe(400);
  });

  it.each(["<h1>test</h1>", "# test"])(
    "CorrespondenceInitializationTests.cs: InitializeCorrespondence_With_HTML_Or_Markdown_In_Title_fails(%s)",
    async (t) => {
      const b = build(R1);
      (b.correspondence.content as { messageTitle: string }).messageTitle = t;
      expect((await post(sender, b)).status).toBe(400);
    },
  );

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithTitleTooLong_ReturnsBadRequest", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageTitle: string }).messageTitle = "A".repeat(256);
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithTitleAt255Characters_Succeeds", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageTitle: string }).messageTitle = "A".repeat(255);
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_With_RecipientToken_succeeds", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageSummary: string }).messageSummary = "test for {{recipientName}}";
    expect((await post(sender, b)).status).toBe(200);
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_No_Message_Body_fails", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageBody: string | null }).messageBody = null;
    expect((await post(sender, b)).status).toBe(400);
  });

  it.each(["invalid-recipient", "123456789", "1234567812390123", "1234:123456789"])(
    "CorrespondenceInitializationTests.cs: InitializeCorrespondence_With_Invalid_Recipient_Returns_BadRequest(%s)",
    async (recipientId) => {
      const b = build(R1);
      b.recipients = [recipientId];
      expect((await post(sender, b)).status).toBe(400);
    },
  );

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_As_Recipient_Is_Forbidden", async () => {
    expect((await post(recipient, build(R1))).status).toBe(403);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_DueDate_PriorToday_Returns_BadRequest", async () => {
    const b = build(R1);
    b.correspondence.dueDateTime = inDays(-7);
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_DueDate_PriorRequestedPublishTime_Returns_BadRequest", async () => {
    const b = build(R1);
    b.correspondence.dueDateTime = inDays(7);
    b.correspondence.requestedPublishTime = inDays(14);
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithConfirmationNeeded_Without_DueDate_Returns_BadRequest", async () => {
    const b = build(R1);
    b.correspondence.isConfirmationNeeded = true;
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_With_RequestedPublishTime_Null", async () => {
    const b = build(R1);
    b.correspondence.requestedPublishTime = null;
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithoutUrnFormat_AddsUrnFormat (the organisation part)", async () => {
    const b = build(R1);
    b.correspondence.sender = `0192:${ttdNo}`;
    b.recipients = [`0192:${recipientNo}`];
    const res = await post(sender, b);
    const recipients = (res.json as { correspondences: { recipient: string }[] }).correspondences.map((c) => c.recipient);
    expect(recipients[0]).toBe(urn(recipientNo));
    const overview = await get(sender, `/${firstId(res)}`);
    expect((overview.json as { sender: string }).sender).toBe(urn(ttdNo));
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithABrokerService_FailsWithBadRequest", async () => {
    const broker = await newResource("BrokerService");
    const res = await post(sender, build(broker));
    expect(res.status).toBe(400);
    expect(res.json).toBeDefined();
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithDuplicateIdempotentKey_ReturnsConflict", async () => {
    const b = { ...build(R1), idempotentKey: crypto.randomUUID() };
    expect((await post(sender, b)).status).toBe(200);
    const second = await post(sender, b);
    expect(second.status).toBe(409);
    expect(second.text).toContain("A correspondence with the same idempotent key already exists");
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithDifferentContentAndSameIdempotentKey_ShouldReturnConflict", async () => {
    const key = crypto.randomUUID();
    const one = { ...build(R1), idempotentKey: key };
    (one.correspondence.content as { messageTitle: string }).messageTitle = "First Title";
    const two = { ...build(R1), idempotentKey: key };
    (two.correspondence.content as { messageTitle: string }).messageTitle = "Second Title";
    expect((await post(sender, one)).status).toBe(200);
    const res = await post(sender, two);
    expect(res.status).toBe(409);
    expect(res.text).toContain("A correspondence with the same idempotent key already exists");
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithInvalidIdempotentKey_ShouldReturnBadRequest", async () => {
    const res = await post(sender, { ...build(R1), idempotentKey: "00000000-0000-0000-0000-000000000000" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("The idempotency key must be a valid non-empty GUID");
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithUrnPrefixOnResourceId_Succeeds", async () => {
    const res = await post(sender, build(`urn:altinn:resource:${R1}`));
    expect(res.status).toBe(200);
    expect((res.json as { correspondences: unknown[] }).correspondences.length).toBeGreaterThan(0);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithMultipleRecipients_PropertyListPresentForAll", async () => {
    const b = build(R1);
    b.recipients = [urn(recipientNo), urn(r.org("consumer-b").orgNumber)];
    b.correspondence.propertyList = { CaseId: "ABC-123", Department: "IT" };
    const res = await post(sender, b);
    expect(res.status).toBe(200);
    const created = (res.json as { correspondences: { correspondenceId: string }[] }).correspondences;
    expect(created.length).toBeGreaterThanOrEqual(2);
    for (const c of created) {
      const overview = await get(sender, `/${c.correspondenceId}`);
      expect(overview.status).toBe(200);
      expect((overview.json as { propertyList: Record<string, string> }).propertyList).toMatchObject({
        CaseId: "ABC-123",
        Department: "IT",
      });
    }
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithSummaryTooLong_ReturnsBadRequest", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageSummary: string }).messageSummary = "A".repeat(256);
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithSummaryAt255Characters_Succeeds", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageSummary: string }).messageSummary = "A".repeat(255);
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithSenderAt255Characters_Succeeds", async () => {
    const b = build(R1);
    b.correspondence.messageSender = "A".repeat(255);
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithSenderTooLong_ReturnsBadRequest", async () => {
    const b = build(R1);
    b.correspondence.messageSender = "A".repeat(256);
    expect((await post(sender, b)).status).toBe(400);
  });

  it.each(["<h1>test</h1>", "# test"])(
    "CorrespondenceInitializationTests.cs: InitializeCorrespondence_With_HTML_Or_Markdown_In_Sender_fails(%s)",
    async (messageSender) => {
      const b = build(R1);
      b.correspondence.messageSender = messageSender;
      expect((await post(sender, b)).status).toBe(400);
    },
  );

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithMessageBodyTooLong_ReturnsBadRequest", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageBody: string }).messageBody = "A".repeat(30001);
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithMessageBodyAt30000Characters_Succeeds", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageBody: string }).messageBody = "A".repeat(30000);
    expect((await post(sender, b)).status).toBe(200);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithMessageBodyEmpty_ReturnsBadRequest", async () => {
    const b = build(R1);
    (b.correspondence.content as { messageBody: string }).messageBody = "";
    expect((await post(sender, b)).status).toBe(400);
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithNonExistentRecipient_ReturnsNotFound", async () => {
    const b = build(R1);
    b.recipients = ["0192:999999999"];
    const res = await post(sender, b);
    expect(res.status).toBe(404);
    expect(res.text).toContain("Could not find partyId for the following recipients");
    expect(res.text).toContain("999999999");
  });

  it("CorrespondenceInitializationTests.cs: InitializeCorrespondence_WithIdempotentKeyAndMultipleRecipients_ReturnsBadRequest (organisations for the persons)", async () => {
    const b = { ...build(R1), idempotentKey: crypto.randomUUID() };
    (b.correspondence.content as { messageTitle: string }).messageTitle = "First Title";
    b.recipients = [urn(recipientNo), urn(r.org("consumer-b").orgNumber)];
    expect((await post(sender, b)).status).toBe(400);
  });
});

describe("CorrespondenceRetrievalTests.cs", () => {
  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceOverview", async () => {
    const res = await post(sender, build(R1));
    expect((await get(sender, `/${firstId(res)}`)).status).toBe(200);
  });

  it.each(["", "/details"])("CorrespondenceRetrievalTests.cs: GetCorrespondence%s_WhenNotSenderOrRecipient_Returns401", async (suffix) => {
    const res = await post(sender, build(R1));
    expect(res.status).toBe(200);
    expect((await get(invalid, `/${firstId(res)}${suffix}`)).status).toBe(401);
  });

  it.each(["", "/details"])(
    "CorrespondenceRetrievalTests.cs: GetCorrespondence%s_AsReceiver_WhenNotPublishedReturns404",
    async (suffix) => {
      const b = build(R1);
      b.correspondence.requestedPublishTime = inDays(1);
      const res = await post(sender, b);
      expect((await get(recipient, `/${firstId(res)}${suffix}`)).status).toBe(404);
    },
  );

  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceOverview_AsReceiver_AddsFetchedStatusToHistory", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    const overview = await get(recipient, `/${id}`);
    expect(overview.status, overview.text).toBe(200);
    expect((overview.json as { status: string }).status).toBe("Published");
    const details = (await get(sender, `/${id}/details`)).json as { statusHistory: { status: string }[] };
    expect(details.statusHistory.filter((s) => s.status === "Fetched")).toHaveLength(1);
    expect(details.statusHistory.map((s) => s.status)).toContain("Published");
  });

  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceOverview_AsSender_KeepsStatusAsPublished", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    const overview = await get(sender, `/${id}`);
    expect(overview.status).toBe(200);
    const details = (await get(sender, `/${id}/details`)).json as { statusHistory: { status: string }[] };
    expect(details.statusHistory.map((s) => s.status)).not.toContain("Fetched");
    expect((overview.json as { status: string }).status).toBe("Published");
  });

  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceDetails", async () => {
    const res = await post(sender, build(R1));
    expect((await get(sender, `/${firstId(res)}/details`)).status).toBe(200);
  });

  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceDetails_AsReceiver_AddsFetchedStatusToHistory", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    const res = await get(recipient, `/${id}/details`);
    expect(res.status, res.text).toBe(200);
    const details = res.json as { status: string; statusHistory: { status: string }[] };
    expect(details.statusHistory.filter((s) => s.status === "Fetched")).toHaveLength(1);
    expect(details.statusHistory.map((s) => s.status)).toContain("Published");
    expect(details.status).toBe("Published");
  });

  it("CorrespondenceRetrievalTests.cs: GetCorrespondenceDetails_AsSender_KeepsStatusAsPublished", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    const details = (await get(sender, `/${id}/details`)).json as { status: string; statusHistory: { status: string }[] };
    expect(details.statusHistory.map((s) => s.status)).not.toContain("Fetched");
    expect(details.status).toBe("Published");
  });

  it("CorrespondenceRetrievalTests.cs: CorrespondencePublished_ContentNullForSender (a sender that is not the owner)", async () => {
    const id = firstId(await post(otherSender, build(R1)));
    await waitFor(id, "Published");
    for (const path of [`/${id}/details`, `/${id}`]) {
      const res = await get(otherSender, path);
      expect(res.status, res.text).toBe(200);
      const body = res.json as { status: string; content: { messageSummary: string; messageBody: string; messageTitle: string } };
      expect(body.status).toBe("Published");
      expect(body.content).not.toBeNull();
      expect(body.content.messageSummary).toBe("");
      expect(body.content.messageBody).toBe("");
      expect(body.content.messageTitle).toBe("");
    }
  });

  it("CorrespondenceRetrievalTests.cs: CorrespondenceNotPublished_ContentNotNullForSender", async () => {
    const b = build(R1);
    b.correspondence.requestedPublishTime = inDays(1);
    const id = firstId(await post(otherSender, b));
    for (const path of [`/${id}/details`, `/${id}`]) {
      const res = await get(otherSender, path);
      expect(res.status, res.text).toBe(200);
      const body = res.json as { status: string; content: { messageSummary: string; messageBody: string; messageTitle: string } };
      expect(body.status).not.toBe("Published");
      expect(body.content.messageSummary).not.toBe("");
      expect(body.content.messageBody).not.toBe("");
      expect(body.content.messageTitle).not.toBe("");
    }
  });
});

describe("CorrespondenceSearchTests.cs", () => {
  it("CorrespondenceSearchTests.cs: GetCorrespondences", async () => {
    const res = await post(sender, build(R1));
    await waitFor(firstId(res), "Published");
    const list = await get(sender, `?resourceId=${R1}&status=2&role=recipientandsender`);
    expect(list.status).toBe(200);
    expect(ids(list).length).toBeGreaterThan(0);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithInvalidRole_ReturnsBadRequest", async () => {
    expect((await post(sender, build(R1))).status).toBe(200);
    expect((await get(sender, `?resourceId=${R1}&status=2`)).status).toBe(400);
    expect((await get(sender, `?resourceId=${R1}&status=2&role=invalid`)).status).toBe(400);
  });

  it.each([`urn:altinn:organization:identifier-no:312585065`, "0192:312585065"])(
    "CorrespondenceSearchTests.cs: GetCorrespondences_ReturnsSuccess_WhenOnBehalfOfIsValidOrganizationNumber(%s)",
    async (orgNumber) => {
      expect((await get(sender, `?resourceId=${R1}&role=Sender&onBehalfOf=${encodeURIComponent(orgNumber)}`)).status).toBe(200);
    },
  );

  it.each(["urn:altinn:person:identifier-no:13876698239", "13876698239"])(
    "CorrespondenceSearchTests.cs: GetCorrespondences_ReturnsSuccess_WhenOnBehalfOfIsValidSocialSecurityNumber(%s)",
    async (ssn) => {
      expect((await get(sender, `?resourceId=${R1}&role=Sender&onBehalfOf=${encodeURIComponent(ssn)}`)).status).toBe(200);
    },
  );

  it.each(["", "     ", null])(
    "CorrespondenceSearchTests.cs: GetCorrespondences_WhenOnBehalfOfValueIsNotGiven_ReturnsSuccess(%j)",
    async (value) => {
      const q = value === null ? "" : `&onBehalfOf=${encodeURIComponent(value)}`;
      expect((await get(sender, `?resourceId=${R1}&role=Sender${q}`)).status).toBe(200);
    },
  );

  it.each([
    "invalid",
    "123456789",
    "urn:altinn:invalid:123456789",
    "0192:12345678",
    "0192:1234567890",
    "urn:altinn:organization:identifier-no:12345678",
    "urn:altinn:organization:identifier-no:1234567890",
    "urn:altinn:person:identifier-no:1234567890",
    "urn:altinn:person:identifier-no:123456789012",
  ])("CorrespondenceSearchTests.cs: GetCorrespondences_ReturnsBadRequest_WhenOnBehalfOfIsInvalid(%s)", async (value) => {
    expect((await get(sender, `?resourceId=${R1}&role=Sender&onBehalfOf=${encodeURIComponent(value)}`)).status).toBe(400);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondencesOnlyFromSearchedResourceId (without attachments)", async () => {
    const a = await newResource();
    const b = await newResource();
    const one = build(a);
    const idA = firstId(await post(sender, one));
    const idB = firstId(await post(sender, build(b)));
    await waitFor(idA, "Published");
    await waitFor(idB, "Published");
    const list = await get(sender, `?resourceId=${a}&status=2&role=recipientandsender`);
    expect(list.status).toBe(200);
    expect(ids(list)).toHaveLength(one.recipients.length);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithStatusSpecified_ShowsSpecifiedCorrespondences", async () => {
    const res = await newResource();
    const later = build(res);
    later.correspondence.requestedPublishTime = inDays(1);
    await post(sender, later);
    const earlier = build(res);
    earlier.correspondence.requestedPublishTime = inDays(-1);
    await waitFor(firstId(await post(sender, earlier)), "Published");
    expect(ids(await get(sender, `?resourceId=${res}&status=1&role=sender`))).toHaveLength(
      later.recipients.length + earlier.recipients.length,
    );
    expect(ids(await get(sender, `?resourceId=${res}&status=2&role=sender`))).toHaveLength(earlier.recipients.length);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithoutStatusSpecified_AsReceiver_ReturnsAllExceptBlacklisted", async () => {
    const res = await newResource();
    const published = build(res);
    await waitFor(firstId(await post(sender, published)), "Published");
    const ready = build(res);
    ready.correspondence.requestedPublishTime = inDays(1);
    await post(sender, ready);
    expect(ids(await get(recipient, `?resourceId=${res}&role=recipient`))).toHaveLength(1);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithoutStatusSpecified_AsSenderAndAsRecipient_ReturnsAllExceptBlacklisted", async () => {
    const res = await newResource();
    const b = build(res);
    b.correspondence.requestedPublishTime = inDays(1);
    expect((await post(sender, b)).status).toBe(200);
    expect(ids(await get(recipient, `?resourceId=${res}&role=recipient`))).toHaveLength(b.recipients.length - 1);
    expect(ids(await get(sender, `?resourceId=${res}&role=sender`))).toHaveLength(b.recipients.length);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithStatusSpecified_ButStatusIsBlackListed_DoesNotReturnCorrespondence", async () => {
    const res = await newResource();
    const b = build(res);
    b.correspondence.requestedPublishTime = inDays(5);
    expect((await post(sender, b)).status).toBe(200);
    expect(ids(await get(recipient, `?resourceId=${res}&status=1&role=recipient`))).toHaveLength(0);
    expect(ids(await get(sender, `?resourceId=${res}&status=1&role=sender`))).toHaveLength(b.recipients.length);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_With_Invalid_Date_Gives_BadRequest", async () => {
    const from = encodeURIComponent(inDays(1));
    const to = encodeURIComponent(new Date().toISOString());
    expect((await get(sender, `?resourceId=${R1}&status=0&role=recipientandsender&from=${from}&to=${to}`)).status).toBe(400);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithSendersReference_ReturnsMatchingCorrespondences", async () => {
    const res = await newResource();
    const b = build(res);
    b.correspondence.sendersReference = "test-ref-123";
    const id = firstId(await post(sender, b));
    const list = await get(sender, `?resourceId=${res}&sendersReference=test-ref-123&role=recipientandsender`);
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual([id]);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondences_WithDifferentSendersReferences_ReturnsCorrectCorrespondences", async () => {
    const res = await newResource();
    const one = build(res);
    one.correspondence.sendersReference = "ref-1";
    const two = build(res);
    two.correspondence.sendersReference = "ref-2";
    const id1 = firstId(await post(sender, one));
    const id2 = firstId(await post(sender, two));
    expect(ids(await get(sender, `?resourceId=${res}&sendersReference=ref-1&role=recipientandsender`))).toEqual([id1]);
    expect(ids(await get(sender, `?resourceId=${res}&sendersReference=ref-2&role=recipientandsender`))).toEqual([id2]);
    expect(ids(await get(sender, `?resourceId=${res}&sendersReference=non-existent&role=recipientandsender`))).toEqual([]);
    const all = ids(await get(sender, `?resourceId=${res}&role=recipientandsender`));
    expect(all).toHaveLength(2);
    expect(all).toEqual(expect.arrayContaining([id1, id2]));
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondence_WithValidIdempotentKey_Succeeds", async () => {
    const res = await newResource();
    const key = crypto.randomUUID();
    const id = firstId(await post(sender, { ...build(res), idempotentKey: key }));
    expect(ids(await get(sender, `?resourceId=${res}&idempotentKey=${key}&role=recipientandsender`))).toEqual([id]);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondence_WithInvalidIdempotentKey_ReturnsBadRequest", async () => {
    expect((await get(sender, `?resourceId=${R1}&idempotentKey=invalid-guid&role=recipientandsender`)).status).toBe(400);
  });

  it("CorrespondenceSearchTests.cs: GetCorrespondence_WithIdempotentKey_CorrespondenceNotFound_ReturnsEmptyList", async () => {
    const res = await newResource();
    expect((await post(sender, { ...build(res), idempotentKey: crypto.randomUUID() })).status).toBe(200);
    expect(ids(await get(sender, `?resourceId=${res}&idempotentKey=${crypto.randomUUID()}&role=recipientandsender`))).toEqual([]);
  });
});

describe("CorrespondenceStatusTests.cs", () => {
  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_CorrespondenceNotExists_Return404 (markasread)", async () => {
    expect((await r.call("POST", `/${BASE}/00000000-0100-0000-0000-000000000000/markasread`, { token: recipient })).status).toBe(404);
  });

  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_CorrespondenceNotPublished_Return404 (markasread)", async () => {
    const b = build(R1);
    b.correspondence.requestedPublishTime = inDays(1);
    const id = firstId(await post(sender, b));
    expect((await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient })).status).toBe(404);
  });

  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_CorrespondencePublished_ReturnOk (markasread)", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    expect((await get(recipient, `/${id}`)).status).toBe(200);
    const read = await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient });
    expect(read.status, read.text).toBe(200);
    expect(((await get(sender, `/${id}`)).json as { status: string }).status).toBe("Read");
  });

  it("CorrespondenceStatusTests.cs: GetCorrespondence_ReadTimestamp_IsNullBeforeRead", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    expect(((await get(sender, `/${id}`)).json as { read: unknown }).read).toBeNull();
    expect(((await get(sender, `/${id}/details`)).json as { read: unknown }).read).toBeNull();
  });

  it("CorrespondenceStatusTests.cs: GetCorrespondence_ReadTimestamp_IsPopulatedOnOverviewAndDetailsAfterRead", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    expect((await get(recipient, `/${id}`)).status).toBe(200);
    expect((await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient })).status).toBe(200);
    const overview = (await get(sender, `/${id}`)).json as { read: string | null };
    const details = (await get(sender, `/${id}/details`)).json as { read: string | null };
    expect(overview.read).not.toBeNull();
    expect(details.read).not.toBeNull();
    expect(overview.read).toBe(details.read);
  });

  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_MarkAsRead_WithoutFetched_ReturnsBadRequest", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    const res = await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient });
    expect(res.status).toBe(400);
  });

  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_ToRead_Succeeds", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    expect((await get(recipient, `/${id}`)).status).toBe(200);
    expect((await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient })).status).toBe(200);
  });

  it("CorrespondenceStatusTests.cs: UpdateCorrespondenceStatus_ToRead_Twice_ReturnsBadRequest", async () => {
    const id = firstId(await post(sender, build(R1)));
    await waitFor(id, "Published");
    expect((await get(recipient, `/${id}`)).status).toBe(200);
    expect((await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient })).status).toBe(200);
    expect((await r.call("POST", `/${BASE}/${id}/markasread`, { token: recipient })).status).toBe(400);
  });
});
