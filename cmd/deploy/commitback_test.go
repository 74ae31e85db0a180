package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommitBackSurvivesAMovedMain runs .github/scripts/commit-release-state.sh as the release
// jobs do, against a local origin: main moves (another push) between the job's checkout and its
// commit, and moves again while the script runs, so its first push is rejected. The script must
// start over from the new main, commit only the release state on top of both pushes, leave the
// job's checkout alone, and do nothing the second time. (Defect 4: the old commit-back pushed
// the job's checkout and was rejected whenever main had moved.)
func TestCommitBackSurvivesAMovedMain(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	script, err := filepath.Abs("../../.github/scripts/commit-release-state.sh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	origin, job, state := filepath.Join(dir, "origin.git"), filepath.Join(dir, "job"), filepath.Join(dir, "state")
	env := append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"ORIGIN="+origin, "STATE="+state, "GITHUB_REF_NAME=main", "COMMIT_RETRY_SECONDS=0")
	sh := func(wd, cmd string) string {
		t.Helper()
		c := exec.Command("bash", "-euo", "pipefail", "-c", cmd)
		c.Dir, c.Env = wd, env
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
		return string(out)
	}
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	sh(dir, `git init -q --bare -b main origin.git
		git clone -q origin.git seed && cd seed
		printf 'config:\n  webstack:app:\n    activeColor: blue\n' > Pulumi.prod.yaml
		git add . && git commit -qm seed && git push -q origin HEAD:main
		cd .. && git clone -q origin.git job
		git clone -q origin.git other && cd other
		echo 1 > infra.txt && git add . && git commit -qm "an infrastructure change" && git push -q origin HEAD:main`)

	// The fake deploy: `sync -s prod --cwd DIR` writes the deployed release state into DIR's
	// stack file; on its first call another push lands on main, so the script's push is rejected.
	fake := filepath.Join(dir, "deploy")
	if err := os.WriteFile(fake, []byte(`#!/usr/bin/env bash
set -euo pipefail
[ "$1 $2 $3 $4" = "sync -s prod --cwd" ] || { echo "unexpected args: $*" >&2; exit 2; }
sed -i 's/activeColor: blue/activeColor: green/' "$5/Pulumi.prod.yaml"
if [ ! -e "$STATE/raced" ]; then
	touch "$STATE/raced"
	cd "$STATE/../other" && git pull -q origin main && echo 2 > infra.txt && git commit -qam "a second change" && git push -q origin HEAD:main
fi
`), 0o755); err != nil {
		t.Fatal(err)
	}

	out := sh(job, "bash "+script+" "+fake+" prod prod 'prod: the deployed release state'")
	if !strings.Contains(out, "lost a race") || !strings.Contains(out, "committed the release state of prod to main") {
		t.Errorf("script output:\n%s", out)
	}
	log := sh(dir, "git -C origin.git log --format=%s main")
	if want := "prod: the deployed release state [skip ci]\na second change\nan infrastructure change\nseed\n"; log != want {
		t.Errorf("origin main:\n%swant:\n%s", log, want)
	}
	if got := sh(dir, "git -C origin.git show main:Pulumi.prod.yaml"); !strings.Contains(got, "activeColor: green") {
		t.Errorf("origin's stack file:\n%s", got)
	}
	if got := sh(job, "git status --porcelain; cat Pulumi.prod.yaml; git log --format=%s"); got != "config:\n  webstack:app:\n    activeColor: blue\nseed\n" {
		t.Errorf("the job's checkout changed:\n%s", got)
	}
	if out := sh(job, "bash "+script+" "+fake+" prod prod 'prod: again'"); !strings.Contains(out, "main already holds the deployed release state of prod") {
		t.Errorf("second run:\n%s", out)
	}
}
