// Broker file transfers, just enough to prove access (requests as Altinn/altinn-broker's Bruno collection sends them:
// .bruno/FileTransfer/Initialize.bru, Search.bru, {fileTransferId}/Overview.bru). Every decision is the resource's
// policy and access lists through the emulator's PDP, with the sender or recipient as the resource party; Broker has
// no owner shortcut.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResult } from "../altinn-helpers.js";
import { type Replay } from "../replay/fixture.js";
import { ORGS, type SystemUser, accessList, orgUrn, policy, resourceWithPolicy, rule, startServices, systemUser } from "./fixture.js";

const FT = "/broker/api/v1/filetransfer";
const ORG_NO = "urn:altinn:organization:identifier-no";
const ORG_CODE = "urn:altinn:org";
const NO_ACCESS = "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry";
let r: Replay;
const tok: Record<string, string> = {};
let suReader: SystemUser;
let suOther: SystemUser;

/** Initialize.bru's body. */
const initialize = (resourceId: string, sender: string, recipients: string[]) => ({
  fileName: "collection.bru",
  resourceId,
  sendersFileTransferReference: "archiveno-20425",
  sender: orgUrn(sender),
  recipients: recipients.map(orgUrn),
  propertyList: { caseNumber: "123", etc: "can-use-for-anything" },
});
const post = (token: string | undefined, b: unknown): Promise<RawResult> =>
  r.call("POST", FT, { ...(token === undefined ? {} : { token }), body: b });
const code = (res: RawResult) => (res.json as { code: string }).code;

async function configure(id: string): Promise<void> {
  const res = await r.call("PUT", `/broker/api/v1/resource/${id}`, { token: tok["ttd"], body: {} });
  expect(res.status, res.text).toBe(200);
}

beforeAll(async () => {
  r = await startServices();
  tok["ttd"] = await r.altinn("ttd");
  tok["ttdRawNoOwner"] = await r.maskinporten("ttd", ["altinn:broker.write"]);
  tok["consumerA"] = await r.altinn("consumer-a");
  tok["consumerB"] = await r.altinn("consumer-b");
  tok["consumerBRaw"] = await r.maskinporten("consumer-b", ["altinn:broker.write", "altinn:broker.read"]);
  tok["vendor"] = await r.altinn("vendor");
  expect((await r.call("POST", "/broker/api/v1/serviceowner", { token: tok["ttd"], body: { name: "Testetaten" } })).status).toBe(200);

  await resourceWithPolicy(
    r,
    "brk-open",
    policy(
      "brk-open",
      rule(1, "brk-open", [[ORG_CODE, "ttd"]], ["write", "read", "subscribe"]),
      rule(2, "brk-open", [[ORG_NO, ORGS.consumerB]], ["write", "subscribe"]),
      rule(3, "brk-open", [[ORG_NO, ORGS.consumerA]], ["read", "subscribe"]),
    ),
    { type: "BrokerService" },
  );
  await configure("brk-open");
  await resourceWithPolicy(
    r,
    "brk-closed",
    policy("brk-closed", rule(1, "brk-closed", [["urn:altinn:rolecode", "DAGL"]], ["write", "read"])),
    {
      type: "BrokerService",
    },
  );
  await configure("brk-closed");
  await resourceWithPolicy(r, "brk-unconfigured", policy("brk-unconfigured", rule(1, "brk-unconfigured", [[ORG_CODE, "ttd"]], ["write"])), {
    type: "BrokerService",
  });
  await resourceWithPolicy(
    r,
    "brk-listed",
    policy(
      "brk-listed",
      rule(
        1,
        "brk-listed",
        [
          [ORG_NO, ORGS.consumerB],
          [ORG_NO, ORGS.registerOnly],
        ],
        ["write"],
      ),
      rule(2, "brk-listed", [[ORG_NO, ORGS.consumerA]], ["read"]),
    ),
    { type: "BrokerService", accessListMode: "Enabled" },
  );
  await configure("brk-listed");
  await accessList(r, "brk-senders", [ORGS.consumerB], "brk-listed", ["write"]);
  await accessList(r, "brk-recipients", [ORGS.consumerA], "brk-listed", ["read"]);
  suReader = await systemUser(r, ORGS.consumerA, [{ resource: "brk-open" }]);
  suOther = await systemUser(r, ORGS.consumerA, [{ resource: "brk-closed" }]);
});
afterAll(async () => r.stop());

