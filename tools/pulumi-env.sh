#!/usr/bin/env bash
# Environment for every Pulumi CLI call of this project: local file state, no plugin downloads, no update check.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# Local state inside the repo (git-ignored); point PULUMI_BACKEND_URL elsewhere for shared stacks.
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$REPO_ROOT/.pulumi}"
# A file backend's folder must exist before the CLI will use it.
case "$PULUMI_BACKEND_URL" in
  file://~*) mkdir -p "$HOME${PULUMI_BACKEND_URL#file://~}" ;;
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac
# The documented development passphrase; it only opens the `local` stack's secrets. The test and prod stacks
# were created with their own passphrase (or a KMS provider), so this default cannot decrypt them.
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE="altinn-onboarding-local-dev"
fi
exec "$@"
