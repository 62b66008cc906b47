// defineKind's create rule: a create that failed without a usable answer is followed by `find`; what `find` finds
// is the result, and when it finds nothing the create is sent again within the budget. A refusal (4xx) is never
// sent again, a request that may still be in flight (timeout, 504) is not sent again in the same run, and a kind
// without `find` never resends.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { ApiError } from "./errors.js";
import { outcomeOf, setRetryPolicy } from "./http.js";
import { inputRules } from "./inputs.js";
import { defineKind } from "./kind.js";
import { str } from "./plan.js";

/** An upstream that commits some creates, loses some answers, and answers some with an error first. */
interface Upstream {
  /** Committed things by key. */
  readonly things: Map<string, string>;
  /** What each create attempt does, in order: "ok", "lost" (committed, answer dropped), or an error status/code. */
  readonly script: (string | number)[];
  creates: number;
  finds: number;
}

function apiError(status: number | undefined, code?: string): ApiError {
  const cause = code === undefined ? undefined : Object.assign(new Error(code), { code });
  return new ApiError({ api: "Test API", method: "POST", path: "/things", status, cause });
}

function kindOver(up: Upstream, withFind = true) {
  return defineKind({
    name: "test:Thing",
    inputs: inputRules(z.object({ key: z.string(), name: z.string() })),
    canonical: (p) => ({ key: str(p.key), name: str(p.name) }),
    replaceFields: ["key"],
    label: (p) => `thing ${String(p.key)}`,
    outputs: (t: { name: string }) => ({ fields: { name: t.name }, computed: {} }),
    async create(i) {
      up.creates++;
      const step = up.script.shift() ?? "ok";
      if (step === "ok" || step === "lost") up.things.set(i.key, i.name);
      if (step === "ok") return { id: i.key, observed: { name: i.name } };
      if (step === "lost") throw apiError(undefined, "UND_ERR_SOCKET");
      throw typeof step === "number" ? apiError(step) : apiError(undefined, step);
    },
    ...(withFind
      ? {
          async find(i: { key: string }) {
            up.finds++;
            const name = up.things.get(i.key);
            return name === undefined ? undefined : { id: i.key, observed: { name } };
          },
        }
      : {}),
    async read(id) {
      const name = up.things.get(id);
      return name === undefined ? undefined : { name };
    },
  });
}

function upstream(script: (string | number)[]): Upstream {
  return { things: new Map(), script, creates: 0, finds: 0 };
}

beforeEach(() => setRetryPolicy({ baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 4 }));
afterEach(() => setRetryPolicy({}));

describe("outcomeOf", () => {
  it("tells refusals, lost answers and requests that may still be in flight apart", () => {
    expect(outcomeOf(apiError(400))).toBe("rejected");
    expect(outcomeOf(apiError(409))).toBe("rejected");
    expect(outcomeOf(apiError(401))).toBe("rejected");
    expect(outcomeOf(new Error("a bug"))).toBe("rejected");
    expect(outcomeOf(apiError(429))).toBe("lost");
    expect(outcomeOf(apiError(500))).toBe("lost");
    expect(outcomeOf(apiError(502))).toBe("lost");
    expect(outcomeOf(apiError(503))).toBe("lost");
    expect(outcomeOf(apiError(undefined, "ECONNRESET"))).toBe("lost");
    expect(outcomeOf(apiError(undefined, "UND_ERR_SOCKET"))).toBe("lost");
    expect(outcomeOf(apiError(504))).toBe("pending");
    expect(outcomeOf(apiError(undefined, "UND_ERR_HEADERS_TIMEOUT"))).toBe("pending");
  });
});

