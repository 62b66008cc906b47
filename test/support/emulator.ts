/** An in-process emulator on a free port with its own temp state dir, for tests that drive the CLI against it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator, type RunningEmulator } from "../../emulator/index.js";
import { assertNoSecretsInEmulatorLog, captureEmulatorLog, rememberSecret } from "./secrets.js";

export interface TempEmulator {
  readonly emulator: RunningEmulator;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Its request log is scanned for secrets when it closes, and its organisations' admin keys are known secrets for
 * the rest of the process (secrets.ts).
 */
export async function startTempEmulator(): Promise<TempEmulator> {
  const stateDir = mkdtempSync(join(tmpdir(), "emulator-e2e-"));
  captureEmulatorLog();
  const emulator = await startEmulator({ port: 0, stateDir, quiet: false });
  const res = await fetch(`${emulator.url}/__emulator/credentials`);
  const { organizations } = (await res.json()) as { organizations: { orgNumber: string; adminClient: { certificateKeyPem: string } }[] };
  for (const o of organizations) rememberSecret(`the admin key of ${o.orgNumber}`, o.adminClient.certificateKeyPem);
  return {
    emulator,
    url: emulator.url,
    async close() {
      await emulator.close();
      rmSync(stateDir, { recursive: true, force: true });
      assertNoSecretsInEmulatorLog(`the emulator at ${emulator.url}`);
    },
  };
}
