import { defineConfig } from "vitest/config";

// Unit, emulator-conformance and provider tests run in parallel workers; the end-to-end tests that drive the
// real Pulumi CLI live in test/e2e and run one file at a time (see the e2e project below).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts", "providers/**/*.test.ts"],
          exclude: ["test/e2e/**", "**/node_modules/**", "**/dist/**"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
