import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Faults } from "./faults.js";
import { type Metrics } from "./metrics.js";
import { atomicWriteJson, readJsonFile, removeStaleTempFiles } from "./persist.js";
import { type Pki } from "./pki.js";
import { type Seed, stateFromSeed } from "./seed.js";
import { type AltinnSettings, type EmulatorState } from "./state.js";

/** Switches for behaviour the spec reports but has not confirmed; see emulator/README.md. */
export interface Options {
  /** Overrides of the seed's Altinn settings (`altinnSettings` in the state) until the next reset. */
  altinn?: Partial<AltinnSettings>;
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
      // A state written before part 2 lacks the Altinn sections: take them from the seed.
      const fresh = stateFromSeed(seed) as unknown as Record<string, unknown>;
      const target = saved as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(fresh)) if (!(key in target)) target[key] = value;
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

/** Timers of background work (Events handshakes and deliveries, retries); cancelled on reset and close. */
export class Background {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private generation = 0;

  /** Runs `fn` after `ms`, unless cancelled first. */
  schedule(ms: number, fn: () => void | Promise<void>): void {
    const gen = this.generation;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (gen !== this.generation) return;
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** An AbortSignal for an outgoing request, aborted when the background work is cancelled or after `timeoutMs`. */
  signal(timeoutMs: number): { signal: AbortSignal; done: () => void } {
    const ac = new AbortController();
    this.aborts.add(ac);
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    timer.unref();
    return {
      signal: ac.signal,
      done: () => {
        clearTimeout(timer);
        this.aborts.delete(ac);
      },
    };
  }

  /** True while the work started in this generation is still wanted. */
  current(): number {
    return this.generation;
  }

  cancelAll(): void {
    this.generation++;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
    this.aborts.clear();
  }
}

export interface EmulatorContext {
  readonly store: Store;
  readonly pki: Pki;
  readonly metrics: Metrics;
  readonly faults: Faults;
  readonly jti: JtiCache;
  readonly background: Background;
  options: Options;
  latencyMs: number;
  /** http://127.0.0.1:<port>, no trailing slash; known once the server listens. */
  origin: string;
}

export function issuerOf(ctx: EmulatorContext): string {
  return `${ctx.origin}/`;
}

/** The Altinn settings in force: the seed's, overridden by `POST /__emulator/options {"altinn":{...}}`. */
export function altinnSettings(ctx: EmulatorContext): AltinnSettings {
  return { ...ctx.store.state.altinnSettings, ...ctx.options.altinn };
}
