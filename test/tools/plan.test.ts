/**
 * The reviewer's summary (tools/ops/plan.ts) from hand-written preview events: per kind and operation, per field
 * old -> new as the kind's plan decides, sets as additions and removals, secrets masked, replacements and
 * deletions first, policy violations named.
 */
import { describe, expect, it } from "vitest";

import { parseEvents } from "../../tools/ops/events.js";
import { commentMarker, planMarkdown, planSummary } from "../../tools/ops/plan.js";
import { CLIENT, clientInputs, clientOutputs, GRANT, policyEvent, SCOPE, SECRET_ENVELOPE, step, summary, UNKNOWN } from "./events.js";

const NOW = Date.parse("2026-12-01T00:00:00Z");
const FAR = "2027-11-30T00:00:00.000Z";

function scopeInputs(subscope: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    organization: "311000012",
    prefix: "ttd",
    subscope,
    description: "Orders",
    visibility: "PUBLIC",
    accessibleForAll: false,
    ...over,
  };
}

const preview = [
  step("same", "pulumi:pulumi:Stack", "altinn-onboarding-test", { inputs: {}, custom: false }, { inputs: {}, custom: false }),
  // key 2027-05 added, key 2026-11 removed, a renamed client
  step(
    "update",
    CLIENT,
    "client-orders-reader",
    { id: "7b0f", inputs: clientInputs(), outputs: clientOutputs({ "2026-11": FAR }) },
    { inputs: clientInputs({ keys: ["2027-05"], name: "Orders reader v2" }) },
  ),
  step("create", SCOPE, "scope-ttd:orders.write", undefined, { inputs: scopeInputs("orders.write") }),
  step("create", GRANT, "grant-ttd:orders.write-313000028", undefined, {
    inputs: { organization: "311000012", scope: UNKNOWN, consumerOrg: "313000028" },
  }),
  step("delete", SCOPE, "scope-ttd:orders.old", {
    id: "ttd:orders.old",
    inputs: scopeInputs("orders.old"),
    outputs: scopeInputs("orders.old"),
  }),
  ...["create-replacement", "replace", "delete-replaced"].map((op) =>
    step(
      op,
      SCOPE,
      "scope-ttd:orders.read",
      { id: "ttd:orders.read", inputs: scopeInputs("orders.read"), outputs: scopeInputs("orders.read") },
      op === "delete-replaced" ? undefined : { inputs: scopeInputs("orders.read", { organization: "310000002" }) },
      ["organization"],
    ),
  ),
  summary("succeeded", { same: 2, update: 1, create: 2, delete: 1, replace: 1 }),
].join("\n");

describe("the plan summary", () => {
  const s = planSummary("test", parseEvents(preview), NOW);
  const md = planMarkdown(s);
  const lines = md.split("\n");

  it("counts per operation and per kind, leaving out the stack", () => {
    expect(s.counts).toEqual({ replace: 1, delete: 1, create: 2, update: 1, same: 0 });
    expect(s.perKind).toEqual({
      "maskinporten:Client": { replace: 0, delete: 0, create: 0, update: 1 },
      "maskinporten:Scope": { replace: 1, delete: 1, create: 1, update: 0 },
      "maskinporten:ScopeGrant": { replace: 0, delete: 0, create: 1, update: 0 },
    });
    expect(lines).toContain("**1 to replace, 1 to delete, 2 to create, 1 to update**; 0 unchanged.");
  });

  it("shows a set as additions and removals, and other fields as old -> new", () => {
    expect(lines).toContain("- **update** `maskinporten:Client` `client-orders-reader` (id `7b0f`)");
    expect(lines).toContain("  - `keys`: added `2027-05`; removed `2026-11`");
    expect(lines).toContain('  - `name`: `"Orders reader"` -> `"Orders reader v2"`');
    expect(md).not.toContain("`scopes`"); // unchanged fields are not listed
  });

  it("calls out replacements and deletions first, with what forces the replacement", () => {
    const first = lines.findIndex((l) => l.startsWith("- **"));
    expect(lines[first]).toBe(
      "- **replace** `maskinporten:Scope` `scope-ttd:orders.read` (id `ttd:orders.read`): replaced because of `organization`",
    );
    expect(lines[first + 1]).toBe('  - `organization`: `"311000012"` -> `"310000002"` (forces replacement)');
    expect(lines[first + 2]).toBe("- **delete** `maskinporten:Scope` `scope-ttd:orders.old` (id `ttd:orders.old`)");
    expect(lines.indexOf("#### Replacements and deletions (review these first)")).toBeLessThan(lines.indexOf("#### Creations"));
    expect(lines.indexOf("#### Creations")).toBeLessThan(lines.indexOf("#### Updates"));
  });

  it("lists a new resource's fields, naming values known only after apply", () => {
    expect(lines).toContain("- **create** `maskinporten:ScopeGrant` `grant-ttd:orders.write-313000028`");
    expect(lines).toContain("  - `scope`: `(known after apply)`");
    expect(lines).toContain('  - `subscope`: `"orders.write"`');
  });

  it("starts with the marker the pull-request workflow finds its comment by", () => {
    expect(lines[0]).toBe(commentMarker("test"));
    expect(commentMarker("test")).toBe("<!-- altinn-onboarding:plan stack=test -->");
  });
});

