/**
 * Secrets never leave where they belong. The guard (test/support/secrets.ts) scans every CLI output of the
 * end-to-end suite, every stack's state files and the emulator's request log for private key material and admin
 * credentials, and fails the test that leaked. Here: the guard catches what it must (and only that), and a whole
 * lifecycle runs under it: up with keys, previews, a drift check, outputs, a rotation, a refused scope and an
 * exhausted retry (errors), stack export; the private keys that `--show-secrets` reveals and the admin keys are
 * then looked for everywhere else.
 */
import { generateKeyPairSync } from "node:crypto";

import { describe, expect, it } from "vitest";

import { addFault, clearFaults } from "../support/emulator-control.js";
import { localStacks } from "../support/local-stack.js";
import { emulatorOrgs } from "../support/maskinporten.js";
import type { CliResult } from "../support/pulumi-cli.js";
import { assertNoSecretsInEmulatorLog, rememberJwks, rememberSecret, scan, scannedCount } from "../support/secrets.js";

const PROVIDER = "311000012";
const CONSUMER = "313000028";
const OTHER = "314000013"; // not granted ttd:example.read

describe("the secrets guard", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateJwk = privateKey.export({ format: "jwk" });
  const publicJwk = publicKey.export({ format: "jwk" });

  it("finds private key material in every form it takes in outputs, and names no secret", () => {
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const found = [
      scan("json", JSON.stringify({ k1: privateJwk })),
      scan("json in a string", JSON.stringify({ k1: JSON.stringify(privateJwk) })),
      scan("pem", `error: ${pem}`),
      scan("jwt", "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4eHh4eHgifQ.c2lnbmF0dXJlc2lnbmF0dXJl"),
    ];
    for (const f of found) expect(f.length).toBeGreaterThan(0);
    expect(found.flat().map((f) => f.what)).toEqual([
      "a private JWK member",
      "a private JWK member",
      "a PEM private key",
      "a JWT (token or signed grant)",
    ]);
    expect(JSON.stringify(found)).not.toContain(String(privateJwk.d));
  });

  it("lets public keys, kids and ordinary output through", () => {
    expect(scan("public", JSON.stringify({ ...publicJwk, kid: "iac-AbCdEfGhIjKl_q2w3e4r5t6y7u8i9o0pAsDfGhJkLzXcVbNm12345678" }))).toEqual(
      [],
    );
    expect(scan("cli", "Resources:\n    + 5 created\n    privateJwks  : [secret]\nDuration: 3s")).toEqual([]);
  });

  it("finds a known secret in another form than its own", () => {
    rememberSecret("a test secret", String(privateJwk.d));
    const reencoded = `d=${String(privateJwk.d)}`; // no JSON around it: only the fragment gives it away
    expect(scan("text", reencoded).map((f) => f.what)).toEqual(["part of a test secret"]);
  });
});

describe("a whole lifecycle under the guard", () => {
  const stacks = localStacks();

  it("leaks no private key and no admin credential in outputs, errors, state or the emulator's log", async () => {
    const url = stacks.url();
    const texts = scannedCount();
    const manifest = (keys: string[], extra: unknown[] = []): unknown => ({
      organization: PROVIDER,
      maskinporten: {
        scopes: [{ prefix: "ttd", subscope: "secrets.read", description: "Secrets test", consumers: [CONSUMER] }],
        clients: [{ name: "vault-reader", organization: CONSUMER, scopes: ["ttd:secrets.read"], keys }, ...extra],
      },
    });
    const project = await stacks.stack("e2e-secrets", manifest(["k1", "k2"]), { "altinn-onboarding:httpMaxAttempts": "2" });
    const transcript: CliResult[] = [];
    const run = async (args: string[], allowFailure = false): Promise<CliResult> => {
      const r = await project.run(args, { allowFailure });
      transcript.push(r);
      return r;
    };

    await run(["up", "--yes", "--skip-preview"]);
    await run(["preview", "--diff", "--expect-no-changes"]);
    await run(["refresh", "--preview-only", "--expect-no-changes", "--diff"]);
    await run(["stack", "output", "--json"]);
    const shown = await run(["stack", "output", "privateJwks", "--show-secrets", "--json"]);
    // The control: what --show-secrets printed is key material the guard recognises.
    expect(scan("--show-secrets", shown.stdout).map((f) => f.what)).toContain("a private JWK member");
    rememberJwks("a private key of this stack", shown.stdout);
    for (const o of await emulatorOrgs(url)) rememberSecret(`the admin key of ${o.orgNumber}`, o.adminClient.certificateKeyPem);

    // A rotation, then two failures whose errors must name the problem without anything secret.
    project.setManifest(manifest(["k2", "k3"]));
    await run(["up", "--yes", "--skip-preview", "--diff"]);
    project.setManifest(manifest(["k3"], [{ name: "not-granted", organization: OTHER, scopes: ["ttd:example.read"], keys: ["k1"] }]));
    const refused = await run(["up", "--yes", "--skip-preview"], true);
    expect(refused.code).not.toBe(0);
    // Refused before or at the API (a precondition check or Digdir's refusal): either way an error naming both.
    expect(refused.stdout + refused.stderr).toMatch(/314000013[\s\S]*ttd:example\.read|ttd:example\.read[\s\S]*314000013/);
    project.setManifest(manifest(["k3"], [{ name: "unlucky", organization: CONSUMER, scopes: ["ttd:example.read"], keys: ["k1"] }]));
    await addFault(url, { method: "POST", path: "/api/v1/clients", status: 503 });
    const exhausted = await run(["up", "--yes", "--skip-preview"], true);
    await clearFaults(url);
    expect(exhausted.code).not.toBe(0);
    expect(exhausted.stdout + exhausted.stderr).toMatch(/POST \/clients failed: HTTP 503/);
    const exported = await run(["stack", "export"]);

    // Every command above went through the guard (runPulumi), and none of them printed a secret it now knows.
    expect(scannedCount() - texts).toBeGreaterThanOrEqual(transcript.length - 1);
    for (const r of transcript.filter((t) => t !== shown)) expect(scan("a command's output", r.stdout + r.stderr)).toEqual([]);
    expect(scan("stack export", exported.stdout)).toEqual([]);
    expect(exported.stdout).toContain("privateJwks"); // the keys are in state, encrypted
    // The emulator's log so far: scanned, and not empty.
    expect(assertNoSecretsInEmulatorLog("the emulator of the lifecycle")).toBeGreaterThan(0);
    // The state files are scanned when the stack is removed (afterAll), with the keys now known.
  });
});
