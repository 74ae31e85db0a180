package policy

import "github.com/webstack/webstack/contract"

// The lb and alb modules register the same AWS resources under two tokens (package contract
// has both); the checks accept both. So do the legacy and V2 bucket types.
var (
	loadBalancerTypes = []string{contract.TypeLBLoadBalancer, contract.TypeALBLoadBalancer}
	listenerTypes     = []string{contract.TypeLBListener, contract.TypeALBListener}
	targetGroupTypes  = []string{contract.TypeLBTargetGroup, contract.TypeALBTargetGroup}
	bucketTypes       = []string{contract.TypeS3BucketV2, contract.TypeS3Bucket}
)
