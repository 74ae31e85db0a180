package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/webstack/webstack/resilience"
)

// textPlan is a small plan whose resources arrive in URN order, as the JSON has them: the
// routes' URNs sort before the VPC's.
func textPlan(resources int, checks ...Check) *Plan {
	p := &Plan{Project: "webstack", Stack: "s", Outputs: map[string]any{"vpcId": "vpc-1"}, Checks: checks}
	all := []Resource{
		{URN: "urn:a-net", Type: "webstack:network:Network", Name: "net"},
		{URN: "urn:b-route", Type: "aws:ec2/route:Route", Name: "net-route", Custom: true, Parent: "urn:a-net", Dependencies: []string{"urn:c-rt"}},
		{URN: "urn:c-rt", Type: "aws:ec2/routeTable:RouteTable", Name: "net-rt", Custom: true, Parent: "urn:a-net", Dependencies: []string{"urn:d-vpc"}},
		{URN: "urn:d-vpc", Type: "aws:ec2/vpc:Vpc", Name: "net-vpc", Custom: true, Parent: "urn:a-net"},
		{URN: "urn:e-provider", Type: "pulumi:providers:aws", Name: "aws", Custom: true},
	}
	p.Resources = all[len(all)-resources:]
	return p
}

func text(t *testing.T, p *Plan, verbose bool) string {
	t.Helper()
	var b bytes.Buffer
	render := p.Text
	if verbose {
		render = p.VerboseText
	}
	if err := render(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var (
	pass      = Check{ID: "EC2.2", Passed: true, Message: "net-default-sg: no rules"}
	fail      = Check{ID: "EC2.6", Message: "net-vpc: no flow log"}
	exception = Check{ID: "RDS.8", Message: "db: deletionProtection is false", Exception: "relaxed by webstack:database.deletionProtection"}
)

// TestTextSummaryFirst: the text view opens with the summary, then the failures, then the
// exceptions, before any resource.
func TestTextSummaryFirst(t *testing.T) {
	out := text(t, textPlan(5, pass, fail, exception), false)
	order := []string{
		"\nSummary\n  5 resources, 1 output\n  check results: 1 passed, 1 failed, 1 exception\n",
		"\nFailed checks (1)\n  FAIL      EC2.6                      net-vpc: no flow log\n",
		"\nExceptions (1)\n  EXCEPTION RDS.8                      db: deletionProtection is false\n",
		"\nResources (5)\n",
		"\nOutputs\n",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(out[at:], want)
		if i < 0 {
			t.Fatalf("text view lacks %q after byte %d:\n%s", want, at, out)
		}
		at += i + len(want)
	}
}

// TestTextPassOnlyVerbose: passed checks are counted, and listed only in the verbose view.
func TestTextPassOnlyVerbose(t *testing.T) {
	p := textPlan(5, pass, fail)
	if out := text(t, p, false); strings.Contains(out, "PASS") || !strings.Contains(out, "Passed check results: 1 (-v lists them)") {
		t.Errorf("text view lists passed checks or does not count them:\n%s", out)
	}
	if out := text(t, p, true); !strings.Contains(out, "\nPassed checks (1)\n  PASS      EC2.2                      net-default-sg: no rules\n") || !strings.Contains(out, "  FAIL ") {
		t.Errorf("verbose text view does not list the passed check and the failure:\n%s", out)
	}
}

// TestTextTreeOrder: providers first, and every resource after the siblings it depends on
// (the VPC before its route table, the route table before its route), whatever the URN order.
func TestTextTreeOrder(t *testing.T) {
	out := text(t, textPlan(5), false)
	tree := out[strings.Index(out, "Resources (5)"):strings.Index(out, "Counts by type")]
	want := "Resources (5)\n" +
		"├─ aws pulumi:providers:aws\n" +
		"└─ net webstack:network:Network\n" +
		"   ├─ net-vpc aws:ec2/vpc:Vpc\n" +
		"   ├─ net-rt aws:ec2/routeTable:RouteTable\n" +
		"   └─ net-route aws:ec2/route:Route\n\n"
	if tree != want {
		t.Errorf("resource tree:\n%s\nwant:\n%s", tree, want)
	}
}

// TestTextPlurals: one of a thing is singular.
func TestTextPlurals(t *testing.T) {
	for _, tt := range []struct {
		p    *Plan
		want string
	}{
		{textPlan(1), "  1 resource, 1 output\n  check results: 0 passed, 0 failed, 0 exceptions\n"},
		{textPlan(2, exception, exception), "  2 resources, 1 output\n  check results: 0 passed, 0 failed, 2 exceptions\n"},
	} {
		if out := text(t, tt.p, false); !strings.Contains(out, tt.want) {
			t.Errorf("text view lacks %q:\n%s", tt.want, out)
		}
	}
}

// TestTextSummaryNamesWhatTheAZLossVerdictLeftOut: a verdict with parts not judged says so in
// the summary, not only in the notes at the bottom.
func TestTextSummaryNamesWhatTheAZLossVerdictLeftOut(t *testing.T) {
	p := textPlan(1)
	p.AZLoss = &resilience.Report{AZs: []string{"a", "b"}}
	if out := text(t, p, false); strings.Contains(out, "not judged") {
		t.Errorf("a verdict that judged everything mentions parts not judged:\n%s", out)
	}
	p.AZLoss.Notes = []string{"app fleet: not judged: no release is deployed"}
	want := "  AZ loss: Survives the loss of any one of its 2 AZs: every serving tier keeps serving. 1 part not judged (see the notes below).\n"
	if out := text(t, p, false); !strings.Contains(out, want) {
		t.Errorf("text view lacks %q:\n%s", want, out)
	}
}
