// Replay of digdir/dialogporten's end-user WebAPI E2E tests for dialog search (tests/Digdir.Domain.Dialogporten.
// WebAPI.E2E.Tests/Features/V1/EndUser/: Dialogs/Queries/Search/SearchDialogSystemUserTests.cs,
// SearchDialogFilterTests.cs, Authentication/AuthenticationTests.cs, Authentication/CrossApiAuthenticationTests.cs,
// Authorization/AuthorizationTests.cs), for the SearchDialogs endpoint. Substitutions: the tests create dialogs
// through the service-owner API, which the emulator does not have; here a published correspondence is the dialog.
// E2EConstants.DefaultSystemUserOrgUrn becomes consumer-a with a system user granted an access package the
// resource's policy names; AlternateSystemUserOrgUrn consumer-b with a system user whose rights name the alternate
// resource; the other party 437454302 a Register-only party. Each case uses resources of its own instead of the
// tests' unique extendedStatus filter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RawResult } from "../altinn-helpers.js";
import { type Replay } from "./fixture.js";
import { ORGS, type SystemUser, orgUrn, policy, resourceWithPolicy, rule, startServices, systemUser } from "../services/fixture.js";

const SEARCH = "/dialogporten/api/v1/enduser/dialogs";
const PACKAGE = "post-til-virksomheten-med-taushetsbelagt-innhold";
let r: Replay;
let resources = 0;

interface Page {
  items: { id: string; serviceResource: string }[];
}

/** A resource of ttd whose policy permits read for the package and for consumer-b by org number. */
async function newResource(): Promise<string> {
  const id = `dp-replay-${++resources}`;
  await resourceWithPolicy(
    r,
    id,
    policy(
      id,
      rule(1, id, [["urn:altinn:org", "ttd"]], ["write", "read"]),
      rule(2, id, [["urn:altinn:accesspackage", PACKAGE]], ["read"]),
      rule(3, id, [["urn:altinn:organization:identifier-no", ORGS.consumerB]], ["read"]),
    ),
  );
  return id;
}

/** CreateComplexDialogAsync's stand-in: a published correspondence to the party. */
async function dialog(resourceId: string, party: string): Promise<string> {
  const res = await r.call("POST", "/correspondence/api/v1/correspondence", {
    token: await r.altinn("ttd"),
    body: {
      correspondence: { resourceId, sendersReference: "e2e", content: { language: "nb", messageTitle: "E2E", messageBody: "body" } },
      recipients: [orgUrn(party)],
    },
  });
  expect(res.status, res.text).toBe(200);
  return (res.json as { correspondences: { correspondenceId: string }[] }).correspondences[0]?.correspondenceId as string;
}

const search = (token: string | undefined, query: string): Promise<RawResult> =>
  r.call("GET", `${SEARCH}${query}`, token === undefined ? {} : { token });

let defaultSystemUser: SystemUser;
let alternateSystemUser: SystemUser;
let defaultResource: string;
let alternateResource: string;

beforeAll(async () => {
  r = await startServices();
  defaultResource = await newResource();
  alternateResource = await newResource();
  defaultSystemUser = await systemUser(r, ORGS.consumerA, [{ resource: defaultResource }], [`urn:altinn:accesspackage:${PACKAGE}`]);
  alternateSystemUser = await systemUser(r, ORGS.consumerB, [{ resource: alternateResource }]);
});
afterAll(async () => r.stop());

