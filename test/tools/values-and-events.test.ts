/** The tools' value handling (masking, rendering, set deltas) and their reading of the CLI's event stream. */
import { describe, expect, it } from "vitest";

import { parseEvents } from "../../tools/ops/events.js";
import { mask, render, setDelta } from "../../tools/ops/values.js";
import { CLIENT, diagnostic, policyEvent, SCOPE, SECRET_ENVELOPE, step, summary, UNKNOWN } from "./events.js";

describe("values", () => {
  it("masks secrets wherever they sit: the CLI's [secret] text and ciphertext envelopes", () => {
    expect(mask({ a: "x", b: SECRET_ENVELOPE, c: [1, "[secret]", { d: SECRET_ENVELOPE }] })).toEqual({
      a: "x",
      b: "[secret]",
      c: [1, "[secret]", { d: "[secret]" }],
    });
    expect(mask({ jwk: { d: "private" } }, true)).toBe("[secret]");
  });

  it("renders unknowns, missing values and long values for a person", () => {
    expect(render(UNKNOWN)).toBe("(known after apply)");
    expect(render(["a", UNKNOWN])).toBe('["a",(known after apply)]');
    expect(render(undefined)).toBe("(none)");
    expect(render("x".repeat(300))).toHaveLength(160);
    expect(render({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it("compares sets by element, ignoring order and duplicates", () => {
    expect(setDelta(["2026-11", "x", "x"], ["x", "2027-05"])).toEqual({ added: ["2027-05"], removed: ["2026-11"] });
    expect(setDelta(undefined, ["a"])).toEqual({ added: ["a"], removed: [] });
    expect(setDelta([{ email: "a@b.no" }], [{ email: "a@b.no" }])).toEqual({ added: [], removed: [] });
  });
});

describe("the CLI's event stream", () => {
  const text = [
    "not json: a line the CLI might print",
    JSON.stringify({ sequence: 0, timestamp: 1, preludeEvent: { config: {} } }),
    step("update", CLIENT, "client-a", { id: "c1", inputs: { name: "a" }, outputs: { name: "a" } }, { inputs: { name: "b" } }),
    step("delete", SCOPE, "scope-old", { id: "ttd:old", inputs: {}, outputs: {} }),
    diagnostic("debug", "Registering resource"),
    diagnostic("warning", "something to look at"),
    diagnostic("error", "preview failed"),
    policyEvent(SCOPE, "scope-open", "scopes-not-open-to-all-unless-declared", "Description.", "What is wrong."),
    summary("failed", { update: 1, delete: 1 }),
  ].join("\n");
  const run = parseEvents(text);

  it("merges a step's pre-event and outputs event into one step, in order", () => {
    expect(run.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`)).toEqual(["update client-a", "delete scope-old"]);
    expect(run.steps[0]?.old?.id).toBe("c1");
    expect(run.steps[0]?.new?.inputs.name).toBe("b");
    expect(run.steps[1]?.new).toBeUndefined();
  });

  it("keeps warnings, errors, policy violations and the summary; drops debug output", () => {
    expect(run.diagnostics).toEqual([
      { severity: "warning", message: "something to look at" },
      { severity: "error", message: "preview failed" },
    ]);
    expect(run.policyViolations).toEqual([
      {
        urn: expect.stringContaining("::scope-open") as unknown,
        policyPack: "altinn-onboarding",
        policy: "scopes-not-open-to-all-unless-declared",
        enforcementLevel: "mandatory",
        message: "Description.\nWhat is wrong.",
      },
    ]);
    expect(run.result).toBe("failed");
    expect(run.resourceChanges).toEqual({ update: 1, delete: 1 });
  });
});
