package data

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/alarm"
)

// CacheArgs configures a Cache.
type CacheArgs struct {
	// ReplicationGroupID is the replication group's ID. Required; 1 to 40 lowercase letters,
	// digits and single hyphens, starting with a letter.
	ReplicationGroupID string
	// Engine is "redis" or "valkey". Optional. Defaults to "redis".
	Engine string
	// EngineVersion is major.minor, e.g. "7.1": redis 7.0 or later, valkey 7.2 or later.
	// Required. TransitEncryptionMode, which the group always sets, needs Redis OSS 7.0.5 or
	// later (CreateReplicationGroup refuses it on 6.2: "Transit encryption mode is not
	// supported for engine version 6.2.6", cloudposse/terraform-aws-elasticache-redis#231);
	// "7.0" runs the newest 7.0 release.
	EngineVersion string
	// NodeType is the node type, e.g. "cache.t4g.small". Required.
	NodeType string
	// Nodes is the number of cache clusters: one primary and Nodes-1 replicas. Required; 1 to 6.
	Nodes int
	// DisableMultiAZ turns off automatic failover and Multi-AZ, which need Nodes >= 2 and two
	// AZs. Optional. Default: false, automatic failover and Multi-AZ on.
	DisableMultiAZ bool
	// SnapshotRetentionDays is how long daily snapshots are kept. Required; 1 to 35.
	SnapshotRetentionDays int
	// SnapshotWindow ("hh:mm-hh:mm") and MaintenanceWindow ("ddd:hh:mm-ddd:hh:mm") are UTC
	// and must not overlap. Required.
	SnapshotWindow, MaintenanceWindow string
	// Port is the port the nodes listen on. Optional. Defaults to 6379.
	Port int
	// LogRetentionDays is the slow log's retention in CloudWatch Logs. Required.
	LogRetentionDays int
	// DisableProtect leaves Pulumi's protect option off on the replication group. Optional.
	// Default: false, protected.
	DisableProtect bool
	// ApplyImmediately applies changes to the nodes (node type, engine version, number of
	// clusters) at once instead of in the maintenance window. ElastiCache refuses any change of
	// the log delivery configuration without it ("To modify the log delivery configuration, set
	// the apply-immediately parameter to true.", hashicorp/terraform-provider-aws#49842).
	// Optional. Defaults to false.
	ApplyImmediately bool
	// AZs are the data subnets' availability zones; nodes are spread over them in order, the
	// primary in AZs[0]. Required.
	AZs []string
	// SubnetIDs are the data subnets. Required.
	SubnetIDs pulumi.StringArrayInput
	// SecurityGroupID is the cache security group. Required.
	SecurityGroupID pulumi.StringInput
	// Alarms are the alarms on every node; see CacheAlarmArgs. Optional. Defaults to none.
	Alarms CacheAlarmArgs
}

var (
	replicationGroupID = regexp.MustCompile(`^[a-z]([a-z0-9]|-[a-z0-9]){0,39}$`)
	majorMinor         = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
)

func (a *CacheArgs) withDefaults() CacheArgs {
	out := *a
	if out.Engine == "" {
		out.Engine = "redis"
	}
	if out.Port == 0 {
		out.Port = 6379
	}
	return out
}

