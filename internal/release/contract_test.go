package release_test

import (
	"testing"
	"time"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/internal/release"
	"github.com/webstack/webstack/stack"
)

// The release tool does not import the program (it would build every pulumi-aws package into
// cmd/deploy), so it repeats a few of its names and numbers; this holds them equal.
func TestReleaseToolAgreesWithTheProgram(t *testing.T) {
	if release.EnvReleaseTool != stack.EnvReleaseTool {
		t.Errorf("EnvReleaseTool %q, the program's %q", release.EnvReleaseTool, stack.EnvReleaseTool)
	}
	if release.ReleaseCheckHeader != compute.ReleaseCheckHeader {
		t.Errorf("ReleaseCheckHeader %q, the program's %q", release.ReleaseCheckHeader, compute.ReleaseCheckHeader)
	}
	if d, err := time.ParseDuration(compute.CapacityTimeout); err != nil || d != release.CapacityWait {
		t.Errorf("CapacityWait %s, the fleets' waitForCapacityTimeout %q", release.CapacityWait, compute.CapacityTimeout)
	}
	for mine, theirs := range map[string]string{
		release.OutActiveColor: stack.OutActiveColor, release.OutIdleColor: stack.OutIdleColor,
		release.OutCanaryWeight: stack.OutCanaryWeight, release.OutBlueVersion: stack.OutBlueVersion,
		release.OutGreenVersion: stack.OutGreenVersion, release.OutBlueCapacity: stack.OutBlueCapacity,
		release.OutGreenCapacity: stack.OutGreenCapacity, release.OutTestURL: stack.OutTestURL,
		release.OutSiteURL: stack.OutSiteURL, release.OutAPIURL: stack.OutAPIURL,
		release.OutReleaseCheckURL: stack.OutReleaseCheckURL, release.OutReleaseCheckParameter: stack.OutReleaseCheckParameter,
		release.OutAlarmNamePrefix: stack.OutAlarmNamePrefix, release.OutBlueAsgName: stack.OutBlueASGName,
		release.OutGreenAsgName: stack.OutGreenASGName,
	} {
		if mine != theirs {
			t.Errorf("output %q, the program's %q", mine, theirs)
		}
	}
}
