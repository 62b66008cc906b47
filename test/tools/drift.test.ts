/**
 * The drift report (tools/ops/drift.ts) from hand-written `refresh --preview-only` events: drifted fields as
 * declared vs live (sets as what live lacks and has besides, secrets masked), resources gone, keys expiring
 * within their renewal window, and system-user requests waiting for customers. The events are written by hand
 * in the shapes the CLI streams (a `pulumi-nodejs:dynamic/authentication:SystemUserRequest` has outputs `status`
 * and `confirmUrl` and input `partyOrgNo`); test/e2e/ops-altinn.test.ts covers the same through the real CLI.
 */
import { describe, expect, it } from "vitest";

import { driftMarkdown, driftReport } from "../../tools/ops/drift.js";
import { parseEvents } from "../../tools/ops/events.js";
import { CLIENT, clientInputs, clientOutputs, diagnostic, GRANT, SCOPE, SECRET_ENVELOPE, step, summary } from "./events.js";

const NOW = Date.parse("2026-12-01T00:00:00Z");
const FAR = "2027-11-30T00:00:00.000Z";
const SOON = "2026-12-11T00:00:00.000Z"; // 10 days after NOW: inside a 30-day renewal window

/** A refresh: the pre-event says "refresh", the outputs event says what the refresh found. */
function refreshed(
  op: string,
  type: string,
  name: string,
  declared: { id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> },
  live?: Record<string, unknown>,
  liveInputs?: Record<string, unknown>,
): string {
  const pre = step("refresh", type, name, declared, declared).split("\n")[0];
  const post = step(
    op,
    type,
    name,
    declared,
    live ? { id: declared.id, inputs: liveInputs ?? declared.inputs, outputs: live } : undefined,
  ).split("\n")[1];
  return `${pre}\n${post}`;
}

const grant = {
  id: "313000028@ttd:orders.read",
  inputs: { organization: "311000012", scope: "ttd:orders.read", consumerOrg: "313000028" },
};
const grantOut = { ...grant.inputs, state: "APPROVED" };

describe("drift found by a refresh", () => {
  const declaredClient = {
    id: "7b0f",
    inputs: clientInputs({ scopes: ["ttd:orders.read", "ttd:orders.write"] }),
    outputs: clientOutputs({ "2026-11": FAR }),
  };
  const events = [
    refreshed("same", GRANT, "grant-ttd:orders.read-313000028", { ...grant, outputs: grantOut }, grantOut),
    refreshed(
      "update",
      CLIENT,
      "client-orders-reader",
      declaredClient,
      clientOutputs(
        { "2026-11": FAR },
        { name: "renamed by hand", scopes: ["ttd:orders.read", "ttd:other"], privateJwks: SECRET_ENVELOPE },
      ),
    ),
    refreshed("delete", SCOPE, "scope-ttd:orders.old", {
      id: "ttd:orders.old",
      inputs: { prefix: "ttd", subscope: "orders.old" },
      outputs: {},
    }),
    diagnostic("debug", "Registering resource: t=pulumi:pulumi:Stack"),
    summary("succeeded", { same: 1, update: 1, delete: 1 }),
  ].join("\n");
  const report = driftReport("test", parseEvents(events), NOW);
  const md = driftMarkdown(report);

  it("names each drifted resource and field, declared against live", () => {
    expect(report.drift).toBe(true);
    expect(report.resourcesChecked).toBe(3);
    const client = report.drifted.find((d) => d.name === "client-orders-reader");
    expect(client?.status).toBe("changed");
    expect(client?.fields.find((f) => f.field === "name")).toEqual({
      field: "name",
      declared: "Orders reader",
      live: "renamed by hand",
      replace: false,
    });
    expect(md).toContain("#### `maskinporten:Client` `client-orders-reader` (id `7b0f`): changed outside Pulumi");
    expect(md).toContain('| `name` | `"Orders reader"` | `"renamed by hand"` |  |');
  });

  it("shows a set as what live lacks and what it has besides", () => {
    const scopes = report.drifted[0]?.fields.find((f) => f.field === "scopes");
    expect(scopes?.missingLive).toEqual(["ttd:orders.write"]);
    expect(scopes?.extraLive).toEqual(["ttd:other"]);
    expect(md).toContain("live lacks `ttd:orders.write`; live also has `ttd:other`");
  });

  it("reports a resource deleted outside Pulumi as gone", () => {
    expect(report.drifted.find((d) => d.name === "scope-ttd:orders.old")?.status).toBe("gone");
    expect(md).toContain("#### `maskinporten:Scope` `scope-ttd:orders.old` (id `ttd:orders.old`): gone (deleted outside Pulumi)");
  });

  it("never carries a secret's ciphertext or signature", () => {
    expect(JSON.stringify(report)).not.toContain("1b47061264138c4ac30d75fd1eb44270");
    expect(md).not.toContain("ciphertext");
  });
});

