package mockaws

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/webstack/webstack/contract"
)

// Resource types of the data tier's rules.
const (
	typeDBInstance       = contract.TypeRDSInstance
	typeDBParameterGroup = contract.TypeRDSParameterGroup
	typeDBOptionGroup    = contract.TypeRDSOptionGroup
	typeReplicationGroup = contract.TypeElastiCacheReplicationGroup
	typeSecret           = contract.TypeSecretsManagerSecret
	typeSecretRotation   = contract.TypeSecretsManagerSecretRotation
	typeSARStack         = contract.TypeServerlessRepositoryCloudFormationStack
	typeEventRule        = contract.TypeCloudWatchEventRule
	typeEventTarget      = contract.TypeCloudWatchEventTarget
)

// Operations and API actions as the provider names them in its errors.
const (
	opCreateDB      = "creating RDS DB Instance"
	opCreateReplica = "creating RDS DB Instance (read replica)"
	apiCreateDB     = "RDS: CreateDBInstance"
	apiCreateRepl   = "RDS: CreateDBInstanceReadReplica"
	opCreateRG      = "creating ElastiCache Replication Group"
	apiCreateRG     = "ElastiCache: CreateReplicationGroup"
)

// mysqlEndOfStandardSupport maps the MySQL majors past their end of RDS standard support to
// that date (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html).
var mysqlEndOfStandardSupport = map[string]string{"5.7": "2024-02-29", "8.0": "2026-07-31"}

// mysql84RemovedParameters are server variables MySQL 8.4 removed (MySQL 8.4 Reference Manual,
// "What Is New in MySQL 8.4 since MySQL 8.0", Features Removed): the mysql8.4 parameter group
// family has no such parameter.
var mysql84RemovedParameters = []string{
	"default_authentication_plugin", "expire_logs_days", "master_info_repository", "relay_log_info_repository",
	"binlog_transaction_dependency_tracking", "avoid_temporal_upgrade", "show_old_temporals", "log_bin_use_v1_row_events",
}

// authTokenChars are the characters ElastiCache accepts in an AUTH token.
var authTokenChars = regexp.MustCompile(`^[A-Za-z0-9!&#$^<>-]*$`)

