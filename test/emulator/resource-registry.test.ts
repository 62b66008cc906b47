// Conformance of resources and policies with shared/specs/altinn-registry.md §2-3.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { TEXTS, altinnToken, call, minimalResource, multipart, policyXml } from "./altinn-helpers.js";
import { type TestEmulator, adminToken, startTestEmulator } from "./helpers.js";

const RES = "/resourceregistry/api/v1/resource";
let t: TestEmulator;
let token: string;
let ttd: { orgNumber: string; orgCode: string };

beforeAll(async () => {
  t = await startTestEmulator();
  token = await altinnToken(t, "ttd");
  ttd = t.org("ttd");
});
afterAll(async () => t.stop());

const create = (body: unknown, tok = token) => call(t.emu.url, "POST", RES, { token: tok, body });
const get = (id: string) => call(t.emu.url, "GET", `${RES}/${id}`);

interface Validation {
  code: string;
  status: number;
  validationErrors?: { code: string; paths: string[]; detail?: string; title: string }[];
  errors?: Record<string, string[]>;
}
/** The spec says to parse both validation formats; the messages matter, not the shape. */
function validationMessages(body: unknown): { path: string; message: string }[] {
  const b = body as Validation;
  if (b.validationErrors)
    return b.validationErrors.flatMap((e) => e.paths.map((p) => ({ path: p.replace(/^\//, ""), message: e.detail ?? e.title })));
  return Object.entries(b.errors ?? {}).flatMap(([k, v]) => v.map((m) => ({ path: k, message: m })));
}

describe("POST /resource", () => {
  it("201 with Location and an empty body; GET returns the resource with defaults and a versionId", async () => {
    const r = await create(minimalResource("ttd-res-one", ttd));
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toMatch(/\/resourceregistry\/api\/v1\/resource\/ttd-res-one$/);
    expect(r.text).toBe("");
    const g = await get("ttd-res-one");
    expect(g.status).toBe(200);
    const body = g.json as Record<string, unknown>;
    expect(body["identifier"]).toBe("ttd-res-one");
    expect(body["title"]).toEqual(TEXTS);
    expect(body["delegable"]).toBe(true);
    expect(body["visible"]).toBe(true);
    expect(body["accessListMode"]).toBe("Disabled");
    expect(body["resourceType"]).toBe("CorrespondenceService");
    expect(body["versionId"]).toBeTypeOf("number");
    // Nulls are left out.
    expect(Object.values(body).includes(null)).toBe(false);
    expect("homepage" in body).toBe(false);
  });

  it("accepts a trailing slash, any property casing, enum names in any case and as flag integers; ignores unknown properties", async () => {
    const body = {
      ...minimalResource("ttd-res-case", ttd),
      Title: TEXTS,
      resourceType: "brokerservice",
      accessListMode: "enabled",
      unknownThing: 1,
    };
    delete (body as Record<string, unknown>)["title"];
    expect((await call(t.emu.url, "POST", `${RES}/`, { token, body })).status).toBe(201);
    const g = (await get("ttd-res-case")).json as Record<string, unknown>;
    expect(g["resourceType"]).toBe("BrokerService");
    expect(g["accessListMode"]).toBe("Enabled");
    expect(g["title"]).toEqual(TEXTS);
    expect("unknownThing" in g).toBe(false);
    expect((await create(minimalResource("ttd-res-int", ttd, { resourceType: 64 }))).status).toBe(201);
    expect(((await get("ttd-res-int")).json as Record<string, unknown>)["resourceType"]).toBe("CorrespondenceService");
  });

  it("409 with the string body when the identifier exists, and also after a delete (the id stays reserved)", async () => {
    expect((await create(minimalResource("ttd-res-dup", ttd))).status).toBe(201);
    const again = await create(minimalResource("ttd-res-dup", ttd));
    expect(again.status).toBe(409);
    expect(again.json).toBe("The Resource already exist: ttd-res-dup");
    expect((await call(t.emu.url, "DELETE", `${RES}/ttd-res-dup`, { token })).status).toBe(204);
    expect((await create(minimalResource("ttd-res-dup", ttd))).status).toBe(409);
  });

  it("refuses identifiers outside ^[a-z0-9_-]{4,}$ with a validation error on Identifier (ServiceResourceHelper.ValidateResource)", async () => {
    for (const id of ["abc", "Ttd-upper", "ttd res", "ttd.dot", "tt/d"]) {
      const r = await create(minimalResource(id, ttd));
      expect(r.status, id).toBe(400);
      expect(validationMessages(r.json), id).toContainEqual({
        path: "Identifier",
        message: "Invalid id. Only a-z and 0-9 is allowed together with _ and -.  Minimum 4 characters",
      });
    }
  });

  it("reserves app_ for AltinnApp/MigratedApp and makes se_ need ServiceCode and ServiceEditionCode references", async () => {
    expect((await create(minimalResource("app_ttd_thing", ttd))).status).toBe(400);
    expect((await create(minimalResource("se_1234_1", ttd))).status).toBe(400);
    const refs = [
      { referenceSource: "Altinn2", reference: "1234", referenceType: "ServiceCode" },
      { referenceSource: "Altinn2", reference: "1", referenceType: "ServiceEditionCode" },
    ];
    expect((await create(minimalResource("se_1234_1", ttd, { resourceReferences: refs }))).status).toBe(201);
  });

  it("validates texts in en, nb and nn, rightDescription only when delegable, and names the fields", async () => {
    const r = await create(
      minimalResource("ttd-res-val", ttd, { title: { en: "x", nb: " " }, description: { nb: "x", nn: "x" }, rightDescription: undefined }),
    );
    expect(r.status).toBe(400);
    const msgs = validationMessages(r.json);
    expect(msgs).toContainEqual({ path: "Title", message: "Missing title in bokmal nb" });
    expect(msgs).toContainEqual({ path: "Title", message: "Missing title in nynorsk nn" });
    expect(msgs.some((m) => m.path === "Title" && m.message.includes(" en"))).toBe(false);
    expect(msgs.some((m) => m.path === "Description")).toBe(true);
    expect(msgs.some((m) => m.path === "RightDescription")).toBe(true);
    const notDelegable = await create(minimalResource("ttd-res-nodel", ttd, { delegable: false, rightDescription: undefined }));
    expect(notDelegable.status).toBe(201);
  });

  it("requires resourceType other than Default and an organisation number unless the org code is ttd", async () => {
    for (const [extra, path] of [
      [{ resourceType: "Default" }, "ResourceType"],
      [{ resourceType: undefined }, "ResourceType"],
      [{ hasCompetentAuthority: { orgcode: "digdir" } }, "HasCompetentAuthority.Organization"],
    ] as const) {
      const r = await create(minimalResource("ttd-res-req", ttd, extra));
      expect(r.status, path).toBe(400);
      expect(
        validationMessages(r.json).map((m) => m.path),
        path,
      ).toContain(path);
    }
  });

  it("organization may be left out when orgcode is ttd (the owner is then ttd's org)", async () => {
    expect((await create(minimalResource("ttd-res-noorg", ttd, { hasCompetentAuthority: { orgcode: "ttd" } }))).status).toBe(201);
  });

  it("an enum value that does not exist fails model binding (400)", async () => {
    expect((await create(minimalResource("ttd-res-enum", ttd, { resourceType: "Spaceship" }))).status).toBe(400);
    expect((await create(minimalResource("ttd-res-enum", ttd, { availableForType: ["Alien"] }))).status).toBe(400);
  });

  it("403 with an empty body when the caller is not hasCompetentAuthority.organization", async () => {
    const r = await create(minimalResource("ttd-res-foreign", { orgNumber: t.org("digdir").orgNumber, orgCode: "digdir" }));
    expect(r.status).toBe(403);
    expect(r.text).toBe("");
  });
});

describe("PUT, DELETE, search", () => {
  it("PUT is a full replace that adds a version every time, even without change", async () => {
    expect((await create(minimalResource("ttd-res-put", ttd, { homepage: "https://a.example" }))).status).toBe(201);
    const v1 = ((await get("ttd-res-put")).json as { versionId: number }).versionId;
    const same = minimalResource("ttd-res-put", ttd);
    const p1 = await call(t.emu.url, "PUT", `${RES}/ttd-res-put`, { token, body: same });
    expect(p1.status).toBe(200);
    expect(p1.text).toBe("");
    const after1 = (await get("ttd-res-put")).json as Record<string, unknown>;
    expect(after1["versionId"]).toBeGreaterThan(v1);
    expect("homepage" in after1).toBe(false);
    expect((await call(t.emu.url, "PUT", `${RES}/ttd-res-put`, { token, body: same })).status).toBe(200);
    const after2 = (await get("ttd-res-put")).json as { versionId: number };
    expect(after2.versionId).toBeGreaterThan(after1["versionId"] as number);
    const old = await call(t.emu.url, "GET", `${RES}/ttd-res-put?versionId=${v1}`);
    expect((old.json as Record<string, unknown>)["homepage"]).toBe("https://a.example");
  });

  it("PUT: 404 first for an unknown id, then 400 string when the body's identifier differs", async () => {
    expect((await call(t.emu.url, "PUT", `${RES}/ttd-res-nope`, { token, body: minimalResource("other", ttd) })).status).toBe(404);
    await create(minimalResource("ttd-res-put2", ttd));
    const r = await call(t.emu.url, "PUT", `${RES}/ttd-res-put2`, { token, body: minimalResource("ttd-res-other", ttd) });
    expect(r.status).toBe(400);
    expect(r.json).toBe("Id in path does not match ID in resource");
  });

  it("DELETE: 204, then 404; another owner's resource 403", async () => {
    await create(minimalResource("ttd-res-del", ttd));
    const digdirToken = await altinnToken(t, "digdir", ["altinn:serviceowner"]);
    // digdir's admin client has no resource.write: scope refusal first.
    expect((await call(t.emu.url, "DELETE", `${RES}/ttd-res-del`, { token: digdirToken })).status).toBe(403);
    expect((await call(t.emu.url, "DELETE", `${RES}/ttd-res-del`, { token })).status).toBe(204);
    expect((await get("ttd-res-del")).status).toBe(404);
    expect((await call(t.emu.url, "DELETE", `${RES}/ttd-res-del`, { token })).status).toBe(404);
  });

  it("search by orgCode / organizationId (case-insensitive equality), id contains, title ignored; no apps", async () => {
    await create(minimalResource("ttd-search-alpha", ttd));
    const byCode = (await call(t.emu.url, "GET", `${RES}/search?orgCode=TTD`)).json as { identifier: string }[];
    expect(byCode.map((r) => r.identifier)).toContain("ttd-search-alpha");
    const byOrg = (await call(t.emu.url, "GET", `${RES}/search?organizationId=${ttd.orgNumber}&id=SEARCH-ALP`)).json as {
      identifier: string;
    }[];
    expect(byOrg.map((r) => r.identifier)).toEqual(["ttd-search-alpha"]);
    const byTitle = (await call(t.emu.url, "GET", `${RES}/search?title=zzzz-no-such-title&id=search-alpha`)).json as unknown[];
    expect(byTitle).toHaveLength(1);
    const none = (await call(t.emu.url, "GET", `${RES}/search?orgCode=digdir&id=search-alpha`)).json as unknown[];
    expect(none).toHaveLength(0);
    const list = (await call(t.emu.url, "GET", `${RES}/resourcelist`)).json as { identifier: string }[];
    expect(list.map((r) => r.identifier)).toContain("ttd-search-alpha");
  });

  it("search by resourceType: exact on the enum, which reads names in any case and flag integers (spec §2)", async () => {
    await create(minimalResource("ttd-search-type", ttd, { resourceType: "BrokerService" }));
    const ids = async (q: string) =>
      ((await call(t.emu.url, "GET", `${RES}/search?id=search-type&${q}`)).json as { identifier: string }[]).map((r) => r.identifier);
    expect(await ids("resourceType=BrokerService")).toEqual(["ttd-search-type"]);
    expect(await ids("resourceType=brokerservice")).toEqual(["ttd-search-type"]);
    expect(await ids("resourceType=32")).toEqual(["ttd-search-type"]);
    expect(await ids("resourceType=CorrespondenceService")).toEqual([]);
    expect((await call(t.emu.url, "GET", `${RES}/search?resourceType=NoSuchType`)).status).toBe(400);
  });

  it("DELETE is refused in a prod-like emulator with the text body", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-prod-"));
    const seed = JSON.parse(readFileSync(join(__dirname, "../../emulator/seed/default.json"), "utf8")) as Record<string, unknown>;
    seed["altinn"] = { environment: "prod" };
    writeFileSync(join(dir, "seed.json"), JSON.stringify(seed));
    const emu = await startEmulator({ port: 0, stateDir: join(dir, "state"), seedFile: join(dir, "seed.json"), quiet: true });
    try {
      const creds = (await call(emu.url, "GET", "/__emulator/credentials")).json as { organizations: TestEmulator["orgs"] };
      const sub: TestEmulator = {
        ...t,
        emu,
        orgs: creds.organizations,
        org: (c) => creds.organizations.find((o) => o.orgCode === c) as TestEmulator["orgs"][number],
      };
      const tok = await altinnToken(sub, "ttd");
      expect((await call(emu.url, "POST", RES, { token: tok, body: minimalResource("ttd-prod-res", ttd) })).status).toBe(201);
      const r = await call(emu.url, "DELETE", `${RES}/ttd-prod-res`, { token: tok });
      expect(r.status).toBe(403);
      expect(r.text).toBe("Delete operation is not allowed in PROD environment");
      expect((await call(emu.url, "GET", `${RES}/ttd-prod-res`)).status).toBe(200);
    } finally {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("policies", () => {
  const upload = async (id: string, xml: string, method = "POST", field = "policyFile") => {
    const form = new FormData();
    form.append(field, new Blob([xml], { type: "text/xml" }), "policy.xml");
    const res = await fetch(`${t.emu.url}${RES}/${id}/policy`, { method, headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  it("multipart policyFile upload: 201 with Location on every upload; GET returns the stored bytes as text/xml", async () => {
    await create(minimalResource("ttd-pol-one", ttd));
    const xml = policyXml(["ttd-pol-one"]);
    const r = await upload("ttd-pol-one", xml);
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe("ttd-pol-one/policy");
    expect(r.text).toBe("");
    expect((await upload("ttd-pol-one", xml, "PUT")).status).toBe(201);
    const g = await call(t.emu.url, "GET", `${RES}/ttd-pol-one/policy`);
    expect(g.status).toBe(200);
    expect(g.headers.get("content-type")).toMatch(/xml/);
    expect(g.text).toBe(xml);
  });

  it("/policy/rules flattens rules into subject, action and resource, each a {type, value} URN", async () => {
    await create(minimalResource("ttd-pol-rules", ttd));
    expect((await upload("ttd-pol-rules", policyXml(["ttd-pol-rules"], ["read", "write", "subscribe"]))).status).toBe(201);
    const r = await call(t.emu.url, "GET", `${RES}/ttd-pol-rules/policy/rules`);
    expect(r.status).toBe(200);
    const rules = r.json as {
      subject: { type: string; value: string }[];
      action: { type: string; value: string };
      resource: { type: string; value: string }[];
    }[];
    expect(rules.map((x) => x.action.value).sort()).toEqual(["read", "subscribe", "write"]);
    for (const rule of rules) {
      expect(rule.subject).toEqual([{ type: "urn:altinn:rolecode", value: "DAGL" }]);
      expect(rule.resource).toEqual([{ type: "urn:altinn:resource", value: "ttd-pol-rules" }]);
    }
  });

  it("400 'Unknown resource' for a missing resource; 400 when the file is missing", async () => {
    const r = await upload("ttd-pol-missing", policyXml(["ttd-pol-missing"]));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toBe("Unknown resource");
    await create(minimalResource("ttd-pol-nofile", ttd));
    const nofile = await upload("ttd-pol-nofile", policyXml(["ttd-pol-nofile"]), "POST", "somethingElse");
    expect(nofile.status).toBe(400);
    expect(JSON.parse(nofile.text)).toBe("The policy file can not be null");
  });

  it("refuses a rule for a different resource and a rule without the resource (400), malformed XML is 500", async () => {
    await create(minimalResource("ttd-pol-bad", ttd));
    const other = await upload("ttd-pol-bad", policyXml(["ttd-pol-bad", "ttd-pol-other"]));
    expect(other.status).toBe(400);
    expect(JSON.parse(other.text)).toBe("Policy not accepted: Contains rules for a different registry resource");
    const caseDiffers = await upload("ttd-pol-bad", policyXml(["TTD-POL-BAD"]));
    expect(caseDiffers.status).toBe(400);
    const without = await upload("ttd-pol-bad", policyXml(["ttd-pol-bad", null]));
    expect(without.status).toBe(400);
    expect(JSON.parse(without.text)).toBe("Policy not accepted: Contains rule without reference to registry resource id");
    expect((await upload("ttd-pol-bad", "<xacml:Policy><unclosed>")).status).toBe(500);
    // Well-formed but not XACML: no Target.
    const noTarget = policyXml(["ttd-pol-bad"]).replace("<xacml:Target/>", "");
    expect((await upload("ttd-pol-bad", noTarget)).status).toBe(500);
    // Spec §3: each Rule needs RuleId and Effect="Permit".
    expect((await upload("ttd-pol-bad", policyXml(["ttd-pol-bad"]).replace('Effect="Permit"', 'Effect="Deny"'))).status).toBe(500);
    expect((await upload("ttd-pol-bad", policyXml(["ttd-pol-bad"]).replace(' Effect="Permit"', ""))).status).toBe(500);
    expect((await call(t.emu.url, "GET", `${RES}/ttd-pol-bad/policy`)).status).toBe(404);
  });

  it("a hand-built multipart body with application/xml works; GET policy of a resource without one is 404", async () => {
    await create(minimalResource("ttd-pol-raw", ttd));
    expect((await call(t.emu.url, "GET", `${RES}/ttd-pol-raw/policy`)).status).toBe(404);
    const mp = multipart("policyFile", "any-name.xml", policyXml(["ttd-pol-raw"]), "application/xml");
    const r = await call(t.emu.url, "POST", `${RES}/ttd-pol-raw/policy`, {
      token,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(r.status).toBe(201);
  });

  it("policy upload checks the stored resource's owner (403) and the write scope (403)", async () => {
    await create(minimalResource("ttd-pol-owner", ttd));
    const vendor = await adminToken(t, "vendor");
    const mp = multipart("policyFile", "p.xml", policyXml(["ttd-pol-owner"]));
    const r = await call(t.emu.url, "POST", `${RES}/ttd-pol-owner/policy`, {
      token: vendor,
      rawBody: mp.body,
      headers: { "content-type": mp.contentType },
    });
    expect(r.status).toBe(403);
  });
});
