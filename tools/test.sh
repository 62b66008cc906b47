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
echo "[test] vitest" >&2
exec vitest run "$@"
