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

if [ "$STACK" = "local" ]; then
  # Some identifiers can never be used again upstream once deleted (registry resources, systems), and the
  # emulator remembers that. A local stack that manages nothing yet (first run, or after a destroy) therefore
  # starts from a fresh emulator seed.
  managed="$(run_pulumi stack export --stack "$STACK" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const r = JSON.parse(s).deployment?.resources ?? [];
      console.log(r.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/")).length);
    });')"
  if [ "$managed" = "0" ]; then
    echo "[main] the local stack manages nothing yet: the emulator starts from its seed (POST $EMULATOR_URL/__emulator/reset)" >&2
    node -e 'fetch(process.argv[1] + "/__emulator/reset", { method: "POST" }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$EMULATOR_URL" ||
      die "could not reset the emulator at $EMULATOR_URL"
  fi
fi

echo "[main] pulumi up --stack $STACK" >&2
run_pulumi up --yes --skip-preview --stack "$STACK" --suppress-progress --suppress-outputs

if [ "$STACK" = "local" ]; then
  # The customer's part of the end-user system story: in the emulator, its control plane plays the customer
  # who opens the confirm link and accepts. Then one more run reads the answer back.
  accepted="$(run_pulumi stack output stories --json --stack "$STACK" | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", async () => {
      const systems = Object.values(JSON.parse(s).endUserSystems ?? {});
      let n = 0;
      for (const sys of systems) for (const c of sys.customers) {
        if (c.status !== "New") continue;
        const r = await fetch(`${process.argv[1]}/__emulator/systemuser-requests/${c.requestId}/accept`, { method: "POST" });
        if (!r.ok) { console.error(`[main] could not accept request ${c.requestId}: ${r.status}`); process.exit(1); }
        console.error(`[main] customer ${c.organization} accepts the system-user request of ${sys.systemId} (as they would at ${c.confirmUrl})`);
        n++;
      }
      console.log(n);
    });' "$EMULATOR_URL")"
  if [ "$accepted" != "0" ]; then
    run_pulumi up --yes --skip-preview --refresh --stack "$STACK" --suppress-progress --suppress-outputs >/dev/null
  fi
fi

echo "[main] the onboarding (npm run summary -- --stack $STACK):" >&2
node tools/ops/dist/summary-main.js --stack "$STACK"
echo "[main] private keys are secret outputs; to see one: npm run pulumi -- stack output privateJwks --show-secrets --stack $STACK" >&2
echo "[main] npm run verify -- --stack $STACK: doing what the onboarding's users will do" >&2
node tools/ops/dist/verify-main.js --stack "$STACK"