describe("POST /broker/api/v1/filetransfer (Initialize.bru)", () => {
  it("no token 401; missing altinn:broker.write 403 with an empty body", async () => {
    const none = await post(undefined, initialize("brk-open", ORGS.consumerB, [ORGS.consumerA]));
    expect(none.status).toBe(401);
    const noScope = await post(tok["consumerA"], initialize("brk-open", ORGS.consumerA, [ORGS.consumerB]));
    expect(noScope.status).toBe(403);
    expect(noScope.text).toBe("");
  });

  it("a sender the policy permits write: 200 {fileTransferId} (Altinn or Maskinporten token)", async () => {
    for (const t of [tok["consumerB"], tok["consumerBRaw"]]) {
      const res = await post(t, initialize("brk-open", ORGS.consumerB, [ORGS.consumerA]));
      expect(res.status, res.text).toBe(200);
      expect((res.json as { fileTransferId: string }).fileTransferId).toMatch(/^[0-9a-f-]{36}$/);
    }
    // The owner is permitted by its org code (exchanged token with altinn:serviceowner).
    expect((await post(tok["ttd"], initialize("brk-open", ORGS.ttd, [ORGS.consumerA]))).status).toBe(200);
  });

  it("no owner shortcut: the owner's token without altinn:serviceowner (no org code) is refused, 401 BRO-00006", async () => {
    const res = await post(tok["ttdRawNoOwner"], initialize("brk-open", ORGS.ttd, [ORGS.consumerA]));
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ code: "BRO-00006", detail: NO_ACCESS, status: 401, title: "Unauthorized" });
  });

  it("policy refusal: 401 BRO-00006", async () => {
    const res = await post(tok["consumerB"], initialize("brk-closed", ORGS.consumerB, [ORGS.consumerA]));
    expect(res.status).toBe(401);
    expect(code(res)).toBe("BRO-00006");
  });

  it("a resource Broker has not configured gives no access at all: 401 BRO-00006, even for the owner", async () => {
    expect(code(await post(tok["ttd"], initialize("brk-unconfigured", ORGS.ttd, [ORGS.consumerA])))).toBe("BRO-00006");
  });

  it("access lists: the sender (the resource party) must be on a list for write (401); every recipient on a connected list (400 BRO-00028)", async () => {
    expect((await post(tok["consumerB"], initialize("brk-listed", ORGS.consumerB, [ORGS.consumerA]))).status).toBe(200);
    const notListedSender = await post(tok["consumerB"], initialize("brk-listed", ORGS.registerOnly, [ORGS.consumerA]));
    expect(notListedSender.status).toBe(401);
    expect(code(notListedSender)).toBe("BRO-00006");
    const notListedRecipient = await post(tok["consumerB"], initialize("brk-listed", ORGS.consumerB, [ORGS.consumerA, ORGS.registerOnly]));
    expect(notListedRecipient.status).toBe(400);
    expect(notListedRecipient.json).toMatchObject({
      code: "BRO-00028",
      detail: "All recipients need to be in the access list of the resource.",
    });
  });

  it("model validation: sender and recipients must be organisation numbers (ASP.NET 400)", async () => {
    const res = await post(tok["consumerB"], { ...initialize("brk-open", ORGS.consumerB, [ORGS.consumerA]), sender: "123" });
    expect(res.status).toBe(400);
    expect((res.json as { errors: Record<string, string[]> }).errors["Sender"]?.[0]).toMatch(/^Organization numbers should be on the form/);
    const none = await post(tok["consumerB"], { ...initialize("brk-open", ORGS.consumerB, []) });
    expect((none.json as { errors: Record<string, string[]> }).errors["Recipients"]).toEqual(["One or more recipients are required"]);
  });
});

