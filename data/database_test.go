package data

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const (
	rdsInstance = "aws:rds/instance:Instance"
	logGroup    = "aws:cloudwatch/logGroup:LogGroup"
)

var testAZs = []string{"ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"}

// run runs program under the mock engine and fails the test on error.
func run(t *testing.T, program pulumi.RunFunc) *mockaws.Result {
	t.Helper()
	res, err := mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, program)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return res
}

// prodDatabaseArgs are production-shaped minimal args.
func prodDatabaseArgs() *DatabaseArgs {
	return &DatabaseArgs{
		Identifier:              "webstack-test-db",
		InstanceClass:           "db.m7g.large",
		AllocatedStorage:        100,
		MaxAllocatedStorage:     500,
		Replicas:                1,
		BackupRetentionDays:     14,
		BackupWindow:            "17:00-18:00",
		MaintenanceWindow:       "sat:19:00-sat:20:00",
		Port:                    3307,
		Username:                "webstack_admin",
		LogRetentionDays:        365,
		Partition:               "aws",
		Region:                  "ap-northeast-2",
		AccountID:               "123456789012",
		AZs:                     testAZs,
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
		SecurityGroupID:         pulumi.String("sg-db"),
		PasswordRotationDays:    30,
		RotationSubnetIDs:       pulumi.ToStringArray([]string{"subnet-app-a", "subnet-app-b"}),
		RotationSecurityGroupID: pulumi.String("sg-rotation"),
	}
}

func runDatabase(t *testing.T, args *DatabaseArgs) *mockaws.Result {
	t.Helper()
	return run(t, func(ctx *pulumi.Context) error {
		db, err := NewDatabase(ctx, "db", args)
		if err != nil {
			return err
		}
		ctx.Export("writer", db.WriterAddress)
		ctx.Export("readers", db.ReaderAddresses)
		ctx.Export("port", db.Port)
		ctx.Export("secret", db.MasterSecretARN)
		return nil
	})
}

// want fails the test unless the resource's input at path equals v.
func want(t *testing.T, r *mockaws.Resource, v any, path ...any) {
	t.Helper()
	got := r.Input(path...)
	if n, ok := v.(int); ok {
		v = float64(n)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("%s %s: input %v = %#v, want %#v", r.Type, r.Name, path, got, v)
	}
}

func mustFind(t *testing.T, res *mockaws.Result, typ, name string) *mockaws.Resource {
	t.Helper()
	r := res.Find(typ, name)
	if r == nil {
		var names []string
		for _, x := range res.ByType(typ) {
			names = append(names, x.Name)
		}
		t.Fatalf("no %s named %q (have %v)", typ, name, names)
	}
	return r
}

