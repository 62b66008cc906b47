// MaskinportenScope and MaskinportenScopeGrant against the in-process emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runtime } from "../../providers/serve.js";
import type { Props } from "../../providers/runtime/contract.js";
import {
  CONSUMER_A,
  CONSUMER_B,
  SERVICE_OWNER,
  adminCall,
  checkVia,
  createVia,
  startProviderEnv,
  type ProviderTestEnv,
} from "./support.js";

let t: ProviderTestEnv;
beforeAll(async () => {
  t = await startProviderEnv();
});
afterAll(async () => {
  await t.close();
});

let n = 0;
function scopeArgs(extra: Props = {}): Props {
  n++;
  return {
    organization: SERVICE_OWNER,
    prefix: "ttd",
    subscope: `orders/v${n}.read`,
    description: "Orders API",
    atMaxAge: "PT5M",
    ...extra,
  };
}

describe("MaskinportenScope", () => {
  it("creates a scope, reads it back without changes, and names the scope", async () => {
    const { id, outs, inputs } = await createVia("maskinporten:Scope", scopeArgs());
    expect(id).toBe(`ttd:orders/v${n}.read`);
    expect(outs.name).toBe(id);
    expect(outs.ownerOrgNumber).toBe(SERVICE_OWNER);
    const live = (await adminCall(t.emu.url, SERVICE_OWNER, "GET", `/scopes?scope=${encodeURIComponent(id)}`)).body as Record<
      string,
      unknown
    >;
    const one = (Array.isArray(live) ? live[0] : live) as { at_max_age: number; allowed_integration_types: string[] };
    expect(one.at_max_age).toBe(300);
    expect(one.allowed_integration_types).toEqual(["maskinporten"]);
    const read = await runtime.read(id, outs);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(false);
    expect(read.props?.atMaxAge).toBe("PT5M");
  });

  it("detects a changed description, updates in place, and replaces on a subscope change", async () => {
    const { id, outs, inputs } = await createVia("maskinporten:Scope", scopeArgs());
    const live = (await adminCall(t.emu.url, SERVICE_OWNER, "GET", `/scopes?scope=${encodeURIComponent(id)}`)).body;
    const one = (Array.isArray(live) ? live[0] : live) as Record<string, unknown>;
    expect(
      (await adminCall(t.emu.url, SERVICE_OWNER, "PUT", `/scopes?scope=${encodeURIComponent(id)}`, { ...one, description: "changed" }))
        .status,
    ).toBe(200);
    const read = await runtime.read(id, outs);
    expect(read.props?.description).toBe("changed");
    const diff = await runtime.diff(id, read.props ?? {}, inputs);
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual([]);
    const upd = await runtime.update(id, read.props ?? {}, inputs);
    expect(upd.outs?.description).toBe("Orders API");
    expect((await runtime.diff(id, outs, { ...inputs, subscope: "other" })).replaces).toEqual(["subscope"]);
  });

  it("deactivates on delete and reactivates when created again", async () => {
    const a = scopeArgs();
    const { id, outs } = await createVia("maskinporten:Scope", a);
    await runtime.delete(id, outs);
    expect((await runtime.read(id, outs)).id).toBe("");
    const again = await createVia("maskinporten:Scope", a);
    expect(again.id).toBe(id);
    expect(again.outs.active).toBe(true);
  });

  it("refuses to take over an existing active scope unless adopt is set", async () => {
    const a = scopeArgs();
    await createVia("maskinporten:Scope", a);
    await expect(createVia("maskinporten:Scope", a)).rejects.toThrow(/already exists and is active.*adopt: true/s);
    const adopted = await createVia("maskinporten:Scope", { ...a, adopt: true, description: "adopted" });
    expect(adopted.outs.description).toBe("adopted");
  });

  it("checks the prefix and subscope syntax offline", async () => {
    const r = await checkVia("maskinporten:Scope", scopeArgs({ prefix: "Ttd", subscope: "/bad" }));
    expect(r.failures.map((f) => f.property).sort()).toEqual(["prefix", "subscope"]);
  });
});

describe("MaskinportenScopeGrant", () => {
  it("grants, surfaces a revocation as DENIED drift, grants again, and revokes on delete", async () => {
    const scope = await createVia("maskinporten:Scope", scopeArgs());
    const g = await createVia("maskinporten:ScopeGrant", { organization: SERVICE_OWNER, scope: scope.id, consumerOrg: CONSUMER_B });
    expect(g.outs.state).toBe("APPROVED");
    expect((await runtime.diff(g.id, g.outs, g.inputs)).changes).toBe(false);

    const revoked = await adminCall(
      t.emu.url,
      SERVICE_OWNER,
      "DELETE",
      `/scopes/access/${CONSUMER_B}?scope=${encodeURIComponent(scope.id)}`,
    );
    expect(revoked.status).toBe(200);
    const read = await runtime.read(g.id, g.outs);
    if (read.id === "") throw new Error("a revoked grant must be surfaced as DENIED, not hidden");
    expect(read.props?.state).toBe("DENIED");
    expect((await runtime.diff(g.id, read.props ?? {}, g.inputs)).changes).toBe(true);
    const again = await runtime.update(g.id, read.props ?? {}, g.inputs);
    expect(again.outs?.state).toBe("APPROVED");

    await runtime.delete(g.id, again.outs ?? {});
    const records = (await adminCall(t.emu.url, SERVICE_OWNER, "GET", `/scopes/access?scope=${encodeURIComponent(scope.id)}`)).body as {
      consumer_orgno: string;
      state: string;
    }[];
    expect(records.find((r) => r.consumer_orgno === CONSUMER_B)?.state ?? "none").not.toBe("APPROVED");
  });

  it("lets a granted consumer put the scope on its client", async () => {
    const scope = await createVia("maskinporten:Scope", scopeArgs());
    await createVia("maskinporten:ScopeGrant", { organization: SERVICE_OWNER, scope: scope.id, consumerOrg: CONSUMER_A });
    const client = await createVia("maskinporten:Client", {
      organization: CONSUMER_A,
      name: "consumer",
      marker: `iac:test/local/consumer-${n}`,
      scopes: [scope.id],
      keys: ["k"],
    });
    expect(client.outs.scopes).toEqual([scope.id]);
  });

  it("validates the consumer org number (MOD11) and replaces on a consumer change", async () => {
    const r = await checkVia("maskinporten:ScopeGrant", { scope: "ttd:x", consumerOrg: "313000029" });
    expect(r.failures).toEqual([{ property: "consumerOrg", reason: expect.stringMatching(/MOD11/) as unknown as string }]);
    const d = await runtime.diff(
      "x",
      { scope: "ttd:x", consumerOrg: CONSUMER_A, state: "APPROVED" },
      { scope: "ttd:x", consumerOrg: CONSUMER_B, resourceKind: "maskinporten:ScopeGrant" },
    );
    expect(d.replaces).toEqual(["consumerOrg"]);
  });
});
