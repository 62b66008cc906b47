// Events subscriptions, Broker settings and the System Register kinds against the in-process emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runtime } from "../../providers/serve.js";
import { brokerRules } from "../../providers/resourceregistry/policy/ruleSets.js";
import type { Props } from "../../providers/runtime/contract.js";
import { altinnCall, altinnTokenFor, countsSince, requestCounts } from "../support/altinn.js";
import { SERVICE_OWNER, checkVia, createVia, startProviderEnv, type ProviderTestEnv } from "./support.js";

const VENDOR = "312000016";
const CUSTOMER = "313000028";
let t: ProviderTestEnv;
let ownerToken: string;
let n = 0;

beforeAll(async () => {
  t = await startProviderEnv();
  ownerToken = await altinnTokenFor(t.emu.url, SERVICE_OWNER);
  await fetch(`${t.emu.url}/__emulator/options`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ altinn: { eventsRetryFactor: 0.001, brokerDeployMs: 300 } }),
  });
});
afterAll(async () => {
  await t.close();
});

const TEXT = { en: "Orders", nb: "Ordrer", nn: "Ordrar" };
async function resource(type: string): Promise<string> {
  const id = `ttd-eba-${Date.now().toString(36)}-${n++}`;
  await createVia("resourceregistry:Resource", {
    identifier: id,
    title: TEXT,
    description: TEXT,
    rightDescription: TEXT,
    resourceType: type,
    hasCompetentAuthority: { organization: SERVICE_OWNER, orgcode: "ttd" },
  });
  // Events asks the resource's policy whether a subscriber may `subscribe` (the owner too).
  await createVia("resourceregistry:Policy", {
    organization: SERVICE_OWNER,
    resource: id,
    rules: brokerRules({ ownerOrgCode: "ttd", recipients: [CUSTOMER] }),
  });
  return id;
}

describe("EventSubscription", () => {
  it("subscribes the owner to its resource, waits until validated, and receives a published event", async () => {
    const id = await resource("CorrespondenceService");
    const sink = `${t.emu.url}/__emulator/sink/sub-${n++}`;
    const {
      id: subId,
      outs,
      inputs,
    } = await createVia("events:Subscription", {
      organization: SERVICE_OWNER,
      serviceOwner: true,
      endpoint: sink,
      resource: `urn:altinn:resource:${id.toUpperCase()}`,
      type: "no.altinn.correspondence.correspondencepublished",
    });
    expect(outs.validated).toBe(true);
    expect(outs.resourceFilter).toBe(`urn:altinn:resource:${id}`);
    // The user's spelling of the resource is kept: it means the same.
    expect(outs.resource).toBe(`urn:altinn:resource:${id.toUpperCase()}`);
    expect((await runtime.diff(subId, (await runtime.read(subId, outs)).props ?? {}, inputs)).changes).toBe(false);

    const published = await fetch(`${t.emu.url}/__emulator/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        resource: `urn:altinn:resource:${id}`,
        type: "no.altinn.correspondence.correspondencepublished",
        source: "https://example/x",
      }),
    });
    expect(published.status).toBeLessThan(300);
    const got = (await (await fetch(`${sink}?type=no.altinn.correspondence.correspondencepublished`)).json()) as { deliveries: unknown[] };
    expect(got.deliveries).toHaveLength(1);
  });

  it("never replaces for a change of spelling only, and replaces for a real filter change", async () => {
    const base = { organization: SERVICE_OWNER, serviceOwner: true, endpoint: "http://127.0.0.1:1/hook", resource: "ttd-x-resource" };
    const olds = { ...base, resourceFilter: "urn:altinn:resource:ttd-x-resource", validated: true };
    const spelled = await runtime.diff("1", olds, {
      ...base,
      resource: "urn:altinn:resource:TTD-X-RESOURCE",
      resourceKind: "events:Subscription",
    });
    expect(spelled).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    const typed = await runtime.diff("1", olds, { ...base, type: "no.altinn.broker.published", resourceKind: "events:Subscription" });
    expect(typed).toEqual({ changes: true, replaces: ["typeFilter"], deleteBeforeReplace: false });
  });

  it("keeps a subscription that never validates in state, with its id, saying what to check", async () => {
    const id = await resource("CorrespondenceService");
    const name = `failing-${n++}`;
    await fetch(`${t.emu.url}/__emulator/sink/${name}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: 500 }),
    });
    const err = (await createVia("events:Subscription", {
      organization: SERVICE_OWNER,
      serviceOwner: true,
      endpoint: `${t.emu.url}/__emulator/sink/${name}`,
      resource: id,
      validationTimeoutSeconds: 1,
    }).catch((e: unknown) => e)) as { id?: string; properties?: Props; message: string };
    expect(err.message).toMatch(/has not been validated|has not validated/);
    expect(err.message).toMatch(/answers 2xx to the validation event/);
    expect(err.id).toMatch(/^\d+$/);
    expect(err.properties?.validated).toBe(false);
    expect(err.properties?.resourceKind).toBe("events:Subscription");
  });

  it("refuses plain http to another host, and an unknown subject, at check", async () => {
    const r = await checkVia("events:Subscription", {
      organization: SERVICE_OWNER,
      endpoint: "http://hooks.example/x",
      resource: "ttd-abc",
      subject: "313000028",
    });
    expect(r.failures.map((f) => f.property)).toEqual(["endpoint", "subject"]);
  });
});

