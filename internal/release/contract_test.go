package release_test

import (
	"testing"
	"time"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/release"
)

// The release tool shares the program's names through package contract. What is left here is
// what the compute tier declares itself: the release-check header its listener rule matches,
// and how long `up` waits for a color's capacity, which the tool's time budget counts.
func TestReleaseToolAgreesWithTheProgram(t *testing.T) {
	if contract.ReleaseCheckHeader != compute.ReleaseCheckHeader {
		t.Errorf("ReleaseCheckHeader %q, the compute tier's %q", contract.ReleaseCheckHeader, compute.ReleaseCheckHeader)
	}
	if d, err := time.ParseDuration(compute.CapacityTimeout); err != nil || d != release.CapacityWait {
		t.Errorf("CapacityWait %s, the fleets' waitForCapacityTimeout %q", release.CapacityWait, compute.CapacityTimeout)
	}
}
