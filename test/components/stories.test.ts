// Component wiring under pulumi.runtime.setMocks (no engine, no provider methods run): which resources the
// stories register from a manifest, with what inputs, parents and serialized
// providers, and the optional Azure Key Vault sink through @pulumi/azure-native (its plugin is not installable
// here, so this is where it is tested).
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  parent?: string;
}

const registered: Registered[] = [];
// Pulumi's wire marker of a secret value (sdk/nodejs/runtime/rpc.ts: specialSigKey / specialSecretSig).
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PRIVATE_JWK = JSON.stringify({ kty: "RSA", kid: "kid-1", n: "n", e: "AQAB", d: "private-part" });

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type === "pulumi-nodejs:dynamic/maskinporten:Client") {
          Object.assign(state, {
            clientId: `id-${args.name}`,
            clientOrgNumber: args.inputs.organization,
            keyIds: { k1: "kid-1" },
            externalKeyIds: [],
            privateJwks: { k1: PRIVATE_JWK },
          });
        }
        if (args.type === "pulumi-nodejs:dynamic/maskinporten:Scope")
          state.name = `${String(args.inputs.prefix)}:${String(args.inputs.subscope)}`;
        if (args.type === "pulumi-nodejs:dynamic/maskinporten:ScopeGrant") state.state = "APPROVED";
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "altinn-onboarding",
    "unit",
  );
});

function resolved<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