describe("BrokerServiceOwner and BrokerResourceSettings", () => {
  it("initialises the service owner once, waits for its storage, and adopts an existing one", async () => {
    const first = await createVia("broker:ServiceOwner", { organization: SERVICE_OWNER, name: "Testetaten" });
    expect(first.id).toBe(SERVICE_OWNER);
    expect(first.outs.storageReady).toBe(true);
    const again = await createVia("broker:ServiceOwner", { organization: SERVICE_OWNER, name: "Testetaten" });
    expect(again.outs.storageReady).toBe(true);
  });

  it("writes only the declared settings, compares durations as durations, and sends no PUT when equal", async () => {
    await createVia("broker:ServiceOwner", { organization: SERVICE_OWNER, name: "Testetaten" });
    const id = await resource("BrokerService");
    const { outs, inputs } = await createVia("broker:ResourceSettings", {
      organization: SERVICE_OWNER,
      resource: id,
      fileTransferTimeToLive: "P30D",
      purgeFileTransferGracePeriod: "02:00:00",
      maxFileTransferSize: 2_147_483_648,
    });
    const live = (await altinnCall(t.emu.url, ownerToken, "GET", `/broker/api/v1/resource/${id}`)).json as Record<string, unknown>;
    expect(live.fileTransferTimeToLive).toBe("30.00:00:00");
    expect(outs.fileTransferTimeToLive).toBe("P30D");
    const read = await runtime.read(id, outs);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(false);
    const before = await requestCounts(t.emu.url);
    await runtime.update(id, read.props ?? {}, { ...inputs, fileTransferTimeToLive: 2_592_000 });
    expect(Object.keys(countsSince(before, await requestCounts(t.emu.url))).filter((k) => k.startsWith("PUT"))).toEqual([]);
  });

  it("checks Broker's limits at preview", async () => {
    const r = await checkVia("broker:ResourceSettings", {
      resource: "ttd-abcd",
      fileTransferTimeToLive: "P400D",
      purgeFileTransferGracePeriod: "PT25H",
      maxFileTransferSize: 0,
    });
    expect(r.failures.map((f) => f.property).sort()).toEqual([
      "fileTransferTimeToLive",
      "maxFileTransferSize",
      "purgeFileTransferGracePeriod",
    ]);
  });
});

