// Replay of Altinn/altinn-broker's controller tests (tests/Altinn.Broker.Tests/ResourceControllerTests.cs,
// ServiceOwnerControllerTests.cs; messages from src/Altinn.Broker.Application/Errors.cs) and the service-owner and
// resource requests of its Bruno collection (.bruno/ServiceOwner, .bruno/Resource). The tests' configured service
// owner becomes ttd, the "not configured" one digdir; their sender and recipient tokens (no altinn:serviceowner)
// the vendor's and consumer-a's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Replay, startReplay } from "./fixture.js";
import { fullResource } from "./wire.js";

let r: Replay;
let serviceOwner: string;
let notConfigured: string;

const BROKER = "/broker/api/v1";
const RESOURCE_FOR_TEST = "broker-resource-for-test";
const RESOURCE_NOT_CONFIGURED = "broker-resource-not-configured";
const RESOURCE_OF_UNCONFIGURED_OWNER = "broker-resource-unconfigured-owner";

interface Problem {
  status: number;
  detail: string;
  code: string;
}

const put = (id: string, body: unknown, token = serviceOwner) => r.call("PUT", `${BROKER}/resource/${id}`, { token, body });

beforeAll(async () => {
  r = await startReplay();
});
afterAll(async () => r.stop());
beforeEach(async () => {
  await r.reset();
  const ttdWrite = await r.altinn("ttd", ["altinn:resourceregistry/resource.write"]);
  const digdirWrite = await r.altinn("digdir", ["altinn:resourceregistry/resource.write"]);
  for (const [id, owner, token] of [
    [RESOURCE_FOR_TEST, "ttd", ttdWrite],
    [RESOURCE_NOT_CONFIGURED, "ttd", ttdWrite],
    [RESOURCE_OF_UNCONFIGURED_OWNER, "digdir", digdirWrite],
  ] as const) {
    const res = await r.call("POST", "/resourceregistry/api/v1/resource", {
      token,
      body: fullResource(id, r.org(owner), { ResourceType: "BrokerService" }),
    });
    expect(res.status).toBe(201);
  }
  serviceOwner = await r.maskinporten("ttd", ["altinn:serviceowner"]);
  notConfigured = await r.maskinporten("digdir", ["altinn:serviceowner"]);
  expect((await r.call("POST", `${BROKER}/serviceowner`, { token: serviceOwner, body: { name: "Testetaten" } })).status).toBe(200);
  expect((await put(RESOURCE_FOR_TEST, { maxFileTransferSize: 1000 })).status).toBe(200);
});

describe("ResourceControllerTests.cs", () => {
  it("ResourceControllerTests.cs: Update_Resource_Max_Upload_Size", async () => {
    const res = await put(RESOURCE_FOR_TEST, { MaxFileTransferSize: 99999 });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
  });

  it("ResourceControllerTests.cs: Update_Resource_Max_Upload_Size_Over_Global_Should_Fail", async () => {
    const res = await put(RESOURCE_FOR_TEST, { MaxFileTransferSize: 999999999999999 });
    expect(res.status).toBe(400);
    expect((res.json as Problem).detail).toBe(
      "Max file transfer size cannot be set higher than 100GB in production because it has not yet been tested for it. Contact us @ Slack if you need it.",
    );
  });

  it("ResourceControllerTests.cs: Update_Resource_Should_Fail_For_Sender (no altinn:serviceowner: 403)", async () => {
    const sender = await r.maskinporten("vendor", ["altinn:broker.read"]);
    expect((await put(RESOURCE_FOR_TEST, { MaxFileTransferSize: 1000000, FileTransferTimeToLive: "P30D" }, sender)).status).toBe(403);
  });

  it("ResourceControllerTests.cs: Update_Resource_Should_Fail_For_Receiver (no altinn:serviceowner: 403)", async () => {
    const recipient = await r.maskinporten("consumer-a", ["altinn:correspondence.read"]);
    expect((await put(RESOURCE_FOR_TEST, { MaxFileTransferSize: 1000000, FileTransferTimeToLive: "P30D" }, recipient)).status).toBe(403);
  });

  it("ResourceControllerTests.cs: Update_Resource_file_transfer_time_to_live", async () => {
    expect((await put(RESOURCE_FOR_TEST, { FileTransferTimeToLive: "P30D" })).status).toBe(200);
  });

  it("ResourceControllerTests.cs: Update_Resource_file_transfer_time_to_live_Over_Limit_Should_Fail", async () => {
    const res = await put(RESOURCE_FOR_TEST, { FileTransferTimeToLive: "P366D" });
    expect(res.status).toBe(400);
    expect((res.json as Problem).detail).toBe("Time to live cannot exceed 365 days");
  });

  it("ResourceControllerTests.cs: Update_Resource_purge_file_transfer_grace_period", async () => {
    expect((await put(RESOURCE_FOR_TEST, { PurgeFileTransferGracePeriod: "PT2H" })).status).toBe(200);
  });

  it("ResourceControllerTests.cs: Update_Resource_purge_file_transfer_grace_period_Over_Limit_Should_Fail (PT25H, P3D)", async () => {
    for (const grace of ["PT25H", "P3D"]) {
      const res = await put(RESOURCE_FOR_TEST, { PurgeFileTransferGracePeriod: grace });
      expect(res.status, grace).toBe(400);
      expect((res.json as Problem).detail, grace).toBe("Grace period cannot exceed 24 hours");
    }
  });

  it("ResourceControllerTests.cs: Update_Resource_purge_file_transfer_after_all_recipients_confirmed (true, then false)", async () => {
    expect((await put(RESOURCE_FOR_TEST, { PurgeFileTransferAfterAllRecipientsConfirmed: true })).status).toBe(200);
    expect((await put(RESOURCE_FOR_TEST, { PurgeFileTransferAfterAllRecipientsConfirmed: false })).status).toBe(200);
  });

  it("ResourceControllerTests.cs: GetResource_WithResourceNotConfigured_ReturnsBadRequest", async () => {
    const res = await r.call("GET", `${BROKER}/resource/${RESOURCE_NOT_CONFIGURED}`, { token: serviceOwner });
    expect(res.status).toBe(400);
    expect((res.json as Problem).detail).toBe("The resource has not been configured.");
  });

  it("ResourceControllerTests.cs: GetResource_WithoutPermissions_ReturnsUnauthorized", async () => {
    expect((await r.call("GET", `${BROKER}/resource/${RESOURCE_FOR_TEST}`, { token: notConfigured })).status).toBe(401);
  });

  it("ResourceControllerTests.cs: ConfigureResource_WithoutServiceOwnerConfiguration_ReturnsBadRequest", async () => {
    const res = await put(RESOURCE_OF_UNCONFIGURED_OWNER, { UseManifestFileShim: false }, notConfigured);
    expect(res.status).toBe(400);
    expect((res.json as Problem).detail).toBe("The service owner associated with the resource has not been configured.");
  });

  it("ResourceControllerTests.cs: ConfigureResource_WithUnConfiguredResourceOfDifferentServiceOwner_ReturnsUnauthorized", async () => {
    const res = await put(RESOURCE_NOT_CONFIGURED, { MaxFileTransferSize: 1000000, FileTransferTimeToLive: "P30D" }, notConfigured);
    expect(res.status).toBe(401);
    expect((res.json as Problem).detail).toBe(
      "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry",
    );
  });

  it("ResourceControllerTests.cs: ConfigureResource_WithConfiguredResourceOfDifferentServiceOwner_ReturnsUnauthorized", async () => {
    const res = await put(RESOURCE_FOR_TEST, { MaxFileTransferSize: 1000000, FileTransferTimeToLive: "P30D" }, notConfigured);
    expect(res.status).toBe(401);
    expect((res.json as Problem).code).toBe("BRO-00006");
  });

  it("ResourceControllerTests.cs: ConfigureResource_WithInvalidResourceDefinition_ReturnsForbidden", async () => {
    const res = await put("invalidresource", { MaxFileTransferSize: 1000000, FileTransferTimeToLive: "P30D" });
    expect(res.status).toBe(403);
    expect((res.json as Problem).detail).toBe(
      "The resource needs to be registered as an Altinn 3 resource and it has to be associated with a service owner",
    );
  });
});

