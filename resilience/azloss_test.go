package resilience_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/resilience"
)

// servingTiers are the tiers every webstack stack has.
var servingTiers = []resilience.Tier{resilience.LoadBalancer, resilience.LiveFleet, resilience.Egress, resilience.Database, resilience.Cache}

// analyze runs a real stack file and analyzes what it registered.
func analyze(t *testing.T, stack string) *resilience.Report {
	t.Helper()
	return analyzeFiles(t, load(t, stack))
}

// load reads a real stack's files as they are once released: the committed files have no
// release yet (no color has a version, so no fleet serves), and the analysis is about a stack
// that serves. The live color runs "1.4.2" with the sizes the file gives it.
func load(t *testing.T, stack string) *plan.StackFiles {
	t.Helper()
	sf := loadCommitted(t, stack)
	sf, err := sf.WithSection("webstack:app", func(app map[string]any) {
		live, _ := app["activeColor"].(string)
		if live == "" {
			live = "blue"
		}
		app[live].(map[string]any)["version"] = "1.4.2"
	})
	if err != nil {
		t.Fatal(err)
	}
	return sf
}

// loadCommitted reads a real stack's files as committed.
func loadCommitted(t *testing.T, stack string) *plan.StackFiles {
	t.Helper()
	sf, err := plan.Load("..", stack)
	if err != nil {
		t.Fatal(err)
	}
	return sf
}

// TestNoReleaseNotJudged: before the first release production answers a fixed 503 and no
// fleet serves: the live fleet is not judged, and the report says why instead of failing.
func TestNoReleaseNotJudged(t *testing.T) {
	for _, stack := range []string{"prod", "dev", "test"} {
		rep := analyzeFiles(t, loadCommitted(t, stack))
		if slices.Contains(rep.Tiers(), resilience.LiveFleet) {
			t.Errorf("%s: the live fleet is judged though no color has a version", stack)
		}
		if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "no release is deployed") ||
			!strings.Contains(rep.Text(), rep.Notes[0]) || !strings.Contains(rep.Markdown(), rep.Notes[0]) {
			t.Errorf("%s: notes %q, want one saying no release is deployed, in both renderings", stack, rep.Notes)
		}
		for _, tier := range []resilience.Tier{resilience.LoadBalancer, resilience.Egress, resilience.Database, resilience.Cache} {
			if !slices.Contains(rep.Tiers(), tier) {
				t.Errorf("%s: tier %s missing", stack, tier)
			}
		}
	}
}

func analyzeFiles(t *testing.T, sf *plan.StackFiles) *resilience.Report {
	t.Helper()
	_, rep := runFiles(t, sf)
	return rep
}

// runFiles runs stack files and analyzes what they registered.
func runFiles(t *testing.T, sf *plan.StackFiles) (*mockaws.Result, *resilience.Report) {
	t.Helper()
	_, res, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatalf("%s: %v", sf.Stack, err)
	}
	rep, err := resilience.Analyze(res)
	if err != nil {
		t.Fatalf("%s: %v", sf.Stack, err)
	}
	return res, rep
}

// vary returns a copy of a stack's files with its structured sections (the part of the key
// after "webstack:", e.g. "app") changed by mutate.
func vary(t *testing.T, sf *plan.StackFiles, mutate func(sections map[string]map[string]any)) *plan.StackFiles {
	t.Helper()
	sections := map[string]map[string]any{}
	for _, name := range []string{"network", "app", "database", "cache"} {
		var m map[string]any
		if err := json.Unmarshal([]byte(sf.Values["webstack:"+name]), &m); err != nil {
			t.Fatalf("webstack:%s in Pulumi.%s.yaml: %v", name, sf.Stack, err)
		}
		sections[name] = m
	}
	mutate(sections)
	out := *sf
	out.Values = map[string]string{}
	for k, v := range sf.Values {
		out.Values[k] = v
	}
	for name, m := range sections {
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		out.Values["webstack:"+name] = string(raw)
	}
	return &out
}

// spof is a single point of failure as a test states it: the tier, the index of the AZ in the
// report's AZs, the status, and a phrase its reason must hold.
type spof struct {
	tier   resilience.Tier
	az     int
	status resilience.Status
	phrase string
}

// checkSPOFs asserts that a report's single points of failure are exactly want.
func checkSPOFs(t *testing.T, what string, rep *resilience.Report, want []spof) {
	t.Helper()
	got := rep.SinglePointsOfFailure()
	var gotKeys, wantKeys []string
	for _, s := range got {
		gotKeys = append(gotKeys, fmt.Sprintf("%s/%s/%s", s.Tier, s.AZ, s.Status))
	}
	for _, w := range want {
		wantKeys = append(wantKeys, fmt.Sprintf("%s/%s/%s", w.tier, rep.AZs[w.az], w.status))
	}
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("%s: single points of failure\n got %q\nwant %q\n%s", what, gotKeys, wantKeys, rep.Text())
	}
	for i, w := range want {
		if !strings.Contains(got[i].Reason, w.phrase) {
			t.Errorf("%s: %s: reason %q does not say %q", what, gotKeys[i], got[i].Reason, w.phrase)
		}
	}
	if rep.Survives() != (len(want) == 0) {
		t.Errorf("%s: Survives() = %v with %d single points of failure", what, rep.Survives(), len(want))
	}
}

