// The services' own emulator (Correspondence, Broker, Dialogporten, the PDP): the default seed plus what senders and
// recipients need here. digdir is a service owner that Correspondence has not set up (CORR-02014); consumer-b may
// send (correspondence.write, broker.write); consumer-a receives.
import { expect } from "vitest";
import { multipart } from "../altinn-helpers.js";
import { MASKINPORTEN_CLIENT, adminToken, api, postToken, rsaKey, signGrant } from "../helpers.js";
import { type Replay, defaultSeedDoc, grantScope, startWithSeed } from "../replay/fixture.js";

export const ORGS = {
  digdir: "310000019",
  ttd: "311000012",
  vendor: "312000016",
  consumerA: "313000028",
  consumerB: "314000013",
  registerOnly: "315000025",
} as const;

export const orgUrn = (orgNumber: string): string => `urn:altinn:organization:identifier-no:${orgNumber}`;

export async function startServices(): Promise<Replay> {
  const seed = defaultSeedDoc();
  for (const s of ["altinn:correspondence.write", "altinn:resourceregistry/resource.write", "altinn:events.subscribe"])
    grantScope(seed, s, ORGS.digdir);
  for (const s of [
    "altinn:correspondence.write",
    "altinn:correspondence.read",
    "altinn:broker.write",
    "altinn:broker.read",
    "altinn:events.subscribe",
  ])
    grantScope(seed, s, ORGS.consumerB);
  for (const s of ["altinn:broker.read", "altinn:events.subscribe"]) grantScope(seed, s, ORGS.consumerA);
  const digdir = seed.organizations.find((o) => o.orgNumber === ORGS.digdir);
  if (digdir) digdir["correspondenceServiceOwner"] = false;
  seed.altinn = { ...seed.altinn, eventsRetryFactor: 0.001, brokerDeployMs: 0, correspondencePublishMs: 0 };
  return startWithSeed(seed);
}

const S = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject";
const R = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
const A = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";
export const EQ = "urn:oasis:names:tc:xacml:1.0:function:string-equal";
export const EQ_IC = "urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case";

/** A Match element written out by hand. */
export function match(category: "subject" | "resource" | "action", attributeId: string, value: string, fn = EQ): string {
  const cat = category === "subject" ? S : category === "resource" ? R : A;
  return (
    `<xacml:Match MatchId="${fn}"><xacml:AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${value}</xacml:AttributeValue>` +
    `<xacml:AttributeDesignator AttributeId="${attributeId}" Category="${cat}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></xacml:Match>`
  );
}

/** `AllOf`s of `Match`es inside one `AnyOf`. */
export const anyOf = (...allOfs: string[][]): string =>
  `<xacml:AnyOf>${allOfs.map((ms) => `<xacml:AllOf>${ms.join("")}</xacml:AllOf>`).join("")}</xacml:AnyOf>`;

/** A Permit rule: its target is the given AnyOfs (ANDed). */
export const permitRule = (n: number, ...anyOfs: string[]): string =>
  `<xacml:Rule RuleId="urn:altinn:example:ruleid:${n}" Effect="Permit"><xacml:Target>${anyOfs.join("")}</xacml:Target></xacml:Rule>`;

/** A policy document of the given rules (deny-overrides, empty policy target). */
export const policy = (resourceId: string, ...rules: string[]): string =>
  `<?xml version="1.0" encoding="utf-8"?>\n<xacml:Policy xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ` +
  `PolicyId="urn:altinn:resource:${resourceId}:policyid:1" Version="1.0" ` +
  `RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><xacml:Target/>\n${rules.join("\n")}\n</xacml:Policy>\n`;

/** The common rule: these subjects (ORed), this resource, these actions (ORed). */
export function rule(n: number, resourceId: string, subjects: [string, string][], actions: string[]): string {
  return permitRule(
    n,
    anyOf(...subjects.map(([id, v]) => [match("subject", id, v)])),
    anyOf([match("resource", "urn:altinn:resource", resourceId)]),
    anyOf(...actions.map((a) => [match("action", "urn:oasis:names:tc:xacml:1.0:action:action-id", a)])),
  );
}

/** Creates a resource owned by `ownerCode` and uploads its policy. */
export async function resourceWithPolicy(
  r: Replay,
  id: string,
  xml: string,
  opts: { type?: string; owner?: "ttd" | "digdir"; accessListMode?: "Enabled" | "Disabled" } = {},
): Promise<void> {
  const owner = opts.owner ?? "ttd";
  const token = await r.altinn(owner);
  const o = r.org(owner);
  const created = await r.call("POST", "/resourceregistry/api/v1/resource", {
    token,
    body: {
      identifier: id,
      title: { en: id, nb: id, nn: id },
      description: { en: "d", nb: "d", nn: "d" },
      rightDescription: { en: "r", nb: "r", nn: "r" },
      contactPoints: [{ category: "Support", email: "x@y.no", telephone: "", contactPage: "" }],
      hasCompetentAuthority: { organization: o.orgNumber, orgcode: o.orgCode },
      accessListMode: opts.accessListMode ?? "Disabled",
      resourceType: opts.type ?? "CorrespondenceService",
      availableForType: ["Company"],
    },
  });
  expect(created.status, created.text).toBe(201);
  const mp = multipart("policyFile", "policy.xml", xml);
  const up = await r.call("POST", `/resourceregistry/api/v1/resource/${id}/policy`, {
    token,
    rawBody: mp.body,
    headers: { "content-type": mp.contentType },
  });
  expect(up.status, up.text).toBe(201);
}

