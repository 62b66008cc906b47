// Replay of the calls nais/digdirator's Digdir client makes (pkg/digdir/client.go, pkg/digdir/auth.go,
// pkg/config/config.go), with the request bodies its types marshal to (pkg/digdir/types/types.go,
// pkg/clients/instance.go) and checks on the response fields its structs read. digdirator works against
// production, and its `request()` treats every 4xx as a failure, so each call here must answer 2xx.
// NAV (889640782, prefix "nav") becomes the seeded ttd (prefix "ttd"); the consumer org becomes consumer-a.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nowSec, postToken, signGrant, x5cOf } from "../helpers.js";
import { type Replay, startReplay } from "./fixture.js";

let r: Replay;
let token: string;
let consumer: string;

/** RFC 3339 as Go's time.Time unmarshals it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** auth.go getAuthToken: a grant with iss, aud (one value), exp = now + 2 min, nbf, iat, a UUID jti, and scope. */
async function digdiratorToken(scope: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const o = r.org("ttd");
  const now = nowSec();
  const assertion = await signGrant(`${r.emu.url}/`, {
    iss: o.adminClient.clientId,
    scope,
    iat: now,
    exp: now + 120,
    jti: randomUUID(),
    extra: { nbf: now },
    header: { x5c: x5cOf(o.adminClient.certificatePem) },
    key: o.adminClient.certificateKeyPem,
  });
  return postToken(r.emu.url, assertion);
}

/** client.go request(): bearer token and Content-Type: application/json on every call, body or not. */
function digdir(method: string, path: string, body?: unknown) {
  return r.call(method, `/api/v1${path}`, {
    token,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { rawBody: JSON.stringify(body) }),
  });
}

/** instance.go toMaskinPortenClientRegistration, marshalled by encoding/json (nil slices are null; omitempty fields left out). */
const registration = (scopes: string[]) => ({
  access_token_lifetime: 3600,
  application_type: "web",
  authorization_lifetime: 7200,
  client_name: "NAV",
  client_uri: "https://www.nav.no",
  description: "dev-gcp:team:app",
  frontchannel_logout_session_required: false,
  grant_types: ["urn:ietf:params:oauth:grant-type:jwt-bearer"],
  integration_type: "maskinporten",
  post_logout_redirect_uris: null,
  redirect_uris: null,
  refresh_token_usage: "ONETIME",
  scopes,
  sso_disabled: false,
  token_endpoint_auth_method: "private_key_jwt",
});

/** instance.go toMaskinPortenScopeRegistration: `name` is sent empty; omitempty drops delegation_source when unset. */
const scopeRegistration = (subscope: string, extra: Record<string, unknown> = {}) => ({
  accessible_for_all: false,
  active: true,
  allowed_integration_types: ["maskinporten"],
  at_max_age: 30,
  description: "test - dev-gcp:team:app",
  name: "",
  prefix: "ttd",
  requires_pseudonymous_tokens: false,
  requires_user_authentication: false,
  requires_user_consent: false,
  subscope,
  token_type: "SELF_CONTAINED",
  visibility: "PUBLIC",
  ...extra,
});

beforeAll(async () => {
  r = await startReplay();
  const t = await digdiratorToken("idporten:dcr.write idporten:dcr.read idporten:scopes.write");
  token = t.body["access_token"] as string;
  consumer = r.org("consumer-a").orgNumber;
});
afterAll(async () => r.stop());

