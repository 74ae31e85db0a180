package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// writerArgs are a MySQL 8.4 writer every data rule accepts; each case changes one thing.
func writerArgs() *rds.InstanceArgs {
	return &rds.InstanceArgs{
		Identifier:            pulumi.String("w"),
		Engine:                pulumi.String("mysql"),
		EngineVersion:         pulumi.String("8.4"),
		InstanceClass:         pulumi.String("db.m7g.large"),
		AllocatedStorage:      pulumi.Int(20),
		StorageType:           pulumi.String("gp3"),
		Username:              pulumi.String("u"),
		Password:              pulumi.String("Passw0rd!Passw0rd"),
		BackupRetentionPeriod: pulumi.Int(1),
		SkipFinalSnapshot:     pulumi.Bool(true),
	}
}

// writer registers a writer with writerArgs changed by change.
func writer(ctx *pulumi.Context, change func(*rds.InstanceArgs)) (*rds.Instance, error) {
	a := writerArgs()
	if change != nil {
		change(a)
	}
	return rds.NewInstance(ctx, "w", a)
}

// withReplica registers a writer (changed by w) and a replica of it (changed by r).
func withReplica(w, r func(*rds.InstanceArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		src, err := writer(ctx, w)
		if err != nil {
			return err
		}
		a := &rds.InstanceArgs{
			Identifier:        pulumi.String("w-replica-1"),
			InstanceClass:     pulumi.String("db.m7g.large"),
			ReplicateSourceDb: src.Identifier,
			SkipFinalSnapshot: pulumi.Bool(true),
		}
		if r != nil {
			r(a)
		}
		_, err = rds.NewInstance(ctx, "r", a)
		return err
	}
}

// writerWith registers one writer changed by change.
func writerWith(change func(*rds.InstanceArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := writer(ctx, change)
		return err
	}
}

// withParameterGroup registers a parameter group of a family with parameters, and a writer of
// a version using it.
func withParameterGroup(family, version string, params map[string]string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var ps rds.ParameterGroupParameterArray
		for k, v := range params {
			ps = append(ps, rds.ParameterGroupParameterArgs{Name: pulumi.String(k), Value: pulumi.String(v)})
		}
		pg, err := rds.NewParameterGroup(ctx, "pg", &rds.ParameterGroupArgs{Family: pulumi.String(family), Parameters: ps})
		if err != nil {
			return err
		}
		_, err = writer(ctx, func(a *rds.InstanceArgs) {
			a.EngineVersion = pulumi.String(version)
			a.EngineLifecycleSupport = pulumi.String("open-source-rds-extended-support")
			a.ParameterGroupName = pg.Name
		})
		return err
	}
}

// withOptionGroup registers an option group for a major version and a writer of a version.
func withOptionGroup(major, version string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		og, err := rds.NewOptionGroup(ctx, "og", &rds.OptionGroupArgs{EngineName: pulumi.String("mysql"), MajorEngineVersion: pulumi.String(major)})
		if err != nil {
			return err
		}
		_, err = writer(ctx, func(a *rds.InstanceArgs) {
			a.EngineVersion = pulumi.String(version)
			a.EngineLifecycleSupport = pulumi.String("open-source-rds-extended-support")
			a.OptionGroupName = og.Name
		})
		return err
	}
}

// groupArgs are a Multi-AZ Redis 7.1 replication group every data rule accepts.
func groupArgs() *elasticache.ReplicationGroupArgs {
	return &elasticache.ReplicationGroupArgs{
		ReplicationGroupId:       pulumi.String("c"),
		Description:              pulumi.String("cache"),
		Engine:                   pulumi.String("redis"),
		EngineVersion:            pulumi.String("7.1"),
		NodeType:                 pulumi.String("cache.m7g.large"),
		NumCacheClusters:         pulumi.Int(2),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		MultiAzEnabled:           pulumi.Bool(true),
		PreferredCacheClusterAzs: pulumi.ToStringArray([]string{"ap-northeast-2a", "ap-northeast-2b"}),
		TransitEncryptionEnabled: pulumi.Bool(true),
		TransitEncryptionMode:    pulumi.String("required"),
		AuthToken:                pulumi.ToSecret(pulumi.String("abcdefgh12345678!&#$^<>-")).(pulumi.StringOutput),
	}
}

