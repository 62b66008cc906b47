// The emulator's PDP through POST /__emulator/authorize. Every expected decision below is worked out by hand from
// the contract in emulator/README.md ("Policy decisions"): the subject attributes a token carries, Target matching
// (AnyOf AND, AllOf OR, Match AND), Permit-only rules, access lists with the resource party, system-user rights.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipart } from "../altinn-helpers.js";
import { type Replay } from "../replay/fixture.js";
import {
  EQ,
  EQ_IC,
  ORGS,
  type SystemUser,
  accessList,
  anyOf,
  match,
  permitRule,
  policy,
  resourceWithPolicy,
  rule,
  startServices,
  systemUser,
} from "./fixture.js";

let r: Replay;
const tokens: Record<string, string> = {};
const ORG_NO = "urn:altinn:organization:identifier-no";
const ORG_CODE = "urn:altinn:org";
const ACTION = "urn:oasis:names:tc:xacml:1.0:action:action-id";
const RES = "urn:altinn:resource";
const PACKAGE = "post-til-virksomheten-med-taushetsbelagt-innhold";

interface Verdict {
  decision: string;
  reason?: string;
  subject: { id: string; value: string }[];
}
async function authorize(token: string, resource: string, action: string, party?: string): Promise<Verdict> {
  const res = await r.call("POST", "/__emulator/authorize", { body: { token, resource, action, ...(party ? { party } : {}) } });
  expect(res.status, res.text).toBe(200);
  return res.json as Verdict;
}

beforeAll(async () => {
  r = await startServices();
  tokens["ttd"] = await r.altinn("ttd"); // altinn:serviceowner: carries urn:altinn:org=ttd
  tokens["ttdNoOwnerScope"] = await r.maskinporten("ttd", ["altinn:correspondence.write"]);
  tokens["ttdRaw"] = await r.maskinporten("ttd", ["altinn:serviceowner", "altinn:correspondence.write"]);
  tokens["digdir"] = await r.altinn("digdir");
  tokens["consumerA"] = await r.altinn("consumer-a");
  tokens["consumerB"] = await r.altinn("consumer-b");
  tokens["vendor"] = await r.altinn("vendor");

  const B = "pdp-basic";
  await resourceWithPolicy(
    r,
    B,
    policy(
      B,
      rule(1, B, [[ORG_CODE, "ttd"]], ["write", "read"]),
      rule(2, B, [[ORG_NO, ORGS.consumerA]], ["read"]),
      rule(3, B, [["urn:altinn:rolecode", "DAGL"]], ["read", "write", "subscribe"]),
      // One AllOf with two Matches: both attributes needed.
      permitRule(
        4,
        anyOf([match("subject", ORG_NO, ORGS.ttd), match("subject", ORG_CODE, "ttd")]),
        anyOf([match("resource", RES, B)]),
        anyOf([match("action", ACTION, "subscribe")]),
      ),
      // Ignore-case and exact matching of the same value.
      permitRule(
        5,
        anyOf([match("subject", ORG_CODE, "TTD", EQ_IC)]),
        anyOf([match("resource", RES, B)]),
        anyOf([match("action", ACTION, "publish")]),
      ),
      permitRule(
        6,
        anyOf([match("subject", ORG_CODE, "TTD", EQ)]),
        anyOf([match("resource", RES, B)]),
        anyOf([match("action", ACTION, "delete")]),
      ),
      // A function the emulator does not evaluate never matches.
      permitRule(
        7,
        anyOf([match("subject", ORG_CODE, "tt", "urn:oasis:names:tc:xacml:3.0:function:string-starts-with")]),
        anyOf([match("resource", RES, B)]),
        anyOf([match("action", ACTION, "sign")]),
      ),
      // Two subject AnyOfs: both must match (consumer-b by number AND by a package it never has).
      permitRule(
        8,
        anyOf([match("subject", ORG_NO, ORGS.consumerB)]),
        anyOf([match("subject", "urn:altinn:accesspackage", PACKAGE)]),
        anyOf([match("resource", RES, B)]),
        anyOf([match("action", ACTION, "read")]),
      ),
    ),
  );
});
afterAll(async () => r.stop());

