/**
 * Values as the Pulumi CLI's JSON shows them, made safe and readable for a report: secrets masked, values not
 * known during a preview named as such, sets compared as additions and removals.
 */

/** What the CLI prints for a secret in `preview --json` steps. */
export const SECRET_TEXT = "[secret]";
/** The key that marks a secret envelope in engine events and `stack export` (`{<sig>: <secret sig>, ...}`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
/** The sentinel of a value not known until apply (an output of a resource not created yet). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_TEXT = "(known after apply)";

/** The marker a masked value is replaced with in reports (JSON and Markdown). */
export const MASKED = "[secret]";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: unknown): boolean {
  return v === SECRET_TEXT || (isRecord(v) && v[SECRET_SIG_KEY] === SECRET_SIG_VALUE);
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/**
 * A JSON-safe copy with every secret (wherever it sits) replaced by {@link MASKED}. `secret` masks the whole
 * value (a field the kind declares secret). Undefined stays undefined.
 */
export function mask(v: unknown, secret = false): Json | undefined {
  if (v === undefined) return undefined;
  if (secret || isSecret(v)) return MASKED;
  if (Array.isArray(v)) return v.map((x) => mask(x) ?? null);
  if (isRecord(v)) {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(v).sort()) {
      const m = mask(v[k]);
      if (m !== undefined) out[k] = m;
    }
    return out;
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null) return v;
  return String(v);
}

/** JSON with sorted keys: equal values render equally whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => v[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** One value on one line for a person: masked, unknowns named, long values shortened. */
export function render(v: unknown, max = 160): string {
  if (v === undefined) return "(none)";
  if (isUnknown(v)) return UNKNOWN_TEXT;
  const m = mask(v);
  const text = m === MASKED ? MASKED : stableJson(m).replaceAll(`"${UNKNOWN}"`, UNKNOWN_TEXT);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A set element for a person: strings as they are, anything else as JSON. */
export function renderElement(v: unknown): string {
  if (typeof v === "string") return isUnknown(v) ? UNKNOWN_TEXT : v;
  return render(v);
}

export interface SetDelta {
  /** In `to`, not in `from`. */
  readonly added: Json[];
  /** In `from`, not in `to`. */
  readonly removed: Json[];
}

/** Compares two values as sets (order and duplicates do not matter). Non-arrays count as empty sets. */
export function setDelta(from: unknown, to: unknown): SetDelta {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const keyed = (v: unknown): Map<string, unknown> => new Map(list(v).map((x) => [stableJson(mask(x)), x]));
  const a = keyed(from);
  const b = keyed(to);
  const only = (x: Map<string, unknown>, y: Map<string, unknown>): Json[] =>
    [...x.keys()]
      .filter((k) => !y.has(k))
      .sort()
      .map((k) => mask(x.get(k)) ?? null);
  return { added: only(b, a), removed: only(a, b) };
}

/** Fields the engine and the runtime add to every dynamic resource; never part of a change a person reviews. */
export const INTERNAL_FIELDS: ReadonlySet<string> = new Set(["__provider", "resourceKind"]);

/** The `<module>:<Type>` part of a dynamic type token, or the whole token for other types. */
export function kindLabel(token: string): string {
  const m = /^pulumi-nodejs:dynamic\/(.+)$/.exec(token);
  return m?.[1] ?? token;
}

/** The resource name at the end of a URN (`...::<name>`). */
export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}