func groupWith(change func(*elasticache.ReplicationGroupArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := groupArgs()
		if change != nil {
			change(a)
		}
		_, err := elasticache.NewReplicationGroup(ctx, "g", a)
		return err
	}
}

// updateOf returns a program that judges the change from what old registers to what new
// registers (the resource named name) with the engine's update rules, as a provider double
// that updates would.
func updateOf(name string, old, new pulumi.RunFunc) pulumi.RunFunc {
	return func(*pulumi.Context) error {
		find := func(program pulumi.RunFunc) (*Resource, error) {
			res, err := Run("webstack", "rules", Options{Region: "ap-northeast-2"}, program)
			if err != nil {
				return nil, err
			}
			for _, r := range res.Resources {
				if r.Name == name {
					return r, nil
				}
			}
			return nil, fmt.Errorf("no resource %s", name)
		}
		before, err := find(old)
		if err != nil {
			return err
		}
		after, err := find(new)
		if err != nil {
			return err
		}
		return New("webstack", "rules", "ap-northeast-2").CheckUpdate(before, after)
	}
}

func slowLog(format string) elasticache.ReplicationGroupLogDeliveryConfigurationArray {
	return elasticache.ReplicationGroupLogDeliveryConfigurationArray{elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
		Destination: pulumi.String("/aws/elasticache/c/slow-log"), DestinationType: pulumi.String("cloudwatch-logs"),
		LogFormat: pulumi.String(format), LogType: pulumi.String("slow-log"),
	}}
}

func rotationWith(change func(*secretsmanager.SecretRotationArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := &secretsmanager.SecretRotationArgs{
			SecretId:          pulumi.String("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:s-abcdef"),
			RotationLambdaArn: pulumi.String("arn:aws:lambda:ap-northeast-2:123456789012:function:rotate"),
			RotationRules:     secretsmanager.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(30)},
		}
		change(a)
		_, err := secretsmanager.NewSecretRotation(ctx, "rot", a)
		return err
	}
}

func rotationStackWith(change func(*serverlessrepository.CloudFormationStackArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := &serverlessrepository.CloudFormationStackArgs{
			Name:            pulumi.String("webstack-prod-db-rotation"),
			ApplicationId:   pulumi.String("arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser"),
			SemanticVersion: pulumi.String("1.1.671"),
			Capabilities:    pulumi.ToStringArray([]string{"CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"}),
			Parameters: pulumi.StringMap{
				"endpoint":     pulumi.String("https://secretsmanager.ap-northeast-2.amazonaws.com"),
				"functionName": pulumi.String("webstack-prod-db-rotation"),
			},
		}
		change(a)
		_, err := serverlessrepository.NewCloudFormationStack(ctx, "fn", a)
		return err
	}
}

// failedRotationPattern is the pattern of the data tier's failed-rotation rule.
const failedRotationPattern = `{"detail":{"additionalEventData":{"SecretId":["arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:s-abcdef"]},` +
	`"eventName":["RotationFailed"],"eventSource":["secretsmanager.amazonaws.com"]},` +
	`"detail-type":["AWS Service Event via CloudTrail"],"source":["aws.secretsmanager"]}`

// eventRuleWith registers an EventBridge rule (changed by change) and a target on rule name
// target ("" for the rule's own name).
func eventRuleWith(change func(*cloudwatch.EventRuleArgs), target string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := &cloudwatch.EventRuleArgs{EventPattern: pulumi.String(failedRotationPattern)}
		change(a)
		rule, err := cloudwatch.NewEventRule(ctx, "rotation-failed", a)
		if err != nil {
			return err
		}
		name := rule.Name
		if target != "" {
			name = pulumi.String(target).ToStringOutput()
		}
		_, err = cloudwatch.NewEventTarget(ctx, "rotation-failed-alert", &cloudwatch.EventTargetArgs{
			Rule: name,
			Arn:  pulumi.String("arn:aws:sns:ap-northeast-2:123456789012:alerts"),
		})
		return err
	}
}

