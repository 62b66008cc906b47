// Replay of Altinn/altinn-resource-registry's access-list tests (AccessListControllerTests.cs,
// AccessListMembershipsControllerTests.cs) and the access-list requests of its Bruno collection. The tests' org
// skd becomes the seeded ttd; their generated party uuids become the replay seed's extra Register parties; the
// memberships API's platform access token becomes the resource.admin scope (which its authorization tests accept).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Replay, extraPartyOrg, startReplay } from "./fixture.js";
import { fullResource } from "./wire.js";

let r: Replay;
let token: string;
let admin: string;
let ttd: { orgNumber: string; orgCode: string };

const AL = "/resourceregistry/api/v1/access-lists";

beforeAll(async () => {
  r = await startReplay();
  ttd = r.org("ttd");
});
afterAll(async () => r.stop());
beforeEach(async () => {
  await r.reset();
  token = await r.altinn("ttd", [
    "altinn:resourceregistry/accesslist.write",
    "altinn:resourceregistry/resource.write",
    "altinn:serviceowner",
  ]);
  admin = await r.altinn("digdir", ["altinn:resourceregistry/resource.admin"]);
});

interface Page<T> {
  links: { next: string | null };
  data: T[];
}
interface Info {
  identifier: string;
  name: string;
  description: string;
  urn: string;
  resourceConnections?: { resourceIdentifier: string; actionFilters?: string[] }[];
}
interface Member {
  id: string;
}
interface Problem {
  code?: string;
  validationErrors?: { code: string; paths: string[] }[];
}

const list = (id: string, name: string, description?: string) =>
  r.call("PUT", `${AL}/ttd/${id}`, { token, body: description === undefined ? { name } : { name, description } });
async function resource(id: string): Promise<void> {
  const res = await r.call("POST", "/resourceregistry/api/v1/resource", { token, body: fullResource(id, ttd) });
  if (res.status !== 201) throw new Error(`resource ${id}: ${res.status} ${res.text}`);
}
const connect = (listId: string, rid: string, actionFilters: string[]) =>
  r.call("PUT", `${AL}/ttd/${listId}/resource-connections/${rid}`, { token, body: { actionFilters } });
const partyUrn = async (i: number) => `urn:altinn:party:uuid:${(await r.party(extraPartyOrg(i))).partyUuid}`;
async function partyUrns(from: number, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) out.push(await partyUrn(i));
  return out;
}
const members = (method: string, listId: string, data: string[]) =>
  r.call(method, `${AL}/ttd/${listId}/members`, { token, body: { data } });
const etagOf = async (listId: string) => (await r.call("GET", `${AL}/ttd/${listId}`, { token })).headers.get("etag") as string;
const lastModifiedOf = async (listId: string) =>
  (await r.call("GET", `${AL}/ttd/${listId}`, { token })).headers.get("last-modified") as string;