describe("nais/digdirator", () => {
  let clientId: string;
  let kid: string;

  it("pkg/digdir/auth.go: getAuthToken (x5c grant with nbf and a UUID jti; exp - iat = 120) gets access_token", async () => {
    const t = await digdiratorToken("idporten:dcr.write idporten:dcr.read idporten:scopes.write");
    expect(t.status).toBe(200);
    expect(typeof t.body["access_token"]).toBe("string");
  });

  it("pkg/config/config.go: delegationSources (GET /delegationsources, no token) decodes [{name, issuer}]", async () => {
    const res = await r.call("GET", "/api/v1/delegationsources");
    expect(res.status).toBe(200);
    const sources = res.json as { name: string; issuer: string }[];
    expect(sources.find((s) => s.name === "altinn")?.issuer).toMatch(/^https:\/\//);
  });

  it("pkg/digdir/client.go: Register (POST /clients) answers 2xx with client_id", async () => {
    const res = await digdir("POST", "/clients", registration(["ttd:example.read"]));
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    clientId = (res.json as { client_id: string }).client_id;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("pkg/digdir/client.go: GetRegistration (GET /clients) finds the client by description and integration_type", async () => {
    const res = await digdir("GET", "/clients");
    expect(res.status).toBe(200);
    const hit = (res.json as { client_id: string; description: string; integration_type: string }[]).find(
      (c) => c.description === "dev-gcp:team:app" && c.integration_type === "maskinporten",
    );
    expect(hit?.client_id).toBe(clientId);
  });

  it("pkg/digdir/client.go: Update (PUT /clients/{id}, the whole payload again) answers 2xx", async () => {
    const res = await digdir("PUT", `/clients/${clientId}`, registration(["ttd:example.read"]));
    expect(res.status).toBe(200);
    expect((res.json as { client_id: string }).client_id).toBe(clientId);
  });

  it("pkg/digdir/client.go: RegisterKeys (POST /clients/{id}/jwks, a go-jose public key set with use=sig) answers keys[].kid and exp", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
    kid = randomUUID();
    const res = await digdir("POST", `/clients/${clientId}/jwks`, {
      keys: [{ use: "sig", kty: "RSA", kid, alg: "RS256", n: jwk.n, e: jwk.e }],
    });
    expect(res.status).toBe(200);
    const body = res.json as { keys: { kid: string; exp: number }[]; created: string; last_updated: string };
    expect(body.keys.map((k) => k.kid)).toEqual([kid]);
    expect(Number.isInteger(body.keys[0]?.exp)).toBe(true);
  });

  it("pkg/digdir/client.go: GetKeys (GET /clients/{id}/jwks) reads kid and exp (epoch seconds, about a year ahead)", async () => {
    const res = await digdir("GET", `/clients/${clientId}/jwks`);
    expect(res.status).toBe(200);
    const key = (res.json as { keys: { kid: string; exp: number }[] }).keys[0];
    expect(key?.kid).toBe(kid);
    expect((key?.exp ?? 0) - nowSec()).toBeGreaterThan(300 * 86400);
  });

  it("pkg/digdir/client.go: GetAccessibleScopes (GET /scopes/access/all) decodes consumer_orgno, owner_orgno, scope, state", async () => {
    const res = await digdir("GET", "/scopes/access/all");
    expect(res.status).toBe(200);
    const rows = res.json as { consumer_orgno: string; owner_orgno: string; scope: string; state: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((x) => x.consumer_orgno === r.org("ttd").orgNumber && x.state === "APPROVED" && x.scope.includes(":"))).toBe(true);
  });

  it("pkg/digdir/client.go: GetOpenScopes (GET /scopes/all?accessible_for_all=true) decodes name and accessible_for_all", async () => {
    const res = await digdir("GET", "/scopes/all?accessible_for_all=true");
    expect(res.status).toBe(200);
    const rows = res.json as { name: string; accessible_for_all: boolean }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((s) => s.accessible_for_all)).toBe(true);
  });

  it('pkg/digdir/client.go: RegisterScope (POST /scopes with name "") answers the scope with prefix and subscope', async () => {
    const res = await digdir("POST", "/scopes", scopeRegistration("test:scope"));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ name: "ttd:test:scope", prefix: "ttd", subscope: "test:scope", active: true });
  });

  it("pkg/digdir/client.go: GetScopes (GET /scopes?inactive=true) lists own scopes, matched on subscope", async () => {
    const res = await digdir("GET", "/scopes?inactive=true");
    expect(res.status).toBe(200);
    expect((res.json as { subscope: string }[]).some((s) => s.subscope === "test:scope")).toBe(true);
  });

  it("pkg/digdir/client.go: GetScopeACL (GET /scopes/access?scope=) right after creating a scope: 2xx and an empty list", async () => {
    const res = await digdir("GET", `/scopes/access?scope=${encodeURIComponent("ttd:test:scope")}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });

  it("pkg/digdir/client.go: AddToScopeACL (PUT /scopes/access/{orgno}?scope=, no body) answers a ConsumerRegistration with RFC 3339 times", async () => {
    const res = await digdir("PUT", `/scopes/access/${consumer}?scope=${encodeURIComponent("ttd:test:scope")}`);
    expect(res.status).toBe(200);
    const rec = res.json as {
      consumer_orgno: string;
      owner_orgno: string;
      scope: string;
      state: string;
      created: string;
      last_updated: string;
    };
    expect(rec).toMatchObject({
      consumer_orgno: consumer,
      owner_orgno: r.org("ttd").orgNumber,
      scope: "ttd:test:scope",
      state: "APPROVED",
    });
    expect(rec.created).toMatch(RFC3339);
    expect(rec.last_updated).toMatch(RFC3339);
  });

  it("controllers/common/scopes.go: updateACL treats 400 on AddToScopeACL as an invalid consumer (an org number failing MOD11)", async () => {
    const res = await digdir("PUT", `/scopes/access/123456789?scope=${encodeURIComponent("ttd:test:scope")}`);
    expect(res.status).toBe(400);
  });

  it("pkg/digdir/client.go: GetScopeACL after a grant lists the consumer", async () => {
    const res = await digdir("GET", `/scopes/access?scope=${encodeURIComponent("ttd:test:scope")}`);
    expect((res.json as { consumer_orgno: string; state: string }[]).map((x) => [x.consumer_orgno, x.state])).toEqual([
      [consumer, "APPROVED"],
    ]);
  });

  it("pkg/digdir/client.go: DeactivateConsumer (DELETE /scopes/access/{orgno}?scope=, empty body) answers the record, DENIED", async () => {
    const res = await digdir("DELETE", `/scopes/access/${consumer}?scope=${encodeURIComponent("ttd:test:scope")}`, "");
    expect(res.status).toBe(200);
    expect((res.json as { state: string }).state).toBe("DENIED");
  });

  it("pkg/digdir/client.go: UpdateScope (PUT /scopes?scope=, the whole registration) answers the scope", async () => {
    const res = await digdir(
      "PUT",
      `/scopes?scope=${encodeURIComponent("ttd:test:scope")}`,
      scopeRegistration("test:scope", { at_max_age: 60 }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { at_max_age: number }).at_max_age).toBe(60);
  });

  it("pkg/digdir/client.go: DeleteScope (DELETE /scopes?scope=) answers the scope, inactive", async () => {
    const res = await digdir("DELETE", `/scopes?scope=${encodeURIComponent("ttd:test:scope")}`);
    expect(res.status).toBe(200);
    expect((res.json as { active: boolean }).active).toBe(false);
  });

  it("pkg/digdir/scopes/operations.go: an inactive scope that should be enabled is PUT with active=true (reactivated)", async () => {
    const res = await digdir(
      "PUT",
      `/scopes?scope=${encodeURIComponent("ttd:test:scope")}`,
      scopeRegistration("test:scope", { active: true }),
    );
    expect(res.status).toBe(200);
    expect((res.json as { active: boolean }).active).toBe(true);
  });

  it("pkg/clients/instance.go: an exposed scope with delegationSource altinn sends the source's issuer as delegation_source", async () => {
    const issuer = ((await r.call("GET", "/api/v1/delegationsources")).json as { name: string; issuer: string }[])[0]?.issuer as string;
    const res = await digdir("POST", "/scopes", scopeRegistration("delegated", { delegation_source: issuer }));
    expect(res.status).toBe(200);
    expect((res.json as { delegation_source: string }).delegation_source).toBe(issuer);
  });

  it("pkg/digdir/client.go: Delete (DELETE /clients/{id}) answers 2xx; the body is not read", async () => {
    const res = await digdir("DELETE", `/clients/${clientId}`);
    expect(res.status).toBe(200);
  });
});
