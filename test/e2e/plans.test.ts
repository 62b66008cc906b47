/**
 * Plans a reviewer can trust, through the real CLI against the emulator: a change to a scope's text previews as
 * exactly one update; a client renamed by hand shows up in a drift report as `name` alone (no fields the user
 * never set); a clean refresh reads each resource with at most one GET where the API allows it (a client needs
 * two: the client and its key set); a no-change preview makes no API call; and every dynamic resource's
 * serialized provider stays tiny in state.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { adminToken, emulatorOrgs, selfService } from "../support/maskinporten.js";
import { localStacks, type LocalStack } from "../support/local-stack.js";
import { dynamicResources, providerSize, driftCheck } from "../support/pulumi-cli.js";

const PROVIDER = "311000012";
const CONSUMER = "313000028";

function manifest(readDescription = "Read orders"): unknown {
  return {
    organization: PROVIDER,
    maskinporten: {
      scopes: [
        { prefix: "ttd", subscope: "plans.read", description: readDescription, consumers: [CONSUMER, "314000013"] },
        { prefix: "ttd", subscope: "plans.write", description: "Write orders", consumers: [CONSUMER] },
      ],
      clients: [
        {
          name: "plans-reader",
          clientName: "plans reader",
          organization: CONSUMER,
          scopes: ["ttd:plans.read", "ttd:plans.write"],
          keys: ["k1"],
        },
      ],
    },
  };
}

interface Step {
  op: string;
  urn: string;
}

/** Requests the emulator has answered, by method and route template. */
async function requestCounts(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/__emulator/metrics`);
  const body = (await res.json()) as { requests: { method: string; route: string; count: number }[] };
  const out = new Map<string, number>();
  for (const r of body.requests) out.set(`${r.method} ${r.route}`, (out.get(`${r.method} ${r.route}`) ?? 0) + r.count);
  return out;
}

function delta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of after) if (!k.includes(" /__emulator/") && v - (before.get(k) ?? 0) > 0) out[k] = v - (before.get(k) ?? 0);
  return out;
}

describe("plans a reviewer can trust", () => {
  const stacks = localStacks();
  let project: LocalStack;

  beforeAll(async () => {
    project = await stacks.stack("e2e-plans", manifest());
    await project.run(["up", "--yes", "--skip-preview"]);
  });

  it("makes no API call in a preview without changes", async () => {
    const before = await requestCounts(stacks.url());
    const preview = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(delta(before, await requestCounts(stacks.url()))).toEqual({});
  });

  it("previews a scope's text change as exactly one update and nothing else", async () => {
    project.setManifest(manifest("Read orders and their lines"));
    const preview = await project.run(["preview", "--json"]);
    const plan = JSON.parse(preview.stdout) as { steps: Step[]; changeSummary: Record<string, number> };
    const changed = plan.steps.filter((s) => s.op !== "same");
    expect(changed.map((s) => s.op)).toEqual(["update"]);
    expect(changed[0]?.urn).toMatch(/maskinporten:Scope::scope-ttd:plans\.read$/);
    // Everything else (the other scope, three grants, the client, the story components and the stack) stays the same.
    expect(Object.keys(plan.changeSummary).sort()).toEqual(["same", "update"]);
    expect(plan.changeSummary.update).toBe(1);
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/1 updated/);
    expect(up.stdout).not.toMatch(/replaced|created|deleted/);
  });

  it("reads each resource with at most one GET in a clean refresh (a client: the client and its keys)", async () => {
    const before = await requestCounts(stacks.url());
    const refresh = await driftCheck(project);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
    const calls = delta(before, await requestCounts(stacks.url()));
    const gets = Object.fromEntries(Object.entries(calls).filter(([k]) => k.startsWith("GET /api/")));
    // 2 scopes + 3 grants: one GET each; 1 client: GET client + GET jwks.
    expect(gets).toEqual({
      "GET /api/v1/scopes": 2,
      "GET /api/v1/scopes/access": 3,
      "GET /api/v1/clients/:clientId": 1,
      "GET /api/v1/clients/:clientId/jwks": 1,
    });
    // Nothing but reads (and tokens) in a refresh.
    expect(Object.keys(calls).filter((k) => !k.startsWith("GET ") && k !== "POST /token")).toEqual([]);
  });

  it("reports a client renamed by hand as a change of name alone", async () => {
    const out = JSON.parse((await project.run(["stack", "output", "--json"])).stdout) as { clients: Record<string, { clientId: string }> };
    const clientId = out.clients["plans-reader"]?.clientId ?? "";
    const consumer = (await emulatorOrgs(stacks.url())).find((o) => o.orgNumber === CONSUMER);
    if (!consumer) throw new Error("seed has no consumer-a");
    const token = await adminToken(stacks.url(), consumer);
    const live = (await selfService(stacks.url(), token, "GET", `/clients/${clientId}`)).json as Record<string, unknown>;
    const { created: _c, last_updated: _u, ...rest } = live;
    expect(
      (await selfService(stacks.url(), token, "PUT", `/clients/${clientId}`, { ...rest, client_name: "renamed by hand" })).status,
    ).toBe(200);

    const refresh = await driftCheck(project, true);
    expect(refresh.code).not.toBe(0);
    // Every property line the diff shows: changed (~), added (+) or removed (-), under any resource.
    const props = refresh.stdout
      .split("\n")
      .filter((l) => /^\s+[~+-] [A-Za-z]\w*\s*:/.test(l))
      .map((l) => l.trim().replace(/\s+/g, " "));
    expect(props, refresh.stdout).toEqual(['~ name : "plans reader" => "renamed by hand"']);
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
  });

  it("keeps every dynamic resource's serialized provider under 2 KB in state", async () => {
    const resources = dynamicResources((await project.run(["stack", "export"])).stdout);
    expect(resources.length).toBe(6);
    for (const r of resources) {
      expect(r.outputs?.__provider, `${r.urn} has no __provider`).toBeDefined();
      expect(providerSize(r.outputs?.__provider), r.urn).toBeLessThan(2048);
      expect(providerSize(r.inputs?.__provider), r.urn).toBeLessThan(2048);
    }
  });
});
