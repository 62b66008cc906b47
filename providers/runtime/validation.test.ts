// Offline rules shared by every kind: org numbers, durations, scope names.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { isScopeName } from "../digdir/names.js";
import { durationSeconds, isValidOrgNumber } from "./validation.js";

describe("offline rules", () => {
  it("accepts real and emulator org numbers and rejects any single-digit change", () => {
    for (const valid of ["974760673", "991825827", "310000019", "313000028"]) expect(isValidOrgNumber(valid)).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom("974760673", "991825827", "310000019", "313000028"),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (org, pos, delta) => {
          const digit = (Number(org[pos]) + delta) % 10;
          const changed = org.slice(0, pos) + String(digit) + org.slice(pos + 1);
          expect(isValidOrgNumber(changed)).toBe(false);
        },
      ),
    );
    expect(isValidOrgNumber("12345678")).toBe(false);
  });

  it("reads durations as seconds in all three notations", () => {
    expect(durationSeconds(120)).toBe(120);
    expect(durationSeconds("PT2M")).toBe(120);
    expect(durationSeconds("P1DT1H")).toBe(90_000);
    expect(durationSeconds("00:02:00")).toBe(120);
    expect(durationSeconds("1.00:00:30")).toBe(86_430);
    expect(durationSeconds("2 minutes")).toBeUndefined();
    expect(durationSeconds("PT")).toBeUndefined();
  });

  it("knows scope syntax", () => {
    for (const ok of ["ttd:example.read", "altinn:resourceregistry/resource.write", "idporten:dcr/onbehalfof:write"])
      expect(isScopeName(ok)).toBe(true);
    for (const bad of ["ttd", ":x", "TTD:x", "ttd:", "ttd:x/", "ttd: x"]) expect(isScopeName(bad)).toBe(false);
  });
});
