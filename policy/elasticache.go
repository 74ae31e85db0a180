package policy

import (
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// ElastiCache (Redis/Valkey replication group) checks.
func init() {
	register(elastiCacheDurabilityChecks()...)
	register(elastiCacheAccessChecks()...)
}

// elastiCacheDurabilityChecks judge how a replication group survives: backups, minor version
// upgrades, and automatic Multi-AZ failover.
func elastiCacheDurabilityChecks() []*Check {
	return []*Check{
		&Check{
			ID: "ElastiCache.1", Title: "ElastiCache replication groups should keep automatic backups",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if n, _ := num(in(r, "snapshotRetentionLimit")); n < 1 {
					return bad("%s (not set means 0: no backups), want at least 1", field(r, "snapshotRetentionLimit"))
				}
				return ok("%s", field(r, "snapshotRetentionLimit"))
			},
		},
		&Check{
			ID: "ElastiCache.2", Title: "ElastiCache should apply minor version upgrades automatically",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isFalse(in(r, "autoMinorVersionUpgrade")) {
					return bad("%s, want true", field(r, "autoMinorVersionUpgrade"))
				}
				return ok("%s (the default is true)", field(r, "autoMinorVersionUpgrade"))
			},
		},
		&Check{
			ID: "ElastiCache.3", Title: "ElastiCache replication groups should fail over automatically across AZs",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "automaticFailoverEnabled")) {
					return bad("%s, want true (with multiAzEnabled and at least 2 cache clusters)", field(r, "automaticFailoverEnabled"))
				}
				if !isTrue(in(r, "multiAzEnabled")) {
					return bad("%s, want true", field(r, "multiAzEnabled"))
				}
				n, _ := num(in(r, "numCacheClusters"))
				rep, _ := num(in(r, "replicasPerNodeGroup"))
				if n < 2 && rep < 1 {
					return bad("numCacheClusters is %s and replicasPerNodeGroup is %s; failover needs a replica", show(in(r, "numCacheClusters")), show(in(r, "replicasPerNodeGroup")))
				}
				return ok("automatic Multi-AZ failover")
			},
		},
	}
}

// elastiCacheAccessChecks judge who can read the cache and how: encryption at rest and in transit,
// client authentication, and the stack's own subnet group.
func elastiCacheAccessChecks() []*Check {
	return []*Check{
		&Check{
			ID: "ElastiCache.4", Title: "ElastiCache replication groups should be encrypted at rest",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				v := in(r, "atRestEncryptionEnabled")
				if isTrue(v) || (v == nil && str(in(r, "engine")) == "valkey") {
					return ok("%s", field(r, "atRestEncryptionEnabled"))
				}
				return bad("%s, want true (the redis default is false)", field(r, "atRestEncryptionEnabled"))
			},
		},
		&Check{
			ID: "ElastiCache.5", Title: "ElastiCache replication groups should be encrypted in transit",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "transitEncryptionEnabled")) {
					return bad("%s, want true", field(r, "transitEncryptionEnabled"))
				}
				if m := str(in(r, "transitEncryptionMode")); m == "preferred" {
					return bad("%s: clients may still connect in clear text; want \"required\"", field(r, "transitEncryptionMode"))
				}
				return ok("%s", field(r, "transitEncryptionEnabled"))
			},
		},
		&Check{
			ID: "ElastiCache.6", Title: "ElastiCache replication groups should require authentication (AUTH token or RBAC)",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if in(r, "authToken") == nil && len(list(in(r, "userGroupIds"))) == 0 {
					return bad("authToken is not set and userGroupIds is %s: any client in the security group can connect", show(in(r, "userGroupIds")))
				}
				return ok("clients must authenticate")
			},
		},
		&Check{
			ID: "ElastiCache.7", Title: "ElastiCache should not use the default subnet group",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeElastiCacheReplicationGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if n := str(in(r, "subnetGroupName")); n == "" || n == "default" {
					return bad("%s, want the stack's own subnet group in the data subnets", field(r, "subnetGroupName"))
				}
				return ok("%s", field(r, "subnetGroupName"))
			},
		},
	}
}
