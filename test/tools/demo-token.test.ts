/**
 * The demo token check (tools/demo-token.mts, the end of `npm start`) fails when it has nothing to check: stack
 * outputs without any client key must not pass as "every key obtains a token".
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

import { describe, expect, it } from "vitest";

const script = join(__dirname, "..", "..", "tools", "demo-token.mts");

function check(outputs: unknown): { status: number | null; stdout: string } {
  // 127.0.0.1:9 (discard) is never asked: with no key there is no request to make.
  const r = spawnSync(process.execPath, [script, "http://127.0.0.1:9"], { input: JSON.stringify(outputs), encoding: "utf8" });
  return { status: r.status, stdout: r.stdout };
}

describe("the demo token check", () => {
  it("exits non-zero when the outputs have no clients", () => {
    const r = check({});
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("nothing to check: the stack outputs list no client key");
  });

  it("exits non-zero when the clients have no keys", () => {
    const r = check({ clients: { "orders-reader": { clientId: "c1", scopes: ["ttd:orders.read"], keyIds: {} } }, privateJwks: {} });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("nothing to check");
  });

  it("counts a key without its private key as a failure, not as nothing to check", () => {
    const r = check({ clients: { "orders-reader": { clientId: "c1", scopes: ["ttd:orders.read"], keyIds: { "2026-11": "kid1" } } } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("orders-reader / key 2026-11: no private key in the outputs");
    expect(r.stdout).not.toContain("nothing to check");
  });
});
