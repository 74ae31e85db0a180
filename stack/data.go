package stack

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/data"
	"github.com/webstack/webstack/network"
)

// dataTier is what the data tier registered: the database and the cache, and what the WAS
// fleet needs from them.
type dataTier struct {
	Database *data.Database
	Cache    *data.Cache
	// region is the stack's region, for the RDS certificate bundle's URL.
	region string
}

// Setting names the WAS fleet receives the data tier under (docs/data.md): parameters under
// the app's settings path (settings.go), variables in the container.
const (
	EnvDBWriterHost  = "DB_WRITER_HOST"
	EnvDBReaderHost  = "DB_READER_HOST"
	EnvDBReaderHosts = "DB_READER_HOSTS"
	EnvDBPort        = "DB_PORT"
	EnvDBName        = "DB_NAME"
	// EnvDBUser is the user the application connects as (contract.AppDatabaseUser), and
	// EnvDBAuth how: "iam", an IAM authentication token (rds generate-db-auth-token) as the
	// password, over TLS. The master secret is not the application's any more.
	EnvDBUser = "DB_USER"
	EnvDBAuth = "DB_AUTH"
	// EnvDBSSLMode is the TLS mode the application's driver must use, and EnvDBCABundleURL
	// where the region's RDS certificate bundle is published, which VERIFY_IDENTITY checks
	// the server against (bake it into the image; do not fetch it at every start).
	EnvDBSSLMode          = "DB_SSL_MODE"
	EnvDBCABundleURL      = "DB_CA_BUNDLE_URL"
	EnvRedisHost          = "REDIS_HOST"
	EnvRedisReaderHost    = "REDIS_READER_HOST"
	EnvRedisPort          = "REDIS_PORT"
	EnvRedisTLS           = "REDIS_TLS"
	EnvRedisAuthSecretARN = "REDIS_AUTH_SECRET_ARN"
)

// Names of the data tier's components; their children's names start with them.
const (
	dbComponent    = "db"
	cacheComponent = contract.CacheComponent
)

var nonName = regexp.MustCompile(`[^a-z0-9]+`)

// resourceBaseName turns project and stack into "<project>-<stack>" as AWS identifiers accept
// it: lowercase letters, digits and single hyphens.
func resourceBaseName(project, stack string) string {
	s := nonName.ReplaceAllString(strings.ToLower(project+"-"+stack), "-")
	return strings.Trim(s, "-")
}

// buildData registers the RDS database and the ElastiCache replication group in the data
// subnets, behind the security groups the network tier made for them. The database's password
// rotation function runs in the app subnets, which reach the Secrets Manager API (through the
// NAT gateways or the interface endpoints: the network config refuses neither).
func buildData(ctx *pulumi.Context, cfg *Config, net *network.Network, partition, accountID string, alertTopic pulumi.StringInput, opts ...pulumi.ResourceOption) (*dataTier, error) {
	base := resourceBaseName(cfg.Project, cfg.Stack)
	db, err := data.NewDatabase(ctx, dbComponent, databaseArgs(cfg, base, net, partition, accountID, alertTopic), opts...)
	if err != nil {
		return nil, err
	}
	cache, err := data.NewCache(ctx, cacheComponent, cacheArgs(cfg, base, net, alertTopic), opts...)
	if err != nil {
		return nil, err
	}
	return &dataTier{Database: db, Cache: cache, region: cfg.Region}, nil
}

// databaseArgs maps the database config onto the data tier's Args, named after base.
func databaseArgs(cfg *Config, base string, net *network.Network, partition, accountID string, alertTopic pulumi.StringInput) *data.DatabaseArgs {
	d, al := cfg.Database, cfg.Alerts
	return &data.DatabaseArgs{
		Identifier:                 base + "-db",
		EngineVersion:              d.EngineVersion,
		ExtendedSupport:            d.ExtendedSupport,
		InstanceClass:              d.InstanceClass,
		ReplicaInstanceClass:       d.ReplicaInstanceClass,
		AllocatedStorage:           d.AllocatedStorage,
		MaxAllocatedStorage:        d.MaxAllocatedStorage,
		DisableMultiAZ:             !d.MultiAZ,
		Replicas:                   d.Replicas,
		BackupRetentionDays:        d.BackupRetentionDays,
		BackupWindow:               d.BackupWindow,
		MaintenanceWindow:          d.MaintenanceWindow,
		DisableDeletionProtection:  !d.DeletionProtection,
		DisableFinalSnapshot:       !d.FinalSnapshot,
		DisableProtect:             !d.Protect,
		ApplyImmediately:           d.ApplyImmediately,
		Port:                       d.Port,
		Username:                   d.Username,
		DBName:                     d.DBName,
		LogRetentionDays:           d.LogRetentionDays,
		GeneralLog:                 d.GeneralLog,
		DisablePerformanceInsights: !d.PerformanceInsights,
		MonitoringInterval:         d.MonitoringInterval,
		DisableEnhancedMonitoring:  d.MonitoringInterval == 0,
		Partition:                  partition,
		Region:                     cfg.Region,
		AccountID:                  accountID,
		PasswordRotationDays:       d.PasswordRotationDays,
		RotationAppVersion:         d.RotationAppVersion,
		// The first rotation runs during the first `up`: the network (rules, routes,
		// endpoints) must be complete by then.
		RotationSubnetIDs:       net.AppSubnetIDs,
		RotationSecurityGroupID: net.SecurityGroups.Rotation,
		RotationDependsOn:       net.RotationPath,
		AZs:                     net.AZs,
		SubnetIDs:               net.DataSubnetIDs,
		SecurityGroupID:         net.SecurityGroups.Database,
		// RDS.20/.21: instance and parameter group events go to the alert topic, and so
		// does every failed rotation of the master secret.
		EventTopicARN: alertTopic,
		Alarms: data.DatabaseAlarmArgs{
			TopicARN:          alertTopic,
			CPUPercent:        al.DBCPUPercent,
			FreeStorageGiB:    al.DBFreeStorageGiB,
			FreeableMemoryMiB: al.DBFreeableMemoryMiB,
			Connections:       al.DBConnections,
			ReplicaLagSeconds: al.DBReplicaLagSeconds,
		},
	}
}

