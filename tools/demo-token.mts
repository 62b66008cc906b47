// Proves the local onboarding works end to end: for every client and key in the stack outputs (read from
// stdin, as `pulumi stack output --json --show-secrets` prints them), signs a JWT-bearer grant with the key and
// asks the emulator's Maskinporten for a token. Prints the outcome, never the key or the token itself.
// Exits non-zero when a token is refused, and when there is nothing to check (no client key in the outputs):
// a check that checked nothing must not pass.
// Usage: pulumi stack output --json --show-secrets | node tools/demo-token.mts http://127.0.0.1:5580
import { createPrivateKey, randomUUID, type JsonWebKey } from "node:crypto";

import { SignJWT } from "jose";

interface Outputs {
  clients?: Record<string, { clientId: string; scopes: string[]; keyIds?: Record<string, string> }>;
  privateJwks?: Record<string, Record<string, string>>;
}

const issuer = `${(process.argv[2] ?? "http://127.0.0.1:5580").replace(/\/$/, "")}/`;
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const outputs = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Outputs;

let failures = 0;
let checked = 0;
for (const [name, client] of Object.entries(outputs.clients ?? {})) {
  for (const [keyName, kid] of Object.entries(client.keyIds ?? {})) {
    checked++;
    const jwkText = outputs.privateJwks?.[name]?.[keyName];
    if (!jwkText) {
      console.log(`${name} / key ${keyName}: no private key in the outputs`);
      failures++;
      continue;
    }
    const now = Math.floor(Date.now() / 1000);
    const key = createPrivateKey({ key: JSON.parse(jwkText) as JsonWebKey, format: "jwk" });
    const assertion = await new SignJWT({ scope: client.scopes.join(" "), jti: randomUUID() })
      .setProtectedHeader({ alg: "RS256", kid })
      .setIssuer(client.clientId)
      .setAudience(issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
    const res = await fetch(`${issuer}token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
    });
    const body = (await res.json()) as { scope?: string; expires_in?: number; error?: string; error_description?: string };
    if (res.ok) {
      console.log(
        `${name} / key ${keyName} (kid ${kid}): Maskinporten token issued for "${body.scope ?? ""}", expires in ${body.expires_in ?? "?"} s`,
      );
    } else {
      failures++;
      console.log(
        `${name} / key ${keyName} (kid ${kid}): token refused: ${res.status} ${body.error ?? ""} ${body.error_description ?? ""}`,
      );
    }
  }
}
if (checked === 0) {
  console.log(
    "nothing to check: the stack outputs list no client key (clients[*].keyIds is empty or missing). " +
      "Declare a client with keys in the manifest and run pulumi up, or check that the outputs were passed on stdin.",
  );
  process.exit(1);
}
process.exit(failures === 0 ? 0 : 1);
