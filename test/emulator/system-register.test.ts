// Conformance of the System Register and system-user requests with shared/specs/altinn-registry.md §5.
import * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { altinnToken, call, minimalResource } from "./altinn-helpers.js";
import { MASKINPORTEN_CLIENT, type TestEmulator, adminToken, api, postToken, rsaKey, signGrant, startTestEmulator } from "./helpers.js";

const SR = "/authentication/api/v1/systemregister/vendor";
const REQ = "/authentication/api/v1/systemuser/request/vendor";
let t: TestEmulator;
let vendorToken: string;
let vendorOrg: string;
const RESOURCE = "ttd-sysreg-res";

beforeAll(async () => {
  t = await startTestEmulator();
  vendorToken = await altinnToken(t, "vendor");
  vendorOrg = t.org("vendor").orgNumber;
  const ttdToken = await altinnToken(t, "ttd");
  for (const [id, type] of [
    [RESOURCE, "CorrespondenceService"],
    ["ttd-sysreg-mp", "MaskinportenSchema"],
  ] as const) {
    const extra =
      type === "MaskinportenSchema"
        ? {
            resourceType: type,
            resourceReferences: [{ referenceSource: "Default", reference: "ttd:example.read", referenceType: "MaskinportenScope" }],
          }
        : { resourceType: type };
    expect(
      (
        await call(t.emu.url, "POST", "/resourceregistry/api/v1/resource", {
          token: ttdToken,
          body: minimalResource(id, t.org("ttd"), extra),
        })
      ).status,
    ).toBe(201);
  }
});
afterAll(async () => t.stop());

const right = (value: string) => ({ resource: [{ id: "urn:altinn:resource", value }] });
function system(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `${vendorOrg}_${name}`,
    vendor: { authority: "iso6523-actorid-upis", ID: `0192:${vendorOrg}` },
    name: { nb: "System", nn: "System", en: "System" },
    description: { nb: "Beskrivelse", nn: "Skildring", en: "Description" },
    rights: [right(RESOURCE)],
    accessPackages: [{ urn: "urn:altinn:accesspackage:skattnaering" }],
    clientId: [crypto.randomUUID()],
    allowedRedirectUrls: ["https://vendor.example/callback"],
    isVisible: true,
    ...extra,
  };
}
const codes = (r: { json: unknown }) => ((r.json as { validationErrors?: { code: string }[] }).validationErrors ?? []).map((e) => e.code);
const post = (body: unknown, token = vendorToken) => call(t.emu.url, "POST", SR, { token, body });

