// The client's pure plan: canonical form, per-field diffs, key plans. Property tests apply a plan the way the
// API would and check that planning again finds nothing to do.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { describePlan } from "../../runtime/plan.js";
import { UNKNOWN } from "../../runtime/validation.js";
import {
  canonicalClient,
  clientBody,
  planClient,
  planKeys,
  splitDescription,
  storedDescription,
  type KeyRecord,
  type OwnKey,
  type RegisteredJwk,
} from "./plan.js";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;

const scopeName = fc
  .tuple(fc.constantFrom("ttd", "altinn", "nav", "digdir"), fc.stringMatching(/^[a-z0-9][a-z0-9./]{0,10}[a-z0-9]$/))
  .map(([p, s]) => `${p}:${s}`);
const keyName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const clientDesired = fc.record({
  organization: fc.constantFrom("313000028", "311000012"),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  description: fc.string({ maxLength: 30 }).filter((s) => !s.includes("[iac:") && s.trim() === s),
  marker: fc.stringMatching(/^iac:[a-z0-9/]{1,20}$/),
  integrationType: fc.constantFrom("maskinporten", "api_klient"),
  scopes: fc.uniqueArray(scopeName, { minLength: 1, maxLength: 5 }),
  accessTokenLifetime: fc.oneof(
    fc.integer({ min: 0, max: 3600 }),
    fc.integer({ min: 0, max: 59 }).map((m) => `PT${m}M`),
    fc.integer({ min: 0, max: 59 }).map((m) => `00:${String(m).padStart(2, "0")}:00`),
  ),
  keys: fc.uniqueArray(keyName, { maxLength: 5 }),
  keyLifetimeDays: fc.integer({ min: 60, max: 365 }),
  keyRenewalDays: fc.integer({ min: 0, max: 59 }),
});

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  return [...xs].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 17 + seed) % 7));
}

