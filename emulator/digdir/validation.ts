import { type z } from "zod";
import { type Request, parseJson } from "../core/router.js";
import { type FieldError, refuse } from "./errors.js";

/** Parses a JSON body with a zod schema; a violation becomes Digdir's 400 with one field error per issue. */
export function parseBody<S extends z.ZodType>(req: Request, schema: S, objectName: string): z.infer<S> {
  const raw = parseJson(req);
  if (raw === undefined) refuse(400, "Request body must be a JSON object");
  const result = schema.safeParse(raw);
  if (!result.success) {
    const fields: FieldError[] = result.error.issues.map((i) => ({
      field: i.path.join(".") || "(body)",
      message: `${i.path.join(".") || "body"}: ${i.message}`,
      objectName,
    }));
    refuse(400, [], fields);
  }
  return result.data as z.infer<S>;
}

/**
 * A boolean query parameter as a Spring controller binds it: `true`, `1`, `yes` and `on` in any case are true.
 * Python's requests sends `params={"inactive": True}` as `inactive=True`.
 */
export function queryFlag(req: Request, name: string): boolean {
  return ["true", "1", "yes", "on"].includes((req.query.get(name) ?? "").trim().toLowerCase());
}

export function wantsInactive(req: Request): boolean {
  return queryFlag(req, "inactive");
}
