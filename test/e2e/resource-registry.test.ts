/**
 * The Resource Registry kinds through the real Pulumi CLI against the emulator (issue: Resource Registry as
 * code): a Correspondence resource with its generated policy and an access list of two organisations goes up;
 * a no-op preview makes no API call; a title, a policy rule, a removed member and a removed connection changed
 * by hand are each caught by `refresh --preview-only --expect-no-changes` naming the field and restored by
 * `up --refresh`; an unchanged resource gets no PUT; a policy that differs only in whitespace and attribute
 * order shows no diff; adoption makes no new resource; destroy leaves nothing; and in a prod stack a removed
 * resource is kept upstream and reported.
 */
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { altinnCall, altinnTokenFor, countsSince, requestCounts, uploadPolicy } from "../support/altinn.js";
import { startTempEmulator, type TempEmulator } from "../support/emulator.js";
import { emulatorOrgs } from "../support/maskinporten.js";
import { pulumiProject, type CliResult, type PulumiProject, driftCheck } from "../support/pulumi-cli.js";

const OWNER = "311000012";
const RR = "/resourceregistry/api/v1";
const FIXTURE = join(__dirname, "fixtures", "registry");

async function stackOf(emulatorUrl: string, name: string, config: Record<string, string>): Promise<PulumiProject> {
  const project = pulumiProject(FIXTURE);
  await project.run(["stack", "init", name, "--secrets-provider", "passphrase"]);
  await project.run(["config", "set", "altinn-onboarding:environment", "local"]);
  await project.run(["config", "set", "altinn-onboarding:emulatorUrl", emulatorUrl]);
  for (const [k, v] of Object.entries(config)) await project.run(["config", "set", k, v]);
  return project;
}

/** Property lines a diff shows: `~ name: old => new`, `+ name: ...`, `- name: ...` (indented). */
function diffLines(r: CliResult): string[] {
  return r.stdout
    .split("\n")
    .filter((l) => /^\s+[~+-] [A-Za-z[\]0-9.]+\s*:/.test(l) || /^\s+[~+-] \[\d+\]/.test(l))
    .map((l) => l.trim());
}