describe("defineKind create retry", () => {
  it("sends a create again when it failed and find proves nothing was committed", async () => {
    const up = upstream([503, "ECONNRESET", "ok"]);
    const created = await kindOver(up).create({ key: "a", name: "A" });
    expect(created.id).toBe("a");
    expect(up.creates).toBe(3);
    expect(up.finds).toBe(2);
    expect([...up.things]).toEqual([["a", "A"]]);
  });

  it("takes what find finds when only the answer was lost, without creating again", async () => {
    const up = upstream(["lost"]);
    const created = await kindOver(up).create({ key: "a", name: "A" });
    expect(created).toEqual({ id: "a", outs: { key: "a", name: "A" } });
    expect(up.creates).toBe(1);
    expect(up.finds).toBe(1);
  });

  it("never sends a refused create again, and does not look for it", async () => {
    const up = upstream([400]);
    await expect(kindOver(up).create({ key: "a", name: "A" })).rejects.toMatchObject({ status: 400 });
    expect(up.creates).toBe(1);
    expect(up.finds).toBe(0);
  });

  it("stops at the budget (httpMaxAttempts creates in all)", async () => {
    const up = upstream([503, 503, 503, 503, 503, "ok"]);
    await expect(kindOver(up).create({ key: "a", name: "A" })).rejects.toMatchObject({ status: 503 });
    expect(up.creates).toBe(4);
    expect(up.things.size).toBe(0);
  });

  it("does not resend a create that may still be in flight upstream, and says to run up again", async () => {
    const up = upstream(["UND_ERR_HEADERS_TIMEOUT", "ok"]);
    await expect(kindOver(up).create({ key: "a", name: "A" })).rejects.toThrow(/run `pulumi up` again/);
    expect(up.creates).toBe(1);
    expect(up.finds).toBe(1);
  });

  it("never resends for a kind that cannot find what it made", async () => {
    const up = upstream([503, "ok"]);
    await expect(kindOver(up, false).create({ key: "a", name: "A" })).rejects.toMatchObject({ status: 503 });
    expect(up.creates).toBe(1);
  });

  it("fails with the create's error when find itself fails", async () => {
    const up = upstream([502, "ok"]);
    const kind = defineKind({
      ...{
        name: "test:Thing",
        inputs: inputRules(z.object({ key: z.string(), name: z.string() })),
        canonical: (p: Record<string, unknown>) => ({ key: str(p.key), name: str(p.name) }),
        replaceFields: ["key"] as const,
        label: () => "thing",
        outputs: (t: { name: string }) => ({ fields: { name: t.name }, computed: {} }),
      },
      async create() {
        up.creates++;
        throw apiError(502);
      },
      async find() {
        up.finds++;
        throw apiError(503);
      },
      async read() {
        return undefined;
      },
    });
    await expect(kind.create({ key: "a", name: "A" })).rejects.toMatchObject({ status: 502 });
    expect(up.creates).toBe(1);
    expect(up.finds).toBe(1);
  });
});

describe("defineKind prepare", () => {
  it("starts background work when check first sees a resource, never for one in state, and never fails check", async () => {
    const seen: string[] = [];
    const spec = {
      name: "test:Thing",
      inputs: inputRules(z.object({ key: z.string(), name: z.string() })),
      canonical: (p: Record<string, unknown>) => ({ key: str(p.key), name: str(p.name) }),
      replaceFields: ["key"] as const,
      label: () => "thing",
      outputs: (t: { name: string }) => ({ fields: { name: t.name }, computed: {} }),
      async create(i: { key: string; name: string }) {
        return { id: i.key, observed: { name: i.name } };
      },
      async read() {
        return undefined;
      },
    };
    const kind = defineKind({ ...spec, prepare: (i) => seen.push(i.key) });
    await kind.check({}, { key: "new", name: "N" });
    await kind.check({ key: "old", name: "O" }, { key: "old", name: "O2" });
    await kind.check({}, { key: 42, name: "invalid" });
    expect(seen).toEqual(["new"]);
    const throwing = defineKind({
      ...spec,
      prepare: () => {
        throw new Error("boom");
      },
    });
    expect((await throwing.check({}, { key: "a", name: "A" })).inputs).toEqual({ key: "a", name: "A" });
  });
});
