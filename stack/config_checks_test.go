package stack

import (
	"strings"
	"testing"

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
	if opts.Profile != policy.NonProduction || opts.Waivers["CloudFront.4"] != "no second origin yet" {
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
	// The defaults are strict except interfaceEndpoints (default false), whose relaxations show.
	o := strict.CheckOptions()
	if o.Profile != policy.Production || len(o.Waivers) != 0 {
		t.Errorf("defaults: profile %q, %d waivers; want production and none", o.Profile, len(o.Waivers))
	}
	for _, x := range o.Exceptions {
		if x.Key != "webstack:network.interfaceEndpoints" {
			t.Errorf("defaults relax %s by %s", x.Check, x.Key)
		}
	}
}
