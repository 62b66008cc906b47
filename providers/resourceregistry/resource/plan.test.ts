// The resource's pure plan: what the program does not declare never shows as a change; sets, enums and texts
// compare by meaning; only the identifier forces a replacement.
import { describe, expect, it } from "vitest";

import { createBody, planResource, putBody } from "./plan.js";
import type { LiveResource } from "../schemas.js";

const TEXT = { en: "A", nb: "B", nn: "C" };
const declared = {
  identifier: "ttd-res",
  title: TEXT,
  description: TEXT,
  rightDescription: TEXT,
  resourceType: "CorrespondenceService",
  hasCompetentAuthority: { organization: "311000012", orgcode: "ttd" },
  availableForType: ["Company", "PrivatePerson"],
};

describe("resource plans", () => {
  it("ignores what the program does not declare, and compares sets, enums and texts by meaning", () => {
    const live = {
      ...declared,
      title: { en: " A ", nb: "B", nn: "C" },
      resourceType: "correspondenceservice",
      hasCompetentAuthority: { organization: "311000012", orgcode: "TTD", name: { en: "Testetaten", nb: "T", nn: "T" } },
      availableForType: ["PrivatePerson", "Company"],
      homepage: "https://set.in.studio",
      keywords: [{ word: "orders", language: "en" }],
    };
    expect(planResource(declared, live).changes).toEqual([]);
    expect(planResource({ ...declared, title: { ...TEXT, nn: "D" } }, live).changes.map((c) => c.field)).toEqual(["title"]);
    expect(planResource({ ...declared, identifier: "ttd-other" }, live).replaces).toEqual(["identifier"]);
  });

  it("PUTs the live resource with the declared fields set, and never the server's version", () => {
    const live: LiveResource = {
      ...declared,
      versionId: 17,
      homepage: "https://set.in.studio",
      title: { en: "old", nb: "old", nn: "old" },
      contactPoints: [],
    };
    const body = putBody(live, declared);
    expect(body).not.toHaveProperty("versionId");
    expect(body.homepage).toBe("https://set.in.studio");
    expect(body.title).toEqual(TEXT);
    expect(createBody({ ...declared, accessListMode: "Enabled" })).toMatchObject({ accessListMode: "Enabled", contactPoints: [] });
  });
});
