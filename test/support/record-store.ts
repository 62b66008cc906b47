/** A tiny in-memory key/value HTTP store on 127.0.0.1 for the smoke resource (PUT/GET/DELETE /records/:key). */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordStore {
  url: string;
  records: Map<string, string>;
  requests: string[];
  close(): Promise<void>;
}

export async function startRecordStore(): Promise<RecordStore> {
  const records = new Map<string, string>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push(`${req.method} ${req.url}`);
      const m = /^\/records\/([^/?]+)$/.exec(req.url ?? "");
      if (!m?.[1]) {
        res.writeHead(404).end();
        return;
      }
      const key = decodeURIComponent(m[1]);
      if (req.method === "PUT") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { value?: unknown };
        if (typeof body.value !== "string") {
          res.writeHead(400, { "content-type": "application/json" }).end('{"error":"value must be a string"}');
          return;
        }
        records.set(key, body.value);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: body.value }));
      } else if (req.method === "GET") {
        const value = records.get(key);
        if (value === undefined) res.writeHead(404).end();
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value }));
      } else if (req.method === "DELETE") {
        const existed = records.delete(key);
        res.writeHead(existed ? 204 : 404).end();
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
