/**
 * Environments: a name plus the base URLs of every API the providers call. `local` is the emulator, `test` is
 * Digdir's test environment with Maskinporten test and Altinn tt02, `prod` is production. Every URL can be
 * overridden in stack config; see {@link CONFIG_KEYS}.
 */
import { configValue } from "./config.js";
import { ConfigurationError } from "./errors.js";

export type EnvironmentName = "local" | "test" | "prod";

export interface Environment {
  readonly name: EnvironmentName;
  /** Maskinporten issuer, with its trailing slash (`https://test.maskinporten.no/`). The `aud` of every grant. */
  readonly maskinportenIssuer: string;
  /** Maskinporten token endpoint. */
  readonly maskinportenTokenUrl: string;
  /** Digdir self-service API base, ending in `/api/v1` (no trailing slash). */
  readonly selfServiceUrl: string;
  /** Altinn platform base (`https://platform.tt02.altinn.no`), no trailing slash. */
  readonly altinnUrl: string;
  /** The emulator's base URL (local only): where `/__emulator/credentials` lives. */
  readonly emulatorUrl?: string;
}

const NS = "altinn-onboarding";

/** Every stack config key the runtime reads. Values marked secret should be set with `pulumi config set --secret`. */
export const CONFIG_KEYS = {
  environment: `${NS}:environment`,
  emulatorUrl: `${NS}:emulatorUrl`,
  maskinportenUrl: `${NS}:maskinportenUrl`,
  selfServiceUrl: `${NS}:selfServiceUrl`,
  altinnUrl: `${NS}:altinnUrl`,
  orgNumber: `${NS}:orgNumber`,
  adminClientId: `${NS}:adminClientId`,
  adminJwk: `${NS}:adminJwk`,
  adminCertificate: `${NS}:adminCertificate`,
  adminCertificateKey: `${NS}:adminCertificateKey`,
  adminCredentials: `${NS}:adminCredentials`,
  adminScopes: `${NS}:adminScopes`,
  altinnSubscriptionKey: `${NS}:altinnSubscriptionKey`,
  keyRenewalDays: `${NS}:keyRenewalDays`,
  httpConcurrency: `${NS}:httpConcurrency`,
  httpTimeoutSeconds: `${NS}:httpTimeoutSeconds`,
  httpMaxAttempts: `${NS}:httpMaxAttempts`,
} as const;

export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:5580";

const REAL: Record<Exclude<EnvironmentName, "local">, { maskinporten: string; selfService: string; altinn: string }> = {
  test: {
    maskinporten: "https://test.maskinporten.no/",
    selfService: "https://api.test.samarbeid.digdir.no/api/v1",
    altinn: "https://platform.tt02.altinn.no",
  },
  prod: {
    maskinporten: "https://maskinporten.no/",
    selfService: "https://api.samarbeid.digdir.no/api/v1",
    altinn: "https://platform.altinn.no",
  },
};

/** A config value, else the environment variable (`ALTINN_ONBOARDING_<KEY>` in upper snake case). */
export function setting(key: keyof typeof CONFIG_KEYS): string | undefined {
  const fromConfig = configValue(CONFIG_KEYS[key]);
  if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
  const envName = `ALTINN_ONBOARDING_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
  const fromEnv = process.env[envName];
  return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
}

/** The environment variable that backs a config key, for error messages. */
export function envVarFor(key: keyof typeof CONFIG_KEYS): string {
  return `ALTINN_ONBOARDING_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function checkUrl(key: keyof typeof CONFIG_KEYS, url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("protocol");
  } catch {
    throw new ConfigurationError(
      `stack config ${CONFIG_KEYS[key]} is not an http(s) URL: "${url}"`,
      `set it with \`pulumi config set ${CONFIG_KEYS[key]} https://...\` or remove it to use the default`,
    );
  }
  return url;
}

/** Resolves the environment from stack config (or environment variables), with every override applied. */
export function currentEnvironment(): Environment {
  const raw = (setting("environment") ?? "local").toLowerCase();
  const name = raw === "tt02" ? "test" : raw === "production" ? "prod" : raw;
  if (name !== "local" && name !== "test" && name !== "prod") {
    throw new ConfigurationError(`stack config ${CONFIG_KEYS.environment} is "${raw}"`, "set it to one of local, test, prod");
  }
  const override = (k: "maskinportenUrl" | "selfServiceUrl" | "altinnUrl"): string | undefined => {
    const v = setting(k);
    return v === undefined ? undefined : checkUrl(k, v);
  };
  if (name === "local") {
    const emulator = trimSlash(checkUrl("emulatorUrl", setting("emulatorUrl") ?? DEFAULT_EMULATOR_URL));
    const issuer = `${trimSlash(override("maskinportenUrl") ?? emulator)}/`;
    return {
      name,
      emulatorUrl: emulator,
      maskinportenIssuer: issuer,
      maskinportenTokenUrl: `${issuer}token`,
      selfServiceUrl: trimSlash(override("selfServiceUrl") ?? `${emulator}/api/v1`),
      altinnUrl: trimSlash(override("altinnUrl") ?? emulator),
    };
  }
  const real = REAL[name];
  const issuer = `${trimSlash(override("maskinportenUrl") ?? real.maskinporten)}/`;
  return {
    name,
    maskinportenIssuer: issuer,
    maskinportenTokenUrl: `${issuer}token`,
    selfServiceUrl: trimSlash(override("selfServiceUrl") ?? real.selfService),
    altinnUrl: trimSlash(override("altinnUrl") ?? real.altinn),
  };
}