describe("AccessListControllerTests.cs", () => {
  it("AccessListControllerTests.cs: GetAccessListsByOwner.Returns_EmptyList", async () => {
    const res = await r.call("GET", `${AL}/ttd`, { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ links: { next: null }, data: [] });
  });

  it("AccessListControllerTests.cs: GetAccessListsByOwner.Returns_ItemsInDatabase_OrderedByIdentifier", async () => {
    await list("test2", "Test 2", "test 2 description");
    await list("test1", "Test 1", "test 1 description");
    const res = await r.call("GET", `${AL}/ttd`, { token });
    expect(res.status).toBe(200);
    const page = res.json as Page<Info>;
    expect(page.data.map((l) => [l.identifier, l.name])).toEqual([
      ["test1", "Test 1"],
      ["test2", "Test 2"],
    ]);
    expect(page.links.next).toBeNull();
  });

  it("AccessListControllerTests.cs: GetAccessListsByOwner.Can_Include_Additional_Data", async () => {
    await resource("test1");
    await resource("test2");
    await list("test1", "Test 1", "test 1 description");
    await connect("test1", "test1", []);
    await connect("test1", "test2", ["read"]);
    const plain = (await r.call("GET", `${AL}/ttd`, { token })).json as Page<Info>;
    expect(plain.data[0]?.resourceConnections).toBeUndefined();
    expect((await r.call("GET", `${AL}/ttd?include=members`, { token })).status).toBe(501);
    const res1 = (await r.call("GET", `${AL}/ttd?include=resources&resource=test1`, { token })).json as Page<Info>;
    expect(res1.data[0]?.resourceConnections).toEqual([expect.objectContaining({ resourceIdentifier: "test1" })]);
    expect(res1.data[0]?.resourceConnections?.[0]?.actionFilters).toBeUndefined();
    const res2 = (await r.call("GET", `${AL}/ttd?include=resources&resource=test2`, { token })).json as Page<Info>;
    expect(res2.data[0]?.resourceConnections?.map((c) => c.resourceIdentifier)).toEqual(["test2"]);
    expect(res2.data[0]?.resourceConnections?.[0]?.actionFilters).toBeUndefined();
    const act1 = (await r.call("GET", `${AL}/ttd?include=resource-actions&resource=test1`, { token })).json as Page<Info>;
    expect(act1.data[0]?.resourceConnections?.[0]?.actionFilters).toBeUndefined();
    const act2 = (await r.call("GET", `${AL}/ttd?include=resource-actions&resource=test2`, { token })).json as Page<Info>;
    expect(act2.data[0]?.resourceConnections?.[0]?.actionFilters).toEqual(["read"]);
    expect((await r.call("GET", `${AL}/ttd?include=resources`, { token })).status).toBe(400);
    expect((await r.call("GET", `${AL}/ttd?include=resource-actions`, { token })).status).toBe(400);
  });

  it("AccessListControllerTests.cs: GetAccessListsByOwner.Returns_Paginated (pages of 20)", async () => {
    for (let i = 41; i > 0; i--) await list(`test${String(i).padStart(2, "0")}`, `Test ${i}`);
    const p1 = (await r.call("GET", `${AL}/ttd`, { token })).json as Page<Info>;
    expect(p1.data.map((l) => l.identifier)).toEqual(Array.from({ length: 20 }, (_, i) => `test${String(i + 1).padStart(2, "0")}`));
    expect(p1.links.next).not.toBeNull();
    const p2res = await r.call("GET", new URL(p1.links.next as string).pathname + new URL(p1.links.next as string).search, { token });
    expect(p2res.status).toBe(200);
    const p2 = p2res.json as Page<Info>;
    expect(p2.data[0]?.identifier).toBe("test21");
    expect(p2.data.at(-1)?.identifier).toBe("test40");
    const next = new URL(p2.links.next as string);
    const p3 = (await r.call("GET", next.pathname + next.search, { token })).json as Page<Info>;
    expect(p3.data.map((l) => l.identifier)).toEqual(["test41"]);
    expect(p3.links.next).toBeNull();
  });

  it("AccessListControllerTests.cs: GetAccessList.Returns_404_ForMissingList", async () => {
    expect((await r.call("GET", `${AL}/ttd/test`, { token })).status).toBe(404);
  });

  it("AccessListControllerTests.cs: GetAccessList.Returns_Existing_List (ETag and Last-Modified)", async () => {
    await list("test1", "Test 1", "test 1 description");
    const res = await r.call("GET", `${AL}/ttd/test1`, { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identifier: "test1", name: "Test 1", description: "test 1 description" });
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("last-modified")).toBeTruthy();
  });

  it("AccessListControllerTests.cs: GetAccessList.ETagHeaders.Returns_Mismatch_When_ETag_Is_Up_To_Date (304 on a read)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("GET", `${AL}/ttd/test1`, { token, headers: { "if-none-match": await etagOf("test1") } });
    expect(res.status).toBe(304);
  });

  it("AccessListControllerTests.cs: GetAccessList.ETagHeaders.Returns_Mismatch_When_ModifiedSince_Is_Up_To_Date (304 on a read)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("GET", `${AL}/ttd/test1`, { token, headers: { "if-modified-since": await lastModifiedOf("test1") } });
    expect(res.status).toBe(304);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.ETagHeaders.Works_With_Matching_ETag / Works_With_ETag_And_UnmodifiedSince", async () => {
    await list("test1", "Test 1", "d");
    const headers = { "if-match": await etagOf("test1"), "if-unmodified-since": await lastModifiedOf("test1") };
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, headers, body: { name: "new Test 1", description: "new d" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: "new Test 1", description: "new d" });
    expect(res.headers.get("etag")).toBeTruthy();
  });

  it("AccessListControllerTests.cs: UpsertAccessList.ETagHeaders.Returns_Mismatch_When_ETag_Is_Up_To_Date (412 on a write)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, headers: { "if-none-match": await etagOf("test1") }, body: { name: "x" } });
    expect(res.status).toBe(412);
    expect(((await r.call("GET", `${AL}/ttd/test1`, { token })).json as Info).name).toBe("Test 1");
  });

  it("AccessListControllerTests.cs: DeleteAccessList.ETagHeaders.Returns_Mismatch_When_ModifiedSince_Is_Up_To_Date (412 on a write)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("DELETE", `${AL}/ttd/test1`, { token, headers: { "if-modified-since": await lastModifiedOf("test1") } });
    expect(res.status).toBe(412);
    expect((await r.call("GET", `${AL}/ttd/test1`, { token })).status).toBe(200);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.ETagHeaders.Returns_PreconditionFailed_When_Etag_Is_Old", async () => {
    await list("test1", "Test 1");
    const old = await etagOf("test1");
    await list("test1", "Test 1 updated");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, headers: { "if-match": old }, body: { name: "lost" } });
    expect(res.status).toBe(412);
  });

  it("AccessListControllerTests.cs: DeleteAccessList.Returns_NoContent_ForMissingList", async () => {
    expect((await r.call("DELETE", `${AL}/ttd/test`, { token })).status).toBe(204);
  });

  it("AccessListControllerTests.cs: DeleteAccessList.Deletes_Existing_List", async () => {
    await list("test1", "Test 1", "test 1 description");
    const res = await r.call("DELETE", `${AL}/ttd/test1`, { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identifier: "test1", name: "Test 1", description: "test 1 description" });
    expect((await r.call("GET", `${AL}/ttd/test1`, { token })).status).toBe(404);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Create_List", async () => {
    const res = await list("test1", "Test 1", "Test 1 description");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identifier: "test1", name: "Test 1", description: "Test 1 description" });
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("last-modified")).toBeTruthy();
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Create_List_Without_Description", async () => {
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, body: { name: "Test 1", description: null } });
    expect(res.status).toBe(200);
    expect((res.json as Info).description).toBe("");
  });

  it("AccessListControllerTests.cs: UpsertAccessList.CanNot_Create_List_Without_Name", async () => {
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, body: { name: null, description: "Test 1 description" } });
    expect(res.status).toBe(400);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Update_List", async () => {
    await list("test1", "Test 1", "test 1 description");
    const res = await list("test1", "Test 1 updated", "Test 1 description updated");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identifier: "test1", name: "Test 1 updated", description: "Test 1 description updated" });
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Unset_Description", async () => {
    await list("test1", "Test 1", "test 1 description");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, body: { name: "Test 1 updated", description: null } });
    expect(res.status).toBe(200);
    expect((res.json as Info).description).toBe("");
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Cannot_Unset_Name", async () => {
    await list("test1", "Test 1", "test 1 description");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, body: { name: null, description: "x" } });
    expect(res.status).toBe(400);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Handles_Update_To_Same (the version stays)", async () => {
    await list("test1", "Test 1", "test 1 description");
    const before = await etagOf("test1");
    const res = await list("test1", "Test 1", "test 1 description");
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(before);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Require_Existing_List (If-Match: *)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, headers: { "if-match": "*" }, body: { name: "Test 1 external" } });
    expect(res.status).toBe(200);
  });

  it("AccessListControllerTests.cs: UpsertAccessList.Can_Require_New_List (If-None-Match: * on an existing list)", async () => {
    await list("test1", "Test 1");
    const res = await r.call("PUT", `${AL}/ttd/test1`, { token, headers: { "if-none-match": "*" }, body: { name: "Test 1 external" } });
    expect(res.status).toBe(412);
  });

  it("AccessListControllerTests.cs: GetAccessListResourceConnections.Returns_NextPage_Link_When_Enough_Items (pages of 100; 201 connections instead of 222) and ..._Modified_While_Iterating", async () => {
    const actionsOf = (i: number) => [[], ["read"], ["write"], ["read", "write"]][i % 4] as string[];
    await list("test1", "Test 1");
    for (let i = 0; i < 201; i++) {
      const id = `resource-${String(i).padStart(4, "0")}`;
      await resource(id);
      expect((await connect("test1", id, actionsOf(i))).status).toBe(200);
    }
    type Conn = { resourceIdentifier: string; actionFilters?: string[] };
    const seen: Conn[] = [];
    let url: string | null = `${AL}/ttd/test1/resource-connections`;
    const sizes: number[] = [];
    while (url) {
      const res = await r.call("GET", url, { token });
      expect(res.status).toBe(200);
      const page = res.json as Page<Conn>;
      sizes.push(page.data.length);
      seen.push(...page.data);
      url = page.links.next === null ? null : new URL(page.links.next).pathname + new URL(page.links.next).search;
    }
    expect(sizes).toEqual([100, 100, 1]);
    for (const c of seen) {
      const i = Number(c.resourceIdentifier.slice("resource-".length));
      if (actionsOf(i).length === 0) expect(c.actionFilters).toBeUndefined();
      else expect([...(c.actionFilters ?? [])].sort()).toEqual([...actionsOf(i)].sort());
    }
    // Returns_PreconditionFailed_If_AccessList_Is_Modified_While_Iterating
    const first = (await r.call("GET", `${AL}/ttd/test1/resource-connections`, { token })).json as Page<Conn>;
    await list("test1", "Test 1 updated");
    const next = new URL(first.links.next as string);
    expect((await r.call("GET", next.pathname + next.search, { token })).status).toBe(412);
  });

  it("AccessListControllerTests.cs: UpsertAccessListResourceConnection.Can_Create_Connection", async () => {
    await resource("test1");
    await list("test1", "Test 1");
    const res = await connect("test1", "test1", ["read", "write"]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ resourceIdentifier: "test1" });
    expect([...((res.json as { actionFilters: string[] }).actionFilters ?? [])].sort()).toEqual(["read", "write"]);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(res.headers.get("last-modified")).toBeTruthy();
  });

  it("AccessListControllerTests.cs: UpsertAccessListResourceConnection.Can_Update_Connection", async () => {
    await resource("test1");
    await list("test1", "Test 1");
    await connect("test1", "test1", ["read"]);
    const res = await connect("test1", "test1", ["write"]);
    expect(res.status).toBe(200);
    expect((res.json as { actionFilters: string[] }).actionFilters).toEqual(["write"]);
  });

  it("AccessListControllerTests.cs: UpsertAccessListResourceConnection.Does_Not_Create_New_Version_If_Identical", async () => {
    await resource("test1");
    await list("test1", "Test 1");
    await connect("test1", "test1", ["read", "write"]);
    const before = await etagOf("test1");
    const res = await connect("test1", "test1", ["read", "write"]);
    expect(res.status).toBe(200);
    expect(await etagOf("test1")).toBe(before);
  });

  it("AccessListControllerTests.cs: UpsertAccessListResourceConnection.Disallows_Referencing_Other_ServiceOwners_Resource_If_WriteScope", async () => {
    const digdir = r.org("digdir");
    const digdirWrite = await r.altinn("digdir", ["altinn:resourceregistry/resource.write"]);
    expect(
      (await r.call("POST", "/resourceregistry/api/v1/resource", { token: digdirWrite, body: fullResource("test1", digdir) })).status,
    ).toBe(201);
    await list("test1", "Test 1");
    const before = await etagOf("test1");
    const res = await connect("test1", "test1", ["write"]);
    expect(res.status).toBe(403);
    expect(await etagOf("test1")).toBe(before);
  });

  it("AccessListControllerTests.cs: UpsertAccessListResourceConnection.Allows_Referencing_Other_ServiceOwners_Resource_If_AdminScope", async () => {
    const digdir = r.org("digdir");
    const digdirWrite = await r.altinn("digdir", ["altinn:resourceregistry/resource.write"]);
    await r.call("POST", "/resourceregistry/api/v1/resource", { token: digdirWrite, body: fullResource("test1", digdir) });
    await list("test1", "Test 1");
    const before = await etagOf("test1");
    const res = await r.call("PUT", `${AL}/ttd/test1/resource-connections/test1`, { token: admin, body: { actionFilters: ["write"] } });
    expect(res.status).toBe(200);
    expect(await etagOf("test1")).not.toBe(before);
  });

  it("AccessListControllerTests.cs: DeleteAccessListResourceConnection.Returns_NotFound_ForMissingAccessList", async () => {
    expect((await r.call("DELETE", `${AL}/ttd/test1/resource-connections/test1`, { token })).status).toBe(404);
  });

  it("AccessListControllerTests.cs: DeleteAccessListResourceConnection.Returns_NoContent_ForMissingConnection", async () => {
    await list("test1", "Test 1");
    expect((await r.call("DELETE", `${AL}/ttd/test1/resource-connections/test1`, { token })).status).toBe(204);
  });

  it("AccessListControllerTests.cs: DeleteAccessListResourceConnection.Deletes_Existing_Connection", async () => {
    await resource("test1");
    await list("test1", "Test 1");
    await connect("test1", "test1", ["read", "write"]);
    const res = await r.call("DELETE", `${AL}/ttd/test1/resource-connections/test1`, { token });
    expect(res.status).toBe(200);
    expect((res.json as { resourceIdentifier: string }).resourceIdentifier).toBe("test1");
    expect([...((res.json as { actionFilters: string[] }).actionFilters ?? [])].sort()).toEqual(["read", "write"]);
    const conns = (await r.call("GET", `${AL}/ttd/test1/resource-connections`, { token })).json as Page<unknown>;
    expect(conns.data).toEqual([]);
  });

  it("AccessListControllerTests.cs: GetAccessListMembers.Returns_NotFound_ForMissingAccessList", async () => {
    expect((await r.call("GET", `${AL}/ttd/test1/members`, { token })).status).toBe(404);
  });

  it("AccessListControllerTests.cs: GetAccessListMembers.Returns_MembersInList", async () => {
    await list("test1", "Test 1");
    const urns = await partyUrns(0, 2);
    await members("PUT", "test1", urns);
    const res = await r.call("GET", `${AL}/ttd/test1/members`, { token });
    expect(res.status).toBe(200);
    const page = res.json as Page<Member>;
    expect(page.data.map((m) => m.id).sort()).toEqual([...urns].sort());
    expect(page.links.next).toBeNull();
  });

  it("AccessListControllerTests.cs: GetAccessListMembers.Paginates (pages of 100)", async () => {
    await list("test1", "Test 1");
    const urns = await partyUrns(0, 250);
    expect((await members("PUT", "test1", urns.slice(0, 100))).status).toBe(200);
    expect((await members("POST", "test1", urns.slice(100, 200))).status).toBe(200);
    expect((await members("POST", "test1", urns.slice(200))).status).toBe(200);
    const received: string[] = [];
    const sizes: number[] = [];
    let url: string | null = `${AL}/ttd/test1/members`;
    while (url) {
      const page = (await r.call("GET", url, { token })).json as Page<Member>;
      sizes.push(page.data.length);
      received.push(...page.data.map((m) => m.id));
      url = page.links.next === null ? null : new URL(page.links.next).pathname + new URL(page.links.next).search;
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(received.sort()).toEqual([...urns].sort());
  });

  for (const method of ["PUT", "POST", "DELETE"] as const) {
    const group = { PUT: "ReplaceAccessListMembers", POST: "AddAccessListMembers", DELETE: "RemoveAccessListMembers" }[method];
    it(`AccessListControllerTests.cs: ${group}.Returns_NotFound_ForMissingAccessList`, async () => {
      expect((await members(method, "test1", await partyUrns(0, 2))).status).toBe(404);
    });

    it(`AccessListControllerTests.cs: ${group}.DisallowsUpdatingTooManyMembers (120)`, async () => {
      await list("test1", "Test 1");
      const res = await members(method, "test1", await partyUrns(0, 120));
      expect(res.status).toBe(400);
      const body = res.json as Problem;
      expect(body.code).toBe("STD-00000");
      expect(body.validationErrors?.map((e) => e.code)).toEqual([method === "PUT" ? "RR.VLD-00000" : "RR.VLD-00001"]);
    });

    it(`AccessListControllerTests.cs: ${group}.IsIdempotent (the same call twice keeps the ETag)`, async () => {
      await list("test1", "Test 1");
      await members("PUT", "test1", await partyUrns(0, 2));
      const body = await partyUrns(2, 2);
      const first = await members(method, "test1", body);
      expect(first.status).toBe(200);
      const second = await members(method, "test1", body);
      expect(second.status).toBe(200);
      expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    });
  }

  it("AccessListControllerTests.cs: ReplaceAccessListMembers.Replaces_MembersInList", async () => {
    await list("test1", "Test 1");
    await members("PUT", "test1", await partyUrns(0, 2));
    const replacement = await partyUrns(2, 2);
    const res = await members("PUT", "test1", replacement);
    expect(res.status).toBe(200);
    expect((res.json as Page<Member>).data.map((m) => m.id).sort()).toEqual([...replacement].sort());
  });

  it("AccessListControllerTests.cs: AddAccessListMembers.Adds_MembersInList", async () => {
    await list("test1", "Test 1");
    const existing = await partyUrns(0, 2);
    await members("PUT", "test1", existing);
    const added = await partyUrns(2, 2);
    const res = await members("POST", "test1", added);
    expect(res.status).toBe(200);
    expect((res.json as Page<Member>).data.map((m) => m.id).sort()).toEqual([...existing, ...added].sort());
  });

  it("AccessListControllerTests.cs: RemoveAccessListMembers.Removes_MembersInList", async () => {
    await list("test1", "Test 1");
    const all = await partyUrns(0, 4);
    await members("PUT", "test1", all);
    const res = await members("DELETE", "test1", all.slice(0, 2));
    expect(res.status).toBe(200);
    expect((res.json as Page<Member>).data.map((m) => m.id).sort()).toEqual(all.slice(2).sort());
  });

  it("AccessListControllerTests.cs: Authorization.Unauthenticated_Returns_Unauthorized", async () => {
    expect((await r.call("GET", `${AL}/ttd`)).status).toBe(401);
  });

  it("AccessListControllerTests.cs: Authorization.MissingScope_Returns_Forbidden", async () => {
    const other = await r.altinn("ttd", ["altinn:serviceowner"]);
    expect((await r.call("GET", `${AL}/ttd`, { token: other })).status).toBe(403);
  });

  it("AccessListControllerTests.cs: Authorization.WrongOwner_Returns_Forbidden (an owner that is not an org code: 403, not 400)", async () => {
    const read = await r.altinn("ttd", ["altinn:resourceregistry/accesslist.read", "altinn:serviceowner"]);
    expect((await r.call("GET", `${AL}/1234`, { token: read })).status).toBe(403);
  });

  it("AccessListControllerTests.cs: Authorization.CorrectScopeAndOwner_Returns_Ok", async () => {
    const read = await r.altinn("ttd", ["altinn:resourceregistry/accesslist.read", "altinn:serviceowner"]);
    expect((await r.call("GET", `${AL}/ttd`, { token: read })).status).toBe(200);
  });

  it("AccessListControllerTests.cs: Authorization.CorrectScopeAndOwner_NoServiceOwner_Returns_Ok (no urn:altinn:org; the org number maps to the code)", async () => {
    const read = await r.maskinporten("ttd", ["altinn:resourceregistry/accesslist.read"]);
    expect((await r.call("GET", `${AL}/ttd`, { token: read })).status).toBe(200);
  });

  it("AccessListsController.cs (OwnerMustBeOrgcodeFilterAttribute, after authorization): an admin naming a non-org-code owner gets 400 RR.VLD-00010", async () => {
    const res = await r.call("GET", `${AL}/1234`, { token: admin });
    expect(res.status).toBe(400);
    const body = res.json as Problem;
    expect(body.validationErrors?.map((e) => [e.code, e.paths])).toEqual([["RR.VLD-00010", ["/$PATH/owner"]]]);
  });

  it("AccessListControllerTests.cs: Authorization.CorrectScopeAndAdmin_Returns_Ok", async () => {
    expect((await r.call("GET", `${AL}/ttd`, { token: admin })).status).toBe(200);
  });
});

