// Request bodies as ASP.NET reads them: JSON with case-insensitive property names, unknown properties ignored.
import { type Request } from "../core/router.js";
import { aspnetProblem, fail } from "./errors.js";

export type JsonObject = Record<string, unknown>;

/** The parsed JSON body; malformed or missing JSON fails with ASP.NET's model-binding problem (400). */
export function readBody(req: Request): unknown {
  const text = req.body.toString("utf8").trim();
  if (text === "") fail(aspnetProblem(400, { "": ["A non-empty request body is required."] }));
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    fail(aspnetProblem(400, { $: [`The JSON value could not be converted. ${err instanceof Error ? err.message : ""}`.trim()] }));
  }
}

export function readObject(req: Request): JsonObject {
  const v = readBody(req);
  if (!isObject(v)) fail(aspnetProblem(400, { $: ["The JSON value could not be converted to an object."] }));
  return v;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A property read case-insensitively (System.Text.Json with PropertyNameCaseInsensitive). */
export function prop(o: unknown, name: string): unknown {
  if (!isObject(o)) return undefined;
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(o)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function str(o: unknown, name: string): string | undefined {
  const v = prop(o, name);
  return typeof v === "string" ? v : undefined;
}

/** Drops null and undefined members (Altinn's JSON output omits nulls). */
export function compact<T extends JsonObject>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}
