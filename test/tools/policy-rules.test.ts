/**
 * The policy pack's rules (policy/rules.ts), one resource at a time. The kinds that do not exist yet (registry
 * entries, System Register systems, Events subscriptions) are hand-written inputs with the type tokens and input
 * names agreed for them.
 */
import { describe, expect, it } from "vitest";

import { stackFacts, TOKENS, violations, type CheckedResource, type StackFacts } from "../../policy/rules.js";

const local: StackFacts = { environment: "local", testOnlyScopes: [] };
const test: StackFacts = { environment: "test", testOnlyScopes: ["ttd:debug"] };
const prod: StackFacts = { environment: "prod", testOnlyScopes: ["ttd:debug", "ttd:load-test"] };

function resource(type: string, props: Record<string, unknown>, protect = false, name = "r"): CheckedResource {
  return { type, name, props, protect };
}

/** The rule names a resource violates. */
function broken(r: CheckedResource, stack: StackFacts): string[] {
  return violations(r, stack).map(([rule]) => rule);
}

describe("prod clients carry no test-only scope", () => {
  const client = resource(TOKENS.client, { scopes: ["ttd:orders.read", "ttd:debug"] }, false, "client-orders-reader");

  it("violates in prod, naming the client and the scope", () => {
    const found = violations(client, prod);
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toBe("prod-clients-no-test-only-scopes");
    expect(found[0]?.[1]).toContain('client "client-orders-reader"');
    expect(found[0]?.[1]).toContain('"ttd:debug"');
  });

  it("allows the same client in test, and a prod client without test-only scopes", () => {
    expect(broken(client, test)).toEqual([]);
    expect(broken(resource(TOKENS.client, { scopes: ["ttd:orders.read"] }), prod)).toEqual([]);
  });
});

describe("keys live at most 365 days", () => {
  it("violates above 365 and accepts 365, anywhere", () => {
    expect(broken(resource(TOKENS.client, { keyLifetimeDays: 366 }), local)).toEqual(["key-lifetime-at-most-365-days"]);
    expect(broken(resource(TOKENS.client, { keyLifetimeDays: 365 }), prod)).toEqual([]);
  });

  it("does not judge a value still unknown in a preview", () => {
    expect(broken(resource(TOKENS.client, { keyLifetimeDays: undefined }), prod)).toEqual([]);
  });
});

describe("webhooks are https outside local", () => {
  const sub = (endpoint: string) => resource(TOKENS.eventsSubscription, { endpoint }, false, "orders-events");

  it("refuses http:// in test and prod, naming the endpoint", () => {
    expect(broken(sub("http://hooks.example.no/orders"), test)).toEqual(["webhooks-https-outside-local"]);
    expect(violations(sub("http://hooks.example.no/orders"), prod)[0]?.[1]).toContain("http://hooks.example.no/orders");
  });

  it("accepts https:// everywhere and http:// in local", () => {
    expect(broken(sub("https://hooks.example.no/orders"), prod)).toEqual([]);
    expect(broken(sub("http://127.0.0.1:9000/hook"), local)).toEqual([]);
  });
});

describe("every Altinn resource has a contact point", () => {
  it("violates without contactPoints or with only empty ones", () => {
    expect(broken(resource(TOKENS.registryResource, {}), local)).toEqual(["altinn-resources-have-contact-point"]);
    expect(broken(resource(TOKENS.registryResource, { contactPoints: [{ category: "Support", email: " " }] }), local)).toEqual([
      "altinn-resources-have-contact-point",
    ]);
  });

  it("accepts an email, a telephone or a contact page", () => {
    for (const point of [{ email: "support@ttd.no" }, { telephone: "+47 22 00 00 00" }, { contactPage: "https://ttd.no/kontakt" }]) {
      expect(broken(resource(TOKENS.registryResource, { contactPoints: [{ category: "Support", ...point }] }), local)).toEqual([]);
    }
  });
});

describe("registry resources and system ids are protected in prod", () => {
  const contact = { contactPoints: [{ email: "support@ttd.no" }] };

  it("violates for an unprotected registry entry or system in prod", () => {
    expect(broken(resource(TOKENS.registryResource, contact), prod)).toEqual(["prod-registry-entries-protected"]);
    expect(broken(resource(TOKENS.systemRegistration, { systemId: "311000012_orders" }), prod)).toEqual([
      "prod-registry-entries-protected",
    ]);
  });

  it("accepts them protected, and unprotected outside prod", () => {
    expect(broken(resource(TOKENS.registryResource, contact, true), prod)).toEqual([]);
    expect(broken(resource(TOKENS.systemRegistration, {}, true), prod)).toEqual([]);
    expect(broken(resource(TOKENS.systemRegistration, {}), test)).toEqual([]);
  });

  it("does not ask other kinds to be protected", () => {
    expect(broken(resource(TOKENS.client, { scopes: [] }), prod)).toEqual([]);
  });
});

describe("no scope is open to all unless the manifest says so", () => {
  it("violates for accessibleForAll without openToAll", () => {
    expect(broken(resource(TOKENS.scope, { accessibleForAll: true }), local)).toEqual(["scopes-not-open-to-all-unless-declared"]);
    expect(broken(resource(TOKENS.scope, { accessibleForAll: true, openToAll: false }), prod)).toEqual([
      "scopes-not-open-to-all-unless-declared",
    ]);
  });

  it("accepts openToAll: true, and scopes that are not open to all", () => {
    expect(broken(resource(TOKENS.scope, { accessibleForAll: true, openToAll: true }), prod)).toEqual([]);
    expect(broken(resource(TOKENS.scope, { accessibleForAll: false }), prod)).toEqual([]);
  });
});

describe("stack facts from the stack configuration", () => {
  it("reads the environment and a YAML list of test-only scopes (passed as JSON text)", () => {
    expect(
      stackFacts({ "altinn-onboarding:environment": "prod", "altinn-onboarding:testOnlyScopes": '["ttd:debug","ttd:load-test"]' }),
    ).toEqual({ environment: "prod", testOnlyScopes: ["ttd:debug", "ttd:load-test"] });
  });

  it("accepts a comma-separated list, and defaults to local with no test-only scopes", () => {
    expect(stackFacts({ "altinn-onboarding:testOnlyScopes": "ttd:debug, ttd:x" }).testOnlyScopes).toEqual(["ttd:debug", "ttd:x"]);
    expect(stackFacts({})).toEqual({ environment: "local", testOnlyScopes: [] });
  });
});