describe("organisation tokens against pdp-basic (hand-built table)", () => {
  const table: [token: string, action: string, decision: "Permit" | "Deny", why: string][] = [
    ["ttd", "write", "Permit", "rule 1: urn:altinn:org=ttd (exchanged token with altinn:serviceowner)"],
    ["ttd", "read", "Permit", "rule 1"],
    ["ttdRaw", "write", "Permit", "a raw Maskinporten token of a service owner with altinn:serviceowner carries the org code too"],
    ["ttdNoOwnerScope", "write", "Deny", "no altinn:serviceowner: only the org number, which no write rule names"],
    ["ttd", "subscribe", "Permit", "rule 4: org number AND org code in one AllOf"],
    ["ttdNoOwnerScope", "subscribe", "Deny", "rule 4 needs both attributes; DAGL (rule 3) is no org attribute"],
    ["consumerA", "read", "Permit", "rule 2: org number"],
    ["consumerA", "write", "Deny", "rule 2 is read only"],
    ["consumerB", "read", "Deny", "rule 8 needs a package too; DAGL is a person's attribute"],
    ["vendor", "read", "Deny", "named by no rule"],
    ["digdir", "write", "Deny", "another service owner's org code"],
    ["ttd", "publish", "Permit", "rule 5: string-equal-ignore-case TTD = ttd"],
    ["ttd", "delete", "Deny", "rule 6: string-equal TTD != ttd"],
    ["ttd", "sign", "Deny", "rule 7: an unevaluated function never matches"],
    ["ttd", "Write", "Deny", "action ids match exactly (string-equal)"],
    ["consumerA", "subscribe", "Deny", "only DAGL may subscribe besides ttd"],
  ];
  it.each(table)("%s %s → %s (%s)", async (who, action, decision) => {
    const v = await authorize(tokens[who] as string, "pdp-basic", action);
    expect(v.decision).toBe(decision);
    if (decision === "Deny") expect(v.reason).toBe("policy");
  });

  it("subject attributes: org number always; org code only for a service owner's token with altinn:serviceowner; never a role", async () => {
    expect((await authorize(tokens["ttd"] as string, "pdp-basic", "read")).subject).toEqual([
      { id: ORG_NO, value: ORGS.ttd },
      { id: ORG_CODE, value: "ttd" },
    ]);
    expect((await authorize(tokens["ttdNoOwnerScope"] as string, "pdp-basic", "read")).subject).toEqual([{ id: ORG_NO, value: ORGS.ttd }]);
    expect((await authorize(tokens["vendor"] as string, "pdp-basic", "read")).subject).toEqual([{ id: ORG_NO, value: ORGS.vendor }]);
  });

  it("an unknown resource and a resource without a policy are denied", async () => {
    expect(await authorize(tokens["ttd"] as string, "pdp-no-such", "read")).toMatchObject({ decision: "Deny", reason: "no-resource" });
    const token = tokens["ttd"] as string;
    const o = r.org("ttd");
    const created = await r.call("POST", "/resourceregistry/api/v1/resource", {
      token,
      body: {
        identifier: "pdp-nopolicy",
        title: { en: "t", nb: "t", nn: "t" },
        description: { en: "d", nb: "d", nn: "d" },
        rightDescription: { en: "r", nb: "r", nn: "r" },
        contactPoints: [{ category: "Support", email: "x@y.no", telephone: "", contactPage: "" }],
        hasCompetentAuthority: { organization: o.orgNumber, orgcode: o.orgCode },
        resourceType: "CorrespondenceService",
      },
    });
    expect(created.status).toBe(201);
    expect(await authorize(token, "pdp-nopolicy", "read")).toMatchObject({ decision: "Deny", reason: "no-policy" });
  });

  it("a policy-level Target is ANDed with the rule's: a Target naming only read stops write", async () => {
    const id = "pdp-target";
    const xml = policy(id, rule(1, id, [[ORG_CODE, "ttd"]], ["read", "write"])).replace(
      "<xacml:Target/>",
      `<xacml:Target>${anyOf([match("action", ACTION, "read")])}</xacml:Target>`,
    );
    await resourceWithPolicy(r, id, xml);
    expect((await authorize(tokens["ttd"] as string, id, "read")).decision).toBe("Permit");
    expect(await authorize(tokens["ttd"] as string, id, "write")).toMatchObject({ decision: "Deny", reason: "policy" });
  });
});

describe("access lists (accessListMode Enabled): after a Permit, the resource party must be on a connected list", () => {
  const id = "pdp-lists";
  beforeAll(async () => {
    await resourceWithPolicy(
      r,
      id,
      policy(
        id,
        rule(
          1,
          id,
          [
            [ORG_NO, ORGS.consumerA],
            [ORG_NO, ORGS.consumerB],
          ],
          ["read"],
        ),
        rule(2, id, [[ORG_CODE, "ttd"]], ["write"]),
      ),
      { accessListMode: "Enabled" },
    );
    // consumer-a is on a list connected for read; ttd's own org is on a list connected for "Write" only.
    await accessList(r, "pdp-readers", [ORGS.consumerA], id, ["read"]);
    await accessList(r, "pdp-writers", [ORGS.ttd], id, ["Write"]);
  });
  const table: [token: string, action: string, party: string | undefined, decision: string, reason: string | undefined][] = [
    ["consumerA", "read", ORGS.consumerA, "Permit", undefined],
    ["consumerA", "read", undefined, "Deny", "access-list"],
    ["consumerB", "read", ORGS.consumerB, "Deny", "access-list"],
    ["consumerB", "read", ORGS.consumerA, "Permit", undefined],
    ["consumerA", "write", ORGS.consumerA, "Deny", "policy"],
    ["ttd", "write", ORGS.ttd, "Deny", "access-list"],
    ["vendor", "read", ORGS.consumerA, "Deny", "policy"],
  ];
  it.each(table)("%s %s party %s → %s %s", async (who, action, party, decision, reason) => {
    const v = await authorize(tokens[who] as string, id, action, party);
    expect(v.decision).toBe(decision);
    if (reason) expect(v.reason).toBe(reason);
  });

  it("actionFilters compare exactly: a list connected for Write does not allow write; an empty filter allows every action", async () => {
    expect((await authorize(tokens["ttd"] as string, id, "write", ORGS.ttd)).reason).toBe("access-list");
    await accessList(r, "pdp-all", [ORGS.ttd], id, []);
    expect((await authorize(tokens["ttd"] as string, id, "write", ORGS.ttd)).decision).toBe("Permit");
  });
});

