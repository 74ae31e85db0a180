package data

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/alarm"
)

// MySQLLogExports are the MySQL logs every instance exports to CloudWatch Logs (RDS.9).
var MySQLLogExports = []string{"audit", "error", "general", "slowquery"}

// MonitoringIntervals are the enhanced monitoring intervals RDS accepts, in seconds.
var MonitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

// DatabaseArgs configures a Database.
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
	// MultiAZ gives the writer a standby in another AZ. When false, the writer is pinned to
	// AZs[0]. Optional. Defaults to false.
	MultiAZ bool
	// Replicas is how many read replicas to create. Required; at least 1.
	Replicas int
	// BackupRetentionDays is how long automated backups are kept. Required; 1 to 35 (replicas
	// need backups on their source).
	BackupRetentionDays int
	// BackupWindow ("hh:mm-hh:mm") and MaintenanceWindow ("ddd:hh:mm-ddd:hh:mm") are UTC and
	// must not overlap. Required.
	BackupWindow, MaintenanceWindow string
	// DeletionProtection turns on RDS deletion protection on every instance. Optional.
	// Defaults to false.
	DeletionProtection bool
	// FinalSnapshot keeps a snapshot "<Identifier>-final-<8 hex digits>" when the writer is
	// deleted and keeps its automated backups; without it the writer is deleted with its
	// automated backups. Optional. Defaults to false.
	FinalSnapshot bool
	// ApplyImmediately applies changes RDS would otherwise hold for the maintenance window
	// (instance class, storage, engine version, Multi-AZ, the CA certificate) at once.
	// Optional. Defaults to false.
	ApplyImmediately bool
	// Protect sets Pulumi's protect option on the writer and the replicas. Optional. Defaults
	// to false.
	Protect bool
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
	// PerformanceInsights turns on Performance Insights (7 days, free tier), encrypted with a
	// customer-managed KMS key the database creates. Optional. Defaults to false.
	PerformanceInsights bool
	// MonitoringInterval is the enhanced monitoring interval in seconds; 0 turns it off.
	// Optional. Defaults to 0.
	MonitoringInterval int
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
}

