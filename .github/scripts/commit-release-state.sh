#!/usr/bin/env bash
# Commits the deployed release state of one stack to the branch the workflow runs on, so that
# git stays the record of what runs and the next run does not start from a stale stack file.
#
#   commit-release-state.sh DEPLOY STACK NAME MESSAGE
#     DEPLOY   the cmd/deploy binary built by the job
#     STACK    the stack as Pulumi names it (prod, or org/prod)
#     NAME     the stack file's name part (prod: Pulumi.prod.yaml)
#     MESSAGE  the commit message
#
# It never pushes the job's own copy of the file, nor touches the job's checkout: in a separate
# worktree of the branch as it is now (main may have moved during a long release), it writes the
# deployed release state into the file with `deploy sync` (which keeps everything else in it),
# commits only that file and pushes; when the push loses a race with another push it starts
# over, a few times. Pushes made with the workflow's GITHUB_TOKEN start no workflow.
set -euo pipefail

deploy=$1 stack=$2 name=$3 message=$4
branch=${GITHUB_REF_NAME:?}
file="Pulumi.$name.yaml"
work=$(mktemp -d)
trap 'git worktree remove --force "$work" 2>/dev/null || rm -rf "$work"' EXIT

for attempt in 1 2 3 4 5; do
	git fetch --quiet origin "$branch"
	git worktree remove --force "$work" 2>/dev/null || rm -rf "$work"
	git worktree add --quiet --detach "$work" "origin/$branch"
	"$deploy" sync -s "$stack" --cwd "$work"
	if git -C "$work" diff --quiet -- "$file"; then
		echo "$branch already holds the deployed release state of $stack"
		exit 0
	fi
	git -C "$work" -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
		commit --quiet -m "$message [skip ci]" -- "$file"
	if git -C "$work" push --quiet origin "HEAD:$branch"; then
		echo "committed the release state of $stack to $branch: $(git -C "$work" rev-parse --short HEAD)"
		exit 0
	fi
	echo "push of attempt $attempt lost a race with another push; starting over from $branch" >&2
	sleep $((attempt * ${COMMIT_RETRY_SECONDS:-5}))
done
echo "::error::could not commit $file to $branch; run \`deploy sync -s $stack\` locally and commit it" >&2
exit 1
