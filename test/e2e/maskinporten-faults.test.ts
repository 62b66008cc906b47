/**
 * Faults through the real CLI, injected with the emulator's control plane: a create whose response is lost
 * does not make a duplicate client, and throttling/unavailability is ridden out with retries.
 */
import { describe, expect, it } from "vitest";

import { adminToken, emulatorOrgs, selfService } from "../support/maskinporten.js";
import { localStacks } from "../support/local-stack.js";

const CONSUMER = "313000028"; // granted ttd:example.read in the default seed

function manifest(clientName: string): unknown {
  return { organization: CONSUMER, maskinporten: { clients: [{ name: clientName, scopes: ["ttd:example.read"], keys: ["k1"] }] } };
}
const RETRIES = { "altinn-onboarding:httpMaxAttempts": "4" };

async function fault(url: string, rule: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  expect(res.ok, await res.text()).toBe(true);
}

/** Every injected rule fired, so the test really went through the fault; then the rules are cleared. */
async function expectFaultsFired(url: string): Promise<void> {
  const rules = (await (await fetch(`${url}/__emulator/faults`)).json()) as { hits: number; path: string }[];
  expect(rules.length).toBeGreaterThan(0);
  for (const r of rules) expect(r.hits, `fault on ${r.path} never fired`).toBeGreaterThan(0);
  await fetch(`${url}/__emulator/faults`, { method: "DELETE" });
}

describe("Maskinporten faults through the real CLI", () => {
  const stacks = localStacks();

  async function clientsNamed(marker: string): Promise<{ client_id: string; description: string }[]> {
    const org = (await emulatorOrgs(stacks.url())).find((o) => o.orgNumber === CONSUMER)!;
    const token = await adminToken(stacks.url(), org);
    const list = (await selfService(stacks.url(), token, "GET", "/clients")).json as { client_id: string; description: string }[];
    return list.filter((c) => c.description.includes(marker));
  }

  it("does not duplicate a client when the create's response is lost", async () => {
    const project = await stacks.stack("e2e-lost-response", manifest("lost-response"), RETRIES);
    // The emulator applies the POST, then drops the connection: the provider never sees the answer.
    await fault(stacks.url(), { method: "POST", path: "/api/v1/clients", count: 1, dropResponse: true });
    const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    // Whether this up adopts the client at once or a second up does, there is one client, in state.
    if (up.code !== 0) await project.run(["up", "--yes", "--skip-preview"]);
    await expectFaultsFired(stacks.url());
    const marker = "iac:altinn-onboarding/e2e-lost-response/client-lost-response";
    const found = await clientsNamed(marker);
    expect(found).toHaveLength(1);
    const outputs = JSON.parse((await project.run(["stack", "output", "--json"])).stdout) as {
      clients: Record<string, { clientId: string }>;
    };
    expect(outputs.clients["lost-response"]?.clientId).toBe(found[0]?.client_id);
    await project.run(["destroy", "--yes", "--skip-preview"]);
  });

  it("retries 503 with Retry-After and 429 until the call goes through", async () => {
    const project = await stacks.stack("e2e-retries", manifest("retried"), RETRIES);
    await fault(stacks.url(), { method: "POST", path: "/api/v1/clients", count: 1, status: 429, retryAfter: 1 });
    await fault(stacks.url(), { method: "POST", path: "/api/v1/clients/*", count: 1, status: 503, retryAfter: 1 });
    const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    await expectFaultsFired(stacks.url());
    expect(await clientsNamed("iac:altinn-onboarding/e2e-retries/client-retried")).toHaveLength(1);
    await project.run(["destroy", "--yes", "--skip-preview"]);
  });
});
