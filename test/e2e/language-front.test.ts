/**
 * The Node language host in use. Where the CLI is built from Go modules, tools/setup.sh puts the language host
 * front (tools/pulumi-language-front) beside it: it starts the legacy host (sdk v3.68.0) as a child, forwards
 * every call to it and serves RunPlugin for policy packs itself (test/e2e/policy.test.ts runs a pack through
 * it). Where an official CLI of the pinned version is on PATH, its own language host is used instead.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { basename, dirname, join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { pulumiProject, repoRoot, toolsBin } from "../support/pulumi-cli.js";

const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
const pinned = lock.packages["node_modules/@pulumi/pulumi"]?.version ?? "";
const cliDir = dirname(realpathSync(join(toolsBin, "pulumi")));
const builtFromGo = basename(cliDir).startsWith(`pulumi-v${pinned}-front-`);

describe("the Node language host", () => {
  const project = pulumiProject(join(repoRoot, "test", "e2e", "fixtures", "smoke"));
  afterAll(() => project.cleanup());

  it("is the front beside a CLI built from Go modules, with the legacy host in legacy/ (or the official CLI's own host)", () => {
    const host = join(cliDir, "pulumi-language-nodejs");
    expect(existsSync(host)).toBe(true);
    expect(realpathSync(join(toolsBin, "pulumi-language-nodejs"))).toBe(realpathSync(host));
    if (builtFromGo) {
      const version = execFileSync(host, ["--front-version"], { encoding: "utf8" }).trim();
      expect(version).toMatch(new RegExp(`^v${pinned.replace(/\./g, "\\.")}\\+front\\.[0-9a-f]{12}$`));
      expect(basename(cliDir)).toBe(`pulumi-v${pinned}-front-${version.split(".").pop()}`);
      expect(existsSync(join(cliDir, "legacy", "pulumi-language-nodejs"))).toBe(true);
    } else {
      expect(execFileSync(join(toolsBin, "pulumi"), ["version"], { encoding: "utf8" }).trim()).toBe(`v${pinned}`);
    }
  });

  it("forwards the engine's calls: pulumi about reports the language plugin the child (or official host) answers for", async () => {
    await project.run(["stack", "init", "e2e-front"]);
    const about = await project.run(["about", "--json"]);
    const plugins = (JSON.parse(about.stdout) as { plugins: { name: string; kind: string; version: string }[] }).plugins;
    const nodejs = plugins.find((p) => p.kind === "language" && p.name === "nodejs");
    // GetPluginInfo is forwarded unchanged, so the front reports the legacy host's own version.
    expect(nodejs?.version).toBe(builtFromGo ? "3.68.0" : pinned);
  });
});
