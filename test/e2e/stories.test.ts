/**
 * The stories through the real CLI, proved by `npm run verify` (the onboarding stories issue): a policy that
 * does not permit `read` for a recipient makes verify fail on exactly that check, naming the resource, the
 * organisation and the action; a recipient removed from the access list of an `Enabled` resource fails its read
 * check; a sender that does not own the resource and is not permitted `write` is refused; a precondition that is
 * not met stops `up` before anything that needs it, naming what to ask for, and a preview without changes makes
 * no API call.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import type * as jose from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { altinnCall, altinnTokenFor, countsSince, requestCounts } from "../support/altinn.js";
import { localStacks, type LocalStack } from "../support/local-stack.js";
import { clientToken } from "../support/maskinporten.js";
import { repoRoot } from "../support/pulumi-cli.js";

const OWNER = "311000012";
const TEXT = { en: "Letters", nb: "Brev", nn: "Brev" };

function manifest(identifier: string, recipientActions: string[] | undefined, extra: Record<string, unknown> = {}): unknown {
  return {
    ...extra,
    organization: OWNER,
    correspondence: [
      {
        name: "letters",
        orgCode: "ttd",
        recipients: ["313000028", "314000013"],
        ...(recipientActions
          ? {
              policyRules: [
                { subjects: ["urn:altinn:org:ttd"], actions: ["write", "read", "subscribe"] },
                {
                  subjects: ["urn:altinn:organization:identifier-no:313000028", "urn:altinn:organization:identifier-no:314000013"],
                  actions: recipientActions,
                },
              ],
            }
          : {}),
        resource: {
          identifier,
          title: TEXT,
          description: TEXT,
          rightDescription: TEXT,
          contactPoints: [{ category: "Support", email: "s@ttd.example" }],
        },
        client: { name: `${identifier}-sender`, scopes: ["altinn:correspondence.write", "altinn:serviceowner"], keys: ["k1"] },
      },
    ],
  };
}

interface VerifyRun {
  code: number;
  output: string;
}

function verify(project: LocalStack, stack: string): Promise<VerifyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "node",
      [
        join(repoRoot, "tools", "ops", "dist", "verify-main.js"),
        "--stack",
        stack,
        "--max-wait",
        "2",
        "--out",
        join(project.env.PULUMI_HOME ?? "/tmp", "reports"),
      ],
      {
        cwd: repoRoot,
        env: project.env,
      },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

/** The table rows verify printed, as `check -> result`. */
function rows(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of output.split("\n")) {
    const m = /^(correspondence letters|client \S+)\s{2,}(.+?)\s{2,}(pass|fail|waiting|skipped)\s{2,}/.exec(line);
    if (m?.[2] && m[3]) out.set(m[2], m[3]);
  }
  return out;
}

