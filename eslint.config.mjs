// Lint rules: typescript-eslint's recommended type-aware set, plus the design's boundaries as import rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
  { ignores: ["**/dist/**", "node_modules/**", ".tools/**", ".pulumi/**", ".emulator/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // `import x = require("...")` compiles to a plain require (no __importStar wrapper); see providers/dynamic.ts.
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
    },
  },
  {
    // The emulator is an independent reading of the specs: it never imports the providers.
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/providers/**", "@altinn-onboarding/providers", "@altinn-onboarding/providers/*"],
              message: "emulator/ must not import providers/ (design: two independent readings of the spec)",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["providers/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/emulator/**"], message: "providers/ must not import emulator/ (design: two independent readings of the spec)" },
          ],
        },
      ],
    },
  },
  // Formatting is prettier's job (`prettier --check` runs beside eslint); turn off the rules that overlap.
  prettier,
  {
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The provider shell is plain CommonJS on purpose (it is installed as a real package; see providers/shell).
    files: ["providers/shell/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
