// AltinnResource and AltinnAccessList creates under faults, against the in-process emulator: a create that failed
// without effect is sent again; a create whose answer was lost finds what it made (and finishes it) instead of
// refusing its own object as "already exists"; one still pending upstream is not sent twice in the run; an
// object someone else made under the identifier is never taken without adopt.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { setRetryPolicy } from "../../providers/runtime/http.js";
import type { Props } from "../../providers/runtime/contract.js";
import { altinnCall, altinnTokenFor, countsSince, requestCounts } from "../support/altinn.js";
import { REGISTRY_TEXT, SERVICE_OWNER, registryResourceArgs, createVia, startProviderEnv, type ProviderTestEnv } from "./support.js";

const RR = "/resourceregistry/api/v1";
const TEXT = REGISTRY_TEXT;
const resourceArgs = registryResourceArgs;
let t: ProviderTestEnv;
let token: string;
let n = 0;
const fresh = (): string => `ttd-recover-${Date.now().toString(36)}-${n++}`;

beforeAll(async () => {
  t = await startProviderEnv();
  token = await altinnTokenFor(t.emu.url, SERVICE_OWNER);
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await fault("DELETE");
  setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
});

async function fault(method: "POST" | "DELETE", rule?: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${t.emu.url}/__emulator/faults`, {
    method,
    ...(rule ? { headers: { "content-type": "application/json" }, body: JSON.stringify(rule) } : {}),
  });
  if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

function listArgs(identifier: string, extra: Props = {}): Props {
  return {
    organization: SERVICE_OWNER,
    owner: "ttd",
    identifier,
    name: "Recipients",
    members: ["313000028", "314000013"],
    ...extra,
  };
}

const postsOfResources = (c: Record<string, number>): number =>
  Object.entries(c)
    .filter(([k]) => /^POST .*\/resource\/?$/.test(k))
    .reduce((a, [, v]) => a + v, 0);

describe("AltinnResource create under faults", () => {
  it("sends a POST refused with 500 (nothing committed) again and makes the resource once", async () => {
    const id = fresh();
    await fault("POST", { method: "POST", path: `${RR}/resource`, count: 1, status: 500 });
    const before = await requestCounts(t.emu.url);
    const { id: made } = await createVia("resourceregistry:Resource", resourceArgs(id));
    expect(made).toBe(id);
    expect(postsOfResources(countsSince(before, await requestCounts(t.emu.url)))).toBe(2);
    expect((await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`)).status).toBe(200);
  });

  it("finds the resource a POST made when its answer was lost, without a second POST", async () => {
    const id = fresh();
    await fault("POST", { method: "POST", path: `${RR}/resource`, count: 1, dropResponse: true });
    const before = await requestCounts(t.emu.url);
    const { outs } = await createVia("resourceregistry:Resource", resourceArgs(id));
    expect(outs.urn).toBe(`urn:altinn:resource:${id}`);
    expect(postsOfResources(countsSince(before, await requestCounts(t.emu.url)))).toBe(1);
  });

  it("does not send again a POST that may still be in flight (504), and says to run up again; the next run makes it", async () => {
    const id = fresh();
    await fault("POST", { method: "POST", path: `${RR}/resource`, count: 1, status: 504 });
    await expect(createVia("resourceregistry:Resource", resourceArgs(id))).rejects.toThrow(/run `pulumi up` again/);
    const { id: made } = await createVia("resourceregistry:Resource", resourceArgs(id));
    expect(made).toBe(id);
  });

  it("does not take a resource someone else made under the identifier while its POST failed: the retry refuses it without adopt", async () => {
    const id = fresh();
    // Someone else's resource appears between the create's existence check and its POST: the POST fails (500),
    // find sees a resource whose fields are not the declared ones, and the resent create refuses it.
    await createVia("resourceregistry:Resource", resourceArgs(id, { title: { ...TEXT, en: "Someone else's" } }));
    await fault("POST", { method: "GET", path: `${RR}/resource/${id}`, count: 1, status: 404 });
    await fault("POST", { method: "POST", path: `${RR}/resource`, count: 1, status: 500 });
    await expect(createVia("resourceregistry:Resource", resourceArgs(id))).rejects.toThrow(/already exists.*\n.*adopt: true/);
    const live = (await altinnCall(t.emu.url, token, "GET", `${RR}/resource/${id}`)).json as { title: { en: string } };
    expect(live.title.en).toBe("Someone else's");
  });
});

describe("AltinnAccessList create under faults", () => {
  it("a list whose create answer was lost is its own: members are added, no 'already exists'", async () => {
    const identifier = `lost-${n++}`;
    await fault("POST", { method: "PUT", path: `${RR}/access-lists/ttd/${identifier}`, count: 1, dropResponse: true });
    const { id, outs } = await createVia("resourceregistry:AccessList", listArgs(identifier));
    expect(id).toBe(`ttd/${identifier}`);
    expect(outs.members).toEqual(["313000028", "314000013"]);
    const members = (await altinnCall(t.emu.url, token, "GET", `${RR}/access-lists/ttd/${identifier}/members`)).json as { data: unknown[] };
    expect(members.data).toHaveLength(2);
  });

  it("a create refused with 500 (nothing committed) is sent again", async () => {
    const identifier = `again-${n++}`;
    await fault("POST", { method: "PUT", path: `${RR}/access-lists/ttd/${identifier}`, count: 1, status: 500 });
    const { outs } = await createVia("resourceregistry:AccessList", listArgs(identifier));
    expect(outs.members).toEqual(["313000028", "314000013"]);
  });

  it("a create whose first member write failed without an answer finds the list and finishes it", async () => {
    const identifier = `finish-${n++}`;
    await fault("POST", { method: "POST", path: `${RR}/access-lists/ttd/${identifier}/members`, count: 1, status: 500 });
    const { outs } = await createVia("resourceregistry:AccessList", listArgs(identifier));
    expect(outs.members).toEqual(["313000028", "314000013"]);
    const members = (await altinnCall(t.emu.url, token, "GET", `${RR}/access-lists/ttd/${identifier}/members`)).json as { data: unknown[] };
    expect(members.data).toHaveLength(2);
  });

  it("still refuses a list someone else made under the identifier", async () => {
    const identifier = `theirs-${n++}`;
    const made = await altinnCall(t.emu.url, token, "PUT", `${RR}/access-lists/ttd/${identifier}`, {
      json: { name: "Theirs", description: "" },
    });
    expect(made.status).toBeLessThan(300);
    await expect(createVia("resourceregistry:AccessList", listArgs(identifier))).rejects.toThrow(/already exists[\s\S]*adopt: true/);
  });
});
