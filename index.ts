/**
 * The program: reads the environment's manifest from stack config and builds the onboarding components.
 * Nothing else happens here; the rules live in manifest/, the wiring in components/, the API work in providers/.
 */
import * as pulumi from "@pulumi/pulumi";

import { MaskinportenOnboarding } from "./components";
import { loadManifest, ManifestError, type Manifest } from "./manifest";

const NAMESPACE = "altinn-onboarding";
const config = new pulumi.Config(NAMESPACE);

/** `namespace:key` (or a bare key in our namespace) from the stack config. */
function configValue(key: string): string | undefined {
  const i = key.indexOf(":");
  return i < 0 ? config.get(key) : new pulumi.Config(key.slice(0, i)).get(key.slice(i + 1));
}

function manifest(): Manifest {
  try {
    const file = config.get("manifestFile");
    return loadManifest({
      ...(file !== undefined ? { file } : { inline: config.getObject<unknown>("manifest") }),
      projectDir: process.cwd(),
      config: configValue,
    });
  } catch (e) {
    // A RunError is printed as its message alone: the problems list, without a stack trace.
    if (e instanceof ManifestError) throw new pulumi.RunError(e.message);
    throw e;
  }
}

/**
 * The program runs after one turn of the event loop, so each resource registers with a short call stack: the
 * engine stores every resource's stack trace in state, and the module loader's frames under a top-level
 * program would add about half a kilobyte to each resource.
 */
export = async () => {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const m = manifest();
  const maskinporten = new MaskinportenOnboarding("maskinporten", {
    ...(m.organization !== undefined ? { organization: m.organization } : {}),
    scopes: m.maskinporten.scopes,
    clients: m.maskinporten.clients,
  });
  return {
    environment: config.get("environment") ?? "local",
    exposedScopes: maskinporten.scopeNames,
    scopeGrants: maskinporten.grants,
    clients: maskinporten.clients,
    /** Private keys of the clients, by client and key name. Secret: `pulumi stack output --show-secrets privateJwks`. */
    privateJwks: maskinporten.privateJwks,
  };
};