describe("SearchDialogSystemUserTests.cs", () => {
  it("SearchDialogSystemUserTests.cs: Should_Return_Allowed_Dialogs_When_SystemUser_With_Access_Package_Searches", async () => {
    const id = await dialog(defaultResource, ORGS.consumerA);
    const res = await search(await defaultSystemUser.maskinporten(["digdir:dialogporten"]), `?party=${orgUrn(ORGS.consumerA)}`);
    expect(res.status).toBe(200);
    expect((res.json as Page).items.map((d) => d.id)).toEqual([id]);
  });

  it("SearchDialogSystemUserTests.cs: Should_Return_Allowed_Dialogs_When_SystemUser_With_Rights_Searches", async () => {
    const id = await dialog(alternateResource, ORGS.consumerB);
    const res = await search(await alternateSystemUser.maskinporten(["digdir:dialogporten"]), `?party=${orgUrn(ORGS.consumerB)}`);
    expect(res.status).toBe(200);
    expect((res.json as Page).items.map((d) => d.id)).toEqual([id]);
  });

  it("SearchDialogSystemUserTests.cs: Should_Return_Empty_Items_When_SystemUser_Searches_Other_Parties", async () => {
    await dialog(defaultResource, ORGS.registerOnly);
    const res = await search(await defaultSystemUser.maskinporten(["digdir:dialogporten"]), `?party=${orgUrn(ORGS.registerOnly)}`);
    expect(res.status).toBe(200);
    expect((res.json as Page).items).toEqual([]);
  });

  it("SearchDialogSystemUserTests.cs: Should_Return_Empty_Items_When_Another_SystemUser_Searches_Dialogs_Accessible_From_The_Default_SystemUser", async () => {
    await dialog(defaultResource, ORGS.consumerA);
    const res = await search(await alternateSystemUser.maskinporten(["digdir:dialogporten"]), `?party=${orgUrn(ORGS.consumerA)}`);
    expect(res.status).toBe(200);
    expect((res.json as Page).items).toEqual([]);
  });
});

describe("SearchDialogFilterTests.cs", () => {
  it("SearchDialogFilterTests.cs: Should_Filter_By_ServiceResource", async () => {
    const aux = await newResource();
    const control = await newResource();
    // The system user's request must name both resources to see either.
    const su = await systemUser(r, ORGS.consumerA, [{ resource: aux }, { resource: control }], [`urn:altinn:accesspackage:${PACKAGE}`]);
    const id = await dialog(aux, ORGS.consumerA);
    const controlId = await dialog(control, ORGS.consumerA);
    const res = await search(
      await su.maskinporten(["digdir:dialogporten"]),
      `?party=${orgUrn(ORGS.consumerA)}&serviceResource=urn:altinn:resource:${aux}`,
    );
    expect(res.status).toBe(200);
    const items = (res.json as Page).items;
    expect(items.filter((d) => d.id === id)).toHaveLength(1);
    expect(items.find((d) => d.id === id)?.serviceResource).toBe(`urn:altinn:resource:${aux}`);
    expect(items.map((d) => d.id)).not.toContain(controlId);
  });
});

describe("Authentication and authorization (SearchDialogs)", () => {
  it("AuthenticationTests.cs: Should_Return_401_With_Expected_WwwAuthenticate_Header(missing token, SearchDialogs)", async () => {
    const res = await search(undefined, `?party=${orgUrn(ORGS.consumerA)}`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("AuthenticationTests.cs: Should_Return_401_With_Expected_WwwAuthenticate_Header(malformed token, SearchDialogs)", async () => {
    const res = await search("thisisnotavalidtoken", `?party=${orgUrn(ORGS.consumerA)}`);
    expect(res.status).toBe(401);
    const header = res.headers.get("www-authenticate") ?? "";
    expect(header).toContain("Bearer");
    expect(header).toContain('error="invalid_token"');
  });

  it("CrossApiAuthenticationTests.cs: Enduser_Endpoints_Should_Return_403_Forbidden_For_Valid_ServiceOwner_Tokens(SearchDialogs)", async () => {
    const serviceOwner = await r.maskinporten("ttd", ["digdir:dialogporten.serviceprovider", "digdir:dialogporten.serviceprovider.search"]);
    expect((await search(serviceOwner, `?party=${orgUrn(ORGS.consumerA)}`)).status).toBe(403);
  });

  it("AuthorizationTests.cs: Should_Return_Forbidden_Without_EndUser_Scope(SearchDialogs)", async () => {
    const wrongScope = await defaultSystemUser.maskinporten(["altinn:correspondence.read"]);
    expect((await search(wrongScope, `?party=${orgUrn(ORGS.consumerA)}`)).status).toBe(403);
  });
});