// NewDatabase registers the RDS MySQL writer, its read replicas and what they need.
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		return nil, errors.New("data: database args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("data: database %s: %w", name, err)
	}
	db := &Database{}
	if err := ctx.RegisterComponentResource("webstack:data:Database", name, db, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(db)

	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Description: pulumi.Sprintf("%s data subnets", a.Identifier),
		SubnetIds:   a.SubnetIDs,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("data: database subnet group: %w", err)
	}
	params, err := newParameterGroup(ctx, name, a.Identifier, a.EngineVersion, a.GeneralLog, parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	// A kept final snapshot and kept automated backups use the option group, so it is kept
	// with them.
	options, err := newOptionGroup(ctx, name, a.Identifier, a.EngineVersion, a.FinalSnapshot, parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	var monitoringRoleARN pulumi.StringPtrInput
	var monitoringDeps []pulumi.Resource
	if a.MonitoringInterval > 0 {
		role, attachment, err := newMonitoringRole(ctx, name, a.Partition, parent)
		if err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
		monitoringRoleARN = role.Arn
		monitoringDeps = append(monitoringDeps, attachment)
	}
	var piKeyARN pulumi.StringPtrInput
	if a.PerformanceInsights {
		key, err := newPerformanceInsightsKey(ctx, name, a.Identifier, a.Partition, a.AccountID, parent)
		if err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
		piKeyARN = key.Arn
	}
	lifecycle := LifecycleStandardOnly
	if a.ExtendedSupport {
		lifecycle = LifecycleExtendedSupport
	}

	// Settings every instance shares, writer and replicas alike.
	common := func(identifier, class string, logGroups []pulumi.Resource) (*rds.InstanceArgs, []pulumi.ResourceOption) {
		ia := &rds.InstanceArgs{
			Identifier:                       pulumi.String(identifier),
			InstanceClass:                    pulumi.String(class),
			StorageType:                      pulumi.String("gp3"),
			StorageEncrypted:                 pulumi.Bool(true),
			MaxAllocatedStorage:              pulumi.Int(a.MaxAllocatedStorage),
			Port:                             pulumi.Int(a.Port),
			VpcSecurityGroupIds:              pulumi.StringArray{a.SecurityGroupID},
			PubliclyAccessible:               pulumi.Bool(false),
			ParameterGroupName:               params.Name,
			OptionGroupName:                  options.Name,
			EnabledCloudwatchLogsExports:     pulumi.ToStringArray(MySQLLogExports),
			IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
			PerformanceInsightsEnabled:       pulumi.Bool(a.PerformanceInsights),
			PerformanceInsightsKmsKeyId:      piKeyARN,
			MonitoringInterval:               pulumi.Int(a.MonitoringInterval),
			MonitoringRoleArn:                monitoringRoleARN,
			CopyTagsToSnapshot:               pulumi.Bool(true),
			AutoMinorVersionUpgrade:          pulumi.Bool(true),
			AllowMajorVersionUpgrade:         pulumi.Bool(false),
			ApplyImmediately:                 pulumi.Bool(a.ApplyImmediately),
			BackupRetentionPeriod:            pulumi.Int(a.BackupRetentionDays),
			BackupWindow:                     pulumi.String(a.BackupWindow),
			MaintenanceWindow:                pulumi.String(a.MaintenanceWindow),
			DeletionProtection:               pulumi.Bool(a.DeletionProtection),
			Tags:                             pulumi.StringMap{"Name": pulumi.String(identifier)},
		}
		if a.PerformanceInsights {
			ia.PerformanceInsightsRetentionPeriod = pulumi.Int(7)
		}
		deps := append(append([]pulumi.Resource{}, logGroups...), monitoringDeps...)
		// The identifiers are fixed, so a replacement must delete the old instance before it
		// creates the new one (RDS refuses a second instance with the same identifier,
		// DBInstanceAlreadyExists). The provider already does so for an identifier that was
		// not auto-named; saying it here keeps that from depending on the provider.
		return ia, []pulumi.ResourceOption{parent, pulumi.Protect(a.Protect), pulumi.DependsOn(deps), pulumi.DeleteBeforeReplace(true)}
	}
	logGroups := func(role, identifier string) ([]pulumi.Resource, error) {
		var out []pulumi.Resource
		for _, log := range MySQLLogExports {
			lg, err := newLogGroup(ctx, fmt.Sprintf("%s-%s-%s-logs", name, role, log),
				fmt.Sprintf("/aws/rds/instance/%s/%s", identifier, log), a.LogRetentionDays, parent)
			if err != nil {
				return nil, err
			}
			out = append(out, lg)
		}
		return out, nil
	}

	// What replaces the writer (the provider forces a new instance when one of these changes)
	// and what the secret's JSON holds besides the password: the keepers of the password and
	// of the final snapshot's suffix.
	writerAZ := ""
	if !a.MultiAZ {
		writerAZ = a.AZs[0]
	}
	replacedBy := map[string]string{
		"identifier": a.Identifier, "engine": "mysql", "username": a.Username, "dbName": a.DBName,
		"availabilityZone": writerAZ, "storageEncrypted": "true",
	}
	pwKeepers := maps.Clone(replacedBy)
	pwKeepers["port"] = strconv.Itoa(a.Port)
	// The secret's "ssl" key. A keeper like the rest of the JSON: should the JSON's shape ever
	// change, the changed first version carries a new password that the writer gets in the
	// same `up`, never the stale first one.
	pwKeepers["ssl"] = "true"
	password, err := newMasterPassword(ctx, name, pwKeepers, parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}
	secret, err := newMasterSecret(ctx, name, a.Identifier, parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}

	// Writer.
	writerLogs, err := logGroups("primary", a.Identifier)
	if err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}
	wa, wopts := common(a.Identifier, a.InstanceClass, writerLogs)
	wa.Engine = pulumi.String("mysql")
	wa.EngineVersion = pulumi.String(a.EngineVersion)
	wa.AllocatedStorage = pulumi.Int(a.AllocatedStorage)
	wa.DbName = pulumi.String(a.DBName)
	wa.Username = pulumi.String(a.Username)
	// Only the writer states its lifecycle. CreateDBInstanceReadReplica and ModifyDBInstance
	// take no EngineLifecycleSupport (RDS API reference), so a replica's value is whatever RDS
	// gives it; the argument is optional and computed, so leaving it unset on a replica diffs
	// nothing whatever RDS reports, where a stated value RDS did not apply would diff on every
	// `up` and could never be applied.
	wa.EngineLifecycleSupport = pulumi.String(lifecycle)
	// The program generates the password and keeps it in a secret it owns. RDS's own managed
	// password (ManageMasterUserPassword) cannot be used: RDS refuses MySQL read replicas of a
	// source that has it (RDS User Guide, "Limitations for Secrets Manager integration with
	// Amazon RDS"; terraform-aws-modules/terraform-aws-rds#512). The rotation function then
	// changes the password in MySQL with SET PASSWORD, which RDS never reads back, so neither
	// a rotation nor a refresh diffs this input; it changes only with the password's keepers.
	wa.Password = pulumi.ToSecret(password.Result).(pulumi.StringOutput)
	wa.DbSubnetGroupName = subnets.Name
	wa.MultiAz = pulumi.Bool(a.MultiAZ)
	if !a.MultiAZ {
		// A single-AZ writer is pinned so that the replicas can be placed elsewhere; a
		// Multi-AZ writer must not name an AZ (InvalidParameterCombination,
		// hashicorp/terraform-provider-aws#39225).
		wa.AvailabilityZone = pulumi.String(a.AZs[0])
	}
	wa.SkipFinalSnapshot = pulumi.Bool(!a.FinalSnapshot)
	if a.FinalSnapshot {
		suffix, err := newFinalSnapshotSuffix(ctx, name, replacedBy, parent)
		if err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
		wa.FinalSnapshotIdentifier = pulumi.Sprintf("%s-final-%s", a.Identifier, suffix.Hex)
	}
	// Automated backups outlive the writer only where a final snapshot is kept too; without
	// one they would only cost money and keep the option group in use
	// (InvalidOptionGroupStateFault, hashicorp/terraform-provider-aws#4595).
	wa.DeleteAutomatedBackups = pulumi.Bool(!a.FinalSnapshot)
	writer, err := rds.NewInstance(ctx, name+"-primary", wa, wopts...)
	if err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}
	db.Identifiers = append(db.Identifiers, a.Identifier)
	if err := db.addAlarms(ctx, name+"-primary", a.Identifier, false, &a.Alarms, parent); err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}

	// The secret's first value needs the writer's address; rotation needs the value.
	version, err := newMasterSecretVersion(ctx, name, secret,
		secretJSON(writer.Address, password.Result, a.Port, a.Username, a.DBName), parent)
	if err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}

	// Read replicas, never in the writer's preferred AZ (AZs[0]).
	var readers []*rds.Instance
	for i := 0; i < a.Replicas; i++ {
		az := a.AZs[1+i%(len(a.AZs)-1)]
		identifier := fmt.Sprintf("%s-replica-%d", a.Identifier, i+1)
		role := fmt.Sprintf("replica-%d", i+1)
		lgs, err := logGroups(role, identifier)
		if err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
		ra, ropts := common(identifier, a.ReplicaInstanceClass, lgs)
		// Same region, no DbSubnetGroupName: the source's identifier is the reference and
		// the replica joins the source's subnet group (with a subnet group it would have to
		// be the ARN; pulumi-aws rds.InstanceArgs.ReplicateSourceDb). Engine, storage size,
		// user, password and database name come from the source: a replica sets none of
		// the credential arguments.
		ra.ReplicateSourceDb = writer.Identifier
		ra.AvailabilityZone = pulumi.String(az)
		ra.MultiAz = pulumi.Bool(false)
		// A replica may never name a final snapshot ("FinalDBSnapshotIdentifier can not be
		// specified when deleting a replica instance", hashicorp/terraform-provider-aws#4276);
		// the writer has the data.
		ra.SkipFinalSnapshot = pulumi.Bool(true)
		ra.DeleteAutomatedBackups = pulumi.Bool(true)
		// A replaced writer replaces its replicas. Nothing in a replica's inputs changes
		// with the writer (replicateSourceDb is the same fixed identifier, and it does not
		// force a new replica anyway), yet RDS promotes the replicas of a deleted source to
		// standalone instances (RDS User Guide, "Working with DB instance read replicas"),
		// which can never follow the new writer: the next `up` would try to make a
		// standalone instance a replica again and fail. With replaceWith, Pulumi deletes the
		// replicas before it deletes the writer (its delete-before-replace takes them along)
		// and creates them again from the new writer. replaceWith needs Pulumi CLI 3.207.0 or
		// later; an older CLI refuses the program with a message saying so.
		ropts = append(ropts, pulumi.ReplaceWith([]pulumi.Resource{writer}))
		r, err := rds.NewInstance(ctx, fmt.Sprintf("%s-%s", name, role), ra, ropts...)
		if err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
		readers = append(readers, r)
		db.ReplicaAZs = append(db.ReplicaAZs, az)
		db.Identifiers = append(db.Identifiers, identifier)
		if err := db.addAlarms(ctx, fmt.Sprintf("%s-%s", name, role), identifier, true, &a.Alarms, parent); err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
	}

	// Password rotation. The first rotation runs during the first `up`; it waits for the
	// replicas too, so that the password never changes while RDS is still creating one from
	// the writer.
	rotDeps := append([]pulumi.Resource{version, writer}, a.RotationDependsOn...)
	for _, r := range readers {
		rotDeps = append(rotDeps, r)
	}
	functionName := a.Identifier + "-rotation"
	if a.Alarms.TopicARN != nil {
		set, err := rotationAlarms(ctx, name+"-rotation", functionName, a.Alarms.TopicARN, parent)
		if err != nil {
			return nil, fmt.Errorf("data: database rotation: alarms: %w", err)
		}
		db.Alarms = append(db.Alarms, set...)
		// The first rotation runs during this `up`: its failure must already be watched.
		for _, al := range set {
			rotDeps = append(rotDeps, al)
		}
	}
	if _, err := newRotation(ctx, name, secret, &rotationArgs{
		stackName:        a.Identifier + "-rotation",
		functionName:     functionName,
		partition:        a.Partition,
		region:           a.Region,
		version:          a.RotationAppVersion,
		days:             a.PasswordRotationDays,
		logRetentionDays: a.LogRetentionDays,
		subnetIDs:        a.RotationSubnetIDs,
		securityGroupID:  a.RotationSecurityGroupID,
		alertTopicARN:    a.EventTopicARN,
		dependsOn:        rotDeps,
	}, parent); err != nil {
		return nil, fmt.Errorf("data: database: %w", err)
	}

	if a.EventTopicARN != nil {
		ids := pulumi.StringArray{writer.Identifier}
		for _, r := range readers {
			ids = append(ids, r.Identifier)
		}
		if err := newEventSubscriptions(ctx, name, a.EventTopicARN, ids, params.Name, parent); err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
	}

	db.WriterAddress = writer.Address
	db.WriterEndpoint = writer.Endpoint
	db.WriterARN = writer.Arn
	db.WriterIdentifier = writer.Identifier
	db.Port = writer.Port
	db.DBName = writer.DbName
	db.Username = writer.Username
	addresses, endpoints := pulumi.StringArray{}, pulumi.StringArray{}
	for _, r := range readers {
		addresses = append(addresses, r.Address)
		endpoints = append(endpoints, r.Endpoint)
	}
	db.ReaderAddresses = addresses.ToStringArrayOutput()
	db.ReaderEndpoints = endpoints.ToStringArrayOutput()
	db.MasterSecretARN = secret.Arn

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
