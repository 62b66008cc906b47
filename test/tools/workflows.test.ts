/**
 * What the GitHub workflows promise, checked on their YAML (actionlint checks their syntax and expressions in
 * `npm run lint`): the pinned CLI from pulumi/actions on hosted runners and the Go build offline, a plan comment
 * per stack updated in place, the drift report kept as an artifact, up through test then prod with approvals.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = join(__dirname, "..", "..");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  environment?: string;
  with?: Record<string, unknown>;
  steps?: Step[];
  strategy?: { matrix?: { stack?: string[] } };
  concurrency?: { group?: string; "cancel-in-progress"?: boolean };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (name: string): Workflow => parse(readFileSync(join(root, ".github", "workflows", name), "utf8")) as Workflow;
const toolchain = parse(readFileSync(join(root, ".github", "actions", "toolchain", "action.yml"), "utf8")) as { runs: { steps: Step[] } };
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const runs = (job: Job | undefined): string => (job?.steps ?? []).map((s) => s.run ?? "").join("\n");

describe("the toolchain action", () => {
  const steps = toolchain.runs.steps;

  it("installs the CLI with pulumi/actions at the version package-lock.json pins, unless told to build it from Go modules", () => {
    const version = steps.find((s) => s.name?.startsWith("Pinned Pulumi version"));
    const install = steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(install?.with?.["pulumi-version"]).toBe("${{ steps.version.outputs.pulumi }}");
    expect(install?.if).toBe("inputs.cli-source != 'go-modules'");
    // The version step's command, run here, prints the pinned version.
    const command = /\$\((node -p .*)\)" >>/.exec(version?.run ?? "")?.[1] ?? "";
    const printed = execFileSync("bash", ["-c", command], { cwd: root, encoding: "utf8" }).trim();
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    expect(printed).toBe(lock.packages["node_modules/@pulumi/pulumi"]?.version);
    expect(steps.at(-1)?.run).toBe("bash tools/setup.sh");
  });
});

describe("the pull-request plan", () => {
  const wf = workflow("plan.yml");
  const job = wf.jobs.plan;

  it("runs npm run plan per stack with refresh and the policy pack", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(job?.strategy?.matrix?.stack).toEqual(["test", "prod"]);
    expect(runs(job)).toContain('npm run --silent plan -- --stack "$STACK" --refresh --policy-pack policy --out .reports');
    expect(scripts.plan).toBeDefined();
  });

  it("upserts one comment per stack with the built pr-comment module, even when the plan fails", () => {
    const comment = job?.steps?.find((s) => s.uses?.startsWith("actions/github-script@"));
    expect(comment?.if).toContain("always()");
    expect(String(comment?.with?.script)).toContain("tools/ops/dist/pr-comment.js");
    expect(String(comment?.with?.script)).toContain("commentPlan(github, target, stack, `.reports/plan-${stack}.md`");
    expect(wf.permissions?.["pull-requests"]).toBe("write");
    expect(existsSync(join(root, "tools", "ops", "pr-comment.ts"))).toBe(true);
  });
});

describe("the scheduled drift check", () => {
  const wf = workflow("drift.yml");
  const job = wf.jobs.drift;

  it("runs npm run drift per stack on a schedule and keeps the report as an artifact", () => {
    expect(wf.on.schedule).toBeDefined();
    expect(runs(job)).toContain('npm run --silent drift -- --stack "$STACK" --out .reports');
    const upload = job?.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    expect(upload?.with?.path).toBe(".reports/");
    expect(scripts.drift).toBeDefined();
  });

  it("fails the job on drift or error after keeping the report", () => {
    const steps = job?.steps ?? [];
    const fail = steps.findIndex((s) => s.if === "steps.drift.outputs.exit != '0'");
    expect(fail).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith("actions/upload-artifact@")));
  });
});

describe("applying on merge", () => {
  it("applies test, then prod (which needs test), each in its own environment", () => {
    const up = workflow("up.yml");
    expect(up.jobs.test?.uses).toBe("./.github/workflows/apply.yml");
    expect(up.jobs.prod?.needs).toBe("test");
    expect(up.jobs.prod?.with?.stack).toBe("prod");
    const apply = workflow("apply.yml").jobs.up;
    expect(apply?.environment).toBe("${{ inputs.stack }}");
    expect(apply?.concurrency).toEqual({ group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
    expect(runs(apply)).toContain('npm run pulumi -- up --yes --stack "$STACK" --policy-pack policy');
    expect(runs(apply)).toContain("--expect-no-changes");
  });
});

describe("the test workflow", () => {
  it("runs npm test with the CLI built from Go modules, and the policy, drift and plan tests with the official CLI", () => {
    const ci = workflow("ci.yml");
    expect(runs(ci.jobs.test)).toContain("bash .ci/run");
    expect(ci.jobs["official-cli"]?.steps?.some((s) => s.uses === "./.github/actions/toolchain")).toBe(true);
    expect(runs(ci.jobs["official-cli"])).toContain("test/e2e/policy.test.ts");
  });
});