describe("the kind's plan decides, not the engine's op", () => {
  it("finds drift in a refresh whose only event says op refresh, with the value read live", () => {
    const declared = { id: "7b0f", inputs: clientInputs(), outputs: clientOutputs({ "2026-11": FAR }) };
    const live = clientOutputs({ "2026-11": FAR }, { name: "renamed by hand" });
    const onlyRefresh = step("refresh", CLIENT, "client-orders-reader", declared, { id: "7b0f", inputs: declared.inputs, outputs: live });
    const report = driftReport("test", parseEvents(onlyRefresh), NOW);
    expect(report.drifted[0]?.fields.map((f) => f.field)).toEqual(["name"]);
  });
});

describe("no drift", () => {
  it("says so and reports nothing", () => {
    const events = refreshed("same", GRANT, "grant-ttd:orders.read-313000028", { ...grant, outputs: grantOut }, grantOut);
    const report = driftReport("prod", parseEvents(events), NOW);
    expect(report.drift).toBe(false);
    expect(report.drifted).toEqual([]);
    expect(driftMarkdown(report)).toContain("**No drift.** 1 resources match what was declared at the last `up`.");
  });
});

describe("keys expiring within the renewal window", () => {
  const declared = {
    id: "7b0f",
    inputs: clientInputs({ keys: ["2026-11", "2027-05"], keyRenewalDays: 30 }),
    outputs: clientOutputs({ "2026-11": FAR, "2027-05": FAR }),
  };
  const live = clientOutputs({ "2026-11": SOON, "2027-05": FAR });
  const report = driftReport("test", parseEvents(refreshed("update", CLIENT, "client-orders-reader", declared, live)), NOW);

  it("lists the key with its expiry and the window, and counts it as drift (up renews it)", () => {
    expect(report.expiringKeys).toEqual([
      {
        resource: "client-orders-reader",
        kind: "maskinporten:Client",
        key: "2026-11",
        kid: "kid-2026-11",
        expiresAt: SOON,
        daysLeft: 10,
        renewalDays: 30,
      },
    ]);
    expect(report.drifted[0]?.fields.find((f) => f.field === "keys")?.missingLive).toEqual(["2026-11"]);
    const md = driftMarkdown(report);
    expect(md).toContain(`| \`client-orders-reader\` | \`2026-11\` | \`kid-2026-11\` | ${SOON} | 10 | 30 days |`);
    expect(md).toContain("live lacks `2026-11` (expiring within the renewal window: `up` registers it again)");
  });

  it("uses the declared renewal window: a 7-day window does not flag a key 10 days from expiry", () => {
    const short = { ...declared, inputs: clientInputs({ keys: ["2026-11", "2027-05"], keyRenewalDays: 7 }) };
    const r = driftReport("test", parseEvents(refreshed("same", CLIENT, "client-orders-reader", short, live)), NOW);
    expect(r.expiringKeys).toEqual([]);
  });
});

describe("system-user requests waiting for customers", () => {
  const TYPE = "pulumi-nodejs:dynamic/authentication:SystemUserRequest";
  const inputs = { vendor: "312000016", systemId: "312000016_orders", partyOrgNo: "313000028", rights: [{ resource: "ttd-orders" }] };
  const request = (status: string) => ({
    id: "req-1",
    inputs,
    outputs: {
      ...inputs,
      requestId: "req-1",
      status,
      confirmUrl: "https://authn.ui.tt02.altinn.no/authfront/ui/auth/vendorrequest?id=req-1",
    },
  });

  it("lists a request still New with its customer and confirm URL, without calling it drift", () => {
    const r = request("New");
    const report = driftReport("test", parseEvents(refreshed("same", TYPE, "sur-kunde-a", r, r.outputs)), NOW);
    expect(report.waitingRequests).toEqual([
      {
        resource: "sur-kunde-a",
        kind: "authentication:SystemUserRequest",
        id: "req-1",
        customer: "313000028",
        status: "New",
        confirmUrl: r.outputs.confirmUrl,
      },
    ]);
    expect(report.drift).toBe(false);
    expect(driftMarkdown(report)).toContain(`| \`sur-kunde-a\` | 313000028 | New | ${r.outputs.confirmUrl} |`);
  });

  it("does not list an accepted request", () => {
    const r = request("Accepted");
    expect(driftReport("test", parseEvents(refreshed("same", TYPE, "sur-kunde-a", r, r.outputs)), NOW).waitingRequests).toEqual([]);
  });
});

describe("a kind the plans API does not know", () => {
  it("is compared field by field, declared inputs against live outputs", () => {
    const TYPE = "pulumi-nodejs:dynamic/example:Webhook"; // no kind has this token
    const declared = {
      id: "sub-1",
      inputs: { endpoint: "https://hooks.example.no/orders", sourceFilter: "urn:altinn:resource:ttd-orders" },
      outputs: {},
    };
    const live = { endpoint: "https://hooks.example.no/other", sourceFilter: "urn:altinn:resource:ttd-orders", createdAt: "2026-11-01" };
    const report = driftReport("test", parseEvents(refreshed("update", TYPE, "orders-hook", declared, live)), NOW);
    expect(report.drifted[0]?.byKindPlan).toBe(false);
    expect(report.drifted[0]?.fields).toEqual([
      { field: "endpoint", declared: "https://hooks.example.no/orders", live: "https://hooks.example.no/other", replace: false },
    ]);
  });
});
