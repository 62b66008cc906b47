// Replay of Altinn/altinn-resource-registry's own requests against the emulator: the resource controller's tests
// (test/Altinn.ResourceRegistry.Tests/ResourceControllerTest.cs) and its Bruno collection (test/Bruno). Each case
// is named after its source; expectations are what the source asserts (or, where the source reads a response
// field, what the service's code puts there). skd (974761076) becomes the seeded ttd, digdir (991825827) the
// seeded digdir.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { multipart } from "../altinn-helpers.js";
import { type Replay, startReplay } from "./fixture.js";
import { ALL_LANGS, csResource, fullResource, scopeRef, xacml } from "./wire.js";

let r: Replay;
let ttd: { orgNumber: string; orgCode: string };
let write: string;
let admin: string;

const RES = "/resourceregistry/api/v1/Resource";

beforeAll(async () => {
  r = await startReplay();
  ttd = r.org("ttd");
});
afterAll(async () => r.stop());
beforeEach(async () => {
  await r.reset();
  write = await r.altinn("ttd", ["altinn:resourceregistry/resource.write"]);
  admin = await r.altinn("digdir", ["altinn:resourceregistry/resource.admin"]);
});

/** `null` sends no bearer token. */
const post = (body: unknown, token: string | null = write) => r.call("POST", `${RES}/`, { token: token ?? undefined, body });
const put = (id: string, body: unknown, token: string | null = write) => r.call("PUT", `${RES}/${id}`, { token: token ?? undefined, body });
async function seedResource(id: string, extra: Parameters<typeof fullResource>[2] = {}): Promise<void> {
  const res = await r.call("POST", "/resourceregistry/api/v1/resource", { token: write, body: fullResource(id, ttd, extra) });
  if (res.status !== 201) throw new Error(`seeding ${id}: ${res.status} ${res.text}`);
}
function policyUpload(method: "POST" | "PUT", id: string, xml: string, token: string | null) {
  const mp = multipart("policyFile", `${id}.xml`, xml);
  return r.call(method, `${RES}/${id}/policy`, {
    token: token ?? undefined,
    rawBody: mp.body,
    headers: { "content-type": mp.contentType },
  });
}
/** ASP.NET ValidationProblemDetails, as the tests deserialise it. */
const errorsOf = (body: unknown) => (body as { errors?: Record<string, string[]> }).errors ?? {};

