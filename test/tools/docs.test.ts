/**
 * The operations guide is reachable from the README, stays inside the repository, and names every policy rule
 * the pack has (so a new rule cannot go undocumented).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

import { describe, expect, it } from "vitest";

import { RULES } from "../../policy/rules.js";

const root = join(__dirname, "..", "..");
const read = (file: string): string => readFileSync(join(root, file), "utf8");

/** Markdown link targets `[text](target)`, without #fragments. */
function links(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => (m[1] ?? "").split("#")[0] ?? "").filter((t) => t !== "");
}

describe("the operations guide", () => {
  it("is linked from the README", () => {
    expect(links(read("README.md"))).toContain("docs/operations.md");
  });

  it("links only to files in this repository, and they exist", () => {
    for (const file of ["README.md", "docs/operations.md"]) {
      for (const target of links(read(file))) {
        expect(target, `${file} links outside the repository`).not.toMatch(/^[a-z]+:/i);
        expect(existsSync(resolve(dirname(join(root, file)), target)), `${file} -> ${target}`).toBe(true);
      }
    }
  });

  it("documents every rule of the policy pack and the commands", () => {
    const guide = read("docs/operations.md");
    for (const rule of [...RULES.map((r) => r.name), "stack-declares-environment"]) expect(guide).toContain(`| \`${rule}\` |`);
    for (const command of ["npm run drift -- --stack", "npm run plan -- --stack", "preview --stack local --policy-pack policy"]) {
      expect(guide).toContain(command);
    }
  });
});
