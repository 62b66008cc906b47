/**
 * The drift report and the policy pack on the Altinn kinds, through the real CLI against the emulator (fixture
 * program test/e2e/fixtures/ops-altinn: a resource registry entry, a system in the System Register, a system-user
 * request to a customer): the report lists the request while the customer has not answered it, and no longer once
 * accepted; the pack blocks a registry entry without a contact point, and in prod an unprotected registry entry
 * and system, naming each resource and the rule.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTempEmulator, type TempEmulator } from "../support/emulator.js";
import { pulumiProject, repoRoot, type PulumiProject } from "../support/pulumi-cli.js";

const FIXTURE = join(__dirname, "fixtures", "ops-altinn");
const POLICY_PACK = join(repoRoot, "policy");

describe("drift report and policy pack on the Altinn kinds", () => {
  let emu: TempEmulator;
  let out: string;
  const projects: PulumiProject[] = [];

  /** A copy of the fixture with its own state and one stack, configured. */
  async function stack(name: string, config: Record<string, string>): Promise<PulumiProject> {
    const project = pulumiProject(FIXTURE);
    projects.push(project);
    await project.run(["stack", "init", name, "--secrets-provider", "passphrase"]);
    const all = { "altinn-onboarding:environment": "local", "altinn-onboarding:emulatorUrl": emu.url, ...config };
    for (const [k, v] of Object.entries(all)) await project.run(["config", "set", k, v]);
    return project;
  }

  const drift = (project: PulumiProject, stackName: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const args = ["run", "--silent", "drift", "--", "--stack", stackName, "--cwd", project.dir, "--out", out];
      const child = spawn("npm", args, { cwd: repoRoot, env: project.env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });

  beforeAll(async () => {
    emu = await startTempEmulator();
    out = mkdtempSync(join(tmpdir(), "ops-altinn-reports-"));
  });
  afterAll(async () => {
    for (const p of projects) p.cleanup();
    await emu?.close();
    rmSync(out, { recursive: true, force: true });
  });

  describe("a system-user request", () => {
    let project: PulumiProject;
    beforeAll(async () => {
      project = await stack("ops", { resource: "ttd-e2e-ops-orders", system: "e2e_ops" });
      await project.run(["up", "--yes", "--skip-preview"]);
    });

    it("is listed as waiting for the customer, with the customer and the confirm URL, without counting as drift", async () => {
      const { requestId, confirmUrl } = JSON.parse((await project.run(["stack", "output", "--json"])).stdout) as {
        requestId: string;
        confirmUrl: string;
      };
      expect(confirmUrl).toContain(requestId);
      const r = await drift(project, "ops");
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain("**No drift.** 3 resources match");
      expect(r.stdout).toContain("#### System-user requests waiting for customers");
      expect(r.stdout).toContain(`| \`customer-request\` | 313000028 | New | ${confirmUrl} |`);
    });

    it("is no longer listed once the customer accepted it", async () => {
      const { requestId } = JSON.parse((await project.run(["stack", "output", "--json"])).stdout) as { requestId: string };
      expect((await fetch(`${emu.url}/__emulator/systemuser-requests/${requestId}/accept`, { method: "POST" })).status).toBeLessThan(300);
      const r = await drift(project, "ops");
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).not.toContain("waiting for customers");
    });
  });

  it("blocks a registry entry without a contact point", async () => {
    const project = await stack("ops-nocontact", { resource: "ttd-e2e-ops-nocontact", system: "e2e_ops_nocontact", contact: "false" });
    const preview = await project.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(
      /\[mandatory\]\s+altinn-resources-have-contact-point\s+\(pulumi-nodejs:dynamic\/resourceregistry:Resource: orders-resource\)/,
    );
  });

  it("in prod, blocks an unprotected registry entry and system, and lets them through protected", async () => {
    const project = await stack("ops-prod", {
      "altinn-onboarding:environment": "prod",
      resource: "ttd-e2e-ops-prod",
      system: "e2e_ops_prod",
    });
    const unprotected = await project.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(unprotected.code).not.toBe(0);
    expect(unprotected.stdout).toMatch(
      /prod-registry-entries-protected\s+\(pulumi-nodejs:dynamic\/resourceregistry:Resource: orders-resource\)/,
    );
    expect(unprotected.stdout).toMatch(
      /prod-registry-entries-protected\s+\(pulumi-nodejs:dynamic\/authentication:SystemRegistration: orders-system\)/,
    );
    await project.run(["config", "set", "protect", "true"]);
    const protectedPreview = await project.run(["preview", "--policy-pack", POLICY_PACK], { allowFailure: true });
    expect(protectedPreview.code, protectedPreview.stdout + protectedPreview.stderr).toBe(0);
    expect(protectedPreview.stdout).toMatch(/✅ altinn-onboarding@v0\.1\.0/);
  });
});
