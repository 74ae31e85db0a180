package stack_test

import (
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/plan"
)

// TestContractNamesAreRegistered: every child name package contract gives (which the config's
// relaxations scope a control to) is a resource of that type in one of the stacks, so a tier
// that renames the child fails here instead of silently un-relaxing a control.
func TestContractNamesAreRegistered(t *testing.T) {
	want := map[string]string{
		contract.EdgeDistribution:      contract.TypeCloudFrontDistribution,
		contract.EdgeSiteBucket:        contract.TypeS3BucketV2,
		contract.EdgeLogBucket:         contract.TypeS3BucketV2,
		contract.EdgeAccessLogBucket:   contract.TypeS3BucketV2,
		contract.ALBLoadBalancer:       contract.TypeLBLoadBalancer,
		contract.ALBProductionListener: contract.TypeLBListener,
		contract.ALBTestListener:       contract.TypeLBListener,
		contract.ALBLogBucket:          contract.TypeS3BucketV2,
		contract.AppLogGroup:           contract.TypeCloudWatchLogGroup,
		contract.AlertTopic:            contract.TypeSNSTopic,
		contract.FlowLogGroup:          contract.TypeCloudWatchLogGroup,
		contract.BastionInstance:       contract.TypeEC2Instance,
		contract.CacheAuthSecret:       contract.TypeSecretsManagerSecret,
	}
	found := map[string]bool{}
	for _, s := range []string{"dev", "test", "prod"} {
		p, _, err := plan.Run("..", s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Resources {
			if want[r.Name] == r.Type {
				found[r.Name] = true
			}
		}
	}
	for name, typ := range want {
		if !found[name] {
			t.Errorf("no stack registers %s %q", typ, name)
		}
	}
}
