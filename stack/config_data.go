package stack

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/data"
)

// Data tiers of DatabaseConfig.Tier and CacheConfig.Tier. A production tier refuses the
// relaxations a throw-away stack may make (no deletion protection, short backups, a single AZ,
// no `protect`) unless the section's `exceptions` object names the relaxation with a reason.
const (
	TierProduction  = "production"
	TierDevelopment = "development"
)

// DatabaseConfig is `webstack:database`: the RDS MySQL writer and its read replicas.
type DatabaseConfig struct {
	// Tier is "production" or "development". A production tier refuses the relaxations a
	// throw-away stack may make (deletionProtection false, backupRetentionDays below 7, multiAz
	// false, finalSnapshot false, protect false, monitoringInterval 0) unless Exceptions names
	// the relaxation with a reason.
	Tier string `key:"tier"`
	// EngineVersion is a MySQL 8.4 version: "8.4" (the newest 8.4 minor, kept current by auto
	// minor version upgrades) or a full "8.4.5"; quote it in YAML. An 8.0 version ("8.0", or
	// "8.0.28" and later, which have the audit plugin) is accepted only with ExtendedSupport:
	// 8.0 reached the end of RDS standard support on 2026-07-31.
	EngineVersion string `key:"engineVersion"`
	// ExtendedSupport enrolls the instances in paid RDS Extended Support
	// (engineLifecycleSupport open-source-rds-extended-support). Off, RDS upgrades the
	// instances when their major version's standard support ends instead of billing for
	// Extended Support, and refuses to create one on a major already past it. RDS sets the
	// lifecycle at creation only.
	ExtendedSupport bool `key:"extendedSupport"`
	// InstanceClass is the writer's RDS class (db.<family>.<size>).
	InstanceClass string `key:"instanceClass"`
	// ReplicaInstanceClass is each read replica's RDS class.
	ReplicaInstanceClass string `key:"replicaInstanceClass"`
	// AllocatedStorage is the initial gp3 storage in GiB (20 to 65536).
	AllocatedStorage int `key:"allocatedStorage"`
	// MaxAllocatedStorage is the storage autoscaling ceiling in GiB: at least 10% above
	// AllocatedStorage (RDS refuses a smaller threshold), at most 65536.
	MaxAllocatedStorage int `key:"maxAllocatedStorage"`
	// MultiAZ gives the writer a synchronous standby in another AZ (RDS.5).
	MultiAZ bool `key:"multiAz"`
	// Replicas is how many read replicas follow the writer (1 to 5).
	Replicas int `key:"replicas"`
	// BackupRetentionDays is how long automated backups are kept: 1 to 35 (a MySQL replica's
	// source needs backups), at least 7 on a production tier (RDS.11).
	BackupRetentionDays int `key:"backupRetentionDays"`
	// BackupWindow is the daily UTC backup window, "hh:mm-hh:mm", at least 30 minutes, not
	// overlapping MaintenanceWindow.
	BackupWindow string `key:"backupWindow"`
	// MaintenanceWindow is the weekly UTC maintenance window, "ddd:hh:mm-ddd:hh:mm", at least
	// 30 minutes.
	MaintenanceWindow string `key:"maintenanceWindow"`
	// DeletionProtection makes RDS refuse to delete the writer and replicas (RDS.8).
	DeletionProtection bool `key:"deletionProtection"`
	// FinalSnapshot takes a snapshot of the writer when it is deleted (named
	// <project>-<stack>-db-final-<8 hex digits>) and keeps its automated backups; false deletes
	// the writer with its automated backups.
	FinalSnapshot bool `key:"finalSnapshot"`
	// Protect sets Pulumi's `protect` option on the writer and replicas: `pulumi destroy`
	// refuses until it is lifted.
	Protect bool `key:"protect"`
	// ApplyImmediately applies the changes RDS otherwise holds for the maintenance window
	// (instance class, storage, engine version, Multi-AZ) during the `up` that makes them.
	ApplyImmediately bool `key:"applyImmediately"`
	// Port is the MySQL port: 1150 to 65535, not the engine default 3306 (RDS.23).
	Port int `key:"port"`
	// Username is the master user name; not admin, root or another name the engine reserves
	// (RDS.25).
	Username string `key:"username"`
	// DBName is the database created on the writer.
	DBName string `key:"dbName"`
	// LogRetentionDays is how long the exported MySQL logs are kept in CloudWatch Logs.
	LogRetentionDays int `key:"logRetentionDays"`
	// GeneralLog turns MySQL's general query log on (general_log=1): every statement with its
	// literal values goes to CloudWatch Logs, at a performance cost. Off, the general export
	// stays enabled but empty, and the audit plugin still records logins, DDL and DCL.
	GeneralLog bool `key:"generalLog"`
	// PasswordRotationDays is how often Secrets Manager rotates the master password (1 to 90;
	// SecretsManager.4 wants a rotation at least every 90 days). The `up` that changes it also
	// rotates the password at once.
	PasswordRotationDays int `key:"passwordRotationDays"`
	// RotationAppVersion is the semantic version (MAJOR.MINOR.PATCH) of AWS's
	// SecretsManagerRDSMySQLRotationSingleUser application that the rotation function is
	// deployed from; it decides the function's Lambda runtime. Empty (the default) deploys the
	// version the program pins for the stack's partition (data.PinnedRotationVersion). Raise
	// it when AWS deprecates the pinned version's runtime; the `up` updates the function in
	// place (docs/data.md).
	RotationAppVersion string `key:"rotationAppVersion"`
	// PerformanceInsights turns Performance Insights on, 7 days, encrypted with a
	// customer-managed KMS key of the stack; the t-class micro and small sizes do not support it.
	PerformanceInsights bool `key:"performanceInsights"`
	// MonitoringInterval is the enhanced monitoring interval in seconds: 0, 1, 5, 10, 15, 30 or
	// 60 (RDS.6); 0 turns it off.
	MonitoringInterval int `key:"monitoringInterval"`
	// Exceptions names the production relaxations this stack deliberately makes.
	Exceptions DatabaseExceptions `key:"exceptions"`
}

