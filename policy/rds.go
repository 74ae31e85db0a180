package policy

import (
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// RDS DB instance checks (rds.Instance; the Aurora-only controls do not apply).
func init() {
	register(rdsAccessChecks()...)
	register(rdsDurabilityChecks()...)
	register(rdsOperationsChecks()...)
}

// rdsAccessChecks judge who can reach a database and how it is encrypted: no public access,
// encryption at rest and of Performance Insights, IAM authentication, no default port or
// administrator name.
func rdsAccessChecks() []*Check {
	return []*Check{
		&Check{
			ID: "RDS.2", Title: "RDS DB instances should prohibit public access",
			Severity: Critical, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isTrue(in(r, "publiclyAccessible")) {
					return bad("%s", field(r, "publiclyAccessible"))
				}
				return ok("%s", field(r, "publiclyAccessible"))
			},
		},
		&Check{
			ID: "RDS.3", Title: "RDS DB instances should be encrypted at rest",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isTrue(in(r, "storageEncrypted")) {
					return ok("%s", field(r, "storageEncrypted"))
				}
				if src := replicaSource(s, r); src != nil && in(r, "storageEncrypted") == nil && isTrue(in(src, "storageEncrypted")) {
					return ok("read replica of encrypted %s", src.Name)
				}
				return bad("%s, want true", field(r, "storageEncrypted"))
			},
		},
		&Check{
			ID: "RDS.10", Title: "RDS DB instances should have IAM authentication configured",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "iamDatabaseAuthenticationEnabled")) {
					return bad("%s, want true", field(r, "iamDatabaseAuthenticationEnabled"))
				}
				return ok("%s", field(r, "iamDatabaseAuthenticationEnabled"))
			},
		},
		&Check{
			ID: "RDS.23", Title: "RDS DB instances should not use the engine's default port",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				def, known := defaultPorts[engine(s, r)]
				if !known {
					return skip("engine %s", show(engine(s, r)))
				}
				if n, set := num(in(r, "port")); !set || int(n) == def {
					return bad("%s; the %s default is %d", field(r, "port"), engine(s, r), def)
				}
				return ok("%s", field(r, "port"))
			},
		},
		&Check{
			ID: "RDS.25", Title: "RDS DB instances should use a custom administrator username",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: primaryOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				u := str(in(r, "username"))
				if u == "" || u == "admin" || u == "postgres" || u == "root" {
					return bad("%s; use a name that is not the engine's default", field(r, "username"))
				}
				return ok("username is custom")
			}),
		},
		&Check{
			ID: "webstack/performance-insights-cmk", Title: "RDS Performance Insights should be encrypted with a customer-managed KMS key",
			Severity: Low, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "performanceInsightsEnabled")) {
					return skip("Performance Insights is off")
				}
				ref := in(r, "performanceInsightsKmsKeyId")
				if key := s.Ref(ref, contract.TypeKMSKey); key != nil {
					return ok("performanceInsightsKmsKeyId is key %s", key.Name)
				}
				return bad("performanceInsightsKmsKeyId is %s, not a KMS key of this stack: the data is encrypted with the account's aws/rds key (checkov CKV_AWS_354)", show(ref))
			},
		},
	}
}

// rdsDurabilityChecks judge what keeps a database's data through a failure or a deletion:
// Multi-AZ, deletion protection, backups, a final snapshot and a replica in another AZ.
func rdsDurabilityChecks() []*Check {
	return []*Check{
		&Check{
			ID: "RDS.5", Title: "RDS DB instances should be configured with multiple availability zones",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: primaryOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "multiAz")) {
					return bad("%s, want true", field(r, "multiAz"))
				}
				return ok("%s", field(r, "multiAz"))
			}),
		},
		&Check{
			ID: "RDS.8", Title: "RDS DB instances should have deletion protection",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "deletionProtection")) {
					return bad("%s, want true", field(r, "deletionProtection"))
				}
				return ok("%s", field(r, "deletionProtection"))
			},
		},
		&Check{
			ID: "RDS.11", Title: "RDS DB instances should keep automatic backups for at least 7 days",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: primaryOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				if n, _ := num(in(r, "backupRetentionPeriod")); n < 7 {
					return bad("%s (not set means 0: no backups), want 7 to 35", field(r, "backupRetentionPeriod"))
				}
				return ok("%s", field(r, "backupRetentionPeriod"))
			}),
		},
		&Check{
			ID: "REL09-BP03/final-snapshot", Title: "Primary DB instances should take a final snapshot on deletion",
			Severity: Medium, Scope: ProductionOnly, Standard: WellArchitected, Types: []string{contract.TypeRDSInstance},
			Eval: primaryOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				if isTrue(in(r, "skipFinalSnapshot")) || str(in(r, "finalSnapshotIdentifier")) == "" {
					return bad("skipFinalSnapshot is %s and finalSnapshotIdentifier is %s; want false and a name", show(in(r, "skipFinalSnapshot")), show(in(r, "finalSnapshotIdentifier")))
				}
				if isTrue(in(r, "deleteAutomatedBackups")) {
					return bad("%s, want false", field(r, "deleteAutomatedBackups"))
				}
				return ok("final snapshot %s", show(in(r, "finalSnapshotIdentifier")))
			}),
		},
		&Check{
			ID: "REL10-BP01/replica", Title: "Primary DB instances should have a read replica in another availability zone",
			Severity: Medium, Scope: ProductionOnly, Standard: WellArchitected, Types: []string{contract.TypeRDSInstance},
			Eval: primaryOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				var replicas []string
				for _, rep := range s.ByType(contract.TypeRDSInstance) {
					if replicaSource(s, rep) != r {
						continue
					}
					a, b := str(in(r, "availabilityZone")), str(in(rep, "availabilityZone"))
					if a != "" && a == b {
						replicas = append(replicas, rep.Name+" in "+b)
						continue
					}
					return ok("read replica %s (availabilityZone %s)", rep.Name, show(in(rep, "availabilityZone")))
				}
				if len(replicas) > 0 {
					return bad("every read replica is in the primary's availability zone %s: %s", show(in(r, "availabilityZone")), strings.Join(replicas, ", "))
				}
				return bad("no %s has replicateSourceDb naming this instance", contract.TypeRDSInstance)
			}),
		},
	}
}

