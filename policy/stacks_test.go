package policy_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/policy"
)

// prodExceptions are the only exceptions prod may report, each reviewed: check ID and
// resource name -> the key that relaxes it. Anything else failing in prod fails this test,
// even if a waiver or a tier key would except it.
var prodExceptions = map[[2]string]string{
	// One frontend bucket and one ALB: no second origin to fail over to (waiver with reason).
	{"CloudFront.4", "edge-cdn"}: contract.WaiveKey + ".CloudFront.4",
	// CloudFront standard logs need ACLs on their bucket (docs/gotchas.md, "CloudFront standard logs need bucket ACLs").
	{"S3.12", "edge-logs"}: "webstack:edge.logs",
	// Buckets whose writers accept only SSE-S3: Elastic Load Balancing's access logs and S3's
	// server access logs.
	{"S3.17", "app-alb-logs"}:     "webstack:app.accessLogs",
	{"S3.17", "edge-access-logs"}: "webstack:edge.logs",
	// ElastiCache has no Secrets Manager rotation function for AUTH tokens: the token is
	// rotated by replacing its random password (docs/data.md).
	{"SecretsManager.1", "cache-auth-secret"}: "webstack:cache.exceptions.authTokenRotation",
	{"SecretsManager.4", "cache-auth-secret"}: "webstack:cache.exceptions.authTokenRotation",
}

// prodPlaceholders are the documentation placeholders the committed prod file carries, each
// where a team must put its own value: webstack/placeholders fails on exactly these (the
// README's "Deploying for real" says how to replace them), and nothing else may fail in prod.
var prodPlaceholders = map[string]bool{
	"webstack:edge.domain":              true,
	"webstack:edge.hostedZoneName":      true,
	"webstack:alerts.emails[0]":         true,
	"webstack:app.testListenerCidrs[0]": true,
	"webstack:app.testListenerCidrs[1]": true,
	"webstack:alerts.slack.workspaceId": true,
	"webstack:alerts.slack.channelId":   true,
	"webstack:alerts.webhookSecretArn":  true,
}

// TestRealStacks runs every check on the real stack files. No stack may fail a check. Every
// exception must name a config key that is set in that stack's file, so that a reviewer
// reading Pulumi.<stack>.yaml sees every relaxation (a waiver names
// webstack:checks.waive.<id>, which must be there with its reason). The profile may except
// only production-only checks, and only in a nonproduction stack. prod's exceptions are
// pinned to prodExceptions.
func TestRealStacks(t *testing.T) {
	for _, stack := range []string{"prod", "dev", "test"} {
		t.Run(stack, func(t *testing.T) {
			sf, err := plan.Load("..", stack)
			if err != nil {
				t.Fatal(err)
			}
			p, _, err := plan.Run("..", stack)
			if err != nil {
				t.Fatalf("plan.Run(%q): %v", stack, err)
			}
			if len(p.Checks) == 0 {
				t.Fatalf("%s: no check judged anything", stack)
			}
			seenProd := map[[2]string]bool{}
			seenPlaceholders := map[string]bool{}
			for _, c := range p.Checks {
				check := policy.Lookup(c.ID)
				if check == nil {
					t.Errorf("%s: result for unknown check %q", stack, c.ID)
					continue
				}
				name := c.Resource[strings.LastIndex(c.Resource, "::")+2:]
				switch {
				case c.Passed && c.Exception == "":
					continue
				case c.Passed:
					t.Errorf("%s: check %s on %s passed with an exception %q", stack, c.ID, name, c.Exception)
					continue
				case c.Exception == "" && stack == "prod" && c.ID == policy.PlaceholdersCheckID:
					key, _, _ := strings.Cut(c.Message[strings.Index(c.Message, "): ")+3:], " is ")
					if !prodPlaceholders[key] {
						t.Errorf("prod: unexpected placeholder: %s", c.Message)
					}
					seenPlaceholders[key] = true
					continue
				case c.Exception == "":
					t.Errorf("%s: check %s failed: %s", stack, c.ID, c.Message)
					continue
				}
				if !configHas(sf.Values, c.Exception) {
					t.Errorf("%s: exception %s on %s names %s, which Pulumi.%s.yaml does not set: %s", stack, c.ID, name, c.Exception, stack, c.Message)
				}
				if c.Exception == contract.ProfileKey && check.Scope != policy.ProductionOnly {
					t.Errorf("%s: %s (required in every stack) on %s is excepted by the profile", stack, c.ID, name)
				}
				if stack == "prod" {
					key := [2]string{c.ID, name}
					seenProd[key] = true
					if want, ok := prodExceptions[key]; !ok || want != c.Exception {
						t.Errorf("prod: unreviewed exception %s on %s by %s (reviewed: %q): %s", c.ID, name, c.Exception, want, c.Message)
					}
				}
			}
			if stack == "prod" {
				for key := range prodPlaceholders {
					if !seenPlaceholders[key] {
						t.Errorf("prod: placeholder %s is no longer reported: remove it from prodPlaceholders", key)
					}
				}
				for key, k := range prodExceptions {
					if !seenProd[key] {
						t.Errorf("prod: no longer excepts %s on %s (by %s): remove it from prodExceptions and the stack file", key[0], key[1], k)
					}
				}
			}
			judged := map[string]bool{}
			for _, c := range p.Checks {
				judged[c.ID] = true
			}
			for _, id := range p.ChecksNotApplicable {
				if judged[id] {
					t.Errorf("%s: %s is listed not applicable but has results", stack, id)
				}
			}
			if len(judged)+len(p.ChecksNotApplicable) != len(policy.Checks()) {
				t.Errorf("%s: %d checks judged + %d not applicable != %d checks", stack, len(judged), len(p.ChecksNotApplicable), len(policy.Checks()))
			}
		})
	}
}

