import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Faults } from "./faults.js";
import { type Metrics } from "./metrics.js";
import { atomicWriteJson, readJsonFile, removeStaleTempFiles } from "./persist.js";
import { type Pki } from "./pki.js";
import { type Seed, stateFromSeed } from "./seed.js";
import { type EmulatorState } from "./state.js";

/** Switches for behaviour the spec reports but has not confirmed; see emulator/README.md. */
export interface Options {
  /** GET /clients/{id}/jwks answers 404 when the client has no keys (as Digdir's web client expects). */
  emptyJwks404: boolean;
  /** Some list endpoints answer an error ("does not have any ...") instead of []. */
  emptyListErrors: boolean;
}

export const DEFAULT_OPTIONS: Options = { emptyJwks404: true, emptyListErrors: true };

export class Store {
  private readonly file: string;
  state: EmulatorState;

  constructor(
    stateDir: string,
    private readonly seed: Seed,
  ) {
    mkdirSync(stateDir, { recursive: true });
    removeStaleTempFiles(stateDir);
    this.file = join(stateDir, "state.json");
    const saved = readJsonFile(this.file) as EmulatorState | undefined;
    if (saved) {
      if (saved.version !== 1) throw new Error(`${this.file}: unsupported state version ${String(saved.version)}`);
      this.state = saved;
    } else {
      this.state = stateFromSeed(seed);
      this.save();
    }
  }

  save(): void {
    atomicWriteJson(this.file, this.state);
  }

  reset(): void {
    this.state = stateFromSeed(this.seed);
    this.save();
  }
}

/** Grant ids seen recently; a repeated one is a replay (MP-012). Entries expire with their grant. */
export class JtiCache {
  private readonly seen = new Map<string, number>();

  /** False when the jti was already used by this client. */
  remember(clientId: string, jti: string, expiresAtSec: number, nowSec: number): boolean {
    for (const [k, exp] of this.seen) if (exp < nowSec - 60) this.seen.delete(k);
    const key = `${clientId}\u0000${jti}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAtSec);
    return true;
  }

  clear(): void {
    this.seen.clear();
  }
}

export interface EmulatorContext {
  readonly store: Store;
  readonly pki: Pki;
  readonly metrics: Metrics;
  readonly faults: Faults;
  readonly jti: JtiCache;
  options: Options;
  latencyMs: number;
  /** http://127.0.0.1:<port>, no trailing slash; known once the server listens. */
  origin: string;
}

export function issuerOf(ctx: EmulatorContext): string {
  return `${ctx.origin}/`;
}
