#!/usr/bin/env bash
# The main job (README's first command): set-up, start the bundled emulator unless one is already answering,
# then `pulumi up` of the example onboarding on the `local` stack, and print its outputs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$REPO_ROOT/tools/setup.sh"
export PATH="$TOOLS_BIN:$REPO_ROOT/node_modules/.bin:$PATH"
cd "$REPO_ROOT"

STACK="${STACK:-local}"
EMULATOR_URL="${EMULATOR_URL:-http://127.0.0.1:${EMULATOR_PORT:-5580}}"

emulator_up() { node -e 'fetch(process.argv[1] + "/__emulator/health").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$EMULATOR_URL"; }

STATE_DIR="${EMULATOR_STATE_DIR:-.emulator}"
if [ "$STACK" = "local" ]; then
  if emulator_up; then
    echo "[main] emulator already answering at $EMULATOR_URL" >&2
  else
    mkdir -p "$STATE_DIR"
    port="${EMULATOR_URL##*:}"
    echo "[main] starting the emulator on $EMULATOR_URL (state and log in $STATE_DIR/)" >&2
    EMULATOR_PORT="$port" EMULATOR_STATE_DIR="$STATE_DIR" nohup node emulator/dist/main.js >"$STATE_DIR/emulator.log" 2>&1 &
    echo $! >"$STATE_DIR/emulator.pid"
    for _ in $(seq 1 100); do emulator_up && break; sleep 0.1; done
    emulator_up || { cat "$STATE_DIR/emulator.log" >&2; die "the emulator did not start"; }
    echo "[main] emulator running (pid $(cat "$STATE_DIR/emulator.pid")); stop it with: kill \$(cat $STATE_DIR/emulator.pid)" >&2
  fi
  # The providers read the emulator's address from this variable when the stack config does not set one.
  export ALTINN_ONBOARDING_EMULATOR_URL="$EMULATOR_URL"
fi

run_pulumi() { bash "$REPO_ROOT/tools/pulumi-env.sh" pulumi "$@"; }
run_pulumi stack select "$STACK" --create >/dev/null
echo "[main] pulumi up --stack $STACK" >&2
run_pulumi up --yes --skip-preview --stack "$STACK" --suppress-progress
echo "[main] the outputs above hide secrets; to see a private key: npm run pulumi -- stack output privateJwks --show-secrets --stack $STACK" >&2
if [ "$STACK" = "local" ]; then
  echo "[main] each client key asks the emulator's Maskinporten for a token:" >&2
  run_pulumi stack output --json --show-secrets --stack "$STACK" | node tools/demo-token.mts "$EMULATOR_URL"
fi
