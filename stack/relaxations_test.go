package stack_test

import (
	"strings"
	"testing"

	"github.com/webstack/webstack/plan"
)

// TestDataRelaxationsReachTheChecks: dev's data-tier relaxations are reported as exceptions
// naming the exact config key, not as the generic nonproduction profile.
func TestDataRelaxationsReachTheChecks(t *testing.T) {
	p, _, err := plan.Run("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"RDS.8":            "webstack:database.deletionProtection",
		"RDS.5":            "webstack:database.multiAz",
		"ElastiCache.3":    "webstack:cache.multiAz",
		"webstack/protect": "webstack:",
	}
	for _, c := range p.Checks {
		if key, ok := want[c.ID]; ok {
			if !strings.HasPrefix(c.Exception, key) {
				t.Errorf("%s on %s: exception %q, want the key %s", c.ID, c.Resource, c.Exception, key)
			}
			delete(want, c.ID)
		}
	}
	for id := range want {
		t.Errorf("dev reports no %s result", id)
	}
}
