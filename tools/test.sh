#!/usr/bin/env bash
# The whole test suite (README's test command): set-up, type check, lint, then every vitest project
# (unit, emulator conformance, providers against the emulator, end-to-end through the real Pulumi CLI).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$REPO_ROOT/tools/setup.sh"
export PATH="$TOOLS_BIN:$REPO_ROOT/node_modules/.bin:$PATH"
cd "$REPO_ROOT"
echo "[test] tsc --noEmit" >&2
tsc --noEmit -p tsconfig.json
echo "[test] eslint" >&2
eslint --max-warnings 0 .
echo "[test] prettier --check" >&2
prettier --check . >/dev/null || { prettier --list-different . >&2; echo "[test] run npm run format" >&2; exit 1; }
echo "[test] actionlint" >&2
bash "$REPO_ROOT/tools/lint-workflows.sh"
echo "[test] vitest" >&2
report="$(mktemp -d)/vitest.json"
status=0
vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
# A plain closing line for CI: "vitest: N passed, N failed, N skipped" (skipped tests are never counted as passed).
if [ -f "$report" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
    if (r.numTotalTests === 0) { console.error("[test] no test ran"); process.exit(1); }
  ' "$report" || status=1
fi
exit "$status"
