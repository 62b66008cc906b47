/** An in-process emulator on a free port with its own temp state dir, for tests that drive the CLI against it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { startEmulator, type RunningEmulator } from "../../emulator/index.js";

export interface TempEmulator {
  readonly emulator: RunningEmulator;
  readonly url: string;
  close(): Promise<void>;
}

export async function startTempEmulator(): Promise<TempEmulator> {
  const stateDir = mkdtempSync(join(tmpdir(), "emulator-e2e-"));
  const emulator = await startEmulator({ port: 0, stateDir, quiet: true });
  return {
    emulator,
    url: emulator.url,
    async close() {
      await emulator.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