describe("client plans", () => {
  it("planning desired against the state its application produced yields no changes", () => {
    fc.assert(
      fc.property(clientDesired, fc.integer(), (desired, seed) => {
        // What Digdir stores for the body we send, handed back in its own order.
        const body = clientBody(canonicalClient(desired, "desired", NOW));
        const live: Record<string, unknown> = { ...body, scopes: shuffle(body.scopes as string[], seed), client_id: "c", active: true };
        const { description, marker } = splitDescription(String(live.description));
        const exp = new Date(NOW + desired.keyLifetimeDays * DAY).toISOString();
        const registeredKeys: KeyRecord[] = desired.keys.map((name) => ({
          name,
          kid: `kid-${name}`,
          expiresAt: exp,
          registered: true,
        }));
        const current = {
          organization: desired.organization,
          integrationType: live.integration_type,
          name: live.client_name,
          description,
          marker,
          scopes: live.scopes,
          accessTokenLifetime: live.access_token_lifetime,
          keys: desired.keys,
          registeredKeys,
        };
        const plan = planClient(desired, current, NOW);
        expect(plan.changes).toEqual([]);
      }),
    );
  });

  it("a changed field is named, and only integration type and organisation force replacement", () => {
    fc.assert(
      fc.property(
        clientDesired,
        fc.constantFrom("name", "scopes", "accessTokenLifetime", "integrationType", "organization", "description"),
        (d, field) => {
          const changed: Record<string, unknown> = {
            name: `${d.name}x`,
            scopes: [...d.scopes, "ttd:extra.scope"],
            accessTokenLifetime: 7201,
            integrationType: d.integrationType === "maskinporten" ? "api_klient" : "maskinporten",
            organization: d.organization === "313000028" ? "311000012" : "313000028",
            description: `${d.description}!`,
          };
          const registeredKeys = d.keys.map((name) => ({ name, kid: name, registered: true }));
          const plan = planClient({ ...d, [field]: changed[field] }, { ...d, registeredKeys }, NOW);
          expect(plan.changes.map((c) => c.field)).toEqual([field]);
          expect(plan.replaces).toEqual(field === "integrationType" || field === "organization" ? [field] : []);
          expect(describePlan(plan)).toContain(field);
        },
      ),
    );
  });

  it("flags a key within the renewal window, a missing key, and a key not registered", () => {
    const base = { name: "a", marker: "iac:x", scopes: ["ttd:a"], keys: ["k"], keyRenewalDays: 30 };
    const rec = (expiresInDays: number, registered = true): KeyRecord => ({
      name: "k",
      kid: "kid",
      expiresAt: new Date(NOW + expiresInDays * DAY).toISOString(),
      registered,
    });
    expect(planClient(base, { ...base, registeredKeys: [rec(31)] }, NOW).changes).toEqual([]);
    expect(planClient(base, { ...base, registeredKeys: [rec(29)] }, NOW).changes.map((c) => c.field)).toEqual(["keys"]);
    expect(planClient(base, { ...base, registeredKeys: [rec(200, false)] }, NOW).changes.map((c) => c.field)).toEqual(["keys"]);
    expect(planClient(base, { ...base, registeredKeys: [] }, NOW).changes.map((c) => c.field)).toEqual(["keys"]);
  });

  it("treats values unknown during preview as changes, never as replacements it cannot be sure of", () => {
    const base = { name: "a", marker: "iac:x", scopes: ["ttd:a"], integrationType: "maskinporten" };
    expect(planClient({ ...base, scopes: [UNKNOWN] }, base, NOW).changes.map((c) => c.field)).toEqual(["scopes"]);
    const unknownType = planClient({ ...base, integrationType: UNKNOWN }, base, NOW);
    expect(unknownType.changes.map((c) => c.field)).toEqual(["integrationType"]);
    expect(unknownType.replaces).toEqual([]);
    // Known, it does force a replacement.
    expect(planClient({ ...base, integrationType: "api_klient" }, base, NOW).replaces).toEqual(["integrationType"]);
  });

  it("keeps the marker apart from the user's description", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("[iac:") && s.trim() === s),
        fc.stringMatching(/^iac:[a-z0-9/]{1,20}$/),
        (d, m) => {
          expect(splitDescription(storedDescription(d, m))).toEqual({ description: d, marker: m });
        },
      ),
    );
    expect(splitDescription("made by hand")).toEqual({ description: "made by hand", marker: "" });
  });
});