var (
	lowerIdentifier = regexp.MustCompile(`^[0-9a-z-]+$`)
	anyCaseIdent    = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	cfnStackName    = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9]*$`)
	lambdaName      = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	eventRuleName   = regexp.MustCompile(`^[0-9A-Za-z_.-]+$`)
	versionPrefix   = regexp.MustCompile(`^([0-9]+)\.([0-9]+)(?:\.([0-9]+))?`)
)

// identifierErrors are the provider's validation errors for an RDS or ElastiCache identifier
// (validIdentifier / validReplicationGroupID in terraform-provider-aws internal/service/rds and
// internal/service/elasticache).
func identifierErrors(key, value string, lowerOnly bool) []string {
	var out []string
	if lowerOnly && !lowerIdentifier.MatchString(value) {
		out = append(out, fmt.Sprintf("only lowercase alphanumeric characters and hyphens allowed in %q", key))
	}
	if !lowerOnly && !anyCaseIdent.MatchString(value) {
		out = append(out, fmt.Sprintf("only alphanumeric characters and hyphens allowed in %q", key))
	}
	if value == "" || !(value[0] >= 'a' && value[0] <= 'z' || !lowerOnly && value[0] >= 'A' && value[0] <= 'Z') {
		out = append(out, fmt.Sprintf("first character of %q must be a letter", key))
	}
	if strings.Contains(value, "--") {
		out = append(out, fmt.Sprintf("%q cannot contain two consecutive hyphens", key))
	}
	if strings.HasSuffix(value, "-") {
		out = append(out, fmt.Sprintf("%q cannot end with a hyphen", key))
	}
	return out
}

// replicaSource returns the registered instance a read replica replicates, or nil.
func (e *Engine) replicaSource(r *Resource) *Resource {
	ref := r.inStr("replicateSourceDb")
	if ref == "" {
		return nil
	}
	if i := strings.LastIndex(ref, ":db:"); i >= 0 {
		ref = ref[i+len(":db:"):] // an ARN names the source too
	}
	return e.byRef(typeDBInstance, ref)
}

// dbEngineVersion returns an instance's engine and version; a replica's are its source's.
func (e *Engine) dbEngineVersion(r *Resource) (engine, version string) {
	if src := e.replicaSource(r); src != nil {
		return src.inStr("engine"), src.inStr("engineVersion")
	}
	return r.inStr("engine"), r.inStr("engineVersion")
}

// majorOf returns "8.4" of "8.4.5" (and of "8.4").
func majorOf(version string) string {
	m := versionPrefix.FindStringSubmatch(version)
	if m == nil {
		return version
	}
	return m[1] + "." + m[2]
}

// window is a span of minutes of the week (0 = Monday 00:00), possibly wrapping.
type window struct{ start, length int }

var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func clock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// dailyWindow parses "hh:mm-hh:mm".
func dailyWindow(s string) (window, bool) {
	a, b, ok := strings.Cut(s, "-")
	x, ok1 := clock(a)
	y, ok2 := clock(b)
	if !ok || !ok1 || !ok2 {
		return window{}, false
	}
	return window{x, (y - x + 1440) % 1440}, true
}

// weeklyWindow parses "ddd:hh:mm-ddd:hh:mm".
func weeklyWindow(s string) (window, bool) {
	a, b, ok := strings.Cut(strings.ToLower(s), "-")
	if !ok || len(a) < 4 || len(b) < 4 {
		return window{}, false
	}
	da, db := slices.Index(weekdays, a[:3]), slices.Index(weekdays, b[:3])
	x, ok1 := clock(a[4:])
	y, ok2 := clock(b[4:])
	if da < 0 || db < 0 || !ok1 || !ok2 {
		return window{}, false
	}
	start, end := da*1440+x, db*1440+y
	return window{start, (end - start + 7*1440) % (7 * 1440)}, true
}

// overlaps reports whether a daily window, on any day, overlaps a weekly one.
func (d window) overlaps(w window) bool {
	const week = 7 * 1440
	for day := 0; day < 7; day++ {
		s := day*1440 + d.start
		for _, ws := range []int{w.start, w.start - week, w.start + week} {
			if s < ws+w.length && ws < s+d.length {
				return true
			}
		}
	}
	return false
}

// dataRules are the AWS rules of the data tier's resource types (see Rule).
var dataRules = []Rule{
	// rds/replica-of-managed-password: RDS refuses a MySQL read replica of a source whose master
	// password RDS manages in Secrets Manager: `InvalidParameterValue: Creating read replicas
	// for source instance with engine mysql where ManageMasterUserPassword is enabled is not
	// supported`. Source: RDS User Guide, "Limitations for Secrets Manager integration with
	// Amazon RDS"; terraform-aws-modules/terraform-aws-rds#512 and #532.
	{
		ID:     "rds/replica-of-managed-password",
		Type:   typeDBInstance,
		Source: "https://github.com/terraform-aws-modules/terraform-aws-rds/issues/512",
		Create: func(e *Engine, r *Resource) error {
			src := e.replicaSource(r)
			if src != nil && src.inBool("manageMasterUserPassword") && src.inStr("engine") == "mysql" {
				return apiErr(opCreateReplica, apiCreateRepl, "InvalidParameterValue",
					"Creating read replicas for source instance with engine mysql where ManageMasterUserPassword is enabled is not supported")
			}
			return nil
		},
	},
	// rds/multi-az-with-availability-zone: a Multi-AZ instance may not name its AZ:
	// `InvalidParameterCombination: Requesting a specific availability zone is not valid for
	// Multi-AZ instances.` Source: hashicorp/terraform-provider-aws#39225.
	{
		ID:     "rds/multi-az-with-availability-zone",
		Type:   typeDBInstance,
		Source: "https://github.com/hashicorp/terraform-provider-aws/issues/39225",
		Create: func(e *Engine, r *Resource) error {
			if r.inBool("multiAz") && r.has("availabilityZone") {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination", "Requesting a specific availability zone is not valid for Multi-AZ instances.")
			}
			return nil
		},
	},
	// rds/replica-credentials: a read replica takes its master user, password and database from
	// its source; CreateDBInstanceReadReplica has no such parameters. The provider sends none
	// of them at creation and then diffs what the replica reports against the config: a
	// username or database name the source does not have replaces the replica on every `up`
	// (both force a new instance), and a password is sent to the replica afterwards with
	// ModifyDBInstance. The SDK documents each as "Cannot be specified for a replica".
	// Source: pulumi-aws rds.InstanceArgs (Username, DbName; ReplicateSourceDb) and the
	// provider's replica branch of resourceInstanceCreate (terraform-provider-aws
	// internal/service/rds/instance.go).
	{
		ID:     "rds/replica-credentials",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstanceReadReplica.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("replicateSourceDb") {
				return nil
			}
			for _, k := range []string{"username", "dbName", "password", "manageMasterUserPassword"} {
				if r.has(k) {
					return providerErr("%s: Cannot be specified for a replica (replicate_source_db is set): a read replica takes the master user, password and database from its source", k)
				}
			}
			return nil
		},
	},
	// rds/replica-source-backups: a source DB instance needs automated backups:
	// `InvalidDBInstanceState: Automated backups are not enabled for this database instance.
	// To enable automated backups, use ModifyDBInstance to set the backup retention period to a
	// non-zero value.` Source: RDS User Guide, "Working with DB instance read replicas" ("you
	// must enable automatic backups on the source DB instance").
	{
		ID:     "rds/replica-source-backups",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html",
		Create: func(e *Engine, r *Resource) error {
			if src := e.replicaSource(r); src != nil {
				if n, _ := src.inNum("backupRetentionPeriod"); n < 1 {
					return apiErr(opCreateReplica, apiCreateRepl, "InvalidDBInstanceState",
						"Automated backups are not enabled for this database instance. To enable automated backups, use ModifyDBInstance to set the backup retention period to a non-zero value.")
				}
			}
			return nil
		},
	},
	// rds/parameter-group-family: an instance's DB parameter group must be of its engine's
	// family ("mysql8.4" for MySQL 8.4): `InvalidParameterCombination: The Parameter Group <name>
	// with DBParameterGroupFamily mysql8.0 cannot be used for this instance. Please use a
	// Parameter Group with DBParameterGroupFamily mysql8.4`. A replica runs its source's
	// version. Source: RDS User Guide, "Parameter groups for Amazon RDS" (a DB parameter group
	// family applies to one engine and major version).
	{
		ID:     "rds/parameter-group-family",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html",
		Create: func(e *Engine, r *Resource) error {
			pg := e.byRef(typeDBParameterGroup, r.inStr("parameterGroupName"))
			engine, version := e.dbEngineVersion(r)
			if pg == nil || engine != "mysql" || version == "" {
				return nil
			}
			if want, got := "mysql"+majorOf(version), pg.inStr("family"); got != want {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination",
					"The Parameter Group %s with DBParameterGroupFamily %s cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily %s", str(pg.State, "name"), got, want)
			}
			return nil
		},
	},
	// rds/option-group-version: an option group is created for one engine and major version and
	// serves only instances of that major version: CreateDBInstance answers
	// InvalidParameterCombination. AWS's exact message is not quoted in a public source we
	// found; the one below names the mismatch. Source: RDS User Guide, "Working with option
	// groups" ("each option group is specific to a DB engine and major version").
	{
		ID:     "rds/option-group-version",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithOptionGroups.html",
		Create: func(e *Engine, r *Resource) error {
			og := e.byRef(typeDBOptionGroup, r.inStr("optionGroupName"))
			engine, version := e.dbEngineVersion(r)
			if og == nil || version == "" {
				return nil
			}
			if og.inStr("engineName") != engine || og.inStr("majorEngineVersion") != majorOf(version) {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination",
					"The option group %s is for %s %s and cannot be used with %s %s", str(og.State, "name"), og.inStr("engineName"), og.inStr("majorEngineVersion"), engine, version)
			}
			return nil
		},
	},
	// rds/monitoring-interval-values: the enhanced monitoring interval is one of 0, 1, 5, 10, 15,
	// 30, 60; the provider refuses others: `expected monitoring_interval to be one of [0 1 5 10
	// 15 30 60], got 20`. Source: CreateDBInstance API reference (MonitoringInterval, "Valid
	// Values").
	{
		ID:     "rds/monitoring-interval-values",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			allowed := []int{0, 1, 5, 10, 15, 30, 60}
			if n, ok := r.inNum("monitoringInterval"); ok && !slices.Contains(allowed, int(n)) {
				return providerErr("expected monitoring_interval to be one of %s, got %d", quotedList(allowed), int(n))
			}
			return nil
		},
	},
	// rds/monitoring-role: an interval other than 0 needs the role RDS publishes with:
	// `InvalidParameterCombination: A MonitoringRoleARN value is required if you specify a
	// MonitoringInterval value other than 0.` Source: CreateDBInstance API reference
	// (MonitoringRoleArn).
	{
		ID:     "rds/monitoring-role",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			if n, _ := r.inNum("monitoringInterval"); n > 0 && !r.has("monitoringRoleArn") {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination", "A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0.")
			}
			return nil
		},
	},
	// rds/performance-insights-class: Performance Insights is not offered on the burstable
	// micro and small classes: `InvalidParameterCombination: Performance Insights not supported
	// for this configuration.` Source: RDS User Guide, "Amazon RDS DB engine, Region, and
	// instance class support for Performance Insights".
	{
		ID:     "rds/performance-insights-class",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Overview.Engines.html",
		Create: func(e *Engine, r *Resource) error {
			class := r.inStr("instanceClass")
			if r.inBool("performanceInsightsEnabled") && (strings.HasSuffix(class, ".micro") || strings.HasSuffix(class, ".small")) && strings.HasPrefix(class, "db.t") {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination", "Performance Insights not supported for this configuration.")
			}
			return nil
		},
	},
	// rds/storage: gp3 storage for MySQL is 20 to 65536 GiB (`InvalidParameterValue: Invalid
	// storage size for engine name mysql and storage type gp3: 10`), and a storage autoscaling
	// ceiling must lie above it (`InvalidParameterCombination: Max storage size must be greater
	// than storage size`). A replica's storage comes from its source. Source: RDS User Guide,
	// "Amazon RDS DB instance storage" and "Managing capacity automatically with Amazon RDS
	// storage autoscaling".
	{
		ID:     "rds/storage",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html",
		Create: func(e *Engine, r *Resource) error {
			if r.has("replicateSourceDb") {
				return nil
			}
			size, ok := r.inNum("allocatedStorage")
			if ok && r.inStr("engine") == "mysql" && r.inStr("storageType") == "gp3" && (size < 20 || size > 65536) {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "Invalid storage size for engine name mysql and storage type gp3: %d", int(size))
			}
			if max, set := r.inNum("maxAllocatedStorage"); ok && set && max > 0 && max <= size {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination", "Max storage size must be greater than storage size")
			}
			return nil
		},
	},
	// rds/backup-maintenance-windows: the daily backup window and the weekly maintenance window
	// are at least 30 minutes each and never overlap: `InvalidParameterValue: The backup window
	// and maintenance window must not overlap.`, `The backup window must be at least 30
	// minutes.` Source: CreateDBInstance API reference (PreferredBackupWindow,
	// PreferredMaintenanceWindow).
	{
		ID:     "rds/backup-maintenance-windows",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			d, dok := dailyWindow(r.inStr("backupWindow"))
			w, wok := weeklyWindow(r.inStr("maintenanceWindow"))
			switch {
			case dok && d.length < 30:
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "The backup window must be at least 30 minutes.")
			case wok && w.length < 30:
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "The maintenance window must be at least 30 minutes.")
			case dok && wok && d.overlaps(w):
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "The backup window and maintenance window must not overlap.")
			}
			return nil
		},
	},
	// rds/identifier-form: an instance identifier is 1 to 63 lowercase letters, digits and
	// hyphens, starts with a letter, has no two consecutive hyphens and does not end with one.
	// The provider refuses others: `only lowercase alphanumeric characters and hyphens allowed
	// in "identifier"`, `first character of "identifier" must be a letter`, `"identifier"
	// cannot contain two consecutive hyphens`, `"identifier" cannot end with a hyphen`.
	// Source: CreateDBInstance API reference (DBInstanceIdentifier) and the provider's
	// validIdentifier (terraform-provider-aws internal/service/rds/validate.go).
	{
		ID:     "rds/identifier-form",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			id := r.inStr("identifier")
			if !r.has("identifier") {
				return nil
			}
			if len(id) > 63 {
				return providerErr("expected length of identifier to be in the range (1 - 63), got %s", id)
			}
			if errs := identifierErrors("identifier", id, true); len(errs) > 0 {
				return providerErr("%s", strings.Join(errs, "; "))
			}
			return nil
		},
	},
	// rds/master-password: an RDS for MySQL master password is 8 to 41 printable ASCII
	// characters other than '/', '"', '@' and space: `InvalidParameterValue: The parameter
	// MasterUserPassword is not a valid password. Only printable ASCII characters besides '/',
	// '@', '"', ' ' may be used.`, `... because it is shorter than 8 characters.` The value is
	// read but never put in the error. Source: CreateDBInstance API reference
	// (MasterUserPassword, "Constraints").
	{
		ID:     "rds/master-password",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			pw := r.secretStr("password")
			if pw == "" {
				return nil
			}
			for _, c := range pw {
				if c < 0x21 || c > 0x7e || strings.ContainsRune(`/"@`, c) {
					return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", `The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '"', ' ' may be used.`)
				}
			}
			switch {
			case len(pw) < 8:
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.")
			case len(pw) > 41 && r.inStr("engine") == "mysql":
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterValue", "The parameter MasterUserPassword is not a valid password because it is longer than 41 characters.")
			}
			return nil
		},
	},
	// rds/engine-lifecycle-values: engineLifecycleSupport is one of the two lifecycle types; the
	// provider refuses others: `expected engine_lifecycle_support to be one of
	// ["open-source-rds-extended-support" "open-source-rds-extended-support-disabled"], got x`.
	// Source: CreateDBInstance API reference (EngineLifecycleSupport, "Valid Values").
	{
		ID:     "rds/engine-lifecycle-values",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			v := r.inStr("engineLifecycleSupport")
			if r.has("engineLifecycleSupport") && v != "open-source-rds-extended-support" && v != "open-source-rds-extended-support-disabled" {
				return providerErr(`expected engine_lifecycle_support to be one of ["open-source-rds-extended-support" "open-source-rds-extended-support-disabled"], got %s`, v)
			}
			return nil
		},
	},
	// rds/lifecycle-past-standard-support: with engineLifecycleSupport
	// open-source-rds-extended-support-disabled, "creating the DB instance will fail if the DB
	// major version is past its end of standard support date" (CreateDBInstance API
	// reference, EngineLifecycleSupport): MySQL 8.0 since 2026-07-31. AWS's exact message is not
	// quoted in a public source we found; the one below says what the reference says. Source:
	// CreateDBInstance API reference; RDS User Guide, "Creating a DB instance with Amazon RDS
	// Extended Support".
	{
		ID:     "rds/lifecycle-past-standard-support",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			if r.inStr("engine") != "mysql" || r.inStr("engineLifecycleSupport") != "open-source-rds-extended-support-disabled" {
				return nil
			}
			if end, past := mysqlEndOfStandardSupport[majorOf(r.inStr("engineVersion"))]; past {
				return apiErr(opCreateDB, apiCreateDB, "InvalidParameterCombination",
					"RDS standard support for mysql %s ended on %s: a DB instance of this major version can be created only with EngineLifecycleSupport open-source-rds-extended-support", majorOf(r.inStr("engineVersion")), end)
			}
			return nil
		},
	},
	// rds/final-snapshot: a primary that does not skip its final snapshot needs a name for it
	// (`final_snapshot_identifier is required when skip_final_snapshot is false`, at delete,
	// seen from Pulumi in mitodl/ol-infrastructure#1576); that name is letters, digits and
	// single hyphens, not ending in one (the provider's validFinalSnapshotIdentifier: `only
	// alphanumeric characters and hyphens allowed in "final_snapshot_identifier"`, ...); and a
	// read replica may not take one (`FinalDBSnapshotIdentifier can not be specified when
	// deleting a replica instance`, hashicorp/terraform-provider-aws#4276). Source: DeleteDBInstance
	// API reference (FinalDBSnapshotIdentifier).
	{
		ID:     "rds/final-snapshot",
		Type:   typeDBInstance,
		Source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
		Create: func(e *Engine, r *Resource) error {
			id := r.inStr("finalSnapshotIdentifier")
			switch {
			case !r.inBool("skipFinalSnapshot") && id == "":
				return providerErr("final_snapshot_identifier is required when skip_final_snapshot is false")
			case r.has("replicateSourceDb") && id != "":
				return apiErr("deleting RDS DB Instance", "RDS: DeleteDBInstance", "InvalidParameterCombination", "FinalDBSnapshotIdentifier can not be specified when deleting a replica instance")
			case id != "" && len(id) > 255:
				return providerErr("%q cannot be more than 255 characters", "final_snapshot_identifier")
			case id != "":
				if errs := identifierErrors("final_snapshot_identifier", id, false); len(errs) > 0 {
					return providerErr("%s", strings.Join(errs, "; "))
				}
			}
			return nil
		},
	},
	// rds/parameter-group-removed-parameters: the mysql8.4 family has none of the server
	// variables MySQL 8.4 removed: `InvalidParameterValue: Could not find parameter with name:
	// default_authentication_plugin`. Source: MySQL 8.4 Reference Manual, "What Is New in MySQL
	// 8.4 since MySQL 8.0" (Features Removed); ModifyDBParameterGroup API reference.
	{
		ID:     "rds/parameter-group-removed-parameters",
		Type:   typeDBParameterGroup,
		Source: "https://dev.mysql.com/doc/refman/8.4/en/mysql-nutshell.html",
		Create: func(e *Engine, r *Resource) error {
			if r.inStr("family") != "mysql8.4" {
				return nil
			}
			for i := range r.inList("parameters") {
				if name := r.inStr("parameters", i, "name"); slices.Contains(mysql84RemovedParameters, name) {
					return apiErr("modifying RDS DB Parameter Group", "RDS: ModifyDBParameterGroup", "InvalidParameterValue", "Could not find parameter with name: %s", name)
				}
			}
			return nil
		},
	},

	// elasticache/auth-token-needs-transit-encryption: "AuthToken can be specified only on
	// replication groups where TransitEncryptionEnabled is true" (CreateReplicationGroup API
	// reference, AuthToken; the SDK says the same). The request is refused as an invalid
	// combination; the message below is the reference's sentence.
	{
		ID:     "elasticache/auth-token-needs-transit-encryption",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
		Create: func(e *Engine, r *Resource) error {
			if r.has("authToken") && !r.inBool("transitEncryptionEnabled") {
				return apiErr(opCreateRG, apiCreateRG, "InvalidParameterCombination", "AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true.")
			}
			return nil
		},
	},
	// elasticache/auth-token-form: an AUTH token is 16 to 128 characters, letters, digits and
	// only the specials !&#$^<>-. The provider refuses a wrong length and '@', '"', '/'
	// (`"auth_token" must contain from 16 to 128 alphanumeric characters or symbols (excluding
	// @, ", and /)`, `only alphanumeric characters or symbols (excluding @, ", and /) allowed in
	// "auth_token"`, cloudposse/terraform-aws-elasticache-redis#39); AWS refuses any other
	// special (`InvalidParameterValue: Invalid AuthToken provided.`, magenx/Magento-2-aws-cluster-terraform#43).
	// Source: ElastiCache User Guide, "Authenticating with the Valkey and Redis OSS AUTH
	// command".
	{
		ID:     "elasticache/auth-token-form",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
		Create: func(e *Engine, r *Resource) error {
			token := r.secretStr("authToken")
			if token == "" {
				return nil
			}
			switch {
			case len(token) < 16 || len(token) > 128:
				return providerErr(`"auth_token" must contain from 16 to 128 alphanumeric characters or symbols (excluding @, ", and /)`)
			case strings.ContainsAny(token, `@"/`):
				return providerErr(`only alphanumeric characters or symbols (excluding @, ", and /) allowed in "auth_token"`)
			case !authTokenChars.MatchString(token):
				return apiErr(opCreateRG, apiCreateRG, "InvalidParameterValue", "Invalid AuthToken provided.")
			}
			return nil
		},
	},
	// elasticache/automatic-failover-needs-replicas: automatic failover promotes a replica, so
	// the group needs at least two clusters; the provider refuses fewer: `"num_cache_clusters":
	// must be at least 2 if automatic_failover_enabled is true`. Source: pulumi-aws
	// elasticache.ReplicationGroupArgs.AutomaticFailoverEnabled ("If enabled, numCacheClusters
	// must be greater than 1").
	{
		ID:     "elasticache/automatic-failover-needs-replicas",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
		Create: func(e *Engine, r *Resource) error {
			n, ok := r.inNum("numCacheClusters")
			if r.inBool("automaticFailoverEnabled") && (!ok || n < 2) && !r.has("numNodeGroups") {
				return providerErr(`"num_cache_clusters": must be at least 2 if automatic_failover_enabled is true`)
			}
			return nil
		},
	},
	// elasticache/multi-az-needs-failover: Multi-AZ needs automatic failover; the provider
	// refuses the combination: `automatic_failover_enabled must be true if multi_az_enabled is
	// true`. Source: pulumi-aws elasticache.ReplicationGroupArgs.MultiAzEnabled ("If true,
	// automaticFailoverEnabled must also be enabled").
	{
		ID:     "elasticache/multi-az-needs-failover",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
		Create: func(e *Engine, r *Resource) error {
			if r.inBool("multiAzEnabled") && !r.inBool("automaticFailoverEnabled") {
				return providerErr("automatic_failover_enabled must be true if multi_az_enabled is true")
			}
			return nil
		},
	},
	// elasticache/transit-encryption-mode-version: TransitEncryptionMode needs Redis OSS 7.0.5 or
	// later (Valkey: every version): `InvalidParameterCombination: Transit encryption mode is
	// not supported for engine version 6.2.6`. "6.2" runs 6.2.6. Source:
	// cloudposse/terraform-aws-elasticache-redis#231; ElastiCache User Guide, "Enabling
	// in-transit encryption".
	{
		ID:     "elasticache/transit-encryption-mode-version",
		Type:   typeReplicationGroup,
		Source: "https://github.com/cloudposse/terraform-aws-elasticache-redis/issues/231",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("transitEncryptionMode") || r.inStr("engine") == "valkey" {
				return nil
			}
			m := versionPrefix.FindStringSubmatch(r.inStr("engineVersion"))
			if m == nil {
				return nil
			}
			major, _ := strconv.Atoi(m[1])
			minor, _ := strconv.Atoi(m[2])
			patch, havePatch := 0, m[3] != ""
			if havePatch {
				patch, _ = strconv.Atoi(m[3])
			}
			actual := r.inStr("engineVersion")
			if !havePatch {
				actual = map[string]string{"6.0": "6.0.5", "6.2": "6.2.6"}[m[1]+"."+m[2]]
			}
			if major < 7 || major == 7 && minor == 0 && havePatch && patch < 5 {
				return apiErr(opCreateRG, apiCreateRG, "InvalidParameterCombination", "Transit encryption mode is not supported for engine version %s", actual)
			}
			return nil
		},
	},
	// elasticache/replication-group-id-form: a replication group ID is 1 to 40 letters, digits
	// and hyphens, starts with a letter, has no two consecutive hyphens and does not end with
	// one; the provider refuses others (`"replication_group_id" must contain from 1 to 40
	// alphanumeric characters or hyphens`, `first character of "replication_group_id" must be
	// a letter`, ...). Source: CreateReplicationGroup API reference (ReplicationGroupId) and the
	// provider's validReplicationGroupID.
	{
		ID:     "elasticache/replication-group-id-form",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("replicationGroupId") {
				return nil
			}
			id := r.inStr("replicationGroupId")
			var errs []string
			if len(id) < 1 || len(id) > 40 {
				errs = append(errs, fmt.Sprintf("%q must contain from 1 to 40 alphanumeric characters or hyphens", "replication_group_id"))
			}
			errs = append(errs, identifierErrors("replication_group_id", id, false)...)
			if len(errs) > 0 {
				return providerErr("%s", strings.Join(errs, "; "))
			}
			return nil
		},
	},
	// elasticache/preferred-azs-count: "The number of Availability Zones listed must equal the
	// value of NumCacheClusters" (CreateReplicationGroup API reference,
	// PreferredCacheClusterAZs); the request is refused otherwise. The message below is the
	// reference's sentence.
	{
		ID:     "elasticache/preferred-azs-count",
		Type:   typeReplicationGroup,
		Source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
		Create: func(e *Engine, r *Resource) error {
			azs := r.inList("preferredCacheClusterAzs")
			if n, ok := r.inNum("numCacheClusters"); ok && len(azs) > 0 && len(azs) != int(n) {
				return apiErr(opCreateRG, apiCreateRG, "InvalidParameterValue", "The number of Availability Zones listed (%d) must equal the value of NumCacheClusters (%d).", len(azs), int(n))
			}
			return nil
		},
	},
	// elasticache/log-delivery-needs-apply-immediately: ElastiCache refuses any change of the
	// log delivery configuration without ApplyImmediately, and the provider (v6.83.0) sends the
	// group's applyImmediately with it: `InvalidParameterValue: To modify the log delivery
	// configuration, set the apply-immediately parameter to true.` Source:
	// hashicorp/terraform-provider-aws#49842; ElastiCache User Guide, "Log delivery" ("You
	// must set the apply-immediately parameter for all log delivery modifications").
	{
		ID:     "elasticache/log-delivery-needs-apply-immediately",
		Type:   typeReplicationGroup,
		Source: "https://github.com/hashicorp/terraform-provider-aws/issues/49842",
		Update: func(e *Engine, old, r *Resource) error {
			if plainEqual(old.Input("logDeliveryConfigurations"), r.Input("logDeliveryConfigurations")) || r.inBool("applyImmediately") {
				return nil
			}
			return apiErr("modifying ElastiCache Replication Group", "ElastiCache: ModifyReplicationGroup", "InvalidParameterValue", "To modify the log delivery configuration, set the apply-immediately parameter to true.")
		},
	},

	// secretsmanager/recovery-window: a secret's recovery window is 0 (delete at once) or 7 to
	// 30 days; the provider refuses others: `expected recovery_window_in_days to be one of [0],
	// got 5` / `expected recovery_window_in_days to be in the range (7 - 30), got 5`. Source:
	// DeleteSecret API reference (RecoveryWindowInDays).
	{
		ID:     "secretsmanager/recovery-window",
		Type:   typeSecret,
		Source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html",
		Create: func(e *Engine, r *Resource) error {
			if n, ok := r.inNum("recoveryWindowInDays"); ok && n != 0 && (n < 7 || n > 30) {
				return providerErr("expected recovery_window_in_days to be one of [0], got %d; expected recovery_window_in_days to be in the range (7 - 30), got %d", int(n), int(n))
			}
			return nil
		},
	},
	// secretsmanager/rotation-schedule: a rotation schedule is either automaticallyAfterDays (1
	// to 1000; the provider refuses others: `expected
	// rotation_rules.0.automatically_after_days to be in the range (1 - 1000), got 0`) or a
	// scheduleExpression, never both (`InvalidParameterException: You cannot specify both
	// rotation frequency and schedule expression together.`,
	// hashicorp/terraform-provider-aws#33329). Source: RotationRulesType API reference.
	{
		ID:     "secretsmanager/rotation-schedule",
		Type:   typeSecretRotation,
		Source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html",
		Create: func(e *Engine, r *Resource) error {
			days, set := r.inNum("rotationRules", "automaticallyAfterDays")
			switch {
			case set && r.has("rotationRules", "scheduleExpression"):
				return apiErr("creating Secrets Manager Secret Rotation", "Secrets Manager: RotateSecret", "InvalidParameterException", "You cannot specify both rotation frequency and schedule expression together.")
			case set && (days < 1 || days > 1000):
				return providerErr("expected rotation_rules.0.automatically_after_days to be in the range (1 - 1000), got %d", int(days))
			}
			return nil
		},
	},
	// secretsmanager/rotation-lambda-required: a secret that AWS does not manage rotates only
	// through a rotation function: `InvalidRequestException: No Lambda rotation function ARN is
	// associated with this secret.` Source: RotateSecret API reference (RotationLambdaARN) and
	// pulumi-aws secretsmanager.SecretRotationArgs ("Must be supplied if the secret is not
	// managed by AWS").
	{
		ID:     "secretsmanager/rotation-lambda-required",
		Type:   typeSecretRotation,
		Source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotateSecret.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("rotationLambdaArn") {
				return apiErr("creating Secrets Manager Secret Rotation", "Secrets Manager: RotateSecret", "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.")
			}
			return nil
		},
	},

	// serverlessrepo/capabilities: the rotation templates create an IAM role and a Lambda
	// permission, so deploying one needs CAPABILITY_IAM and CAPABILITY_RESOURCE_POLICY ("If you
	// don't specify this parameter for an application that requires capabilities, the call
	// will fail", CreateCloudFormationChangeSet API reference). CloudFormation answers
	// `InsufficientCapabilitiesException: Requires capabilities : [...]` (the form aws/aws-cdk#15711
	// shows for this very application).
	{
		ID:     "serverlessrepo/capabilities",
		Type:   typeSARStack,
		Source: "https://docs.aws.amazon.com/serverlessrepo/latest/devguide/applications-id-changesets.html",
		Create: func(e *Engine, r *Resource) error {
			if !strings.Contains(r.inStr("applicationId"), ":applications/SecretsManager") {
				return nil
			}
			var have []string
			for _, c := range r.inList("capabilities") {
				if s, ok := c.(string); ok {
					have = append(have, s)
				}
			}
			var missing []string
			if !slices.Contains(have, "CAPABILITY_IAM") && !slices.Contains(have, "CAPABILITY_NAMED_IAM") {
				missing = append(missing, "CAPABILITY_IAM")
			}
			if !slices.Contains(have, "CAPABILITY_RESOURCE_POLICY") {
				missing = append(missing, "CAPABILITY_RESOURCE_POLICY")
			}
			if len(missing) > 0 {
				return apiErr("creating Serverless Application Repository CloudFormation Stack", "ServerlessApplicationRepository: CreateCloudFormationChangeSet",
					"InsufficientCapabilitiesException", "Requires capabilities : [%s]", strings.Join(missing, ", "))
			}
			return nil
		},
	},
	// serverlessrepo/stack-name: the stack is named "serverlessrepo-<name>", which CloudFormation
	// accepts only as letters, digits and hyphens starting with a letter, up to 128 characters:
	// `1 validation error detected: Value '...' at 'stackName' failed to satisfy constraint:
	// Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`. Source:
	// CloudFormation CreateStack API reference (StackName); pulumi-aws
	// serverlessrepository.CloudFormationStackArgs.Name.
	{
		ID:     "serverlessrepo/stack-name",
		Type:   typeSARStack,
		Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html",
		Create: func(e *Engine, r *Resource) error {
			stack := "serverlessrepo-" + r.inStr("name")
			switch {
			case !cfnStackName.MatchString(stack):
				return apiErr("creating Serverless Application Repository CloudFormation Stack", "CloudFormation: CreateChangeSet", "ValidationError",
					"1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*", stack)
			case len(stack) > 128:
				return apiErr("creating Serverless Application Repository CloudFormation Stack", "CloudFormation: CreateChangeSet", "ValidationError",
					"1 validation error detected: Value '%s' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to 128", stack)
			}
			return nil
		},
	},
	// serverlessrepo/rotation-function-name: the rotation template names its Lambda function
	// after the functionName parameter, which Lambda accepts as 1 to 64 letters, digits,
	// hyphens and underscores: `1 validation error detected: Value '...' at 'functionName'
	// failed to satisfy constraint: Member must have length less than or equal to 64`, and the
	// stack rolls back. Source: Lambda CreateFunction API reference (FunctionName).
	{
		ID:     "serverlessrepo/rotation-function-name",
		Type:   typeSARStack,
		Source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("parameters", "functionName") {
				return nil
			}
			fn := r.inStr("parameters", "functionName")
			switch {
			case len(fn) > 64:
				return apiErr("creating Serverless Application Repository CloudFormation Stack", "Lambda: CreateFunction", "ValidationException",
					"1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64", fn)
			case !lambdaName.MatchString(fn):
				return apiErr("creating Serverless Application Repository CloudFormation Stack", "Lambda: CreateFunction", "ValidationException",
					"1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", fn)
			}
			return nil
		},
	},

	// events/rule-name: an EventBridge rule's name is 1 to 64 letters, digits, '.', '-' and
	// '_'; the provider refuses others before it calls PutRule: `"name" cannot be longer than
	// 64 characters: "..."` / `"name" doesn't comply with restrictions ("^[0-9A-Za-z_.-]+$"):
	// "..."` (validateRuleName in terraform-provider-aws internal/service/events/validate.go).
	// Source: EventBridge PutRule API reference (Name).
	{
		ID:     "events/rule-name",
		Type:   typeEventRule,
		Source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("name") {
				return nil
			}
			name := r.inStr("name")
			var errs []string
			if len(name) > 64 {
				errs = append(errs, fmt.Sprintf("%q cannot be longer than 64 characters: %q", "name", name))
			}
			if !eventRuleName.MatchString(name) {
				errs = append(errs, fmt.Sprintf("%q doesn't comply with restrictions (%q): %q", "name", eventRuleName.String(), name))
			}
			if len(errs) > 0 {
				return providerErr("%s", strings.Join(errs, "; "))
			}
			return nil
		},
	},
	// events/event-pattern: every field of an event pattern is either an object or an array
	// of values to match, and no array or object is empty. EventBridge refuses others:
	// `InvalidEventPatternException: Event pattern is not valid. Reason: "source" must be an
	// object or an array at [Source: (String)"..."; line: 1, column: 45]`
	// (lalcebo/json-schema#171, awslabs/aws-deployment-framework#455), `... Reason: Empty arrays
	// are not allowed ...` (aws/aws-cdk#36904) and `... Reason: Empty objects are not allowed
	// ...` (cloud-custodian/cloud-custodian#6507). The mock leaves out the line and column AWS
	// appends; for a pattern that is not JSON at all the reason is Go's parser's, not AWS's.
	// Source: EventBridge User Guide, "Creating event patterns" (every value to match is in an
	// array).
	{
		ID:     "events/event-pattern",
		Type:   typeEventRule,
		Source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html",
		Create: func(e *Engine, r *Resource) error {
			if !r.has("eventPattern") || r.inStr("eventPattern") == "" {
				return nil
			}
			src := r.inStr("eventPattern")
			var pattern any
			if err := json.Unmarshal([]byte(src), &pattern); err != nil {
				return apiErr("creating EventBridge Rule", "EventBridge: PutRule", "InvalidEventPatternException", "Event pattern is not valid. Reason: %v", err)
			}
			if reason := eventPatternProblem(pattern); reason != "" {
				return apiErr("creating EventBridge Rule", "EventBridge: PutRule", "InvalidEventPatternException",
					"Event pattern is not valid. Reason: %s at [Source: (String)%q]", reason, src)
			}
			return nil
		},
	},
	// events/target-rule: a target is put on a rule that exists on its event bus (the default
	// one unless eventBusName says otherwise): `ResourceNotFoundException: Rule x does not exist
	// on EventBus default.` (TerraConstructs/base#88, where the target named another bus). Source:
	// EventBridge PutTargets API reference (Rule, EventBusName).
	{
		ID:     "events/target-rule",
		Type:   typeEventTarget,
		Source: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html",
		Create: func(e *Engine, r *Resource) error {
			rule := r.inStr("rule")
			if rule == "" {
				return nil
			}
			bus := r.inStr("eventBusName")
			if bus == "" {
				bus = "default"
			}
			found := e.Registered(typeEventRule, func(x *Resource) bool {
				b := x.inStr("eventBusName")
				if b == "" {
					b = "default"
				}
				return str(x.State, "name") == rule && b == bus
			})
			if len(found) == 0 {
				return apiErr(fmt.Sprintf("creating EventBridge Target (%s)", r.Name), "EventBridge: PutTargets", "ResourceNotFoundException",
					"Rule %s does not exist on EventBus %s.", rule, bus)
			}
			return nil
		},
	},
}

// eventPatternProblem returns why EventBridge refuses an event pattern (an object), or "".
func eventPatternProblem(pattern any) string {
	obj, ok := pattern.(map[string]any)
	if !ok {
		return ""
	}
	if len(obj) == 0 {
		return "Empty objects are not allowed"
	}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		switch v := obj[k].(type) {
		case map[string]any:
			if reason := eventPatternProblem(v); reason != "" {
				return reason
			}
		case []any:
			if len(v) == 0 {
				return "Empty arrays are not allowed"
			}
		default:
			return fmt.Sprintf("%q must be an object or an array", k)
		}
	}
	return ""
}

// plainEqual reports whether two plain values are the same.
func plainEqual(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
