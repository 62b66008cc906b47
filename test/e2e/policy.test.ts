/**
 * The policy pack (policy/) through the real CLI, offline: `pulumi preview --policy-pack policy` starts it
 * through the Node language host's RunPlugin (the front, tools/pulumi-language-front, where the CLI is built
 * from Go modules), with the stack's configuration. A compliant stack passes; a violation blocks the preview
 * and the output names the rule and the resource.
 */
import { join } from "node:path";

import { describe, expect, it } from "vitest";

import { localStacks } from "../support/local-stack.js";
import { repoRoot, type CliResult } from "../support/pulumi-cli.js";

const PROVIDER = "311000012";
const CONSUMER = "313000028";
const POLICY_PACK = join(repoRoot, "policy");

function manifest(opts: { open?: boolean; openToAll?: boolean; clientScopes?: string[] } = {}): unknown {
  return {
    organization: PROVIDER,
    maskinporten: {
      scopes: [
        {
          prefix: "ttd",
          subscope: "e2e.policy",
          description: "Policy e2e",
          consumers: [CONSUMER],
          ...(opts.open ? { accessibleForAll: true } : {}),
          ...(opts.openToAll ? { openToAll: true } : {}),
        },
      ],
      clients: [{ name: "policy-client", organization: CONSUMER, scopes: opts.clientScopes ?? ["ttd:e2e.policy"], keys: ["k1"] }],
    },
  };
}

const output = (r: CliResult): string => r.stdout + r.stderr;

describe("the policy pack through the real CLI", () => {
  const stacks = localStacks();

  it("lets a compliant stack's preview through", async () => {
    const stack = await stacks.stack("e2e-policy-ok", manifest());
    const preview = await stack.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(preview.code, output(preview)).toBe(0);
    expect(preview.stdout).toMatch(/Policies:\s*\n\s*✅ altinn-onboarding@v0\.1\.0/);
  });

  it("blocks the preview of a scope open to all without openToAll, naming the rule and the resource", async () => {
    const stack = await stacks.stack("e2e-policy-open", manifest({ open: true }));
    const preview = await stack.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(/❌ altinn-onboarding@v0\.1\.0/);
    expect(preview.stdout).toMatch(
      /\[mandatory\]\s+scopes-not-open-to-all-unless-declared\s+\(pulumi-nodejs:dynamic\/maskinporten:Scope: scope-ttd:e2e\.policy\)/,
    );
    expect(preview.stdout).toContain('scope "scope-ttd:e2e.policy" is accessible to all organisations');
  });

  it("lets an open scope through when the manifest says openToAll: true for it", async () => {
    const stack = await stacks.stack("e2e-policy-declared", manifest({ open: true, openToAll: true }));
    const preview = await stack.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(preview.code, output(preview)).toBe(0);
    expect(preview.stdout).not.toContain("scopes-not-open-to-all-unless-declared");
  });

  it("reads the stack config: a prod client with a scope listed in testOnlyScopes is blocked", async () => {
    const stack = await stacks.stack("e2e-policy-prod", manifest(), {
      "altinn-onboarding:environment": "prod",
      "altinn-onboarding:testOnlyScopes": '["ttd:e2e.policy"]',
    });
    const preview = await stack.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(
      /\[mandatory\]\s+prod-clients-no-test-only-scopes\s+\(pulumi-nodejs:dynamic\/maskinporten:Client: client-policy-client\)/,
    );
    expect(preview.stdout).toContain('has test-only scope(s) "ttd:e2e.policy" in prod');
  });
});
