/**
 * Refusals through the real CLI: bad input fails before any API call and changes nothing; a scope the
 * organisation was never granted fails naming the scope, the organisation and what to do.
 */
import { describe, expect, it } from "vitest";

import { localStacks } from "../support/local-stack.js";

const CONSUMER = "313000028";

interface Metrics {
  requests: { method: string; route: string; status: number; count: number }[];
}

async function selfServiceCalls(url: string): Promise<number> {
  const m = (await (await fetch(`${url}/__emulator/metrics`)).json()) as Metrics;
  return m.requests.filter((r) => r.route.startsWith("/api/v1") && r.method !== "GET").reduce((n, r) => n + r.count, 0);
}

describe("Maskinporten refusals through the real CLI", () => {
  const stacks = localStacks();

  it("rejects a bad manifest before any API call, naming the path and the rule", async () => {
    const project = await stacks.stack("e2e-bad-input", {
      organization: CONSUMER,
      maskinporten: {
        clients: [
          { name: "orders-reader", scopes: ["ttd:orders.read", "not a scope"], keys: ["k1"] },
          { name: "second", organization: "313000029", scopes: ["ttd:orders.read"] },
        ],
      },
    });
    const before = await selfServiceCalls(stacks.url());
    const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    const output = up.stdout + up.stderr;
    expect(up.code).not.toBe(0);
    expect(output).toContain("maskinporten.clients[0].scopes[1]: a scope is <prefix>:<subscope>");
    expect(output).toMatch(/maskinporten\.clients\[1\]\.organization: .*MOD11/);
    expect(output).not.toMatch(/at Object\.<anonymous>/); // a message, not a stack trace
    expect(await selfServiceCalls(stacks.url())).toBe(before);
    const exported = JSON.parse((await project.run(["stack", "export"])).stdout) as { deployment: { resources?: { type: string }[] } };
    expect((exported.deployment.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    if (process.env.E2E_DEBUG) console.log(output);
  });

  it("explains a scope the organisation was never granted, naming scope, organisation and remedy", async () => {
    const project = await stacks.stack("e2e-not-granted", {
      organization: "314000013",
      maskinporten: { clients: [{ name: "sneaky", scopes: ["ttd:example.read"], keys: ["k1"] }] },
    });
    const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    const output = up.stdout + up.stderr;
    expect(up.code).not.toBe(0);
    expect(output).toContain("ttd:example.read");
    expect(output).toContain("314000013");
    expect(output).toMatch(/ask|grant/i);
    expect(output).not.toMatch(/Bearer [A-Za-z0-9._-]{20,}/); // no credentials in the error
    if (process.env.E2E_DEBUG) console.log(output);
  });
});