// TestProdSurvivesAnyAZLoss is the AZ-loss proof for production: whichever of its three AZs is
// lost, every serving tier still serves.
func TestProdSurvivesAnyAZLoss(t *testing.T) {
	rep := analyze(t, "prod")
	if len(rep.AZs) != 3 {
		t.Fatalf("prod: AZs %q, want 3", rep.AZs)
	}
	if got := rep.Tiers(); !slices.Equal(got, append(slices.Clone(servingTiers), resilience.Bastion)) {
		t.Fatalf("prod: tiers %q, want %q and the bastion", got, servingTiers)
	}
	for _, l := range rep.Losses {
		for _, tier := range servingTiers {
			v, ok := l.Verdict(tier)
			if !ok || v.Status != resilience.Serves {
				t.Errorf("prod without %s: %s %s: %s", l.AZ, tier, v.Status, v.Reason)
			}
		}
	}
	if !rep.Survives() {
		t.Errorf("prod does not survive the loss of an AZ:\n%s", rep.Text())
	}
	// The proof rests on these; a reason that no longer says them means the shape changed.
	for _, c := range []struct {
		tier   resilience.Tier
		az     int
		phrase string
	}{
		{resilience.LiveFleet, 0, "keeps at least 1 of its 2 instances"},
		{resilience.Egress, 0, "each route to the NAT gateway in their own AZ"},
		{resilience.Database, 0, "is Multi-AZ"},
		{resilience.Database, 1, "replica db-replica-1 is in the lost AZ"},
		{resilience.Cache, 0, "automatic failover promotes the replica in " + rep.AZs[1]},
		{resilience.Cache, 1, "keeps its primary in " + rep.AZs[0]},
	} {
		if v, _ := rep.Losses[c.az].Verdict(c.tier); !strings.Contains(v.Reason, c.phrase) {
			t.Errorf("prod without %s: %s: reason %q does not say %q", rep.AZs[c.az], c.tier, v.Reason, c.phrase)
		}
	}
}

// TestStackSinglePointsOfFailure lists the documented single points of failure of the stacks
// that do not survive every AZ loss.
func TestStackSinglePointsOfFailure(t *testing.T) {
	for _, c := range []struct {
		stack string
		azs   int
		want  []spof
	}{
		{"dev", 2, []spof{
			{resilience.LiveFleet, 0, resilience.Down, "its only instance may be in the lost AZ"},
			{resilience.LiveFleet, 1, resilience.Down, "until Auto Scaling launches a replacement"},
			{resilience.Egress, 0, resilience.Down, "routes 0.0.0.0/0 to the NAT gateway in the lost AZ"},
			{resilience.Database, 0, resilience.Degraded, "reads continue on replica db-replica-1"},
			{resilience.Cache, 0, resilience.Down, "a single node in the lost AZ"},
		}},
		{"test", 2, []spof{
			{resilience.Egress, 0, resilience.Down, "routes 0.0.0.0/0 to the NAT gateway in the lost AZ"},
		}},
	} {
		t.Run(c.stack, func(t *testing.T) {
			rep := analyze(t, c.stack)
			if len(rep.AZs) != c.azs {
				t.Fatalf("%s: AZs %q, want %d", c.stack, rep.AZs, c.azs)
			}
			checkSPOFs(t, c.stack, rep, c.want)
		})
	}
}

// TestProdLosesRedundancy varies prod's config so that one tier loses its redundancy, and
// proves the analysis catches each.
func TestProdLosesRedundancy(t *testing.T) {
	prod := load(t, "prod")
	for _, c := range []struct {
		name   string
		mutate func(s map[string]map[string]any)
		want   []spof
	}{
		{"single NAT gateway", func(s map[string]map[string]any) {
			s["network"]["natGateways"] = "single"
		}, []spof{
			{resilience.Egress, 0, resilience.Degraded, "though AWS services stay reachable through the interface endpoints"},
		}},
		{"single NAT gateway, no interface endpoints", func(s map[string]map[string]any) {
			s["network"]["natGateways"] = "single"
			s["network"]["interfaceEndpoints"] = false
		}, []spof{
			{resilience.Egress, 0, resilience.Down, "no egress from there"},
		}},
		{"live color on one instance", func(s map[string]map[string]any) {
			live := s["app"]["activeColor"].(string)
			color := s["app"][live].(map[string]any)
			color["minSize"], color["desiredCapacity"] = 1, 1
			s["app"]["minActiveCapacity"] = 1
		}, []spof{
			{resilience.LiveFleet, 0, resilience.Down, "its only instance may be in the lost AZ (1 instance over 3 AZs"},
			{resilience.LiveFleet, 1, resilience.Down, "until Auto Scaling launches a replacement"},
			{resilience.LiveFleet, 2, resilience.Down, "until Auto Scaling launches a replacement"},
		}},
		{"single-AZ writer", func(s map[string]map[string]any) {
			s["database"]["multiAz"] = false
			s["database"]["exceptions"] = map[string]any{"multiAz": "test: a single-AZ writer"}
		}, []spof{
			{resilience.Database, 0, resilience.Degraded, "writes stop until a replica is promoted by hand"},
		}},
		{"single cache node", func(s map[string]map[string]any) {
			s["cache"]["nodes"] = 1
			s["cache"]["multiAz"] = false
			s["cache"]["exceptions"] = map[string]any{"multiAz": "test: one cache node"}
		}, []spof{
			{resilience.Cache, 0, resilience.Down, "the cache is a single node in the lost AZ"},
		}},
		{"cache without automatic failover", func(s map[string]map[string]any) {
			s["cache"]["multiAz"] = false
			s["cache"]["exceptions"] = map[string]any{"multiAz": "test: manual failover"}
		}, []spof{
			{resilience.Cache, 0, resilience.Degraded, "no automatic failover"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkSPOFs(t, "prod with "+c.name, analyzeFiles(t, vary(t, prod, c.mutate)), c.want)
		})
	}
}