func TestDatabaseProductionShape(t *testing.T) {
	res := runDatabase(t, prodDatabaseArgs())
	if n := len(res.ByType(rdsInstance)); n != 2 {
		t.Fatalf("%d RDS instances, want a writer and 1 replica", n)
	}
	comp := mustFind(t, res, "webstack:data:Database", "db")
	w := mustFind(t, res, rdsInstance, "db-primary")
	r := mustFind(t, res, rdsInstance, "db-replica-1")

	for _, inst := range []*mockaws.Resource{w, r} {
		if inst.Parent != comp.URN {
			t.Errorf("%s: parent %q, want the Database component", inst.Name, inst.Parent)
		}
		if !inst.Protect {
			t.Errorf("%s: protect is off; protect (the default) must reach every instance", inst.Name)
		}
		want(t, inst, "gp3", "storageType")
		want(t, inst, true, "storageEncrypted")
		want(t, inst, 500, "maxAllocatedStorage")
		want(t, inst, false, "publiclyAccessible")
		want(t, inst, true, "iamDatabaseAuthenticationEnabled")
		want(t, inst, true, "copyTagsToSnapshot")
		want(t, inst, true, "autoMinorVersionUpgrade")
		want(t, inst, true, "performanceInsightsEnabled")
		want(t, inst, 60, "monitoringInterval")
		want(t, inst, 3307, "port")
		want(t, inst, 14, "backupRetentionPeriod")
		want(t, inst, "17:00-18:00", "backupWindow")
		want(t, inst, "sat:19:00-sat:20:00", "maintenanceWindow")
		want(t, inst, true, "deletionProtection")
		want(t, inst, false, "applyImmediately")
		want(t, inst, mustFind(t, res, "aws:kms/key:Key", "db-pi-key").Output("arn"), "performanceInsightsKmsKeyId")
		if !inst.DeleteBeforeReplace {
			t.Errorf("%s: a fixed identifier needs deleteBeforeReplace to be replaceable", inst.Name)
		}
		want(t, inst, []any{"audit", "error", "general", "slowquery"}, "enabledCloudwatchLogsExports")
		want(t, inst, []any{"sg-db"}, "vpcSecurityGroupIds")
		if inst.Input("monitoringRoleArn") == nil || inst.Input("parameterGroupName") == nil || inst.Input("optionGroupName") == nil {
			t.Errorf("%s: monitoringRoleArn, parameterGroupName and optionGroupName must all be set", inst.Name)
		}
	}

	// Writer: Multi-AZ without a pinned AZ, the generated password (never RDS's managed one,
	// which rules out MySQL replicas), a uniquely named final snapshot and kept automated
	// backups (REL09-BP03).
	want(t, w, "webstack-test-db", "identifier")
	want(t, w, "mysql", "engine")
	want(t, w, "8.4", "engineVersion")
	want(t, w, 100, "allocatedStorage")
	want(t, w, true, "multiAz")
	want(t, w, nil, "availabilityZone")
	want(t, w, nil, "manageMasterUserPassword")
	want(t, w, mockaws.Secret, "password")
	want(t, w, "webstack_admin", "username")
	want(t, w, "app", "dbName")
	want(t, w, LifecycleStandardOnly, "engineLifecycleSupport")
	want(t, w, false, "skipFinalSnapshot")
	suffix := mustFind(t, res, "random:index/randomId:RandomId", "db-final-snapshot-suffix")
	want(t, w, "webstack-test-db-final-"+suffix.Output("hex").(string), "finalSnapshotIdentifier")
	want(t, w, false, "deleteAutomatedBackups")
	if w.Input("dbSubnetGroupName") == nil {
		t.Errorf("writer: no dbSubnetGroupName; it must be in the data subnets (RDS.18)")
	}

	// Replica: source by identifier and no subnet group (docs/gotchas.md, "RDS read
	// replicas"), pinned outside the writer's preferred AZ, nothing a replica may not set.
	want(t, r, "webstack-test-db-replica-1", "identifier")
	want(t, r, "webstack-test-db", "replicateSourceDb")
	want(t, r, nil, "dbSubnetGroupName")
	want(t, r, "ap-northeast-2b", "availabilityZone")
	want(t, r, false, "multiAz")
	want(t, r, true, "skipFinalSnapshot")
	// engineLifecycleSupport too: CreateDBInstanceReadReplica and ModifyDBInstance cannot set
	// it, so a stated value RDS did not apply would diff on every `up`.
	for _, key := range []string{"username", "dbName", "password", "manageMasterUserPassword", "finalSnapshotIdentifier", "engine", "engineVersion", "allocatedStorage", "engineLifecycleSupport"} {
		if v := r.Input(key); v != nil {
			t.Errorf("replica: %s = %v; a replica takes it from its source or may not set it", key, v)
		}
	}

	// Every instance has its four log groups, created before it so that RDS does not create
	// them without retention.
	for inst, id := range map[*mockaws.Resource]string{w: "webstack-test-db", r: "webstack-test-db-replica-1"} {
		for _, log := range MySQLLogExports {
			var lg *mockaws.Resource
			for _, g := range res.ByType(logGroup) {
				if g.Input("name") == fmt.Sprintf("/aws/rds/instance/%s/%s", id, log) {
					lg = g
				}
			}
			if lg == nil {
				t.Errorf("%s: no log group /aws/rds/instance/%s/%s", inst.Name, id, log)
				continue
			}
			want(t, lg, 365, "retentionInDays")
			if !slices.Contains(inst.Dependencies, lg.URN) {
				t.Errorf("%s does not depend on its log group %s", inst.Name, lg.Name)
			}
		}
	}

	pg := mustFind(t, res, "aws:rds/parameterGroup:ParameterGroup", "db-params")
	want(t, pg, "mysql8.4", "family")
	params := map[string]any{}
	for _, p := range pg.Input("parameters").([]any) {
		m := p.(map[string]any)
		params[m["name"].(string)] = m["value"]
	}
	for k, v := range map[string]string{"character_set_server": "utf8mb4", "require_secure_transport": "1",
		"slow_query_log": "1", "general_log": "0", "log_output": "FILE"} {
		if params[k] != v {
			t.Errorf("parameter group: %s = %v, want %q", k, params[k], v)
		}
	}
	og := mustFind(t, res, "aws:rds/optionGroup:OptionGroup", "db-options")
	want(t, og, "mysql", "engineName")
	want(t, og, "8.4", "majorEngineVersion")
	want(t, og, "MARIADB_AUDIT_PLUGIN", "options", 0, "optionName")
	// The final snapshot and the kept automated backups use the option group, and RDS refuses
	// to delete an option group a snapshot uses: `pulumi destroy` leaves it with them.
	want(t, og, true, "skipDestroy")
	sg := mustFind(t, res, "aws:rds/subnetGroup:SubnetGroup", "db-subnets")
	want(t, sg, []any{"subnet-a", "subnet-b", "subnet-c"}, "subnetIds")

	role := mustFind(t, res, "aws:iam/role:Role", "db-monitoring-role")
	if s, _ := role.Input("assumeRolePolicy").(string); !strings.Contains(s, `"monitoring.rds.amazonaws.com"`) {
		t.Errorf("monitoring role trust policy %q does not trust monitoring.rds.amazonaws.com", s)
	}
	att := mustFind(t, res, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring-policy")
	want(t, att, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", "policyArn")

	if secret := mustFind(t, res, "aws:secretsmanager/secret:Secret", "db-master-secret"); res.Outputs["secret"] != secret.Output("arn") {
		t.Errorf("MasterSecretARN = %v, want the master secret's ARN %v", res.Outputs["secret"], secret.Output("arn"))
	}
	if readers, _ := res.Outputs["readers"].([]any); len(readers) != 1 {
		t.Errorf("ReaderAddresses = %v, want one per replica", res.Outputs["readers"])
	}
	if res.Outputs["port"] != float64(3307) {
		t.Errorf("Port = %v, want 3307", res.Outputs["port"])
	}
}

func TestDatabaseDevelopmentShape(t *testing.T) {
	a := prodDatabaseArgs()
	a.DisableMultiAZ, a.DisableDeletionProtection, a.DisableFinalSnapshot, a.DisableProtect = true, true, true, true
	a.DisableEnhancedMonitoring, a.DisablePerformanceInsights, a.AZs = true, true, testAZs[:2]
	a.Replicas = 2
	res := runDatabase(t, a)
	w := mustFind(t, res, rdsInstance, "db-primary")
	want(t, w, false, "multiAz")
	want(t, w, "ap-northeast-2a", "availabilityZone")
	want(t, w, true, "skipFinalSnapshot")
	want(t, w, nil, "finalSnapshotIdentifier")
	// No final snapshot: the automated backups go with the writer.
	want(t, w, true, "deleteAutomatedBackups")
	want(t, w, false, "deletionProtection")
	// Nothing outlives the writer, so nothing keeps the option group in use.
	want(t, mustFind(t, res, "aws:rds/optionGroup:OptionGroup", "db-options"), false, "skipDestroy")
	want(t, w, nil, "monitoringRoleArn")
	want(t, w, nil, "performanceInsightsRetentionPeriod")
	want(t, w, nil, "performanceInsightsKmsKeyId")
	for _, typ := range []string{"random:index/randomId:RandomId", "aws:kms/key:Key"} {
		if n := len(res.ByType(typ)); n != 0 {
			t.Errorf("%d %s without a final snapshot or Performance Insights, want 0", n, typ)
		}
	}
	for i := 1; i <= 2; i++ {
		r := mustFind(t, res, rdsInstance, fmt.Sprintf("db-replica-%d", i))
		// With two AZs every replica goes to the one the writer is not pinned to.
		want(t, r, "ap-northeast-2b", "availabilityZone")
		if r.Protect {
			t.Errorf("%s: protected although Protect is false", r.Name)
		}
	}
	if w.Protect {
		t.Errorf("writer protected although Protect is false")
	}
	if n := len(res.ByType("aws:iam/role:Role")); n != 0 {
		t.Errorf("%d IAM roles without enhanced monitoring, want 0", n)
	}
	if n := len(res.ByType(logGroup)); n != 13 {
		t.Errorf("%d log groups, want 4 per instance and the rotation function's (13)", n)
	}
}

func TestDatabaseEventSubscriptions(t *testing.T) {
	res := runDatabase(t, prodDatabaseArgs())
	if n := len(res.ByType("aws:rds/eventSubscription:EventSubscription")); n != 0 {
		t.Errorf("%d event subscriptions without a topic, want 0", n)
	}
	a := prodDatabaseArgs()
	a.EventTopicARN = pulumi.String("arn:aws:sns:ap-northeast-2:123456789012:alerts")
	res = runDatabase(t, a)
	inst := mustFind(t, res, "aws:rds/eventSubscription:EventSubscription", "db-instance-events")
	want(t, inst, "db-instance", "sourceType")
	want(t, inst, []any{"webstack-test-db", "webstack-test-db-replica-1"}, "sourceIds")
	want(t, inst, []any{"availability", "configuration change", "failover", "failure", "low storage", "maintenance", "read replica"}, "eventCategories")
	want(t, inst, "arn:aws:sns:ap-northeast-2:123456789012:alerts", "snsTopic")
	pg := mustFind(t, res, "aws:rds/eventSubscription:EventSubscription", "db-parameter-events")
	want(t, pg, "db-parameter-group", "sourceType")
	want(t, pg, []any{mustFind(t, res, "aws:rds/parameterGroup:ParameterGroup", "db-params").Output("name")}, "sourceIds")
	want(t, pg, []any{"configuration change"}, "eventCategories")

	// A failed rotation of the master secret, and only of it, notifies the topic; the rule
	// is in place before the first rotation runs.
	rule := mustFind(t, res, "aws:cloudwatch/eventRule:EventRule", "db-rotation-failed")
	var pattern map[string]any
	if err := json.Unmarshal([]byte(rule.Input("eventPattern").(string)), &pattern); err != nil {
		t.Fatalf("event pattern is not JSON: %v", err)
	}
	secret := mustFind(t, res, "aws:secretsmanager/secret:Secret", "db-master-secret")
	wantPattern := map[string]any{
		"source":      []any{"aws.secretsmanager"},
		"detail-type": []any{"AWS Service Event via CloudTrail"},
		"detail": map[string]any{
			"eventSource":         []any{"secretsmanager.amazonaws.com"},
			"eventName":           []any{"RotationFailed"},
			"additionalEventData": map[string]any{"SecretId": []any{secret.Output("arn")}},
		},
	}
	if !reflect.DeepEqual(pattern, wantPattern) {
		t.Errorf("event pattern %v, want %v", pattern, wantPattern)
	}
	target := mustFind(t, res, "aws:cloudwatch/eventTarget:EventTarget", "db-rotation-failed-alert")
	want(t, target, rule.Output("name"), "rule")
	want(t, target, "arn:aws:sns:ap-northeast-2:123456789012:alerts", "arn")
	// No role: for an SNS target EventBridge uses the topic policy, and a role can break the
	// delivery to an encrypted topic.
	want(t, target, nil, "roleArn")
	rot := mustFind(t, res, "aws:secretsmanager/secretRotation:SecretRotation", "db-master-rotation")
	if !slices.Contains(rot.Dependencies, target.URN) {
		t.Errorf("the first rotation runs before its failure is watched")
	}
}

// TestRotationAlphabet: rotated passwords keep the first password's alphabet, and the
// parameter that says so is not the template's default (a default-valued parameter makes every
// later `up` fail, pulumi/pulumi-aws#2717).
func TestRotationAlphabet(t *testing.T) {
	if RotationExcludeCharacters == RotationTemplateExcludeCharacters {
		t.Fatalf("excludeCharacters %q equals the template's default", RotationExcludeCharacters)
	}
	for _, c := range SecretsManagerPunctuation {
		in, out := strings.ContainsRune(MasterPasswordSpecials, c), strings.ContainsRune(RotationExcludeCharacters, c)
		if in == out {
			t.Errorf("%q: in the specials %v, excluded from rotation %v; want exactly one", c, in, out)
		}
	}
	// What RDS refuses in a master password is never generated by either side.
	for _, c := range `/"@ ` {
		if strings.ContainsRune(MasterPasswordSpecials, c) {
			t.Errorf("the specials hold %q, which RDS refuses", c)
		}
		if c != ' ' && !strings.ContainsRune(RotationExcludeCharacters, c) {
			t.Errorf("rotation may generate %q, which RDS refuses", c)
		}
	}
	if len(SecretsManagerPunctuation) != 32 {
		t.Errorf("%d punctuation characters, want the 32 of GetRandomPassword", len(SecretsManagerPunctuation))
	}
}

// optionsRecorder is the mock engine that also records the resource options it does not keep.
type optionsRecorder struct {
	*mockaws.Engine
	mu          sync.Mutex
	replaceWith map[string][]string
	urns        map[string]string
}

func (o *optionsRecorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, state, err := o.Engine.NewResource(args)
	o.mu.Lock()
	defer o.mu.Unlock()
	if rpc := args.RegisterRPC; rpc != nil {
		o.replaceWith[args.Name] = rpc.GetReplaceWith()
	}
	for _, r := range o.Engine.Resources() {
		if r.Name == args.Name {
			o.urns[args.Name] = r.URN
		}
	}
	return id, state, err
}

// TestReplicasReplacedWithWriter: a replaced writer replaces every replica. Nothing in a
// replica's inputs changes with the writer, and RDS promotes the replicas of a deleted source to
// standalone instances that cannot follow the new one; replaceWith takes them along in the
// writer's delete-before-replace.
func TestReplicasReplacedWithWriter(t *testing.T) {
	a := prodDatabaseArgs()
	a.Replicas = 2
	rec := &optionsRecorder{Engine: mockaws.New("webstack", "test", "ap-northeast-2"), replaceWith: map[string][]string{}, urns: map[string]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewDatabase(ctx, "db", a)
		return err
	}, pulumi.WithMocks("webstack", "test", rec), func(info *pulumi.RunInfo) { info.DryRun = true })
	if err != nil {
		t.Fatal(err)
	}
	writer := rec.urns["db-primary"]
	if writer == "" {
		t.Fatal("no writer registered")
	}
	for _, name := range []string{"db-replica-1", "db-replica-2"} {
		if got := rec.replaceWith[name]; !reflect.DeepEqual(got, []string{writer}) {
			t.Errorf("%s: replaceWith %v, want the writer %s", name, got, writer)
		}
	}
	if got := rec.replaceWith["db-primary"]; len(got) != 0 {
		t.Errorf("writer: replaceWith %v, want none", got)
	}
}

func TestDatabaseArgsRejected(t *testing.T) {
	for name, change := range map[string]func(a *DatabaseArgs){
		"no replicas":                  func(a *DatabaseArgs) { a.Replicas = 0 },
		"one AZ":                       func(a *DatabaseArgs) { a.AZs = testAZs[:1] },
		"no backups":                   func(a *DatabaseArgs) { a.BackupRetentionDays = 0 },
		"bad monitoring":               func(a *DatabaseArgs) { a.MonitoringInterval = 20 },
		"no ceiling":                   func(a *DatabaseArgs) { a.MaxAllocatedStorage = a.AllocatedStorage },
		"identifier uppercase":         func(a *DatabaseArgs) { a.Identifier = "Webstack" },
		"no security group":            func(a *DatabaseArgs) { a.SecurityGroupID = nil },
		"8.0 without extended support": func(a *DatabaseArgs) { a.EngineVersion = "8.0.40" },
		"5.7":                          func(a *DatabaseArgs) { a.EngineVersion, a.ExtendedSupport = "5.7", true },
		"no rotation schedule":         func(a *DatabaseArgs) { a.PasswordRotationDays = 0 },
		"no rotation network":          func(a *DatabaseArgs) { a.RotationSecurityGroupID = nil },
		"iso partition":                func(a *DatabaseArgs) { a.Partition = "aws-iso" },
		"rotation version not semver":  func(a *DatabaseArgs) { a.RotationAppVersion = "1.1" },
		"rotation version with a v":    func(a *DatabaseArgs) { a.RotationAppVersion = "v1.1.671" },
	} {
		t.Run(name, func(t *testing.T) {
			a := prodDatabaseArgs()
			change(a)
			_, err := mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				_, err := NewDatabase(ctx, "db", a)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "data: database db:") {
				t.Fatalf("args accepted or error without context: %v", err)
			}
		})
	}
}

