package data

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/alarm"
)

// MySQLLogExports are the MySQL logs every instance exports to CloudWatch Logs (RDS.9).
var MySQLLogExports = []string{"audit", "error", "general", "slowquery"}

// MonitoringIntervals are the enhanced monitoring intervals RDS accepts, in seconds (0 is
// off).
var MonitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

// DefaultMonitoringInterval is DatabaseArgs.MonitoringInterval's default, in seconds.
const DefaultMonitoringInterval = 60

// monitoringInterval is the interval the instances get: 0 when enhanced monitoring is off.
func (a *DatabaseArgs) monitoringInterval() int {
	switch {
	case a.DisableEnhancedMonitoring:
		return 0
	case a.MonitoringInterval == 0:
		return DefaultMonitoringInterval
	}
	return a.MonitoringInterval
}

// DatabaseArgs configures a Database. Its zero values are the secure choices: an optional
// field left unset never turns a control off (Multi-AZ, deletion protection, the final snapshot
// and Pulumi's protect are on unless a Disable field says otherwise).
type DatabaseArgs struct {
	// Identifier is the writer's RDS identifier; replicas are "<Identifier>-replica-<n>".
	// Required; lowercase letters, digits and single hyphens, starting with a letter.
	Identifier string
	// EngineVersion is the MySQL version: a major ("8.4", kept on its newest minor by automatic
	// minor upgrades) or a full version ("8.4.5"). Optional. Defaults to "8.4". An 8.0 version
	// needs ExtendedSupport.
	EngineVersion string
	// ExtendedSupport enrolls the instances in RDS Extended Support
	// (LifecycleExtendedSupport), which a major past its end of standard support (8.0, since
	// 2026-07-31) needs and which is billed per vCPU-hour from then on. Without it the instances
	// are created with LifecycleStandardOnly, and RDS upgrades them when their major's standard
	// support ends. Optional. Defaults to false.
	ExtendedSupport bool
	// InstanceClass is the writer's class. Required.
	InstanceClass string
	// ReplicaInstanceClass is each replica's class. Optional. Defaults to InstanceClass.
	ReplicaInstanceClass string
	// AllocatedStorage is the initial gp3 storage in GiB. Required.
	AllocatedStorage int
	// MaxAllocatedStorage is the storage autoscaling ceiling in GiB. Required; more than
	// AllocatedStorage.
	MaxAllocatedStorage int
	// DisableMultiAZ gives the writer no standby in another AZ and pins it to AZs[0].
	// Optional. Default: false, a Multi-AZ writer.
	DisableMultiAZ bool
	// Replicas is how many read replicas to create. Required; at least 1.
	Replicas int
	// BackupRetentionDays is how long automated backups are kept. Required; 1 to 35 (replicas
	// need backups on their source).
	BackupRetentionDays int
	// BackupWindow ("hh:mm-hh:mm") and MaintenanceWindow ("ddd:hh:mm-ddd:hh:mm") are UTC and
	// must not overlap. Required.
	BackupWindow, MaintenanceWindow string
	// DisableDeletionProtection turns off RDS deletion protection on every instance. Optional.
	// Default: false, deletion protection on.
	DisableDeletionProtection bool
	// DisableFinalSnapshot deletes the writer with its automated backups and no final
	// snapshot. Optional. Default: false, a snapshot "<Identifier>-final-<8 hex digits>" is
	// kept when the writer is deleted, and so are its automated backups.
	DisableFinalSnapshot bool
	// ApplyImmediately applies changes RDS would otherwise hold for the maintenance window
	// (instance class, storage, engine version, Multi-AZ, the CA certificate) at once.
	// Optional. Defaults to false.
	ApplyImmediately bool
	// DisableProtect leaves Pulumi's protect option off on the writer and the replicas.
	// Optional. Default: false, both protected.
	DisableProtect bool
	// Port is the MySQL port. Required.
	Port int
	// Username is the master user name. Required.
	Username string
	// DBName is the database created on the writer. Optional. Defaults to "app".
	DBName string
	// LogRetentionDays is the retention of the exported logs. Required.
	LogRetentionDays int
	// GeneralLog turns on MySQL's general query log (general_log=1), which records every
	// statement with its literal values. Its export stays enabled either way. Optional. Defaults
	// to false.
	GeneralLog bool
	// DisablePerformanceInsights turns Performance Insights off. Optional. Default: false,
	// Performance Insights on (7 days, free tier), encrypted with a customer-managed KMS key
	// the database creates.
	DisablePerformanceInsights bool
	// MonitoringInterval is the enhanced monitoring interval in seconds, one of
	// MonitoringIntervals. Optional. Default: DefaultMonitoringInterval.
	MonitoringInterval int
	// DisableEnhancedMonitoring turns enhanced monitoring off (MonitoringInterval is then
	// ignored). Optional. Default: false, enhanced monitoring on.
	DisableEnhancedMonitoring bool
	// Partition, Region and AccountID locate the stack: policy ARNs, the key policy, the rotation
	// application and the Secrets Manager endpoint. Required.
	Partition, Region, AccountID string
	// PasswordRotationDays is how often Secrets Manager rotates the master password. Required;
	// 1 to 1000 (the API's range).
	PasswordRotationDays int
	// RotationAppVersion is the semantic version (MAJOR.MINOR.PATCH) of the rotation
	// application, which decides the rotation function's code and Lambda runtime. It must be
	// published in Partition. Optional. Defaults to PinnedRotationVersion(Partition).
	RotationAppVersion string
	// RotationSubnetIDs are the subnets the rotation function runs in: they must reach the
	// Secrets Manager API (through a NAT gateway or an interface endpoint) and the database.
	// Required.
	RotationSubnetIDs pulumi.StringArrayInput
	// RotationSecurityGroupID is the rotation function's security group; it must be allowed to
	// connect to SecurityGroupID on Port and to the Secrets Manager API. Required.
	RotationSecurityGroupID pulumi.StringInput
	// RotationDependsOn are resources the first rotation needs in place beyond the database
	// (the network: security group rules, routes, endpoints). Optional.
	RotationDependsOn []pulumi.Resource
	// AZs are the availability zones of the data subnets, index-aligned with SubnetIDs.
	// Required; at least 2, so that replicas sit outside AZs[0].
	AZs []string
	// SubnetIDs are the data subnets. Required.
	SubnetIDs pulumi.StringArrayInput
	// SecurityGroupID is the database security group. Required.
	SecurityGroupID pulumi.StringInput
	// EventTopicARN is the SNS topic that receives the instances' maintenance, configuration
	// and failure events (RDS.20), the parameter group's changes (RDS.21) and every failed
	// rotation of the master secret (an EventBridge rule). Optional; nil creates no event
	// subscriptions and no rule.
	EventTopicARN pulumi.StringInput
	// Alarms are the alarms on every instance and on the rotation function's errors; see
	// DatabaseAlarmArgs. Optional. Defaults to none.
	Alarms DatabaseAlarmArgs
}