// configHas reports whether the stack file sets the full config key, e.g.
// "webstack:edge.domain" (set to "" counts) or "webstack:checks.waive.CloudFront.4" (a map key
// with dots).
func configHas(values map[string]string, key string) bool {
	section, path, _ := strings.Cut(key, ".")
	raw, ok := values[section]
	if !ok {
		return false
	}
	if path == "" {
		return true
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return false
	}
	parts := strings.Split(path, ".")
	for i := 0; i < len(parts); i++ {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if next, ok := m[parts[i]]; ok {
			v = next
			continue
		}
		// A map key with dots (a check ID) is the rest of the path.
		next, ok := m[strings.Join(parts[i:], ".")]
		return ok && next != nil
	}
	return true
}

func TestConfigHas(t *testing.T) {
	values := map[string]string{
		"webstack:edge":   `{"domain": "", "logs": true}`,
		"webstack:checks": `{"profile": "production", "waive": {"CloudFront.4": "reason"}}`,
	}
	for key, want := range map[string]bool{
		"webstack:edge.domain":               true,
		"webstack:edge.logs":                 true,
		"webstack:edge.waf":                  false,
		"webstack:checks.profile":            true,
		"webstack:checks.waive.CloudFront.4": true,
		"webstack:checks.waive.CloudFront.5": false,
		"webstack:app.accessLogs":            false,
	} {
		if got := configHas(values, key); got != want {
			t.Errorf("configHas(%s) = %v, want %v", key, got, want)
		}
	}
}

// TestPlanChecksDeterministic runs prod twice: the checks come out identical and sorted.
func TestPlanChecksDeterministic(t *testing.T) {
	a, _, err := plan.Run("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := plan.Run("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Checks) != len(b.Checks) {
		t.Fatalf("%d checks, then %d", len(a.Checks), len(b.Checks))
	}
	for i := range a.Checks {
		if a.Checks[i] != b.Checks[i] {
			t.Errorf("check %d differs between runs: %+v vs %+v", i, a.Checks[i], b.Checks[i])
		}
		if i > 0 {
			x, y := a.Checks[i-1], a.Checks[i]
			if policy.Less(y.ID, x.ID) || (x.ID == y.ID && y.Resource < x.Resource) {
				t.Errorf("checks out of order: %s %s before %s %s", x.ID, x.Resource, y.ID, y.Resource)
			}
		}
	}
}
