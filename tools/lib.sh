#!/usr/bin/env bash
# Shared by the toolchain scripts. Sourced, never run.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=versions.env
source "$REPO_ROOT/tools/versions.env"
CACHE_DIR="${ALTINN_ONBOARDING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/altinn-onboarding}"
TOOLS_BIN="$REPO_ROOT/.tools/bin"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# The @pulumi/pulumi version recorded in package-lock.json (no node needed to read it).
pulumi_sdk_version() {
  awk '/"node_modules\/@pulumi\/pulumi": \{/ {f=1; next} f && /"version":/ { gsub(/[",]/, "", $2); print $2; exit }' \
    "$REPO_ROOT/package-lock.json"
}

toolchain_path() { printf '%s:%s' "$TOOLS_BIN" "$PATH"; }
