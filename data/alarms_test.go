package data

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const (
	tAlarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	alertTopic = "arn:aws:sns:ap-northeast-2:123456789012:alerts"
)

func dbAlarms() DatabaseAlarmArgs {
	return DatabaseAlarmArgs{TopicARN: pulumi.String(alertTopic), CPUPercent: 80, FreeStorageGiB: 5, FreeableMemoryMiB: 256, Connections: 500, ReplicaLagSeconds: 60}
}

// alarmsBy returns the registered alarms by alarm name.
func alarmsBy(res *mockaws.Result) map[string]*mockaws.Resource {
	out := map[string]*mockaws.Resource{}
	for _, a := range res.ByType(tAlarm) {
		out[a.Input("name").(string)] = a
	}
	return out
}

func TestDatabaseAlarms(t *testing.T) {
	if n := len(runDatabase(t, prodDatabaseArgs()).ByType(tAlarm)); n != 0 {
		t.Errorf("%d alarms without an alert topic, want 0", n)
	}
	a := prodDatabaseArgs()
	a.Replicas = 2
	a.Alarms = dbAlarms()
	res := runDatabase(t, a)
	alarms := alarmsBy(res)
	identifiers := map[string]bool{}
	for _, inst := range res.ByType("aws:rds/instance:Instance") {
		identifiers[inst.Output("identifier").(string)] = true
	}
	type want struct {
		metric, stat, cmp string
		threshold         float64
	}
	common := map[string]want{
		"cpu":             {"CPUUtilization", "Average", "GreaterThanThreshold", 80},
		"free-storage":    {"FreeStorageSpace", "Minimum", "LessThanThreshold", 5 * (1 << 30)},
		"freeable-memory": {"FreeableMemory", "Minimum", "LessThanThreshold", 256 * (1 << 20)},
		"connections":     {"DatabaseConnections", "Maximum", "GreaterThanThreshold", 500},
	}
	// The rotation function's alarm is the one that is not an instance's.
	rotation := alarms["webstack-test-db-rotation-errors"]
	delete(alarms, "webstack-test-db-rotation-errors")
	expected := map[string]want{}
	for _, id := range []string{"webstack-test-db", "webstack-test-db-replica-1", "webstack-test-db-replica-2"} {
		for suffix, w := range common {
			expected[id+"-"+suffix] = w
		}
		if id != "webstack-test-db" {
			expected[id+"-replica-lag"] = want{"ReplicaLag", "Maximum", "GreaterThanThreshold", 60}
			// ReplicaLag is -1 when replication has stopped.
			expected[id+"-replication-stopped"] = want{"ReplicaLag", "Minimum", "LessThanThreshold", 0}
		}
	}
	if len(alarms) != len(expected) {
		var names []string
		for n := range alarms {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Errorf("alarms %v, want %d: 4 per instance, and replica lag and replication stopped per replica", names, len(expected))
	}
	for name, w := range expected {
		al := alarms[name]
		if al == nil {
			t.Errorf("no alarm %s", name)
			continue
		}
		for path, v := range map[string]any{"namespace": "AWS/RDS", "metricName": w.metric, "statistic": w.stat, "comparisonOperator": w.cmp,
			"threshold": w.threshold, "alarmActions": []any{alertTopic}, "okActions": []any{alertTopic}} {
			if got := al.Input(path); fmt.Sprint(got) != fmt.Sprint(v) {
				t.Errorf("%s %s = %v, want %v", name, path, got, v)
			}
		}
		dim, _ := al.Input("dimensions", "DBInstanceIdentifier").(string)
		if !strings.HasPrefix(name, dim+"-") || !identifiers[dim] {
			t.Errorf("%s watches DBInstanceIdentifier %q, not its own instance of this database", name, dim)
		}
	}

	// Any error of the rotation function in five minutes pages: it is a failed rotation, and
	// in an account without a CloudTrail trail nothing else reports one.
	if rotation == nil {
		t.Fatalf("no alarm webstack-test-db-rotation-errors on the rotation function")
	}
	for path, v := range map[string]any{"namespace": "AWS/Lambda", "metricName": "Errors", "statistic": "Sum", "period": 300.0,
		"evaluationPeriods": 1.0, "datapointsToAlarm": 1.0, "comparisonOperator": "GreaterThanThreshold", "threshold": 0.0,
		"treatMissingData": "notBreaching", "alarmActions": []any{alertTopic}, "okActions": []any{alertTopic}, "actionsEnabled": true,
		"dimensions": map[string]any{"FunctionName": "webstack-test-db-rotation"}} {
		if got := rotation.Input(path); fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("rotation errors alarm %s = %v, want %v", path, got, v)
		}
	}
	fn := res.Find("aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "db-rotation-function")
	if fn == nil || fn.Input("parameters", "functionName") != "webstack-test-db-rotation" {
		t.Errorf("the alarm's FunctionName is not the function the rotation stack names: %v", fn)
	}
	if desc, _ := rotation.Input("alarmDescription").(string); !strings.Contains(desc, "/aws/lambda/webstack-test-db-rotation") {
		t.Errorf("rotation errors alarm description %q does not name the function's log group", desc)
	}
	rot := res.Find("aws:secretsmanager/secretRotation:SecretRotation", "db-master-rotation")
	if rot == nil || !slices.Contains(rot.Dependencies, rotation.URN) {
		t.Errorf("the first rotation runs before the rotation errors alarm exists")
	}

	for name, change := range map[string]func(*DatabaseAlarmArgs){
		"cpu 0":           func(a *DatabaseAlarmArgs) { a.CPUPercent = 0 },
		"cpu 101":         func(a *DatabaseAlarmArgs) { a.CPUPercent = 101 },
		"no free storage": func(a *DatabaseAlarmArgs) { a.FreeStorageGiB = 0 },
		"no connections":  func(a *DatabaseAlarmArgs) { a.Connections = 0 },
		"no replica lag":  func(a *DatabaseAlarmArgs) { a.ReplicaLagSeconds = 0 },
	} {
		al := dbAlarms()
		change(&al)
		if err := al.validate(); err == nil {
			t.Errorf("%s: %+v accepted", name, al)
		}
	}
}

func TestCacheAlarms(t *testing.T) {
	if n := len(runCache(t, prodCacheArgs()).ByType(tAlarm)); n != 0 {
		t.Errorf("%d alarms without an alert topic, want 0", n)
	}
	a := prodCacheArgs()
	a.Alarms = CacheAlarmArgs{TopicARN: pulumi.String(alertTopic), CPUPercent: 70, MemoryPercent: 85, Evictions: 100}
	res := runCache(t, a)
	alarms := alarmsBy(res)
	group := mustFind(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "cache-group")
	members := group.Output("memberClusters").([]any)
	if len(alarms) != 3*len(members) {
		t.Errorf("%d alarms, want 3 per node (%d nodes)", len(alarms), len(members))
	}
	for _, m := range members {
		node := m.(string)
		for suffix, w := range map[string]struct {
			metric    string
			threshold float64
			missing   string
		}{
			"engine-cpu": {"EngineCPUUtilization", 70, "missing"},
			"memory":     {"DatabaseMemoryUsagePercentage", 85, "missing"},
			"evictions":  {"Evictions", 100, "notBreaching"},
		} {
			al := alarms[node+"-"+suffix]
			if al == nil {
				t.Errorf("node %s has no %s alarm", node, suffix)
				continue
			}
			if al.Input("dimensions", "CacheClusterId") != node || al.Input("metricName") != w.metric || al.Input("threshold") != w.threshold ||
				al.Input("treatMissingData") != w.missing || al.Input("okActions", 0) != alertTopic || al.Input("namespace") != "AWS/ElastiCache" {
				t.Errorf("%s-%s = %v", node, suffix, mockaws.PlainMap(al.Inputs))
			}
		}
	}
	for name, change := range map[string]func(*CacheAlarmArgs){
		"cpu 0":              func(a *CacheAlarmArgs) { a.CPUPercent = 0 },
		"memory 101":         func(a *CacheAlarmArgs) { a.MemoryPercent = 101 },
		"negative evictions": func(a *CacheAlarmArgs) { a.Evictions = -1 },
	} {
		al := a.Alarms
		change(&al)
		if err := al.validate(); err == nil {
			t.Errorf("%s: %+v accepted", name, al)
		}
	}
}
