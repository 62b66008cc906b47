// Dialogporten's end-user search with a system-user token (spec altinn-events-broker-dialogporten.md §4): the
// dialogs are the published correspondences; a system user sees those of its customer that the resource's policy
// (and access lists) let it read, within the rights of its accepted request. As Dialogporten's code does, a search
// with no authorisations answers 200 with an empty list; refusals are for the token (401), scope (403, empty) and
// user type (403 problem).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Replay } from "../replay/fixture.js";
import { ORGS, type SystemUser, accessList, orgUrn, policy, resourceWithPolicy, rule, startServices, systemUser } from "./fixture.js";

const SEARCH = "/dialogporten/api/v1/enduser/dialogs";
const ORG_CODE = "urn:altinn:org";
const PACKAGE = "post-til-virksomheten-med-taushetsbelagt-innhold";
let r: Replay;
let covered: SystemUser;
let uncovered: SystemUser;
let otherCustomer: SystemUser;
let dialogId: string;
let listedId: string;

interface Page {
  items: { id: string; party: string; serviceResource: string; org: string; content: { title: { value: { value: string }[] } } }[];
  hasNextPage: boolean;
  continuationToken: string | null;
  orderBy: string;
}

async function send(resourceId: string, recipient: string): Promise<string> {
  const res = await r.call("POST", "/correspondence/api/v1/correspondence", {
    token: await r.altinn("ttd"),
    body: {
      correspondence: {
        resourceId,
        sendersReference: "dp",
        content: { language: "nb", messageTitle: "Hei", messageSummary: "Kort", messageBody: "Innhold" },
      },
      recipients: [orgUrn(recipient)],
    },
  });
  expect(res.status, res.text).toBe(200);
  return (res.json as { correspondences: { correspondenceId: string }[] }).correspondences[0]?.correspondenceId as string;
}

const search = async (token: string | undefined, query: string) => r.call("GET", `${SEARCH}${query}`, token === undefined ? {} : { token });

beforeAll(async () => {
  r = await startServices();
  const rules = (id: string) =>
    policy(id, rule(1, id, [[ORG_CODE, "ttd"]], ["write", "read"]), rule(2, id, [["urn:altinn:accesspackage", PACKAGE]], ["read"]));
  await resourceWithPolicy(r, "dp-corr", rules("dp-corr"));
  await resourceWithPolicy(r, "dp-listed", rules("dp-listed"), { accessListMode: "Enabled" });
  await resourceWithPolicy(r, "dp-other", rules("dp-other"));
  const pkg = [`urn:altinn:accesspackage:${PACKAGE}`];
  covered = await systemUser(r, ORGS.consumerA, [{ resource: "dp-corr" }, { resource: "dp-listed" }], pkg);
  uncovered = await systemUser(r, ORGS.consumerA, [{ resource: "dp-other" }], pkg);
  otherCustomer = await systemUser(r, ORGS.consumerB, [{ resource: "dp-corr" }], pkg);
  dialogId = await send("dp-corr", ORGS.consumerA);
  listedId = await send("dp-listed", ORGS.consumerA);
  await send("dp-corr", ORGS.consumerB);
});
afterAll(async () => r.stop());

describe("GET /dialogporten/api/v1/enduser/dialogs", () => {
  it("a system user whose rights cover the resource sees its customer's dialog (by serviceResource, by party)", async () => {
    const t = await covered.maskinporten(["digdir:dialogporten"]);
    for (const q of [
      `?serviceResource=urn:altinn:resource:dp-corr`,
      `?party=${orgUrn(ORGS.consumerA)}&serviceResource=urn:altinn:resource:dp-corr`,
    ]) {
      const res = await search(t, q);
      expect(res.status, res.text).toBe(200);
      const page = res.json as Page;
      expect(page.items.map((d) => d.id)).toEqual([dialogId]);
      expect(page.items[0]).toMatchObject({
        party: orgUrn(ORGS.consumerA),
        serviceResource: "urn:altinn:resource:dp-corr",
        org: "ttd",
        content: { title: { value: [{ value: "Hei" }] } },
      });
      expect(page).toMatchObject({ hasNextPage: false, continuationToken: null, orderBy: "contentupdatedat_desc,id_desc" });
    }
    // By party alone: every resource the system user may read for the customer (dp-listed's list is still empty).
    const byParty = (await search(t, `?party=${orgUrn(ORGS.consumerA)}`)).json as Page;
    expect(byParty.items.map((d) => d.id)).toEqual([dialogId]);
    // The exchanged Altinn token works the same.
    const altinn = await covered.altinn(["digdir:dialogporten"]);
    expect(((await search(altinn, `?serviceResource=urn:altinn:resource:dp-corr`)).json as Page).items).toHaveLength(1);
  });

  it("rights that do not cover the resource, another customer's system user, another party: 200 with no dialogs", async () => {
    const q = `?serviceResource=urn:altinn:resource:dp-corr`;
    for (const su of [uncovered, otherCustomer]) {
      const res = await search(await su.maskinporten(["digdir:dialogporten"]), q);
      expect(res.status).toBe(200);
      const items = (res.json as Page).items;
      // The other customer (consumer-b) sees its own dialog on dp-corr, never consumer-a's.
      expect(items.map((d) => d.id)).not.toContain(dialogId);
      if (su === uncovered) expect(items).toEqual([]);
      else expect(items.every((d) => d.party === orgUrn(ORGS.consumerB))).toBe(true);
    }
    const t = await covered.maskinporten(["digdir:dialogporten"]);
    expect(((await search(t, `?party=${orgUrn(ORGS.consumerB)}`)).json as Page).items).toEqual([]);
  });

  it("access lists: with accessListMode Enabled the customer must be on a list connected for read", async () => {
    const t = await covered.maskinporten(["digdir:dialogporten"]);
    const q = `?serviceResource=urn:altinn:resource:dp-listed`;
    expect(((await search(t, q)).json as Page).items).toEqual([]);
    await accessList(r, "dp-readers", [ORGS.consumerA], "dp-listed", ["read"]);
    expect(((await search(t, q)).json as Page).items.map((d) => d.id)).toEqual([listedId]);
  });

  it("no token: 401 with an empty body", async () => {
    const res = await search(undefined, `?serviceResource=urn:altinn:resource:dp-corr`);
    expect(res.status).toBe(401);
    expect(res.text).toBe("");
  });

  it("missing digdir:dialogporten: 403 with an empty body", async () => {
    const res = await search(await covered.maskinporten(["altinn:correspondence.read"]), `?serviceResource=urn:altinn:resource:dp-corr`);
    expect(res.status).toBe(403);
    expect(res.text).toBe("");
  });

  it("an organisation's own token is no end user: 403 with Dialogporten's user-type problem", async () => {
    const res = await search(await r.maskinporten("consumer-a", ["digdir:dialogporten"]), `?serviceResource=urn:altinn:resource:dp-corr`);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({
      type: "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3",
      title: "Forbidden.",
      status: 403,
      errors: {
        Type: [
          "The request was authenticated, but we were unable to determine valid user type in order to authorize the request. Valid user types for this endpoint are: Person, SystemUser, IdportenEmailIdentifiedUser",
        ],
      },
    });
  });

  it("neither serviceResource nor party: 400 validation problem", async () => {
    const res = await search(await covered.maskinporten(["digdir:dialogporten"]), "");
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      title: "One or more validation errors occurred.",
      errors: { "": ["Either ServiceResource or Party must be specified."] },
    });
  });
});
