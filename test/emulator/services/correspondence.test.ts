// Correspondence, just enough to prove access (spec altinn-events-broker-dialogporten.md §3 and §3.1): senders
// initialise, the emulator publishes, recipients list and open; every decision is the resource's policy and access
// lists, except the owning service owner's (altinn:serviceowner) sender shortcut.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResult } from "../altinn-helpers.js";
import { type Replay } from "../replay/fixture.js";
import { ORGS, type SystemUser, accessList, orgUrn, policy, resourceWithPolicy, rule, startServices, systemUser } from "./fixture.js";

const BASE = "/correspondence/api/v1/correspondence";
const ORG_NO = "urn:altinn:organization:identifier-no";
const ORG_CODE = "urn:altinn:org";
const NO_ACCESS =
  "You must use an Altinn token, DialogToken or log in to IDPorten as someone with access to the resource and organization in Altinn Authorization";
let r: Replay;
const tok: Record<string, string> = {};
let suReader: SystemUser;
let suOther: SystemUser;

const body = (resourceId: string, recipients: string[], extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  correspondence: {
    resourceId,
    sendersReference: "ref-1",
    content: { language: "nb", messageTitle: "Hei", messageSummary: "Sammendrag", messageBody: "# Melding\n\nInnhold" },
    ...extra,
  },
  recipients,
  ...top,
});
const send = (token: string | undefined, b: unknown): Promise<RawResult> =>
  r.call("POST", BASE, { ...(token === undefined ? {} : { token }), body: b });
const problem = (res: RawResult) =>
  res.json as { code: string; detail: string; title: string; type: string; errorCode: number; status: number };
const firstId = (res: RawResult) =>
  (res.json as { correspondences: { correspondenceId: string }[] }).correspondences[0]?.correspondenceId as string;

async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((res) => setTimeout(res, 20));
  }
}

beforeAll(async () => {
  r = await startServices();
  tok["ttd"] = await r.altinn("ttd");
  tok["ttdNoOwner"] = await r.altinn("ttd", ["altinn:correspondence.write"]);
  tok["ttdOwnerOnly"] = await r.altinn("ttd", ["altinn:serviceowner"]);
  tok["ttdRaw"] = await r.maskinporten("ttd", ["altinn:serviceowner", "altinn:correspondence.write"]);
  tok["ttdRawNoOwner"] = await r.maskinporten("ttd", ["altinn:correspondence.write"]);
  tok["digdir"] = await r.altinn("digdir");
  tok["consumerA"] = await r.altinn("consumer-a");
  tok["consumerARaw"] = await r.maskinporten("consumer-a", ["altinn:correspondence.read"]);
  tok["consumerB"] = await r.altinn("consumer-b");
  tok["vendor"] = await r.altinn("vendor");

  // Senders: ttd by org code, consumer-b by org number; recipients: consumer-a and consumer-b by org number.
  await resourceWithPolicy(
    r,
    "corr-open",
    policy(
      "corr-open",
      rule(1, "corr-open", [[ORG_CODE, "ttd"]], ["write", "read", "subscribe"]),
      rule(2, "corr-open", [[ORG_NO, ORGS.consumerB]], ["write"]),
      rule(3, "corr-open", [[ORG_NO, ORGS.consumerA]], ["read", "subscribe"]),
    ),
  );
  // Only persons (DAGL) are named: no organisation or system user is permitted anything.
  await resourceWithPolicy(
    r,
    "corr-nobody",
    policy("corr-nobody", rule(1, "corr-nobody", [["urn:altinn:rolecode", "DAGL"]], ["write", "read"])),
  );
  // Access lists: consumer-a is on a list for read; nobody is on a list for write.
  await resourceWithPolicy(
    r,
    "corr-listed",
    policy(
      "corr-listed",
      rule(1, "corr-listed", [[ORG_NO, ORGS.consumerB]], ["write", "read"]),
      rule(2, "corr-listed", [[ORG_NO, ORGS.consumerA]], ["read"]),
    ),
    { accessListMode: "Enabled" },
  );
  await accessList(r, "corr-readers", [ORGS.consumerA], "corr-listed", ["read"]);
  await resourceWithPolicy(r, "corr-digdir", policy("corr-digdir", rule(1, "corr-digdir", [[ORG_CODE, "digdir"]], ["write"])), {
    owner: "digdir",
  });
  await resourceWithPolicy(r, "corr-broker-type", policy("corr-broker-type", rule(1, "corr-broker-type", [[ORG_CODE, "ttd"]], ["write"])), {
    type: "BrokerService",
  });
  // A system user of consumer-a whose request covers corr-open, and one of consumer-a that covers another resource.
  suReader = await systemUser(r, ORGS.consumerA, [{ resource: "corr-open" }]);
  suOther = await systemUser(r, ORGS.consumerA, [{ resource: "corr-nobody" }]);
});
afterAll(async () => r.stop());