describe("ServiceOwnerControllerTests.cs and the Bruno collection (.bruno)", () => {
  it("ServiceOwnerControllerTests.cs: Get_ServiceOwner", async () => {
    const res = await r.call("GET", `${BROKER}/serviceowner`, { token: serviceOwner });
    expect(res.status).toBe(200);
    expect((res.json as { name: string }).name).toBe("Testetaten");
  });

  it('Bruno ServiceOwner/Configure service owner for Broker.bru ({"Name": ...}): 200 with an empty body', async () => {
    const res = await r.call("POST", `${BROKER}/serviceowner`, { token: notConfigured, body: { Name: r.org("digdir").orgNumber } });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it("Bruno ServiceOwner/Get service owner configuration.bru: name and storageProviders with type, deploymentStatus, deploymentEnvironment (camelCase, as the code writes it; the Bruno test reads PascalCase)", async () => {
    const res = await r.call("GET", `${BROKER}/serviceowner`, { token: serviceOwner });
    expect(res.status).toBe(200);
    const body = res.json as { name: string; storageProviders: Record<string, unknown>[] };
    expect(Array.isArray(body.storageProviders)).toBe(true);
    for (const p of body.storageProviders) expect(Object.keys(p).sort()).toEqual(["deploymentEnvironment", "deploymentStatus", "type"]);
  });

  it("Bruno Resource/Configure resource for Broker.bru (PascalCase, explicit nulls): 200 with an empty body", async () => {
    const res = await put(RESOURCE_FOR_TEST, {
      MaxFileTransferSize: 2147483648,
      FileTransferTimeToLive: "P30D",
      PurgeFileTransferAfterAllRecipientsConfirmed: true,
      PurgeFileTransferGracePeriod: "PT2H",
      UseManifestFileShim: false,
      ExternalServiceCodeLegacy: null,
      ExternalServiceEditionCodeLegacy: null,
      RequiredParty: null,
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });

  it("Bruno Resource/Get resource configuration.bru: every ResourceExt property (camelCase, as the code's JsonPropertyName says)", async () => {
    await put(RESOURCE_FOR_TEST, { FileTransferTimeToLive: "P30D", PurgeFileTransferGracePeriod: "PT2H" });
    const res = await r.call("GET", `${BROKER}/resource/${RESOURCE_FOR_TEST}`, { token: serviceOwner });
    expect(res.status).toBe(200);
    const body = res.json as Record<string, unknown>;
    for (const k of [
      "maxFileTransferSize",
      "fileTransferTimeToLive",
      "purgeFileTransferAfterAllRecipientsConfirmed",
      "purgeFileTransferGracePeriod",
      "useManifestFileShim",
    ])
      expect(k in body, k).toBe(true);
    // TimeSpan.ToString() of 30 days and 2 hours.
    expect(body["fileTransferTimeToLive"]).toBe("30.00:00:00");
    expect(body["purgeFileTransferGracePeriod"]).toBe("02:00:00");
  });
});