describe("AccessListMembershipsControllerTests.cs", () => {
  const M = `${AL}/memberships`;
  interface Membership {
    party: string;
    resource: string;
    since: string;
    actionFilters?: string[];
  }
  const codes = (body: unknown) =>
    ((body as Problem).validationErrors ?? []).map((e) => [e.code, e.paths]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it("AccessListMembershipsControllerTests.cs: InvalidPartyUrn_Returns_BadRequest", async () => {
    const res = await r.call("GET", `${M}?party=invalid`, { token: admin });
    expect(res.status).toBe(400);
    expect((res.json as Problem).code).toBe("STD-00000");
    expect(codes(res.json)).toEqual([
      ["RR.VLD-00003", ["/$QUERY/party"]],
      ["RR.VLD-00004", ["/$QUERY/party"]],
    ]);
  });

  it("AccessListMembershipsControllerTests.cs: InvalidResourceUrn_Returns_BadRequest", async () => {
    const res = await r.call("GET", `${M}?party=${await partyUrn(0)}&resource=invalid`, { token: admin });
    expect(res.status).toBe(400);
    expect(codes(res.json)).toEqual([["RR.VLD-00005", ["/$QUERY/resource"]]]);
  });

  it("AccessListMembershipsControllerTests.cs: No_Party_Returns_BadRequest", async () => {
    const res = await r.call("GET", M, { token: admin });
    expect(res.status).toBe(400);
    expect(codes(res.json)).toEqual([["RR.VLD-00003", ["/$QUERY/party"]]]);
  });

  it("AccessListMembershipsControllerTests.cs: Multiple_Parties_Returns_BadRequest", async () => {
    const res = await r.call("GET", `${M}?party=${await partyUrn(0)},${await partyUrn(1)}`, { token: admin });
    expect(res.status).toBe(400);
    expect(codes(res.json)).toEqual([["RR.VLD-00006", ["/$QUERY/party"]]]);
  });

  it("AccessListMembershipsControllerTests.cs: Multiple_Resources_Returns_BadRequest", async () => {
    const res = await r.call(
      "GET",
      `${M}?party=${await partyUrn(0)}&resource=urn:altinn:resource:resource1,urn:altinn:resource:resource2`,
      {
        token: admin,
      },
    );
    expect(res.status).toBe(400);
    expect(codes(res.json)).toEqual([["RR.VLD-00007", ["/$QUERY/resource"]]]);
  });

  it("AccessListMembershipsControllerTests.cs: NonExistingParty_Returns_BadRequest (RR-00001)", async () => {
    const res = await r.call("GET", `${M}?party=urn:altinn:party:uuid:00000000-0000-0000-0000-000000000000`, { token: admin });
    expect(res.status).toBe(400);
    expect((res.json as Problem).code).toBe("RR-00001");
  });

  it("AccessListMembershipsControllerTests.cs: By_Party_Returns_Multiple_Memberships_To_Same_Resource", async () => {
    await resource("resource1");
    const [user1, user2] = await partyUrns(0, 2);
    await list("access-list1", "Access List 1", "description1");
    await connect("access-list1", "resource1", []);
    await members("PUT", "access-list1", [user1 as string, user2 as string]);
    await list("access-list2", "Access List 2", "description2");
    await connect("access-list2", "resource1", ["read"]);
    await members("PUT", "access-list2", [user1 as string]);
    const res = await r.call("GET", `${M}?party=${user1 as string}`, { token: admin });
    expect(res.status).toBe(200);
    const items = (res.json as { data: Membership[] }).data;
    expect(items).toHaveLength(2);
    for (const m of items) expect([m.party, m.resource]).toEqual([user1, "urn:altinn:resource:resource1"]);
    expect(items.filter((m) => m.actionFilters === undefined)).toHaveLength(1);
    expect(items.filter((m) => m.actionFilters !== undefined).map((m) => m.actionFilters)).toEqual([["read"]]);
  });

  it("AccessListMembershipsControllerTests.cs: By_Party_Returns_Multiple_Resources", async () => {
    await resource("resource1");
    await resource("resource2");
    const [user1, user2] = await partyUrns(0, 2);
    await list("access-list1", "Access List 1");
    await connect("access-list1", "resource1", []);
    await connect("access-list1", "resource2", []);
    await members("PUT", "access-list1", [user1 as string, user2 as string]);
    const res = await r.call("GET", `${M}?party=${user1 as string}`, { token: admin });
    expect(res.status).toBe(200);
    const items = (res.json as { data: Membership[] }).data;
    expect(items.map((m) => `${m.party} ${m.resource}`).sort()).toEqual(
      [`${user1 as string} urn:altinn:resource:resource1`, `${user1 as string} urn:altinn:resource:resource2`].sort(),
    );
  });

  it("AccessListMembershipsControllerTests.cs: By_Party_And_Resource_Returns_Single_Resource", async () => {
    await resource("resource1");
    await resource("resource2");
    const [user1] = await partyUrns(0, 1);
    await list("access-list1", "Access List 1");
    await connect("access-list1", "resource1", []);
    await connect("access-list1", "resource2", []);
    await members("PUT", "access-list1", [user1 as string]);
    const res = await r.call("GET", `${M}?party=${user1 as string}&resource=urn:altinn:resource:resource1`, { token: admin });
    expect(res.status).toBe(200);
    expect((res.json as { data: Membership[] }).data.map((m) => m.resource)).toEqual(["urn:altinn:resource:resource1"]);
  });

  it("AccessListMembershipsControllerTests.cs: Authorization.Unauthenticated_Returns_Unauthorized", async () => {
    expect((await r.call("GET", `${M}?party=${await partyUrn(0)}`)).status).toBe(401);
  });

  it("AccessListMembershipsControllerTests.cs: Authorization.MissingScope_Returns_Forbidden", async () => {
    expect((await r.call("GET", `${M}?party=${await partyUrn(0)}`, { token })).status).toBe(403);
  });

  it("AccessListMembershipsControllerTests.cs: Authorization.CorrectScopeAndAdmin_Returns_OK", async () => {
    const res = await r.call("GET", `${M}?party=${await partyUrn(0)}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: [] });
  });
});

describe("Bruno collection (test/Bruno/Altinn.ResourceRegistry/AccessLists/authz-bruno)", () => {
  it("Bruno authz-bruno: Put access list, Put nofilter and actionfilter resource-connections, Put members, Get memberships by organisation number", async () => {
    await resource("devtest_gar_bruno_accesslist");
    await resource("devtest_gar_bruno_accesslist_actionfilter");
    const put = await r.call("PUT", `${AL}/ttd/authz-bruno`, {
      token,
      body: {
        name: "Authorization Bruno Access List",
        description: "AccessList used for testdata in automated Bruno tests for Authorization",
      },
    });
    expect(put.status).toBe(200);
    // The "nofilter" request sends an object with its actionFilters commented out: {}.
    expect(
      (await r.call("PUT", `${AL}/ttd/authz-bruno/resource-connections/devtest_gar_bruno_accesslist`, { token, body: {} })).status,
    ).toBe(200);
    expect(
      (
        await r.call("PUT", `${AL}/ttd/authz-bruno/resource-connections/devtest_gar_bruno_accesslist_actionfilter`, {
          token,
          body: { actionFilters: ["read"] },
        })
      ).status,
    ).toBe(200);
    const org = extraPartyOrg(7);
    expect((await members("PUT", "authz-bruno", [`urn:altinn:organization:identifier-no:${org}`])).status).toBe(200);
    expect((await r.call("GET", `${AL}/ttd/authz-bruno`, { token })).status).toBe(200);
    expect(((await r.call("GET", `${AL}/ttd/authz-bruno/members`, { token })).json as Page<Member>).data).toHaveLength(1);
    expect(((await r.call("GET", `${AL}/ttd/authz-bruno/resource-connections`, { token })).json as Page<unknown>).data).toHaveLength(2);
    const m = await r.call(
      "GET",
      `${AL}/memberships?party=urn:altinn:organization:identifier-no:${org}&resource=urn:altinn:resource:devtest_gar_bruno_accesslist`,
      {
        token: admin,
      },
    );
    expect(m.status).toBe(200);
    const items = (m.json as { data: { party: string; resource: string }[] }).data;
    expect(items.map((x) => x.resource)).toEqual(["urn:altinn:resource:devtest_gar_bruno_accesslist"]);
    expect(items[0]?.party).toBe(`urn:altinn:party:uuid:${(await r.party(org)).partyUuid}`);
  });
});
