package data

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const (
	replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	randomPassword   = "random:index/randomPassword:RandomPassword"
)

func prodCacheArgs() *CacheArgs {
	return &CacheArgs{
		ReplicationGroupID:    "webstack-test-cache",
		EngineVersion:         "7.1",
		NodeType:              "cache.m7g.large",
		Nodes:                 2,
		SnapshotRetentionDays: 7,
		SnapshotWindow:        "18:00-19:00",
		MaintenanceWindow:     "sat:20:00-sat:21:00",
		LogRetentionDays:      365,
		AZs:                   testAZs,
		SubnetIDs:             pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		SecurityGroupID:       pulumi.String("sg-cache"),
	}
}

func runCache(t *testing.T, args *CacheArgs) *mockaws.Result {
	t.Helper()
	return run(t, func(ctx *pulumi.Context) error {
		c, err := NewCache(ctx, "cache", args)
		if err != nil {
			return err
		}
		ctx.Export("primary", c.PrimaryEndpoint)
		ctx.Export("reader", c.ReaderEndpoint)
		ctx.Export("port", c.Port)
		ctx.Export("secret", c.AuthSecretARN)
		return nil
	})
}

func TestCacheProductionShape(t *testing.T) {
	res := runCache(t, prodCacheArgs())
	comp := mustFind(t, res, "webstack:data:Cache", "cache")
	rg := mustFind(t, res, replicationGroup, "cache-group")
	if rg.Parent != comp.URN || !rg.Protect {
		t.Errorf("replication group: parent %q protect %v; want the Cache component and protect", rg.Parent, rg.Protect)
	}
	want(t, rg, "webstack-test-cache", "replicationGroupId")
	want(t, rg, "redis", "engine")
	want(t, rg, "7.1", "engineVersion")
	want(t, rg, 2, "numCacheClusters")
	want(t, rg, true, "automaticFailoverEnabled")
	want(t, rg, true, "multiAzEnabled")
	want(t, rg, []any{"ap-northeast-2a", "ap-northeast-2b"}, "preferredCacheClusterAzs")
	want(t, rg, true, "atRestEncryptionEnabled")
	want(t, rg, true, "transitEncryptionEnabled")
	want(t, rg, "required", "transitEncryptionMode")
	want(t, rg, mockaws.Secret, "authToken")
	want(t, rg, "ROTATE", "authTokenUpdateStrategy")
	want(t, rg, 7, "snapshotRetentionLimit")
	want(t, rg, true, "autoMinorVersionUpgrade")
	want(t, rg, 6379, "port")
	want(t, rg, []any{"sg-cache"}, "securityGroupIds")
	want(t, rg, false, "applyImmediately")
	want(t, rg, "slow-log", "logDeliveryConfigurations", 0, "logType")
	want(t, rg, "cloudwatch-logs", "logDeliveryConfigurations", 0, "destinationType")
	want(t, rg, "/aws/elasticache/webstack-test-cache/slow-log", "logDeliveryConfigurations", 0, "destination")
	if rg.Input("subnetGroupName") == nil {
		t.Errorf("replication group: no subnetGroupName; the default subnet group fails ElastiCache.7")
	}
	sg := mustFind(t, res, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets")
	want(t, sg, []any{"subnet-a", "subnet-b", "subnet-c"}, "subnetIds")
	lg := mustFind(t, res, logGroup, "cache-slow-log")
	want(t, lg, 365, "retentionInDays")

	// The token: a character set ElastiCache accepts, a secret everywhere.
	pw := mustFind(t, res, randomPassword, "cache-auth-token")
	want(t, pw, AuthTokenLength, "length")
	want(t, pw, true, "special")
	special, _ := pw.Input("overrideSpecial").(string)
	if special == "" || strings.ContainsAny(special, `@"/ `) {
		t.Errorf("auth token: overrideSpecial %q must be set and exclude @, \", / and space", special)
	}
	if AuthTokenLength < 16 || AuthTokenLength > 128 {
		t.Errorf("AuthTokenLength %d outside ElastiCache's 16..128", AuthTokenLength)
	}
	token := secretString(t, pw.State["result"])
	if len(token) != AuthTokenLength || strings.ContainsAny(token, `@"/ `) {
		t.Errorf("mock token %q: wrong length or a forbidden character", token)
	}
	ver := mustFind(t, res, "aws:secretsmanager/secretVersion:SecretVersion", "cache-auth-secret-version")
	want(t, ver, mockaws.Secret, "secretString")
	if secretString(t, ver.Inputs["secretString"]) != token {
		t.Errorf("the secret version does not hold the generated token")
	}
	secret := mustFind(t, res, "aws:secretsmanager/secret:Secret", "cache-auth-secret")
	if res.Outputs["secret"] != secret.Output("arn") {
		t.Errorf("AuthSecretARN = %v, want the secret's ARN %v", res.Outputs["secret"], secret.Output("arn"))
	}
	for _, name := range []string{"primary", "reader", "secret"} {
		if s, _ := res.Outputs[name].(string); s == "" || strings.Contains(s, token) {
			t.Errorf("output %s = %q: empty or holding the token", name, s)
		}
	}
}

// secretString returns the plain string inside a secret property value, failing unless the
// value is marked secret.
func secretString(t *testing.T, v resource.PropertyValue) string {
	t.Helper()
	if !v.ContainsSecrets() {
		t.Fatalf("value %v is not marked secret", v)
	}
	for v.IsSecret() || v.IsOutput() {
		if v.IsSecret() {
			v = v.SecretValue().Element
		} else {
			v = v.OutputValue().Element
		}
	}
	return v.StringValue()
}

func TestCacheDevelopmentShape(t *testing.T) {
	a := prodCacheArgs()
	a.Nodes, a.DisableMultiAZ, a.DisableProtect, a.Engine, a.EngineVersion = 1, true, true, "valkey", "8.0"
	res := runCache(t, a)
	rg := mustFind(t, res, replicationGroup, "cache-group")
	want(t, rg, "valkey", "engine")
	want(t, rg, 1, "numCacheClusters")
	want(t, rg, false, "automaticFailoverEnabled")
	want(t, rg, false, "multiAzEnabled")
	want(t, rg, []any{"ap-northeast-2a"}, "preferredCacheClusterAzs")
	want(t, rg, true, "atRestEncryptionEnabled")
	want(t, rg, "required", "transitEncryptionMode")
	if rg.Protect {
		t.Errorf("replication group protected although Protect is false")
	}
}

func TestCacheArgsRejected(t *testing.T) {
	for name, change := range map[string]func(a *CacheArgs){
		"failover with one node": func(a *CacheArgs) { a.Nodes = 1 },
		"no snapshots":           func(a *CacheArgs) { a.SnapshotRetentionDays = 0 },
		"memcached":              func(a *CacheArgs) { a.Engine = "memcached" },
		"id too long":            func(a *CacheArgs) { a.ReplicationGroupID = strings.Repeat("a", 41) },
		"double hyphen":          func(a *CacheArgs) { a.ReplicationGroupID = "web--cache" },
		"redis 6.2":              func(a *CacheArgs) { a.EngineVersion = "6.2" },
		"valkey 7.0":             func(a *CacheArgs) { a.Engine, a.EngineVersion = "valkey", "7.0" },
	} {
		t.Run(name, func(t *testing.T) {
			a := prodCacheArgs()
			change(a)
			_, err := mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				_, err := NewCache(ctx, "cache", a)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "data: cache cache:") {
				t.Fatalf("args accepted or error without context: %v", err)
			}
		})
	}
}

// TestCacheSecureDefaults: the optional args left unset give automatic failover, Multi-AZ and
// Pulumi's protect.
func TestCacheSecureDefaults(t *testing.T) {
	a := prodCacheArgs()
	a.DisableMultiAZ, a.DisableProtect = false, false
	rg := mustFind(t, runCache(t, a), replicationGroup, "cache-group")
	want(t, rg, true, "automaticFailoverEnabled")
	want(t, rg, true, "multiAzEnabled")
	if !rg.Protect {
		t.Error("replication group: protect is off with zero-valued args, want on")
	}
}
