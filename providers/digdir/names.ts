/**
 * Names the Digdir kinds share: scope names (`<prefix>:<subscope>`) and integration types. One definition, used
 * by the kinds' input rules and by the manifest.
 */
import { z } from "zod";

export const INTEGRATION_TYPES = ["maskinporten", "api_klient", "idporten", "ansattporten", "krr", "eformidling"] as const;

/** A scope prefix as Digdir assigns them: lower-case letters, digits, `_` and `-`. */
export const PREFIX_RE = /^[a-z0-9][a-z0-9_-]*$/;
/** A subscope: letters, digits and `_ - . / :`, starting with a letter or digit, not ending with a separator. */
export const SUBSCOPE_RE = /^[A-Za-z0-9](?:[A-Za-z0-9_\-./:]*[A-Za-z0-9_-])?$/;

export function isScopeName(s: string): boolean {
  const i = s.indexOf(":");
  return i > 0 && PREFIX_RE.test(s.slice(0, i)) && SUBSCOPE_RE.test(s.slice(i + 1));
}

export const scopeNameSchema = z
  .string()
  .refine(isScopeName, "a scope is <prefix>:<subscope>: a lower-case prefix (a-z, 0-9, _ -), a colon, then letters, digits and _ - . / :");

/** `<prefix>:<subscope>`, with a prefix written with its trailing colon tolerated. */
export function scopeNameOf(prefix: unknown, subscope: unknown): string {
  return `${String(prefix ?? "").replace(/:$/, "")}:${String(subscope ?? "")}`;
}
