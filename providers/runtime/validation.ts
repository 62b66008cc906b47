/**
 * Offline validation shared by every kind's rules: Norwegian org numbers, durations in the formats the APIs and
 * users write, and preview's unknown-value sentinel.
 */
import { z } from "zod";

/** What the engine passes for a value not known yet during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when a value, or anything inside it, is not known yet. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

const ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** A Norwegian organisation number: 9 digits whose last is the MOD11 check digit (weights 3,2,7,6,5,4,3,2). */
export function isValidOrgNumber(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(s[i]) * (ORG_WEIGHTS[i] ?? 0);
  const rest = sum % 11;
  const check = rest === 0 ? 0 : 11 - rest;
  return check !== 10 && check === Number(s[8]);
}

export const orgNumberSchema = z
  .string()
  .regex(/^\d{9}$/, "an organisation number is exactly 9 digits")
  .refine(isValidOrgNumber, "not a valid organisation number: its MOD11 check digit (weights 3,2,7,6,5,4,3,2) does not match");

/**
 * A duration in seconds, from a number of seconds, an ISO-8601 duration (`PT2M`, `P1DT2H`) or a .NET TimeSpan
 * (`00:02:00`, `1.02:00:00`). Returns undefined for anything else.
 */
export function durationSeconds(v: number | string): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? v : undefined;
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, w, d, h, m, sec] = iso;
    return Number(w ?? 0) * 604800 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(sec ?? 0);
  }
  const ts = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(s);
  if (ts) {
    const [, d, h, m, sec] = ts;
    if (Number(m) > 59 || Number(sec) >= 60) return undefined;
    return Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(sec);
  }
  return undefined;
}

/** A duration input: seconds, ISO-8601 or .NET TimeSpan; must be whole seconds. */
export const durationSchema = z
  .union([z.number(), z.string()])
  .refine(
    (v) => durationSeconds(v) !== undefined,
    "a duration is a number of seconds, an ISO-8601 duration (PT2M) or a TimeSpan (00:02:00)",
  )
  .refine((v) => Number.isInteger(durationSeconds(v)), "a duration must be a whole number of seconds");

/** A list that is a set: each item at most once; a repeat is refused at its own index, naming the first. */
export function setOf<S extends z.ZodType<string>>(item: S, what: string): z.ZodArray<S> {
  return z.array(item).superRefine((items: readonly string[], ctx) => {
    const seen = new Map<string, number>();
    items.forEach((v, i) => {
      const first = seen.get(v);
      if (first === undefined) seen.set(v, i);
      else ctx.addIssue({ code: "custom", path: [i], message: `${what} "${v}" is declared twice (also at index ${first})` });
    });
  });
}
