/**
 * Admin credentials: the Maskinporten client each organisation uses to call the Digdir self-service API (and
 * Altinn). They are read at call time from stack config secrets or environment variables (or, in the `local`
 * environment, from the emulator), never from resource inputs, so they never reach state; no error message
 * ever contains them.
 */
import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";

import { request } from "undici";
import { z } from "zod";

import { ConfigurationError } from "./errors.js";
import { CONFIG_KEYS, currentEnvironment, envVarFor, setting, type Environment } from "./environments.js";

/** How a grant is signed: with a key registered on the admin client (`kid`), or a business certificate (`x5c`). */
export type AdminSigner =
  | { readonly kind: "kid"; readonly kid: string; readonly key: KeyObject; readonly alg: "RS256" | "RS384" | "RS512" }
  | { readonly kind: "x5c"; readonly chain: readonly string[]; readonly key: KeyObject };

export interface AdminCredential {
  /** The organisation the admin client acts for. */
  readonly orgNumber: string;
  readonly clientId: string;
  readonly signer: AdminSigner;
  /** The admin scopes to request, when known (the emulator reports them; config may set them). */
  readonly scopes?: readonly string[];
}

/** The JSON shape of one credential in config (`adminCredentials` holds a map orgno -> this). */
const credentialJson = z
  .object({
    clientId: z.string().min(1),
    /** A private JWK (object or JSON string) whose public half is registered on the admin client. */
    jwk: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    /** PEM chain of the business certificate, leaf first. */
    certificate: z.string().optional(),
    /** PEM private key of the business certificate. */
    certificateKey: z.string().optional(),
    scopes: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict();
type CredentialJson = z.infer<typeof credentialJson>;

/** Splits a PEM bundle into base64 DER certificates (the `x5c` header), leaf first. */
function pemChainToX5c(pem: string): string[] {
  const out: string[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push((m[1] ?? "").replace(/\s+/g, ""));
  return out;
}

function scopesOf(v: CredentialJson["scopes"]): string[] | undefined {
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : v.split(/[\s,]+/)).filter(Boolean);
}

function toCredential(orgNumber: string, c: CredentialJson, where: string): AdminCredential {
  const scopes = scopesOf(c.scopes);
  const base = { orgNumber, clientId: c.clientId, ...(scopes ? { scopes } : {}) };
  if (c.jwk !== undefined) {
    let jwk: Record<string, unknown>;
    try {
      jwk = typeof c.jwk === "string" ? (JSON.parse(c.jwk) as Record<string, unknown>) : c.jwk;
    } catch {
      throw new ConfigurationError(
        `${where}: the admin JWK is not valid JSON`,
        "paste the private JWK as JSON (it must contain kid, n, e, d)",
      );
    }
    const kid = jwk.kid;
    if (typeof kid !== "string" || !kid) {
      throw new ConfigurationError(`${where}: the admin JWK has no "kid"`, "use the JWK whose kid is registered on the admin client");
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
    } catch {
      throw new ConfigurationError(
        `${where}: the admin JWK is not a private RSA key`,
        "use the private JWK (with d, p, q...) of a key registered on the admin client",
      );
    }
    const alg = jwk.alg === "RS384" || jwk.alg === "RS512" ? jwk.alg : "RS256";
    return { ...base, signer: { kind: "kid", kid, key, alg } };
  }
  if (c.certificate !== undefined && c.certificateKey !== undefined) {
    const chain = pemChainToX5c(c.certificate);
    if (chain.length === 0) {
      throw new ConfigurationError(
        `${where}: the admin certificate holds no PEM certificate`,
        "give the business certificate chain as PEM, leaf first",
      );
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(c.certificateKey);
    } catch {
      throw new ConfigurationError(
        `${where}: the admin certificate key is not a PEM private key`,
        "give the business certificate's private key as PEM (PKCS#8 or PKCS#1)",
      );
    }
    return { ...base, signer: { kind: "x5c", chain, key } };
  }
  throw new ConfigurationError(
    `${where}: admin client ${c.clientId} has neither a JWK nor a certificate and key`,
    `set ${CONFIG_KEYS.adminJwk} (kid grant) or ${CONFIG_KEYS.adminCertificate} and ${CONFIG_KEYS.adminCertificateKey} (x5c grant) as secrets`,
  );
}

/** Credentials configured for test/prod: a map in `adminCredentials`, or one client in the single keys. */
function configuredCredentials(): Map<string, () => AdminCredential> {
  const out = new Map<string, () => AdminCredential>();
  const map = setting("adminCredentials");
  if (map !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(map);
    } catch {
      throw new ConfigurationError(
        `${CONFIG_KEYS.adminCredentials} is not JSON`,
        'set it to {"<orgno>": {"clientId": ..., "jwk": {...}}} as a secret',
      );
    }
    const r = z.record(z.string().regex(/^\d{9}$/), credentialJson).safeParse(parsed);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ConfigurationError(
        `${CONFIG_KEYS.adminCredentials}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`,
        "each key is a 9-digit org number; each value has clientId plus jwk, or certificate and certificateKey",
      );
    }
    for (const [org, c] of Object.entries(r.data)) out.set(org, () => toCredential(org, c, `${CONFIG_KEYS.adminCredentials}.${org}`));
  }
  const clientId = setting("adminClientId");
  if (clientId !== undefined) {
    const org = setting("orgNumber");
    if (org === undefined) {
      throw new ConfigurationError(
        `${CONFIG_KEYS.adminClientId} is set but ${CONFIG_KEYS.orgNumber} is not`,
        `set ${CONFIG_KEYS.orgNumber} to the 9-digit org number the admin client belongs to`,
      );
    }
    const single: CredentialJson = {
      clientId,
      ...(setting("adminJwk") !== undefined ? { jwk: setting("adminJwk") } : {}),
      ...(setting("adminCertificate") !== undefined ? { certificate: setting("adminCertificate") } : {}),
      ...(setting("adminCertificateKey") !== undefined ? { certificateKey: setting("adminCertificateKey") } : {}),
      ...(setting("adminScopes") !== undefined ? { scopes: setting("adminScopes") } : {}),
    };
    out.set(org, () => toCredential(org, single, `${CONFIG_KEYS.adminClientId}`));
  }
  return out;
}

