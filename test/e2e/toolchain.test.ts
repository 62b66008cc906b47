/**
 * The toolchain set-up made: a Pulumi CLI of exactly the @pulumi/pulumi version in package-lock.json, with
 * the language host and the dynamic-provider shim beside its resolved executable, and Node >= 22.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

import { repoRoot, toolsBin } from "../support/pulumi-cli.js";

function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

describe("toolchain", () => {
  it("pulumi version prints the @pulumi/pulumi version from package-lock.json", () => {
    const printed = execFileSync(join(toolsBin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
    expect(printed).toBe(`v${lockedVersion("@pulumi/pulumi")}`);
  });

  it("keeps the language host and the dynamic-provider shim beside the resolved CLI", () => {
    const dir = dirname(realpathSync(join(toolsBin, "pulumi")));
    expect(existsSync(join(dir, "pulumi-language-nodejs"))).toBe(true);
    const shim = readFileSync(join(dir, "pulumi-resource-pulumi-nodejs"), "utf8");
    expect(shim).toContain("@pulumi/pulumi/cmd/dynamic-provider");
  });

  it("runs Node 22 or newer", () => {
    const version = execFileSync(join(toolsBin, "node"), ["--version"], { encoding: "utf8" }).trim();
    expect(Number(/^v(\d+)\./.exec(version)?.[1])).toBeGreaterThanOrEqual(22);
  });

  it("installs the provider shell as a real copy, so Pulumi stores it by reference", () => {
    const installed = join(repoRoot, "node_modules", "@altinn-onboarding", "provider-shell");
    expect(realpathSync(installed)).toBe(installed);
    expect(readFileSync(join(installed, "index.js"), "utf8")).toBe(readFileSync(join(repoRoot, "providers", "shell", "index.js"), "utf8"));
  });
});
