// The Resource Registry kinds against the in-process emulator: resource, policy, access list, access-list mode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runtime } from "../../providers/serve.js";
import { correspondenceRules } from "../../providers/resourceregistry/policy/ruleSets.js";
import { buildXacml } from "../../providers/resourceregistry/policy/xacml.js";
import type { Props } from "../../providers/runtime/contract.js";
import { altinnCall, altinnTokenFor, countsSince, requestCounts, uploadPolicy } from "../support/altinn.js";
import {
  REGISTRY_TEXT,
  SERVICE_OWNER,
  registryResourceArgs,
  checkVia,
  createVia,
  startProviderEnv,
  type ProviderTestEnv,
} from "./support.js";

let t: ProviderTestEnv;
let token: string;
beforeAll(async () => {
  t = await startProviderEnv();
  token = await altinnTokenFor(t.emu.url, SERVICE_OWNER);
});
afterAll(async () => {
  await t.close();
});

const TEXT = REGISTRY_TEXT;
const resourceArgs = registryResourceArgs;
let n = 0;
const fresh = (): string => `ttd-test-${Date.now().toString(36)}-${n++}`;

const RR = "/resourceregistry/api/v1";

describe("AltinnResource", () => {
  it("creates a resource, reads it back with no change, and makes no PUT when nothing changed", async () => {
    const id = fresh();
    const { outs, inputs } = await createVia("resourceregistry:Resource", resourceArgs(id));
    expect(outs.urn).toBe(`urn:altinn:resource:${id}`);
    const live = await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`);
    expect(live.status).toBe(200);
    expect((live.json as { resourceType: string }).resourceType).toBe("CorrespondenceService");

    const read = await runtime.read(id, outs);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(false);
    const before = await requestCounts(t.emu.url);
    await runtime.update(id, read.props ?? {}, inputs);
    expect(Object.keys(countsSince(before, await requestCounts(t.emu.url))).filter((k) => k.startsWith("PUT"))).toEqual([]);
  });

  it("catches a title changed by hand, names it, and puts it back carrying the fields it does not manage", async () => {
    const id = fresh();
    const { outs, inputs } = await createVia("resourceregistry:Resource", resourceArgs(id));
    const live = (await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`)).json as Record<string, unknown>;
    const changed = { ...live, title: { ...TEXT, en: "Changed by hand" }, homepage: "https://ttd.example/orders" };
    expect((await altinnCall(t.emu.url, token, "PUT", `${RR}/resource/${id}`, { json: changed })).status).toBe(200);

    const read = await runtime.read(id, outs);
    // Only declared fields are reported (homepage is not managed).
    expect(read.inputs).not.toHaveProperty("homepage");
    const plan = await runtime.diff(id, read.props ?? {}, inputs);
    expect(plan.changes).toBe(true);
    await runtime.update(id, read.props ?? {}, inputs);
    const after = (await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`)).json as Record<string, unknown>;
    expect(after.title).toEqual(TEXT);
    expect(after.homepage).toBe("https://ttd.example/orders");
  });

  it("refuses an existing identifier unless adopted, and adopts without making a new one", async () => {
    const id = fresh();
    await createVia("resourceregistry:Resource", resourceArgs(id));
    await expect(createVia("resourceregistry:Resource", resourceArgs(id))).rejects.toThrow(/already exists.*\n.*adopt: true/);
    const adopted = await createVia("resourceregistry:Resource", resourceArgs(id, { adopt: true, title: { ...TEXT, en: "Adopted" } }));
    expect(adopted.id).toBe(id);
    const live = (await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`)).json as { title: { en: string } };
    expect(live.title.en).toBe("Adopted");
  });

  it("refuses bad input in check, naming the field and the rule", async () => {
    const failures = (a: Props) =>
      checkVia("resourceregistry:Resource", a).then((r) => r.failures.map((f) => `${f.property}: ${f.reason}`));
    expect(await failures(resourceArgs("Bad Id"))).toEqual([expect.stringMatching(/^identifier: a resource identifier is at least 4/)]);
    expect(await failures(resourceArgs(fresh(), { title: { en: "x", nb: "y" } }))).toEqual([expect.stringMatching(/^title\.nn: /)]);
    expect(await failures(resourceArgs(fresh(), { resourceType: "Letter" }))).toEqual([
      expect.stringMatching(/^resourceType: resourceType is one of/),
    ]);
    expect(await failures(resourceArgs(fresh(), { hasCompetentAuthority: { organization: "311000013", orgcode: "ttd" } }))).toEqual([
      expect.stringMatching(/^hasCompetentAuthority\.organization: .*MOD11/),
    ]);
  });
});

