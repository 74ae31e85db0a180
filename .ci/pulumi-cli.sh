#!/usr/bin/env bash
# Builds the Pulumi CLI from the tools module (tools/go.mod pins github.com/pulumi/pulumi/pkg/v3)
# and prints, as its only line on stdout, the directory whose bin/pulumi it is: the value of
# WEBSTACK_PULUMI_ROOT for the engine test and for auto.NewPulumiCommand.
#
# The binary is cached under ${WEBSTACK_CACHE:-$HOME/.cache/webstack}, keyed by the tools
# module's go.mod/go.sum and the Go version, so only the first run pays for the build
# (about 3.5 minutes cold on 2 cores, well under a second when cached).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${WEBSTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/webstack}
pkg=github.com/pulumi/pulumi/pkg/v3
version=$(cd "$repo/tools" && go list -m -f '{{.Version}}' "$pkg")
# One Pulumi version everywhere: the CLI built here for the tests, the SDK the program links
# (go.mod) and the CLI the workflows install (.pulumi.version, read by pulumi/actions).
sdk=$(cd "$repo" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)
pinned=v$(tr -d '[:space:]' <"$repo/.pulumi.version")
if [ "$version" != "$sdk" ] || [ "$version" != "$pinned" ]; then
	echo "pulumi-cli: the Pulumi versions disagree: tools/go.mod pkg/v3 $version, go.mod sdk/v3 $sdk, .pulumi.version $pinned; make them one" >&2
	exit 1
fi
key=$(cat "$repo/tools/go.mod" "$repo/tools/go.sum" | sha256sum | cut -c1-12)
root="$cache/pulumi-$version-$key-$(go env GOVERSION)"

if [ ! -x "$root/bin/pulumi" ]; then
	echo "pulumi-cli: building the Pulumi CLI $version from the Go module proxy (cold: a few minutes)" >&2
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/.pulumi-build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	start=$SECONDS
	# The version is stamped in so `pulumi version` (which the Automation API checks) is honest.
	(cd "$repo/tools" && go build -trimpath \
		-ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
		-o "$tmp/bin/pulumi" "$pkg/cmd/pulumi")
	rm -rf "$root"
	mv "$tmp" "$root"
	trap - EXIT
	echo "pulumi-cli: built in $((SECONDS - start))s: $root/bin/pulumi" >&2
fi
"$root/bin/pulumi" version >/dev/null
echo "$root"
