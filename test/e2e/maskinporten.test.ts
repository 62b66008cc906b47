/**
 * Maskinporten as code through the real Pulumi CLI against the emulator (issue 5, section 4):
 * up -> token with the new key -> preview --expect-no-changes -> out-of-band change -> refresh --preview-only
 * --expect-no-changes fails naming the field -> up --refresh restores -> key rotation keeps a token obtainable
 * at every step -> no private key material in state or output -> destroy leaves nothing active.
 */
import { generateKeyPairSync } from "node:crypto";

import type * as jose from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { adminToken, clientToken, emulatorOrgs, selfService, type EmulatorOrg } from "../support/maskinporten.js";
import { localStacks, type LocalStack } from "../support/local-stack.js";
import type { CliResult } from "../support/pulumi-cli.js";

const PROVIDER = "311000012"; // ttd, owns the prefix "ttd" in the default seed
const CONSUMER = "313000028"; // consumer-a
const SCOPE = "ttd:e2e.orders";

/** Runs `action` while polling `probe` every 50 ms; returns the statuses the probe saw. */
async function whilePolling(action: () => Promise<unknown>, probe: () => Promise<{ status: number }>): Promise<number[]> {
  let done = false;
  const statuses: number[] = [];
  const loop = (async () => {
    while (!done) {
      statuses.push((await probe()).status);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await action();
  } finally {
    done = true;
    await loop;
  }
  return statuses;
}

function manifest(keys: string[], clientName = "e2e orders reader"): unknown {
  return {
    organization: PROVIDER,
    maskinporten: {
      scopes: [{ prefix: "ttd", subscope: "e2e.orders", description: "Orders API (e2e)", consumers: [CONSUMER] }],
      clients: [{ name: "orders-reader", clientName, organization: CONSUMER, scopes: [SCOPE], keys }],
    },
  };
}

interface Outputs {
  clients: Record<string, { clientId: string; keyIds: Record<string, string>; externalKeyIds: string[] }>;
  privateJwks: Record<string, Record<string, string>>;
  scopeGrants: Record<string, string>;
}

describe("Maskinporten onboarding through the real CLI", () => {
  const stacks = localStacks();
  let project: LocalStack;
  let consumer: EmulatorOrg;
  let provider: EmulatorOrg;
  const transcript: CliResult[] = [];

  const run = async (args: string[], allowFailure = false): Promise<CliResult> => {
    const r = await project.run(args, { allowFailure });
    transcript.push(r);
    return r;
  };
  const outputs = async (): Promise<Outputs> => JSON.parse((await run(["stack", "output", "--json", "--show-secrets"])).stdout) as Outputs;

  async function tokenWith(o: Outputs, keyName: string) {
    const client = o.clients["orders-reader"];
    const jwk = JSON.parse(o.privateJwks["orders-reader"]?.[keyName] ?? "null") as jose.JWK | null;
    if (!client || !jwk) throw new Error(`no client or key ${keyName} in outputs`);
    return clientToken(stacks.url(), client.clientId, jwk, [SCOPE]);
  }

  beforeAll(async () => {
    const orgs = await emulatorOrgs(stacks.url());
    consumer = orgs.find((o) => o.orgNumber === CONSUMER)!;
    provider = orgs.find((o) => o.orgNumber === PROVIDER)!;
    project = await stacks.stack("e2e-maskinporten", manifest(["k1"]));
  });

  it("creates scope, grant and client with a key, and the key obtains a token", async () => {
    await run(["up", "--yes", "--skip-preview"]);
    const o = await outputs();
    expect(o.scopeGrants[`${SCOPE} -> ${CONSUMER}`]).toBe("APPROVED");
    expect(o.clients["orders-reader"]?.keyIds.k1).toBeTruthy();
    const token = await tokenWith(o, "k1");
    expect(token.status, JSON.stringify(token.body)).toBe(200);
    expect(token.body.scope).toBe(SCOPE);
  });

  it("shows no changes on a second preview", async () => {
    const preview = await run(["preview", "--expect-no-changes"], true);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("finds an out-of-band change with refresh --preview-only and names the field", async () => {
    const o = await outputs();
    const clientId = o.clients["orders-reader"]!.clientId;
    const token = await adminToken(stacks.url(), consumer);
    const live = await selfService(stacks.url(), token, "GET", `/clients/${clientId}`);
    expect(live.status).toBe(200);
    // The documented flow: GET, change, PUT back without the server-owned timestamps.
    const { created: _c, last_updated: _u, ...rest } = live.json as Record<string, unknown>;
    const changed = { ...rest, client_name: "renamed by hand" };
    expect((await selfService(stacks.url(), token, "PUT", `/clients/${clientId}`, changed)).status).toBe(200);

    const refresh = await run(["refresh", "--preview-only", "--expect-no-changes", "--diff"], true);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout).toMatch(/~ name\s*: "e2e orders reader" => "renamed by hand"/);
  });

  it("restores the declared state with up --refresh", async () => {
    await run(["up", "--yes", "--refresh", "--skip-preview"]);
    const o = await outputs();
    const token = await adminToken(stacks.url(), consumer);
    const live = await selfService(stacks.url(), token, "GET", `/clients/${o.clients["orders-reader"]!.clientId}`);
    expect((live.json as { client_name: string }).client_name).toBe("e2e orders reader");
    const preview = await run(["preview", "--refresh", "--expect-no-changes"], true);
    expect(preview.code, preview.stdout).toBe(0);
  });

  it("rotates keys without a moment in which no key obtains a token", async () => {
    let o = await outputs();
    const clientId = o.clients["orders-reader"]!.clientId;
    const jwkOf = (out: Outputs, name: string) => JSON.parse(out.privateJwks["orders-reader"]![name]!) as jose.JWK;
    const k1 = jwkOf(o, "k1");

    // Step 1: add k2 next to k1. While `up` rewrites the key set, k1 must keep working.
    project.setManifest(manifest(["k1", "k2"]));
    const duringAdd = await whilePolling(
      () => run(["up", "--yes", "--skip-preview"]),
      () => clientToken(stacks.url(), clientId, k1, [SCOPE]),
    );
    o = await outputs();
    const k2 = jwkOf(o, "k2");
    expect((await clientToken(stacks.url(), clientId, k2, [SCOPE])).status).toBe(200);

    // Step 2: drop k1. While `up` runs, k2 must keep working; afterwards k1 is refused.
    project.setManifest(manifest(["k2"]));
    const duringRemove = await whilePolling(
      () => run(["up", "--yes", "--skip-preview"]),
      () => clientToken(stacks.url(), clientId, k2, [SCOPE]),
    );
    const refused = await clientToken(stacks.url(), clientId, k1, [SCOPE]);

    expect(duringAdd.length).toBeGreaterThan(3);
    expect(duringRemove.length).toBeGreaterThan(3);
    expect(duringAdd.filter((s) => s !== 200)).toEqual([]);
    expect(duringRemove.filter((s) => s !== 200)).toEqual([]);
    expect(refused.status).toBe(400);
    expect(refused.body.error_description).toMatch(/^MP-/);
  });

  /** The client's live JWKS, read as the consumer's admin client. */
  async function liveKeys(clientId: string): Promise<{ token: string; keys: Record<string, unknown>[] }> {
    const token = await adminToken(stacks.url(), consumer);
    const res = await selfService(stacks.url(), token, "GET", `/clients/${clientId}/jwks`);
    expect(res.status).toBe(200);
    return { token, keys: (res.json as { keys: Record<string, unknown>[] }).keys };
  }
  const publicPart = ({ created: _c, last_updated: _u, ...k }: Record<string, unknown>) => k;

  it("flags a key close to expiry as drift, and up renews it", async () => {
    const clientId = (await outputs()).clients["orders-reader"]!.clientId;
    const { token, keys } = await liveKeys(clientId);
    const soon = Math.floor(Date.now() / 1000) + 2 * 86400;
    // Someone re-registers the program's key with a short expiry (a smaller exp is allowed).
    const short = keys.map((k) => ({ ...publicPart(k), exp: soon }));
    expect((await selfService(stacks.url(), token, "POST", `/clients/${clientId}/jwks`, { keys: short })).status).toBe(200);

    const refresh = await run(["refresh", "--preview-only", "--expect-no-changes", "--diff"], true);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout).toMatch(/~ (keys|registeredKeys)/);

    await run(["up", "--yes", "--refresh", "--skip-preview"]);
    const renewed = (await liveKeys(clientId)).keys;
    expect(renewed).toHaveLength(keys.length);
    for (const k of renewed) expect(Number(k.exp)).toBeGreaterThan(Math.floor(Date.now() / 1000) + 300 * 86400);
  });

  it("leaves a key registered outside the program alone and reports it", async () => {
    const clientId = (await outputs()).clients["orders-reader"]!.clientId;
    const { token, keys } = await liveKeys(clientId);
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const external = {
      ...(publicKey.export({ format: "jwk" }) as Record<string, unknown>),
      kid: "registered-by-hand",
      use: "sig",
      alg: "RS256",
    };
    const set = [...keys.map(publicPart), external];
    expect((await selfService(stacks.url(), token, "POST", `/clients/${clientId}/jwks`, { keys: set })).status).toBe(200);

    await run(["up", "--yes", "--refresh", "--skip-preview"]);
    const o = await outputs();
    expect(o.clients["orders-reader"]?.externalKeyIds).toEqual(["registered-by-hand"]);
    expect((await liveKeys(clientId)).keys.map((k) => k.kid)).toContain("registered-by-hand");
    const preview = await run(["preview", "--refresh", "--expect-no-changes"], true);
    expect(preview.code, preview.stdout).toBe(0);
  });

  it("never writes private key material to state or output", async () => {
    const o = await outputs();
    const privateParts = Object.values(o.privateJwks["orders-reader"] ?? {}).map((j) => (JSON.parse(j) as { d: string }).d);
    expect(privateParts.length).toBeGreaterThan(0);
    const exported = (await run(["stack", "export"])).stdout;
    const logs = transcript
      .filter((r) => !r.stdout.includes('"privateJwks"'))
      .map((r) => r.stdout + r.stderr)
      .join("\n");
    for (const d of privateParts) {
      expect(exported).not.toContain(d);
      expect(logs).not.toContain(d);
    }
  });

  it("destroy leaves nothing active", async () => {
    const o = await outputs();
    const clientId = o.clients["orders-reader"]!.clientId;
    await run(["destroy", "--yes", "--skip-preview"]);
    const ctoken = await adminToken(stacks.url(), consumer);
    const clients = (await selfService(stacks.url(), ctoken, "GET", "/clients")).json as { client_id: string }[];
    expect(clients.map((c) => c.client_id)).not.toContain(clientId);
    const ptoken = await adminToken(stacks.url(), provider);
    const scope = await selfService(stacks.url(), ptoken, "GET", `/scopes?scope=${encodeURIComponent(SCOPE)}`);
    const scopeBody = (Array.isArray(scope.json) ? scope.json[0] : scope.json) as { active?: boolean } | undefined;
    expect(scope.status === 404 || scopeBody?.active === false).toBe(true);
    const access = await selfService(stacks.url(), ptoken, "GET", `/scopes/access?scope=${encodeURIComponent(SCOPE)}`);
    const records = (Array.isArray(access.json) ? access.json : []) as { consumer_orgno: string; state: string }[];
    expect(records.filter((r) => r.consumer_orgno === CONSUMER && r.state === "APPROVED")).toEqual([]);
  });
});