const emulatorCredentials = z.object({
  organizations: z.array(
    z.object({
      orgNumber: z.string(),
      orgCode: z.string().optional(),
      name: z.string().optional(),
      adminClient: z.object({
        clientId: z.string(),
        scopes: z.array(z.string()),
        certificatePem: z.string(),
        certificateKeyPem: z.string(),
      }),
    }),
  ),
});

const emulatorCache = new Map<string, Promise<Map<string, AdminCredential>>>();

/** The emulator's admin clients, fetched once per emulator URL and process. */
function fromEmulator(env: Environment): Promise<Map<string, AdminCredential>> {
  const url = `${env.emulatorUrl ?? ""}/__emulator/credentials`;
  let p = emulatorCache.get(url);
  if (!p) {
    p = (async () => {
      let text: string;
      try {
        const res = await request(url, { method: "GET", headersTimeout: 10_000, bodyTimeout: 10_000 });
        text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      } catch (e) {
        throw new ConfigurationError(
          `the local environment could not read admin credentials from the emulator at ${env.emulatorUrl ?? "?"} (${(e as Error).message})`,
          `start the emulator (npm run emulator) or point ${CONFIG_KEYS.emulatorUrl} at it`,
        );
      }
      const parsed = emulatorCredentials.parse(JSON.parse(text));
      const out = new Map<string, AdminCredential>();
      for (const o of parsed.organizations) {
        out.set(
          o.orgNumber,
          toCredential(
            o.orgNumber,
            {
              clientId: o.adminClient.clientId,
              certificate: o.adminClient.certificatePem,
              certificateKey: o.adminClient.certificateKeyPem,
              scopes: o.adminClient.scopes,
            },
            `emulator organisation ${o.orgNumber}`,
          ),
        );
      }
      return out;
    })();
    p.catch(() => emulatorCache.delete(url));
    emulatorCache.set(url, p);
  }
  return p;
}

/** Test hook: forget credentials fetched from an emulator. */
export function forgetEmulatorCredentials(): void {
  emulatorCache.clear();
}

/**
 * The admin credential for an organisation. `orgNumber` comes from the resource (its `organization` input),
 * else from `altinn-onboarding:orgNumber`, else the only configured credential.
 */
export async function adminCredential(orgNumber: string | undefined, env: Environment = currentEnvironment()): Promise<AdminCredential> {
  const wanted = orgNumber ?? setting("orgNumber");
  if (env.name === "local" && setting("adminClientId") === undefined && setting("adminCredentials") === undefined) {
    const all = await fromEmulator(env);
    const pick = wanted ?? (all.size === 1 ? [...all.keys()][0] : undefined);
    const found = pick === undefined ? undefined : all.get(pick);
    if (!found) {
      throw new ConfigurationError(
        pick === undefined ? "no organisation chosen for the admin client" : `the emulator has no organisation ${pick}`,
        `set the resource's organization input or ${CONFIG_KEYS.orgNumber} to one of: ${[...all.keys()].join(", ")}`,
      );
    }
    return found;
  }
  const all = configuredCredentials();
  const pick = wanted ?? (all.size === 1 ? [...all.keys()][0] : undefined);
  const make = pick === undefined ? undefined : all.get(pick);
  if (!make) {
    throw new ConfigurationError(
      pick === undefined
        ? `no admin credentials are configured for the ${env.name} environment`
        : `no admin credentials are configured for organisation ${pick} in the ${env.name} environment`,
      `set ${CONFIG_KEYS.adminClientId} and ${CONFIG_KEYS.orgNumber} plus ${CONFIG_KEYS.adminJwk}, or ${CONFIG_KEYS.adminCertificate} and ${CONFIG_KEYS.adminCertificateKey}` +
        ` (with --secret; or the environment variables ${envVarFor("adminClientId")}, ${envVarFor("adminJwk")}...), or ${CONFIG_KEYS.adminCredentials} for several organisations`,
    );
  }
  return make();
}