describe("secrets in a plan", () => {
  it("masks a secret field and a secret value on both sides", () => {
    const events = step(
      "update",
      "pulumi-nodejs:dynamic/example:Webhook", // no kind has this token: compared generically
      "orders-hook",
      {
        id: "s1",
        inputs: { endpoint: "https://a.example.no", secretHeader: SECRET_ENVELOPE },
        outputs: { endpoint: "https://a.example.no", secretHeader: SECRET_ENVELOPE },
      },
      { inputs: { endpoint: "https://b.example.no", secretHeader: "[secret]" } },
    );
    const s = planSummary("test", parseEvents(events), NOW);
    const md = planMarkdown(s);
    expect(md).toContain('  - `endpoint`: `"https://a.example.no"` -> `"https://b.example.no"`');
    expect(md).not.toContain("ciphertext");
    expect(JSON.stringify(s)).not.toContain("1b47061264138c4ac30d75fd1eb44270");
    // an unknown kind is compared generically, and says so
    expect(md).toContain("(no plan for this type: inputs compared as they are)");
  });

  it("never shows the client's private keys, even when they are part of a change", () => {
    const events = step(
      "update",
      CLIENT,
      "client-x",
      { id: "c1", inputs: clientInputs(), outputs: clientOutputs({ "2026-11": FAR }) },
      { inputs: { ...clientInputs(), privateJwks: { "2026-11": '{"d":"private-part"}' } } },
    );
    const s = planSummary("test", parseEvents(events), NOW);
    expect(JSON.stringify(s)).not.toContain("private-part");
    expect(planMarkdown(s)).not.toContain("private-part");
  });
});

describe("policy violations in a plan", () => {
  const events = [
    step("create", SCOPE, "scope-ttd:open", undefined, { inputs: scopeInputs("open", { accessibleForAll: true }) }),
    policyEvent(
      SCOPE,
      "scope-ttd:open",
      "scopes-not-open-to-all-unless-declared",
      "No Maskinporten scope is open to all organisations unless the manifest says openToAll: true for it.",
      'scope "scope-ttd:open" is accessible to all organisations but the manifest does not say openToAll: true for it',
    ),
    summary("failed", { create: 1 }),
  ].join("\n");

  it("names the rule, the resource and the message, and blocks", () => {
    const s = planSummary("prod", parseEvents(events), NOW);
    expect(s.blocked).toBe(true);
    const md = planMarkdown(s);
    expect(md).toContain("#### Policy violations (blocking: the change cannot be applied)");
    expect(md).toContain(
      '- **scopes-not-open-to-all-unless-declared** [mandatory] on `maskinporten:Scope` `scope-ttd:open`: scope "scope-ttd:open" is accessible to all organisations but the manifest does not say openToAll: true for it',
    );
  });
});

describe("no changes", () => {
  it("says so", () => {
    const events = [
      step(
        "same",
        CLIENT,
        "client-x",
        { id: "c1", inputs: clientInputs(), outputs: clientOutputs({ "2026-11": FAR }) },
        { inputs: clientInputs() },
      ),
      summary("succeeded", { same: 2 }),
    ].join("\n");
    const md = planMarkdown(planSummary("local", parseEvents(events), NOW));
    expect(md).toContain("**No changes.** 1 unchanged.");
    expect(md).not.toContain("| kind |");
  });
});