describe("stories proved by verify", () => {
  const stacks = localStacks();
  let listProject: LocalStack | undefined;
  let ownerToken: string;
  beforeAll(async () => {
    ownerToken = await altinnTokenFor(stacks.url(), OWNER);
  });

  it("fails exactly the read check of a recipient the policy does not permit to read, naming resource, organisation and action", async () => {
    const project = await stacks.stack("e2e-story-policy", manifest("ttd-story-noread", ["subscribe"]));
    await project.run(["up", "--yes", "--skip-preview"]);
    const before = await requestCounts(stacks.url());
    const preview = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(countsSince(before, await requestCounts(stacks.url()))).toEqual({});

    const run = await verify(project, "e2e-story-policy");
    expect(run.code, run.output).toBe(1);
    const r = rows(run.output);
    expect([...r.entries()].filter(([, v]) => v === "fail").map(([k]) => k)).toEqual([
      "read as recipient 313000028",
      "read as recipient 314000013",
    ]);
    expect(r.get("send to 313000028 as ttd")).toBe("pass");
    expect(run.output).toMatch(/resource ttd-story-noread: organisation 313000028 may not read \(action read\): HTTP 40[13]/);
  });

  it("fails the read check of a recipient removed from the access list of an Enabled resource", async () => {
    // Also a client of Digitaliseringsdirektoratet (a service owner too; it owns the altinn prefix in the seed), for
    // the sender test below.
    const project = await stacks.stack(
      "e2e-story-list",
      manifest("ttd-story-list", undefined, {
        consumers: [
          {
            name: "digdir-sender",
            organization: "310000019",
            scopes: ["altinn:correspondence.write", "altinn:serviceowner"],
            keys: ["k1"],
          },
        ],
      }),
    );
    listProject = project;
    await project.run(["up", "--yes", "--skip-preview"]);
    const first = await verify(project, "e2e-story-list");
    expect(first.code, first.output).toBe(0);

    const base = "/resourceregistry/api/v1/access-lists/ttd/ttd-story-list-recipients";
    const members = (await altinnCall(stacks.url(), ownerToken, "GET", `${base}/members`)).json as {
      data: { id: string; identifiers: Record<string, unknown> }[];
    };
    const gone = members.data.find((m) => m.identifiers["urn:altinn:organization:identifier-no"] === "314000013");
    expect((await altinnCall(stacks.url(), ownerToken, "DELETE", `${base}/members`, { json: { data: [gone?.id] } })).status).toBe(200);

    const run = await verify(project, "e2e-story-list");
    expect(run.code, run.output).toBe(1);
    const r = rows(run.output);
    expect(r.get("read as recipient 314000013")).toBe("fail");
    expect(r.get("read as recipient 313000028")).toBe("pass");
    expect(run.output).toMatch(/resource ttd-story-list: organisation 314000013 may not read \(action read\)/);
  });

  it("refuses a sender that does not own the resource and is not permitted write", async () => {
    // Digitaliseringsdirektoratet (digdir) is a service owner too, but the resource is Testetaten's and its
    // policy lets only ttd write. Its own client (made by the stack) asks, as its software would.
    if (!listProject) throw new Error("the access-list test made the stack");
    const out = JSON.parse((await listProject.run(["stack", "output", "--json", "--show-secrets"])).stdout) as {
      clients: Record<string, { clientId: string }>;
      privateJwks: Record<string, Record<string, string>>;
    };
    const jwk = JSON.parse(out.privateJwks["digdir-sender"]?.k1 ?? "null") as jose.JWK;
    const mp = await clientToken(stacks.url(), out.clients["digdir-sender"]?.clientId ?? "", jwk, [
      "altinn:serviceowner",
      "altinn:correspondence.write",
    ]);
    expect(mp.status, JSON.stringify(mp.body)).toBe(200);
    const exchanged = await fetch(`${stacks.url()}/authentication/api/v1/exchange/maskinporten`, {
      headers: { authorization: `Bearer ${mp.body.access_token ?? ""}` },
    });
    const token = (await exchanged.text()).trim();
    const r = await altinnCall(stacks.url(), token, "POST", "/correspondence/api/v1/correspondence", {
      json: {
        correspondence: {
          resourceId: "ttd-story-list",
          sender: "0192:310000019",
          sendersReference: "not-the-owner",
          content: { language: "en", messageTitle: "x", messageSummary: "x", messageBody: "x" },
        },
        recipients: ["urn:altinn:organization:identifier-no:313000028"],
      },
    });
    expect(r.status).toBe(401);
    expect((r.json as { code?: string }).code).toBe("CORR-04001");
  });

  it("stops up at a precondition that is not met, naming the scope, the organisation and whom to ask", async () => {
    // Kunde B (314000013) has not been granted altinn:correspondence.write in the emulator's seed.
    const project = await stacks.stack("e2e-story-pre", {
      organization: OWNER,
      consumers: [{ name: "kunde-b-files", organization: "314000013", scopes: ["altinn:correspondence.write"], keys: ["k1"] }],
    });
    const up = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(up.code).not.toBe(0);
    const out = up.stdout + up.stderr;
    expect(out).toMatch(
      /scope altinn:correspondence\.write: ask Altinn's service desk \(servicedesk@altinn\.no\) to grant it to organisation 314000013/,
    );
    expect(out).not.toMatch(/maskinporten:Client client-kunde-b-files created/);
    expect(out).not.toMatch(/client-kunde-b-files creating/);
  });
});
