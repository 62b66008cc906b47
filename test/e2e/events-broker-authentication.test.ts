/**
 * Events subscriptions, Broker settings and the System Register through the real Pulumi CLI against the emulator:
 * each kind goes up; a no-op preview makes no API call; changes by hand are caught by `refresh --preview-only
 * --expect-no-changes` and restored by `up --refresh`; a subscription to the emulator's sink validates and
 * receives an event published through Events; changing its filter creates the new subscription before deleting
 * the old, and no event published meanwhile is lost; a system-user request the customer accepts shows
 * `Accepted` on the next refresh; destroy does what each kind's page says.
 */
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { altinnCall, altinnTokenFor, countsSince, requestCounts } from "../support/altinn.js";
import { startTempEmulator, type TempEmulator } from "../support/emulator.js";
import { pulumiProject, type CliResult, type PulumiProject, driftCheck } from "../support/pulumi-cli.js";

const OWNER = "311000012";
const VENDOR = "312000016";
const RESOURCE = "ttd-e2e-invoices";
const SYSTEM = `${VENDOR}_e2e_orders`;
const TYPE = "no.altinn.broker.filetransferinitialized";

interface Outputs {
  subscriptionId: string;
  validated: boolean;
  requestId: string;
  requestStatus: string;
  confirmUrl: string;
}

