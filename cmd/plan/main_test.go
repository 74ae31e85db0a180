package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/webstack/webstack/policy"
)

func TestRunJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-s", "prod", "-format", "json", "-C", "../.."}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var doc struct {
		Stack     string           `json:"stack"`
		Resources []map[string]any `json:"resources"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	nats := 0
	for _, r := range doc.Resources {
		if r["type"] == "aws:ec2/natGateway:NatGateway" {
			nats++
		}
	}
	if doc.Stack != "prod" || nats != 3 {
		t.Errorf("prod plan: stack %q with %d NAT gateways, want 3", doc.Stack, nats)
	}
}

func TestRunMermaid(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-s", "prod", "-format", "mermaid", "-C", "../.."}, &out, &errOut); code != 0 {
		t.Fatalf("-s prod -format mermaid exited %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "flowchart ") || !strings.Contains(out.String(), "blue/green switch") {
		t.Errorf("-format mermaid printed no flowchart of the stack:\n%s", out.String())
	}
}

func TestRunUsageAndErrors(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.bad.yaml"), []byte("config:\n  webstack:network:\n    azCount: one\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "usage: plan -s STACK"},
		{[]string{"-s", "dev", "-format", "yaml", "-C", "../.."}, 2, `unknown format "yaml"`},
		{[]string{"-s", "bad", "-C", dir}, 1, `Pulumi.bad.yaml: webstack:network.azCount: "one" must be a whole number`},
		{[]string{"-s", "dev", "-check", "-C", "../.."}, 0, ""},
	} {
		var out, errOut bytes.Buffer
		code := run(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("plan %v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errOut.String(), tt.code, tt.want)
		}
		if code != 0 && out.Len() != 0 {
			t.Errorf("plan %v: failed but printed to stdout: %q", tt.args, out.String())
		}
	}
}

func TestListChecks(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-list-checks"}, &out, &errb); code != 0 {
		t.Fatalf("-list-checks exited %d: %s", code, errb.String())
	}
	if out.String() != policy.MarkdownTable() {
		t.Errorf("-list-checks printed something other than policy.MarkdownTable()")
	}
}

// TestCheckFlagOnProd: the committed prod file fails -check on exactly its documentation
// placeholders; with the team's own values in their place, every check passes.
func TestCheckFlagOnProd(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-s", "prod", "-check", "-C", "../.."}, &out, &errb); code != 3 {
		t.Fatalf("-s prod -check on the committed file exited %d, want 3 (placeholders): %s", code, errb.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if !strings.Contains(line, "webstack/placeholders failed") {
			t.Errorf("committed prod fails something other than its placeholders: %s", line)
		}
	}

	dir := t.TempDir()
	project, err := os.ReadFile("../../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prod, err := os.ReadFile("../../Pulumi.prod.yaml")
	if err != nil {
		t.Fatal(err)
	}
	own := strings.NewReplacer(
		"www.example.com", "www.acme.io", "hostedZoneName: example.com", "hostedZoneName: acme.io",
		"oncall@example.com", "oncall@acme.io", `"203.0.113.0/24", "198.51.100.0/24"`, `"100.64.10.0/24"`,
		"workspaceId: T00000000", "workspaceId: T07EA123LEP", "channelId: C00000000", "channelId: C07EZ1ABC23",
		":000000000000:secret:", ":123456789012:secret:",
	).Replace(string(prod))
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.prod.yaml"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"-s", "prod", "-check", "-C", dir}, &out, &errb); code != 0 {
		t.Fatalf("-s prod -check with the team's values exited %d, want 0: %s", code, errb.String())
	}
	if !strings.HasPrefix(strings.SplitN(out.String(), "\n\n", 2)[1], "Summary\n") || !strings.Contains(out.String(), "\n  check results: ") || !strings.Contains(out.String(), " passed, 0 failed, ") {
		t.Errorf("text view does not start with a summary of the checks:\n%s", out.String())
	}
}

// TestVerboseFlag: the text view counts passed checks and lists them only with -v; failures and
// exceptions are listed either way.
func TestVerboseFlag(t *testing.T) {
	for _, tt := range []struct {
		args     []string
		wantPass bool
	}{
		{[]string{"-s", "dev", "-C", "../.."}, false},
		{[]string{"-s", "dev", "-v", "-C", "../.."}, true},
	} {
		var out, errb bytes.Buffer
		if code := run(tt.args, &out, &errb); code != 0 {
			t.Fatalf("plan %v exited %d: %s", tt.args, code, errb.String())
		}
		if got := strings.Contains(out.String(), "\n  PASS "); got != tt.wantPass {
			t.Errorf("plan %v: PASS lines shown %v, want %v", tt.args, got, tt.wantPass)
		}
		if !strings.Contains(out.String(), "\n  EXCEPTION ") {
			t.Errorf("plan %v: dev's exceptions are not listed", tt.args)
		}
	}
}