describe("system users: their uuid, the customer's org number and the packages; plus the rights of the accepted request", () => {
  const id = "pdp-su";
  const other = "pdp-su-other";
  let su: SystemUser;
  let suNoRights: SystemUser;
  let suPackage: SystemUser;
  let suAction: SystemUser;
  beforeAll(async () => {
    // The resources exist first (requests name them); the policies naming the system users come after.
    await resourceWithPolicy(r, id, policy(id, rule(1, id, [[ORG_CODE, "ttd"]], ["write"])));
    await resourceWithPolicy(r, other, policy(other, rule(1, other, [[ORG_CODE, "ttd"]], ["write"])));
    su = await systemUser(r, ORGS.consumerA, [{ resource: id }]);
    suNoRights = await systemUser(r, ORGS.consumerB, [{ resource: other }]);
    suPackage = await systemUser(r, ORGS.consumerB, [{ resource: id }], [`urn:altinn:accesspackage:${PACKAGE}`]);
    suAction = await systemUser(r, ORGS.registerOnly, [{ resource: id, action: "read" }]);
    const xml = policy(
      id,
      rule(1, id, [["urn:altinn:systemuser:uuid", su.id]], ["read", "write"]),
      rule(2, id, [["urn:altinn:systemuser:uuid", suNoRights.id]], ["read"]),
      rule(3, id, [["urn:altinn:accesspackage", PACKAGE]], ["read"]),
      rule(4, id, [[ORG_NO, ORGS.registerOnly]], ["read", "write"]),
    );
    const mp = multipart("policyFile", "policy.xml", xml);
    const up = await r.call("PUT", `/resourceregistry/api/v1/resource/${id}/policy`, {
      token: tokens["ttd"],
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(up.status).toBe(201);
  });

  it("the subject of a system-user token", async () => {
    const v = await authorize(await su.maskinporten(["digdir:dialogporten"]), id, "read");
    expect(v.subject).toEqual([
      { id: "urn:altinn:systemuser:uuid", value: su.id },
      { id: ORG_NO, value: ORGS.consumerA },
    ]);
    const p = await authorize(await suPackage.maskinporten(["digdir:dialogporten"]), id, "read");
    expect(p.subject).toContainEqual({ id: "urn:altinn:accesspackage", value: PACKAGE });
    expect(p.subject).toContainEqual({ id: ORG_NO, value: ORGS.consumerB });
  });

  it("permit by uuid when the rights cover the resource (any action when the right names none)", async () => {
    const t = await su.maskinporten(["digdir:dialogporten"]);
    expect((await authorize(t, id, "read")).decision).toBe("Permit");
    expect((await authorize(t, id, "write")).decision).toBe("Permit");
    // The same token exchanged for an Altinn token keeps the system user.
    expect((await authorize(await su.altinn(["altinn:correspondence.read"]), id, "read")).decision).toBe("Permit");
  });

  it("a policy Permit is not enough when the accepted request's rights do not cover the resource", async () => {
    expect(await authorize(await suNoRights.maskinporten(["digdir:dialogporten"]), id, "read")).toMatchObject({
      decision: "Deny",
      reason: "system-user-rights",
    });
  });

  it("permit by access package granted through the request", async () => {
    expect((await authorize(await suPackage.maskinporten(["digdir:dialogporten"]), id, "read")).decision).toBe("Permit");
    expect((await authorize(await suPackage.maskinporten(["digdir:dialogporten"]), id, "write")).decision).toBe("Deny");
  });

  it("a right naming an action covers only that action, even when the policy permits more (by the customer's org number)", async () => {
    const t = await suAction.maskinporten(["digdir:dialogporten"]);
    expect((await authorize(t, id, "read")).decision).toBe("Permit");
    expect(await authorize(t, id, "write")).toMatchObject({ decision: "Deny", reason: "system-user-rights" });
  });

  it("the vendor's own token (no system user) is just the vendor's organisation", async () => {
    expect(await authorize(tokens["vendor"] as string, id, "read")).toMatchObject({ decision: "Deny", reason: "policy" });
  });
});

describe("the control endpoint itself", () => {
  it("400 for a token the emulator did not issue, and for a malformed body", async () => {
    const bad = await r.call("POST", "/__emulator/authorize", { body: { token: "x.y.z", resource: "pdp-basic", action: "read" } });
    expect(bad.status).toBe(400);
    const malformed = await r.call("POST", "/__emulator/authorize", { body: { resource: "pdp-basic" } });
    expect(malformed.status).toBe(400);
  });
  it("accepts the resource as a URN", async () => {
    expect((await authorize(tokens["ttd"] as string, "urn:altinn:resource:pdp-basic", "read")).decision).toBe("Permit");
  });
});
