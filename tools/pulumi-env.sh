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
# The documented development passphrase opens the `local` stack only. It is supplied only when the command
# names that stack (`--stack local`, `-s local`, `stack select|init local`), so a test or prod stack is never
# created or opened with it by accident: those need PULUMI_CONFIG_PASSPHRASE(_FILE) or a KMS provider.
names_local_stack() {
  local prev=""
  for arg in "$@"; do
    case "$arg" in --stack=local | -s=local) return 0 ;; esac
    if [ "$arg" = "local" ] && { [ "$prev" = "--stack" ] || [ "$prev" = "-s" ] || [ "$prev" = "select" ] || [ "$prev" = "init" ]; }; then
      return 0
    fi
    prev="$arg"
  done
  return 1
}
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ] && names_local_stack "$@"; then
  export PULUMI_CONFIG_PASSPHRASE="altinn-onboarding-local-dev"
fi
exec "$@"
