// Conformance of access lists with shared/specs/altinn-registry.md §4.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { altinnToken, call, minimalResource } from "./altinn-helpers.js";
import { type TestEmulator, adminToken, startTestEmulator } from "./helpers.js";

const AL = "/resourceregistry/api/v1/access-lists";
let t: TestEmulator;
let token: string;
let parties: { orgNumber: string }[];

beforeAll(async () => {
  t = await startTestEmulator();
  token = await altinnToken(t, "ttd");
  // Register parties: the seeded organisations plus the seed's register-only parties (read from the state the
  // emulator exposes, so this test does not hard-code them).
  const state = (await call(t.emu.url, "GET", "/__emulator/state")).json as { parties: { orgNumber: string }[] };
  parties = state.parties;
});
afterAll(async () => t.stop());

const orgUrn = (n: string) => `urn:altinn:organization:identifier-no:${n}`;
const req = (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; token?: string } = {}) =>
  call(t.emu.url, method, `${AL}${path}`, {
    token: opts.token ?? token,
    ...(opts.body === undefined ? {} : { body: opts.body }),
    ...(opts.headers ? { headers: opts.headers } : {}),
  });

interface Info {
  urn: string;
  identifier: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  resourceConnections?: { resourceIdentifier: string; actionFilters?: string[] }[];
}
interface Page<T> {
  links: { next: string | null };
  data: T[];
}
interface Member {
  id: string;
  since: string;
  identifiers: Record<string, unknown>;
}

describe("lists", () => {
  it("PUT upserts (200 both times) with a weak ETag; GET returns the info and the same ETag", async () => {
    const r = await req("PUT", "/ttd/godkjente-banker", { body: { name: "Godkjente banker", description: "d" } });
    expect(r.status).toBe(200);
    const info = r.json as Info;
    expect(info.urn).toBe("urn:altinn:access-list:ttd:godkjente-banker");
    expect(info.identifier).toBe("godkjente-banker");
    expect(info.name).toBe("Godkjente banker");
    const etag = r.headers.get("etag");
    expect(etag).toMatch(/^W\/".+"$/);
    const g = await req("GET", "/ttd/godkjente-banker");
    expect(g.status).toBe(200);
    expect(g.headers.get("etag")).toBe(etag);
    expect(g.headers.get("last-modified")).toBeTruthy();
    const u = await req("PUT", "/ttd/godkjente-banker", { body: { name: "Renamed" } });
    expect(u.status).toBe(200);
    expect((u.json as Info).name).toBe("Renamed");
    expect(u.headers.get("etag")).not.toBe(etag);
  });

  it("a no-op PUT keeps the ETag", async () => {
    const a = await req("PUT", "/ttd/noop-list", { body: { name: "N", description: "x" } });
    const b = await req("PUT", "/ttd/noop-list", { body: { name: "N", description: "x" } });
    expect(b.headers.get("etag")).toBe(a.headers.get("etag"));
  });

  it("owner is a service-owner org code, case-insensitive; ownership is checked first, so another owner is 403 for a service owner", async () => {
    expect((await req("PUT", "/TTD/case-list", { body: { name: "x" } })).status).toBe(200);
    expect(((await req("GET", "/ttd/case-list")).json as Info).urn).toBe("urn:altinn:access-list:ttd:case-list");
    const bad = await req("GET", "/not-an-owner");
    expect(bad.status).toBe(403);
    expect(bad.text).toBe("");
  });

  it("403 for another service owner's lists and for a token without access-list scopes", async () => {
    expect((await req("GET", "/digdir")).status).toBe(403);
    const noScope = await altinnToken(t, "ttd", ["altinn:serviceowner"]);
    expect((await req("GET", "/ttd", { token: noScope })).status).toBe(403);
    const readOnly = await altinnToken(t, "ttd", ["altinn:resourceregistry/accesslist.read"]);
    expect((await req("GET", "/ttd", { token: readOnly })).status).toBe(200);
    expect((await req("PUT", "/ttd/ro-list", { token: readOnly, body: { name: "x" } })).status).toBe(403);
    // A raw Maskinporten token of ttd (no urn:altinn:org): the org number maps to ttd.
    expect((await req("GET", "/ttd", { token: await adminToken(t, "ttd") })).status).toBe(200);
  });

  it("name is required", async () => {
    expect((await req("PUT", "/ttd/noname", { body: { description: "x" } })).status).toBe(400);
  });

  it("DELETE: 200 with the deleted info, then 204", async () => {
    await req("PUT", "/ttd/del-list", { body: { name: "Del" } });
    const d = await req("DELETE", "/ttd/del-list");
    expect(d.status).toBe(200);
    expect((d.json as Info).identifier).toBe("del-list");
    expect((await req("DELETE", "/ttd/del-list")).status).toBe(204);
    expect((await req("GET", "/ttd/del-list")).status).toBe(404);
  });

  it("lists by owner: pages of 20 ordered by identifier, followed through links.next until null", async () => {
    for (let i = 0; i < 25; i++) await req("PUT", `/ttd/page-${String(i).padStart(2, "0")}`, { body: { name: `P${i}` } });
    const seen: string[] = [];
    let next: string | null = `${t.emu.url}${AL}/ttd`;
    let pages = 0;
    while (next) {
      const r = await call(next, "GET", "", { token });
      expect(r.status).toBe(200);
      const p = r.json as Page<Info>;
      expect(p.data.length).toBeLessThanOrEqual(20);
      seen.push(...p.data.map((x) => x.identifier));
      next = p.links.next;
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 0; i < 25; i++) expect(seen).toContain(`page-${String(i).padStart(2, "0")}`);
  });

  it("include=members is 501; include=resources without resource is 400", async () => {
    expect((await req("GET", "/ttd?include=members")).status).toBe(501);
    const r = await req("GET", "/ttd?include=resources");
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain("RR.VLD-00002");
  });
});

