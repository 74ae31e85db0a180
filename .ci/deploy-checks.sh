#!/usr/bin/env bash
# Checks owned by the release tooling, for .ci/run:
#   1. installs actionlint (pinned) and lints .github/workflows;
#   2. builds (or reuses) the Pulumi CLI from the tools module, see .ci/pulumi-cli.sh;
#   3. prints, as its only line on stdout, the WEBSTACK_PULUMI_ROOT that the engine test in
#      internal/release needs. Everything else goes to stderr.
#
# Use from .ci/run (the two-line form keeps `set -e` effective on failure):
#   WEBSTACK_PULUMI_ROOT=$(bash .ci/deploy-checks.sh)
#   export WEBSTACK_PULUMI_ROOT
#   go test ./...
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${WEBSTACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/webstack}
actionlint_version=v1.7.12

bin="$cache/actionlint-$actionlint_version"
if [ ! -x "$bin/actionlint" ]; then
	echo "deploy-checks: installing actionlint $actionlint_version" >&2
	GOBIN="$bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version" >&2
fi
# actionlint runs shellcheck on every `run:` script when shellcheck is on PATH.
if ! command -v shellcheck >/dev/null && [ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "deploy-checks: installing shellcheck (Debian package) for actionlint" >&2
	{ apt-get update -qq && apt-get install -y -qq shellcheck; } >&2 ||
		echo "deploy-checks: shellcheck could not be installed; run: scripts are not shellchecked" >&2
fi
command -v shellcheck >/dev/null || echo "deploy-checks: no shellcheck on PATH; run: scripts are not shellchecked" >&2
echo "deploy-checks: actionlint .github/workflows" >&2
(cd "$repo" && "$bin/actionlint" -no-color >&2)

bash "$repo/.ci/pulumi-cli.sh"
