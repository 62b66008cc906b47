import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { loadManifest, manifestJsonSchema, ManifestError } from "../../manifest/index.js";

const AGENCY = "311000012"; // synthetic (the emulator seed's service owner), passes MOD11
const CONSUMER = "313000028";
const noConfig = () => undefined;

function problems(inline: unknown, config: (k: string) => string | undefined = noConfig): string[] {
  try {
    loadManifest({ inline, projectDir: "/nonexistent", config });
  } catch (e) {
    if (e instanceof ManifestError) return [...e.problems];
    throw e;
  }
  return [];
}

const validClient = { name: "orders", scopes: ["agency:orders.read"], keys: ["k1"] };

describe("manifest validation", () => {
  it("accepts a minimal manifest and fills defaults", () => {
    const m = loadManifest({
      inline: { organization: AGENCY, maskinporten: { clients: [validClient] } },
      projectDir: ".",
      config: noConfig,
    });
    expect(m.consumers[0]).toMatchObject({ integrationType: "maskinporten", keyRenewalDays: 30, description: "" });
    expect(m.apiProvider.scopes).toEqual([]);
  });

  it("names the exact path and the rule for a bad scope on a client", () => {
    const p = problems({
      organization: AGENCY,
      maskinporten: { clients: [validClient, validClient, { ...validClient, name: "third", scopes: ["ok:fine", "NoColon"] }] },
    });
    expect(p.some((x) => x.startsWith("maskinporten.clients[2].scopes[1]: ") && x.includes("<prefix>:<subscope>"))).toBe(true);
    expect(p.some((x) => x.startsWith("maskinporten.clients[1]: ") && x.includes('"orders" is declared twice'))).toBe(true);
  });

  it("rejects an org number whose MOD11 check digit is wrong", () => {
    const p = problems({ organization: "311000013", maskinporten: {} });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^organization: .*MOD11/);
  });

  it("requires an acting organisation for every scope and client", () => {
    const p = problems({ maskinporten: { clients: [validClient] } });
    expect(p).toEqual([expect.stringMatching(/^maskinporten\.clients\[0\]\.organization: no organization/)]);
  });

  it("refuses more than five keys and duplicate consumers", () => {
    const p = problems({
      organization: AGENCY,
      maskinporten: {
        clients: [{ ...validClient, keys: ["a", "b", "c", "d", "e", "f"] }],
        scopes: [{ prefix: "agency", subscope: "x", description: "d", consumers: [CONSUMER, CONSUMER] }],
      },
    });
    expect(p.some((x) => x.startsWith("maskinporten.clients[0].keys: ") && x.includes("at most 5"))).toBe(true);
    expect(p.some((x) => x.startsWith("maskinporten.scopes[0].consumers[1]: "))).toBe(true);
  });

  it("rejects unknown fields instead of ignoring them", () => {
    const p = problems({ organization: AGENCY, maskinporten: { clients: [{ ...validClient, scope: ["x:y"] }] } });
    expect(p.some((x) => x.startsWith("maskinporten.clients[0]: ") && x.includes("scope"))).toBe(true);
  });

  it("substitutes ${config:key} from stack config and reports missing keys by path", () => {
    const config = (k: string) => (k === "altinn-onboarding:consumerOrg" ? CONSUMER : undefined);
    const m = loadManifest({
      inline: {
        organization: AGENCY,
        maskinporten: {
          scopes: [{ prefix: "agency", subscope: "x", description: "d", consumers: ["${config:altinn-onboarding:consumerOrg}"] }],
        },
      },
      projectDir: ".",
      config,
    });
    expect(m.apiProvider.scopes[0]?.consumers).toEqual([CONSUMER]);
    const p = problems({ organization: "${config:altinn-onboarding:missing}" }, config);
    expect(p).toEqual([expect.stringMatching(/^organization: refers to stack config "altinn-onboarding:missing"/)]);
  });

  it("reads a YAML manifest file relative to the project directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "manifest-"));
    writeFileSync(
      join(dir, "onboarding.yaml"),
      `organization: "${AGENCY}"\nmaskinporten:\n  clients:\n    - name: orders\n      scopes: [agency:orders.read]\n`,
    );
    const m = loadManifest({ file: "onboarding.yaml", projectDir: dir, config: noConfig });
    expect(m.consumers[0]?.name).toBe("orders");
    expect(() => loadManifest({ file: "missing.yaml", projectDir: dir, config: noConfig })).toThrow(/manifestFile: cannot read .*ENOENT/);
  });
});

describe("one source of field rules", () => {
  it("refuses through the manifest exactly what the provider's check refuses, and never a value not known yet", async () => {
    const { clientRules } = await import("@altinn-onboarding/providers");
    const { checkInputs } = await import("../../providers/runtime/inputs.js");
    const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const cases: Record<string, unknown>[] = [
      { scopes: ["ttd:a"], keys: ["k1"] },
      { scopes: ["bad scope"] },
      { scopes: ["ttd:a", "ttd:a"] },
      { scopes: ["ttd:a"], keys: ["a", "b", "c", "d", "e", "f"] },
      { scopes: ["ttd:a"], keyLifetimeDays: 30, keyRenewalDays: 30 },
      { scopes: ["ttd:a"], accessTokenLifetime: "2 minutes" },
      { scopes: ["ttd:a"], description: "has [iac:marker]" },
    ];
    for (const c of cases) {
      const viaManifest = problems({ organization: AGENCY, maskinporten: { clients: [{ name: "c", ...c }] } });
      const viaCheck = checkInputs(clientRules, { name: "c", marker: "iac:x/y/c", ...c }).failures ?? [];
      expect(viaManifest.length > 0, JSON.stringify(c)).toBe(viaCheck.length > 0);
    }
    // check lets preview's unknown value through; the manifest never does.
    expect(checkInputs(clientRules, { name: "c", marker: "iac:x", scopes: [UNKNOWN] }).failures).toBeUndefined();
    expect(problems({ organization: AGENCY, maskinporten: { clients: [{ name: "c", scopes: [UNKNOWN] }] } })).toEqual([
      expect.stringMatching(/^maskinporten\.clients\[0\]\.scopes\[0\]: a scope is <prefix>:<subscope>/),
    ]);
  });
});

describe("manifest JSON Schema", () => {
  const committed = join(__dirname, "..", "..", "manifest", "manifest.schema.json");
  it("matches the committed manifest/manifest.schema.json (regenerate with UPDATE_SCHEMA=1)", () => {
    const generated = `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(committed, generated);
    expect(readFileSync(committed, "utf8")).toBe(generated);
  });

  it("describes the client fields an editor should complete", () => {
    const text = JSON.stringify(manifestJsonSchema());
    for (const field of ["accessTokenLifetime", "keyRenewalDays", "consumers", "allowedIntegrationTypes"]) {
      expect(text).toContain(`"${field}"`);
    }
  });
});