describe("AltinnResourcePolicy", () => {
  async function withResource(): Promise<string> {
    const id = fresh();
    await createVia("resourceregistry:Resource", resourceArgs(id));
    return id;
  }

  it("uploads generated rules, reads them back with no change, and ignores whitespace, attribute order and rule order", async () => {
    const id = await withResource();
    const rules = correspondenceRules({ ownerOrgCode: "ttd", recipients: ["313000028"] });
    const { outs, inputs } = await createVia("resourceregistry:Policy", { organization: SERVICE_OWNER, resource: id, rules });
    const stored = await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}/policy`);
    expect(stored.text).toContain("urn:altinn:org");
    expect((await runtime.diff(id, (await runtime.read(id, outs)).props ?? {}, inputs)).changes).toBe(false);

    // The same policy by hand: rules in the other order, attributes reordered, different whitespace.
    const reordered = buildXacml(id, { rules: [...rules].reverse() })
      .replace(/ RuleId="([^"]*)" Effect="Permit"/g, ' Effect="Permit"   RuleId="$1"')
      .replace(/\n\s*/g, "\n\t\t");
    expect((await uploadPolicy(t.emu.url, token, id, reordered)).status).toBe(201);
    const read = await runtime.read(id, outs);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(false);
  });

  it("catches a rule changed by hand and restores it", async () => {
    const id = await withResource();
    const rules = correspondenceRules({ ownerOrgCode: "ttd", recipients: ["313000028"] });
    const { outs, inputs } = await createVia("resourceregistry:Policy", { organization: SERVICE_OWNER, resource: id, rules });
    const narrowed = rules.map((r, i) => (i === 1 ? { ...r, actions: ["subscribe"] } : r));
    expect((await uploadPolicy(t.emu.url, token, id, buildXacml(id, { rules: narrowed }))).status).toBe(201);
    const read = await runtime.read(id, outs);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(true);
    await runtime.update(id, read.props ?? {}, inputs);
    const again = await runtime.read(id, read.props ?? {});
    expect((await runtime.diff(id, again.props ?? {}, inputs)).changes).toBe(false);
  });

  it("refuses, in check, a rule for another resource, an action with spaces and an unknown subject", async () => {
    const id = fresh();
    const other = buildXacml("ttd-another-resource", { rules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read"] }] });
    const reasons = async (a: Props) => (await checkVia("resourceregistry:Policy", a)).failures.map((f) => `${f.property}: ${f.reason}`);
    expect(await reasons({ resource: id, xacml: other })).toContainEqual(
      expect.stringMatching(/^xacml: the policy has rules for another resource \(ttd-another-resource\)/),
    );
    expect(await reasons({ resource: id, rules: [{ subjects: ["urn:altinn:rolecode:DAGL"], actions: ["read it"] }] })).toEqual([
      expect.stringMatching(/^rules\.0\.actions\.0: an action name has no spaces/),
    ]);
    expect(await reasons({ resource: id, rules: [{ subjects: ["DAGL"], actions: ["read"] }] })).toEqual([
      expect.stringMatching(/^rules\.0\.subjects\.0: a subject is one of/),
    ]);
  });
});

describe("AltinnAccessList and AltinnResourceAccessListMode", () => {
  it("creates a list with members and a connection, catches a removed member and a removed connection, and restores both", async () => {
    const resource = fresh();
    await createVia("resourceregistry:Resource", resourceArgs(resource, { accessListMode: "Enabled" }));
    const identifier = `recipients-${n++}`;
    const args = {
      organization: SERVICE_OWNER,
      owner: "ttd",
      identifier,
      name: "Recipients",
      members: ["313000028", "urn:altinn:organization:identifier-no:314000013"],
      connections: [{ resource, actions: ["read", "subscribe"] }],
    };
    const { id, outs, inputs } = await createVia("resourceregistry:AccessList", args);
    expect(id).toBe(`ttd/${identifier}`);
    expect((await runtime.diff(id, (await runtime.read(id, outs)).props ?? {}, inputs)).changes).toBe(false);

    const base = `${RR}/access-lists/ttd/${identifier}`;
    const members = (await altinnCall(t.emu.url, token, "GET", `${base}/members`)).json as {
      data: { id: string; identifiers: Record<string, unknown> }[];
    };
    expect(members.data).toHaveLength(2);
    const gone = members.data.find((m) => m.identifiers["urn:altinn:organization:identifier-no"] === "314000013");
    expect((await altinnCall(t.emu.url, token, "DELETE", `${base}/members`, { json: { data: [gone?.id] } })).status).toBe(200);
    expect((await altinnCall(t.emu.url, token, "DELETE", `${base}/resource-connections/${resource}`)).status).toBe(200);

    const read = await runtime.read(id, outs);
    expect(read.props?.members).toEqual(["313000028"]);
    expect(read.props?.connections).toEqual([]);
    expect((await runtime.diff(id, read.props ?? {}, inputs)).changes).toBe(true);
    await runtime.update(id, read.props ?? {}, inputs);
    const restored = await runtime.read(id, read.props ?? {});
    expect((await runtime.diff(id, restored.props ?? {}, inputs)).changes).toBe(false);
  });

  it("sends members in requests of at most 100 and only the difference", async () => {
    const identifier = `many-${n++}`;
    // The replay seed of the emulator has many register parties; the default seed has few, so use valid ones it knows.
    const parties = ["313000028", "314000013", "311000012", "312000016", "310000019"];
    const { id, outs, inputs } = await createVia("resourceregistry:AccessList", {
      organization: SERVICE_OWNER,
      owner: "ttd",
      identifier,
      name: "Many",
      members: parties.slice(0, 3),
    });
    const before = await requestCounts(t.emu.url);
    const grown = { ...inputs, members: parties };
    await runtime.update(id, outs, grown);
    const calls = countsSince(before, await requestCounts(t.emu.url));
    expect(Object.entries(calls).filter(([k]) => /^(POST|DELETE|PUT) /.test(k))).toEqual([[expect.stringMatching(/^POST .*members$/), 1]]);
  });

  it("switches the mode only through the mode kind, and reads it back", async () => {
    const resource = fresh();
    await createVia("resourceregistry:Resource", resourceArgs(resource));
    const { id, outs, inputs } = await createVia("resourceregistry:AccessListMode", {
      organization: SERVICE_OWNER,
      resource,
      mode: "Enabled",
    });
    const live = (await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${resource}`)).json as { accessListMode: string };
    expect(live.accessListMode).toBe("Enabled");
    expect((await runtime.diff(id, (await runtime.read(id, outs)).props ?? {}, inputs)).changes).toBe(false);
  });
});
