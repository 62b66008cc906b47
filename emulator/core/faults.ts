import { z } from "zod";

export const faultRuleSchema = z
  .strictObject({
    method: z.string().min(1).optional(),
    path: z.string().startsWith("/"),
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfter: z.number().int().nonnegative().optional(),
    delayMs: z.number().int().nonnegative().optional(),
    hang: z.literal(true).optional(),
    reset: z.literal(true).optional(),
    dropResponse: z.literal(true).optional(),
  })
  .superRefine((r, ctx) => {
    const effects = [r.status !== undefined, r.delayMs !== undefined, r.hang, r.reset, r.dropResponse].filter(Boolean).length;
    if (effects !== 1) ctx.addIssue({ code: "custom", message: "exactly one effect: status, delayMs, hang, reset or dropResponse" });
    if (r.count !== undefined && r.probability !== undefined)
      ctx.addIssue({ code: "custom", message: "count and probability exclude each other" });
    if (r.retryAfter !== undefined && r.status === undefined)
      ctx.addIssue({ code: "custom", path: ["retryAfter"], message: "only with status" });
  });

export type FaultRule = z.infer<typeof faultRuleSchema>;

export type FaultEffect =
  | { readonly kind: "status"; readonly status: number; readonly retryAfter?: number }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "hang" }
  | { readonly kind: "reset" }
  | { readonly kind: "dropResponse" };

interface ActiveRule {
  readonly id: number;
  readonly rule: FaultRule;
  remaining: number | undefined;
  hits: number;
  readonly random: () => number;
}

/** mulberry32: a tiny seeded PRNG, so a probabilistic fault rule replays the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith("*") ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId++;
    // Without count or probability a rule fires on every match until cleared.
    this.rules.push({ id, rule, remaining: rule.count, hits: 0, random: seededRandom(rule.seed ?? id) });
    return id;
  }

  clear(): void {
    this.rules = [];
  }

  list(): unknown[] {
    return this.rules.map((r) => ({ id: r.id, ...r.rule, remaining: r.remaining ?? null, hits: r.hits }));
  }

  /** The effect of the first rule that fires for this request, if any. Consumes one use of a counted rule. */
  take(method: string, path: string): FaultEffect | undefined {
    for (const r of this.rules) {
      if (r.rule.method && r.rule.method.toUpperCase() !== method) continue;
      if (!pathMatches(r.rule.path, path)) continue;
      if (r.remaining !== undefined && r.remaining <= 0) continue;
      if (r.rule.probability !== undefined && r.random() >= r.rule.probability) continue;
      if (r.remaining !== undefined) r.remaining--;
      r.hits++;
      return effectOf(r.rule);
    }
    return undefined;
  }
}

function effectOf(rule: FaultRule): FaultEffect {
  if (rule.status !== undefined)
    return rule.retryAfter === undefined
      ? { kind: "status", status: rule.status }
      : { kind: "status", status: rule.status, retryAfter: rule.retryAfter };
  if (rule.delayMs !== undefined) return { kind: "delay", ms: rule.delayMs };
  if (rule.hang) return { kind: "hang" };
  if (rule.reset) return { kind: "reset" };
  return { kind: "dropResponse" };
}
