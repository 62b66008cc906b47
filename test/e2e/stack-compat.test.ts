/**
 * Existing stacks keep working: every fixture in fixtures/stack-compat/ is a stack applied by an earlier version
 * of the code (its exported state, secrets salt, manifest and the emulator state it was applied against; see
 * fixtures/stack-compat/make.mts). Applied with the code of today it must plan nothing for any resource it
 * manages (new components that group them are allowed): no create, replacement, update or delete, no drift on
 * refresh, the private keys in its state still obtain tokens, and an ordinary change still applies as one
 * in-place update. A change that renames a type token without an alias, moves a resource to another parent
 * without one, or reads old outputs differently fails here.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type * as jose from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";

import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { clientToken } from "../support/maskinporten.js";
import { repoRoot, repoStack, type CliResult, type PulumiProject, driftCheck } from "../support/pulumi-cli.js";

const FIXTURES = join(__dirname, "fixtures", "stack-compat");
const STACK = "e2e-compat"; // the stack name is part of every URN in the fixtures
const fixtures = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, "stack.json")));

/** Changes summarised on the CLI's last line, e.g. "3 unchanged" or "1 updated". */
function summary(r: CliResult): string {
  return r.stdout.slice(r.stdout.lastIndexOf("Resources:"));
}

describe.each(fixtures)("a stack made by an earlier version (%s)", (fixture) => {
  const dir = join(FIXTURES, fixture);
  let emu: RunningEmulator;
  let emuDir: string;
  let project: PulumiProject;
  let manifest: Record<string, unknown>;
  const stackFile = join(repoRoot, "stacks", `Pulumi.${STACK}.yaml`);

  const writeConfig = (m: unknown): void => {
    const salt = readFileSync(join(dir, "salt.txt"), "utf8").trim();
    const config = {
      "altinn-onboarding:environment": "local",
      "altinn-onboarding:emulatorUrl": emu.url,
      "altinn-onboarding:manifest": m,
    };
    writeFileSync(stackFile, `${salt}\n${stringify({ config })}`);
  };

  beforeAll(async () => {
    emuDir = mkdtempSync(join(tmpdir(), "stack-compat-emulator-"));
    cpSync(join(dir, "emulator"), emuDir, { recursive: true });
    emu = await startEmulator({ port: 0, stateDir: emuDir, quiet: true });
    project = await repoStack(STACK, "");
    manifest = parseYaml(readFileSync(join(dir, "manifest.yaml"), "utf8")) as Record<string, unknown>;
    writeConfig(manifest);
    // A refresh reads with the provider configuration stored in state (the engine does not run the program
    // first): the state is imported with its emulator address pointed at this test's emulator.
    const exported = readFileSync(join(dir, "stack.json"), "utf8");
    const recorded = /"altinn-onboarding:emulatorUrl": "(http:\/\/127\.0\.0\.1:\d+)"/.exec(exported)?.[1];
    if (!recorded) throw new Error(`${fixture}/stack.json records no emulator URL`);
    const state = join(emuDir, "stack.json");
    writeFileSync(state, exported.split(recorded).join(emu.url));
    await project.run(["stack", "import", "--file", state]);
  });

  afterAll(async () => {
    project?.cleanup();
    await emu?.close();
    rmSync(emuDir, { recursive: true, force: true });
  });

  it("previews no change to any resource it manages (new story components only)", async () => {
    const preview = await project.run(["preview", "--json"]);
    const steps = (JSON.parse(preview.stdout) as { steps: { op: string; urn: string; newState?: { type: string; custom?: boolean } }[] })
      .steps;
    // What a later version may add to an old stack: components that group its resources (no API call, no
    // change upstream). Anything else (a create, update, replace or delete of a resource it manages) fails.
    const managed = steps.filter((s) => s.op !== "same" && s.urn.includes("pulumi-nodejs:dynamic"));
    expect(managed, JSON.stringify(managed, null, 1)).toEqual([]);
    const others = steps.filter((s) => s.op !== "same" && !(s.op === "create" && s.newState?.custom === false));
    expect(others.map((s) => `${s.op} ${s.urn}`)).toEqual([]);
  });

  it("finds no drift when refreshed with today's read", async () => {
    const refresh = await driftCheck(project, true);
    expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
  });

  it("applies with no change to what it manages, and keeps the private keys usable", async () => {
    const up = await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    expect(summary(up)).not.toMatch(/updated|replaced|deleted/);
    const again = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const out = JSON.parse((await project.run(["stack", "output", "--json", "--show-secrets"])).stdout) as {
      clients: Record<string, { clientId: string; scopes: string[] }>;
      privateJwks: Record<string, Record<string, string>>;
    };
    const clients = Object.entries(out.clients);
    expect(clients.length).toBeGreaterThan(0);
    for (const [name, c] of clients) {
      const keys = Object.entries(out.privateJwks[name] ?? {});
      expect(keys.length, `keys of ${name}`).toBeGreaterThan(0);
      for (const [keyName, jwk] of keys) {
        const token = await clientToken(emu.url, c.clientId, JSON.parse(jwk) as jose.JWK, [c.scopes[0] ?? ""]);
        expect(token.status, `${name}/${keyName}: ${JSON.stringify(token.body)}`).toBe(200);
      }
    }
  });

  it("applies an ordinary change as one in-place update", async () => {
    const m = structuredClone(manifest) as { maskinporten: { clients: { description?: string }[] } };
    const first = m.maskinporten.clients[0];
    if (!first) throw new Error(`fixture ${fixture} has no client`);
    first.description = `${first.description ?? ""} (changed)`;
    writeConfig(m);
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(summary(up)).toMatch(/1 updated/);
    expect(summary(up)).not.toMatch(/created|replaced|deleted/);
    const again = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});