describe("ResourceControllerTest.cs", () => {
  it("ResourceControllerTest.cs: GetResource_altinn_access_management_OK (path with a capital R)", async () => {
    await seedResource("altinn_access_management");
    const res = await r.call("GET", `${RES}/altinn_access_management`);
    expect(res.status).toBe(200);
    expect((res.json as { identifier: string }).identifier).toBe("altinn_access_management");
  });

  it("ResourceControllerTest.cs: Search_Get (Search?Id= binds case-insensitively)", async () => {
    await seedResource("altinn_one");
    await seedResource("altinn_two");
    await seedResource("other_three");
    const res = await r.call("GET", `${RES}/Search?Id=altinn`);
    expect(res.status).toBe(200);
    expect((res.json as { identifier: string }[]).map((x) => x.identifier).sort()).toEqual(["altinn_one", "altinn_two"]);
  });

  it("ResourceControllerTest.cs: ResourceList", async () => {
    await seedResource("listed_one");
    const res = await r.call("GET", `${RES}/resourcelist`);
    expect(res.status).toBe(200);
    expect((res.json as { identifier: string }[]).some((x) => x.identifier === "listed_one")).toBe(true);
  });

  it("ResourceControllerTest.cs: CreateResource_WithErrors (ValidationProblemDetails errors{})", async () => {
    const res = await post(
      csResource({ Identifier: "superdupertjenestene", HasCompetentAuthority: { Organization: ttd.orgNumber, Orgcode: "ttd" } }),
    );
    expect(res.status).toBe(400);
    const errors = errorsOf(res.json);
    // ServiceResourceHelper.ValidateResource: ResourceType Default, titles, descriptions, right descriptions (delegable by default).
    expect(Object.keys(errors).sort()).toEqual(["Description", "ResourceType", "RightDescription", "Title"]);
    expect(errors["Title"]).toEqual(["Missing title in english en", "Missing title in bokmal nb", "Missing title in nynorsk nn"]);
    expect(errors["ResourceType"]).toEqual(["ResourceType needs to be set"]);
  });

  it("ResourceControllerTest.cs: CreateAppResource_WithErrors", async () => {
    const res = await post(
      csResource({
        Identifier: "invalid_identifier_testapp",
        HasCompetentAuthority: { Organization: ttd.orgNumber, Orgcode: "ttd" },
        ResourceType: "AltinnApp",
        Title: ALL_LANGS,
        Description: ALL_LANGS,
        RightDescription: ALL_LANGS,
        ContactPoints: [{ Category: "Support", ContactPage: "x", Email: "x@y.no", Telephone: "1" }],
      }),
    );
    expect(res.status).toBe(400);
    const errors = errorsOf(res.json);
    expect(Object.keys(errors).sort()).toEqual(["Identifier", "ResourceReferences"]);
  });

  it("ResourceControllerTest.cs: CreateAppResource_WithValidIdentifier", async () => {
    const res = await post(
      fullResource("app_ttd_flyttemelding", ttd, {
        ResourceType: "AltinnApp",
        ResourceReferences: [{ ReferenceSource: "Altinn3", ReferenceType: "ApplicationId", Reference: "ttd/flyttemelding" }],
      }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateMigratedAppResource_WithValidIdentifier", async () => {
    const res = await post(
      fullResource("app_ttd_a2-1234-1", ttd, {
        ResourceType: "MigratedApp",
        ResourceReferences: [{ ReferenceSource: "Altinn3", ReferenceType: "ApplicationId", Reference: "ttd/a2-1234-1" }],
      }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateMigratedAltinn1App_WithValidIdentifier (app_<org>_a1-...:<version> passes the identifier rule)", async () => {
    const res = await post(
      fullResource("app_ttd_a1-1234-1:1", ttd, {
        ResourceType: "MigratedApp",
        ResourceReferences: [{ ReferenceSource: "Altinn3", ReferenceType: "ApplicationId", Reference: "ttd/a1-1234-1:1" }],
      }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateResource_WithAdminScope (admin skips owner and scope-prefix checks)", async () => {
    const res = await post(
      fullResource("superdupertjenestene", ttd, { ResourceReferences: [scopeRef("altinn:TestScope"), scopeRef("krr:TestScope")] }),
      admin,
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateResource_WithValidPrefix", async () => {
    const res = await post(
      fullResource("superdupertjenestene", ttd, { ResourceReferences: [scopeRef("ttd:TestScope"), scopeRef("ttd:Other")] }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateResource_With_APPrefixWithoutRequiredResourceReference", async () => {
    const res = await post(fullResource("app_superdupertjenestene", ttd, { ResourceType: "AltinnApp" }));
    expect(res.status).toBe(400);
  });

  it("ResourceControllerTest.cs: CreateResource_With_APPrefixWithRequiredResourceReference", async () => {
    const res = await post(
      fullResource("app_ttd_superdupertjenestene", ttd, {
        ResourceType: "AltinnApp",
        ResourceReferences: [{ ReferenceSource: "Altinn3", ReferenceType: "ApplicationId", Reference: "ttd/superdupertjenestene" }],
      }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateMaskinportenSchemaResource_WithoutScope_BadRequest", async () => {
    const res = await post(fullResource("schema_test", ttd, { ResourceType: "MaskinportenSchema" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("Missing maskinporten scopen for MaskinportenSchema resource");
  });

  it("ResourceControllerTest.cs: CreateMaskinportenSchemaResource_WitScope_Ceated", async () => {
    const res = await post(
      fullResource("schema_test", ttd, { ResourceType: "MaskinportenSchema", ResourceReferences: [scopeRef("ttd:TestScope")] }),
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateResource_WithInvalidPrefix (401, errors.InvalidPrefix lists each scope outside the caller's prefixes)", async () => {
    const res = await post(
      fullResource("superdupertjenestene", ttd, {
        ResourceReferences: [scopeRef("ttd:TestScope"), scopeRef("difi:TestScope"), scopeRef("krr:TestScope"), scopeRef("test:TestScope")],
      }),
    );
    expect(res.status).toBe(401);
    const errors = errorsOf(res.json);
    expect(Object.keys(errors)).toEqual(["InvalidPrefix"]);
    expect(errors["InvalidPrefix"]).toHaveLength(3);
  });

  it("ResourceControllerTest.cs: UpdateResource_WithAdminScope", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { ResourceReferences: [scopeRef("krr:TestScope")] }),
      admin,
    );
    expect(res.status).toBe(200);
  });

  it("ResourceControllerTest.cs: UpdateResource_WithValidPrefix", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { ResourceReferences: [scopeRef("ttd:TestScope")] }),
    );
    expect(res.status).toBe(200);
  });

  it("ResourceControllerTest.cs: UpdateResource_WithInvalidPrefix", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { ResourceReferences: [scopeRef("difi:TestScope"), scopeRef("krr:TestScope")] }),
    );
    expect(res.status).toBe(401);
    expect(errorsOf(res.json)["InvalidPrefix"]).toHaveLength(2);
  });

  it("ResourceControllerTest.cs: SetResourcePolicy_OK", async () => {
    await seedResource("altinn_access_management");
    const res = await policyUpload(
      "POST",
      "altinn_access_management",
      xacml([{ resource: "altinn_access_management", actions: ["read"] }]),
      write,
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: SetResourcePolicy_Invalid_UnknownResource", async () => {
    const mp = multipart("policyFile", "x.xml", xacml([{ resource: "unknown_resource", actions: ["read"] }]));
    const res = await r.call("POST", `${RES}/unknown_resource/policy`, {
      token: write,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(res.status).toBe(400);
    expect(res.text.replace(/"/g, " ").trim()).toBe("Unknown resource");
  });

  it("ResourceControllerTest.cs: GetResourcePolicy_OK", async () => {
    await seedResource("altinn_access_management");
    await policyUpload("POST", "altinn_access_management", xacml([{ resource: "altinn_access_management", actions: ["read"] }]), write);
    const res = await r.call("GET", `${RES}/altinn_access_management/policy`);
    expect(res.status).toBe(200);
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_OK", async () => {
    await seedResource("altinn_access_management");
    const res = await policyUpload(
      "PUT",
      "altinn_access_management",
      xacml([{ resource: "altinn_access_management", actions: ["read"] }]),
      write,
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_InvalidResourceId", async () => {
    await seedResource("altinn_access_management");
    const res = await policyUpload(
      "PUT",
      "altinn_access_management",
      xacml([{ resource: "altinn_access_management_other", actions: ["read"] }]),
      write,
    );
    expect(res.status).toBe(400);
    expect(res.text).toBe('"Policy not accepted: Contains rules for a different registry resource"');
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_MissingResourceId", async () => {
    await seedResource("altinn_access_management");
    const res = await policyUpload("PUT", "altinn_access_management", xacml([{ resource: null, actions: ["read"] }]), write);
    expect(res.status).toBe(400);
    expect(res.text.replace(/"/g, " ").trim()).toBe("Policy not accepted: Contains rule without reference to registry resource id");
  });

  it("ResourceControllerTest.cs: UpdateResource_Ok", async () => {
    await seedResource("altinn_access_management");
    const res = await put("altinn_access_management", fullResource("altinn_access_management", ttd));
    expect(res.status).toBe(200);
  });

  it("ResourceControllerTest.cs: UpdateResource_MissingTitleNynorsk", async () => {
    await seedResource("altinn_access_management");
    const res = await put("altinn_access_management", fullResource("altinn_access_management", ttd, { Title: { en: " ", nb: "" } }));
    expect(res.status).toBe(400);
    for (const m of ["Missing title in nynorsk", "Missing title in english", "Missing title in bokmal"]) expect(res.text).toContain(m);
  });

  it("ResourceControllerTest.cs: UpdateResource_MissingDescriptionBokmal", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { Description: { en: "English", nn: "Nynorsk" } }),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain("Missing Description in bokmal nb");
  });

  it("ResourceControllerTest.cs: UpdateResource_EmptyDescriptionBokmal", async () => {
    await seedResource("altinn_access_management");
    const res = await put("altinn_access_management", fullResource("altinn_access_management", ttd, { Description: { en: "", nb: " " } }));
    expect(res.status).toBe(400);
    for (const m of ["Missing Description in bokmal nb", "Missing Description in english en", "Missing Description in nynorsk nn"])
      expect(res.text).toContain(m);
  });

  it("ResourceControllerTest.cs: UpdateResource_MissingRightsDecriptionEngelsk", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { RightDescription: { nb: "", nn: " " } }),
    );
    expect(res.status).toBe(400);
    for (const m of [
      "Missing RightDescription in english en",
      "Missing RightDescription in nynorsk nn",
      "Missing RightDescription in bokmal nb",
    ])
      expect(res.text).toContain(m);
  });

  it("ResourceControllerTest.cs: UpdateResource_MissingRightsDecriptionEngelskButNotDelegatable", async () => {
    await seedResource("altinn_access_management");
    const res = await put(
      "altinn_access_management",
      fullResource("altinn_access_management", ttd, { RightDescription: { nb: "Bokmal", nn: "Nynorsk" }, Delegable: false }),
    );
    expect(res.status).toBe(200);
  });

  it("ResourceControllerTest.cs: UpdateResource_BadRequest (identifier in body differs from the path)", async () => {
    await seedResource("altinn_access_management");
    const res = await put("altinn_access_management", csResource({ Identifier: "wrong_non_matcing_id" }), admin);
    expect(res.status).toBe(400);
  });

  it("ResourceControllerTest.cs: CreateResource_Ok", async () => {
    const res = await post(fullResource("superdupertjenestene", ttd));
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: CreateResource_UnAuthorized", async () => {
    const res = await post(fullResource("superdupertjenestene", ttd), null);
    expect(res.status).toBe(401);
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_OK_AdminScope_NotResourceOwner", async () => {
    await seedResource("altinn_access_management_skd");
    const res = await policyUpload(
      "PUT",
      "altinn_access_management_skd",
      xacml([{ resource: "altinn_access_management_skd", actions: ["read"] }]),
      admin,
    );
    expect(res.status).toBe(201);
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_Forbidden_NotResourceOwner", async () => {
    await seedResource("altinn_access_management_skd");
    const notOwner = await r.altinn("digdir", ["altinn:resourceregistry/resource.write"]);
    const res = await policyUpload(
      "PUT",
      "altinn_access_management_skd",
      xacml([{ resource: "altinn_access_management_skd", actions: ["read"] }]),
      notOwner,
    );
    expect(res.status).toBe(403);
  });

  it("ResourceControllerTest.cs: UpdateResourcePolicy_UnAuthorized", async () => {
    await seedResource("altinn_access_management");
    const res = await policyUpload(
      "PUT",
      "altinn_access_management",
      xacml([{ resource: "altinn_access_management", actions: ["read"] }]),
      null,
    );
    expect(res.status).toBe(401);
  });

  it("ResourceControllerTest.cs: Delete_AuthorizedUser_ValidResource_NoPolicyFile_ReturnsNoContent", async () => {
    await seedResource("resource_without_policy");
    const res = await r.call("DELETE", `${RES}/resource_without_policy`, { token: write });
    expect(res.status).toBe(204);
  });

  it("ResourceControllerTest.cs: Delete_AdminScope_ValidResource_WithPolicy_ReturnsNoContent", async () => {
    await seedResource("resource_with_policy");
    await policyUpload("POST", "resource_with_policy", xacml([{ resource: "resource_with_policy", actions: ["read"] }]), write);
    const res = await r.call("DELETE", `${RES}/resource_with_policy`, { token: admin });
    expect(res.status).toBe(204);
  });

  it("ResourceControllerTest.cs: Delete_UnAuthorized_ValidResource_ReturnsUnauthorized", async () => {
    await seedResource("resource_to_keep");
    const res = await r.call("DELETE", `${RES}/resource_to_keep`);
    expect(res.status).toBe(401);
  });

  it("ResourceControllerTest.cs: Delete_Forbidden_ValidResource_ReturnsForbidden", async () => {
    await seedResource("resource_to_keep");
    const notOwner = await r.maskinporten("digdir", ["altinn:resourceregistry/resource.write"]);
    const res = await r.call("DELETE", `${RES}/resource_to_keep`, { token: notOwner });
    expect(res.status).toBe(403);
  });

  it("ResourceControllerTest.cs: Delete_DoesentExist_ReturnsNotFound", async () => {
    const res = await r.call("DELETE", `${RES}/does_not_exist`, { token: write });
    expect(res.status).toBe(404);
  });
});

describe("ResourceControllerWithDbTests.cs", () => {
  it("ResourceControllerWithDbTests.cs: SearchResources_ByOrgCode_Ok / _NoMatch (Search?OrgCode=, any case)", async () => {
    await seedResource("by_org_code");
    const hit = await r.call("GET", `${RES}/Search?OrgCode=TTD`);
    expect((hit.json as { identifier: string }[]).map((x) => x.identifier)).toEqual(["by_org_code"]);
    expect((await r.call("GET", `${RES}/Search?OrgCode=nonexistentorg`)).json).toEqual([]);
  });

  it("ResourceControllerWithDbTests.cs: SearchResources_ByOrganizationId_Ok / _NoMatch", async () => {
    await seedResource("by_org_id");
    const hit = await r.call("GET", `${RES}/Search?OrganizationId=${ttd.orgNumber}`);
    expect((hit.json as { identifier: string }[]).map((x) => x.identifier)).toEqual(["by_org_id"]);
    expect((await r.call("GET", `${RES}/Search?OrganizationId=000000000`)).json).toEqual([]);
  });

  it("ResourceControllerWithDbTests.cs: SearchResources_ServiceEditionVersion_Ok (Search?reference= matches a reference)", async () => {
    await seedResource("with_reference", {
      ResourceReferences: [{ ReferenceSource: "Altinn2", ReferenceType: "ServiceEditionVersion", Reference: "7846" }],
    });
    await seedResource("without_reference");
    const hit = await r.call("GET", `${RES}/Search?reference=7846`);
    expect((hit.json as { identifier: string }[]).map((x) => x.identifier)).toEqual(["with_reference"]);
  });

  it("ResourceControllerWithDbTests.cs: GetpolicyRulesRRH (PolicyRuleDTO: subject[], action, resource[] of {type, value})", async () => {
    await seedResource("rules_resource");
    const xml = xacml([
      {
        subject: [
          ["urn:altinn:rolecode", "DAGL"],
          ["urn:altinn:org", "ttd"],
        ],
        resource: "rules_resource",
        actions: ["read", "write"],
      },
    ]);
    expect((await policyUpload("POST", "rules_resource", xml, write)).status).toBe(201);
    const res = await r.call("GET", "/resourceregistry/api/v1/resource/rules_resource/policy/rules", {
      headers: { accept: "application/json" },
    });
    expect(res.status).toBe(200);
    const rules = res.json as {
      subject: { type: string; value: string }[];
      action: { type: string; value: string };
      resource: unknown[];
    }[];
    // One rule per subject alternative × action × resource alternative: 2 × 2 × 1.
    expect(rules).toHaveLength(4);
    expect(rules.map((x) => `${x.subject[0]?.type}=${x.subject[0]?.value} ${x.action.type}=${x.action.value}`).sort()).toEqual([
      "urn:altinn:org=ttd urn:oasis:names:tc:xacml:1.0:action:action-id=read",
      "urn:altinn:org=ttd urn:oasis:names:tc:xacml:1.0:action:action-id=write",
      "urn:altinn:rolecode=DAGL urn:oasis:names:tc:xacml:1.0:action:action-id=read",
      "urn:altinn:rolecode=DAGL urn:oasis:names:tc:xacml:1.0:action:action-id=write",
    ]);
    expect(rules[0]?.resource).toEqual([{ type: "urn:altinn:resource", value: "rules_resource" }]);
    expect((await r.call("GET", "/resourceregistry/api/v1/resource/no_such_resource/policy/rules")).status).toBe(404);
  });
});

describe("Bruno collection (test/Bruno/Altinn.ResourceRegistry/Resource)", () => {
  it("Bruno Resource/Creates a service resource...; Gets a single resource...; Updates...; Deletes... (lower-case paths)", async () => {
    const base = "/resourceregistry/api/v1/resource";
    expect((await r.call("POST", base, { token: write, body: fullResource("bruno_resource", ttd) })).status).toBe(201);
    expect((await r.call("GET", `${base}/bruno_resource`)).status).toBe(200);
    expect((await r.call("PUT", `${base}/bruno_resource`, { token: write, body: fullResource("bruno_resource", ttd) })).status).toBe(200);
    expect((await r.call("DELETE", `${base}/bruno_resource`, { token: write })).status).toBe(204);
  });

  it("Bruno Resource/Resource List.bru and Search.bru answer arrays", async () => {
    const list = await r.call("GET", "/resourceregistry/api/v1/resource/resourcelist");
    const search = await r.call("GET", "/resourceregistry/api/v1/resource/search");
    expect(list.status).toBe(200);
    expect(Array.isArray(list.json)).toBe(true);
    expect(search.status).toBe(200);
    expect(Array.isArray(search.json)).toBe(true);
  });
});