describe("conditional requests", () => {
  it("If-Match with the current weak tag succeeds; a stale one is 412 with an empty body; a strong tag is 400", async () => {
    const a = await req("PUT", "/ttd/etag-list", { body: { name: "A" } });
    const tag = a.headers.get("etag") as string;
    const b = await req("PUT", "/ttd/etag-list", { body: { name: "B" }, headers: { "If-Match": tag } });
    expect(b.status).toBe(200);
    const stale = await req("PUT", "/ttd/etag-list", { body: { name: "C" }, headers: { "If-Match": tag } });
    expect(stale.status).toBe(412);
    expect(stale.text).toBe("");
    expect((await req("PUT", "/ttd/etag-list", { body: { name: "C" }, headers: { "If-Match": tag.slice(2) } })).status).toBe(400);
    expect((await req("PUT", "/ttd/etag-list", { body: { name: "C" }, headers: { "If-Match": "*" } })).status).toBe(200);
  });

  it("PUT with If-Match on a missing list is 412; If-None-Match: * is create-only", async () => {
    expect((await req("PUT", "/ttd/ifmatch-missing", { body: { name: "x" }, headers: { "If-Match": "*" } })).status).toBe(412);
    expect((await req("PUT", "/ttd/create-only", { body: { name: "x" }, headers: { "If-None-Match": "*" } })).status).toBe(200);
    expect((await req("PUT", "/ttd/create-only", { body: { name: "y" }, headers: { "If-None-Match": "*" } })).status).toBe(412);
  });

  it("GET with If-None-Match of the current tag is 304", async () => {
    const a = await req("PUT", "/ttd/cond-get", { body: { name: "x" } });
    const r = await req("GET", "/ttd/cond-get", { headers: { "If-None-Match": a.headers.get("etag") as string } });
    expect(r.status).toBe(304);
  });
});

describe("members", () => {
  const other = () => parties.filter((p) => !t.orgs.some((o) => o.orgNumber === p.orgNumber));

  it("PUT replaces the set, POST adds, DELETE removes; members carry party identifiers", async () => {
    await req("PUT", "/ttd/mem-list", { body: { name: "M" } });
    const a = t.org("consumer-a").orgNumber;
    const b = t.org("consumer-b").orgNumber;
    const put = await req("PUT", "/ttd/mem-list/members", { body: { data: [orgUrn(a)] } });
    expect(put.status).toBe(200);
    const page = put.json as Page<Member>;
    expect(page.data).toHaveLength(1);
    const m = page.data[0] as Member;
    expect(m.id).toMatch(/^urn:altinn:party:uuid:[0-9a-f-]{36}$/);
    expect(m.identifiers["urn:altinn:organization:identifier-no"]).toBe(a);
    expect(m.identifiers["urn:altinn:party:uuid"]).toBe(m.id.slice("urn:altinn:party:uuid:".length));
    expect(m.since).toBeTypeOf("string");
    const post = await req("POST", "/ttd/mem-list/members", { body: { data: [orgUrn(b), orgUrn(a)] } });
    expect(post.status).toBe(200);
    expect((post.json as Page<Member>).data).toHaveLength(2);
    // A party by uuid and by party id resolve to the same member.
    const byUuid = await req("POST", "/ttd/mem-list/members", {
      body: { data: [m.id, `urn:altinn:party:id:${String(m.identifiers["urn:altinn:party:id"])}`] },
    });
    expect((byUuid.json as Page<Member>).data).toHaveLength(2);
    const del = await req("DELETE", "/ttd/mem-list/members", { body: { data: [orgUrn(a), orgUrn(other()[0]!.orgNumber)] } });
    expect(del.status).toBe(200);
    expect((del.json as Page<Member>).data.map((x) => x.identifiers["urn:altinn:organization:identifier-no"])).toEqual([b]);
    const replace = await req("PUT", "/ttd/mem-list/members", { body: { data: [] } });
    expect((replace.json as Page<Member>).data).toEqual([]);
  });

  it("an unknown party fails the whole request with RR-00001 and changes nothing", async () => {
    await req("PUT", "/ttd/mem-unknown", { body: { name: "U" } });
    const r = await req("POST", "/ttd/mem-unknown/members", {
      body: { data: [orgUrn(t.org("consumer-a").orgNumber), orgUrn("999999999")] },
    });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain("RR-00001");
    expect(((await req("GET", "/ttd/mem-unknown/members")).json as Page<Member>).data).toEqual([]);
  });

  it("a malformed URN is 400; more than 100 per call is 400", async () => {
    await req("PUT", "/ttd/mem-bad", { body: { name: "B" } });
    expect((await req("POST", "/ttd/mem-bad/members", { body: { data: ["urn:altinn:organization:identifier-no:12345"] } })).status).toBe(
      400,
    );
    const many = Array.from({ length: 101 }, () => orgUrn(t.org("consumer-a").orgNumber));
    const put = await req("PUT", "/ttd/mem-bad/members", { body: { data: many } });
    expect(put.status).toBe(400);
    expect(JSON.stringify(put.json)).toContain("RR.VLD-00000");
    const post = await req("POST", "/ttd/mem-bad/members", { body: { data: many } });
    expect(post.status).toBe(400);
    expect(JSON.stringify(post.json)).toContain("RR.VLD-00001");
  });

  it("member changes bump the list's ETag; re-adding present members does not", async () => {
    const a = await req("PUT", "/ttd/mem-etag", { body: { name: "E" } });
    const add = await req("POST", "/ttd/mem-etag/members", {
      body: { data: [orgUrn(t.org("consumer-a").orgNumber)] },
      headers: { "If-Match": a.headers.get("etag") as string },
    });
    expect(add.status).toBe(200);
    const tag1 = (await req("GET", "/ttd/mem-etag")).headers.get("etag");
    expect(tag1).not.toBe(a.headers.get("etag"));
    await req("POST", "/ttd/mem-etag/members", { body: { data: [orgUrn(t.org("consumer-a").orgNumber)] } });
    expect((await req("GET", "/ttd/mem-etag")).headers.get("etag")).toBe(tag1);
  });
});