// DatabaseExceptions lets a production-tier stack relax one rule each. A non-empty value is
// the reason, recorded in the stack file and reported by the checks under the full key (e.g.
// `webstack:database.exceptions.deletionProtection`).
type DatabaseExceptions struct {
	// DeletionProtection is why a production tier runs without deletion protection (RDS.8).
	DeletionProtection string `key:"deletionProtection"`
	// BackupRetention is why a production tier keeps backups for fewer than 7 days (RDS.11).
	BackupRetention string `key:"backupRetention"`
	// MultiAZ is why a production tier runs a single-AZ writer (RDS.5).
	MultiAZ string `key:"multiAz"`
	// FinalSnapshot is why a production tier deletes the writer without a final snapshot
	// (REL09-BP03).
	FinalSnapshot string `key:"finalSnapshot"`
	// Protect is why a production tier leaves the instances without Pulumi's protect.
	Protect string `key:"protect"`
	// EnhancedMonitoring is why a production tier turns enhanced monitoring off (RDS.6).
	EnhancedMonitoring string `key:"enhancedMonitoring"`
}

// CacheConfig is `webstack:cache`: the ElastiCache replication group.
type CacheConfig struct {
	// Tier is "production" or "development", as for the database: a production tier refuses
	// multiAz false and protect false unless Exceptions names them with a reason.
	Tier string `key:"tier"`
	// Engine is "redis" or "valkey".
	Engine string `key:"engine"`
	// EngineVersion is the major.minor version: redis 7.0 or 7.1 (transitEncryptionMode, which the group
	// always sets, needs Redis OSS 7.0.5 or later); valkey 7.2 or later.
	EngineVersion string `key:"engineVersion"`
	// NodeType is the ElastiCache node type (cache.<family>.<size>).
	NodeType string `key:"nodeType"`
	// Nodes is how many cache clusters the group has, one primary and the rest replicas: 1 to 6.
	Nodes int `key:"nodes"`
	// MultiAZ turns on automatic failover and Multi-AZ (ElastiCache.3); it needs at least 2
	// nodes.
	MultiAZ bool `key:"multiAz"`
	// SnapshotRetentionDays is how long daily snapshots are kept (1 to 35, ElastiCache.1).
	SnapshotRetentionDays int `key:"snapshotRetentionDays"`
	// SnapshotWindow is the daily UTC snapshot window, "hh:mm-hh:mm", at least 60 minutes, not
	// overlapping MaintenanceWindow.
	SnapshotWindow string `key:"snapshotWindow"`
	// MaintenanceWindow is the weekly UTC maintenance window, "ddd:hh:mm-ddd:hh:mm", at least
	// 60 minutes.
	MaintenanceWindow string `key:"maintenanceWindow"`
	// Port is the port the nodes listen on; it must differ from webstack:database.port.
	Port int `key:"port"`
	// LogRetentionDays is how long the slow log is kept in CloudWatch Logs.
	LogRetentionDays int `key:"logRetentionDays"`
	// Protect sets Pulumi's `protect` option on the replication group.
	Protect bool `key:"protect"`
	// ApplyImmediately applies changes to the nodes (node type, engine version, number of
	// nodes) during the `up` that makes them instead of in the maintenance window. A change of
	// the slow log's delivery needs it (ElastiCache refuses one without it).
	ApplyImmediately bool `key:"applyImmediately"`
	// Exceptions names the production relaxations this stack deliberately makes.
	Exceptions CacheExceptions `key:"exceptions"`
}

