/**
 * The program: reads the environment's manifest from stack config and builds the onboarding components.
 * Nothing else happens here; the rules live in manifest/, the wiring in components/, the API work in providers/.
 */
import * as pulumi from "@pulumi/pulumi";

import { BrokerServiceOwner } from "@altinn-onboarding/providers";

import { ApiProvider, BrokerService, Consumer, CorrespondenceServiceOwner, EndUserSystem, type ClientSummary } from "./components";
import { loadManifest, ManifestError, type Manifest } from "./manifest";

const NAMESPACE = "altinn-onboarding";
const config = new pulumi.Config(NAMESPACE);

/** `namespace:key` (or a bare key in our namespace) from the stack config. */
/**
 * `namespace:key` (or a bare key in our namespace) from the stack config; for our namespace also the environment
 * variable `ALTINN_ONBOARDING_<KEY>` (as the providers read it), and the emulator's default address.
 */
function configValue(key: string): string | undefined {
  const i = key.indexOf(":");
  const [ns, name] = i < 0 ? [NAMESPACE, key] : [key.slice(0, i), key.slice(i + 1)];
  const fromConfig = new pulumi.Config(ns).get(name);
  if (fromConfig !== undefined || ns !== NAMESPACE) return fromConfig;
  const fromEnv = process.env[`ALTINN_ONBOARDING_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  return name === "emulatorUrl" ? "http://127.0.0.1:5580" : undefined;
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
  const environment = (config.get("environment") ?? "local").toLowerCase();
  const top = m.organization !== undefined ? { organization: m.organization } : {};

  const apiProvider = new ApiProvider("api-provider", { ...top, scopes: m.apiProvider.scopes });
  const context = { environment, scopeDependencies: apiProvider.scopeDependencies };

  // One Broker service owner per organisation, however many Broker services it runs.
  const brokerOwners = new Map<string, BrokerServiceOwner>();
  const brokerOwner = (org: string, dependsOn: readonly pulumi.Resource[]): BrokerServiceOwner => {
    let owner = brokerOwners.get(org);
    if (!owner) {
      owner = new BrokerServiceOwner(`broker-service-owner-${org}`, { organization: org, name: org }, { dependsOn: [...dependsOn] });
      brokerOwners.set(org, owner);
    }
    return owner;
  };

  const correspondence = m.correspondence.map((spec) => new CorrespondenceServiceOwner(spec.name, { ...top, spec, context }));
  const broker = m.broker.map((spec) => new BrokerService(spec.name, { ...top, spec, context, serviceOwner: brokerOwner }));
  // Consumers come after the services: a consumer's subscription to a service of this stack waits for it.
  const resourceReady = new Map<string, pulumi.Resource>(
    [
      ...m.correspondence.map((s, i) => [s.resource.identifier, correspondence[i]?.ready] as const),
      ...m.broker.map((s, i) => [s.resource.identifier, broker[i]?.ready] as const),
    ].filter((e): e is readonly [string, pulumi.Resource] => e[1] !== undefined),
  );
  const consumers = m.consumers.map((spec) => new Consumer(spec.name, { ...top, spec, context: { ...context, resourceReady } }));
  const systems = m.endUserSystems.map((spec) => new EndUserSystem(spec.name, { ...top, spec, context }));

  const clients: Record<string, pulumi.Output<ClientSummary>> = {};
  const keys: Record<string, pulumi.Output<Record<string, string>>> = {};
  for (const c of consumers) {
    clients[c.name] = c.client;
    keys[c.name] = c.privateJwks;
  }
  for (const s of [...correspondence, ...broker, ...systems]) {
    clients[s.clientName] = s.client;
    keys[s.clientName] = s.privateJwks;
  }
  const byName = <T extends { name: string }, O>(list: readonly T[], f: (x: T) => O): Record<string, O> =>
    Object.fromEntries(list.map((x) => [x.name, f(x)]));

  return {
    environment,
    exposedScopes: apiProvider.scopeNames,
    scopeGrants: apiProvider.grants,
    /** Every client of the stack by name: ids and key ids, never key material. */
    clients: pulumi.all(clients),
    /** Private keys of the clients, by client and key name. Secret: `pulumi stack output --show-secrets privateJwks`. */
    privateJwks: pulumi.secret(pulumi.all(keys)),
    /** What each story made (what `npm run verify` checks). */
    stories: {
      consumers: pulumi.all(
        byName(consumers, (c) => pulumi.all([c.client, c.subscriptions]).apply(([client, subscriptions]) => ({ client, subscriptions }))),
      ),
      correspondence: pulumi.all(byName(correspondence, (c) => c.summary)),
      broker: pulumi.all(byName(broker, (b) => b.summary)),
      endUserSystems: pulumi.all(byName(systems, (s) => s.summary)),
    },
    /** Links the customers of each end-user system open to accept its system-user request. */
    confirmUrls: pulumi.all(
      byName(systems, (s) => s.summary.apply((x) => Object.fromEntries(x.customers.map((c) => [c.organization, c.confirmUrl])))),
    ),
  };
};
