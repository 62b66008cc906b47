/**
 * A keyed mutex inside the provider process. Every dynamic resource of a deployment runs in one process, so this
 * serialises read-modify-write sequences (a client's whole-set JWKS) across resources and concurrent steps.
 */
const tails = new Map<string, Promise<unknown>>();

export async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
