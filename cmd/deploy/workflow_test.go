package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	Jobs map[string]struct {
		Environment any `yaml:"environment"`
		Steps       []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			If   string            `yaml:"if"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
			// TimeoutMinutes is the step's timeout-minutes.
			TimeoutMinutes int `yaml:"timeout-minutes"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflows(t *testing.T) map[string]workflow {
	t.Helper()
	paths, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no workflows: %v", err)
	}
	out := map[string]workflow{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var w workflow
		if err := yaml.Unmarshal(data, &w); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[filepath.Base(p)] = w
	}
	return out
}

func environmentName(env any) string {
	switch e := env.(type) {
	case string:
		return e
	case map[string]any:
		s, _ := e["name"].(string)
		return s
	}
	return ""
}

// TestWorkflowsDeployAsDocumented: defects 5 and 8 in the workflows. Every Pulumi CLI they
// install is the version the tests run, every install-only step is followed by a login (after
// the AWS credentials, which an s3:// backend needs), no session outlives the default one-hour
// role maximum, the checks are .ci/run, prod changes only behind the production environment,
// infrastructure reaches prod on every push, every release commits the release state back and
// is recovered when its job is cancelled, and no pull request step gets prod's secrets.
func TestWorkflowsDeployAsDocumented(t *testing.T) {
	wfs := readWorkflows(t)
	var prodUp, ciRun bool
	for file, w := range wfs {
		for name, job := range w.Jobs {
			where := file + " job " + name
			creds, login, installOnly := -1, -1, -1
			var releases, commits, recovers []string
			// freshCreds: a credentials step with output-credentials since the last `deploy
			// up`, and a step that hands its aws-expiration to cmd/deploy.
			freshCreds, expiration := false, false
			for i, st := range job.Steps {
				switch {
				case strings.HasPrefix(st.Uses, "pulumi/actions@"):
					if st.With["pulumi-version-file"] != ".pulumi.version" {
						t.Errorf("%s step %d: pulumi/actions without pulumi-version-file: .pulumi.version (the CLI the tests run)", where, i)
					}
					if st.With["command"] == "" && installOnly < 0 {
						installOnly = i
					}
				case strings.HasPrefix(st.Uses, "aws-actions/configure-aws-credentials@"):
					if creds < 0 {
						creds = i
					}
					freshCreds, expiration = st.With["output-credentials"] == "true", false
					if d := st.With["role-duration-seconds"]; d != "" {
						if n, err := strconv.Atoi(d); err == nil && n > 3600 {
							t.Errorf("%s step %d: role-duration-seconds %d exceeds a role's default one-hour maximum session", where, i, n)
						}
					}
				case strings.HasPrefix(strings.TrimSpace(st.Run), "pulumi login"):
					login = i
				}
				if strings.Contains(st.Run, "bash .ci/run") {
					ciRun = true
				}
				run := strings.ReplaceAll(st.Run, `"`, "")
				if strings.Contains(run, "deploy up -s ${STACK_PREFIX}prod") || strings.Contains(run, "deploy release -s ${STACK_PREFIX}prod") {
					if env := environmentName(job.Environment); env != "production" {
						t.Errorf("%s changes prod outside the production environment (environment %q)", where, env)
					}
				}
				if strings.Contains(run, "deploy up -s ${STACK_PREFIX}prod") && file == "main.yml" && st.If == "" {
					prodUp = true
				}
				for _, v := range st.Env {
					if strings.Contains(v, ".outputs.aws-expiration") && strings.Contains(st.Run, "AWS_CREDENTIAL_EXPIRATION") {
						expiration = true
					}
				}
				if strings.Contains(run, "deploy up -s") {
					freshCreds, expiration = false, false
				}
				if strings.Contains(run, "deploy release -s") {
					releases = append(releases, st.Name)
					if !freshCreds || !expiration {
						t.Errorf("%s step %q releases without fresh credentials since the last `deploy up` (configure-aws-credentials with output-credentials: true) "+
							"and their aws-expiration in AWS_CREDENTIAL_EXPIRATION: an `up` can use most of a session, and cmd/deploy must know when it ends", where, st.Name)
					}
				}
				if strings.Contains(st.Run, "commit-release-state.sh") && strings.HasPrefix(st.If, "always()") {
					commits = append(commits, st.Name)
				}
				if strings.Contains(run, "deploy recover -s") && strings.HasPrefix(st.If, "cancelled()") {
					recovers = append(recovers, st.Name)
					if st.TimeoutMinutes < 1 || st.TimeoutMinutes > 4 {
						t.Errorf("%s step %q: timeout-minutes %d; GitHub ends a cancelled run's steps 5 minutes after the cancel, so recover gets at most 4 and the commit-back still runs", where, st.Name, st.TimeoutMinutes)
					}
				}
				if file == "pull-request.yml" && !strings.Contains(st.If, "!= 'prod'") {
					for k, v := range st.Env {
						if strings.Contains(v, "secrets.") {
							t.Errorf("%s step %d runs for prod with %s from %s: a pull request's code must never get prod's credentials", where, i, k, v)
						}
					}
				}
			}
			if installOnly >= 0 && login < installOnly {
				t.Errorf("%s installs the Pulumi CLI without a command but never runs `pulumi login` after it", where)
			}
			if installOnly >= 0 && creds >= 0 && login >= 0 && login < creds {
				t.Errorf("%s logs in to Pulumi before the AWS credentials exist (an s3:// backend needs them)", where)
			}
			if len(releases) > 0 && len(commits) == 0 {
				t.Errorf("%s releases (%v) but never commits the release state back (if: always())", where, releases)
			}
			if len(releases) > 0 && len(recovers) == 0 {
				t.Errorf("%s releases (%v) but has no `deploy recover` step with if: cancelled(): a cancelled job would leave production half-switched", where, releases)
			}
		}
	}
	if !ciRun {
		t.Error("no workflow runs `bash .ci/run`: CI would check less than .ci/run does")
	}
	if !prodUp {
		t.Error("main.yml has no unconditional `deploy up` of prod: infrastructure changes would reach prod only with a release")
	}
}
