package stack

import (
	"reflect"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/policy"
)

// TestAlertsConfigRejects holds one bad webstack:alerts value per rule, each with the exact
// message a user sees.
func TestAlertsConfigRejects(t *testing.T) {
	alerts := func(body string, extra ...string) map[string]string {
		v := validDev()
		v["webstack:alerts"] = body
		for i := 0; i+1 < len(extra); i += 2 {
			v[extra[i]] = extra[i+1]
		}
		return v
	}
	tests := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"display name in an address", alerts(`{"emails":["On Call <oncall@example.com>"]}`),
			`Pulumi.dev.yaml: webstack:alerts.emails[0]: "On Call <oncall@example.com>" is not a bare email address such as "oncall@example.com"`},
		{"not an address", alerts(`{"emails":["oncall"]}`), `webstack:alerts.emails[0]: "oncall" is not a bare email address`},
		{"address listed twice", alerts(`{"emails":["a@example.com","A@example.com"]}`), `webstack:alerts.emails[1]: "A@example.com" is listed twice`},
		{"emails a string", alerts(`{"emails":"a@example.com"}`), `webstack:alerts.emails: "a@example.com" must be a list`},
		{"negative 5xx", alerts(`{"elb5xxCount":-1}`), `webstack:alerts.elb5xxCount: -1 must not be negative (the alarm fires above it; 0 fires on the first one)`},
		{"negative evictions", alerts(`{"cacheEvictions":-5}`), `webstack:alerts.cacheEvictions: -5 must not be negative`},
		{"cpu over 99", alerts(`{"dbCpuPercent":100}`), `webstack:alerts.dbCpuPercent: 100 must be a percentage from 1 to 99`},
		{"memory 0", alerts(`{"cacheMemoryPercent":0}`), `webstack:alerts.cacheMemoryPercent: 0 must be a percentage from 1 to 99`},
		{"no connections", alerts(`{"dbConnections":0}`), `webstack:alerts.dbConnections: 0 must be at least 1 (connections)`},
		{"no replica lag", alerts(`{"dbReplicaLagSeconds":0}`), `webstack:alerts.dbReplicaLagSeconds: 0 must be at least 1 (seconds)`},
		{"latency a fraction", alerts(`{"responseTimeP99Ms":1.5}`), `webstack:alerts.responseTimeP99Ms: 1.5 must be a whole number`},
		{"latency beyond the idle timeout", alerts(`{"responseTimeP99Ms":60000}`),
			`webstack:alerts.responseTimeP99Ms: 60000 ms is not below webstack:app.idleTimeout (60 s): the load balancer closes a request before it is that slow`},
		{"free storage where autoscaling starts", alerts(`{"dbFreeStorageGiB":2}`, "webstack:database", `{"allocatedStorage":20,"maxAllocatedStorage":50}`),
			`webstack:alerts.dbFreeStorageGiB: 2 GiB is not below 10% of webstack:database.allocatedStorage (20 GiB): storage autoscaling starts there, so the alarm would page on every routine growth`},
		{"typo", alerts(`{"email":["a@example.com"]}`), `webstack:alerts.email: unknown key (did you mean "emails"?)`},
		{"slack channel without workspace", alerts(`{"slack":{"channelId":"C07EZ1ABC23"}}`),
			`Pulumi.dev.yaml: webstack:alerts.slack.workspaceId: is missing: a Slack channel (channelId "C07EZ1ABC23") needs its workspace's ID`},
		{"slack workspace without channel", alerts(`{"slack":{"workspaceId":"T07EA123LEP"}}`),
			`Pulumi.dev.yaml: webstack:alerts.slack.channelId: is missing: workspaceId "T07EA123LEP" needs the ID of the channel to post to`},
		{"slack workspace name", alerts(`{"slack":{"workspaceId":"acme","channelId":"C07EZ1ABC23"}}`),
			`Pulumi.dev.yaml: webstack:alerts.slack.workspaceId: "acme" is not a Slack workspace ID: T followed by capital letters and digits`},
		{"slack channel name", alerts(`{"slack":{"workspaceId":"T07EA123LEP","channelId":"#alerts"}}`),
			`Pulumi.dev.yaml: webstack:alerts.slack.channelId: "#alerts" is not a Slack channel ID: C (or G for a private channel)`},
		{"slack region without the API", alerts(`{"slack":{"workspaceId":"T07EA123LEP","channelId":"C07EZ1ABC23","region":"ap-northeast-2"}}`),
			`Pulumi.dev.yaml: webstack:alerts.slack.region: "ap-northeast-2" has no AWS Chatbot API; use one of us-east-2, us-west-2, eu-west-1, ap-southeast-1`},
		{"slack a string", alerts(`{"slack":"C07EZ1ABC23"}`), `webstack:alerts.slack: "C07EZ1ABC23" must be an object with the keys workspaceId, channelId, region`},
		{"webhook secret a URL", alerts(`{"webhookSecretArn":"https://hooks.slack.com/services/T0/B0/x"}`),
			`Pulumi.dev.yaml: webstack:alerts.webhookSecretArn: "https://hooks.slack.com/services/T0/B0/x" is not a Secrets Manager secret ARN`},
		{"webhook secret in another region", alerts(`{"webhookSecretArn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:hook-AbCdEf"}`),
			`Pulumi.dev.yaml: webstack:alerts.webhookSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:hook-AbCdEf" is in us-east-1, not in the stack's region ap-northeast-2`},
		{"webhook secret in another partition", alerts(`{"webhookSecretArn":"arn:aws-cn:secretsmanager:ap-northeast-2:123456789012:secret:hook-AbCdEf"}`),
			`webstack:alerts.webhookSecretArn: "arn:aws-cn:secretsmanager:ap-northeast-2:123456789012:secret:hook-AbCdEf" is in the partition aws-cn, but ap-northeast-2 is in aws`},
		{"chat log retention", alerts(`{"chatLogRetentionDays":45}`), `webstack:alerts.chatLogRetentionDays: 45 is not a retention CloudWatch Logs accepts`},
		{"app log retention", func() map[string]string {
			v := validDev()
			v["webstack:app"] = `{"testListenerCidrs":["203.0.113.0/24"],"blue":{"version":"1.0.0"},"logRetentionDays":45}`
			return v
		}(), `webstack:app.logRetentionDays: 45 is not a retention CloudWatch Logs accepts`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig("webstack", "dev", tt.values)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("config %v:\n error %v\n does not contain %q", tt.values, err, tt.want)
			}
		})
	}
}

func TestAlertsConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig("webstack", "dev", validDev())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.Alerts, defaultAlertsConfig()) || cfg.Alerts.Emails != nil {
		t.Errorf("alerts defaults not applied: %+v", cfg.Alerts)
	}
	if d := defaultAlertsConfig(); d.DBFreeStorageGiB*10 >= DefaultDatabaseConfig().AllocatedStorage || d.ResponseTimeP99Ms >= defaultAppConfig().IdleTimeout*1000 {
		t.Errorf("default thresholds contradict the default database and ALB: %+v", d)
	}
	cfg, err = LoadConfig("webstack", "dev", func() map[string]string {
		v := validDev()
		v["webstack:alerts"] = `{"emails":["oncall@example.com"],"dbConnections":45}`
		return v
	}())
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Alerts.Emails) != 1 || cfg.Alerts.DBConnections != 45 || cfg.Alerts.DBCPUPercent != 80 {
		t.Errorf("partial alerts lost defaults: %+v", cfg.Alerts)
	}
}

// TestAlertSubscribersRelaxation: only an explicit `emails: []` relaxes the check; leaving the
// key out does not, so a production stack that pages nobody fails.
func TestAlertSubscribersRelaxation(t *testing.T) {
	relaxed := func(values map[string]string) bool {
		cfg, err := LoadConfig("webstack", "dev", values)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range cfg.CheckOptions().Exceptions {
			if x.Check == "webstack/alert-subscribers" {
				if x.Key != "webstack:alerts.emails" || x.Name != contract.AlertTopic || x.Type != contract.TypeSNSTopic {
					t.Errorf("relaxation %+v", x)
				}
				return true
			}
		}
		return false
	}
	with := func(body string) map[string]string { v := validDev(); v["webstack:alerts"] = body; return v }
	if relaxed(validDev()) {
		t.Error("no webstack:alerts at all relaxes webstack/alert-subscribers")
	}
	if relaxed(with(`{"dbConnections":45}`)) {
		t.Error("alerts without an emails key relax webstack/alert-subscribers")
	}
	if !relaxed(with(`{"emails":[]}`)) {
		t.Error("emails: [] does not relax webstack/alert-subscribers")
	}
	if relaxed(with(`{"emails":["a@example.com"]}`)) {
		t.Error("a subscriber relaxes webstack/alert-subscribers")
	}
	if policy.Lookup("webstack/alert-subscribers") == nil {
		t.Error("no check webstack/alert-subscribers")
	}
}

// TestLogRetentionRelaxations: a retention under a year relaxes CloudWatch.16 on exactly the
// log groups its key governs.
func TestLogRetentionRelaxations(t *testing.T) {
	cfg, err := LoadConfig("webstack", "dev", func() map[string]string {
		v := validDev()
		v["webstack:app"] = `{"testListenerCidrs":["203.0.113.0/24"],"blue":{"version":"1.0.0"},"logRetentionDays":30}`
		v["webstack:database"] = `{"tier":"development","logRetentionDays":90,"deletionProtection":false,"finalSnapshot":false,"protect":false}`
		return v
	}())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]contract.Relaxation{}
	for _, x := range cfg.logRetentionRelaxations() {
		got[x.Key] = x
	}
	want := map[string]contract.Relaxation{
		"webstack:app.logRetentionDays":      {Check: "CloudWatch.16", Type: contract.TypeCloudWatchLogGroup, Name: contract.AppLogGroup, Key: "webstack:app.logRetentionDays"},
		"webstack:database.logRetentionDays": {Check: "CloudWatch.16", Type: contract.TypeCloudWatchLogGroup, NamePrefix: "db-", Key: "webstack:database.logRetentionDays"},
	}
	if len(got) != len(want) {
		t.Errorf("relaxations %v, want %v (the cache keeps 365 days)", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %+v, want %+v", k, got[k], w)
		}
	}
}
