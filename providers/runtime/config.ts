import type { ConfigSource } from "./contract.js";

let current: ConfigSource | undefined;

/** Called from the provider's `configure`: the whole stack config, decrypted, never written to state. */
export function setConfig(config: ConfigSource): void {
  current = config;
}

/** A stack config value (`namespace:key`), falling back to nothing when the CLI gave the provider no config. */
export function configValue(key: string): string | undefined {
  return current?.get(key);
}
