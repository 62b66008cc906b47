// npm run verify's reporting: a table a person reads, and nothing to check is not a pass.
import { describe, expect, it } from "vitest";

import { table, verify, type CheckResult } from "../../tools/ops/verify.js";

describe("verify", () => {
  it("checks nothing in a stack without stories (and the command then exits 1)", async () => {
    const results = await verify({}, { "altinn-onboarding:environment": "local" }, { write: false, maxWaitSeconds: 0 });
    expect(results).toEqual([]);
  });

  it("outside the local stack, does only what is safe unless asked to write", async () => {
    const story = {
      organization: "311000012",
      orgCode: "ttd",
      resource: "ttd-r",
      recipients: ["313000028"],
      senders: [],
      client: { clientId: "c", organization: "311000012", scopes: [], keyIds: {} },
      subscriptions: [],
    };
    const results = await verify(
      { stories: { correspondence: { letters: story }, broker: { files: story } } },
      { "altinn-onboarding:environment": "test" },
      { write: false, maxWaitSeconds: 0 },
    );
    expect(results.map((r) => [r.story, r.result, r.detail])).toEqual([
      ["correspondence letters", "skipped", "writes only with --write outside the local stack"],
      ["broker files", "skipped", "writes only with --write outside the local stack"],
    ]);
  });

  it("prints story, check, result and time, with the reason of what did not pass", () => {
    const results: CheckResult[] = [
      { story: "client a", check: "Maskinporten token with key k1", result: "pass", detail: "scopes x", ms: 120 },
      {
        story: "correspondence c",
        check: "read as recipient 313000028",
        result: "fail",
        detail: "resource r: organisation 313000028 may not read (action read): HTTP 401 CORR-04001",
        ms: 2500,
      },
    ];
    const lines = table(results).split("\n");
    expect(lines[0]).toMatch(/^story\s+check\s+result\s+time\s+detail$/);
    expect(lines[2]).toMatch(/^client a\s+Maskinporten token with key k1\s+pass\s+0\.1 s$/);
    expect(lines[3]).toMatch(/fail\s+2\.5 s\s+resource r: organisation 313000028 may not read \(action read\): HTTP 401 CORR-04001$/);
  });
});
