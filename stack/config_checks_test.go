package stack

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/policy"
)

func TestChecksConfigErrors(t *testing.T) {
	tests := []struct {
		raw, want string
	}{
		{`{"profile": "staging"}`, `Pulumi.dev.yaml: webstack:checks.profile: "staging" must be "production" or "nonproduction"`},
		{`{"profile": true}`, `Pulumi.dev.yaml: webstack:checks.profile: true must be a string (put it in quotes)`},
		{`{"waive": {"EC2.99": "because"}}`, `Pulumi.dev.yaml: webstack:checks.waive.EC2.99: "EC2.99" is not a built-in check ID (did you mean "EC2.9"?)`},
		{`{"waive": {"NOPE-1": "because"}}`, "Pulumi.dev.yaml: webstack:checks.waive.NOPE-1: \"NOPE-1\" is not a built-in check ID (see `go run ./cmd/plan -list-checks`)"},
		{`{"waive": {"RDS.8": "  "}}`, `Pulumi.dev.yaml: webstack:checks.waive.RDS.8: "  ": a waiver needs the reason it was accepted`},
		{`{"waive": {"RDS.8": 3}}`, `Pulumi.dev.yaml: webstack:checks.waive.RDS.8: 3 must be a string (put it in quotes)`},
		{`{"waive": ["RDS.8"]}`, `Pulumi.dev.yaml: webstack:checks.waive: ["RDS.8"] must be an object`},
		{`{"profiles": "production"}`, `Pulumi.dev.yaml: webstack:checks.profiles: unknown key (did you mean "profile"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := LoadConfig("webstack", "dev", map[string]string{"webstack:checks": tt.raw})
			if err == nil {
				t.Fatalf("webstack:checks = %s: no error, want %q", tt.raw, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("webstack:checks = %s:\n got %v\nwant %s", tt.raw, err, tt.want)
			}
		})
	}
}

func TestCheckOptions(t *testing.T) {
	cfg, err := LoadConfig("webstack", "dev", map[string]string{
		"webstack:checks":  `{"profile": "nonproduction", "waive": {"CloudFront.4": "no second origin yet"}}`,
		"webstack:network": `{"natGateways": "single", "flowLogRetentionDays": 30, "interfaceEndpoints": false}`,
		"webstack:bastion": `{"allowedCidrs": ["203.0.113.0/24"]}`,
		"webstack:app":     minimalApp,
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := cfg.CheckOptions()
	if opts.Profile != contract.NonProduction || opts.Waivers["CloudFront.4"] != "no second origin yet" {
		t.Errorf("profile %q, waivers %v", opts.Profile, opts.Waivers)
	}
	got := map[string]string{}
	for _, x := range opts.Exceptions {
		if policy.Lookup(x.Check) == nil {
			t.Errorf("relaxation of unknown check %q", x.Check)
		}
		got[x.Check] = x.Key
	}
	want := map[string]string{
		"REL10-BP01/nat": "webstack:network.natGateways",
		"CloudWatch.16":  "webstack:network.flowLogRetentionDays",
		"EC2.10":         "webstack:network.interfaceEndpoints",
		"EC2.57":         "webstack:network.interfaceEndpoints",
		"EC2.9":          "webstack:bastion.allowedCidrs",
	}
	for check, key := range want {
		if got[check] != key {
			t.Errorf("relaxation of %s: got key %q, want %q", check, got[check], key)
		}
	}
	if _, ok := got["EC2.6"]; ok {
		t.Errorf("flow logs are on, yet EC2.6 is relaxed")
	}

	strict, err := LoadConfig("webstack", "prod", map[string]string{"webstack:app": minimalApp})
	if err != nil {
		t.Fatal(err)
	}
	// The defaults relax only through these keys: interfaceEndpoints, the ALB's access logs
	// and deletion protection, and edge protect (all off by default), no domain, and the ACLs
	// CloudFront's log bucket needs (logs are on by default).
	o := strict.CheckOptions()
	if o.Profile != contract.Production || len(o.Waivers) != 0 {
		t.Errorf("defaults: profile %q, %d waivers; want production and none", o.Profile, len(o.Waivers))
	}
	defaultKeys := map[string]bool{
		"webstack:network.interfaceEndpoints": true,
		"webstack:app.accessLogs":             true,
		"webstack:app.deletionProtection":     true,
		"webstack:edge.domain":                true,
		"webstack:edge.logs":                  true,
		"webstack:edge.protect":               true,
	}
	for _, x := range o.Exceptions {
		if !defaultKeys[x.Key] {
			t.Errorf("defaults relax %s by %s", x.Check, x.Key)
		}
	}
}

// TestEdgeAndAppRelaxations: each webstack:edge and webstack:app value that relaxes a
// control registers exactly the scoped relaxations it should, and the strict value none.
func TestEdgeAndAppRelaxations(t *testing.T) {
	const (
		dist     = "aws:cloudfront/distribution:Distribution"
		bucket   = "aws:s3/bucketV2:BucketV2"
		listener = "aws:lb/listener:Listener"
		alb      = "aws:lb/loadBalancer:LoadBalancer"
	)
	// strictEdge and strictApp relax nothing except the log bucket's ACLs and the SSE-S3 of the
	// buckets whose log writers accept nothing else (logs on).
	strictEdge := map[string]any{"domain": "www.example.com", "hostedZoneName": "example.com", "waf": true, "logs": true, "versioning": true, "protect": true}
	strictApp := map[string]any{"testListenerCidrs": []string{"203.0.113.0/24"}, "blue": map[string]any{"version": "1.0.0"}, "accessLogs": true, "deletionProtection": true}
	logACL := "S3.12 " + bucket + " edge-logs webstack:edge.logs"
	// Buckets that stay on SSE-S3 (S3.17): S3's server access logs (with edge logs) and the
	// ALB's access logs (registered always; it names a bucket only webstack:app.accessLogs
	// creates).
	accessSSE := "S3.17 " + bucket + " edge-access-logs webstack:edge.logs"
	albSSE := "S3.17 " + bucket + " app-alb-logs webstack:app.accessLogs"
	for _, tc := range []struct {
		section, key string
		value        any
		want         []string
	}{
		{"edge", "domain", "", []string{
			"CloudFront.7 " + dist + " edge-cdn webstack:edge.domain",
			"CloudFront.8 " + dist + " edge-cdn webstack:edge.domain",
			"CloudFront.9 " + dist + " edge-cdn webstack:edge.domain",
			"CloudFront.15 " + dist + " edge-cdn webstack:edge.domain",
			"ELB.1 " + listener + " app-alb-production webstack:edge.domain",
			"ELB.1 " + listener + " app-alb-test webstack:edge.domain",
			logACL, accessSSE, albSSE,
		}},
		{"edge", "logs", false, []string{
			"CloudFront.5 " + dist + " edge-cdn webstack:edge.logs",
			"S3.9 " + bucket + " edge-site webstack:edge.logs",
			albSSE,
		}},
		{"edge", "waf", false, []string{"CloudFront.6 " + dist + " edge-cdn webstack:edge.waf", logACL, accessSSE, albSSE}},
		{"edge", "versioning", false, []string{"S3.14 " + bucket + " edge-site webstack:edge.versioning", logACL, accessSSE, albSSE}},
		{"edge", "protect", false, []string{
			"webstack/protect " + bucket + " edge-site webstack:edge.protect",
			"webstack/protect " + bucket + " edge-logs webstack:edge.protect",
			"webstack/protect " + bucket + " edge-access-logs webstack:edge.protect",
			logACL, accessSSE, albSSE,
		}},
		{"app", "accessLogs", false, []string{"ELB.5 " + alb + " app-alb-lb webstack:app.accessLogs", logACL, accessSSE, albSSE}},
		// Turning the ALB's deletion protection off (to destroy the stack) leaves the access
		// logs retained: only retainAccessLogs decides their fate.
		{"app", "deletionProtection", false, []string{
			"ELB.6 " + alb + " app-alb-lb webstack:app.deletionProtection",
			logACL, accessSSE, albSSE,
		}},
		{"app", "retainAccessLogs", false, []string{
			"webstack/protect " + bucket + " app-alb-logs webstack:app.retainAccessLogs",
			logACL, accessSSE, albSSE,
		}},
		{"edge", "waf", true, []string{logACL, accessSSE, albSSE}},
	} {
		t.Run(tc.section+"."+tc.key, func(t *testing.T) {
			e, a := map[string]any{}, map[string]any{}
			for k, v := range strictEdge {
				e[k] = v
			}
			for k, v := range strictApp {
				a[k] = v
			}
			map[string]map[string]any{"edge": e, "app": a}[tc.section][tc.key] = tc.value
			if tc.section == "edge" && tc.key == "domain" {
				delete(e, "hostedZoneName")
			}
			edgeJSON, _ := json.Marshal(e)
			appJSON, _ := json.Marshal(a)
			cfg, err := LoadConfig("webstack", "prod", map[string]string{
				"webstack:network": `{"interfaceEndpoints": true}`,
				"webstack:edge":    string(edgeJSON),
				"webstack:app":     string(appJSON),
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range cfg.CheckOptions().Exceptions {
				if policy.Lookup(x.Check) == nil {
					t.Errorf("relaxation of unknown check %q", x.Check)
				}
				if strings.HasPrefix(x.Key, "webstack:edge.") || strings.HasPrefix(x.Key, "webstack:app.") {
					got = append(got, strings.Join([]string{x.Check, x.Type, x.Name, x.Key}, " "))
				}
			}
			sort.Strings(got)
			want := append([]string(nil), tc.want...)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s.%s = %v relaxes\n  %s\nwant\n  %s", tc.section, tc.key, tc.value, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

// TestClosest: one rule judges a likely typo, for config keys and check IDs alike.
func TestClosest(t *testing.T) {
	keys := []string{"cidr", "azCount", "natGateways", "flowLogRetentionDays"}
	for _, c := range []struct {
		name  string
		known []string
		want  string
	}{
		{"azcount", keys, "azCount"},
		{"flowLogRetentionDay", keys, "flowLogRetentionDays"},
		{"flowLogsRetentionDays", keys, "flowLogRetentionDays"},
		{"elephant", keys, ""},
		{"EC2.99", contract.CheckIDs, "EC2.9"},
		{"rds.8", contract.CheckIDs, "RDS.8"},
		{"REL10-BP01/nats", contract.CheckIDs, "REL10-BP01/nat"},
		{"NOPE-1", contract.CheckIDs, ""},
	} {
		if got := closest(c.name, c.known); got != c.want {
			t.Errorf("closest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
