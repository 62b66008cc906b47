/**
 * `npm run drift` and `npm run plan` as a user runs them, through the real Pulumi CLI against the emulator:
 * no drift -> exit 0; a change made outside Pulumi -> exit 1 and a report naming the field (declared vs live);
 * a manifest change -> a plan summary with the expected lines (sets as additions and removals); a policy
 * violation -> the plan names it and exits 1; a stack that does not exist -> exit 2 with what to do; no private
 * key material in any report.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { adminToken, emulatorOrgs, selfService } from "../support/maskinporten.js";
import { localStacks, type LocalStack } from "../support/local-stack.js";
import { repoRoot } from "../support/pulumi-cli.js";

const PROVIDER = "311000012";
const CONSUMER = "313000028";
const SCOPE = "ttd:e2e.ops";

function manifest(opts: { keys: string[]; clientName: string; openScope?: boolean }): unknown {
  return {
    organization: PROVIDER,
    maskinporten: {
      scopes: [
        {
          prefix: "ttd",
          subscope: "e2e.ops",
          description: "Ops e2e",
          consumers: [CONSUMER],
          ...(opts.openScope ? { accessibleForAll: true } : {}),
        },
      ],
      clients: [{ name: "ops-reader", clientName: opts.clientName, organization: CONSUMER, scopes: [SCOPE], keys: opts.keys }],
    },
  };
}

interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe("drift and plan tools through the real CLI", () => {
  const stacks = localStacks();
  let stack: LocalStack;
  let out: string;

  /** `npm run --silent <tool> -- --stack <stack> --out <dir> ...` with the stack's CLI environment. */
  const tool = (name: "drift" | "plan", args: string[], stackName = "e2e-ops"): Promise<ToolRun> =>
    new Promise((resolve, reject) => {
      const child = spawn("npm", ["run", "--silent", name, "--", "--stack", stackName, "--out", out, ...args], {
        cwd: repoRoot,
        env: stack.env,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "ops-reports-"));
    stack = await stacks.stack("e2e-ops", manifest({ keys: ["2026-11"], clientName: "e2e ops reader" }));
    await stack.run(["up", "--yes", "--skip-preview"]);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("drift: exit 0 and says so when live matches what was declared", async () => {
    const r = await tool("drift", []);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("### Drift report for stack `e2e-ops`");
    expect(r.stdout).toMatch(/\*\*No drift\.\*\* 3 resources match/);
  });

  it("drift: exit 1 and a Markdown and JSON report naming the field changed outside Pulumi", async () => {
    const clientId = (
      JSON.parse((await stack.run(["stack", "output", "clients", "--json"])).stdout) as Record<string, { clientId: string }>
    )["ops-reader"]!.clientId;
    const consumer = (await emulatorOrgs(stacks.url())).find((o) => o.orgNumber === CONSUMER)!;
    const token = await adminToken(stacks.url(), consumer);
    const live = (await selfService(stacks.url(), token, "GET", `/clients/${clientId}`)).json as Record<string, unknown>;
    const { created: _c, last_updated: _u, ...rest } = live;
    expect(
      (await selfService(stacks.url(), token, "PUT", `/clients/${clientId}`, { ...rest, client_name: "renamed by hand" })).status,
    ).toBe(200);

    const r = await tool("drift", []);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("**Drift in 1 of 3 resources.**");
    expect(r.stdout).toContain(`#### \`maskinporten:Client\` \`client-ops-reader\` (id \`${clientId}\`): changed outside Pulumi`);
    expect(r.stdout).toContain('| `name` | `"e2e ops reader"` | `"renamed by hand"` |  |');
    expect(readFileSync(join(out, "drift-e2e-ops.md"), "utf8")).toBe(r.stdout);
    const json = JSON.parse(readFileSync(join(out, "drift-e2e-ops.json"), "utf8")) as {
      drift: boolean;
      drifted: { name: string; fields: { field: string; declared: unknown; live: unknown }[] }[];
    };
    expect(json.drift).toBe(true);
    expect(json.drifted[0]?.fields).toEqual([{ field: "name", declared: "e2e ops reader", live: "renamed by hand", replace: false }]);
  });

  it("plan: a manifest change gives the reviewer's summary, keys as added and removed", async () => {
    await stack.run(["up", "--yes", "--refresh", "--skip-preview"]); // back to the declared state
    stack.setManifest(manifest({ keys: ["2027-05"], clientName: "e2e ops reader v2" }));
    const r = await tool("plan", []);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("<!-- altinn-onboarding:plan stack=e2e-ops -->");
    expect(lines).toContain("**1 to update**; 2 unchanged.");
    expect(lines).toContain("| `maskinporten:Client` |  | 1 |  |  |");
    expect(lines.some((l) => /^- \*\*update\*\* `maskinporten:Client` `client-ops-reader` \(id `[\w-]+`\)$/.test(l))).toBe(true);
    expect(lines).toContain("  - `keys`: added `2027-05`; removed `2026-11`");
    expect(lines).toContain('  - `name`: `"e2e ops reader"` -> `"e2e ops reader v2"`');
    const json = JSON.parse(readFileSync(join(out, "plan-e2e-ops.json"), "utf8")) as { counts: Record<string, number> };
    expect(json.counts).toEqual({ replace: 0, delete: 0, create: 0, update: 1, same: 2 });
  });

  it("plan: a policy violation is named in the summary and exits 1", async () => {
    stack.setManifest(manifest({ keys: ["2027-05"], clientName: "e2e ops reader v2", openScope: true }));
    const r = await tool("plan", ["--policy-pack", "policy"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain("#### Policy violations (blocking: the change cannot be applied)");
    expect(r.stdout).toContain("- **scopes-not-open-to-all-unless-declared** [mandatory] on `maskinporten:Scope` `scope-ttd:e2e.ops`: ");
    expect(r.stdout).toContain("  - `accessibleForAll`: `false` -> `true`");
  });

  it("drift on a stack that does not exist: exit 2, naming the stack and what to do", async () => {
    const r = await tool("drift", [], "e2e-no-such-stack");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pulumi refresh --preview-only --stack e2e-no-such-stack failed");
    expect(r.stderr).toMatch(/no stack named 'e2e-no-such-stack' found/);
    expect(r.stderr).toContain("What to do:");
  });

  it("never writes private key material into a report", async () => {
    const jwks = JSON.parse((await stack.run(["stack", "output", "privateJwks", "--json", "--show-secrets"])).stdout) as Record<
      string,
      Record<string, string>
    >;
    const privateParts = Object.values(jwks["ops-reader"] ?? {}).map((j) => (JSON.parse(j) as { d: string }).d);
    expect(privateParts.length).toBeGreaterThan(0);
    const reports = readdirSync(out).map((f) => readFileSync(join(out, f), "utf8"));
    expect(reports.length).toBe(4);
    for (const d of privateParts) for (const text of reports) expect(text).not.toContain(d);
  });
});
