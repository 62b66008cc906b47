// The grant's pure plan: desired is always APPROVED, a revoked or requested access is drift, every argument
// identifies the grant.
import { describe, expect, it } from "vitest";

import { grantId, parseGrantId, planGrant } from "./plan.js";

describe("grant plans", () => {
  const grant = { organization: "311000012", scope: "ttd:a/b:c", consumerOrg: "313000028" };

  it("sees no change for an approved grant and a change of state for a revoked or requested one", () => {
    expect(planGrant(grant, { ...grant, state: "APPROVED" }).changes).toEqual([]);
    for (const state of ["DENIED", "REQUESTED"]) {
      expect(planGrant(grant, { ...grant, state })).toEqual({
        changes: [{ field: "state", from: state, to: "APPROVED", replace: false }],
        replaces: [],
      });
    }
  });

  it("replaces when the scope, the consumer or the owner changes", () => {
    for (const field of ["organization", "scope", "consumerOrg"] as const) {
      expect(planGrant({ ...grant, [field]: "x" }, { ...grant, state: "APPROVED" }).replaces).toEqual([field]);
    }
  });

  it("round-trips its id, whatever the scope name holds", () => {
    expect(parseGrantId(grantId("ttd:a/b:c", "313000028"))).toEqual({ scope: "ttd:a/b:c", consumerOrg: "313000028" });
  });
});
