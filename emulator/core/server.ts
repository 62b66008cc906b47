import { type IncomingMessage, type ServerResponse, createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { type EmulatorContext } from "./context.js";
import { type FaultEffect } from "./faults.js";
import { type Reply, type Router } from "./router.js";

const MAX_BODY = 1024 * 1024;
const CONTROL_PREFIX = "/__emulator/";

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload: Buffer | undefined;
  if (reply.body !== undefined) {
    if (Buffer.isBuffer(reply.body)) payload = reply.body;
    else if (typeof reply.body === "string") payload = Buffer.from(reply.body, "utf8");
    else {
      payload = Buffer.from(JSON.stringify(reply.body), "utf8");
      headers["content-type"] ??= "application/json";
    }
  }
  headers["content-length"] = String(payload?.length ?? 0);
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function faultReply(effect: Extract<FaultEffect, { kind: "status" }>): Reply {
  const headers: Record<string, string> = effect.retryAfter === undefined ? {} : { "retry-after": String(effect.retryAfter) };
  return {
    status: effect.status,
    headers,
    body: { status: effect.status, error: "emulated_fault", error_description: `Fault injected by the emulator (status ${effect.status})` },
  };
}

export interface ServerHooks {
  log?: (line: string) => void;
}

export function createEmulatorServer(ctx: EmulatorContext, router: Router, hooks: ServerHooks = {}): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const control = path.startsWith(CONTROL_PREFIX);
    const match = router.match(method, path);
    const label = match.kind === "found" ? match.route.template : match.kind === "method-not-allowed" ? match.template : "(unmatched)";
    const finish = (status: number): void => {
      ctx.metrics.countRequest(method, label, status);
      hooks.log?.(`${method} ${path} ${status}`);
    };

    const body = await readBody(req);
    let effect: FaultEffect | undefined;
    if (!control) {
      if (ctx.latencyMs > 0) await sleep(ctx.latencyMs);
      effect = ctx.faults.take(method, path);
      if (effect?.kind === "status") {
        const reply = faultReply(effect);
        finish(reply.status);
        return send(res, reply);
      }
      if (effect?.kind === "delay") await sleep(effect.ms);
      if (effect?.kind === "hang") {
        // Never answer; the socket stays open until the caller gives up or the emulator closes.
        finish(0);
        return;
      }
      if (effect?.kind === "reset") {
        finish(0);
        req.socket.destroy();
        return;
      }
    }

    let reply: Reply;
    if (body === undefined) reply = { status: 413, body: { status: 413, error: "Payload Too Large" } };
    else if (match.kind === "not-found") reply = { status: 404, body: { status: 404, error: "Not Found", path } };
    else if (match.kind === "method-not-allowed")
      reply = { status: 405, headers: { allow: match.allow.join(", ") }, body: { status: 405, error: "Method Not Allowed", path } };
    else {
      reply = await match.route.handler({ method, path, query: url.searchParams, headers: req.headers, params: match.params, body });
      if (match.route.mutates && reply.status < 400) ctx.store.save();
    }

    if (effect?.kind === "dropResponse") {
      // The change is committed (and persisted) above; the caller only sees the connection drop.
      finish(0);
      req.socket.destroy();
      return;
    }
    finish(reply.status);
    send(res, reply);
  };

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      hooks.log?.(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) send(res, { status: 500, body: { status: 500, error: "Internal Server Error" } });
      else res.destroy();
    });
  });
}