// rdsOperationsChecks judge what operating a database needs: enhanced monitoring, logs in
// CloudWatch Logs, minor version upgrades, tags on snapshots, a VPC subnet group.
func rdsOperationsChecks() []*Check {
	return []*Check{
		&Check{
			ID: "RDS.6", Title: "RDS DB instances should have enhanced monitoring",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				n, _ := num(in(r, "monitoringInterval"))
				if n <= 0 || in(r, "monitoringRoleArn") == nil {
					return bad("monitoringInterval is %s and monitoringRoleArn is %s; want an interval > 0 with a role", show(in(r, "monitoringInterval")), show(in(r, "monitoringRoleArn")))
				}
				return ok("%s", field(r, "monitoringInterval"))
			},
		},
		&Check{
			ID: "RDS.9", Title: "RDS DB instances should publish their logs to CloudWatch Logs",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				want, known := rdsLogTypes[engine(s, r)]
				if !known {
					return skip("engine %s", show(engine(s, r)))
				}
				have := strs(in(r, "enabledCloudwatchLogsExports"))
				var missing []string
				for _, w := range want {
					if !contains(have, w) {
						missing = append(missing, w)
					}
				}
				if len(missing) > 0 {
					return bad("%s, missing %s", field(r, "enabledCloudwatchLogsExports"), show(missing))
				}
				return ok("%s", field(r, "enabledCloudwatchLogsExports"))
			},
		},
		&Check{
			ID: "RDS.13", Title: "RDS automatic minor version upgrades should be enabled",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isFalse(in(r, "autoMinorVersionUpgrade")) {
					return bad("%s, want true", field(r, "autoMinorVersionUpgrade"))
				}
				return ok("%s (the default is true)", field(r, "autoMinorVersionUpgrade"))
			},
		},
		&Check{
			ID: "RDS.17", Title: "RDS DB instances should copy tags to snapshots",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "copyTagsToSnapshot")) {
					return bad("%s, want true", field(r, "copyTagsToSnapshot"))
				}
				return ok("%s", field(r, "copyTagsToSnapshot"))
			},
		},
		&Check{
			ID: "RDS.18", Title: "RDS DB instances should be deployed in a VPC subnet group",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeRDSInstance},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "dbSubnetGroupName")) == "" {
					if replicaSource(s, r) != nil {
						return ok("read replica in its source's subnet group")
					}
					return bad("%s; the instance would land in the default VPC", field(r, "dbSubnetGroupName"))
				}
				return ok("%s", field(r, "dbSubnetGroupName"))
			},
		},
	}
}

// rdsLogTypes are the log exports RDS.9 requires per engine.
var rdsLogTypes = map[string][]string{
	"mysql":    {"audit", "error", "general", "slowquery"},
	"mariadb":  {"audit", "error", "general", "slowquery"},
	"postgres": {"postgresql"},
}

// defaultPorts are the engines' default ports (RDS.23).
var defaultPorts = map[string]int{"mysql": 3306, "mariadb": 3306, "postgres": 5432}

// replicaSource returns the instance a read replica replicates, or nil for a primary.
func replicaSource(s *Stack, r *mockaws.Resource) *mockaws.Resource {
	return s.Ref(in(r, "replicateSourceDb"), contract.TypeRDSInstance)
}

// isReplica reports whether an instance is a read replica.
func isReplica(r *mockaws.Resource) bool { return in(r, "replicateSourceDb") != nil }

// engine returns an instance's engine; a replica's is its source's.
func engine(s *Stack, r *mockaws.Resource) string {
	if e := str(in(r, "engine")); e != "" {
		return e
	}
	if src := replicaSource(s, r); src != nil {
		return str(in(src, "engine"))
	}
	return ""
}

// primaryOnly limits a check to instances that are not read replicas.
func primaryOnly(eval func(*Stack, *mockaws.Resource) Verdict) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		if isReplica(r) {
			return skip("read replica")
		}
		return eval(s, r)
	}
}