describe("ApiProvider and Consumer", () => {
  it("registers scopes, grants, clients and Key Vault secrets from the manifest", async () => {
    const { ApiProvider, Consumer } = await import("../../components/index.js");
    const { loadManifest } = await import("../../manifest/index.js");
    const manifest = loadManifest({
      inline: {
        organization: "311000012",
        maskinporten: {
          scopes: [{ prefix: "ttd", subscope: "orders.read", description: "Orders", consumers: ["313000028", "314000013"] }],
          clients: [
            {
              name: "orders-reader",
              organization: "313000028",
              scopes: ["ttd:orders.read"],
              keys: ["k1"],
              keyVault: { resourceGroupName: "rg-integrations", vaultName: "kv-orders" },
            },
          ],
        },
      },
      projectDir: ".",
      config: () => undefined,
    });
    const provider = new ApiProvider("api-provider", { organization: "311000012", scopes: manifest.apiProvider.scopes });
    const context = { environment: "local", scopeDependencies: provider.scopeDependencies };
    const [spec] = manifest.consumers;
    if (!spec) throw new Error("the legacy clients were not folded into consumers");
    const consumer = new Consumer(spec.name, { organization: "311000012", spec, context });

    expect(await resolved(consumer.client)).toMatchObject({
      clientId: "id-client-orders-reader",
      organization: "313000028",
      keyIds: { k1: "kid-1" },
    });
    expect(await resolved(provider.grants)).toEqual({
      "ttd:orders.read -> 313000028": "APPROVED",
      "ttd:orders.read -> 314000013": "APPROVED",
    });
    // A client that uses a scope this stack exposes waits for its grants.
    expect(provider.scopeDependencies.get("ttd:orders.read")).toHaveLength(2);

    const byType = (t: string) => registered.filter((r) => r.type === t);
    expect(byType("pulumi-nodejs:dynamic/maskinporten:Scope").map((r) => r.inputs.organization)).toEqual(["311000012"]);
    expect(
      byType("pulumi-nodejs:dynamic/maskinporten:ScopeGrant")
        .map((r) => r.inputs.consumerOrg)
        .sort(),
    ).toEqual(["313000028", "314000013"]);
    const [client] = byType("pulumi-nodejs:dynamic/maskinporten:Client");
    expect(client?.inputs).toMatchObject({
      organization: "313000028",
      name: "orders-reader",
      scopes: ["ttd:orders.read"],
      keys: ["k1"],
      resourceKind: "maskinporten:Client",
    });
    // The client's scopes are all granted by this stack: no precondition to check.
    expect(byType("pulumi-nodejs:dynamic/onboarding:Precondition")).toEqual([]);

    // The secret registers once the client's outputs it depends on are known.
    await vi.waitFor(() => expect(byType("azure-native:keyvault:Secret")).toHaveLength(1));
    const [secret] = byType("azure-native:keyvault:Secret");
    expect(secret?.inputs).toMatchObject({
      resourceGroupName: "rg-integrations",
      vaultName: "kv-orders",
      secretName: "maskinporten-orders-reader-k1",
    });
    // The private key reaches the Key Vault resource only inside Pulumi's secret envelope.
    const properties = secret?.inputs.properties as Record<string, unknown>;
    expect(properties[SECRET_SIG_KEY]).toBe(SECRET_SIG);
    expect(properties.value).toEqual({ contentType: "application/jwk+json", value: PRIVATE_JWK });
  });

  it("builds a Correspondence service, two Broker services sharing one Broker service owner, and an end-user system", async () => {
    const { BrokerService, CorrespondenceServiceOwner, EndUserSystem } = await import("../../components/index.js");
    const { BrokerServiceOwner } = await import("@altinn-onboarding/providers");
    const { loadManifest } = await import("../../manifest/index.js");
    const text = { en: "x", nb: "x", nn: "x" };
    const service = (id: string, clientName: string, scopes: string[]) => ({
      name: id,
      orgCode: "ttd",
      recipients: ["313000028", "314000013"],
      resource: { identifier: id, title: text, description: text, rightDescription: text },
      client: { name: clientName, scopes, keys: ["k1"] },
      subscriptions: [{ endpoint: "https://hooks.example/x", types: ["no.altinn.broker.published", "no.altinn.broker.uploadfailed"] }],
    });
    const m = loadManifest({
      inline: {
        organization: "311000012",
        correspondence: [
          { ...service("ttd-letters", "letters-sender", ["altinn:correspondence.write", "altinn:serviceowner"]), subscriptions: [] },
        ],
        broker: [
          service("ttd-files-a", "files-a", ["altinn:broker.write", "altinn:broker.read", "altinn:serviceowner"]),
          service("ttd-files-b", "files-b", ["altinn:broker.write", "altinn:broker.read", "altinn:serviceowner"]),
        ],
        endUserSystems: [
          {
            name: "orders-app",
            vendor: "312000016",
            title: text,
            description: text,
            rights: [{ resource: "ttd-letters" }],
            client: { name: "orders-app", scopes: ["digdir:dialogporten", "altinn:correspondence.read"], keys: ["k1"] },
            customers: [{ organization: "313000028" }, { organization: "314000013" }],
          },
        ],
      },
      projectDir: ".",
      config: () => undefined,
    });
    const before = registered.length;
    const context = { environment: "local" };
    const owners = new Map<string, InstanceType<typeof BrokerServiceOwner>>();
    const owner = (org: string) =>
      owners.get(org) ?? owners.set(org, new BrokerServiceOwner(`broker-service-owner-${org}`, { organization: org, name: org })).get(org)!;
    const corr = new CorrespondenceServiceOwner("ttd-letters", { organization: "311000012", spec: m.correspondence[0]!, context });
    for (const b of m.broker) new BrokerService(b.name, { organization: "311000012", spec: b, context, serviceOwner: owner });
    const system = new EndUserSystem("orders-app", { organization: "311000012", spec: m.endUserSystems[0]!, context });
    await resolved(corr.summary);
    const summary = await resolved(system.summary);
    const made = registered.slice(before);
    const count = (type: string) => made.filter((r) => r.type === `pulumi-nodejs:dynamic/${type}`).length;
    expect({
      resources: count("resourceregistry:Resource"),
      policies: count("resourceregistry:Policy"),
      lists: count("resourceregistry:AccessList"),
      modes: count("resourceregistry:AccessListMode"),
      brokerOwners: count("broker:ServiceOwner"),
      settings: count("broker:ResourceSettings"),
      subscriptions: count("events:Subscription"),
      systems: count("authentication:SystemRegistration"),
      requests: count("authentication:SystemUserRequest"),
      preconditions: count("onboarding:Precondition"),
    }).toEqual({
      resources: 3,
      policies: 3,
      lists: 5,
      modes: 3,
      brokerOwners: 1,
      settings: 2,
      subscriptions: 12,
      systems: 1,
      requests: 2,
      preconditions: 4,
    });
    // Correspondence: recipients may read and subscribe; the owner's org code sends.
    const policy = made.find((r) => r.type === "pulumi-nodejs:dynamic/resourceregistry:Policy" && r.inputs.resource === "ttd-letters");
    expect(JSON.stringify(policy?.inputs.rules)).toContain("urn:altinn:org:ttd");
    expect(JSON.stringify(policy?.inputs.rules)).toContain("urn:altinn:organization:identifier-no:313000028");
    // Broker: the owner is a member of the senders' list.
    const senders = made.find(
      (r) => r.type === "pulumi-nodejs:dynamic/resourceregistry:AccessList" && r.inputs.identifier === "ttd-files-a-senders",
    );
    expect(senders?.inputs.members).toEqual(["311000012"]);
    expect(summary.systemId).toBe("312000016_orders_app");
    expect(summary.customers.map((c) => c.organization)).toEqual(["313000028", "314000013"]);
  });

  it("serializes every dynamic resource's provider by reference, far under 2 KB", () => {
    const dynamic = registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBeGreaterThanOrEqual(4);
    for (const r of dynamic) {
      const text = String(r.inputs.__provider);
      expect(text).toMatch(/require\("@altinn-onboarding\/provider-shell(\/index\.js)?"\)/);
      expect(Buffer.byteLength(text)).toBeLessThan(2048);
    }
  });
});