describe("Events, Broker and System Register through the real CLI", () => {
  let emu: TempEmulator;
  let project: PulumiProject;
  let ownerToken: string;
  let vendorToken: string;
  const sink = (name: string) => `${emu.url}/__emulator/sink/${name}`;
  const outputs = async (): Promise<Outputs> => JSON.parse((await project.run(["stack", "output", "--json"])).stdout) as Outputs;
  const deliveries = async (name: string): Promise<{ body: { id?: string; type?: string } }[]> =>
    ((await (await fetch(sink(name))).json()) as { deliveries: { body: { id?: string; type?: string } }[] }).deliveries;
  /** Publishes an event through the emulator (as the service would), returning its id. */
  const publish = async (type: string): Promise<string> => {
    const id = crypto.randomUUID();
    const res = await fetch(`${emu.url}/__emulator/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id, type, source: "https://e2e.example/broker", resource: `urn:altinn:resource:${RESOURCE}` }),
    });
    if (res.status >= 300) throw new Error(`publish: ${res.status} ${await res.text()}`);
    return id;
  };
  /** A resource's outputs as state holds them (a refresh updates state, not the stack's outputs). */
  const stateOutputs = async (type: string): Promise<Record<string, unknown>> => {
    const doc = JSON.parse((await project.run(["stack", "export"])).stdout) as {
      deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] };
    };
    return doc.deployment.resources.find((r) => r.type === type)?.outputs ?? {};
  };

  beforeAll(async () => {
    emu = await startTempEmulator();
    await fetch(`${emu.url}/__emulator/options`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ altinn: { eventsRetryFactor: 0.001, brokerDeployMs: 500 } }),
    });
    ownerToken = await altinnTokenFor(
      emu.url,
      OWNER,
      ["altinn:serviceowner", "altinn:events.publish", "altinn:events.subscribe", "altinn:resourceregistry/resource.write"].filter(Boolean),
    );
    vendorToken = await altinnTokenFor(emu.url, VENDOR);
    project = pulumiProject(join(__dirname, "fixtures", "services"));
    await project.run(["stack", "init", "services", "--secrets-provider", "passphrase"]);
    for (const [k, v] of Object.entries({
      "altinn-onboarding:environment": "local",
      "altinn-onboarding:emulatorUrl": emu.url,
      resource: RESOURCE,
      sink: sink("invoices"),
      eventType: TYPE,
      system: "e2e_orders",
    }))
      await project.run(["config", "set", k, v]);
  });
  afterAll(async () => {
    project?.cleanup();
    await emu?.close();
  });

  const refreshFinds = async (): Promise<CliResult> => {
    const r = await driftCheck(project, true);
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    return r;
  };
  const settled = async (): Promise<void> => {
    const r = await driftCheck(project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  };

  it("goes up: the subscription is validated, Broker is initialised and configured, the system registered and the request sent", async () => {
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/8 created/);
    const o = await outputs();
    expect(o.validated).toBe(true);
    expect(o.requestStatus).toBe("New");
    expect(o.confirmUrl).toContain(o.requestId);
    const settings = (await altinnCall(emu.url, ownerToken, "GET", `/broker/api/v1/resource/${RESOURCE}`)).json as {
      fileTransferTimeToLive: string;
    };
    expect(settings.fileTransferTimeToLive).toBe("30.00:00:00");
    expect((await altinnCall(emu.url, vendorToken, "GET", `/authentication/api/v1/systemregister/vendor/${SYSTEM}`)).status).toBe(200);
  });

  it("makes no API call in a preview without changes", async () => {
    const before = await requestCounts(emu.url);
    const preview = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(countsSince(before, await requestCounts(emu.url))).toEqual({});
  });

  it("delivers an event published through Events to the subscription's sink", async () => {
    const id = await publish(TYPE);
    const got = await deliveries("invoices");
    expect(got.some((d) => d.body.id === id)).toBe(true);
  });

  it("catches Broker settings and a system changed by hand, and restores them", async () => {
    const put = await altinnCall(emu.url, ownerToken, "PUT", `/broker/api/v1/resource/${RESOURCE}`, {
      json: { fileTransferTimeToLive: "P7D" },
    });
    expect(put.status).toBeLessThan(300);
    const system = (await altinnCall(emu.url, vendorToken, "GET", `/authentication/api/v1/systemregister/vendor/${SYSTEM}`)).json as Record<
      string,
      unknown
    >;
    const renamed = { ...system, name: { en: "Renamed by hand", nb: "x", nn: "x" } };
    expect(
      (await altinnCall(emu.url, vendorToken, "PUT", `/authentication/api/v1/systemregister/vendor/${SYSTEM}`, { json: renamed })).status,
    ).toBe(200);
    const r = await refreshFinds();
    expect(r.stdout).toMatch(/fileTransferTimeToLive/);
    expect(r.stdout).toContain("Renamed by hand");
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    await settled();
    const settings = (await altinnCall(emu.url, ownerToken, "GET", `/broker/api/v1/resource/${RESOURCE}`)).json as {
      fileTransferTimeToLive: string;
    };
    expect(settings.fileTransferTimeToLive).toBe("30.00:00:00");
  });

  it("catches a subscription deleted by hand and makes it again", async () => {
    const { subscriptionId } = await outputs();
    expect((await altinnCall(emu.url, ownerToken, "DELETE", `/events/api/v1/subscriptions/${subscriptionId}`)).status).toBe(200);
    await refreshFinds();
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    await settled();
    expect((await outputs()).validated).toBe(true);
  });

  it("shows the request Accepted on the next refresh once the customer accepts", async () => {
    const { requestId } = await outputs();
    expect((await fetch(`${emu.url}/__emulator/systemuser-requests/${requestId}/accept`, { method: "POST" })).status).toBeLessThan(300);
    await project.run(["refresh", "--yes", "--skip-preview"]);
    expect((await stateOutputs("pulumi-nodejs:dynamic/authentication:SystemUserRequest")).status).toBe("Accepted");
    await settled();
  });

  it("replaces a subscription whose filter changes new-before-old, losing no event published meanwhile", async () => {
    const old = (await outputs()).subscriptionId;
    await project.run(["config", "rm", "eventType"]);
    const published: string[] = [];
    let done = false;
    const publisher = (async () => {
      while (!done) {
        published.push(await publish(TYPE));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let up: CliResult;
    try {
      up = await project.run(["up", "--yes", "--skip-preview"]);
    } finally {
      done = true;
      await publisher;
    }
    expect(up.stdout).toMatch(/1 replaced/);
    // The replacement's steps: the new subscription is created before the old one is deleted.
    const created = up.stdout.search(/\+\+ +pulumi-nodejs:dynamic\/events:Subscription invoices-events creating/);
    const deleted = up.stdout.search(/- +pulumi-nodejs:dynamic\/events:Subscription invoices-events deleting/);
    expect(created).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeGreaterThan(created);
    const now = await outputs();
    expect(now.subscriptionId).not.toBe(old);
    expect(published.length).toBeGreaterThan(3);
    const ids = new Set((await deliveries("invoices")).map((d) => d.body.id));
    expect(published.filter((id) => !ids.has(id))).toEqual([]);
  });

  it("destroy does what each kind's page says", async () => {
    const { subscriptionId, requestId } = await outputs();
    const destroy = await project.run(["destroy", "--yes", "--skip-preview"]);
    const text = destroy.stdout + destroy.stderr;
    expect(text).toMatch(/Broker service owner 311000012 stays in Broker/);
    expect(text).toMatch(/Broker keeps the settings of resource ttd-e2e-invoices/);
    expect((await altinnCall(emu.url, ownerToken, "GET", `/events/api/v1/subscriptions/${subscriptionId}`)).status).toBe(404);
    const system = (await altinnCall(emu.url, vendorToken, "GET", `/authentication/api/v1/systemregister/vendor/${SYSTEM}`)).json as {
      isDeleted?: boolean;
    };
    expect(system.isDeleted).toBe(true);
    expect((await altinnCall(emu.url, ownerToken, "GET", `/broker/api/v1/resource/${RESOURCE}`)).status).toBe(200);
    expect(requestId).toBeTruthy();
  });
});