// CacheExceptions lets a production-tier stack relax one rule each; see DatabaseExceptions.
// AuthTokenRotation, on any tier, records why the AUTH token's secret has no automatic rotation
// (SecretsManager.1 and .4): ElastiCache has no Secrets Manager rotation function for AUTH
// tokens, so the token rotates only through `pulumi up --replace` (docs/data.md). The checks
// report the secret as failing until it is set.
type CacheExceptions struct {
	// MultiAZ is why a production tier runs the cache without failover and Multi-AZ
	// (ElastiCache.3).
	MultiAZ string `key:"multiAz"`
	// Protect is why a production tier leaves the replication group without Pulumi's protect.
	Protect string `key:"protect"`
	// AuthTokenRotation is why (on any tier) the AUTH token's secret has no automatic rotation
	// (SecretsManager.1 and .4 report it as an exception naming this key; without it they
	// fail): ElastiCache has no rotation function for AUTH tokens, so the token rotates only
	// through `pulumi up --replace` (docs/data.md).
	AuthTokenRotation string `key:"authTokenRotation"`
}

// Database and cache limits.
const (
	minDBStorage       = 20 // gp3 minimum for MySQL
	maxDBStorage       = 65536
	maxDBReplicas      = 5
	minProdBackupDays  = 7
	maxBackupDays      = 35
	maxCacheNodes      = 6 // one primary and up to five replicas
	defaultMySQLPort   = 3306
	minRDSPort         = 1150 // RDS for MySQL accepts 1150-65535
	minDBWindowMinutes = 30
	minCacheWindowMins = 60
	minAuditPatch      = 28 // MARIADB_AUDIT_PLUGIN is available from MySQL 8.0.28
	maxRotationDays    = 90 // SecretsManager.4's default maximum age
)

// monitoringIntervals are the enhanced monitoring intervals RDS accepts.
var monitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

// reservedDBUsers are user names RDS.25 or MySQL reject as the master user.
var reservedDBUsers = []string{"admin", "root", "mysql", "rdsadmin", "rdsrepladmin", "mysql.sys", "mysql.session", "mysql.infoschema"}

