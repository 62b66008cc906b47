// Replay of Altinn/altinn-broker's file-transfer controller tests (tests/Altinn.Broker.Tests/
// FileTransferControllerTests.cs, bodies from Factories/FileTransferInitializeExtTestFactory.cs) and the file-transfer
// requests of its Bruno collection (.bruno/FileTransfer/Initialize.bru, Search.bru, {fileTransferId}/Overview.bru,
// Details.bru). Substitutions: the tests' sender and service owner 991825827 becomes ttd, the second sender
// 312195771 consumer-b, the recipient 986252932 consumer-a, 910351192 and 311764837 (on the access list) consumer-b;
// 999999999 stays (no such party). The tests' mocked PDP becomes each resource's policy: ttd (org code) may write and
// read, consumer-b write, consumer-a read; the "no access" resource names only DAGL. Only what needs no upload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipart, type RawResult } from "../altinn-helpers.js";
import { type Replay, startReplay } from "./fixture.js";
import { fullResource, xacml } from "./wire.js";

const FT = "/broker/api/v1/filetransfer";
const RESOURCE_FOR_TEST = "altinn-broker-test-resource-1";
const RESOURCE_FOR_TEST_REQUIREDPARTY = "ttd-brokertestressurs";
const RESOURCE_WITH_NO_ACCESS = "altinn-broker-test-resource-failed-access";
const RESOURCE_WITH_ACCESS_LIST = "ttd-broker-tilgangsliste";
let r: Replay;
let sender: string;
let sender2: string;
let recipient: string;
let ttd: string;
let consumerA: string;
let consumerB: string;

interface Transfer {
  resourceId: string;
  checksum: string | null;
  fileName: string;
  propertyList: Record<string, string>;
  recipients: string[];
  sender: string;
  sendersFileTransferReference: string;
}

/** FileTransferInitializeExtTestFactory.BasicFileTransfer(). */
const basic = (): Transfer => ({
  resourceId: RESOURCE_FOR_TEST,
  checksum: null,
  fileName: "input.txt",
  propertyList: {},
  recipients: [`0192:${consumerA}`],
  sender: `0192:${ttd}`,
  sendersFileTransferReference: "test-data",
});
/** BasicFileTransfer_RequiredParty_NotPartOfTransaction() */
const requiredPartyNotPart = (): Transfer => ({ ...basic(), resourceId: RESOURCE_FOR_TEST_REQUIREDPARTY, sender: `0192:${consumerB}` });
/** BasicFileTransfer_RequiredParty_SenderIsRequiredParty() */
const requiredPartySender = (): Transfer => ({ ...basic(), resourceId: RESOURCE_FOR_TEST_REQUIREDPARTY });
/** BasicFileTransfer_With_AccessList_Resource_And_No_Recipients() */
const accessListNoRecipients = (): Transfer => ({ ...basic(), resourceId: RESOURCE_WITH_ACCESS_LIST, recipients: [] });

const init = (token: string, body: unknown): Promise<RawResult> => r.call("POST", FT, { token, body });
const detail = (res: RawResult) => (res.json as { detail?: string }).detail;
const errorsText = (res: RawResult) => JSON.stringify((res.json as { errors?: unknown }).errors);

