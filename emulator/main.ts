// `npm run emulator`: runs the emulator in the foreground until Ctrl-C / SIGTERM.
import { DEFAULT_PORT, DEFAULT_STATE_DIR, startEmulator } from "./index.js";

function portFromEnv(): number {
  const raw = process.env["EMULATOR_PORT"];
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`EMULATOR_PORT must be a port number, got ${raw}`);
  return port;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: portFromEnv(),
    stateDir: process.env["EMULATOR_STATE_DIR"] || DEFAULT_STATE_DIR,
    ...(process.env["EMULATOR_SEED"] ? { seedFile: process.env["EMULATOR_SEED"] } : {}),
    quiet: process.env["EMULATOR_QUIET"] === "1",
  });
  process.stdout.write(`emulator listening on ${emulator.url}\n`);
  const stop = (signal: string): void => {
    process.stderr.write(`[emulator] ${signal}: stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`[emulator] close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((err: unknown) => {
  process.stderr.write(`[emulator] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