func (a *CacheArgs) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !replicationGroupID.MatchString(a.ReplicationGroupID) || len(a.ReplicationGroupID) > 40 {
		bad("replication group id %q must be 1 to 40 lowercase letters, digits and single hyphens, starting with a letter", a.ReplicationGroupID)
	}
	if a.Engine != "redis" && a.Engine != "valkey" {
		bad("engine %q is not redis or valkey", a.Engine)
	}
	if a.NodeType == "" {
		bad("node type is required")
	}
	if m := majorMinor.FindStringSubmatch(a.EngineVersion); m == nil {
		bad("engine version %q is not major.minor", a.EngineVersion)
	} else if major, _ := strconv.Atoi(m[1]); major < 7 || (a.Engine == "valkey" && major == 7 && m[2] != "2") {
		bad("engine version %s %q does not support transit encryption mode (redis 7.0 or later, valkey 7.2 or later)", a.Engine, a.EngineVersion)
	}
	if a.Nodes < 1 || a.Nodes > 6 {
		bad("%d nodes: must be 1 to 6", a.Nodes)
	}
	// AutomaticFailoverEnabled needs more than one cluster and MultiAzEnabled needs automatic
	// failover (pulumi-aws elasticache.ReplicationGroupArgs).
	if !a.DisableMultiAZ && a.Nodes < 2 {
		bad("multi-AZ with %d node: automatic failover needs at least 2", a.Nodes)
	}
	if a.SnapshotRetentionDays < 1 || a.SnapshotRetentionDays > 35 {
		bad("snapshot retention %d days: must be 1 to 35", a.SnapshotRetentionDays)
	}
	if a.SnapshotWindow == "" || a.MaintenanceWindow == "" {
		bad("snapshot and maintenance windows are required")
	}
	if a.LogRetentionDays <= 0 {
		bad("log retention %d days: required", a.LogRetentionDays)
	}
	if len(a.AZs) == 0 || (!a.DisableMultiAZ && len(a.AZs) < 2) {
		bad("%d availability zones given: need at least %d", len(a.AZs), map[bool]int{true: 1, false: 2}[a.DisableMultiAZ])
	}
	if a.SubnetIDs == nil || a.SecurityGroupID == nil {
		bad("subnet IDs and security group ID are required")
	}
	if err := a.Alarms.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Cache is the ElastiCache replication group (cluster mode disabled: one shard, a primary and
// replicas), encrypted at rest and in transit, with an AUTH token kept in Secrets Manager.
type Cache struct {
	pulumi.ResourceState

	// NodeAZs are the preferred AZs of the cache clusters, the primary first.
	NodeAZs []string
	// NodeIDs are the cache clusters' IDs (CacheNodeID), in NodeAZs order: their metrics'
	// CacheClusterId dimension.
	NodeIDs []string
	// Alarms are the alarms the cache registered (none without Alarms.TopicARN).
	Alarms alarm.Set

	// PrimaryEndpoint is the DNS name that always points at the current primary (writes);
	// ReaderEndpoint spreads connections over the replicas (reads).
	PrimaryEndpoint pulumi.StringOutput `pulumi:"primaryEndpoint"`
	ReaderEndpoint  pulumi.StringOutput `pulumi:"readerEndpoint"`
	// Port is the port the nodes listen on (TLS only).
	Port pulumi.IntOutput `pulumi:"port"`
	// AuthSecretARN is the ARN of the Secrets Manager secret whose value is the AUTH token.
	AuthSecretARN pulumi.StringOutput `pulumi:"authSecretArn"`
	// ReplicationGroupID and ARN identify the group.
	ReplicationGroupID pulumi.StringOutput `pulumi:"replicationGroupId"`
	ARN                pulumi.StringOutput `pulumi:"arn"`
}

// NewCache registers the replication group, its subnet group, slow log and AUTH token.
func NewCache(ctx *pulumi.Context, name string, args *CacheArgs, opts ...pulumi.ResourceOption) (*Cache, error) {
	if args == nil {
		return nil, errors.New("data: cache args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("data: cache %s: %w", name, err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource(contract.TypeDataCache, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	subnets, err := elasticache.NewSubnetGroup(ctx, name+"-subnets", &elasticache.SubnetGroupArgs{
		Description: pulumi.Sprintf("%s data subnets", a.ReplicationGroupID),
		SubnetIds:   a.SubnetIDs,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("data: cache subnet group: %w", err)
	}
	token, err := newAuthToken(ctx, name, a.ReplicationGroupID, parent)
	if err != nil {
		return nil, fmt.Errorf("data: cache: %w", err)
	}
	slowLog, err := newLogGroup(ctx, name+"-slow-log", fmt.Sprintf("/aws/elasticache/%s/slow-log", a.ReplicationGroupID), a.LogRetentionDays, parent)
	if err != nil {
		return nil, fmt.Errorf("data: cache: %w", err)
	}

	for i := 0; i < a.Nodes; i++ {
		c.NodeAZs = append(c.NodeAZs, a.AZs[i%len(a.AZs)])
		c.NodeIDs = append(c.NodeIDs, CacheNodeID(a.ReplicationGroupID, i+1))
	}
	rg, err := newReplicationGroup(ctx, name, &a, subnets, token, slowLog, c.NodeAZs, parent)
	if err != nil {
		return nil, err
	}

	if a.Alarms.TopicARN != nil {
		// The nodes' metrics exist once the group does.
		if c.Alarms, err = cacheAlarms(ctx, name, a.ReplicationGroupID, a.Nodes, &a.Alarms, parent, pulumi.DependsOn([]pulumi.Resource{rg})); err != nil {
			return nil, fmt.Errorf("data: cache alarms: %w", err)
		}
	}

	c.PrimaryEndpoint = rg.PrimaryEndpointAddress
	c.ReaderEndpoint = rg.ReaderEndpointAddress
	c.Port = rg.Port.ApplyT(func(p *int) int {
		if p == nil {
			return a.Port
		}
		return *p
	}).(pulumi.IntOutput)
	c.AuthSecretARN = token.secret.Arn
	c.ReplicationGroupID = rg.ReplicationGroupId
	c.ARN = rg.Arn
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"primaryEndpoint": c.PrimaryEndpoint,
		"readerEndpoint":  c.ReaderEndpoint,
		"port":            c.Port,
		"authSecretArn":   c.AuthSecretARN,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// newReplicationGroup registers the encrypted, AUTH-protected replication group with its nodes
// in nodeAZs, writing its slow log to slowLog.
func newReplicationGroup(ctx *pulumi.Context, name string, a *CacheArgs, subnets *elasticache.SubnetGroup, token *authToken, slowLog *cloudwatch.LogGroup, nodeAZs []string, parent pulumi.ResourceOption) (*elasticache.ReplicationGroup, error) {
	rg, err := elasticache.NewReplicationGroup(ctx, name+"-group", &elasticache.ReplicationGroupArgs{
		ReplicationGroupId: pulumi.String(a.ReplicationGroupID),
		Description:        pulumi.Sprintf("%s %s for the WAS fleet", a.ReplicationGroupID, a.Engine),
		Engine:             pulumi.String(a.Engine),
		EngineVersion:      pulumi.String(a.EngineVersion),
		NodeType:           pulumi.String(a.NodeType),
		NumCacheClusters:   pulumi.Int(a.Nodes),
		Port:               pulumi.Int(a.Port),
		SubnetGroupName:    subnets.Name,
		SecurityGroupIds:   pulumi.StringArray{a.SecurityGroupID},
		// ElastiCache.4/.5/.6: encrypted at rest (off by default for redis), TLS only, AUTH.
		AtRestEncryptionEnabled:  pulumi.Bool(true),
		TransitEncryptionEnabled: pulumi.Bool(true),
		TransitEncryptionMode:    pulumi.String("required"),
		AuthToken:                token.token,
		// ROTATE keeps the old token valid next to the new one until SET, so a rotation
		// does not cut off instances still holding the old token.
		AuthTokenUpdateStrategy:  pulumi.String("ROTATE"),
		AutomaticFailoverEnabled: pulumi.Bool(!a.DisableMultiAZ),
		MultiAzEnabled:           pulumi.Bool(!a.DisableMultiAZ),
		PreferredCacheClusterAzs: pulumi.ToStringArray(nodeAZs),
		SnapshotRetentionLimit:   pulumi.Int(a.SnapshotRetentionDays),
		SnapshotWindow:           pulumi.String(a.SnapshotWindow),
		MaintenanceWindow:        pulumi.String(a.MaintenanceWindow),
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		ApplyImmediately:         pulumi.Bool(a.ApplyImmediately),
		LogDeliveryConfigurations: elasticache.ReplicationGroupLogDeliveryConfigurationArray{
			elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
				Destination:     slowLog.Name,
				DestinationType: pulumi.String("cloudwatch-logs"),
				LogFormat:       pulumi.String("json"),
				LogType:         pulumi.String("slow-log"),
			},
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(a.ReplicationGroupID)},
	}, parent, pulumi.Protect(!a.DisableProtect))
	if err != nil {
		return nil, fmt.Errorf("data: cache replication group: %w", err)
	}
	return rg, nil
}