describe("Resource Registry as code through the real CLI", () => {
  let emu: TempEmulator;
  let project: PulumiProject;
  let token: string;
  const id = "ttd-e2e-orders";

  beforeAll(async () => {
    emu = await startTempEmulator();
    token = await altinnTokenFor(emu.url, OWNER);
    project = await stackOf(emu.url, "registry", { identifier: id, recipients: '["313000028","314000013"]' });
  });
  afterAll(async () => {
    project?.cleanup();
    await emu?.close();
  });

  const refreshFinds = async (): Promise<CliResult> => {
    const r = await driftCheck(project, true);
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    return r;
  };
  const restoreAndSettle = async (): Promise<void> => {
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    const again = await driftCheck(project);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  };

  it("creates the resource, its policy, a list of two organisations and the mode", async () => {
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/5 created/);
    const resource = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}`)).json as {
      accessListMode: string;
      resourceType: string;
    };
    expect(resource).toMatchObject({ accessListMode: "Enabled", resourceType: "CorrespondenceService" });
    const policy = await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}/policy`);
    expect(policy.text).toContain("urn:altinn:organization:identifier-no");
    const members = (await altinnCall(emu.url, token, "GET", `${RR}/access-lists/ttd/${id}-recipients/members`)).json as {
      data: unknown[];
    };
    expect(members.data).toHaveLength(2);
  });

  it("makes no API call in a preview without changes", async () => {
    const before = await requestCounts(emu.url);
    const preview = await project.run(["preview", "--expect-no-changes"], { allowFailure: true });
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(countsSince(before, await requestCounts(emu.url))).toEqual({});
  });

  it("catches a title changed by hand, naming it, and restores it without touching what it does not manage", async () => {
    const live = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}`)).json as Record<string, unknown>;
    const put = await altinnCall(emu.url, token, "PUT", `${RR}/resource/${id}`, {
      json: { ...live, title: { en: "Changed by hand", nb: "Orders (nb)", nn: "Orders (nn)" }, homepage: "https://ttd.example" },
    });
    expect(put.status).toBe(200);
    const r = await refreshFinds();
    expect(diffLines(r)).toContainEqual(
      expect.stringMatching(/^~ en\s*: "Changed by hand" => "Orders"|^~ en\s*: "Orders" => "Changed by hand"/),
    );
    expect(r.stdout).not.toContain("homepage");
    await restoreAndSettle();
    const after = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}`)).json as { title: { en: string }; homepage: string };
    expect(after.title.en).toBe("Orders");
    expect(after.homepage).toBe("https://ttd.example");
  });

  it("sends no PUT for an unchanged resource", async () => {
    const before = await requestCounts(emu.url);
    await project.run(["up", "--yes", "--refresh", "--skip-preview"]);
    const writes = Object.keys(countsSince(before, await requestCounts(emu.url))).filter(
      (k) => !k.startsWith("GET ") && !k.startsWith("POST /token"),
    );
    expect(writes).toEqual([]);
  });

  it("catches a policy rule changed by hand and restores it", async () => {
    const stored = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}/policy`)).text;
    // Recipients lose `read` (a rule narrowed by hand).
    const narrowed = stored.replace(
      /(<xacml:AttributeValue DataType="[^"]+">)read(<\/xacml:AttributeValue>\s*<xacml:AttributeDesignator AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id")/g,
      "$1sign$2",
    );
    expect(narrowed).not.toBe(stored);
    expect((await uploadPolicy(emu.url, token, id, narrowed)).status).toBe(201);
    const r = await refreshFinds();
    expect(r.stdout).toMatch(/orders-policy/);
    expect(diffLines(r).join("\n")).toMatch(/"read" => "sign"|"sign" => "read"/);
    await restoreAndSettle();
    expect((await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}/policy`)).text).not.toContain(">sign<");
  });

  it("shows no diff for a policy that differs only in whitespace and attribute order", async () => {
    const stored = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}/policy`)).text;
    const reformatted = stored.replace(/ RuleId="([^"]*)" Effect="Permit"/g, ' Effect="Permit" RuleId="$1"').replace(/>\s+</g, ">\n\t\t<");
    expect(reformatted).not.toBe(stored);
    expect((await uploadPolicy(emu.url, token, id, reformatted)).status).toBe(201);
    const r = await driftCheck(project);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("catches a member removed by hand and a removed connection, and restores both", async () => {
    const base = `${RR}/access-lists/ttd/${id}-recipients`;
    const members = (await altinnCall(emu.url, token, "GET", `${base}/members`)).json as {
      data: { id: string; identifiers: Record<string, unknown> }[];
    };
    const gone = members.data.find((m) => m.identifiers["urn:altinn:organization:identifier-no"] === "314000013");
    expect((await altinnCall(emu.url, token, "DELETE", `${base}/members`, { json: { data: [gone?.id] } })).status).toBe(200);
    let r = await refreshFinds();
    expect(diffLines(r).join("\n")).toContain("314000013");
    await restoreAndSettle();

    expect((await altinnCall(emu.url, token, "DELETE", `${base}/resource-connections/${id}`)).status).toBe(200);
    r = await refreshFinds();
    expect(r.stdout).toMatch(/connections/);
    await restoreAndSettle();
    const info = (await altinnCall(emu.url, token, "GET", `${base}?include=resource-actions`)).json as {
      resourceConnections: { resourceIdentifier: string }[];
    };
    expect(info.resourceConnections.map((c) => c.resourceIdentifier)).toEqual([id]);
  });

  it("adopts a resource that exists without making a new one", async () => {
    const adoptId = "ttd-e2e-adopted";
    const body = {
      identifier: adoptId,
      title: { en: "Made by hand", nb: "x", nn: "x" },
      description: { en: "x", nb: "x", nn: "x" },
      rightDescription: { en: "x", nb: "x", nn: "x" },
      resourceType: "CorrespondenceService",
      hasCompetentAuthority: { organization: OWNER, orgcode: "ttd" },
      contactPoints: [],
    };
    expect((await altinnCall(emu.url, token, "POST", `${RR}/resource`, { json: body })).status).toBe(201);
    const adopter = await stackOf(emu.url, "adopter", { identifier: adoptId, recipients: '["313000028"]', adopt: "true" });
    try {
      const before = await requestCounts(emu.url);
      await adopter.run(["up", "--yes", "--skip-preview"]);
      const calls = countsSince(before, await requestCounts(emu.url));
      expect(Object.keys(calls).filter((k) => k === `POST ${RR}/resource`)).toEqual([]);
      const live = (await altinnCall(emu.url, token, "GET", `${RR}/resource/${adoptId}`)).json as { title: { en: string } };
      expect(live.title.en).toBe("Orders");
      await adopter.run(["destroy", "--yes", "--skip-preview"]);
    } finally {
      adopter.cleanup();
    }
  });

  it("destroy leaves nothing in the registry", async () => {
    await project.run(["destroy", "--yes", "--skip-preview"]);
    expect((await altinnCall(emu.url, token, "GET", `${RR}/resource/${id}`)).status).toBe(404);
    expect((await altinnCall(emu.url, token, "GET", `${RR}/access-lists/ttd/${id}-recipients`)).status).toBe(404);
  });
});

describe("Resource Registry in a prod stack", () => {
  let emu: TempEmulator;
  let project: PulumiProject;

  beforeAll(async () => {
    emu = await startTempEmulator();
    // The emulator plays production (it refuses resource deletes there); the stack says prod and points at it.
    await fetch(`${emu.url}/__emulator/options`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ altinn: { environment: "prod" } }),
    });
    const org = (await emulatorOrgs(emu.url)).find((o) => o.orgNumber === OWNER);
    if (!org) throw new Error("no ttd in the seed");
    project = pulumiProject(FIXTURE, { PULUMI_CONFIG_PASSPHRASE: "prod-e2e" });
    await project.run(["stack", "init", "prod", "--secrets-provider", "passphrase"]);
    for (const [k, v] of Object.entries({
      "altinn-onboarding:environment": "prod",
      "altinn-onboarding:maskinportenUrl": `${emu.url}/`,
      "altinn-onboarding:selfServiceUrl": `${emu.url}/api/v1`,
      "altinn-onboarding:altinnUrl": emu.url,
      identifier: "ttd-e2e-prod",
      recipients: '["313000028"]',
    }))
      await project.run(["config", "set", k, v]);
    const creds = JSON.stringify({
      [OWNER]: {
        clientId: org.adminClient.clientId,
        certificate: org.adminClient.certificatePem,
        certificateKey: org.adminClient.certificateKeyPem,
        scopes: org.adminClient.scopes,
      },
    });
    await project.run(["config", "set", "--secret", "altinn-onboarding:adminCredentials", creds]);
  });
  afterAll(async () => {
    project?.cleanup();
    await emu?.close();
  });

  it("protects the resource, and keeps a removed one upstream with a warning", async () => {
    await project.run(["up", "--yes", "--skip-preview"]);
    await project.run(["config", "set", "withResource", "false"]);
    const refused = await project.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/protected/);

    const urn = JSON.parse((await project.run(["stack", "export"])).stdout).deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:dynamic/resourceregistry:Resource",
    ).urn as string;
    await project.run(["state", "unprotect", urn, "--yes"]);
    const removed = await project.run(["up", "--yes", "--skip-preview"]);
    expect(removed.stdout + removed.stderr).toMatch(
      /resource ttd-e2e-prod is kept in the Resource Registry: production does not allow deleting resources/,
    );
    const token = await altinnTokenFor(emu.url, OWNER);
    expect((await altinnCall(emu.url, token, "GET", `${RR}/resource/ttd-e2e-prod`)).status).toBe(200);
    const left = JSON.parse((await project.run(["stack", "export"])).stdout).deployment.resources.filter((r: { type: string }) =>
      r.type.includes("resourceregistry"),
    );
    expect(left).toEqual([]);
  });
});