describe("System Register", () => {
  it("POST 200 with a JSON string GUID; GET by id has the model (vendor.ID only) and isDeleted; GET lists the DTO", async () => {
    const body = system("smartcloud");
    const r = await post(body);
    expect(r.status).toBe(200);
    expect(r.json).toMatch(/^[0-9a-f-]{36}$/);
    const g = await call(t.emu.url, "GET", `${SR}/${vendorOrg}_smartcloud`, { token: vendorToken });
    expect(g.status).toBe(200);
    const m = g.json as Record<string, unknown>;
    expect(m["id"]).toBe(`${vendorOrg}_smartcloud`);
    expect((m["vendor"] as Record<string, unknown>)["ID"]).toBe(`0192:${vendorOrg}`);
    expect(m["rights"]).toEqual(body["rights"]);
    expect(m["clientId"]).toEqual(body["clientId"]);
    expect(m["isDeleted"]).toBe(false);
    const list = (await call(t.emu.url, "GET", SR, { token: vendorToken })).json as Record<string, unknown>[];
    const dto = list.find((x) => x["systemId"] === `${vendorOrg}_smartcloud`);
    expect(dto?.["systemVendorOrgNumber"]).toBe(vendorOrg);
    expect(dto?.["systemVendorOrgName"]).toBeTypeOf("string");
  });

  it("id, vendor, name and description are required (400)", async () => {
    for (const k of ["id", "vendor", "name", "description"]) {
      const body = system(`req${k}`);
      delete body[k];
      expect((await post(body)).status, k).toBe(400);
    }
  });

  it("403 when vendor.ID is not the caller, checked before validation; 403 without the scope", async () => {
    const other = t.org("consumer-a").orgNumber;
    expect((await post(system("x", { vendor: { ID: `0192:${other}` }, id: `${other}_x y` }))).status).toBe(403);
    expect((await post(system("noscope"), await altinnToken(t, "vendor", ["altinn:events.subscribe"]))).status).toBe(403);
  });

  it("AUTH.VLD codes for ids, redirect URLs, rights and packages", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ vendor: { ID: `9908:${vendorOrg}` } }, "AUTH.VLD-00000"],
      [{ id: "999999999_other" }, "AUTH.VLD-00001"],
      [{ id: `${vendorOrg}_with space` }, "AUTH.VLD-00013"],
      [{ allowedRedirectUrls: ["http://vendor.example/cb"] }, "AUTH.VLD-00005"],
      [{ allowedRedirectUrls: ["/relative"] }, "AUTH.VLD-00005"],
      [{ rights: [{ resource: [{ id: "urn:altinn:app", value: RESOURCE }] }] }, "AUTH.VLD-00009"],
      [{ rights: [right("no-such-resource")] }, "AUTH.VLD-00003"],
      [{ rights: [right("ttd-sysreg-mp")] }, "AUTH.VLD-00017"],
      [{ rights: [right(RESOURCE), right(RESOURCE)] }, "AUTH.VLD-00006"],
      [{ accessPackages: [{ urn: "urn:altinn:nope" }] }, "AUTH.VLD-00008"],
      [{ accessPackages: [{ urn: "urn:altinn:accesspackage:does-not-exist" }] }, "AUTH.VLD-00008"],
      [
        { accessPackages: [{ urn: "urn:altinn:accesspackage:skattnaering" }, { urn: "urn:altinn:accesspackage:skattnaering" }] },
        "AUTH.VLD-00007",
      ],
      [{ isVisible: true, accessPackages: [{ urn: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet" }] }, "AUTH.VLD-00018"],
    ];
    let n = 0;
    for (const [extra, code] of cases) {
      const r = await post(system(`val${n++}`, extra));
      expect(r.status, code).toBe(400);
      expect(codes(r), code).toContain(code);
    }
    // A client-only package is fine on an invisible system.
    expect(
      (
        await post(
          system("invisible", {
            isVisible: false,
            accessPackages: [{ urn: "urn:altinn:accesspackage:regnskapsforer-med-signeringsrettighet" }],
          }),
        )
      ).status,
    ).toBe(200);
  });

  it("an existing id is AUTH.VLD-00002; a client id used by another active system is AUTH.VLD-00004", async () => {
    const body = system("dupe");
    expect((await post(body)).status).toBe(200);
    expect(codes(await post(body))).toContain("AUTH.VLD-00002");
    expect(codes(await post(system("dupe2", { clientId: body["clientId"] })))).toContain("AUTH.VLD-00004");
  });

  it("PUT is a full replace; id mismatch is AUTH.VLD-00012; duplicate client ids AUTH.VLD-00011; unknown 404", async () => {
    const body = system("putme");
    await post(body);
    const path = `${SR}/${vendorOrg}_putme`;
    const put = await call(t.emu.url, "PUT", path, {
      token: vendorToken,
      body: { ...body, rights: [], accessPackages: [], name: { nb: "Nytt", nn: "Nytt", en: "New" } },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ succeeded: true });
    const g = (await call(t.emu.url, "GET", path, { token: vendorToken })).json as Record<string, unknown>;
    expect(g["rights"]).toEqual([]);
    expect(g["accessPackages"]).toEqual([]);
    expect((g["name"] as Record<string, string>)["en"]).toBe("New");
    expect(codes(await call(t.emu.url, "PUT", path, { token: vendorToken, body: { ...body, id: `${vendorOrg}_other` } }))).toContain(
      "AUTH.VLD-00012",
    );
    const c = crypto.randomUUID();
    expect(codes(await call(t.emu.url, "PUT", path, { token: vendorToken, body: { ...body, clientId: [c, c] } }))).toContain(
      "AUTH.VLD-00011",
    );
    expect((await call(t.emu.url, "PUT", `${SR}/${vendorOrg}_nosuch`, { token: vendorToken, body: system("nosuch") })).status).toBe(404);
  });

  it("PUT rights and PUT accesspackages replace those lists", async () => {
    await post(system("parts"));
    const path = `${SR}/${vendorOrg}_parts`;
    expect((await call(t.emu.url, "PUT", `${path}/rights`, { token: vendorToken, body: [] })).status).toBe(200);
    expect(
      (
        await call(t.emu.url, "PUT", `${path}/accesspackages`, {
          token: vendorToken,
          body: [{ urn: "urn:altinn:accesspackage:ansvarlig-revisor" }],
        })
      ).status,
    ).toBe(200);
    const g = (await call(t.emu.url, "GET", path, { token: vendorToken })).json as Record<string, unknown>;
    expect(g["rights"]).toEqual([]);
    expect(g["accessPackages"]).toEqual([{ urn: "urn:altinn:accesspackage:ansvarlig-revisor" }]);
    expect(codes(await call(t.emu.url, "PUT", `${path}/rights`, { token: vendorToken, body: [right("no-such-resource")] }))).toContain(
      "AUTH.VLD-00003",
    );
  });

  it("DELETE is soft: GET still shows it with isDeleted, the list does not, the id is reserved forever, client ids are released", async () => {
    const body = system("gone");
    await post(body);
    const path = `${SR}/${vendorOrg}_gone`;
    const d = await call(t.emu.url, "DELETE", path, { token: vendorToken });
    expect(d.status).toBe(200);
    expect(d.json).toEqual({ succeeded: true });
    const g = await call(t.emu.url, "GET", path, { token: vendorToken });
    expect(g.status).toBe(200);
    expect((g.json as Record<string, unknown>)["isDeleted"]).toBe(true);
    const list = (await call(t.emu.url, "GET", SR, { token: vendorToken })).json as { systemId: string }[];
    expect(list.map((x) => x.systemId)).not.toContain(`${vendorOrg}_gone`);
    expect(codes(await post(body))).toContain("AUTH.VLD-00002");
    expect((await post(system("reuse", { clientId: body["clientId"] }))).status).toBe(200);
    expect((await call(t.emu.url, "DELETE", `${SR}/${vendorOrg}_never`, { token: vendorToken })).status).toBe(400);
  });
});