var (
	mysqlVersion  = regexp.MustCompile(`^8\.(0|4)(\.[0-9]+)?$`)
	rdsClass      = regexp.MustCompile(`^db\.[a-z][a-z0-9-]*\.[0-9]*(nano|micro|small|medium|large|xlarge|metal)(-[0-9a-z.]+)?$`)
	noPIClass     = regexp.MustCompile(`^db\.t[0-9]+g?\.(micro|small)$`)
	cacheNodeType = regexp.MustCompile(`^cache\.[a-z][a-z0-9-]*\.[0-9]*(micro|small|medium|large|xlarge)$`)
	mysqlUser     = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,15}$`)
	mysqlDBName   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)
	majorMinor    = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
)

// redisVersions are the Redis OSS versions ElastiCache offers with TLS, AUTH and
// transitEncryptionMode, which the group always sets and which needs Redis OSS 7.0.5 or later
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable.html;
// 6.2 is refused with "Transit encryption mode is not supported for engine version 6.2.6",
// cloudposse/terraform-aws-elasticache-redis#231). "7.0" runs the newest 7.0 release.
var redisVersions = []string{"7.0", "7.1"}

// DefaultDatabaseConfig is the production-grade default of `webstack:database`.
func DefaultDatabaseConfig() DatabaseConfig {
	return DatabaseConfig{
		Tier:                 TierProduction,
		EngineVersion:        "8.4",
		InstanceClass:        "db.m7g.large",
		ReplicaInstanceClass: "db.m7g.large",
		AllocatedStorage:     50,
		MaxAllocatedStorage:  200,
		MultiAZ:              true,
		Replicas:             1,
		BackupRetentionDays:  14,
		// 02:00-03:00 KST daily; maintenance Sunday 04:00-05:00 KST.
		BackupWindow:         "17:00-18:00",
		MaintenanceWindow:    "sat:19:00-sat:20:00",
		DeletionProtection:   true,
		FinalSnapshot:        true,
		Protect:              true,
		Port:                 3307,
		Username:             "webstack_admin",
		DBName:               "app",
		LogRetentionDays:     365,
		PerformanceInsights:  true,
		MonitoringInterval:   60,
		PasswordRotationDays: 30,
	}
}

// DefaultCacheConfig is the production-grade default of `webstack:cache`.
func DefaultCacheConfig() CacheConfig {
	return CacheConfig{
		Tier:                  TierProduction,
		Engine:                "redis",
		EngineVersion:         "7.1",
		NodeType:              "cache.m7g.large",
		Nodes:                 2,
		MultiAZ:               true,
		SnapshotRetentionDays: 7,
		SnapshotWindow:        "18:00-19:00",
		MaintenanceWindow:     "sat:20:00-sat:21:00",
		Port:                  6379,
		LogRetentionDays:      365,
		Protect:               true,
	}
}

func validateTier(p *problems, key, tier string) {
	if tier != TierProduction && tier != TierDevelopment {
		p.add(key, "%s must be %q or %q", quote(tier), TierProduction, TierDevelopment)
	}
}

func (d *DatabaseConfig) validate(p *problems, key string) {
	validateTier(p, key+".tier", d.Tier)
	switch m := mysqlVersion.FindStringSubmatch(d.EngineVersion); {
	case m == nil:
		p.add(key+".engineVersion", "%s is not a MySQL 8.4 version such as \"8.4\" or \"8.4.5\"", quote(d.EngineVersion))
	case m[1] == "0" && !d.ExtendedSupport:
		p.add(key+".engineVersion", "%s is past the end of RDS standard support (2026-07-31) and runs only under paid RDS Extended Support; use \"8.4\", or set %s.extendedSupport: true to accept the charges", quote(d.EngineVersion), key)
	case m[1] == "0" && m[2] != "":
		if patch, _ := strconv.Atoi(strings.TrimPrefix(m[2], ".")); patch < minAuditPatch {
			p.add(key+".engineVersion", "%s is older than 8.0.%d, the first MySQL 8.0 release whose option group offers the MariaDB audit plugin (RDS.9 audit log)", quote(d.EngineVersion), minAuditPatch)
		}
	}
	if d.PasswordRotationDays < 1 || d.PasswordRotationDays > maxRotationDays {
		p.add(key+".passwordRotationDays", "%d must be between 1 and %d days (SecretsManager.4)", d.PasswordRotationDays, maxRotationDays)
	}
	if d.RotationAppVersion != "" && !data.SemanticVersion.MatchString(d.RotationAppVersion) {
		p.add(key+".rotationAppVersion", "%s is not a semantic version MAJOR.MINOR.PATCH such as %q; the newest is `aws serverlessrepo get-application --application-id %s --query Version.SemanticVersion`",
			quote(d.RotationAppVersion), data.PinnedRotationVersion("aws"), data.RotationApplicationARN("aws"))
	}
	for _, f := range []struct{ name, class string }{{"instanceClass", d.InstanceClass}, {"replicaInstanceClass", d.ReplicaInstanceClass}} {
		switch {
		case !rdsClass.MatchString(f.class):
			p.add(key+"."+f.name, "%s is not an RDS instance class such as \"db.m7g.large\"", quote(f.class))
		case d.PerformanceInsights && noPIClass.MatchString(f.class):
			p.add(key+"."+f.name, "%s does not support Performance Insights; use a larger class or set %s.performanceInsights: false", quote(f.class), key)
		}
	}
	if d.AllocatedStorage < minDBStorage || d.AllocatedStorage > maxDBStorage {
		p.add(key+".allocatedStorage", "%d must be between %d and %d GiB", d.AllocatedStorage, minDBStorage, maxDBStorage)
	}
	// RDS wants the autoscaling threshold at least 10% above the allocated storage.
	if floor := (d.AllocatedStorage*11 + 9) / 10; d.MaxAllocatedStorage < floor || d.MaxAllocatedStorage > maxDBStorage {
		p.add(key+".maxAllocatedStorage", "%d must be at least 10%% above allocatedStorage (%d, so %d or more) and at most %d GiB", d.MaxAllocatedStorage, d.AllocatedStorage, floor, maxDBStorage)
	}
	if d.Replicas < 1 || d.Replicas > maxDBReplicas {
		p.add(key+".replicas", "%d must be between 1 and %d", d.Replicas, maxDBReplicas)
	}
	// Every stack has replicas, and a MySQL replica's source needs automated backups.
	if d.BackupRetentionDays < 1 || d.BackupRetentionDays > maxBackupDays {
		p.add(key+".backupRetentionDays", "%d must be between 1 and %d: a MySQL read replica needs backups on its source", d.BackupRetentionDays, maxBackupDays)
	}
	validateWindows(p, key, "backupWindow", d.BackupWindow, d.MaintenanceWindow, minDBWindowMinutes)
	switch {
	case d.Port == defaultMySQLPort:
		p.add(key+".port", "%d is MySQL's default port; pick another (RDS.23), e.g. 3307", d.Port)
	case d.Port < minRDSPort || d.Port > 65535:
		p.add(key+".port", "%d must be between %d and 65535", d.Port, minRDSPort)
	}
	switch {
	case !mysqlUser.MatchString(d.Username):
		p.add(key+".username", "%s must be 1 to 16 letters, digits or underscores, starting with a letter", quote(d.Username))
	case slices.Contains(reservedDBUsers, strings.ToLower(d.Username)):
		p.add(key+".username", "%s is a default or reserved user name; pick a custom one (RDS.25)", quote(d.Username))
	}
	if !mysqlDBName.MatchString(d.DBName) {
		p.add(key+".dbName", "%s must be 1 to 64 letters, digits or underscores, starting with a letter", quote(d.DBName))
	}
	validateLogRetention(p, key+".logRetentionDays", d.LogRetentionDays)
	if !slices.Contains(monitoringIntervals, d.MonitoringInterval) {
		p.add(key+".monitoringInterval", "%d must be one of %s seconds", d.MonitoringInterval, joinInts(monitoringIntervals))
	}

	if d.Tier != TierProduction {
		return
	}
	ex := key + ".exceptions."
	need := func(relaxed bool, field, exception, format string, args ...any) {
		if relaxed && d.exception(exception) == "" {
			p.add(key+"."+field, format+"; a production tier needs %s%s set to the reason", append(args, ex, exception)...)
		}
	}
	need(!d.DeletionProtection, "deletionProtection", "deletionProtection", "false turns off deletion protection (RDS.8)")
	need(d.BackupRetentionDays >= 1 && d.BackupRetentionDays < minProdBackupDays, "backupRetentionDays", "backupRetention", "%d keeps backups for less than %d days (RDS.11)", d.BackupRetentionDays, minProdBackupDays)
	need(!d.MultiAZ, "multiAz", "multiAz", "false leaves the writer in a single AZ (RDS.5)")
	need(!d.FinalSnapshot, "finalSnapshot", "finalSnapshot", "false deletes the writer without a final snapshot")
	need(!d.Protect, "protect", "protect", "false lets `pulumi destroy` delete the database")
	need(d.MonitoringInterval == 0, "monitoringInterval", "enhancedMonitoring", "0 turns off enhanced monitoring (RDS.6)")
}

func (d *DatabaseConfig) exception(name string) string {
	return map[string]string{
		"deletionProtection": d.Exceptions.DeletionProtection,
		"backupRetention":    d.Exceptions.BackupRetention,
		"multiAz":            d.Exceptions.MultiAZ,
		"finalSnapshot":      d.Exceptions.FinalSnapshot,
		"protect":            d.Exceptions.Protect,
		"enhancedMonitoring": d.Exceptions.EnhancedMonitoring,
	}[name]
}

func (c *CacheConfig) validate(p *problems, key string) {
	validateTier(p, key+".tier", c.Tier)
	switch c.Engine {
	case "redis":
		if !slices.Contains(redisVersions, c.EngineVersion) {
			p.add(key+".engineVersion", "%s is not a redis version ElastiCache offers with TLS, AUTH and transitEncryptionMode, which needs Redis OSS 7.0.5 or later (%s)", quote(c.EngineVersion), strings.Join(redisVersions, ", "))
		}
	case "valkey":
		m := majorMinor.FindStringSubmatch(c.EngineVersion)
		if major, _ := strconv.Atoi(safeIndex(m, 1)); m == nil || major < 7 || (major == 7 && m[2] != "2") {
			p.add(key+".engineVersion", "%s is not a valkey version such as \"7.2\" or \"8.0\"", quote(c.EngineVersion))
		}
	default:
		p.add(key+".engine", "%s must be \"redis\" or \"valkey\"", quote(c.Engine))
	}
	if !cacheNodeType.MatchString(c.NodeType) || strings.HasPrefix(c.NodeType, "cache.t1.") {
		p.add(key+".nodeType", "%s is not an ElastiCache node type such as \"cache.t4g.small\"", quote(c.NodeType))
	}
	if c.Nodes < 1 || c.Nodes > maxCacheNodes {
		p.add(key+".nodes", "%d must be between 1 and %d (one primary and up to %d replicas)", c.Nodes, maxCacheNodes, maxCacheNodes-1)
	}
	if c.MultiAZ && c.Nodes == 1 {
		p.add(key+".multiAz", "true needs at least 2 nodes for automatic failover; set %s.nodes to 2 or more", key)
	}
	if c.SnapshotRetentionDays < 1 || c.SnapshotRetentionDays > maxBackupDays {
		p.add(key+".snapshotRetentionDays", "%d must be between 1 and %d (ElastiCache.1)", c.SnapshotRetentionDays, maxBackupDays)
	}
	validateWindows(p, key, "snapshotWindow", c.SnapshotWindow, c.MaintenanceWindow, minCacheWindowMins)
	if c.Port < 1024 || c.Port > 65535 {
		p.add(key+".port", "%d must be between 1024 and 65535", c.Port)
	}
	validateLogRetention(p, key+".logRetentionDays", c.LogRetentionDays)

	if c.Tier != TierProduction {
		return
	}
	ex := key + ".exceptions."
	if !c.MultiAZ && c.Exceptions.MultiAZ == "" {
		p.add(key+".multiAz", "false leaves the cache without automatic failover (ElastiCache.3); a production tier needs %smultiAz set to the reason", ex)
	}
	if !c.Protect && c.Exceptions.Protect == "" {
		p.add(key+".protect", "false lets `pulumi destroy` delete the cache; a production tier needs %sprotect set to the reason", ex)
	}
}

// validateDataCrossSection checks the rules that span the data sections and the network.
func (c *Config) validateDataCrossSection(p *problems) {
	if c.Database.Port == c.Cache.Port {
		p.add(Namespace+":cache.port", "%d is also %s:database.port; the two tiers need different ports", c.Cache.Port, Namespace)
	}
	if c.Cache.Nodes > 1 && c.Cache.MultiAZ && c.Network.AZCount < 2 {
		p.add(Namespace+":cache.multiAz", "true needs %s:network.azCount of 2 or more", Namespace)
	}
}

func safeIndex(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// DataRelaxations lists the data-tier controls this stack's config relaxes.
func (c *Config) DataRelaxations() []contract.Relaxation {
	var out []contract.Relaxation
	d, cc := &c.Database, &c.Cache
	add := func(relaxed bool, control, section, field, exception, reason string, prod bool) {
		if !relaxed {
			return
		}
		typ := contract.TypeRDSInstance
		if section == "cache" {
			typ = contract.TypeElastiCacheReplicationGroup
		}
		key := fmt.Sprintf("%s:%s.%s", Namespace, section, field)
		if prod {
			key = fmt.Sprintf("%s:%s.exceptions.%s", Namespace, section, exception)
		}
		out = append(out, contract.Relaxation{Check: control, Type: typ, Key: key, Reason: reason})
	}
	dp, cp := d.Tier == TierProduction, cc.Tier == TierProduction
	add(!d.DeletionProtection, "RDS.8", "database", "deletionProtection", "deletionProtection", d.Exceptions.DeletionProtection, dp)
	add(d.BackupRetentionDays < minProdBackupDays, "RDS.11", "database", "backupRetentionDays", "backupRetention", d.Exceptions.BackupRetention, dp)
	add(!d.MultiAZ, "RDS.5", "database", "multiAz", "multiAz", d.Exceptions.MultiAZ, dp)
	add(!d.FinalSnapshot, "REL09-BP03/final-snapshot", "database", "finalSnapshot", "finalSnapshot", d.Exceptions.FinalSnapshot, dp)
	add(d.MonitoringInterval == 0, "RDS.6", "database", "monitoringInterval", "enhancedMonitoring", d.Exceptions.EnhancedMonitoring, dp)
	add(!d.Protect, "webstack/protect", "database", "protect", "protect", d.Exceptions.Protect, dp)
	add(!cc.MultiAZ, "ElastiCache.3", "cache", "multiAz", "multiAz", cc.Exceptions.MultiAZ, cp)
	add(!cc.Protect, "webstack/protect", "cache", "protect", "protect", cc.Exceptions.Protect, cp)
	if reason := cc.Exceptions.AuthTokenRotation; reason != "" {
		for _, control := range []string{"SecretsManager.1", "SecretsManager.4"} {
			out = append(out, contract.Relaxation{Check: control, Type: contract.TypeSecretsManagerSecret, Name: contract.CacheAuthSecret,
				Key: Namespace + ":cache.exceptions.authTokenRotation", Reason: reason})
		}
	}
	return out
}

// validateWindows checks a section's daily window (backups or snapshots, under dailyKey) and
// its weekly maintenanceWindow: each well formed and at least minMinutes long, and the two
// never overlapping.
func validateWindows(p *problems, key, dailyKey, daily, weekly string, minMinutes int) {
	d, dErr := parseDailyWindow(daily)
	if dErr != nil {
		p.add(key+"."+dailyKey, "%s %v", quote(daily), dErr)
	} else if d.minutes() < minMinutes {
		p.add(key+"."+dailyKey, "%s must be at least %d minutes long", quote(daily), minMinutes)
	}
	w, wErr := parseWeeklyWindow(weekly)
	if wErr != nil {
		p.add(key+".maintenanceWindow", "%s %v", quote(weekly), wErr)
	} else if w.minutes() < minMinutes {
		p.add(key+".maintenanceWindow", "%s must be at least %d minutes long", quote(weekly), minMinutes)
	}
	if dErr == nil && wErr == nil && d.overlaps(w) {
		p.add(key+"."+dailyKey, "%s overlaps %s.maintenanceWindow %s", quote(daily), key, quote(weekly))
	}
}
