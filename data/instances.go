package data

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- Writer and replicas -----------------------------------------------------------------------

// instanceArgs returns the settings every instance shares, writer and replicas alike, and its
// options: after its log groups and the monitoring role's policy.
func (b *dbBuilder) instanceArgs(identifier, class string, logGroups []pulumi.Resource) (*rds.InstanceArgs, []pulumi.ResourceOption) {
	a := b.args
	ia := &rds.InstanceArgs{
		Identifier:                       pulumi.String(identifier),
		InstanceClass:                    pulumi.String(class),
		StorageType:                      pulumi.String("gp3"),
		StorageEncrypted:                 pulumi.Bool(true),
		MaxAllocatedStorage:              pulumi.Int(a.MaxAllocatedStorage),
		Port:                             pulumi.Int(a.Port),
		VpcSecurityGroupIds:              pulumi.StringArray{a.SecurityGroupID},
		PubliclyAccessible:               pulumi.Bool(false),
		ParameterGroupName:               b.params.Name,
		OptionGroupName:                  b.options.Name,
		EnabledCloudwatchLogsExports:     pulumi.ToStringArray(MySQLLogExports),
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		PerformanceInsightsEnabled:       pulumi.Bool(!a.DisablePerformanceInsights),
		PerformanceInsightsKmsKeyId:      b.piKeyARN,
		MonitoringInterval:               pulumi.Int(a.monitoringInterval()),
		MonitoringRoleArn:                b.monitoringRoleARN,
		CopyTagsToSnapshot:               pulumi.Bool(true),
		AutoMinorVersionUpgrade:          pulumi.Bool(true),
		AllowMajorVersionUpgrade:         pulumi.Bool(false),
		ApplyImmediately:                 pulumi.Bool(a.ApplyImmediately),
		BackupRetentionPeriod:            pulumi.Int(a.BackupRetentionDays),
		BackupWindow:                     pulumi.String(a.BackupWindow),
		MaintenanceWindow:                pulumi.String(a.MaintenanceWindow),
		DeletionProtection:               pulumi.Bool(!a.DisableDeletionProtection),
		Tags:                             pulumi.StringMap{"Name": pulumi.String(identifier)},
	}
	if !a.DisablePerformanceInsights {
		ia.PerformanceInsightsRetentionPeriod = pulumi.Int(7)
	}
	deps := append(append([]pulumi.Resource{}, logGroups...), b.monitoringDeps...)
	// The identifiers are fixed, so a replacement must delete the old instance before it
	// creates the new one (RDS refuses a second instance with the same identifier,
	// DBInstanceAlreadyExists). The provider already does so for an identifier that was
	// not auto-named; saying it here keeps that from depending on the provider.
	return ia, []pulumi.ResourceOption{b.parent, pulumi.Protect(!a.DisableProtect), pulumi.DependsOn(deps), pulumi.DeleteBeforeReplace(true)}
}

// logGroups registers the log groups of one instance's exported logs (MySQLLogExports), with
// LogRetentionDays; the instance is created after them.
func (b *dbBuilder) logGroups(role, identifier string) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	for _, log := range MySQLLogExports {
		lg, err := newLogGroup(b.ctx, fmt.Sprintf("%s-%s-%s-logs", b.name, role, log),
			fmt.Sprintf("/aws/rds/instance/%s/%s", identifier, log), b.args.LogRetentionDays, b.parent)
		if err != nil {
			return nil, err
		}
		out = append(out, lg)
	}
	return out, nil
}