describe("GET /broker/api/v1/filetransfer (Search.bru) and /{id} (Overview.bru)", () => {
  let id: string;
  beforeAll(async () => {
    const res = await post(tok["consumerB"], initialize("brk-open", ORGS.consumerB, [ORGS.consumerA]));
    expect(res.status).toBe(200);
    id = (res.json as { fileTransferId: string }).fileTransferId;
  });

  it("the recipient finds it by resource and reads its overview", async () => {
    const search = await r.call("GET", `${FT}?resourceId=brk-open`, { token: tok["consumerA"] });
    expect(search.status).toBe(200);
    expect(search.json as string[]).toContain(id);
    const overview = await r.call("GET", `${FT}/${id}`, { token: tok["consumerA"] });
    expect(overview.status).toBe(200);
    expect(overview.json).toMatchObject({
      fileTransferId: id,
      resourceId: "brk-open",
      fileName: "collection.bru",
      sendersFileTransferReference: "archiveno-20425",
      sender: orgUrn(ORGS.consumerB),
      fileTransferStatus: "Initialized",
      fileTransferStatusText: "Ready for upload",
      recipients: [{ recipient: orgUrn(ORGS.consumerA), currentRecipientFileTransferStatusCode: "Initialized" }],
      propertyList: { caseNumber: "123", etc: "can-use-for-anything" },
    });
    const details = await r.call("GET", `${FT}/${id}/details`, { token: tok["consumerA"] });
    expect(details.status).toBe(200);
  });

  it("the sender sees it too (role Sender); role Recipient does not list the sender's own", async () => {
    expect((await r.call("GET", `${FT}?resourceId=brk-open&role=Sender`, { token: tok["consumerB"] })).json as string[]).toContain(id);
    expect((await r.call("GET", `${FT}?resourceId=brk-open&role=Recipient`, { token: tok["consumerB"] })).json as string[]).not.toContain(
      id,
    );
    expect((await r.call("GET", `${FT}/${id}`, { token: tok["consumerB"] })).status).toBe(200);
  });

  it("an organisation the policy does not name: 401 BRO-00006 on search and overview; unknown id 404 BRO-00001", async () => {
    const search = await r.call("GET", `${FT}?resourceId=brk-open`, { token: tok["vendor"] });
    expect(search.status).toBe(401);
    expect(code(search)).toBe("BRO-00006");
    expect(code(await r.call("GET", `${FT}/${id}`, { token: tok["vendor"] }))).toBe("BRO-00006");
    const missing = await r.call("GET", `${FT}/${crypto.randomUUID()}`, { token: tok["consumerA"] });
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ code: "BRO-00001", detail: "The requested file transfer was not found" });
  });

  it("on an access-list resource the listed recipient reads; an organisation named nowhere does not", async () => {
    const listed = await post(tok["consumerB"], initialize("brk-listed", ORGS.consumerB, [ORGS.consumerA]));
    const lid = (listed.json as { fileTransferId: string }).fileTransferId;
    expect((await r.call("GET", `${FT}/${lid}`, { token: tok["consumerA"] })).status).toBe(200);
    // consumer-b is the sender and on the write list: it may read its own; vendor is named nowhere.
    expect((await r.call("GET", `${FT}/${lid}`, { token: tok["vendor"] })).status).toBe(401);
  });

  it("a system user of the recipient with rights on the resource finds and reads it; without those rights 401", async () => {
    const t = await suReader.maskinporten(["altinn:broker.read"]);
    const search = await r.call("GET", `${FT}?resourceId=brk-open`, { token: t });
    expect(search.status, search.text).toBe(200);
    expect(search.json as string[]).toContain(id);
    expect((await r.call("GET", `${FT}/${id}`, { token: t })).status).toBe(200);
    const other = await suOther.maskinporten(["altinn:broker.read"]);
    expect((await r.call("GET", `${FT}?resourceId=brk-open`, { token: other })).status).toBe(401);
  });

  it("missing scope: 403 with an empty body", async () => {
    const res = await r.call("GET", `${FT}?resourceId=brk-open`, { token: await r.altinn("consumer-a", ["altinn:correspondence.read"]) });
    expect(res.status).toBe(403);
    expect(res.text).toBe("");
  });
});

describe("filetransferinitialized to Events", () => {
  it("the sender's subscription gets no.altinn.broker.filetransferinitialized with subject the sender and Role Sender", async () => {
    const sub = await r.call("POST", "/events/api/v1/subscriptions", {
      token: tok["consumerB"],
      body: {
        endPoint: `${r.emu.url}/__emulator/sink/brk-sender`,
        resourceFilter: "urn:altinn:resource:brk-open",
        subjectFilter: orgUrn(ORGS.consumerB),
      },
    });
    expect(sub.status, sub.text).toBe(201);
    const sid = (sub.json as { id: number }).id;
    const end = Date.now() + 5000;
    while (
      !((await r.call("GET", `/events/api/v1/subscriptions/${sid}`, { token: tok["consumerB"] })).json as { validated: boolean }).validated
    ) {
      if (Date.now() > end) throw new Error("not validated");
      await new Promise((res) => setTimeout(res, 20));
    }
    const res = await post(tok["consumerB"], initialize("brk-open", ORGS.consumerB, [ORGS.consumerA]));
    const id = (res.json as { fileTransferId: string }).fileTransferId;
    let got: Record<string, unknown> | undefined;
    while (!got) {
      if (Date.now() > end) throw new Error("no delivery");
      const d = (await r.call("GET", "/__emulator/sink/brk-sender?type=no.altinn.broker.filetransferinitialized")).json as {
        deliveries: { body: Record<string, unknown> }[];
      };
      got = d.deliveries.map((x) => x.body).find((b) => b["resourceinstance"] === id);
      if (!got) await new Promise((ok) => setTimeout(ok, 20));
    }
    expect(got).toMatchObject({
      resource: "urn:altinn:resource:brk-open",
      subject: orgUrn(ORGS.consumerB),
      source: `${r.emu.url}/broker/api/v1/filetransfer`,
      data: { Role: "Sender" },
    });
  });
});