describe("system-user requests", () => {
  let systemId: string;
  let clientId: string;
  beforeAll(async () => {
    // The vendor's own Maskinporten client, registered on the system (as a new vendor would).
    const dcr = await adminToken(t, "vendor");
    const created = await api<{ client_id: string }>(t.emu.url, "POST", "/api/v1/clients", {
      token: dcr,
      body: { ...MASKINPORTEN_CLIENT, client_name: "eus", description: "end-user system", scopes: ["altinn:correspondence.read"] },
    });
    expect(created.status).toBe(200);
    clientId = created.body.client_id;
    const body = system("eus", { clientId: [clientId] });
    expect((await post(body)).status).toBe(200);
    systemId = body["id"] as string;
  });

  it("POST 201 with Location, status New and a confirmUrl; a repeat of (systemId, partyOrgNo, externalRef) is 200 with the same request", async () => {
    const party = t.org("consumer-a").orgNumber;
    const body = {
      externalRef: "cust-a",
      systemId,
      partyOrgNo: party,
      rights: [right(RESOURCE)],
      redirectUrl: "https://vendor.example/callback?state=1",
    };
    const r = await call(t.emu.url, "POST", REQ, { token: vendorToken, body });
    expect(r.status).toBe(201);
    const req = r.json as Record<string, unknown>;
    expect(r.headers.get("location")).toMatch(new RegExp(`/authentication/api/v1/systemuser/request/${String(req["id"])}$`));
    expect(req["status"]).toBe("New");
    expect(req["externalRef"]).toBe("cust-a");
    expect(req["partyOrgNo"]).toBe(party);
    expect(req["timedOut"]).toBe(false);
    expect(String(req["confirmUrl"])).toMatch(
      new RegExp(`/accessmanagement/ui/systemuser/request\\?id=${String(req["id"])}&DONTCHOOSEREPORTEE=true$`),
    );
    const again = await call(t.emu.url, "POST", REQ, { token: vendorToken, body });
    expect(again.status).toBe(200);
    expect((again.json as { id: string }).id).toBe(req["id"]);
    const byId = await call(t.emu.url, "GET", `${REQ}/${String(req["id"])}`, { token: vendorToken });
    expect(byId.status).toBe(200);
    const byRef = await call(t.emu.url, "GET", `${REQ}/byexternalref/${systemId}/${party}/cust-a`, { token: vendorToken });
    expect((byRef.json as { id: string }).id).toBe(req["id"]);
  });

  it("externalRef defaults to partyOrgNo", async () => {
    const party = t.org("consumer-b").orgNumber;
    const r = await call(t.emu.url, "POST", REQ, { token: vendorToken, body: { systemId, partyOrgNo: party, rights: [right(RESOURCE)] } });
    expect(r.status).toBe(201);
    expect((r.json as { externalRef: string }).externalRef).toBe(party);
  });

  it("refusals: unknown system 404 AUTH-00011, unknown party AUTH-00000, nothing requested AUTH-00001/00059, rights not on the system, redirect not allowed", async () => {
    const party = t.org("consumer-a").orgNumber;
    const code = (r: { json: unknown }) => (r.json as { code: string }).code;
    const send = (body: Record<string, unknown>) =>
      call(t.emu.url, "POST", REQ, { token: vendorToken, body: { systemId, partyOrgNo: party, rights: [right(RESOURCE)], ...body } });
    const unknownSystem = await send({ systemId: `${vendorOrg}_nope`, externalRef: "r1" });
    expect(unknownSystem.status).toBe(404);
    expect(code(unknownSystem)).toBe("AUTH-00011");
    const unknownParty = await send({ partyOrgNo: "999999999", externalRef: "r2" });
    expect(unknownParty.status).toBe(400);
    expect(code(unknownParty)).toBe("AUTH-00000");
    expect(code(await send({ rights: null, externalRef: "r3" }))).toBe("AUTH-00001");
    expect(code(await send({ rights: [], accessPackages: [], externalRef: "r4" }))).toBe("AUTH-00059");
    expect(code(await send({ rights: [right("ttd-sysreg-mp")], externalRef: "r5" }))).toBe("AUTH-00001");
    expect(code(await send({ redirectUrl: "https://evil.example/callback", externalRef: "r6" }))).toBe("AUTH-00021");
  });

  it("read needs the read scope; another vendor sees 404 AUTH-00010", async () => {
    const r = await call(t.emu.url, "POST", REQ, {
      token: vendorToken,
      body: { externalRef: "scope", systemId, partyOrgNo: t.org("consumer-a").orgNumber, rights: [right(RESOURCE)] },
    });
    const id = (r.json as { id: string }).id;
    expect(
      (
        await call(t.emu.url, "GET", `${REQ}/${id}`, {
          token: await altinnToken(t, "vendor", ["altinn:authentication/systemuser.request.write"]),
        })
      ).status,
    ).toBe(403);
    expect((await call(t.emu.url, "GET", `${REQ}/${crypto.randomUUID()}`, { token: vendorToken })).status).toBe(404);
  });

  it("the customer accepts on the control plane; the vendor's client then gets a system-user token from Maskinporten", async () => {
    const party = t.org("consumer-a").orgNumber;
    const r = await call(t.emu.url, "POST", REQ, {
      token: vendorToken,
      body: { externalRef: "accept-me", systemId, partyOrgNo: party, rights: [right(RESOURCE)] },
    });
    const id = (r.json as { id: string }).id;
    // No system user yet: the grant with authorization_details is refused.
    const key = rsaKey();
    const dcr = await adminToken(t, "vendor");
    expect(
      (
        await api(t.emu.url, "POST", `/api/v1/clients/${clientId}/jwks`, {
          token: dcr,
          body: { keys: [{ ...key.publicJwk, kid: "eus1", alg: "RS256", use: "sig" }] },
        })
      ).status,
    ).toBe(200);
    const details = [{ type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${party}` } }];
    const grant = () =>
      signGrant(`${t.emu.url}/`, {
        iss: clientId,
        scope: "altinn:correspondence.read",
        header: { kid: "eus1" },
        key: key.privateKey,
        extra: { authorization_details: details },
      });
    expect((await postToken(t.emu.url, await grant())).status).toBe(400);
    const accept = await call(t.emu.url, "POST", `/__emulator/systemuser-requests/${id}/accept`);
    expect(accept.status).toBe(200);
    expect(((await call(t.emu.url, "GET", `${REQ}/${id}`, { token: vendorToken })).json as { status: string }).status).toBe("Accepted");
    expect((await call(t.emu.url, "POST", `/__emulator/systemuser-requests/${id}/reject`)).status).toBe(409);
    const tok = await postToken(t.emu.url, await grant());
    expect(tok.status).toBe(200);
    const claims = jose.decodeJwt(tok.body["access_token"] as string);
    const ad = (claims["authorization_details"] as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(ad["type"]).toBe("urn:altinn:systemuser");
    expect(ad["system_id"]).toBe(systemId);
    expect((ad["systemuser_id"] as string[])[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims["consumer"]).toEqual({ authority: "iso6523-actorid-upis", ID: `0192:${vendorOrg}` });
    // Spec §5 "Conflicts: existing system user AUTH-00004": once accepted, the same triple is refused, not 200.
    const repeat = await call(t.emu.url, "POST", REQ, {
      token: vendorToken,
      body: { externalRef: "accept-me", systemId, partyOrgNo: party, rights: [right(RESOURCE)] },
    });
    expect(repeat.status).toBe(400);
    expect((repeat.json as { code: string }).code).toBe("AUTH-00004");
    // Another externalRef for the same customer is a new request.
    expect(
      (
        await call(t.emu.url, "POST", REQ, {
          token: vendorToken,
          body: { externalRef: "accept-me-2", systemId, partyOrgNo: party, rights: [right(RESOURCE)] },
        })
      ).status,
    ).toBe(201);
  });

  it("reject sets Rejected; DELETE is 202", async () => {
    const r = await call(t.emu.url, "POST", REQ, {
      token: vendorToken,
      body: { externalRef: "reject-me", systemId, partyOrgNo: t.org("consumer-b").orgNumber, rights: [right(RESOURCE)] },
    });
    const id = (r.json as { id: string }).id;
    expect((await call(t.emu.url, "POST", `/__emulator/systemuser-requests/${id}/reject`)).status).toBe(200);
    expect(((await call(t.emu.url, "GET", `${REQ}/${id}`, { token: vendorToken })).json as { status: string }).status).toBe("Rejected");
    expect((await call(t.emu.url, "DELETE", `${REQ}/${id}`, { token: vendorToken })).status).toBe(202);
  });
});