describe("POST /correspondence/api/v1/correspondence (initialise)", () => {
  it("no token: 401 with an empty body", async () => {
    const res = await send(undefined, body("corr-open", [orgUrn(ORGS.consumerA)]));
    expect(res.status).toBe(401);
    expect(res.text).toBe("");
  });

  it("missing scope: 403 with an empty body (an Altinn token without altinn:correspondence.write; a raw Maskinporten token without altinn:serviceowner)", async () => {
    for (const t of [tok["ttdOwnerOnly"], tok["ttdRawNoOwner"], tok["vendor"]]) {
      const res = await send(t, body("corr-open", [orgUrn(ORGS.consumerA)]));
      expect(res.status).toBe(403);
      expect(res.text).toBe("");
    }
  });

  it("the owning service owner with altinn:serviceowner is not asked the policy: 200 even where the policy names nobody", async () => {
    for (const t of [tok["ttd"], tok["ttdRaw"]]) {
      const res = await send(t, body("corr-nobody", [orgUrn(ORGS.consumerA)]));
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({
        correspondences: [{ status: "ReadyForPublish", recipient: orgUrn(ORGS.consumerA), notifications: [] }],
        attachmentIds: [],
      });
      expect(firstId(res)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("without altinn:serviceowner the owner is asked the policy like anyone: 401 CORR-04001", async () => {
    const res = await send(tok["ttdNoOwner"], body("corr-nobody", [orgUrn(ORGS.consumerA)]));
    expect(res.status).toBe(401);
    expect(problem(res)).toMatchObject({ code: "CORR-04001", errorCode: 4001, detail: NO_ACCESS, title: "Unauthorized", status: 401 });
    // The policy of corr-open names ttd by org code, which an owner token without altinn:serviceowner does not carry.
    expect((await send(tok["ttdNoOwner"], body("corr-open", [orgUrn(ORGS.consumerA)]))).status).toBe(401);
  });

  it("another organisation the policy permits write may send; the correspondence's sender is the resource owner", async () => {
    const res = await send(tok["consumerB"], body("corr-open", [orgUrn(ORGS.consumerA)]));
    expect(res.status, res.text).toBe(200);
    const id = firstId(res);
    const got = await r.call("GET", `${BASE}/${id}`, { token: tok["ttd"] });
    expect((got.json as { sender: string }).sender).toBe(orgUrn(ORGS.ttd));
  });

  it("policy refusal: 401 CORR-04001 with the real problem shape", async () => {
    const res = await send(tok["consumerB"], body("corr-nobody", [orgUrn(ORGS.consumerA)]));
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.json).toMatchObject({
      type: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
      title: "Unauthorized",
      status: 401,
      detail: NO_ACCESS,
      code: "CORR-04001",
      errorCode: 4001,
    });
  });

  it("access-list refusal: a sender the policy permits, but the resource party (the owner) is on no list for write: 401 CORR-04001", async () => {
    const res = await send(tok["consumerB"], body("corr-listed", [orgUrn(ORGS.consumerA)]));
    expect(res.status).toBe(401);
    expect(problem(res).code).toBe("CORR-04001");
    // The owner's shortcut skips the lists too.
    expect((await send(tok["ttd"], body("corr-listed", [orgUrn(ORGS.consumerA)]))).status).toBe(200);
  });

  it("a service owner Correspondence has not set up: 451 CORR-02014", async () => {
    const res = await send(tok["digdir"], body("corr-digdir", [orgUrn(ORGS.consumerA)]));
    expect(res.status).toBe(451);
    expect(res.json).toMatchObject({
      type: "https://tools.ietf.org/html/rfc7725#section-3",
      title: "Unavailable For Legal Reasons",
      code: "CORR-02014",
      detail:
        "Service owner not setup in this environment. You need a service owner agreement to use Correspondence. Please contact us at Slack.",
    });
  });

  it("unknown resource 400 CORR-01036; a resource of another type 400 CORR-04010", async () => {
    const unknown = await send(tok["ttd"], body("corr-no-such", [orgUrn(ORGS.consumerA)]));
    expect(unknown.status).toBe(400);
    expect(problem(unknown)).toMatchObject({
      code: "CORR-01036",
      detail: "ResourceId must match an existing resource in the resource registry",
    });
    const type = await send(tok["ttd"], body("corr-broker-type", [orgUrn(ORGS.consumerA)]));
    expect(type.status).toBe(400);
    expect(problem(type).code).toBe("CORR-04010");
  });

  it("recipients: duplicates 1006, unknown parties 404 CORR-01029 naming them, a malformed one fails model validation", async () => {
    const dup = await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA), orgUrn(ORGS.consumerA)]));
    expect(problem(dup)).toMatchObject({ status: 400, code: "CORR-01006", detail: "Recipients must be unique" });
    const unknown = await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA), "0192:999999999"]));
    expect(unknown.status).toBe(404);
    expect(problem(unknown)).toMatchObject({
      code: "CORR-01029",
      detail: "Could not find partyId for the following recipients: 0192:999999999",
    });
    const bad = await send(tok["ttd"], body("corr-open", ["12345"]));
    expect(bad.status).toBe(400);
    expect((bad.json as { errors: Record<string, string[]> }).errors["Recipients"]?.[0]).toMatch(
      /^Recipient should be an organization number/,
    );
  });

  it("idempotentKey: 409 CORR-01034 on a repeat, 400 CORR-01047 with several recipients", async () => {
    const key = crypto.randomUUID();
    expect((await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)], {}, { idempotentKey: key }))).status).toBe(200);
    const again = await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)], {}, { idempotentKey: key }));
    expect(again.status).toBe(409);
    expect(problem(again).code).toBe("CORR-01034");
    const many = await send(
      tok["ttd"],
      body("corr-open", [orgUrn(ORGS.consumerA), orgUrn(ORGS.consumerB)], {}, { idempotentKey: crypto.randomUUID() }),
    );
    expect(problem(many).code).toBe("CORR-01047");
  });

  it("content and dates: 1016 due date needed for confirmation, 1008 due date in the past, 1023 language", async () => {
    expect(problem(await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)], { isConfirmationNeeded: true }))).code).toBe(
      "CORR-01016",
    );
    expect(problem(await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)], { dueDateTime: "2001-01-01T00:00:00Z" }))).code).toBe(
      "CORR-01008",
    );
    const lang = body("corr-open", [orgUrn(ORGS.consumerA)]);
    lang.correspondence.content.language = "sv";
    expect(problem(await send(tok["ttd"], lang)).code).toBe("CORR-01023");
  });

  it("routes match in any case (ASP.NET)", async () => {
    const res = await r.call("POST", "/Correspondence/API/v1/Correspondence", {
      token: tok["ttd"],
      body: body("corr-open", [orgUrn(ORGS.consumerA)]),
    });
    expect(res.status).toBe(200);
  });
});

