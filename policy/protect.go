package policy

import (
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Pulumi resource options on stateful resources.
func init() {
	register(
		&Check{
			ID: "webstack/protect", Title: "Stateful resources (databases, caches, buckets) should be protected from deletion by Pulumi",
			Severity: Medium, Scope: ProductionOnly, Standard: Webstack,
			Types: []string{contract.TypeRDSInstance, contract.TypeElastiCacheReplicationGroup, contract.TypeS3BucketV2, contract.TypeS3Bucket},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !r.Protect && !r.RetainOnDelete {
					return bad("resource options protect and retainOnDelete are both false: `pulumi destroy` or a replacement deletes its data")
				}
				if r.Protect {
					return ok("protect is true")
				}
				return ok("retainOnDelete is true")
			},
		},
	)
}