var rdsIdentifier = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9])*$`)

func (a *DatabaseArgs) withDefaults() DatabaseArgs {
	out := *a
	if out.EngineVersion == "" {
		out.EngineVersion = MySQL84
	}
	if out.ReplicaInstanceClass == "" {
		out.ReplicaInstanceClass = out.InstanceClass
	}
	if out.DBName == "" {
		out.DBName = "app"
	}
	if out.RotationAppVersion == "" {
		out.RotationAppVersion = PinnedRotationVersion(out.Partition)
	}
	return out
}

func (a *DatabaseArgs) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !rdsIdentifier.MatchString(a.Identifier) || len(a.Identifier)+len("-replica-9") > 63 {
		bad("identifier %q must be lowercase letters, digits and single hyphens, start with a letter and leave room for \"-replica-N\" within 63 characters", a.Identifier)
	}
	if a.InstanceClass == "" {
		bad("instance class is required")
	}
	if a.AllocatedStorage <= 0 || a.MaxAllocatedStorage <= a.AllocatedStorage {
		bad("storage %d GiB with autoscaling ceiling %d GiB: both are required and the ceiling must be larger", a.AllocatedStorage, a.MaxAllocatedStorage)
	}
	if a.Replicas < 1 {
		bad("%d replicas: at least 1 is required", a.Replicas)
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > 35 {
		bad("backup retention %d days: must be 1 to 35, a replica's source needs backups", a.BackupRetentionDays)
	}
	if a.BackupWindow == "" || a.MaintenanceWindow == "" {
		bad("backup and maintenance windows are required")
	}
	if a.Port < 1150 || a.Port > 65535 {
		bad("port %d out of range 1150..65535", a.Port)
	}
	if a.Username == "" {
		bad("username is required")
	}
	if a.LogRetentionDays <= 0 {
		bad("log retention %d days: required", a.LogRetentionDays)
	}
	if !slices.Contains(MonitoringIntervals, a.MonitoringInterval) {
		bad("monitoring interval %d is not one of %v", a.MonitoringInterval, MonitoringIntervals)
	}
	switch major := MajorVersion(a.EngineVersion); {
	case major != MySQL80 && major != MySQL84:
		bad("engine version %q is not a MySQL 8.0 or 8.4 version", a.EngineVersion)
	case major == MySQL80 && !a.ExtendedSupport:
		bad("engine version %q is past the end of RDS standard support and needs extended support", a.EngineVersion)
	}
	if _, ok := rotationApplications[a.Partition]; !ok {
		bad("partition %q has no published rotation application (aws, aws-cn, aws-us-gov)", a.Partition)
	} else if !SemanticVersion.MatchString(a.RotationAppVersion) {
		bad("rotation application version %q is not a semantic version MAJOR.MINOR.PATCH", a.RotationAppVersion)
	}
	if a.Region == "" || a.AccountID == "" {
		bad("region and account id are required")
	}
	if a.PasswordRotationDays < 1 || a.PasswordRotationDays > 1000 {
		bad("password rotation every %d days: must be 1 to 1000", a.PasswordRotationDays)
	}
	if a.RotationSubnetIDs == nil || a.RotationSecurityGroupID == nil {
		bad("rotation subnet IDs and security group ID are required")
	}
	if len(a.AZs) < 2 {
		bad("%d availability zones given: replicas need an AZ other than the writer's, so at least 2", len(a.AZs))
	}
	if a.SubnetIDs == nil || a.SecurityGroupID == nil {
		bad("subnet IDs and security group ID are required")
	}
	if err := a.Alarms.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Database is the RDS MySQL writer with its read replicas, and the master credentials in a
// Secrets Manager secret that Secrets Manager rotates.
type Database struct {
	pulumi.ResourceState

	// ReplicaAZs are the availability zones the replicas are pinned to, in replica order.
	ReplicaAZs []string
	// Identifiers are the RDS identifiers of the writer and then the replicas: their metrics'
	// DBInstanceIdentifier dimension.
	Identifiers []string
	// Alarms are the alarms the database registered (none without Alarms.TopicARN).
	Alarms alarm.Set

	// WriterAddress is the writer's DNS name; WriterEndpoint is "address:port".
	WriterAddress  pulumi.StringOutput `pulumi:"writerAddress"`
	WriterEndpoint pulumi.StringOutput `pulumi:"writerEndpoint"`
	// ReaderAddresses are the replicas' DNS names; ReaderEndpoints are "address:port".
	ReaderAddresses pulumi.StringArrayOutput `pulumi:"readerAddresses"`
	ReaderEndpoints pulumi.StringArrayOutput `pulumi:"readerEndpoints"`
	// Port is the MySQL port of every instance.
	Port pulumi.IntOutput `pulumi:"port"`
	// DBName is the database created on the writer; Username is the master user's name.
	DBName   pulumi.StringOutput `pulumi:"dbName"`
	Username pulumi.StringOutput `pulumi:"username"`
	// MasterSecretARN is the ARN of the Secrets Manager secret holding the master user's
	// credentials as JSON (engine, host, port, username, password, dbname, ssl), encrypted
	// with the account's aws/secretsmanager key and rotated every PasswordRotationDays.
	MasterSecretARN pulumi.StringOutput `pulumi:"masterSecretArn"`
	// WriterARN and WriterIdentifier identify the writer.
	WriterARN        pulumi.StringOutput `pulumi:"writerArn"`
	WriterIdentifier pulumi.StringOutput `pulumi:"writerIdentifier"`
	// ResourceIDs are the DbiResourceIds ("db-ABCDEFGHIJKL0123456789") of the writer and then
	// each replica: what an IAM policy names in rds-db:connect
	// (arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>). Each replica
	// has its own, and none is the identifier or the ARN (RDS User Guide, "Creating and using
	// an IAM policy for IAM database access",
	// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
	ResourceIDs pulumi.StringArrayOutput `pulumi:"resourceIds"`
}

// NewDatabase registers the RDS MySQL writer, its read replicas and what they need, in
// registration order: the subnet, parameter and option groups and the monitoring role and
// Performance Insights key (support.go), the master password and secret (credentials.go), the
// writer and the replicas with their log groups and alarms (instances.go), the password rotation
// (credentials.go) and the event subscriptions (events.go).
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, errors.New("data: database args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("data: database %s: %w", name, err)
	}
	db := &Database{}
	if err := ctx.RegisterComponentResource(contract.TypeDataDatabase, name, db, opts...); err != nil {
		return nil, err
	}
	b := &dbBuilder{ctx: ctx, name: name, args: &a, parent: pulumi.Parent(db), db: db}
	if err := b.newSupport(); err != nil {
		return nil, err
	}

	replacedBy, pwKeepers := a.keepers()
	password, err := newMasterPassword(ctx, name, pwKeepers, b.parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	secret, err := newMasterSecret(ctx, name, a.Identifier, b.parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	writer, err := b.newWriter(password, replacedBy)
	if err != nil {
		return nil, err
	}
	// The secret's first value needs the writer's address; rotation needs the value.
	version, err := newMasterSecretVersion(ctx, name, secret,
		secretJSON(writer.Address, password.Result, a.Port, a.Username, a.DBName), b.parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	readers, err := b.newReplicas(writer)
	if err != nil {
		return nil, err
	}
	if err := b.newPasswordRotation(secret, version, writer, readers); err != nil {
		return nil, err
	}
	if a.EventTopicARN != nil {
		ids := pulumi.StringArray{writer.Identifier}
		for _, r := range readers {
			ids = append(ids, r.Identifier)
		}
		if err := newEventSubscriptions(ctx, name, a.EventTopicARN, ids, b.params.Name, b.parent); err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
	}

	db.setOutputs(writer, readers, secret)
	if err := ctx.RegisterResourceOutputs(db, pulumi.Map{
		"writerAddress":   db.WriterAddress,
		"writerEndpoint":  db.WriterEndpoint,
		"readerAddresses": db.ReaderAddresses,
		"readerEndpoints": db.ReaderEndpoints,
		"port":            db.Port,
		"masterSecretArn": db.MasterSecretARN,
	}); err != nil {
		return nil, err
	}
	return db, nil
}

// setOutputs sets the database's outputs from its instances and secret.
func (db *Database) setOutputs(writer *rds.Instance, readers []*rds.Instance, secret *secretsmanager.Secret) {
	db.WriterAddress = writer.Address
	db.WriterEndpoint = writer.Endpoint
	db.WriterARN = writer.Arn
	db.WriterIdentifier = writer.Identifier
	db.Port = writer.Port
	db.DBName = writer.DbName
	db.Username = writer.Username
	addresses, endpoints := pulumi.StringArray{}, pulumi.StringArray{}
	ids := pulumi.StringArray{writer.ResourceId}
	for _, r := range readers {
		addresses = append(addresses, r.Address)
		endpoints = append(endpoints, r.Endpoint)
		ids = append(ids, r.ResourceId)
	}
	db.ReaderAddresses = addresses.ToStringArrayOutput()
	db.ReaderEndpoints = endpoints.ToStringArrayOutput()
	db.ResourceIDs = ids.ToStringArrayOutput()
	db.MasterSecretARN = secret.Arn
}

// dbBuilder registers the database's resources, all children of the Database, in the sections
// NewDatabase calls in order.
type dbBuilder struct {
	ctx    *pulumi.Context
	name   string
	args   *DatabaseArgs
	parent pulumi.ResourceOption
	db     *Database

	// Set by newSupport: what every instance refers to.
	subnets           *rds.SubnetGroup
	params            *rds.ParameterGroup
	options           *rds.OptionGroup
	monitoringRoleARN pulumi.StringPtrInput
	monitoringDeps    []pulumi.Resource
	piKeyARN          pulumi.StringPtrInput
}

// newFinalSnapshotSuffix makes every final snapshot name unique over the stack's life, as
// terraform-aws-modules/terraform-aws-rds does with a random_id: a constant name collides on
// the second deletion (DBSnapshotAlreadyExists). The keepers are what replaces the writer, so
// a replacement writer gets a new suffix (the old one is deleted with the name in its state),
// and a destroyed and rebuilt stack gets a new one with the new resource.
func newFinalSnapshotSuffix(ctx *pulumi.Context, name string, keepers map[string]string, opts ...pulumi.ResourceOption) (*random.RandomId, error) {
	id, err := random.NewRandomId(ctx, name+"-final-snapshot-suffix", &random.RandomIdArgs{
		ByteLength: pulumi.Int(4),
		Keepers:    pulumi.ToStringMap(keepers),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("final snapshot suffix: %w", err)
	}
	return id, nil
}

// addAlarms registers one instance's alarms, when the database has an alert topic.
func (db *Database) addAlarms(ctx *pulumi.Context, name, identifier string, replica bool, a *DatabaseAlarmArgs, opts ...pulumi.ResourceOption) error {
	if a.TopicARN == nil {
		return nil
	}
	set, err := databaseAlarms(ctx, name, identifier, replica, a, opts...)
	if err != nil {
		return fmt.Errorf("alarms: %w", err)
	}
	db.Alarms = append(db.Alarms, set...)
	return nil
}
