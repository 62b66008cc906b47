/**
 * Toolchain smoke test through the real Pulumi CLI, with a self-contained dynamic resource (fixtures/smoke):
 * up -> preview --expect-no-changes -> out-of-band change caught by refresh --preview-only --expect-no-changes
 * -> restored by up --refresh -> destroy. The project's own kinds (and their tiny __provider) are covered by
 * the other end-to-end tests.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { pulumiProject, toolsBin, type PulumiProject } from "../support/pulumi-cli.js";
import { startRecordStore, type RecordStore } from "../support/record-store.js";

describe("smoke: one dynamic resource through the real CLI", () => {
  let store: RecordStore;
  let project: PulumiProject;

  beforeAll(async () => {
    expect(existsSync(join(toolsBin, "pulumi")), "run `npm run setup` first: .tools/bin/pulumi is missing").toBe(true);
    store = await startRecordStore();
    project = pulumiProject(join(__dirname, "fixtures", "smoke"));
    await project.run(["stack", "init", "smoke", "--secrets-provider", "passphrase"]);
    await project.run(["config", "set", "endpoint", store.url]);
    await project.run(["config", "set", "value", "hello"]);
  });

  afterAll(async () => {
    await store?.close();
    project?.cleanup();
  });

  it("creates the record with up", async () => {
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/pulumi-nodejs:dynamic\/smoke:Record\s+greeting\s+created/);
    expect(store.records.get("greeting")).toBe("hello");
    const outputs = await project.run(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toMatchObject({ recordId: "greeting", recordValue: "hello" });
  });

  it("shows no changes on a second preview", async () => {
    const preview = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("detects an out-of-band change with refresh --preview-only --expect-no-changes", async () => {
    store.records.set("greeting", "tampered");
    const refresh = await project.run(["refresh", "--preview-only", "--expect-no-changes", "--diff"], {
      allowFailure: true,
    });
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout).toContain("tampered");
    // A preview-only refresh must not have written the drift into state.
    const outputs = await project.run(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toMatchObject({ recordValue: "hello" });
  });

  it("restores the desired value with up --refresh", async () => {
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    expect(store.records.get("greeting")).toBe("hello");
    const preview = await project.run(["preview", "--refresh", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("deletes the record with destroy", async () => {
    await project.run(["destroy", "--yes", "--skip-preview"]);
    expect(store.records.has("greeting")).toBe(false);
    expect(store.requests).toContain("DELETE /records/greeting");
  });
});