describe("resource connections", () => {
  it("PUT connects with action filters (a set), GET lists them, DELETE 200 then 204", async () => {
    const ttd = t.org("ttd");
    expect(
      (await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", { token, body: minimalResource("ttd-conn-res", ttd) })).status,
    ).toBe(201);
    await req("PUT", "/ttd/conn-list", { body: { name: "C" } });
    const put = await req("PUT", "/ttd/conn-list/resource-connections/ttd-conn-res", { body: { actionFilters: ["read", "write"] } });
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toMatch(/^W\//);
    const conn = put.json as { resourceIdentifier: string; actionFilters?: string[] };
    expect(conn.resourceIdentifier).toBe("ttd-conn-res");
    expect([...(conn.actionFilters ?? [])].sort()).toEqual(["read", "write"]);
    const same = await req("PUT", "/ttd/conn-list/resource-connections/ttd-conn-res", { body: { actionFilters: ["write", "read"] } });
    expect(same.headers.get("etag")).toBe(put.headers.get("etag"));
    const all = await req("PUT", "/ttd/conn-list/resource-connections/ttd-conn-res", { body: { actionFilters: [] } });
    expect((all.json as Record<string, unknown>)["actionFilters"]).toBeUndefined();
    const list = await req("GET", "/ttd/conn-list/resource-connections");
    expect((list.json as Page<{ resourceIdentifier: string }>).data.map((c) => c.resourceIdentifier)).toEqual(["ttd-conn-res"]);
    const withRes = await req("GET", "/ttd?include=resources&resource=ttd-conn-res");
    const entry = (withRes.json as Page<Info>).data.find((l) => l.identifier === "conn-list");
    expect(entry?.resourceConnections?.map((c) => c.resourceIdentifier)).toEqual(["ttd-conn-res"]);
    expect((await req("DELETE", "/ttd/conn-list/resource-connections/ttd-conn-res")).status).toBe(200);
    expect((await req("DELETE", "/ttd/conn-list/resource-connections/ttd-conn-res")).status).toBe(204);
  });

  it("the resource's orgcode belongs to the caller whatever its case, with a raw Maskinporten token too", async () => {
    // Spec §4: ownership is the org code compared case-insensitively; the org number maps to the code.
    const ttd = t.org("ttd");
    expect(
      (
        await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
          token,
          body: minimalResource("ttd-conn-upper", { orgNumber: ttd.orgNumber, orgCode: "TTD" }),
        })
      ).status,
    ).toBe(201);
    const raw = await adminToken(t, "ttd");
    expect((await req("PUT", "/ttd/conn-upper", { body: { name: "U" }, token: raw })).status).toBe(200);
    const r = await req("PUT", "/ttd/conn-upper/resource-connections/ttd-conn-upper", { body: { actionFilters: ["read"] }, token: raw });
    expect(r.status).toBe(200);
    expect((r.json as { resourceIdentifier: string }).resourceIdentifier).toBe("ttd-conn-upper");
  });

  it("an unknown resource is 400 RR-00002", async () => {
    await req("PUT", "/ttd/conn-unknown", { body: { name: "C" } });
    const r = await req("PUT", "/ttd/conn-unknown/resource-connections/no-such-resource", { body: { actionFilters: null } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain("RR-00002");
  });
});
