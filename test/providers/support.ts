// Shared set-up of the provider tests: an in-process emulator on a free port, and the runtime configured for it
// the way Pulumi's configure would (the whole stack config as a key -> string lookup).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { runtime } from "../../providers/serve.js";
import { forgetEmulatorCredentials } from "../../providers/runtime/credentials.js";
import { setRetryPolicy } from "../../providers/runtime/http.js";
import { clearTokenCache } from "../../providers/runtime/tokens.js";
import { clearMarkerIndex } from "../../providers/digdir/client/markers.js";
import type { Props } from "../../providers/runtime/contract.js";

export const SERVICE_OWNER = "311000012"; // ttd: owns the ttd prefix
export const CONSUMER_A = "313000028"; // granted ttd:example.read in the seed
export const CONSUMER_B = "314000013"; // granted nothing of ttd's

export interface ProviderTestEnv {
  emu: RunningEmulator;
  close(): Promise<void>;
}

export function configureFor(config: Record<string, string>): void {
  runtime.configure({ get: (k) => config[k] });
  forgetEmulatorCredentials();
  clearTokenCache();
  clearMarkerIndex();
}

export async function startProviderEnv(): Promise<ProviderTestEnv> {
  const dir = mkdtempSync(join(tmpdir(), "providers-test-"));
  const emu = await startEmulator({ port: 0, stateDir: dir, quiet: true });
  configureFor({ "altinn-onboarding:environment": "local", "altinn-onboarding:emulatorUrl": emu.url });
  setRetryPolicy({ baseDelayMs: 5, maxDelayMs: 20 });
  return {
    emu,
    async close() {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a kind through the runtime the way the engine does: check, then create. */
export async function createVia(kind: string, args: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
  const checked = await runtime.check({}, { ...args, resourceKind: kind });
  if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const inputs = checked.inputs ?? {};
  const created = await runtime.create(inputs);
  return { id: created.id, outs: created.outs ?? {}, inputs };
}

export async function checkVia(kind: string, args: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const r = await runtime.check({}, { ...args, resourceKind: kind });
  return { inputs: r.inputs ?? {}, failures: r.failures ?? [] };
}

/** An admin call straight to the emulator, as someone working outside the program would make it. */
export async function adminCall(
  emuUrl: string,
  org: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const { adminCredential } = await import("../../providers/runtime/credentials.js");
  const { currentEnvironment } = await import("../../providers/runtime/environments.js");
  const { maskinportenToken } = await import("../../providers/runtime/tokens.js");
  const env = currentEnvironment();
  const cred = await adminCredential(org, env);
  const token = await maskinportenToken(env, cred, cred.scopes?.filter((s) => s.startsWith("idporten:")) ?? []);
  const res = await fetch(`${emuUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Texts in the three languages the registry wants. */
export const REGISTRY_TEXT = { en: "Orders", nb: "Ordrer", nn: "Ordrar" };

/** Arguments of a CorrespondenceService resource of the seeded service owner (ttd). */
export function registryResourceArgs(identifier: string, extra: Props = {}): Props {
  return {
    identifier,
    title: REGISTRY_TEXT,
    description: REGISTRY_TEXT,
    rightDescription: REGISTRY_TEXT,
    resourceType: "CorrespondenceService",
    hasCompetentAuthority: { organization: SERVICE_OWNER, orgcode: "ttd" },
    contactPoints: [{ category: "Support", email: "support@ttd.example" }],
    ...extra,
  };
}