// secretInput returns the plain string of a resource's secret input.
func secretInput(t *testing.T, r *mockaws.Resource, key string) string {
	t.Helper()
	return secretString(t, r.Inputs[resource.PropertyKey(key)])
}

// TestDatabaseCredentials: the generated password reaches the writer and the secret (as the
// JSON the rotation function reads) and nothing else; the secret rotates on schedule through
// the SAR rotation function placed in the rotation subnets; every step waits for the one before.
func TestDatabaseCredentials(t *testing.T) {
	res := runDatabase(t, prodDatabaseArgs())
	w := mustFind(t, res, rdsInstance, "db-primary")
	pw := mustFind(t, res, randomPassword, "db-master-password")
	want(t, pw, MasterPasswordLength, "length")
	want(t, pw, MasterPasswordSpecials, "overrideSpecial")
	if MasterPasswordLength < 8 || MasterPasswordLength > 41 || strings.ContainsAny(MasterPasswordSpecials, `/"@ '\`+"`") {
		t.Errorf("master password: length %d or specials %q outside what RDS for MySQL and the rotation function accept", MasterPasswordLength, MasterPasswordSpecials)
	}
	want(t, pw, map[string]any{"identifier": "webstack-test-db", "engine": "mysql", "username": "webstack_admin", "dbName": "app",
		"availabilityZone": "", "storageEncrypted": "true", "port": "3307", "ssl": "true"}, "keepers")
	password := secretString(t, pw.State["result"])
	if secretInput(t, w, "password") != password {
		t.Errorf("the writer does not get the generated password")
	}

	secret := mustFind(t, res, "aws:secretsmanager/secret:Secret", "db-master-secret")
	want(t, secret, 7, "recoveryWindowInDays")
	ver := mustFind(t, res, "aws:secretsmanager/secretVersion:SecretVersion", "db-master-secret-version")
	want(t, ver, secret.ID, "secretId")
	want(t, ver, nil, "versionStages")
	var value map[string]any
	if err := json.Unmarshal([]byte(secretInput(t, ver, "secretString")), &value); err != nil {
		t.Fatalf("secret value is not JSON: %v", err)
	}
	// "ssl": true makes the rotation function connect over TLS only, never falling back to a
	// plaintext attempt.
	wantValue := map[string]any{"engine": "mysql", "host": w.Output("address"), "port": float64(3307),
		"username": "webstack_admin", "password": password, "dbname": "app", "ssl": true}
	if !reflect.DeepEqual(value, wantValue) {
		t.Errorf("secret value keys/values differ from the rotation function's JSON shape:\n got %v\nwant engine, host, port, username, dbname and the password", slices.Sorted(maps.Keys(value)))
	}
	if !slices.Contains(ver.Dependencies, w.URN) {
		t.Errorf("the secret version does not wait for the writer (it needs its address)")
	}

	fn := mustFind(t, res, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
	want(t, fn, "webstack-test-db-rotation", "name")
	want(t, fn, "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser", "applicationId")
	want(t, fn, "1.1.671", "semanticVersion")
	want(t, fn, []any{"CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"}, "capabilities")
	want(t, fn, map[string]any{
		"endpoint":            "https://secretsmanager.ap-northeast-2.amazonaws.com",
		"functionName":        "webstack-test-db-rotation",
		"vpcSubnetIds":        "subnet-app-a,subnet-app-b",
		"vpcSecurityGroupIds": "sg-rotation",
		"excludeCharacters":   RotationExcludeCharacters,
	}, "parameters")
	if !fn.DeleteBeforeReplace {
		t.Errorf("the rotation stack has fixed names and must be deleted before it is replaced")
	}
	// The function's log group exists, with the data tier's retention, before the function
	// could create it without one.
	var fnLogs *mockaws.Resource
	for _, g := range res.ByType(logGroup) {
		if g.Input("name") == "/aws/lambda/webstack-test-db-rotation" {
			fnLogs = g
		}
	}
	if fnLogs == nil {
		t.Fatalf("no log group /aws/lambda/webstack-test-db-rotation for the rotation function")
	}
	want(t, fnLogs, 365, "retentionInDays")
	if !slices.Contains(fn.Dependencies, fnLogs.URN) {
		t.Errorf("the rotation stack does not wait for the function's log group")
	}
	rot := mustFind(t, res, "aws:secretsmanager/secretRotation:SecretRotation", "db-master-rotation")
	want(t, rot, secret.ID, "secretId")
	want(t, rot, fn.Output("outputs", "RotationLambdaARN"), "rotationLambdaArn")
	want(t, rot, 30, "rotationRules", "automaticallyAfterDays")
	want(t, rot, true, "rotateImmediately")
	// The first rotation waits for the replicas too: the password must not change while RDS
	// is still creating a replica from the writer.
	for _, dep := range []*mockaws.Resource{ver, fn, w, mustFind(t, res, rdsInstance, "db-replica-1")} {
		if !slices.Contains(rot.Dependencies, dep.URN) {
			t.Errorf("the rotation does not wait for %s", dep.Name)
		}
	}
	// Without an alert topic there is nobody to tell of a failed rotation.
	if n := len(res.ByType("aws:cloudwatch/eventRule:EventRule")) + len(res.ByType("aws:cloudwatch/eventTarget:EventTarget")); n != 0 {
		t.Errorf("%d EventBridge rules and targets without an alert topic, want 0", n)
	}

	// The password is in no output.
	for name, v := range res.Outputs {
		if strings.Contains(fmt.Sprint(v), password) {
			t.Errorf("output %s holds the master password", name)
		}
	}
}

// TestRotationAppVersion: the rotation application's version is the partition's pinned one
// unless the args name another, which reaches the SAR stack as it is.
func TestRotationAppVersion(t *testing.T) {
	for _, tt := range []struct {
		partition, version string
		wantARN, want      string
	}{
		{"aws", "", "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser", "1.1.671"},
		{"aws-cn", "", "arn:aws-cn:serverlessrepo:cn-north-1:193023089310:applications/SecretsManagerRDSMySQLRotationSingleUser", "1.1.440"},
		{"aws-us-gov", "", "arn:aws-us-gov:serverlessrepo:us-gov-west-1:023102451235:applications/SecretsManagerRDSMySQLRotationSingleUser", "1.1.384"},
		{"aws", "1.2.10", "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSMySQLRotationSingleUser", "1.2.10"},
	} {
		a := prodDatabaseArgs()
		a.Partition, a.RotationAppVersion = tt.partition, tt.version
		// The mock's account is in the aws partition: a key policy naming another partition's
		// root is refused as a lockout.
		a.DisablePerformanceInsights = true
		fn := mustFind(t, runDatabase(t, a), "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
		want(t, fn, tt.wantARN, "applicationId")
		want(t, fn, tt.want, "semanticVersion")
		if got := PinnedRotationVersion(tt.partition); tt.version == "" && got != tt.want {
			t.Errorf("PinnedRotationVersion(%q) = %q, want %q", tt.partition, got, tt.want)
		}
	}
	for _, v := range []string{"1.1.671", "0.0.1", "10.20.300"} {
		if !SemanticVersion.MatchString(v) {
			t.Errorf("semantic version %q refused", v)
		}
	}
	for _, v := range []string{"1.1", "1.1.671.2", "v1.1.671", "01.1.671", "1.1.671-beta", " 1.1.671", ""} {
		if SemanticVersion.MatchString(v) {
			t.Errorf("%q accepted as MAJOR.MINOR.PATCH", v)
		}
	}
}

// TestDatabaseReplacementKeepers: what replaces the writer renews the final snapshot's suffix
// and the password; what only the secret holds (the port) renews the password alone.
func TestDatabaseReplacementKeepers(t *testing.T) {
	base := runDatabase(t, prodDatabaseArgs())
	for name, tc := range map[string]struct {
		change           func(a *DatabaseArgs)
		suffix, password bool
	}{
		"username":         {func(a *DatabaseArgs) { a.Username = "other_admin" }, true, true},
		"single-AZ writer": {func(a *DatabaseArgs) { a.DisableMultiAZ = true }, true, true},
		"port":             {func(a *DatabaseArgs) { a.Port = 3308 }, false, true},
		"class":            {func(a *DatabaseArgs) { a.InstanceClass = "db.m7g.xlarge" }, false, false},
	} {
		t.Run(name, func(t *testing.T) {
			a := prodDatabaseArgs()
			tc.change(a)
			res := runDatabase(t, a)
			for typ, n := range map[string]string{"random:index/randomId:RandomId": "db-final-snapshot-suffix", randomPassword: "db-master-password"} {
				changed := !reflect.DeepEqual(mustFind(t, base, typ, n).Input("keepers"), mustFind(t, res, typ, n).Input("keepers"))
				if wantChange := map[string]bool{"db-final-snapshot-suffix": tc.suffix, "db-master-password": tc.password}[n]; changed != wantChange {
					t.Errorf("%s keepers changed: %v, want %v", n, changed, wantChange)
				}
			}
		})
	}
}

// TestDatabaseExtendedSupport: 8.0 runs only with RDS Extended Support, which every instance
// states, on the 8.0 parameter and option groups.
func TestDatabaseExtendedSupport(t *testing.T) {
	a := prodDatabaseArgs()
	a.EngineVersion, a.ExtendedSupport = "8.0.40", true
	res := runDatabase(t, a)
	want(t, mustFind(t, res, rdsInstance, "db-primary"), LifecycleExtendedSupport, "engineLifecycleSupport")
	want(t, mustFind(t, res, rdsInstance, "db-replica-1"), nil, "engineLifecycleSupport")
	want(t, mustFind(t, res, "aws:rds/parameterGroup:ParameterGroup", "db-params"), "mysql8.0", "family")
	want(t, mustFind(t, res, "aws:rds/optionGroup:OptionGroup", "db-options"), "8.0", "majorEngineVersion")
}

// TestDatabaseGeneralLogAndApplyImmediately: the general log only when asked for (its export
// stays either way), ApplyImmediately on every instance.
func TestDatabaseGeneralLogAndApplyImmediately(t *testing.T) {
	a := prodDatabaseArgs()
	a.GeneralLog, a.ApplyImmediately = true, true
	res := runDatabase(t, a)
	pg := mustFind(t, res, "aws:rds/parameterGroup:ParameterGroup", "db-params")
	for _, p := range pg.Input("parameters").([]any) {
		if m := p.(map[string]any); m["name"] == "general_log" && m["value"] != "1" {
			t.Errorf("general_log = %v with GeneralLog, want 1", m["value"])
		}
	}
	for _, inst := range res.ByType(rdsInstance) {
		want(t, inst, true, "applyImmediately")
		want(t, inst, []any{"audit", "error", "general", "slowquery"}, "enabledCloudwatchLogsExports")
	}
}

// TestDatabaseSecureDefaults: the optional args left unset give the secure choices on every
// instance: a Multi-AZ writer, deletion protection, a kept final snapshot with kept automated
// backups, Pulumi's protect, Performance Insights with the database's own key and enhanced
// monitoring every DefaultMonitoringInterval seconds.
func TestDatabaseSecureDefaults(t *testing.T) {
	a := prodDatabaseArgs()
	a.DisableMultiAZ, a.DisableDeletionProtection, a.DisableFinalSnapshot, a.DisableProtect = false, false, false, false
	a.DisablePerformanceInsights, a.DisableEnhancedMonitoring, a.MonitoringInterval = false, false, 0
	res := runDatabase(t, a)
	w := mustFind(t, res, rdsInstance, "db-primary")
	want(t, w, true, "multiAz")
	want(t, w, false, "skipFinalSnapshot")
	want(t, w, false, "deleteAutomatedBackups")
	for _, inst := range res.ByType(rdsInstance) {
		want(t, inst, true, "deletionProtection")
		want(t, inst, true, "performanceInsightsEnabled")
		want(t, inst, float64(DefaultMonitoringInterval), "monitoringInterval")
		if !inst.Protect {
			t.Errorf("%s: protect is off with zero-valued args, want on", inst.Name)
		}
	}
}
