// Replay of Altinn/altinn-authentication's vendor-facing controller tests (test/Altinn.Platform.Authentication.Tests/
// Controllers/SystemRegisterControllerTests.cs, RequestControllerTests.cs, their Data/SystemRegister/Json bodies) and
// its Bruno collection (test/Bruno/Altinn.Authentication/VendorRequest). The vendor 991825827 becomes the seeded
// vendor; the resource "ske-krav-og-betalinger" a CorrespondenceService of ttd; "ttd-am-k6" (not delegable) a
// MaskinportenSchema resource; the access packages those of the seed; the customer 910493353 consumer-a. The
// tests' systemregister.admin token becomes digdir's.
import * as jose from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { postToken, rsaKey, signGrant } from "../helpers.js";
import { type Replay, startReplay } from "./fixture.js";
import { fullResource, scopeRef } from "./wire.js";

let r: Replay;
let vendor: string;
let vendorToken: string;
let customer: string;

const SR = "/authentication/api/v1/systemregister/vendor";
const REQ = "/authentication/api/v1/systemuser/request/vendor";
const RES = "ske-krav-og-betalinger";
const NOT_DELEGABLE = "ttd-am-k6";
const SYSTEM = () => `${vendor}_the_matrix`;

interface Validation {
  code?: string;
  validationErrors?: ({ code: string; title: string; paths: string[] } & Record<string, unknown>)[];
}
const errorsOf = (body: unknown) => (body as Validation).validationErrors ?? [];

/** Data/SystemRegister/Json/SystemRegister.json, for the replay vendor. */
const system = (extra: Record<string, unknown> = {}) => ({
  id: SYSTEM(),
  vendor: { authority: "iso6523-actorid-upis", ID: `0192:${vendor}` },
  name: { nb: "The Matrix", en: "The Matrix", nn: "The Matrix" },
  description: { nb: "Test system", en: "Test system", nn: "Test system" },
  rights: [{ resource: [{ id: "urn:altinn:resource", value: RES }] }],
  softDeleted: false,
  clientId: ["32ef65ac-6e62-498d-880f-76c85c2052ae"],
  allowedredirecturls: ["https://vg.no", "https://nrk.no", "https://altinn.no"],
  isVisible: true,
  ...extra,
});
const register = (body: unknown, token = vendorToken) => r.call("POST", SR, { token, body });
const right = (value: string, id = "urn:altinn:resource") => ({ resource: [{ id, value }] });

beforeAll(async () => {
  r = await startReplay();
  vendor = r.org("vendor").orgNumber;
  customer = r.org("consumer-a").orgNumber;
});
afterAll(async () => r.stop());
beforeEach(async () => {
  await r.reset();
  const write = await r.altinn("ttd", ["altinn:resourceregistry/resource.write"]);
  const ttd = r.org("ttd");
  for (const [id, extra] of [
    [RES, { ResourceType: "CorrespondenceService" }],
    [NOT_DELEGABLE, { ResourceType: "MaskinportenSchema", ResourceReferences: [scopeRef("ttd:k6")] }],
  ] as const) {
    const res = await r.call("POST", "/resourceregistry/api/v1/resource", { token: write, body: fullResource(id, ttd, extra) });
    expect(res.status).toBe(201);
  }
  vendorToken = await r.altinn("vendor", [
    "altinn:authentication/systemregister.write",
    "altinn:authentication/systemuser.request.write",
    "altinn:authentication/systemuser.request.read",
  ]);
});

