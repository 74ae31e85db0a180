package policy_test

import (
	"testing"

	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/policy"
)

// TestRealStacks runs every check on the real stack files: prod must pass every applicable
// check with no exception; dev and test may show exceptions (each naming the config key that
// relaxed the control) but no failure.
func TestRealStacks(t *testing.T) {
	for _, tt := range []struct {
		stack         string
		allowExcepted bool
	}{{"prod", false}, {"dev", true}, {"test", true}} {
		t.Run(tt.stack, func(t *testing.T) {
			p, _, err := plan.Run("..", tt.stack)
			if err != nil {
				t.Fatalf("plan.Run(%q): %v", tt.stack, err)
			}
			if len(p.Checks) == 0 {
				t.Fatalf("%s: no check judged anything", tt.stack)
			}
			for _, c := range p.Checks {
				switch {
				case c.Passed && c.Exception == "":
				case !c.Passed && c.Exception != "" && tt.allowExcepted:
					t.Logf("%s: exception %s: %s", tt.stack, c.ID, c.Message)
				case !c.Passed && c.Exception != "":
					t.Errorf("%s: check %s is excepted by %s: %s", tt.stack, c.ID, c.Exception, c.Message)
				default:
					t.Errorf("%s: check %s failed: %s", tt.stack, c.ID, c.Message)
				}
				if policy.Lookup(c.ID) == nil {
					t.Errorf("%s: result for unknown check %q", tt.stack, c.ID)
				}
			}
			judged := map[string]bool{}
			for _, c := range p.Checks {
				judged[c.ID] = true
			}
			for _, id := range p.ChecksNotApplicable {
				if judged[id] {
					t.Errorf("%s: %s is listed not applicable but has results", tt.stack, id)
				}
			}
			if len(judged)+len(p.ChecksNotApplicable) != len(policy.Checks()) {
				t.Errorf("%s: %d checks judged + %d not applicable != %d checks", tt.stack, len(judged), len(p.ChecksNotApplicable), len(policy.Checks()))
			}
		})
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
