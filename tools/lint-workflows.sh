#!/usr/bin/env bash
# Lints the GitHub workflows with actionlint (built by tools/setup.sh from its Go module, pinned in versions.env).
# Part of `npm run lint` and `npm test`. Without Go there is no actionlint: set ALTINN_ONBOARDING_SKIP_ACTIONLINT=1
# to lint the rest anyway (the CI workflow always has it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ ! -x "$TOOLS_BIN/actionlint" ]; then
  if [ "${ALTINN_ONBOARDING_SKIP_ACTIONLINT:-}" = "1" ]; then
    echo "[lint] actionlint skipped (ALTINN_ONBOARDING_SKIP_ACTIONLINT=1): the workflows are not linted" >&2
    exit 0
  fi
  die "actionlint is not installed: run bash tools/setup.sh with Go on PATH (or set ALTINN_ONBOARDING_SKIP_ACTIONLINT=1)"
fi
cd "$REPO_ROOT"
"$TOOLS_BIN/actionlint" -no-color .github/workflows/*.yml && echo "[lint] actionlint: .github/workflows clean" >&2
