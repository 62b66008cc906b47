// The scope's pure plan: canonical form, body, and the live-to-fields mapping agree with each other.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { canonicalScope, planScope, scopeBody, scopeFromLive } from "./plan.js";

describe("scope plans", () => {
  const scopeDesired = fc.record({
    organization: fc.constant("311000012"),
    prefix: fc.constantFrom("ttd", "nav"),
    subscope: fc.stringMatching(/^[a-z][a-z0-9./:]{0,10}[a-z0-9]$/),
    description: fc.string({ minLength: 1, maxLength: 20 }),
    visibility: fc.constantFrom("PUBLIC", "PRIVATE"),
    atMaxAge: fc.oneof(
      fc.integer({ min: 0, max: 600 }),
      fc.integer({ min: 1, max: 9 }).map((m) => `PT${m}M`),
    ),
    allowedIntegrationTypes: fc.uniqueArray(fc.constantFrom("maskinporten", "api_klient", "krr"), { maxLength: 3 }),
    accessibleForAll: fc.boolean(),
  });

  it("planning desired against the state its application produced yields no changes", () => {
    fc.assert(
      fc.property(scopeDesired, (d) => {
        const body = scopeBody(canonicalScope(d));
        const live = {
          ...body,
          prefix: `${String(body.prefix)}:`,
          allowed_integration_types: [...(body.allowed_integration_types as string[])].reverse(),
          owner_orgno: d.organization,
        } as unknown as Parameters<typeof scopeFromLive>[0];
        const current = { ...scopeFromLive(live), organization: d.organization };
        expect(planScope(d, current).changes).toEqual([]);
      }),
    );
  });

  it("replaces on a prefix or subscope change, updates other fields in place", () => {
    const d = { prefix: "ttd", subscope: "a", description: "x" };
    expect(planScope({ ...d, subscope: "b" }, d).replaces).toEqual(["subscope"]);
    expect(planScope({ ...d, description: "y" }, d)).toMatchObject({
      replaces: [],
      changes: [{ field: "description", from: "x", to: "y" }],
    });
    expect(planScope({ ...d, visibility: "public" }, { ...d, visibility: "PUBLIC" }).changes).toEqual([]);
  });
});