/** An access list of ttd with these members, connected to the resource with these action filters. */
export async function accessList(
  r: Replay,
  identifier: string,
  members: string[],
  resourceId: string,
  actionFilters: string[],
): Promise<void> {
  const token = await r.altinn("ttd");
  const base = `/resourceregistry/api/v1/access-lists/ttd/${identifier}`;
  const created = await r.call("PUT", base, { token, body: { name: identifier, description: "" } });
  expect([200, 201]).toContain(created.status);
  const m = await r.call("PUT", `${base}/members`, { token, body: { data: members.map(orgUrn) } });
  expect(m.status, m.text).toBe(200);
  const c = await r.call("PUT", `${base}/resource-connections/${resourceId}`, { token, body: { actionFilters } });
  expect([200, 201]).toContain(c.status);
}

export interface SystemUser {
  id: string;
  /** A Maskinporten system-user token of the vendor's client for the customer. */
  maskinporten(scopes: string[]): Promise<string>;
  /** The same, exchanged for an Altinn token. */
  altinn(scopes: string[]): Promise<string>;
}

let systems = 0;

/**
 * The vendor registers a system (its own Maskinporten client, the rights and packages), the customer accepts a
 * request for them on the control plane, and the vendor's client gets system-user tokens.
 */
export async function systemUser(
  r: Replay,
  customer: string,
  rights: { resource: string; action?: string }[],
  accessPackages: string[] = [],
): Promise<SystemUser> {
  const name = `sys${++systems}`;
  const dcr = await adminToken(r, "vendor");
  const scopes = ["altinn:correspondence.read", "altinn:broker.read", "digdir:dialogporten", "altinn:events.subscribe"];
  const client = await api<{ client_id: string }>(r.emu.url, "POST", "/api/v1/clients", {
    token: dcr,
    body: { ...MASKINPORTEN_CLIENT, client_name: name, description: "end-user system", scopes },
  });
  expect(client.status).toBe(200);
  const clientId = client.body.client_id;
  const key = rsaKey();
  const jwks = await api(r.emu.url, "POST", `/api/v1/clients/${clientId}/jwks`, {
    token: dcr,
    body: { keys: [{ ...key.publicJwk, kid: name, alg: "RS256", use: "sig" }] },
  });
  expect(jwks.status).toBe(200);
  const vendorToken = await r.altinn("vendor");
  const rightsDto = rights.map((x) => ({
    ...(x.action === undefined ? {} : { action: x.action }),
    resource: [{ id: "urn:altinn:resource", value: x.resource }],
  }));
  const systemId = `${ORGS.vendor}_${name}`;
  const sys = await r.call("POST", "/authentication/api/v1/systemregister/vendor", {
    token: vendorToken,
    body: {
      id: systemId,
      vendor: { authority: "iso6523-actorid-upis", ID: `0192:${ORGS.vendor}` },
      name: { nb: name, nn: name, en: name },
      description: { nb: "d", nn: "d", en: "d" },
      rights: rightsDto,
      accessPackages: accessPackages.map((urn) => ({ urn })),
      clientId: [clientId],
      isVisible: true,
    },
  });
  expect(sys.status, sys.text).toBe(200);
  const req = await r.call("POST", "/authentication/api/v1/systemuser/request/vendor", {
    token: vendorToken,
    body: {
      externalRef: name,
      systemId,
      partyOrgNo: customer,
      rights: rightsDto,
      ...(accessPackages.length > 0 ? { accessPackages: accessPackages.map((urn) => ({ urn })) } : {}),
    },
  });
  expect(req.status, req.text).toBe(201);
  const accepted = await r.call("POST", `/__emulator/systemuser-requests/${(req.json as { id: string }).id}/accept`);
  expect(accepted.status).toBe(200);
  const maskinporten = async (s: string[]) => {
    const tok = await postToken(
      r.emu.url,
      await signGrant(`${r.emu.url}/`, {
        iss: clientId,
        scope: s.join(" "),
        header: { kid: name },
        key: key.privateKey,
        extra: {
          authorization_details: [
            { type: "urn:altinn:systemuser", systemuser_org: { authority: "iso6523-actorid-upis", ID: `0192:${customer}` } },
          ],
        },
      }),
    );
    expect(tok.status, JSON.stringify(tok.body)).toBe(200);
    return tok.body["access_token"] as string;
  };
  const first = await maskinporten(scopes);
  const claims = JSON.parse(Buffer.from(first.split(".")[1] as string, "base64url").toString("utf8")) as {
    authorization_details: { systemuser_id: string[] }[];
  };
  return {
    id: claims.authorization_details[0]?.systemuser_id[0] as string,
    maskinporten,
    async altinn(s) {
      const ex = await r.call("GET", "/authentication/api/v1/exchange/maskinporten", { token: await maskinporten(s) });
      expect(ex.status).toBe(200);
      return ex.text;
    },
  };
}
