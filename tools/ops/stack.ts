/**
 * A stack's outputs and config, secrets included (verify needs the clients' keys and the subscription key; they
 * never leave the process), read through the project's CLI environment (tools/pulumi-env.sh).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import { repoRoot } from "./pulumi.js";
import type { StackOutputs } from "./verify.js";

function pulumi(args: readonly string[]): Promise<string> {
  const root = repoRoot();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(root, "tools", "pulumi-env.sh"), "pulumi", ...args, "--non-interactive"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      // stderr of these commands carries no secret values (the CLI masks them); keep the last lines.
      else
        reject(
          new Error(
            `pulumi ${args.filter((a) => a !== "--show-secrets").join(" ")} failed:\n${Buffer.concat(err).toString("utf8").trim().split("\n").slice(-5).join("\n")}`,
          ),
        );
    });
  });
}

export async function readStack(stack: string): Promise<{ outputs: StackOutputs; config: Record<string, string> }> {
  const outputs = JSON.parse(await pulumi(["stack", "output", "--json", "--show-secrets", "--stack", stack])) as StackOutputs;
  const raw = JSON.parse(await pulumi(["config", "--json", "--show-secrets", "--stack", stack])) as Record<string, { value?: string }>;
  const config = Object.fromEntries(
    Object.entries(raw)
      .filter(([, v]) => typeof v.value === "string")
      .map(([k, v]) => [k, v.value as string]),
  );
  // The providers also read ALTINN_ONBOARDING_* variables (npm start sets the emulator's address that way).
  if (process.env.ALTINN_ONBOARDING_EMULATOR_URL && !config["altinn-onboarding:emulatorUrl"])
    config["altinn-onboarding:emulatorUrl"] = process.env.ALTINN_ONBOARDING_EMULATOR_URL;
  return { outputs, config };
}
