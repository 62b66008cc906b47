/**
 * The fixture of the e2e tests that drive the repository's program against the emulator: one temp emulator
 * per describe block, and throwaway `local` stacks whose manifest a test can rewrite as a user would.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll } from "vitest";
import { stringify } from "yaml";

import { startTempEmulator, type TempEmulator } from "./emulator.js";
import { repoRoot, repoStack, type PulumiProject } from "./pulumi-cli.js";

export interface LocalStack extends PulumiProject {
  /** Rewrites the stack's manifest (keeping its secrets salt and the emulator config). */
  setManifest(manifest: unknown): void;
}

export interface LocalStacks {
  url(): string;
  stack(name: string, manifest: unknown, extraConfig?: Record<string, string>): Promise<LocalStack>;
}

/** Call inside a `describe`: registers the beforeAll/afterAll that start and stop the emulator and stacks. */
export function localStacks(): LocalStacks {
  let emulator: TempEmulator | undefined;
  const projects: PulumiProject[] = [];
  beforeAll(async () => {
    emulator = await startTempEmulator();
  });
  afterAll(async () => {
    // Every stack is removed and the emulator closed even when one of them fails the secrets guard.
    const errors: unknown[] = [];
    for (const p of projects) {
      try {
        p.cleanup();
      } catch (e) {
        errors.push(e);
      }
    }
    try {
      await emulator?.close();
    } catch (e) {
      errors.push(e);
    }
    if (errors.length > 0) throw errors[0];
  });
  const url = (): string => {
    if (!emulator) throw new Error("the emulator is not started yet (use the fixture inside tests or hooks)");
    return emulator.url;
  };
  return {
    url,
    async stack(name, manifest, extraConfig = {}) {
      const project = await repoStack(name, "");
      projects.push(project);
      const file = join(repoRoot, "stacks", `Pulumi.${name}.yaml`);
      const salt = /^encryptionsalt: .*$/m.exec(readFileSync(file, "utf8"))?.[0] ?? "";
      const setManifest = (m: unknown): void => {
        const config = {
          "altinn-onboarding:environment": "local",
          "altinn-onboarding:emulatorUrl": url(),
          ...extraConfig,
          "altinn-onboarding:manifest": m,
        };
        writeFileSync(file, `${salt}\n${stringify({ config })}`);
      };
      setManifest(manifest);
      return { ...project, setManifest };
    },
  };
}