var dataRuleTests = []ruleTest{
	{
		rule: "rds/replica-of-managed-password", want: "InvalidParameterValue: Creating read replicas for source instance with engine mysql where ManageMasterUserPassword is enabled is not supported",
		refused: withReplica(func(a *rds.InstanceArgs) { a.Password, a.ManageMasterUserPassword = nil, pulumi.Bool(true) }, nil),
		allowed: withReplica(nil, nil),
	},
	{
		rule: "rds/multi-az-with-availability-zone", want: "Requesting a specific availability zone is not valid for Multi-AZ instances.",
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.MultiAz, a.AvailabilityZone = pulumi.Bool(true), pulumi.String("ap-northeast-2a")
		}),
		allowed: writerWith(func(a *rds.InstanceArgs) { a.MultiAz = pulumi.Bool(true) }),
	},
	{
		rule: "rds/replica-credentials", name: "username", want: "username: Cannot be specified for a replica",
		refused: withReplica(nil, func(a *rds.InstanceArgs) { a.Username = pulumi.String("u") }),
		allowed: withReplica(nil, func(a *rds.InstanceArgs) { a.AvailabilityZone = pulumi.String("ap-northeast-2b") }),
	},
	{
		rule: "rds/replica-credentials", name: "password", want: "password: Cannot be specified for a replica",
		refused: withReplica(nil, func(a *rds.InstanceArgs) { a.Password = pulumi.String("Passw0rd!Passw0rd") }),
	},
	{
		rule: "rds/replica-source-backups", want: "InvalidDBInstanceState: Automated backups are not enabled for this database instance.",
		refused: withReplica(func(a *rds.InstanceArgs) { a.BackupRetentionPeriod = pulumi.Int(0) }, nil),
		allowed: withReplica(func(a *rds.InstanceArgs) { a.BackupRetentionPeriod = pulumi.Int(7) }, nil),
	},
	{
		rule: "rds/parameter-group-family", want: "with DBParameterGroupFamily mysql8.0 cannot be used for this instance. Please use a Parameter Group with DBParameterGroupFamily mysql8.4",
		refused: withParameterGroup("mysql8.0", "8.4.5", nil),
		allowed: withParameterGroup("mysql8.4", "8.4.5", nil),
	},
	{
		rule: "rds/option-group-version", want: "InvalidParameterCombination: The option group",
		refused: withOptionGroup("8.0", "8.4"),
		allowed: withOptionGroup("8.4", "8.4"),
	},
	{
		rule: "rds/monitoring-interval-values", want: "expected monitoring_interval to be one of [0 1 5 10 15 30 60], got 20",
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.MonitoringInterval, a.MonitoringRoleArn = pulumi.Int(20), pulumi.String("arn:aws:iam::123456789012:role/m")
		}),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.MonitoringInterval, a.MonitoringRoleArn = pulumi.Int(15), pulumi.String("arn:aws:iam::123456789012:role/m")
		}),
	},
	{
		rule: "rds/monitoring-role", want: "A MonitoringRoleARN value is required if you specify a MonitoringInterval value other than 0.",
		refused: writerWith(func(a *rds.InstanceArgs) { a.MonitoringInterval = pulumi.Int(60) }),
		allowed: writerWith(func(a *rds.InstanceArgs) { a.MonitoringInterval = pulumi.Int(0) }),
	},
	{
		rule: "rds/performance-insights-class", want: "Performance Insights not supported for this configuration.",
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.InstanceClass, a.PerformanceInsightsEnabled = pulumi.String("db.t4g.micro"), pulumi.Bool(true)
		}),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.InstanceClass, a.PerformanceInsightsEnabled = pulumi.String("db.t4g.medium"), pulumi.Bool(true)
		}),
	},
	{
		rule: "rds/storage", name: "size", want: "Invalid storage size for engine name mysql and storage type gp3: 10",
		refused: writerWith(func(a *rds.InstanceArgs) { a.AllocatedStorage = pulumi.Int(10) }),
		allowed: writerWith(func(a *rds.InstanceArgs) { a.AllocatedStorage, a.MaxAllocatedStorage = pulumi.Int(20), pulumi.Int(30) }),
	},
	{
		rule: "rds/storage", name: "ceiling", want: "Max storage size must be greater than storage size",
		refused: writerWith(func(a *rds.InstanceArgs) { a.AllocatedStorage, a.MaxAllocatedStorage = pulumi.Int(50), pulumi.Int(50) }),
	},
	{
		rule: "rds/backup-maintenance-windows", name: "overlap", want: "The backup window and maintenance window must not overlap.",
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.BackupWindow, a.MaintenanceWindow = pulumi.String("19:30-20:30"), pulumi.String("sat:19:00-sat:20:00")
		}),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.BackupWindow, a.MaintenanceWindow = pulumi.String("17:00-18:00"), pulumi.String("sat:19:00-sat:20:00")
		}),
	},
	{
		rule: "rds/backup-maintenance-windows", name: "short", want: "The backup window must be at least 30 minutes.",
		refused: writerWith(func(a *rds.InstanceArgs) { a.BackupWindow = pulumi.String("17:00-17:20") }),
	},
	{
		rule: "rds/identifier-form", want: `only lowercase alphanumeric characters and hyphens allowed in "identifier"`,
		refused: writerWith(func(a *rds.InstanceArgs) { a.Identifier = pulumi.String("Web_DB") }),
		allowed: writerWith(func(a *rds.InstanceArgs) { a.Identifier = pulumi.String("web-db") }),
	},
	{
		rule: "rds/master-password", name: "characters", want: `Only printable ASCII characters besides '/', '@', '"', ' ' may be used.`,
		refused: writerWith(func(a *rds.InstanceArgs) { a.Password = pulumi.String("pass@word1234") }),
		allowed: writerWith(func(a *rds.InstanceArgs) { a.Password = pulumi.String("pass#word1234") }),
	},
	{
		rule: "rds/master-password", name: "length", want: "because it is shorter than 8 characters.",
		refused: writerWith(func(a *rds.InstanceArgs) { a.Password = pulumi.String("short") }),
	},
	{
		rule: "rds/engine-lifecycle-values", want: "expected engine_lifecycle_support to be one of",
		refused: writerWith(func(a *rds.InstanceArgs) { a.EngineLifecycleSupport = pulumi.String("extended") }),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.EngineLifecycleSupport = pulumi.String("open-source-rds-extended-support-disabled")
		}),
	},
	{
		rule: "rds/lifecycle-past-standard-support", want: "RDS standard support for mysql 8.0 ended on 2026-07-31",
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.EngineVersion, a.EngineLifecycleSupport = pulumi.String("8.0.40"), pulumi.String("open-source-rds-extended-support-disabled")
		}),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.EngineVersion, a.EngineLifecycleSupport = pulumi.String("8.0.40"), pulumi.String("open-source-rds-extended-support")
		}),
	},
	{
		rule: "rds/final-snapshot", name: "no name", want: "final_snapshot_identifier is required when skip_final_snapshot is false",
		refused: writerWith(func(a *rds.InstanceArgs) { a.SkipFinalSnapshot = pulumi.Bool(false) }),
		allowed: writerWith(func(a *rds.InstanceArgs) {
			a.SkipFinalSnapshot, a.FinalSnapshotIdentifier = pulumi.Bool(false), pulumi.String("w-final-1a2b3c4d")
		}),
	},
	{
		rule: "rds/final-snapshot", name: "replica", want: "FinalDBSnapshotIdentifier can not be specified when deleting a replica instance",
		refused: withReplica(nil, func(a *rds.InstanceArgs) { a.FinalSnapshotIdentifier = pulumi.String("r-final") }),
	},
	{
		rule: "rds/final-snapshot", name: "form", want: `"final_snapshot_identifier" cannot contain two consecutive hyphens`,
		refused: writerWith(func(a *rds.InstanceArgs) {
			a.SkipFinalSnapshot, a.FinalSnapshotIdentifier = pulumi.Bool(false), pulumi.String("w--final")
		}),
	},
	{
		rule: "rds/parameter-group-removed-parameters", want: "InvalidParameterValue: Could not find parameter with name: default_authentication_plugin",
		refused: withParameterGroup("mysql8.4", "8.4", map[string]string{"default_authentication_plugin": "mysql_native_password"}),
		allowed: withParameterGroup("mysql8.0", "8.0", map[string]string{"default_authentication_plugin": "mysql_native_password"}),
	},

	{
		rule: "elasticache/auth-token-needs-transit-encryption", want: "AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true.",
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.TransitEncryptionEnabled, a.TransitEncryptionMode = pulumi.Bool(false), nil
		}),
		allowed: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.TransitEncryptionEnabled, a.TransitEncryptionMode, a.AuthToken = pulumi.Bool(false), nil, nil
		}),
	},
	{
		rule: "elasticache/auth-token-form", name: "AWS's characters", want: "InvalidParameterValue: Invalid AuthToken provided.",
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.AuthToken = pulumi.ToSecret(pulumi.String("abcdefgh12345678_%")).(pulumi.StringOutput)
		}),
	},
	{
		rule: "elasticache/auth-token-form", name: "length", want: `"auth_token" must contain from 16 to 128 alphanumeric characters`,
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.AuthToken = pulumi.ToSecret(pulumi.String("short!")).(pulumi.StringOutput)
		}),
	},
	{
		rule: "elasticache/automatic-failover-needs-replicas", want: `"num_cache_clusters": must be at least 2 if automatic_failover_enabled is true`,
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.NumCacheClusters, a.MultiAzEnabled, a.PreferredCacheClusterAzs = pulumi.Int(1), pulumi.Bool(false), pulumi.ToStringArray([]string{"ap-northeast-2a"})
		}),
		allowed: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.NumCacheClusters, a.MultiAzEnabled, a.AutomaticFailoverEnabled = pulumi.Int(1), pulumi.Bool(false), pulumi.Bool(false)
			a.PreferredCacheClusterAzs = pulumi.ToStringArray([]string{"ap-northeast-2a"})
		}),
	},
	{
		rule: "elasticache/multi-az-needs-failover", want: "automatic_failover_enabled must be true if multi_az_enabled is true",
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) { a.AutomaticFailoverEnabled = pulumi.Bool(false) }),
	},
	{
		rule: "elasticache/transit-encryption-mode-version", want: "Transit encryption mode is not supported for engine version 6.2.6",
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) { a.EngineVersion = pulumi.String("6.2") }),
		allowed: groupWith(func(a *elasticache.ReplicationGroupArgs) { a.EngineVersion = pulumi.String("7.0") }),
	},
	{
		rule: "elasticache/replication-group-id-form", want: `"replication_group_id" cannot contain two consecutive hyphens`,
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) { a.ReplicationGroupId = pulumi.String("web--cache") }),
		allowed: groupWith(func(a *elasticache.ReplicationGroupArgs) { a.ReplicationGroupId = pulumi.String("web-cache") }),
	},
	{
		rule: "elasticache/preferred-azs-count", want: "must equal the value of NumCacheClusters",
		refused: groupWith(func(a *elasticache.ReplicationGroupArgs) {
			a.PreferredCacheClusterAzs = pulumi.ToStringArray([]string{"ap-northeast-2a"})
		}),
	},
	{
		rule: "elasticache/log-delivery-needs-apply-immediately", want: "To modify the log delivery configuration, set the apply-immediately parameter to true.",
		refused: updateOf("g",
			groupWith(func(a *elasticache.ReplicationGroupArgs) { a.LogDeliveryConfigurations = slowLog("json") }),
			groupWith(func(a *elasticache.ReplicationGroupArgs) { a.LogDeliveryConfigurations = slowLog("text") })),
		allowed: updateOf("g",
			groupWith(func(a *elasticache.ReplicationGroupArgs) { a.LogDeliveryConfigurations = slowLog("json") }),
			groupWith(func(a *elasticache.ReplicationGroupArgs) {
				a.LogDeliveryConfigurations, a.ApplyImmediately = slowLog("text"), pulumi.Bool(true)
			})),
	},

	{
		rule: "secretsmanager/recovery-window", want: "expected recovery_window_in_days to be in the range (7 - 30), got 5",
		refused: func(ctx *pulumi.Context) error {
			_, err := secretsmanager.NewSecret(ctx, "s", &secretsmanager.SecretArgs{RecoveryWindowInDays: pulumi.Int(5)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := secretsmanager.NewSecret(ctx, "s", &secretsmanager.SecretArgs{RecoveryWindowInDays: pulumi.Int(7)})
			return err
		},
	},
	{
		rule: "secretsmanager/rotation-schedule", name: "range", want: "expected rotation_rules.0.automatically_after_days to be in the range (1 - 1000), got 0",
		refused: rotationWith(func(a *secretsmanager.SecretRotationArgs) {
			a.RotationRules = secretsmanager.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(0)}
		}),
		allowed: rotationWith(func(a *secretsmanager.SecretRotationArgs) {}),
	},
	{
		rule: "secretsmanager/rotation-schedule", name: "both", want: "InvalidParameterException: You cannot specify both rotation frequency and schedule expression together.",
		refused: rotationWith(func(a *secretsmanager.SecretRotationArgs) {
			a.RotationRules = secretsmanager.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(30), ScheduleExpression: pulumi.String("rate(30 days)")}
		}),
	},
	{
		rule: "secretsmanager/rotation-lambda-required", want: "InvalidRequestException: No Lambda rotation function ARN is associated with this secret.",
		refused: rotationWith(func(a *secretsmanager.SecretRotationArgs) { a.RotationLambdaArn = nil }),
	},

	{
		rule: "serverlessrepo/capabilities", want: "InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_RESOURCE_POLICY]",
		refused: rotationStackWith(func(a *serverlessrepository.CloudFormationStackArgs) {
			a.Capabilities = pulumi.ToStringArray([]string{"CAPABILITY_IAM"})
		}),
		allowed: rotationStackWith(func(a *serverlessrepository.CloudFormationStackArgs) {}),
	},
	{
		rule: "serverlessrepo/stack-name", want: "at 'stackName' failed to satisfy constraint",
		refused: rotationStackWith(func(a *serverlessrepository.CloudFormationStackArgs) { a.Name = pulumi.String("db_rotation") }),
	},
	{
		rule: "events/rule-name", name: "characters", want: `"name" doesn't comply with restrictions ("^[0-9A-Za-z_.-]+$"): "rotation failed"`,
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) { a.Name = pulumi.String("rotation failed") }, ""),
		allowed: eventRuleWith(func(a *cloudwatch.EventRuleArgs) { a.Name = pulumi.String("webstack-prod-db.rotation_failed") }, ""),
	},
	{
		rule: "events/rule-name", name: "length", want: `"name" cannot be longer than 64 characters`,
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) { a.Name = pulumi.String(strings.Repeat("r", 65)) }, ""),
	},
	{
		rule: "events/event-pattern", name: "scalar", want: `InvalidEventPatternException: Event pattern is not valid. Reason: "source" must be an object or an array`,
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {
			a.EventPattern = pulumi.String(`{"source":"aws.secretsmanager","detail":{"eventName":["RotationFailed"]}}`)
		}, ""),
		allowed: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {}, ""),
	},
	{
		rule: "events/event-pattern", name: "nested scalar", want: `Reason: "SecretId" must be an object or an array`,
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {
			a.EventPattern = pulumi.String(`{"source":["aws.secretsmanager"],"detail":{"additionalEventData":{"SecretId":"arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:s"}}}`)
		}, ""),
	},
	{
		rule: "events/event-pattern", name: "empty array", want: "Reason: Empty arrays are not allowed",
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {
			a.EventPattern = pulumi.String(`{"source":["aws.secretsmanager"],"detail-type":[]}`)
		}, ""),
	},
	{
		rule: "events/event-pattern", name: "empty object", want: "Reason: Empty objects are not allowed",
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {
			a.EventPattern = pulumi.String(`{"source":["aws.secretsmanager"],"detail":{}}`)
		}, ""),
	},
	{
		rule: "events/target-rule", want: "ResourceNotFoundException: Rule db-rotation-failed does not exist on EventBus default.",
		refused: eventRuleWith(func(a *cloudwatch.EventRuleArgs) {}, "db-rotation-failed"),
		allowed: eventRuleWith(func(a *cloudwatch.EventRuleArgs) { a.Name = pulumi.String("db-rotation-failed") }, "db-rotation-failed"),
	},
	{
		rule: "serverlessrepo/rotation-function-name", want: "at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64",
		refused: rotationStackWith(func(a *serverlessrepository.CloudFormationStackArgs) {
			a.Parameters = pulumi.StringMap{"functionName": pulumi.String(strings.Repeat("f", 65))}
		}),
	},
}