describe("SystemRegisterControllerTests.cs", () => {
  it("SystemRegisterControllerTests.cs: SystemRegister_Create_Success (200, the internal id as a JSON string)", async () => {
    const res = await register(system());
    expect(res.status).toBe(200);
    expect(res.json).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_WithAccessPackage_Success", async () => {
    const res = await register(
      system({
        accessPackages: [{ urn: "urn:altinn:accesspackage:skattnaering" }, { urn: "urn:altinn:accesspackage:ansvarlig-revisor" }],
        isVisible: false,
      }),
    );
    expect(res.status).toBe(200);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_BadRequest (SystemRegisterInvalidRequest.json: no id, vendor, name)", async () => {
    const res = await register({
      systemId: "the_matrix",
      systemVendorOrgNumber: vendor,
      systemNameInvalid: "The Matrix",
      rights: [right(RES)],
      isVisible: true,
    });
    expect(res.status).toBe(400);
  });

  const single = (name: string, body: () => Record<string, unknown>, code: string, path: string, title: string, only = true) =>
    it(`SystemRegisterControllerTests.cs: ${name}`, async () => {
      const res = await register(body());
      expect(res.status).toBe(400);
      const errors = errorsOf(res.json);
      if (only) expect(errors).toHaveLength(1);
      const e = errors.find((x) => x.code === code);
      expect(e?.paths).toContain(path);
      expect(e?.title).toBe(title);
    });

  single(
    "SystemRegister_Create_BadRequest_SystemId (a space in the id)",
    () => system({ id: `${vendor}_the matrix` }),
    "AUTH.VLD-00013",
    "/registersystemrequest/systemid",
    "System ID cannot have spaces in id (leading, trailing or in between the id)",
    false,
  );
  single(
    "SystemRegister_Create_InvalidSystemIdFormat_BadRequest",
    () => system({ id: "the_matrix" }),
    "AUTH.VLD-00001",
    "/registersystemrequest/systemid",
    "The system id does not match the format orgnumber_xxxx...",
  );
  single(
    "SystemRegister_Create_InvalidResourceIdFormat_BadRequest",
    () => system({ rights: [right("ttd-am-invalidresformat", "urn:altinn:res")] }),
    "AUTH.VLD-00009",
    "/registersystemrequest/rights/resource",
    "One or more resource id is in wrong format. The valid format is urn:altinn:resource",
  );
  single(
    "SystemRegister_Create_InvalidResourceId_BadRequest",
    () => system({ rights: [right("finnesikke")] }),
    "AUTH.VLD-00003",
    "/registersystemrequest/rights/resource",
    "One or more resources specified in rights were not found in Altinn's resource register.",
  );
  single(
    "SystemRegister_Create_InvalidAccessPackages_BadRequest",
    () => system({ accessPackages: [{ urn: "urn:altinn:accesspackage:sjøfart" }] }),
    "AUTH.VLD-00008",
    "/registersystemrequest/accesspackages",
    "One or all the accesspackage(s) is not found in altinn's access packages or is not delegable",
  );
  single(
    "SystemRegister_Create_DuplicateResource_BadRequest",
    () => system({ rights: [right(RES), right(RES)] }),
    "AUTH.VLD-00006",
    "/registersystemrequest/rights/resource",
    "One or more duplicate rights found",
  );
  single(
    "SystemRegister_Create_DuplicateAccessPackage_BadRequest",
    () => system({ accessPackages: [{ urn: "urn:altinn:accesspackage:skattnaering" }, { urn: "urn:altinn:accesspackage:skattnaering" }] }),
    "AUTH.VLD-00007",
    "/registersystemrequest/accesspackages",
    "One or more duplicate access package(s) found",
  );
  single(
    "SystemRegister_Create_InvalidRedirectUrl_BadRequest",
    () => system({ allowedredirecturls: ["vg.no"] }),
    "AUTH.VLD-00005",
    "/registersystemrequest/allowedredirecturls",
    "One or more of the redirect urls format is not valid. The valid format is https://xxx.xx",
  );
  single(
    "SystemRegister_Create_InvalidOrgIdentifier_BadRequest",
    () => system({ vendor: { authority: "iso6523-actorid-upis", ID: `0198:${vendor}` } }),
    "AUTH.VLD-00000",
    "/registersystemrequest/vendor/id",
    "the org number identifier is not valid ISO6523 identifier",
    false,
  );
  single(
    "SystemRegister_Create_IsVisibleWithNonAssignableAccessPackage_BadRequest",
    () =>
      system({
        accessPackages: [
          { urn: "urn:altinn:accesspackage:skattnaering" },
          { urn: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet" },
        ],
      }),
    "AUTH.VLD-00018",
    "/registersystemrequest/accesspackages",
    "Access packages meant for system user for client relations can't be used in combination with the flag isVisible: true",
  );

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_DuplicateSystem_BadRequest", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await register(system({ clientId: [] }));
    expect(res.status).toBe(400);
    const e = errorsOf(res.json).find((x) => x.code === "AUTH.VLD-00002");
    expect(e?.paths).toContain("/registersystemrequest/systemid");
    expect(e?.title).toBe("The system id already exists");
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_InvalidResourceType_BadRequest (two errors, each naming its resources in an extension)", async () => {
    const res = await register(system({ rights: [right(NOT_DELEGABLE), right("ttd-am-invalidresformat", "urn:altinn:res")] }));
    expect(res.status).toBe(400);
    const errors = errorsOf(res.json);
    expect(errors).toHaveLength(2);
    const notDelegable = errors.find((e) => e.code === "AUTH.VLD-00017");
    expect(notDelegable?.title).toBe("One or more resources specified in rights is of resource type which is not delegable.");
    expect(notDelegable?.["ResourceIds Not Delegable : "]).toBe(NOT_DELEGABLE);
    expect(errors.find((e) => e.code === "AUTH.VLD-00009")?.["Invalid Resource Id Details : "]).toBe("ttd-am-invalidresformat");
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_WrongScope_Forbidden", async () => {
    const wrong = await r.altinn("vendor", ["altinn:authentication/systemuser.request.write"]);
    expect((await register(system(), wrong)).status).toBe(403);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Create_WriteScope_OrgMismatch_Forbidden", async () => {
    const body = system({ id: `314000013_the_matrix`, vendor: { ID: "0192:314000013" } });
    expect((await register(body)).status).toBe(403);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_Rights_Success", async () => {
    expect((await register(system({ rights: [] }))).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}/rights`, { token: vendorToken, body: [right(RES)] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ succeeded: true });
  });

  for (const [name, path, body] of [
    ["SystemRegister_Update_Rights_DeletedSystem_ReturnsBadRequest", "rights", [right(RES)]],
    [
      "SystemRegister_Update_AccessPackage_DeletedSystem_ReturnsBadRequest",
      "accesspackages",
      [{ urn: "urn:altinn:accesspackage:skattnaering" }],
    ],
  ] as const) {
    it(`SystemRegisterControllerTests.cs: ${name} (the body is the plain text)`, async () => {
      expect((await register(system({ rights: [], isVisible: false }))).status).toBe(200);
      const admin = await r.altinn("digdir", ["altinn:authentication/systemregister.admin"]);
      expect((await r.call("DELETE", `${SR}/${SYSTEM()}/`, { token: admin })).status).toBe(200);
      const res = await r.call("PUT", `${SR}/${SYSTEM()}/${path}`, { token: admin, body });
      expect(res.status).toBe(400);
      expect(res.text).toBe("Cannot update a system marked as deleted.");
    });
  }

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_AccessPackage_Success_Owner_NotAdmin", async () => {
    expect((await register(system({ isVisible: false }))).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}/accesspackages`, {
      token: vendorToken,
      body: [{ urn: "urn:altinn:accesspackage:skattnaering" }],
    });
    expect(res.status).toBe(200);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_AccessPackage_Forbid_NotOwner_NotAdmin", async () => {
    expect((await register(system({ isVisible: false }))).status).toBe(200);
    // A system register writer of another organisation (consumer-b has the scope in the replay seed).
    const notOwner = await r.altinn("consumer-b", ["altinn:authentication/systemregister.write"]);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}/accesspackages`, {
      token: notOwner,
      body: [{ urn: "urn:altinn:accesspackage:skattnaering" }],
    });
    expect(res.status).toBe(403);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_DuplicateResource_BadRequest / _DuplicateAccessPackage_BadRequest", async () => {
    expect((await register(system({ isVisible: false }))).status).toBe(200);
    const rights = await r.call("PUT", `${SR}/${SYSTEM()}/rights`, { token: vendorToken, body: [right(RES), right(RES)] });
    expect(rights.status).toBe(400);
    expect(errorsOf(rights.json).map((e) => [e.code, e.title, e.paths])).toEqual([
      ["AUTH.VLD-00006", "One or more duplicate rights found", ["/registersystemrequest/rights/resource"]],
    ]);
    const packages = await r.call("PUT", `${SR}/${SYSTEM()}/accesspackages`, {
      token: vendorToken,
      body: [{ urn: "urn:altinn:accesspackage:skattnaering" }, { urn: "urn:altinn:accesspackage:skattnaering" }],
    });
    expect(packages.status).toBe(400);
    expect(errorsOf(packages.json).map((e) => [e.code, e.paths])).toEqual([["AUTH.VLD-00007", ["/registersystemrequest/accesspackages"]]]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_ResourceIdDoesNotExist_BadRequest", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}/rights`, { token: vendorToken, body: [right("ske-krav-og-betalinge")] });
    expect(res.status).toBe(400);
    expect(errorsOf(res.json).map((e) => e.code)).toEqual(["AUTH.VLD-00003"]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_ListofAll_For_Vendor and SystemRegister_Get_Systems_Vendor_NoData", async () => {
    expect((await r.call("GET", SR, { token: vendorToken })).json).toEqual([]);
    expect((await register(system())).status).toBe(200);
    const res = await r.call("GET", SR, { token: vendorToken });
    expect(res.status).toBe(200);
    expect((res.json as { systemId: string }[]).map((s) => s.systemId)).toEqual([SYSTEM()]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("GET", `${SR}/${SYSTEM()}`, { token: vendorToken });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: SYSTEM(), vendor: { ID: `0192:${vendor}` }, isDeleted: false });
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_Forbid_IfNotOwner", async () => {
    expect((await register(system())).status).toBe(200);
    const other = await r.maskinporten("consumer-b", ["altinn:authentication/systemregister.write"]);
    expect((await r.call("GET", `${SR}/${SYSTEM()}`, { token: other })).status).toBe(403);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_NotFound", async () => {
    expect((await r.call("GET", `${SR}/${vendor}_unknown`, { token: vendorToken })).status).toBe(404);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_ProductDefaultRights (GET /systemregister/{id}/rights, scope altinn:portal/enduser)", async () => {
    expect((await register(system())).status).toBe(200);
    const portal = await r.altinn("vendor", ["altinn:portal/enduser"]);
    const res = await r.call("GET", `/authentication/api/v1/systemregister/${SYSTEM()}/rights?useoldformatforapp=true`, { token: portal });
    expect(res.status).toBe(200);
    const list = res.json as { resource: { id: string; value: string }[] }[];
    expect(list).toHaveLength(1);
    expect(list[0]?.resource[0]).toEqual({ id: "urn:altinn:resource", value: RES });
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_ProductDefaultRights_NoRights", async () => {
    expect((await register(system({ rights: [] }))).status).toBe(200);
    const portal = await r.altinn("vendor", ["altinn:portal/enduser"]);
    expect((await r.call("GET", `/authentication/api/v1/systemregister/${SYSTEM()}/rights`, { token: portal })).json).toEqual([]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Get_AccessPackages (GET /systemregister/{id}/accesspackages)", async () => {
    expect((await register(system({ accessPackages: [{ urn: "urn:altinn:accesspackage:skattnaering" }], isVisible: false }))).status).toBe(
      200,
    );
    const portal = await r.altinn("vendor", ["altinn:portal/enduser"]);
    const res = await r.call("GET", `/authentication/api/v1/systemregister/${SYSTEM()}/accesspackages`, { token: portal });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([{ urn: "urn:altinn:accesspackage:skattnaering" }]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Delete_System (trailing slash), then SystemRegister_Delete_System_BadRequest for an unknown id", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("DELETE", `${SR}/${SYSTEM()}/`, { token: vendorToken });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ succeeded: true });
    expect((await r.call("DELETE", `${SR}/${vendor}_never_registered/`, { token: vendorToken })).status).toBe(400);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Delete_System_BySystemOwner_WrongScope", async () => {
    expect((await register(system())).status).toBe(200);
    const wrong = await r.altinn("vendor", ["altinn:authentication/systemuser.request.read"]);
    expect((await r.call("DELETE", `${SR}/${SYSTEM()}/`, { token: wrong })).status).toBe(403);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_System", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}`, { token: vendorToken, body: system({ name: { nb: "Ny", en: "New", nn: "Ny" } }) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ succeeded: true });
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_System_MismatchedBodyVendor_ReturnsNotFound", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}`, { token: vendorToken, body: system({ vendor: { ID: "0192:314000013" } }) });
    expect(res.status).toBe(404);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_UnmatchedRequestBodyAndSystemId (AUTH.VLD-00012)", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}`, { token: vendorToken, body: system({ id: `${vendor}_other` }) });
    expect(res.status).toBe(400);
    expect(errorsOf(res.json).map((e) => [e.code, e.title])).toEqual([
      ["AUTH.VLD-00012", "The system ID in the request body does not match the system ID in the URL"],
    ]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_SystemNotFound_Test (404 with the text)", async () => {
    const res = await r.call("PUT", `${SR}/${vendor}_missing`, { token: vendorToken, body: system({ id: `${vendor}_missing` }) });
    expect(res.status).toBe(404);
    expect(res.text).toBe(`System with ID '${vendor}_missing' not found.`);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_DuplicateClientIds_Test (AUTH.VLD-00011)", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}`, { token: vendorToken, body: system({ clientId: ["dup-client", "DUP-client"] }) });
    expect(res.status).toBe(400);
    expect(errorsOf(res.json).map((e) => [e.code, e.paths])).toEqual([["AUTH.VLD-00011", ["/registersystemrequest/clientid"]]]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_ClientIdExists_Test (AUTH.VLD-00004)", async () => {
    expect((await register(system())).status).toBe(200);
    expect((await register(system({ id: `${vendor}_second`, clientId: ["another-client"] }))).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${vendor}_second`, {
      token: vendorToken,
      body: system({ id: `${vendor}_second`, clientId: ["32ef65ac-6e62-498d-880f-76c85c2052ae"] }),
    });
    expect(res.status).toBe(400);
    expect(errorsOf(res.json).map((e) => [e.code, e.title])).toEqual([
      ["AUTH.VLD-00004", "One of the client id is already tagged with an existing system"],
    ]);
  });

  it("SystemRegisterControllerTests.cs: SystemRegister_Update_DeletedSystem_ReturnsBadRequest", async () => {
    expect((await register(system())).status).toBe(200);
    expect((await r.call("DELETE", `${SR}/${SYSTEM()}`, { token: vendorToken })).status).toBe(200);
    const res = await r.call("PUT", `${SR}/${SYSTEM()}`, { token: vendorToken, body: system() });
    expect(res.status).toBe(400);
    expect(res.text).toBe("Cannot update a system marked as deleted.");
  });
});

describe("RequestControllerTests.cs", () => {
  const request = (extra: Record<string, unknown> = {}) => ({
    externalRef: "external",
    systemId: SYSTEM(),
    partyOrgNo: customer,
    rights: [right(RES)],
    ...extra,
  });
  /** `null` sends no bearer token. */
  const create = (body: unknown, token: string | null = vendorToken) => r.call("POST", REQ, { token: token ?? undefined, body });
  interface RequestView {
    id: string;
    externalRef: string;
    systemId: string;
    partyOrgNo: string;
    confirmUrl: string;
    created: string;
    status: string;
  }

  it("RequestControllerTests.cs: Request_Create_FirstAttempt_ReturnCreated", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await create(request());
    expect(res.status).toBe(201);
    const body = res.json as RequestView;
    expect(body.externalRef).toBe("external");
    expect(body.confirmUrl).toBeTruthy();
    expect(Number.isNaN(Date.parse(body.created))).toBe(false);
  });

  it("RequestControllerTests.cs: Request_Create_SecondAttempt_ReturnOK (the same request, the same confirmUrl)", async () => {
    expect((await register(system())).status).toBe(200);
    const first = await create(request());
    const second = await create(request());
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((second.json as RequestView).confirmUrl).toBe((first.json as RequestView).confirmUrl);
  });

  it("RequestControllerTests.cs: Request_Create_Failed_WrongRights (a right the system does not have)", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await create(
      request({
        rights: [
          {
            resource: [
              { id: "urn:altinn:resource", value: RES },
              { id: "urn:altinn:resource", value: "finnesikke" },
            ],
          },
        ],
      }),
    );
    expect(res.status).toBe(400);
  });

  it("RequestControllerTests.cs: Request_Create_BadRequest_NotDelegable (a client-only package; NotDelegablePackages)", async () => {
    const pkg = "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet";
    expect((await register(system({ accessPackages: [{ urn: pkg }], isVisible: false }))).status).toBe(200);
    const res = await create(request({ rights: undefined, accessPackages: [{ urn: pkg }] }));
    expect(res.status).toBe(400);
    const body = res.json as Record<string, unknown>;
    expect(body["title"]).toBe(
      "One or more access packages cannot be delegated. Either they are intended for clients or they cannot be delegated further.",
    );
    expect("NotDelegablePackages" in body).toBe(true);
  });

  it("RequestControllerTests.cs: Request_Create_UnAuthorized", async () => {
    expect((await register(system())).status).toBe(200);
    expect((await create(request(), null)).status).toBe(401);
  });

  it("RequestControllerTests.cs: Get_Request_ByGuid_Ok", async () => {
    expect((await register(system())).status).toBe(200);
    const id = ((await create(request())).json as RequestView).id;
    const res = await r.call("GET", `${REQ}/${id}`, { token: vendorToken });
    expect(res.status).toBe(200);
    expect((res.json as RequestView).id).toBe(id);
    expect((res.json as RequestView).confirmUrl).toContain("&DONTCHOOSEREPORTEE=true");
  });

  it("RequestControllerTests.cs: Get_Request_ByExternalRef_Ok", async () => {
    expect((await register(system())).status).toBe(200);
    expect((await create(request())).status).toBe(201);
    const res = await r.call("GET", `${REQ}/byexternalref/${SYSTEM()}/${customer}/external`, { token: vendorToken });
    expect(res.status).toBe(200);
    const body = res.json as RequestView;
    expect(body.systemId + body.partyOrgNo + body.externalRef).toBe(`${SYSTEM()}${customer}external`);
    expect(body.confirmUrl).toContain("&DONTCHOOSEREPORTEE=true");
  });

  it("RequestControllerTests.cs: Delete_Request_ByGuid_Accepted (202, then 404) and Delete_Request_ByGuid_NotFound", async () => {
    expect((await register(system())).status).toBe(200);
    const id = ((await create(request())).json as RequestView).id;
    expect((await r.call("DELETE", `${REQ}/${id}`, { token: vendorToken })).status).toBe(202);
    expect((await r.call("GET", `${REQ}/${id}`, { token: vendorToken })).status).toBe(404);
    expect((await r.call("DELETE", `${REQ}/${id}`, { token: vendorToken })).status).toBe(404);
  });

  it("RequestControllerTests.cs: Get_All_Requests_By_System_Paginated_Single", async () => {
    expect((await register(system())).status).toBe(200);
    expect((await create(request())).status).toBe(201);
    const res = await r.call("GET", `${REQ}/bysystem/${SYSTEM()}`, { token: vendorToken });
    expect(res.status).toBe(200);
    const list = (res.json as { data: RequestView[] }).data;
    expect(list[0]?.systemId).toBe(SYSTEM());
  });

  it("RequestControllerTests.cs: Create_L4_Vendor_Request_Return_BadRequest (rights [] and no packages: AUTH-00059)", async () => {
    expect((await register(system())).status).toBe(200);
    const res = await create(request({ rights: [], accessPackages: [] }));
    expect(res.status).toBe(400);
    expect((res.json as { code: string }).code).toBe("AUTH-00059");
  });

  it("RequestControllerTests.cs: Create_L4_Vendor_Request_APs_Return_OK (packages only)", async () => {
    const pkg = "urn:altinn:accesspackage:skattnaering";
    expect((await register(system({ accessPackages: [{ urn: pkg }], isVisible: false }))).status).toBe(200);
    const res = await create(request({ rights: undefined, accessPackages: [{ urn: pkg }] }));
    expect(res.status).toBe(201);
  });

  it("RequestControllerTests.cs: Create_Request_Reuse_SameInfo_from_Existing_SystemUser_Return_Error", async () => {
    expect((await register(system())).status).toBe(200);
    const id = ((await create(request())).json as RequestView).id;
    expect((await fetch(`${r.emu.url}/__emulator/systemuser-requests/${id}/accept`, { method: "POST" })).status).toBe(200);
    const again = await create(request());
    expect(again.status).not.toBe(200);
    expect((again.json as { code: string }).code).toBe("AUTH-00004");
  });
});

describe("SystemUserController.cs vendor lookups and the Bruno collections", () => {
  it("Bruno (altinn-broker) SystemRegister/System Overview.bru and altinn-authentication Get System Users on SystemId.bru: GET /systemuser/vendor/bysystem/{systemId}", async () => {
    expect((await register(system())).status).toBe(200);
    const id = (
      (await r.call("POST", REQ, { token: vendorToken, body: { systemId: SYSTEM(), partyOrgNo: customer, rights: [right(RES)] } }))
        .json as { id: string }
    ).id;
    await fetch(`${r.emu.url}/__emulator/systemuser-requests/${id}/accept`, { method: "POST" });
    const res = await r.call("GET", `/authentication/api/v1/systemuser/vendor/bysystem/${SYSTEM()}`, { token: vendorToken });
    expect(res.status).toBe(200);
    const page = res.json as {
      links: { next: string | null };
      data: { systemId: string; reporteeOrgNo: string; supplierOrgno: string; externalRef: string }[];
    };
    expect(page.data.map((u) => [u.systemId, u.reporteeOrgNo, u.supplierOrgno, u.externalRef])).toEqual([
      [SYSTEM(), customer, vendor, customer],
    ]);
    expect(page.links.next).toBeNull();
  });

  it("SystemUserController.cs: GetSingleSystemUserForVendor (GET /systemuser/vendor/byquery?system-id=&orgno=)", async () => {
    expect((await register(system())).status).toBe(200);
    const id = (
      (await r.call("POST", REQ, { token: vendorToken, body: { systemId: SYSTEM(), partyOrgNo: customer, rights: [right(RES)] } }))
        .json as { id: string }
    ).id;
    const missing = await r.call("GET", `/authentication/api/v1/systemuser/vendor/byquery?system-id=${SYSTEM()}&orgno=${customer}`, {
      token: vendorToken,
    });
    expect(missing.status).toBe(404);
    await fetch(`${r.emu.url}/__emulator/systemuser-requests/${id}/accept`, { method: "POST" });
    const res = await r.call("GET", `/authentication/api/v1/systemuser/vendor/byquery?system-id=${SYSTEM()}&orgno=${customer}`, {
      token: vendorToken,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ systemId: SYSTEM(), reporteeOrgNo: customer, userType: "standard" });
  });

  it("SystemUserController.cs: CheckIfPartyHasIntegration (GET /systemuser/byExternalId, Maskinporten's lookup scope)", async () => {
    expect((await register(system())).status).toBe(200);
    const id = (
      (await r.call("POST", REQ, { token: vendorToken, body: { systemId: SYSTEM(), partyOrgNo: customer, rights: [right(RES)] } }))
        .json as { id: string }
    ).id;
    await fetch(`${r.emu.url}/__emulator/systemuser-requests/${id}/accept`, { method: "POST" });
    const lookup = await r.maskinporten("digdir", ["altinn:maskinporten/systemuser.read"]);
    const base = "/authentication/api/v1/systemuser/byExternalId";
    expect((await r.call("GET", `${base}?clientId=32ef65ac-6e62-498d-880f-76c85c2052ae`, { token: lookup })).status).toBe(400);
    const res = await r.call(
      "GET",
      `${base}?clientId=32ef65ac-6e62-498d-880f-76c85c2052ae&systemProviderOrgNo=${vendor}&systemUserOwnerOrgNo=${customer}`,
      {
        token: lookup,
      },
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ systemId: SYSTEM(), productName: SYSTEM(), reporteeOrgNo: customer });
    expect(
      (await r.call("GET", `${base}?clientId=other&systemProviderOrgNo=${vendor}&systemUserOwnerOrgNo=${customer}`, { token: lookup }))
        .status,
    ).toBe(404);
  });

  it("Bruno (altinn-broker) SystemRegister/Register system.bru (an extra systemVendorOrgNumber) and Create sender systemuser request.bru ('externalReference' is not a model property, 'Resource' in any case)", async () => {
    const registered = await r.call("POST", SR, {
      token: vendorToken,
      body: {
        id: `${vendor}_${RES}_broker`,
        systemVendorOrgNumber: vendor,
        vendor: { authority: "iso6523-actorid-upis", ID: `0192:${vendor}` },
        name: { en: "BrokerTestSystem", nb: "BrokerTestSystem", nn: "BrokerTestSystem" },
        description: { en: "From Bruno collection", nb: "Fra Bruno collection", nn: "Fra Bruno collection" },
        rights: [{ resource: [{ value: RES, id: "urn:altinn:resource" }] }],
        allowedRedirectUrls: ["https://smartcloudaltinn.azurewebsites.net/receipt"],
        clientId: ["bruno-client"],
      },
    });
    expect(registered.status).toBe(200);
    const res = await r.call("POST", REQ, {
      token: vendorToken,
      body: {
        externalReference: "dev-test-create_01",
        systemId: `${vendor}_${RES}_broker`,
        partyOrgNo: customer,
        rights: [{ Resource: [{ id: "urn:altinn:resource", value: RES }] }],
        redirectUrl: "",
      },
    });
    expect(res.status).toBe(201);
    // CreateRequestSystemUser has ExternalRef, not ExternalReference: it defaults to the party.
    expect((res.json as { externalRef: string }).externalRef).toBe(customer);
  });
});

describe("Bruno collections: the end-user system's Maskinporten grant", () => {
  it("Bruno (altinn-correspondence Authentication/End User System, altinn-broker Authentication) Create recipient system user maskinporten token.bru: systemuser_org.ID as a bare org number; the token carries 0192:", async () => {
    const dcr = await r.maskinporten("vendor", ["idporten:dcr.write", "idporten:dcr.read"]);
    const client = await r.call("POST", "/api/v1/clients", {
      token: dcr,
      body: {
        integration_type: "maskinporten",
        application_type: "web",
        client_name: "eus",
        description: "end-user system",
        token_endpoint_auth_method: "private_key_jwt",
        grant_types: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
        scopes: ["altinn:correspondence.read", "altinn:events.subscribe"],
      },
    });
    expect(client.status).toBe(200);
    const clientId = (client.json as { client_id: string }).client_id;
    const key = rsaKey();
    expect(
      (
        await r.call("POST", `/api/v1/clients/${clientId}/jwks`, {
          token: dcr,
          body: { keys: [{ ...key.publicJwk, kid: "k1", alg: "RS256", use: "sig" }] },
        })
      ).status,
    ).toBe(200);
    expect((await register(system({ clientId: [clientId] }))).status).toBe(200);
    const id = (
      (await r.call("POST", REQ, { token: vendorToken, body: { systemId: SYSTEM(), partyOrgNo: customer, rights: [right(RES)] } }))
        .json as { id: string }
    ).id;
    await fetch(`${r.emu.url}/__emulator/systemuser-requests/${id}/accept`, { method: "POST" });
    const assertion = await signGrant(`${r.emu.url}/`, {
      iss: clientId,
      scope: "altinn:correspondence.read altinn:events.subscribe",
      header: { kid: "k1" },
      key: key.privateKey,
      extra: {
        authorization_details: [{ type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: customer } }],
      },
    });
    const tok = await postToken(r.emu.url, assertion);
    expect(tok.status).toBe(200);
    const ad = (jose.decodeJwt(tok.body["access_token"] as string)["authorization_details"] as Record<string, unknown>[])[0];
    expect(ad?.["systemuser_org"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${customer}` });
  });
});
