#!/usr/bin/env bash
# Re-pins tools/pulumi-cli to a new Pulumi version (run after changing @pulumi/pulumi in package.json):
#   bash tools/update-pulumi-cli-module.sh v3.X.Y
# The module proxy must serve github.com/pulumi/pulumi/pkg/v3 at that version (see tools/README.md).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
version="${1:?usage: update-pulumi-cli-module.sh v3.X.Y}"
cd "$REPO_ROOT/tools/pulumi-cli"
go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$version"
go get "github.com/pulumi/pulumi/sdk/v3@$version"
go mod tidy
say "tools/pulumi-cli now builds pkg/v3 $version; commit go.mod and go.sum"
