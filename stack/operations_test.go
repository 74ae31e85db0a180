package stack_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

const (
	tAlarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic     = "aws:sns/topic:Topic"
	tLogGroup  = "aws:cloudwatch/logGroup:LogGroup"
	tDashboard = "aws:cloudwatch/dashboard:Dashboard"
)

// TestAlarmsNotifyTheTopic: every stack has one alert topic; every alarm sends ALARM and OK to
// it; prod's alarms cover what docs/operations.md promises.
func TestAlarmsNotifyTheTopic(t *testing.T) {
	for _, tt := range []struct {
		stack  string
		alarms int
		emails []string
	}{
		// ALB 1 + 4 per color, writer 4 + replica 6 + rotation function 1, 2 cache nodes x 3,
		// NAT per AZ.
		// prod also has the alert webhook's errors and failure-queue alarms.
		{"prod", 9 + 11 + 6 + 3 + 2, []string{"oncall@example.com"}},
		// One cache node, one NAT gateway.
		{"dev", 9 + 11 + 3 + 1, nil},
		{"test", 9 + 11 + 6 + 1, nil},
	} {
		t.Run(tt.stack, func(t *testing.T) {
			_, res := runStack(t, tt.stack)
			topics := res.ByType(tTopic)
			if len(topics) != 1 {
				t.Fatalf("%d alert topics, want 1", len(topics))
			}
			arn := topics[0].Output("arn")
			if res.Outputs[contract.OutAlertTopicARN] != arn {
				t.Errorf("output %s = %v, want the topic %v", contract.OutAlertTopicARN, res.Outputs[contract.OutAlertTopicARN], arn)
			}
			alarms := res.ByType(tAlarm)
			if len(alarms) != tt.alarms {
				t.Errorf("%d alarms, want %d", len(alarms), tt.alarms)
			}
			metrics := map[string]bool{}
			for _, a := range alarms {
				if m, ok := a.Input("metricName").(string); ok {
					metrics[m] = true
				}
				queries, _ := a.Input("metricQueries").([]any)
				for _, q := range queries {
					if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
						metrics[m["metricName"].(string)] = true
					}
				}
				for _, path := range []string{"alarmActions", "okActions"} {
					if got := a.Input(path); len(got.([]any)) != 1 || got.([]any)[0] != arn {
						t.Errorf("alarm %s %s = %v, want [%v]", a.Name, path, got, arn)
					}
				}
				if name := a.Input("name").(string); !strings.HasPrefix(name, "webstack-"+tt.stack+"-") {
					t.Errorf("alarm %s is named %q, not after its stack", a.Name, name)
				}
			}
			for _, m := range []string{"HTTPCode_ELB_503_Count", "HTTP_Fixed_Response_Count", "RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount",
				"CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections", "ReplicaLag", "Errors",
				"EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "ErrorPortAllocation"} {
				if !metrics[m] {
					t.Errorf("no alarm on %s", m)
				}
			}
			var emails []string
			for _, s := range res.ByType("aws:sns/topicSubscription:TopicSubscription") {
				if s.Input("protocol") == "email" {
					emails = append(emails, s.Input("endpoint").(string))
				}
			}
			if strings.Join(emails, ",") != strings.Join(tt.emails, ",") {
				t.Errorf("email subscriptions %v, want %v", emails, tt.emails)
			}
			for _, e := range res.ByType("aws:rds/eventSubscription:EventSubscription") {
				if e.Input("snsTopic") != arn {
					t.Errorf("RDS event subscription %s notifies %v", e.Name, e.Input("snsTopic"))
				}
			}
			if n := len(res.ByType("aws:rds/eventSubscription:EventSubscription")); n != 2 {
				t.Errorf("%d RDS event subscriptions, want instance and parameter group events", n)
			}
		})
	}
}

// TestLogGroupsRetention: every log group has the retention its stack file gives, and the
// application's containers write theirs.
func TestLogGroupsRetention(t *testing.T) {
	for _, tt := range []struct {
		stack string
		app   float64
	}{{"prod", 365}, {"dev", 30}, {"test", 90}} {
		_, res := runStack(t, tt.stack)
		for _, lg := range res.ByType(tLogGroup) {
			days, ok := lg.Input("retentionInDays").(float64)
			if !ok || days <= 0 {
				t.Errorf("%s: log group %s keeps logs forever", tt.stack, lg.Name)
			}
			if tt.stack == "prod" && days < 365 {
				t.Errorf("prod: log group %s keeps %v days, want at least 365", lg.Name, days)
			}
		}
		app := res.Find(tLogGroup, "app-container-logs")
		if app == nil || app.Input("retentionInDays") != tt.app || app.Input("name") != "/webstack/"+tt.stack+"/app" {
			t.Fatalf("%s: application log group %v", tt.stack, app)
		}
		for _, lt := range res.ByType("aws:ec2/launchTemplate:LaunchTemplate") {
			ud, _ := base64.StdEncoding.DecodeString(lt.Input("userData").(string))
			if strings.Contains(string(ud), "docker run") && !strings.Contains(string(ud), "--log-opt awslogs-group=/webstack/"+tt.stack+"/app ") {
				t.Errorf("%s: %s runs the container without sending its output to the log group", tt.stack, lt.Name)
			}
		}
	}
}

// TestDashboard: one dashboard per stack, showing both colors whichever is live, the database
// and the cache; the JSON is what CloudWatch takes.
func TestDashboard(t *testing.T) {
	_, res := runStack(t, "prod")
	dashboards := res.ByType(tDashboard)
	if len(dashboards) != 1 {
		t.Fatalf("%d dashboards, want 1", len(dashboards))
	}
	d := dashboards[0]
	if d.Input("dashboardName") != "webstack-prod" {
		t.Errorf("dashboard name %v", d.Input("dashboardName"))
	}
	body := d.Input("dashboardBody").(string)
	var doc struct{ Widgets []map[string]any }
	if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Widgets) < 10 {
		t.Fatalf("dashboard body: %v (%d widgets)", err, len(doc.Widgets))
	}
	for _, name := range []string{"app-alb-blue-tg", "app-alb-green-tg"} {
		if suffix := find(t, res, "aws:lb/targetGroup:TargetGroup", name).Output("arnSuffix").(string); !strings.Contains(body, `"`+suffix+`"`) {
			t.Errorf("the dashboard does not show %s (%s)", name, suffix)
		}
	}
	for _, want := range []string{`"webstack-prod-db"`, `"webstack-prod-db-replica-1"`, `"webstack-prod-cache-001"`, `"webstack-prod-cache-002"`, `"type":"alarm"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %s", want)
		}
	}
	for _, a := range res.ByType(tAlarm) {
		if !strings.Contains(body, `"`+a.Output("arn").(string)+`"`) {
			t.Errorf("alarm %s is not on the dashboard", a.Name)
		}
	}
	if got := mockaws.Secret; strings.Contains(body, got) {
		t.Error("the dashboard body holds a secret")
	}
}
