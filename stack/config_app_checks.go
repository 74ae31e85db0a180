package stack

import "github.com/webstack/webstack/contract"

// relaxations lists the controls webstack:app deliberately relaxes, each scoped to the
// resources the key governs.
func (a *AppConfig) relaxations() []contract.Relaxation {
	key := Namespace + ":app."
	var out []contract.Relaxation
	if !a.AccessLogs {
		out = append(out, contract.Relaxation{Check: "ELB.5", Type: contract.TypeLBLoadBalancer, Name: contract.ALBLoadBalancer, Key: key + "accessLogs"})
	}
	if !a.DeletionProtection {
		// The ALB can be deleted. Its access logs are another key's business.
		out = append(out, contract.Relaxation{Check: "ELB.6", Type: contract.TypeLBLoadBalancer, Name: contract.ALBLoadBalancer, Key: key + "deletionProtection"})
	}
	if !a.RetainAccessLogs {
		// The access log bucket (when there is one) and its logs go with the stack.
		out = append(out, contract.Relaxation{Check: "webstack/protect", Type: contract.TypeS3BucketV2, Name: contract.ALBLogBucket, Key: key + "retainAccessLogs"})
	}
	return out
}
