// A webhook sink on the control plane: `POST /__emulator/sink/{name}` receives deliveries (Events' validation
// handshake and events, or anything else), `GET` lists what arrived, `DELETE` clears it, `PUT {"status":N}` makes
// the sink answer N (to test a failing endpoint). A sink needs no registration: an unknown name simply has no
// deliveries yet. Deliveries are part of the state (they survive restarts, reset clears them).
import { z } from "zod";
import { type EmulatorContext } from "../core/context.js";
import { type Reply, type Request, type Route, json, queryParam } from "../core/router.js";
import { type SinkDelivery, nowIso } from "../core/state.js";

export const SINK_BASE = "/__emulator/sink";
/** A slug: lower-case letters, digits and '-', starting with a letter or digit, at most 64 characters. */
const SINK_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The oldest deliveries are dropped beyond this many per sink. */
export const MAX_DELIVERIES = 1000;
/** Headers that may carry credentials are not recorded. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "ocp-apim-subscription-key",
  "platformaccesstoken",
]);

function sinkName(req: Request): string | Reply {
  const name = req.params["name"] as string;
  return SINK_NAME.test(name)
    ? name
    : json(400, { error: "invalid_request", issues: [`name: a sink name is a slug (${SINK_NAME.source})`] });
}

function recordedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || SECRET_HEADERS.has(k.toLowerCase())) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** The body as JSON when it parses, else the text. */
function recordedBody(req: Request): unknown {
  const text = req.body.toString("utf8");
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const typeOf = (d: SinkDelivery): string | undefined => {
  const b = d.body;
  return typeof b === "object" && b !== null && !Array.isArray(b) && typeof (b as Record<string, unknown>)["type"] === "string"
    ? ((b as Record<string, unknown>)["type"] as string)
    : undefined;
};

export function sinkRoutes(ctx: EmulatorContext): Route[] {
  const sinks = () => ctx.store.state.sinks;
  return [
    {
      method: "POST",
      template: `${SINK_BASE}/:name`,
      mutates: true,
      handler: (req) => {
        const name = sinkName(req);
        if (typeof name !== "string") return name;
        const sink = (sinks()[name] ??= { deliveries: [] });
        sink.deliveries.push({ method: req.method, headers: recordedHeaders(req), body: recordedBody(req), receivedAt: nowIso() });
        if (sink.deliveries.length > MAX_DELIVERIES) sink.deliveries.splice(0, sink.deliveries.length - MAX_DELIVERIES);
        // Every request is recorded, whatever the sink answers (the server persists after answers below 400 only).
        const status = sink.status ?? 200;
        if (status >= 400) ctx.store.save();
        return status === 204 ? { status } : json(status, { received: true });
      },
    },
    {
      method: "GET",
      template: `${SINK_BASE}/:name`,
      handler: (req) => {
        const name = sinkName(req);
        if (typeof name !== "string") return name;
        const type = queryParam(req.query, "type");
        const all = sinks()[name]?.deliveries ?? [];
        return json(200, { deliveries: type === null ? all : all.filter((d) => typeOf(d) === type) });
      },
    },
    {
      method: "PUT",
      template: `${SINK_BASE}/:name`,
      mutates: true,
      handler: (req) => {
        const name = sinkName(req);
        if (typeof name !== "string") return name;
        let raw: unknown;
        try {
          raw = JSON.parse(req.body.toString("utf8")) as unknown;
        } catch {
          raw = undefined;
        }
        const parsed = z.strictObject({ status: z.number().int().min(200).max(599) }).safeParse(raw);
        if (!parsed.success)
          return json(400, {
            error: "invalid_request",
            issues: parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`),
          });
        const sink = (sinks()[name] ??= { deliveries: [] });
        if (parsed.data.status === 200) delete sink.status;
        else sink.status = parsed.data.status;
        return json(200, { name, status: parsed.data.status });
      },
    },
    {
      method: "DELETE",
      template: `${SINK_BASE}/:name`,
      mutates: true,
      handler: (req) => {
        const name = sinkName(req);
        if (typeof name !== "string") return name;
        delete sinks()[name];
        return { status: 204 };
      },
    },
  ];
}