// newWriter registers the writer, after its log groups, and its alarms.
func (b *dbBuilder) newWriter(password *random.RandomPassword, replacedBy map[string]string) (*rds.Instance, error) {
	a := b.args
	writerLogs, err := b.logGroups("primary", a.Identifier)
	if err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}
	wa, wopts := b.instanceArgs(a.Identifier, a.InstanceClass, writerLogs)
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
	wa.EngineLifecycleSupport = pulumi.String(a.lifecycle())
	// The program generates the password and keeps it in a secret it owns. RDS's own managed
	// password (ManageMasterUserPassword) cannot be used: RDS refuses MySQL read replicas of a
	// source that has it (RDS User Guide, "Limitations for Secrets Manager integration with
	// Amazon RDS"; terraform-aws-modules/terraform-aws-rds#512). The rotation function then
	// changes the password in MySQL with SET PASSWORD, which RDS never reads back, so neither
	// a rotation nor a refresh diffs this input; it changes only with the password's keepers.
	wa.Password = pulumi.ToSecret(password.Result).(pulumi.StringOutput)
	wa.DbSubnetGroupName = b.subnets.Name
	wa.MultiAz = pulumi.Bool(!a.DisableMultiAZ)
	if a.DisableMultiAZ {
		// A single-AZ writer is pinned so that the replicas can be placed elsewhere; a
		// Multi-AZ writer must not name an AZ (InvalidParameterCombination,
		// hashicorp/terraform-provider-aws#39225).
		wa.AvailabilityZone = pulumi.String(a.AZs[0])
	}
	wa.SkipFinalSnapshot = pulumi.Bool(a.DisableFinalSnapshot)
	if !a.DisableFinalSnapshot {
		suffix, err := newFinalSnapshotSuffix(b.ctx, b.name, replacedBy, b.parent)
		if err != nil {
			return nil, fmt.Errorf("data: database: %w", err)
		}
		wa.FinalSnapshotIdentifier = pulumi.Sprintf("%s-final-%s", a.Identifier, suffix.Hex)
	}
	// Automated backups outlive the writer only where a final snapshot is kept too; without
	// one they would only cost money and keep the option group in use
	// (InvalidOptionGroupStateFault, hashicorp/terraform-provider-aws#4595).
	wa.DeleteAutomatedBackups = pulumi.Bool(a.DisableFinalSnapshot)
	writer, err := rds.NewInstance(b.ctx, b.name+"-primary", wa, wopts...)
	if err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}
	b.db.Identifiers = append(b.db.Identifiers, a.Identifier)
	if err := b.db.addAlarms(b.ctx, b.name+"-primary", a.Identifier, false, &a.Alarms, b.parent); err != nil {
		return nil, fmt.Errorf("data: database primary: %w", err)
	}
	return writer, nil
}

// newReplicas registers the read replicas, each after its log groups and with its alarms,
// never in the writer's preferred AZ (AZs[0]).
func (b *dbBuilder) newReplicas(writer *rds.Instance) ([]*rds.Instance, error) {
	a := b.args
	var readers []*rds.Instance
	for i := 0; i < a.Replicas; i++ {
		az := a.AZs[1+i%(len(a.AZs)-1)]
		identifier := fmt.Sprintf("%s-replica-%d", a.Identifier, i+1)
		role := fmt.Sprintf("replica-%d", i+1)
		lgs, err := b.logGroups(role, identifier)
		if err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
		ra, ropts := b.instanceArgs(identifier, a.ReplicaInstanceClass, lgs)
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
		r, err := rds.NewInstance(b.ctx, fmt.Sprintf("%s-%s", b.name, role), ra, ropts...)
		if err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
		readers = append(readers, r)
		b.db.ReplicaAZs = append(b.db.ReplicaAZs, az)
		b.db.Identifiers = append(b.db.Identifiers, identifier)
		if err := b.db.addAlarms(b.ctx, fmt.Sprintf("%s-%s", b.name, role), identifier, true, &a.Alarms, b.parent); err != nil {
			return nil, fmt.Errorf("data: database %s: %w", role, err)
		}
	}
	return readers, nil
}

// lifecycle is the writer's RDS engine lifecycle support: extended support only when asked for.
func (a *DatabaseArgs) lifecycle() string {
	if a.ExtendedSupport {
		return LifecycleExtendedSupport
	}
	return LifecycleStandardOnly
}

// keepers returns what replaces the writer (the provider forces a new instance when one of
// these changes) and the keepers of the master password: those and what the secret's JSON
// holds besides the password. replacedBy also keeps the final snapshot's suffix.
func (a *DatabaseArgs) keepers() (replacedBy, pwKeepers map[string]string) {
	writerAZ := ""
	if a.DisableMultiAZ {
		writerAZ = a.AZs[0]
	}
	replacedBy = map[string]string{
		"identifier": a.Identifier, "engine": "mysql", "username": a.Username, "dbName": a.DBName,
		"availabilityZone": writerAZ, "storageEncrypted": "true",
	}
	pwKeepers = maps.Clone(replacedBy)
	pwKeepers["port"] = strconv.Itoa(a.Port)
	// The secret's "ssl" key. A keeper like the rest of the JSON: should the JSON's shape ever
	// change, the changed first version carries a new password that the writer gets in the
	// same `up`, never the stale first one.
	pwKeepers["ssl"] = "true"
	return replacedBy, pwKeepers
}