describe("key plans", () => {
  const jwk = (kid: string, expDays = 300): RegisteredJwk => ({
    kid,
    kty: "RSA",
    n: `n-${kid}`,
    e: "AQAB",
    use: "sig",
    alg: "RS256",
    exp: Math.floor((NOW + expDays * DAY) / 1000),
  });
  const rec = (name: string): OwnKey => ({
    name,
    kid: `kid-${name}`,
    publicJwk: { kty: "RSA", n: `n-kid-${name}`, e: "AQAB" },
  });

  const scenario = fc.record({
    before: fc.uniqueArray(keyName, { maxLength: 4 }),
    after: fc.uniqueArray(keyName, { maxLength: 4 }),
    external: fc.uniqueArray(fc.stringMatching(/^ext[0-9]$/), { maxLength: 2 }),
  });

  it("never removes a key before the new ones are registered, keeps outside keys, and converges", () => {
    fc.assert(
      fc.property(scenario, ({ before, after, external }) => {
        const ours = before.map(rec);
        let live: RegisteredJwk[] = [...external.map((k) => jwk(k)), ...before.map((n) => jwk(`kid-${n}`))];
        const generated = Object.fromEntries(after.filter((n) => !before.includes(n)).map((n) => [n, jwk(`kid-${n}`)]));
        const plan = planKeys({ desired: after, ours, live, generated, nowMs: NOW, renewalDays: 30, lifetimeDays: 365 });
        const kidsBefore = new Set(live.map((k) => k.kid));
        plan.writes.forEach((set, i) => {
          const kids = new Set(set.map((k) => k.kid));
          for (const e of external) expect(kids.has(e)).toBe(true);
          // The first write only adds: every key live before is still there.
          if (i === 0 && plan.writes.length > 1) for (const k of kidsBefore) expect(kids.has(k)).toBe(true);
          for (const k of set) expect(k.use).toBe("sig");
          live = [...set];
        });
        expect(live.map((k) => k.kid).sort()).toEqual([...external, ...after.map((n) => `kid-${n}`)].sort());
        expect(plan.external).toEqual([...external].sort());
        expect(plan.peak).toBe(Math.max(external.length + before.length, ...plan.writes.map((w) => w.length)));
        // Planning again against what was written finds nothing to do.
        const again = planKeys({
          desired: after,
          ours: after.map(rec),
          live,
          generated: {},
          nowMs: NOW,
          renewalDays: 30,
          lifetimeDays: 365,
        });
        expect(again.writes).toEqual([]);
      }),
    );
  });

  it("renews a key close to expiry with the same kid and a new exp", () => {
    const plan = planKeys({
      desired: ["a"],
      ours: [rec("a")],
      live: [jwk("kid-a", 10)],
      generated: {},
      nowMs: NOW,
      renewalDays: 30,
      lifetimeDays: 365,
    });
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.[0]?.kid).toBe("kid-a");
    expect(plan.writes[0]?.[0]?.exp).toBe(Math.floor(NOW / 1000) + 365 * 86_400);
  });

  it("adds use:sig to outside keys that lack it when the set is written", () => {
    const { use: _u, ...old } = jwk("ext-old");
    const plan = planKeys({
      desired: ["a"],
      ours: [],
      live: [old as RegisteredJwk],
      generated: { a: jwk("kid-a") },
      nowMs: NOW,
      renewalDays: 30,
      lifetimeDays: 365,
    });
    expect(plan.writes[0]?.find((k) => k.kid === "ext-old")?.use).toBe("sig");
  });

  it("removes stray keys (the program's prefix, not held) in the first write, keeps outside keys, and converges", () => {
    const prefix = "iac-abcdefghijkl.";
    const plan = planKeys({
      desired: ["a", "b"],
      ours: [rec("a")],
      live: [jwk("kid-a"), jwk(`${prefix}lost`), jwk("ext-1"), jwk("iac-otherclient0.x")],
      generated: { b: jwk(`${prefix}new-b`) },
      nowMs: NOW,
      renewalDays: 30,
      lifetimeDays: 365,
      ownKidPrefix: prefix,
    });
    expect(plan.stray).toEqual([`${prefix}lost`]);
    expect(plan.external).toEqual(["ext-1", "iac-otherclient0.x"]);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]?.map((k) => k.kid).sort()).toEqual(["ext-1", "iac-otherclient0.x", "kid-a", `${prefix}new-b`].sort());
  });

  it("writes the set without stray keys even when nothing else changes; without a prefix nothing is stray", () => {
    const prefix = "iac-abcdefghijkl.";
    const input = {
      desired: ["a"],
      ours: [rec("a")],
      live: [jwk("kid-a"), jwk(`${prefix}lost`)],
      generated: {},
      nowMs: NOW,
      renewalDays: 30,
      lifetimeDays: 365,
    };
    const plan = planKeys({ ...input, ownKidPrefix: prefix });
    expect(plan.writes.map((w) => w.map((k) => k.kid))).toEqual([["kid-a"]]);
    const legacy = planKeys(input);
    expect(legacy.writes).toEqual([]);
    expect(legacy.external).toEqual([`${prefix}lost`]);
    expect(legacy.stray).toEqual([]);
  });

  it("shows stray keys in state as a change of strayKeys that no replacement needs", () => {
    const desired = { organization: "313000028", name: "n", marker: "iac:x", scopes: ["ttd:a"], keys: [] };
    const clean = planClient(desired, { ...desired, strayKeyIds: [] }, NOW);
    expect(clean.changes).toEqual([]);
    const legacyState = planClient(desired, desired, NOW);
    expect(legacyState.changes).toEqual([]);
    const drifted = planClient(desired, { ...desired, strayKeyIds: ["iac-x.lost"] }, NOW);
    expect(drifted.changes.map((c) => c.field)).toEqual(["strayKeys"]);
    expect(drifted.replaces).toEqual([]);
  });
});