describe("SystemRegistration and SystemUserRequest", () => {
  it("registers a system, sends a request, sees it Accepted after the customer accepts, and Rejected as drift", async () => {
    const id = await resource("CorrespondenceService");
    const systemId = `${VENDOR}_orders_${n++}`;
    const system = await createVia("authentication:SystemRegistration", {
      vendor: VENDOR,
      systemId,
      name: TEXT,
      description: TEXT,
      rights: [{ resource: id }],
      allowedRedirectUrls: ["https://vendor.example/done"],
    });
    expect(system.id).toBe(systemId);
    expect((await runtime.diff(systemId, (await runtime.read(systemId, system.outs)).props ?? {}, system.inputs)).changes).toBe(false);

    const req = await createVia("authentication:SystemUserRequest", {
      vendor: VENDOR,
      systemId,
      partyOrgNo: CUSTOMER,
      rights: [{ resource: id }],
    });
    expect(req.outs.status).toBe("New");
    expect(String(req.outs.confirmUrl)).toContain(req.id);
    expect((await fetch(`${t.emu.url}/__emulator/systemuser-requests/${req.id}/accept`, { method: "POST" })).status).toBeLessThan(300);
    const accepted = await runtime.read(req.id, req.outs);
    expect(accepted.props?.status).toBe("Accepted");
    expect((await runtime.diff(req.id, accepted.props ?? {}, req.inputs)).changes).toBe(false);

    const other = await createVia("authentication:SystemUserRequest", {
      vendor: VENDOR,
      systemId,
      partyOrgNo: "314000013",
      rights: [{ resource: id }],
    });
    await fetch(`${t.emu.url}/__emulator/systemuser-requests/${other.id}/reject`, { method: "POST" });
    const rejected = await runtime.read(other.id, other.outs);
    expect(rejected.props?.status).toBe("Rejected");
    expect((await runtime.diff(other.id, rejected.props ?? {}, other.inputs)).changes).toBe(true);
    await expect(runtime.update(other.id, rejected.props ?? {}, other.inputs)).rejects.toThrow(/set a new externalRef/);
  });

  it("refuses an id without the vendor prefix and a reused deleted id", async () => {
    const r = await checkVia("authentication:SystemRegistration", {
      vendor: VENDOR,
      systemId: "313000028_x",
      name: TEXT,
      description: TEXT,
    });
    expect(r.failures).toEqual([expect.objectContaining({ property: "systemId" })]);
    const systemId = `${VENDOR}_gone_${n++}`;
    const made = await createVia("authentication:SystemRegistration", { vendor: VENDOR, systemId, name: TEXT, description: TEXT });
    await runtime.delete(made.id, made.outs);
    await expect(
      createVia("authentication:SystemRegistration", { vendor: VENDOR, systemId, name: TEXT, description: TEXT }),
    ).rejects.toThrow(/never frees an id/);
  });
});

describe("OnboardingPrecondition", () => {
  it("holds for a granted scope, stops create for one never granted, and reports one revoked since as drift", async () => {
    const { adminCall } = await import("./support.js");
    // ttd:example.read is granted to consumer-a (313000028) in the seed.
    const ok = await createVia("onboarding:Precondition", { organization: "313000028", scopes: ["ttd:example.read"], purpose: "the test" });
    expect(ok.outs.holds).toBe(true);
    await expect(
      createVia("onboarding:Precondition", {
        organization: "314000013",
        scopes: ["ttd:example.read"],
        serviceOwnerCode: "ttd",
        purpose: "the test",
      }),
    ).rejects.toThrow(
      /scope ttd:example\.read: ask the scope's owner to grant it to organisation 314000013[\s\S]*not registered as the Altinn service owner "ttd"/,
    );

    expect((await adminCall(t.emu.url, SERVICE_OWNER, "DELETE", "/scopes/access/313000028?scope=ttd:example.read")).status).toBeLessThan(
      300,
    );
    const read = await runtime.read(ok.id, ok.outs);
    expect(read.props?.holds).toBe(false);
    expect(read.props?.missingScopes).toEqual(["ttd:example.read"]);
    expect((await runtime.diff(ok.id, read.props ?? {}, ok.inputs)).changes).toBe(true);
  });
});
