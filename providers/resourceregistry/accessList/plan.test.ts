// The access list's pure plan: members as a set of parties, only the difference sent, at most 100 per request.
import { describe, expect, it } from "vitest";

import type { LiveMember } from "../schemas.js";
import { memberName, planAccessList, planConnections, planMembers } from "./plan.js";

const live = (orgno: string, uuid: string): LiveMember => ({
  id: `urn:altinn:party:uuid:${uuid}`,
  identifiers: {
    "urn:altinn:party:uuid": uuid,
    "urn:altinn:party:id": 5000 + Number(orgno.slice(-3)),
    "urn:altinn:organization:identifier-no": orgno,
  },
});

describe("access list plans", () => {
  it("treats an org number and its URN as one member, and the member list as a set", () => {
    const base = { owner: "ttd", identifier: "x", name: "X", description: "" };
    expect(
      planAccessList(
        { ...base, members: ["313000028", "314000013"] },
        { ...base, members: ["urn:altinn:organization:identifier-no:314000013", "313000028"] },
      ).changes,
    ).toEqual([]);
    expect(planAccessList({ ...base, members: ["313000028"] }, { ...base, members: [] }).changes.map((c) => c.field)).toEqual(["members"]);
    expect(planAccessList({ ...base, owner: "TTD" }, base).changes).toEqual([]);
    expect(planAccessList({ ...base, identifier: "y" }, base).replaces).toEqual(["identifier"]);
  });

  it("sends only the difference, in requests of at most 100", () => {
    const have = Array.from({ length: 150 }, (_, i) =>
      live(`9${String(i).padStart(8, "0")}`, `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`),
    );
    // Keep 100 of them, add 130 new ones.
    const keep = have.slice(50).map((m) => String(m.identifiers?.["urn:altinn:organization:identifier-no"]));
    const added = Array.from({ length: 130 }, (_, i) => `8${String(i).padStart(8, "0")}`);
    const plan = planMembers([...keep, ...added], have, 100);
    expect(plan.add.map((b) => b.length)).toEqual([100, 30]);
    expect(plan.add.flat().every((u) => u.startsWith("urn:altinn:organization:identifier-no:8"))).toBe(true);
    expect(plan.remove.map((b) => b.length)).toEqual([50]);
    expect(plan.remove.flat()).toEqual(
      have
        .slice(0, 50)
        .map((m) => m.id)
        .sort(),
    );
    expect(planMembers(keep, have.slice(50), 100)).toEqual({ add: [], remove: [] });
  });

  it("names a live member the way the program does", () => {
    const m = live("313000028", "0f9f3a3c-1c5e-4d43-9d62-1a2b3c4d5e6f");
    expect(memberName(m, new Set())).toBe("313000028");
    expect(memberName(m, new Set(["urn:altinn:party:uuid:0f9f3a3c-1c5e-4d43-9d62-1a2b3c4d5e6f"]))).toBe(
      "urn:altinn:party:uuid:0f9f3a3c-1c5e-4d43-9d62-1a2b3c4d5e6f",
    );
  });

  it("puts new or changed connections and deletes undeclared ones, comparing actions as sets", () => {
    expect(
      planConnections(
        [
          { resource: "a", actions: ["write", "read"] },
          { resource: "b", actions: ["read"] },
        ],
        [
          { resource: "a", actions: ["read", "write"] },
          { resource: "b", actions: [] },
          { resource: "c", actions: [] },
        ],
      ),
    ).toEqual({ put: [{ resource: "b", actions: ["read"] }], delete: ["c"] });
  });
});