describe("publishing, listing and opening", () => {
  let id: string;
  beforeAll(async () => {
    const res = await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)], { sendersReference: "open-me" }));
    expect(res.status).toBe(200);
    id = firstId(res);
  });

  it("the recipient lists it (role Recipient) once published, and opens it: overview 200 with content, status Published", async () => {
    await until(async () => {
      const list = await r.call("GET", `${BASE}?resourceId=corr-open&role=Recipient`, { token: tok["consumerA"] });
      return list.status === 200 && (list.json as { ids: string[] }).ids.includes(id);
    });
    const got = await r.call("GET", `${BASE}/${id}`, { token: tok["consumerA"] });
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      correspondenceId: id,
      status: "Published",
      resourceId: "corr-open",
      sender: orgUrn(ORGS.ttd),
      recipient: orgUrn(ORGS.consumerA),
      sendersReference: "open-me",
      content: { language: "nb", messageTitle: "Hei", messageBody: "# Melding\n\nInnhold" },
    });
    expect((got.json as { published: string | null }).published).not.toBeNull();
  });

  it("details carry the status history; content is text/plain and marks it Read", async () => {
    const details = await r.call("GET", `${BASE}/${id}/details`, { token: tok["consumerA"] });
    expect(details.status).toBe(200);
    const history = (details.json as { statusHistory: { status: string }[] }).statusHistory.map((s) => s.status);
    expect(history.filter((s) => s !== "Fetched")).toEqual(["Initialized", "ReadyForPublish", "Published"]);
    // The recipient's fetches (one by the overview above, one by these details) show in the history, never as the status.
    expect(history.filter((s) => s === "Fetched")).toHaveLength(2);
    expect((details.json as { status: string }).status).toBe("Published");
    const content = await r.call("GET", `${BASE}/${id}/content`, { token: tok["consumerA"] });
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toContain("text/plain");
    expect(content.text).toBe("# Melding\n\nInnhold");
    const after = await r.call("GET", `${BASE}/${id}/details`, { token: tok["consumerA"] });
    expect((after.json as { status: string; read: string | null }).status).toBe("Read");
    expect((after.json as { read: string | null }).read).not.toBeNull();
  });

  it("the sender lists it with role Sender; a sender that is not the owner sees no content once published", async () => {
    const list = await r.call("GET", `${BASE}?resourceId=corr-open&role=Sender`, { token: tok["ttd"] });
    expect(list.status).toBe(200);
    expect((list.json as { ids: string[] }).ids).toContain(id);
    // consumer-b may write (sender access, party: the owner) but not read: content is withheld after publishing.
    const asSender = await r.call("GET", `${BASE}/${id}`, { token: tok["consumerB"] });
    expect(asSender.status).toBe(200);
    // CorrespondenceContentMapper writes withheld content as an empty object in language "no".
    expect((asSender.json as { content: unknown }).content).toEqual({
      language: "no",
      messageTitle: "",
      messageSummary: "",
      messageBody: "",
      attachments: [],
    });
    // The owner's shortcut answers every access check, the recipient one included: it sees the content.
    const owner = await r.call("GET", `${BASE}/${id}`, { token: tok["ttd"] });
    expect((owner.json as { content: { messageTitle: string } }).content.messageTitle).toBe("Hei");
  });

  it("an organisation the policy does not name: 401 CORR-04001 on open and on list", async () => {
    const got = await r.call("GET", `${BASE}/${id}`, { token: tok["vendor"] });
    expect(got.status).toBe(401);
    expect(problem(got).code).toBe("CORR-04001");
    const list = await r.call("GET", `${BASE}?resourceId=corr-open&role=Recipient`, { token: tok["vendor"] });
    expect(list.status).toBe(401);
  });

  it("list needs role (400); unknown id 404 CORR-01001; /content takes Altinn tokens only (401) and the read scope (403)", async () => {
    expect((await r.call("GET", `${BASE}?resourceId=corr-open`, { token: tok["consumerA"] })).status).toBe(400);
    const missing = await r.call("GET", `${BASE}/${crypto.randomUUID()}`, { token: tok["consumerA"] });
    expect(missing.status).toBe(404);
    expect(problem(missing)).toMatchObject({ code: "CORR-01001", detail: "The requested correspondence was not found" });
    expect((await r.call("GET", `${BASE}/${id}/content`, { token: tok["consumerARaw"] })).status).toBe(401);
    const noScope = await r.call("GET", `${BASE}/${id}/content`, { token: tok["ttd"] });
    expect(noScope.status).toBe(403);
    expect(noScope.text).toBe("");
    expect((await r.call("GET", `${BASE}/${id}`)).status).toBe(401);
  });

  it("access-list refusal for a recipient: consumer-b (policy read, on no list) gets 401; consumer-a (on the read list) opens its own", async () => {
    const toB = firstId(await send(tok["ttd"], body("corr-listed", [orgUrn(ORGS.consumerB)])));
    const toA = firstId(await send(tok["ttd"], body("corr-listed", [orgUrn(ORGS.consumerA)])));
    await until(async () => (await r.call("GET", `${BASE}/${toA}`, { token: tok["consumerA"] })).status === 200);
    const refused = await r.call("GET", `${BASE}/${toB}`, { token: tok["consumerB"] });
    expect(refused.status).toBe(401);
    expect(problem(refused).code).toBe("CORR-04001");
  });

  it("not yet published: hidden from the recipient (404, not listed), visible to the sender", async () => {
    expect((await r.call("POST", "/__emulator/options", { body: { altinn: { correspondencePublishMs: 600_000 } } })).status).toBe(200);
    try {
      const later = firstId(await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)])));
      const got = await r.call("GET", `${BASE}/${later}`, { token: tok["consumerA"] });
      expect(got.status).toBe(404);
      expect(problem(got).code).toBe("CORR-01001");
      const list = await r.call("GET", `${BASE}?resourceId=corr-open&role=Recipient`, { token: tok["consumerA"] });
      expect((list.json as { ids: string[] }).ids).not.toContain(later);
      const asSender = await r.call("GET", `${BASE}/${later}`, { token: tok["ttd"] });
      expect((asSender.json as { status: string }).status).toBe("ReadyForPublish");
    } finally {
      await r.call("POST", "/__emulator/options", { body: { altinn: { correspondencePublishMs: 0 } } });
    }
  });

  it("a system user of the recipient whose rights cover the resource lists and opens it; one whose rights do not is refused", async () => {
    const t = await suReader.altinn(["altinn:correspondence.read"]);
    const list = await r.call("GET", `${BASE}?resourceId=corr-open&role=Recipient`, { token: t });
    expect(list.status, list.text).toBe(200);
    expect((list.json as { ids: string[] }).ids).toContain(id);
    expect((await r.call("GET", `${BASE}/${id}`, { token: t })).status).toBe(200);
    const other = await suOther.altinn(["altinn:correspondence.read"]);
    expect((await r.call("GET", `${BASE}/${id}`, { token: other })).status).toBe(401);
  });
});

