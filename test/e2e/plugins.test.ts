/**
 * Plugins are never downloaded at run time: a program that needs a plugin that is not installed fails
 * at once, naming the plugin, instead of reaching for the network.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pulumiProject, type PulumiProject } from "../support/pulumi-cli.js";

describe("a stack that needs a missing provider plugin", () => {
  let project: PulumiProject;

  beforeAll(async () => {
    project = pulumiProject(join(__dirname, "fixtures", "needs-plugin"));
    await project.run(["stack", "init", "plugins", "--secrets-provider", "passphrase"]);
  });
  afterAll(() => project?.cleanup());

  it("fails preview with a message naming the plugin, without downloading it", async () => {
    const started = Date.now();
    const preview = await project.run(["preview"], { allowFailure: true });
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    expect(output).toContain("pulumi-resource-random");
    expect(output).not.toMatch(/downloading plugin/i);
    // A download attempt on this network would hang on a timeout; the refusal is immediate.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
