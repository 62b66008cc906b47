/**
 * Crash hygiene through the real CLI: `kill -9` of the CLI's process group in the middle of an `up`, at a moment
 * made deterministic by emulator faults (a new client's key and an existing client's new key are registered, the
 * answers dropped, and the provider's retries hang): the dynamic provider exits by itself; then the recovery
 * docs/recovery.md documents (cancel, a drift check that names the stray key, refresh --clear-pending-creates,
 * up) leaves no orphan client, no duplicate, no stray key, no pending operation, and every key working.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import type * as jose from "jose";
import { describe, expect, it } from "vitest";

import { adminOf, addFault, clearFaults, faults, markerOf } from "../support/emulator-control.js";
import { localStacks } from "../support/local-stack.js";
import { clientToken } from "../support/maskinporten.js";
import { descendants, eventually, isAlive, type Proc } from "../support/processes.js";
import { dynamicResources, repoRoot, toolsBin, type ExportedResource, type PulumiProject, driftCheck } from "../support/pulumi-cli.js";

interface Deployment {
  resources?: unknown[];
  pending_operations?: { type: string }[];
}

const CONSUMER = "313000028";
const SCOPE = "ttd:example.read";

function manifest(clients: Record<string, string[]>): unknown {
  return {
    organization: CONSUMER,
    maskinporten: { clients: Object.entries(clients).map(([name, keys]) => ({ name, scopes: [SCOPE], keys })) },
  };
}

/** Starts `pulumi up` in a process group of its own, so the test can kill the whole group as a CI runner would. */
function startUp(
  project: PulumiProject,
  stack: string,
): { pid: number; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(
    join(toolsBin, "pulumi"),
    ["up", "--yes", "--skip-preview", "--stack", stack, "--non-interactive", "--color", "never"],
    {
      cwd: repoRoot,
      env: project.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; out: string }>((ok) =>
    child.on("close", (code, signal) => ok({ code, signal, out })),
  );
  return { pid: child.pid ?? 0, done };
}

describe("kill -9 of the CLI during up", () => {
  const stacks = localStacks();

  it("leaves no provider process, and the documented recovery leaves no orphan and no stray key", async () => {
    const stack = "e2e-crash";
    const url = stacks.url();
    const project = await stacks.stack(stack, manifest({ alpha: ["k1"], beta: ["k1"] }));
    await project.run(["up", "--yes", "--skip-preview"]);

    // The run to kill: a new client (gamma) and a new key on alpha. Each registers its key, loses the answer, and
    // its retry hangs: both keys are upstream, neither private half is in state.
    project.setManifest(manifest({ alpha: ["k1", "k2"], beta: ["k1"], gamma: ["k1"] }));
    await addFault(url, { method: "POST", path: "/api/v1/clients/*", count: 2, dropResponse: true });
    await addFault(url, { method: "POST", path: "/api/v1/clients/*", hang: true });
    const run = startUp(project, stack);
    await eventually("both key registrations hang", async () => ((await faults(url))[1]?.hits ?? 0) >= 2, 120_000, 200);

    const tree: Proc[] = descendants(run.pid);
    const providers = tree.filter((p) => p.cmdline.includes("dynamic-provider") || p.cmdline.includes("pulumi-resource-pulumi-nodejs"));
    expect(providers.length, JSON.stringify(tree, null, 1)).toBe(2); // the shim and the node host
    try {
      process.kill(-run.pid, "SIGKILL");
      expect((await run.done).signal).toBe("SIGKILL");
      await clearFaults(url);

      // The provider host and its shim (process groups of their own, so the kill did not reach them) see that the
      // engine is gone and exit. The only processes left may be Pulumi's language host (the project's front and
      // the legacy host it runs), which end on the legacy host's own health check (every 5 minutes); they make no
      // API call.
      await eventually("the dynamic provider exits", () => providers.every((p) => !isAlive(p.pid)), 30_000);
      const left = tree.filter((p) => isAlive(p.pid)).map((p) => p.cmdline.split(" ")[0]?.replace(/^.*\//, ""));
      expect(left.filter((name) => name !== "pulumi-language-nodejs")).toEqual([]);

      // What the killed run left: the stack locked, and two pending operations.
      const locked = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      expect(locked.code).not.toBe(0);
      expect(locked.stderr + locked.stdout).toMatch(/locked.*pulumi cancel/s);
      const stateNow = (): Promise<Deployment> =>
        project.run(["stack", "export"]).then((r) => (JSON.parse(r.stdout) as { deployment: Deployment }).deployment);
      const admin = await adminOf(url, CONSUMER);
      const clientsInState = async (): Promise<ExportedResource[]> =>
        dynamicResources(JSON.stringify({ deployment: await stateNow() })).filter((r) => r.type.endsWith(":Client"));
      const alpha = (await clientsInState()).find((r) => r.urn.endsWith("::client-alpha"));
      const alphaKnown = Object.values(alpha?.outputs?.keyIds as Record<string, string>);
      const alphaStray = (await admin.jwks(String(alpha?.id))).filter((kid) => !alphaKnown.includes(kid));
      expect(alphaStray).toHaveLength(1); // k2: registered upstream, its private half lost with the process

      // The documented recovery (docs/recovery.md):
      // 1. release the lock;
      expect((await project.run(["cancel", "--yes"])).code).toBe(0);
      expect((await stateNow()).pending_operations?.map((o) => o.type).sort()).toEqual(["creating", "updating"]);
      // 2. see what the run left behind: drift names the stray key, never as an external one;
      const drift = await driftCheck(project, true);
      expect(drift.code).not.toBe(0);
      expect(drift.stdout).toMatch(new RegExp(`~ strayKeyIds\\s*: \\[\\s*\\+ \\[0\\]: "${alphaStray[0]}"`));
      expect(drift.stdout).not.toMatch(/[+~] externalKeyIds/);
      // 3. refresh, dropping the pending create (what it made is found by its marker);
      const refresh = await project.run(["refresh", "--yes", "--skip-preview", "--clear-pending-creates"], { allowFailure: true });
      expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);
      expect((await stateNow()).pending_operations ?? []).toEqual([]);
      // 4. up finishes the run.
      const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
      expect(up.code, up.stdout + up.stderr).toBe(0);
      expect(up.stdout + up.stderr).not.toMatch(/pending operations/);

      // No orphan and no duplicate: one live client per marker of this stack, each the one in state.
      const resources = await clientsInState();
      expect(resources.map((r) => r.urn.replace(/^.*::client-/, "")).sort()).toEqual(["alpha", "beta", "gamma"]);
      const live = (await admin.clients()).filter((c) => (markerOf(c.description) ?? "").startsWith(`iac:altinn-onboarding/${stack}/`));
      expect(live.map((c) => c.client_id).sort()).toEqual(resources.map((r) => r.id).sort());
      // No stray key: each client's live keys are exactly its keys in state, and each private key gets a token.
      const secrets = JSON.parse((await project.run(["stack", "output", "privateJwks", "--show-secrets", "--json"])).stdout) as Record<
        string,
        Record<string, string>
      >;
      for (const r of resources) {
        expect(await admin.jwks(String(r.id)), r.urn).toEqual(Object.values(r.outputs?.keyIds as Record<string, string>).sort());
        expect(r.outputs?.strayKeyIds).toEqual([]);
        expect(r.outputs?.externalKeyIds).toEqual([]);
        const name = r.urn.replace(/^.*::client-/, "");
        for (const jwk of Object.values(secrets[name] ?? {})) {
          expect((await clientToken(url, String(r.id), JSON.parse(jwk) as jose.JWK, [SCOPE])).status, name).toBe(200);
        }
      }
      expect(Object.keys(secrets.alpha ?? {}).sort()).toEqual(["k1", "k2"]);
      const clean = await driftCheck(project);
      expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    } finally {
      for (const p of tree) if (isAlive(p.pid)) process.kill(p.pid, "SIGKILL");
    }
  });
});