// cacheArgs maps the cache config onto the data tier's Args, named after base.
func cacheArgs(cfg *Config, base string, net *network.Network, alertTopic pulumi.StringInput) *data.CacheArgs {
	c, al := cfg.Cache, cfg.Alerts
	return &data.CacheArgs{
		ReplicationGroupID:    base + "-cache",
		Engine:                c.Engine,
		EngineVersion:         c.EngineVersion,
		NodeType:              c.NodeType,
		Nodes:                 c.Nodes,
		DisableMultiAZ:        !c.MultiAZ,
		SnapshotRetentionDays: c.SnapshotRetentionDays,
		SnapshotWindow:        c.SnapshotWindow,
		MaintenanceWindow:     c.MaintenanceWindow,
		Port:                  c.Port,
		LogRetentionDays:      c.LogRetentionDays,
		DisableProtect:        !c.Protect,
		ApplyImmediately:      c.ApplyImmediately,
		AZs:                   net.AZs,
		SubnetIDs:             net.DataSubnetIDs,
		SecurityGroupID:       net.SecurityGroups.Cache,
		Alarms: data.CacheAlarmArgs{
			TopicARN:      alertTopic,
			CPUPercent:    al.CacheCPUPercent,
			MemoryPercent: al.CacheMemoryPercent,
			Evictions:     al.CacheEvictions,
		},
	}
}

// AppEnvironment is the data tier's part of the app's settings: where the data tier is, whom
// the application connects to the database as (the app user, with IAM authentication over
// TLS) and which secret holds the cache's AUTH token. No secret value is in it, only an ARN;
// nothing in it depends on the app's version or color.
func (t *dataTier) AppEnvironment() pulumi.StringMap {
	db, c := t.Database, t.Cache
	return pulumi.StringMap{
		EnvDBWriterHost:       db.WriterAddress,
		EnvDBReaderHost:       db.ReaderAddresses.Index(pulumi.Int(0)),
		EnvDBReaderHosts:      db.ReaderAddresses.ApplyT(func(a []string) string { return strings.Join(a, ",") }).(pulumi.StringOutput),
		EnvDBPort:             db.Port.ApplyT(strconv.Itoa).(pulumi.StringOutput),
		EnvDBName:             db.DBName,
		EnvDBUser:             pulumi.String(contract.AppDatabaseUser),
		EnvDBAuth:             pulumi.String("iam"),
		EnvDBSSLMode:          pulumi.String("VERIFY_IDENTITY"),
		EnvDBCABundleURL:      pulumi.String(RDSCABundleURL(t.region)),
		EnvRedisHost:          c.PrimaryEndpoint,
		EnvRedisReaderHost:    orElse(c.ReaderEndpoint, c.PrimaryEndpoint),
		EnvRedisPort:          c.Port.ApplyT(strconv.Itoa).(pulumi.StringOutput),
		EnvRedisTLS:           pulumi.String("true"),
		EnvRedisAuthSecretARN: c.AuthSecretARN,
	}
}

// orElse is v, or fallback where v resolves to "": a setting is a parameter, and Parameter
// Store refuses an empty value (a group of one node may report no reader endpoint; its reads
// then go to the primary, which is what its reader endpoint would name).
func orElse(v, fallback pulumi.StringOutput) pulumi.StringOutput {
	return pulumi.All(v, fallback).ApplyT(func(a []any) string {
		if s := a[0].(string); s != "" {
			return s
		}
		return a[1].(string)
	}).(pulumi.StringOutput)
}

// RDSCABundleURL is where AWS publishes the certificate bundle of a region's RDS instances
// (RDS User Guide, "Using SSL/TLS to encrypt a connection to a DB instance or cluster",
// "Certificate bundles by AWS Region",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html).
func RDSCABundleURL(region string) string {
	return fmt.Sprintf("https://truststore.pki.rds.amazonaws.com/%s/%s-bundle.pem", region, region)
}

// ReadableSecretARNs are exactly the secrets the WAS instance role may read: the cache's AUTH
// token, encrypted with the account's aws/secretsmanager key, whose key policy lets Secrets
// Manager decrypt for any principal the IAM policy allows, so no KMS statement is needed. Not
// the database's master secret: the application connects as contract.AppDatabaseUser with
// IAM authentication (the instance role's rds-db:connect, compute.InstanceRoleArgs), and only
// the migration step uses the master credentials.
func (t *dataTier) ReadableSecretARNs() pulumi.StringArray {
	return pulumi.StringArray{t.Cache.AuthSecretARN}
}

// addOutputs adds the data tier's stack outputs.
func (t *dataTier) addOutputs(out map[string]pulumi.Input) {
	out[contract.OutDBWriterEndpoint] = t.Database.WriterAddress
	out[contract.OutDBReaderEndpoints] = t.Database.ReaderAddresses
	out[contract.OutDBPort] = t.Database.Port
	out[contract.OutDBSecretARN] = t.Database.MasterSecretARN
	out[contract.OutRedisPrimaryEndpoint] = t.Cache.PrimaryEndpoint
	out[contract.OutRedisReaderEndpoint] = t.Cache.ReaderEndpoint
	out[contract.OutRedisAuthSecretARN] = t.Cache.AuthSecretARN
}
