// Component wiring under pulumi.runtime.setMocks (no engine, no provider methods run): which resources the
// MaskinportenOnboarding component registers from a manifest, with what inputs, parents and serialized
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

describe("MaskinportenOnboarding", () => {
  it("registers scopes, grants, clients and Key Vault secrets from the manifest", async () => {
    const { MaskinportenOnboarding } = await import("../../components/index.js");
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
    const onboarding = new MaskinportenOnboarding("maskinporten", {
      ...(manifest.organization !== undefined ? { organization: manifest.organization } : {}),
      scopes: manifest.maskinporten.scopes,
      clients: manifest.maskinporten.clients,
    });

    const clients = await resolved(onboarding.clients);
    expect(clients["orders-reader"]).toMatchObject({
      clientId: "id-client-orders-reader",
      organization: "313000028",
      keyIds: { k1: "kid-1" },
    });
    expect(await resolved(onboarding.grants)).toEqual({
      "ttd:orders.read -> 313000028": "APPROVED",
      "ttd:orders.read -> 314000013": "APPROVED",
    });

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
    expect(await resolved(pulumi.output(onboarding.privateJwks).apply(() => pulumi.isSecret(onboarding.privateJwks)))).toBe(true);
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
