#!/usr/bin/env bash
# Runs a command with the project's toolchain (.tools/bin, then node_modules/.bin) first on PATH.
# It does not install anything: `npm run setup` does that.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ ! -x "$TOOLS_BIN/node" ]; then
  die "the toolchain is not set up: run 'npm run setup' (or 'bash tools/setup.sh') first"
fi
export PATH="$TOOLS_BIN:$REPO_ROOT/node_modules/.bin:$PATH"
cd "$REPO_ROOT"
exec "$@"