describe("Correspondence events to Events subscriptions", () => {
  it("correspondenceinitialized (subject: the sender) and correspondencepublished (subject: the recipient) reach validated subscriptions", async () => {
    const endPoint = (name: string) => `${r.emu.url}/__emulator/sink/${name}`;
    const subs = "/events/api/v1/subscriptions";
    const owner = await r.call("POST", subs, {
      token: tok["ttd"],
      body: { endPoint: endPoint("corr-owner"), resourceFilter: "urn:altinn:resource:corr-open" },
    });
    expect(owner.status, owner.text).toBe(201);
    const recipient = await r.call("POST", subs, {
      token: tok["consumerA"],
      body: {
        endPoint: endPoint("corr-recipient"),
        resourceFilter: "urn:altinn:resource:corr-open",
        subjectFilter: orgUrn(ORGS.consumerA),
        typeFilter: "no.altinn.correspondence.correspondencepublished",
      },
    });
    expect(recipient.status, recipient.text).toBe(201);
    for (const s of [owner, recipient]) {
      const sid = (s.json as { id: number }).id;
      const t = s === owner ? tok["ttd"] : tok["consumerA"];
      await until(async () => ((await r.call("GET", `${subs}/${sid}`, { token: t })).json as { validated: boolean }).validated);
    }
    const id = firstId(await send(tok["ttd"], body("corr-open", [orgUrn(ORGS.consumerA)])));
    const deliveries = async (name: string, type: string) =>
      (
        (await r.call("GET", `/__emulator/sink/${name}?type=${type}`)).json as { deliveries: { body: Record<string, unknown> }[] }
      ).deliveries
        .map((d) => d.body)
        .filter((b) => b["resourceinstance"] === id);
    await until(async () => (await deliveries("corr-recipient", "no.altinn.correspondence.correspondencepublished")).length === 1);
    const [published] = await deliveries("corr-recipient", "no.altinn.correspondence.correspondencepublished");
    expect(published).toMatchObject({
      specversion: "1.0",
      resource: "urn:altinn:resource:corr-open",
      subject: orgUrn(ORGS.consumerA),
      alternativesubject: `/organisation/${ORGS.consumerA}`,
      source: `${r.emu.url}/correspondence/api/v1/correspondence`,
    });
    await until(async () => (await deliveries("corr-owner", "no.altinn.correspondence.correspondenceinitialized")).length === 1);
    expect((await deliveries("corr-owner", "no.altinn.correspondence.correspondenceinitialized"))[0]?.["subject"]).toBe(orgUrn(ORGS.ttd));
  });
});