beforeAll(async () => {
  r = await startReplay();
  ttd = r.org("ttd").orgNumber;
  consumerA = r.org("consumer-a").orgNumber;
  consumerB = r.org("consumer-b").orgNumber;
  const write = await r.altinn("ttd", ["altinn:resourceregistry/resource.write", "altinn:resourceregistry/accesslist.write"]);
  const owner = await r.maskinporten("ttd", ["altinn:serviceowner"]);
  expect((await r.call("POST", "/broker/api/v1/serviceowner", { token: owner, body: { name: "Testetaten" } })).status).toBe(200);
  for (const [id, accessList, open] of [
    [RESOURCE_FOR_TEST, false, true],
    [RESOURCE_FOR_TEST_REQUIREDPARTY, false, true],
    [RESOURCE_WITH_NO_ACCESS, false, false],
    [RESOURCE_WITH_ACCESS_LIST, true, true],
  ] as const) {
    const created = await r.call("POST", "/resourceregistry/api/v1/resource", {
      token: write,
      body: fullResource(id, r.org("ttd"), { ResourceType: "BrokerService", AccessListMode: accessList ? "Enabled" : "Disabled" }),
    });
    expect(created.status, created.text).toBe(201);
    const rules: Parameters<typeof xacml>[0] = open
      ? [
          { subject: [["urn:altinn:org", "ttd"]], resource: id, actions: ["write", "read"] },
          { subject: [["urn:altinn:organization:identifier-no", consumerB]], resource: id, actions: ["write"] },
          { subject: [["urn:altinn:organization:identifier-no", consumerA]], resource: id, actions: ["read"] },
        ]
      : [{ resource: id, actions: ["write", "read"] }];
    const mp = multipart("policyFile", "policy.xml", xacml(rules, id));
    const up = await r.call("POST", `/resourceregistry/api/v1/resource/${id}/policy`, {
      token: write,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(up.status).toBe(201);
    const config = await r.call("PUT", `/broker/api/v1/resource/${id}`, {
      token: owner,
      body: id === RESOURCE_FOR_TEST_REQUIREDPARTY ? { requiredParty: `0192:${ttd}` } : {},
    });
    expect(config.status, config.text).toBe(200);
  }
  // The access list: the senders (for write) and 311764837 (consumer-b) as a recipient.
  const base = `/resourceregistry/api/v1/access-lists/ttd/broker-tilgangsliste`;
  expect([200, 201]).toContain((await r.call("PUT", base, { token: write, body: { name: "tilgangsliste" } })).status);
  const members = [ttd, consumerB].map((o) => `urn:altinn:organization:identifier-no:${o}`);
  expect((await r.call("PUT", `${base}/members`, { token: write, body: { data: members } })).status).toBe(200);
  const connected = await r.call("PUT", `${base}/resource-connections/${RESOURCE_WITH_ACCESS_LIST}`, {
    token: write,
    body: { actionFilters: [] },
  });
  expect([200, 201]).toContain(connected.status);
  sender = await r.altinn("ttd", ["altinn:broker.write", "altinn:broker.read", "altinn:serviceowner"]);
  sender2 = await r.maskinporten("consumer-b", ["altinn:broker.write"]);
  recipient = await r.maskinporten("consumer-a", ["altinn:broker.read"]);
});
afterAll(async () => r.stop());

describe("FileTransferControllerTests.cs", () => {
  it("FileTransferControllerTests.cs: NormalFlow_With10Properties_Success (initialise and overview; no upload here)", async () => {
    const b = basic();
    for (let i = 1; i <= 10; i++) b.propertyList[`SuperProperty${String(i).padStart(2, "0")}`] = "BLAHBLAHBLAH";
    const res = await init(sender, b);
    expect(res.status, res.text).toBe(200);
    const id = (res.json as { fileTransferId: string }).fileTransferId;
    const overview = await r.call("GET", `${FT}/${id}`, { token: sender });
    expect((overview.json as { fileTransferStatus: string }).fileTransferStatus).toBe("Initialized");
  });

  it("FileTransferControllerTests.cs: Initialize_With11Properties_ValidationFailure", async () => {
    const b = basic();
    for (let i = 1; i <= 11; i++) b.propertyList[`SuperProperty${String(i).padStart(2, "0")}`] = "BLAHBLAHBLAH";
    const res = await init(sender, b);
    expect(res.status).toBe(400);
    expect(errorsText(res)).toContain("PropertyList can contain at most 10 properties");
  });

  it("FileTransferControllerTests.cs: Initialize_WithPropertiesInvalidKeyLength_ValidationFailure", async () => {
    const b = basic();
    b.propertyList["yesthispropertykyelengthismuchmorethan50actuallyitis54"] = "actuallyAValidValue";
    const res = await init(sender, b);
    expect(res.status).toBe(400);
    expect(errorsText(res)).toContain("PropertyList Key can not be longer than 50");
  });

  it("FileTransferControllerTests.cs: Initialize_WithPropertiesInvalidValueLength_ValidationFailure", async () => {
    const b = basic();
    b.propertyList["actuallyAValidKey"] = "A".repeat(3001);
    const res = await init(sender, b);
    expect(res.status).toBe(400);
    expect(errorsText(res)).toContain("PropertyList Value can not be longer than 3000");
  });

  it("FileTransferControllerTests.cs: SendFileTransfer_UserWithoutAccess_Fails", async () => {
    const res = await init(sender, { ...basic(), resourceId: RESOURCE_WITH_NO_ACCESS });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(detail(res)).toBe(
      "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry",
    );
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithNewUrnFormat_Success", async () => {
    const res = await init(sender, {
      ...basic(),
      sender: `urn:altinn:organization:identifier-no:${ttd}`,
      recipients: [`urn:altinn:organization:identifier-no:${consumerA}`],
    });
    expect(res.status, res.text).toBe(200);
    expect((res.json as { fileTransferId: string }).fileTransferId).toBeTruthy();
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithMixedUrnFormats_Success", async () => {
    const res = await init(sender, {
      ...basic(),
      sender: `urn:altinn:organization:identifier-no:${ttd}`,
      recipients: [`urn:altinn:organization:identifier-no:${consumerA}`, `0192:${consumerB}`],
    });
    expect(res.status, res.text).toBe(200);
  });

  it("FileTransferControllerTests.cs: Initialize_WithUrnResourceId_Success", async () => {
    const res = await init(sender, { ...basic(), resourceId: `urn:altinn:resource:${RESOURCE_FOR_TEST}` });
    expect(res.status, res.text).toBe(200);
    const id = (res.json as { fileTransferId: string }).fileTransferId;
    const overview = await r.call("GET", `${FT}/${id}`, { token: sender });
    expect((overview.json as { fileTransferStatus: string }).fileTransferStatus).toBe("Initialized");
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_InvalidFileTransferId_ReturnsLegacyProblemDetailsFields (on the overview: download is not emulated)", async () => {
    const res = await r.call("GET", `${FT}/00000000-0000-0000-0000-000000000000`, { token: recipient });
    expect(res.status).toBe(404);
    const p = res.json as Record<string, unknown>;
    expect(typeof p["type"]).toBe("string");
    expect(p["title"]).toBe("Not Found");
    expect(p["status"]).toBe(404);
    expect(p["detail"]).toBe("The requested file transfer was not found");
    expect(typeof p["traceId"]).toBe("string");
    expect(typeof p["code"]).toBe("string");
    expect(p["code"]).not.toBe("");
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithRequiredParty_PartOfFileTransfer_Succeeds", async () => {
    expect((await init(sender, requiredPartySender())).status).toBe(200);
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithRequiredParty_NotPartOfFileTransfer_ReturnsBadRequest", async () => {
    const res = await init(sender2, requiredPartyNotPart());
    expect(res.status).toBe(400);
    expect(detail(res)).toBe("The resource requires the service owner party to be present as part of the transaction.");
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithRequiredParty_MultipleRecipients_PartyInRecipients_ReturnsBadRequest", async () => {
    const b = requiredPartyNotPart();
    b.recipients.push(`0192:${ttd}`);
    const res = await init(sender2, b);
    expect(res.status).toBe(400);
    expect(res.text).not.toBe("");
    expect(detail(res)).toBe(
      "When required party is specified and the required party is not the sender, the number of recipients can only be one.",
    );
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithRequiredParty_MultipleRecipients_PartyInSender_Succeeds", async () => {
    const b = requiredPartySender();
    b.recipients.push(`0192:${consumerB}`);
    expect((await init(sender, b)).status).toBe(200);
  });

  it("FileTransferControllerTests.cs: InitializeFileTransfer_WithRequiredParty_PartyAsOnlyRecipient_Succeeds", async () => {
    const b = requiredPartyNotPart();
    b.recipients = [`0192:${ttd}`];
    expect((await init(sender2, b)).status).toBe(200);
  });

  it.each(["0192:999999999", "urn:altinn:organization:identifier-no:999999999"])(
    "FileTransferControllerTests.cs: InitializeFileTransfer_WithRecipientNotInAccessList_ReturnsBadRequest(%s)",
    async (recipientId) => {
      const b = accessListNoRecipients();
      b.recipients.push(recipientId);
      const res = await init(sender, b);
      expect(res.status).toBe(400);
      expect(detail(res)).toBe("All recipients need to be in the access list of the resource.");
    },
  );

  it.each(["0192:", "urn:altinn:organization:identifier-no:"])(
    "FileTransferControllerTests.cs: InitializeFileTransfer_WithRecipientInAccessList_Succeeds(%s311764837)",
    async (prefix) => {
      const b = accessListNoRecipients();
      b.recipients.push(`${prefix}${consumerB}`);
      const res = await init(sender, b);
      expect(res.status, res.text).toBe(200);
    },
  );

  it.each(["0192:", "urn:altinn:organization:identifier-no:"])(
    "FileTransferControllerTests.cs: InitializeFileTransfer_WithNotAllRecipientsInAccessList_ReturnsBadRequest(%s311764837, %s999999999)",
    async (prefix) => {
      const b = accessListNoRecipients();
      b.recipients.push(`${prefix}${consumerB}`, `${prefix}999999999`);
      const res = await init(sender, b);
      expect(res.status).toBe(400);
      expect(detail(res)).toBe("All recipients need to be in the access list of the resource.");
    },
  );

  it("FileTransferControllerTests.cs: Search_WithRoleRecipient_ExcludesSenderOnly (without status: nothing is published here)", async () => {
    const id = (((await init(sender, basic())).json ?? {}) as { fileTransferId: string }).fileTransferId;
    const asSender = await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}&role=recipient`, { token: sender });
    expect(asSender.text).not.toContain(id);
    const asRecipient = await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}&role=recipient`, { token: recipient });
    expect(asRecipient.text).toContain(id);
  });

  it("FileTransferControllerTests.cs: Search_WithRoleSender_ExcludesRecipientOnly (without status)", async () => {
    const id = (((await init(sender, basic())).json ?? {}) as { fileTransferId: string }).fileTransferId;
    expect((await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}&role=sender`, { token: sender })).text).toContain(id);
    expect((await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}&role=sender`, { token: recipient })).text).not.toContain(id);
  });

  it("FileTransferControllerTests.cs: Search_DefaultRole_OmitsRole_ReturnsUnion_AsSender (without status)", async () => {
    const id = (((await init(sender, basic())).json ?? {}) as { fileTransferId: string }).fileTransferId;
    expect((await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}`, { token: sender })).text).toContain(id);
  });
});

describe("Bruno collection (.bruno/FileTransfer)", () => {
  let id: string;
  it("Bruno FileTransfer/Initialize.bru: 200 {fileTransferId}", async () => {
    const res = await init(sender, {
      fileName: "collection.bru",
      resourceId: RESOURCE_FOR_TEST,
      sendersFileTransferReference: "archiveno-20425",
      sender: `urn:altinn:organization:identifier-no:${ttd}`,
      recipients: [`urn:altinn:organization:identifier-no:${consumerA}`],
      propertyList: { caseNumber: "123", etc: "can-use-for-anything" },
    });
    expect(res.status, res.text).toBe(200);
    id = (res.json as { fileTransferId: string }).fileTransferId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("Bruno FileTransfer/Search.bru: the recipient's search by resourceId lists it", async () => {
    const res = await r.call("GET", `${FT}?resourceId=${RESOURCE_FOR_TEST}`, { token: recipient });
    expect(res.status).toBe(200);
    expect(res.json as string[]).toContain(id);
  });

  it("Bruno FileTransfer/{fileTransferId}/Overview.bru and Details.bru: 200 for the recipient", async () => {
    const overview = await r.call("GET", `${FT}/${id}`, { token: recipient });
    expect(overview.status).toBe(200);
    expect(overview.json).toMatchObject({
      fileTransferId: id,
      fileName: "collection.bru",
      sendersFileTransferReference: "archiveno-20425",
    });
    expect((await r.call("GET", `${FT}/${id}/details`, { token: recipient })).status).toBe(200);
  });
});
