/**
 * `npm run summary -- --stack <stack>`: what the stack's onboarding is, for a person: each story with its
 * resources, clients (ids and key ids, never keys), subscriptions and the links customers open. Reads the stack's
 * outputs without secrets.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import { EXIT, main, parseArgs } from "./cli.js";
import { repoRoot } from "./pulumi.js";
import type { StackOutputs } from "./verify.js";

function outputs(stack: string): Promise<StackOutputs & { scopeGrants?: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const root = repoRoot();
    const child = spawn(
      "bash",
      [join(root, "tools", "pulumi-env.sh"), "pulumi", "stack", "output", "--json", "--stack", stack, "--non-interactive"],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as StackOutputs)
        : reject(new Error(`pulumi stack output failed (${code})`)),
    );
  });
}

main("npm run summary -- --stack <stack>", async () => {
  const opts = parseArgs(process.argv.slice(2));
  const o = await outputs(opts.stack);
  const lines: string[] = [];
  const clients = o.clients ?? {};
  const client = (name: string): string => {
    const c = clients[name];
    if (!c) return name;
    return `${name} (org ${c.organization}, client_id ${c.clientId}, keys ${Object.entries(c.keyIds)
      .map(([k, kid]) => `${k}=${kid.slice(0, 16)}…`)
      .join(", ")})`;
  };
  const about = (subject: string | undefined): string => (subject ? ` about ${subject.slice(subject.lastIndexOf(":") + 1)}` : "");
  const nameOf = (clientId: string): string => Object.entries(clients).find(([, c]) => c.clientId === clientId)?.[0] ?? clientId;
  const grants = Object.entries(o.scopeGrants ?? {});
  if (grants.length > 0) {
    lines.push("API provider (scope -> consumer: state)");
    for (const [k, v] of grants) lines.push(`  ${k}: ${v}`);
  }
  for (const [name, c] of Object.entries(o.stories?.consumers ?? {})) {
    lines.push(`Consumer ${name}: ${client(nameOf(c.client.clientId))}`);
    for (const s of c.subscriptions)
      lines.push(
        `  events of ${s.resource}${s.type ? ` (${s.type})` : ""}${about(s.subject)} -> ${s.endpoint} [${s.validated ? "validated" : "NOT validated"}]`,
      );
  }
  for (const [kind, stories] of [
    ["Correspondence service", o.stories?.correspondence ?? {}],
    ["Broker service", o.stories?.broker ?? {}],
  ] as const) {
    for (const [name, s] of Object.entries(stories)) {
      lines.push(`${kind} ${name}: resource ${s.resource} of ${s.orgCode} (${s.organization})`);
      lines.push(`  recipients: ${s.recipients.join(", ") || "(none)"}${s.senders.length > 0 ? `; senders: ${s.senders.join(", ")}` : ""}`);
      lines.push(`  client: ${client(nameOf(s.client.clientId))}`);
      for (const sub of s.subscriptions)
        lines.push(
          `  events${sub.type ? ` (${sub.type})` : ""}${about(sub.subject)} -> ${sub.endpoint} [${sub.validated ? "validated" : "NOT validated"}]`,
        );
    }
  }
  for (const [name, s] of Object.entries(o.stories?.endUserSystems ?? {})) {
    lines.push(
      `End-user system ${name}: ${s.systemId} of vendor ${s.vendor}; rights on ${s.rights.map((r) => r.resource).join(", ") || "(none)"}`,
    );
    lines.push(`  client: ${client(nameOf(s.client.clientId))}`);
    for (const c of s.customers)
      lines.push(`  customer ${c.organization}: ${c.status}${c.status === "New" ? ` (to accept: ${c.confirmUrl})` : ""}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return lines.length > 0 ? EXIT.ok : EXIT.found;
});
