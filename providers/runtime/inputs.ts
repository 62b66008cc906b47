/**
 * A kind's input rules, defined once and used twice: by the provider's `check` (which must let values that are
 * not known yet during a preview through, to check them again at `up`) and by the manifest (which never accepts
 * such a value). Rules are a zod object of fields plus object-level refinements kept apart, because zod cannot
 * change the fields of a refined object; a refinement must therefore skip fields that are missing.
 */
import { z } from "zod";

import type { CheckFailure, CheckResult, Props } from "./contract.js";
import { ConfigurationError } from "./errors.js";
import { containsUnknown } from "./validation.js";

/** A rule across fields. It sees a partial value: fields not known yet (preview) or not picked are missing. */
export type Refinement<T> = (value: Partial<T>, ctx: z.RefinementCtx) => void;

export interface InputRules<S extends z.ZodRawShape> {
  /** The fields, unrefined. The manifest picks and extends these. */
  readonly shape: z.ZodObject<S>;
  /** Rules across fields; they skip fields that are undefined. */
  readonly refine: Refinement<z.output<z.ZodObject<S>>>;
  /** Fields and refinements together: what a fully known value must satisfy. */
  readonly schema: z.ZodType<z.output<z.ZodObject<S>>, z.input<z.ZodObject<S>>>;
  /** The input field names. */
  readonly keys: readonly string[];
}

export function inputRules<S extends z.ZodRawShape>(
  shape: z.ZodObject<S>,
  refine: Refinement<z.output<z.ZodObject<S>>> = () => undefined,
): InputRules<S> {
  return { shape, refine, schema: shape.superRefine(refine), keys: Object.keys(shape.shape) };
}

/**
 * zod reports a value that fails every branch of a union as one "invalid input" issue; the useful explanation is
 * in the first branch.
 */
function failures(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): CheckFailure[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    const first = issue.code === "invalid_union" ? issue.errors[0] : undefined;
    if (first && first.length > 0) return failures(first, path);
    return [{ property: path.map(String).join(".") || "(inputs)", reason: issue.message }];
  });
}

/**
 * `check`: the parsed inputs (defaults filled, unknown keys dropped), or failures naming the field and the rule.
 * A field whose value is not known yet (preview) is left out of this check and passed through as it is.
 */
export function checkInputs<S extends z.ZodRawShape>(rules: InputRules<S>, news: Props): CheckResult {
  const pending = rules.keys.filter((k) => containsUnknown(news[k]));
  const known: Props = { ...news };
  for (const k of pending) delete known[k];
  // Only for validating: the typed view of the rules does not survive making arbitrary fields optional.
  const loose = rules.shape as unknown as z.ZodObject<z.ZodRawShape>;
  const refine = rules.refine as unknown as Refinement<Record<string, unknown>>;
  // A pending field is absent while checking (not defaulted either), so refinements skip it.
  const schema =
    pending.length === 0
      ? rules.schema
      : loose.extend(Object.fromEntries(pending.map((k) => [k, z.undefined().optional()]))).superRefine(refine);
  const parsed = schema.safeParse(known);
  if (!parsed.success) return { failures: failures(parsed.error.issues, []) };
  const inputs: Props = { ...(parsed.data as Props) };
  for (const k of pending) inputs[k] = news[k];
  return { inputs };
}

/** Inputs that `check` accepted, typed; anything else is a {@link ConfigurationError} naming the field. */
export function parseInputs<S extends z.ZodRawShape>(rules: InputRules<S>, props: Props, kind: string): z.output<z.ZodObject<S>> {
  const parsed = rules.schema.safeParse(props);
  if (parsed.success) return parsed.data;
  const f = failures(parsed.error.issues, [])[0];
  throw new ConfigurationError(
    `${kind}: invalid inputs: ${f ? `${f.property}: ${f.reason}` : "(unknown problem)"}`,
    "fix the resource's arguments",
  );
}
