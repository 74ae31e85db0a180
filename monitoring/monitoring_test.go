package monitoring

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const region = "ap-northeast-2"

func alertsArgs(emails ...string) *AlertsArgs {
	return &AlertsArgs{TopicName: "webstack-unit-alerts", Emails: emails, AccountID: mockaws.AccountID, Region: region, Partition: "aws"}
}

func runAlerts(t *testing.T, args *AlertsArgs) (*mockaws.Result, error) {
	t.Helper()
	return mockaws.Run("webstack", "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
		a, err := NewAlerts(ctx, "alerts", args)
		if err != nil {
			return err
		}
		ctx.Export("topic", a.TopicARN)
		return nil
	})
}

type statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]string
}

func statements(t *testing.T, doc any) map[string]statement {
	t.Helper()
	var d struct{ Statement []statement }
	if err := json.Unmarshal([]byte(doc.(string)), &d); err != nil {
		t.Fatalf("policy is not JSON: %v", err)
	}
	out := map[string]statement{}
	for _, s := range d.Statement {
		out[s.Sid] = s
	}
	return out
}

func TestAlerts(t *testing.T) {
	res, err := runAlerts(t, alertsArgs("oncall@example.com", "Backend@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	key := res.Find("aws:kms/key:Key", "alerts-key")
	topic := res.Find("aws:sns/topic:Topic", "alerts-topic")
	if key == nil || topic == nil {
		t.Fatalf("no key or topic: %v", res.SortedTypes())
	}
	if key.Input("enableKeyRotation") != true || key.Input("deletionWindowInDays") != 30.0 {
		t.Errorf("key: rotation %v, deletion window %v; want true, 30", key.Input("enableKeyRotation"), key.Input("deletionWindowInDays"))
	}
	if topic.Input("kmsMasterKeyId") != key.Output("arn") || topic.Input("name") != "webstack-unit-alerts" {
		t.Errorf("topic %v is not encrypted with the stack's key %v", mockaws.PlainMap(topic.Inputs), key.Output("arn"))
	}
	if alias := res.Find("aws:kms/alias:Alias", "alerts-key-alias"); alias == nil || alias.Input("name") != "alias/webstack-unit-alerts" || alias.Input("targetKeyId") != key.Output("keyId") {
		t.Errorf("key alias missing or pointing elsewhere")
	}

	// docs/gotchas.md, "Alarms to an encrypted topic need the key's grant": every publisher may use the key, or its notifications vanish.
	kp := statements(t, key.Input("policy"))
	for _, p := range Publishers {
		found := false
		for _, s := range kp {
			if s.Effect == "Allow" && reflect.DeepEqual(s.Principal, map[string]any{"Service": p}) &&
				reflect.DeepEqual(s.Action, []any{"kms:Decrypt", "kms:GenerateDataKey*"}) {
				found = true
			}
		}
		if !found {
			t.Errorf("key policy does not let %s encrypt: %v", p, kp)
		}
	}
	if kp["CloudWatchAlarmsEncrypt"].Condition["StringEquals"]["aws:SourceAccount"] != mockaws.AccountID {
		t.Errorf("CloudWatch's key grant is not limited to the account: %+v", kp["CloudWatchAlarmsEncrypt"])
	}
	// EventBridge's delivery to an encrypted topic carries no source condition keys to KMS.
	if c := kp["EventBridgeRulesEncrypt"].Condition; c != nil {
		t.Errorf("EventBridge's key grant has a condition AWS does not support for it: %+v", c)
	}

	policy := res.Find("aws:sns/topicPolicy:TopicPolicy", "alerts-topic-policy")
	arn := topic.Output("arn")
	if policy.Input("arn") != arn {
		t.Errorf("topic policy is attached to %v, want %v", policy.Input("arn"), arn)
	}
	tp := statements(t, policy.Input("policy"))
	if len(tp) != 4 {
		t.Errorf("topic policy has %d statements, want 4: %v", len(tp), tp)
	}
	for sid, s := range tp {
		if s.Resource != arn || s.Effect != "Allow" {
			t.Errorf("statement %s: %+v is not an Allow on the topic", sid, s)
		}
		if svc, ok := s.Principal.(map[string]any)["Service"]; ok && svc == "events.amazonaws.com" {
			// AWS: "You can't use Condition blocks in Amazon SNS topic policies for
			// EventBridge"; one here would drop every rule's notification.
			if s.Action != "sns:Publish" || s.Condition != nil {
				t.Errorf("EventBridge's statement must grant sns:Publish with no condition: %+v", s)
			}
		} else if ok {
			if s.Action != "sns:Publish" || s.Condition["StringEquals"]["aws:SourceAccount"] != mockaws.AccountID || s.Condition["ArnLike"]["aws:SourceArn"] == "" {
				t.Errorf("%s may publish without being limited to this account's resources: %+v", svc, s)
			}
		} else if s.Principal.(map[string]any)["AWS"] != "arn:aws:iam::123456789012:root" {
			t.Errorf("statement %s grants %v, not the account", sid, s.Principal)
		}
	}

	subs := res.ByType("aws:sns/topicSubscription:TopicSubscription")
	var endpoints []string
	for _, s := range subs {
		if s.Input("protocol") != "email" || s.Input("topic") != arn {
			t.Errorf("subscription %s = %v", s.Name, mockaws.PlainMap(s.Inputs))
		}
		endpoints = append(endpoints, s.Input("endpoint").(string))
	}
	slices.Sort(endpoints)
	if !reflect.DeepEqual(endpoints, []string{"Backend@example.org", "oncall@example.com"}) {
		t.Errorf("subscriptions to %v", endpoints)
	}

	// Reordering the addresses replaces no subscription.
	again, err := runAlerts(t, alertsArgs("Backend@example.org", "oncall@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if again.ByURN(s.URN) == nil {
			t.Errorf("subscription %s is renamed when the list is reordered", s.Name)
		}
	}
	if res.Outputs["topic"] != "arn:aws:sns:ap-northeast-2:123456789012:webstack-unit-alerts" {
		t.Errorf("topic ARN output %v", res.Outputs["topic"])
	}
}

func TestAlertsRejected(t *testing.T) {
	for name, c := range map[string]struct {
		args *AlertsArgs
		want string
	}{
		"display name in address": {alertsArgs("On Call <oncall@example.com>"), "not a bare email address"},
		"no domain":               {alertsArgs("oncall@localhost"), "not a bare email address"},
		"not an address":          {alertsArgs("oncall"), "not a bare email address"},
		"duplicate":               {alertsArgs("a@example.com", "A@example.com"), "listed twice"},
		"bad topic name":          {&AlertsArgs{TopicName: "web stack", AccountID: "1", Region: region, Partition: "aws"}, "topic name"},
		"no account":              {&AlertsArgs{TopicName: "t", Region: region, Partition: "aws"}, "account id, region and partition are required"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := runAlerts(t, c.args)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if res != nil && len(res.Resources) > 0 {
				t.Errorf("%d resources registered despite bad args", len(res.Resources))
			}
		})
	}
	if _, err := NewAlerts(nil, "alerts", nil); err == nil {
		t.Error("nil args accepted")
	}
}

func dashboardArgs() *DashboardArgs {
	return &DashboardArgs{
		Name: "webstack-unit", Region: region, LoadBalancer: pulumi.String("app/alb/1"),
		Colors:      []ColorTargetGroup{{"blue", pulumi.String("targetgroup/blue/1")}, {"green", pulumi.String("targetgroup/green/2")}},
		DBWriter:    "webstack-unit-db",
		DBReplicas:  []string{"webstack-unit-db-replica-1"},
		CacheNodes:  []string{"webstack-unit-cache-001", "webstack-unit-cache-002"},
		NATGateways: pulumi.ToStringArray([]string{"nat-1", "nat-2"}),
		Alarms:      pulumi.ToStringArray([]string{"arn:aws:cloudwatch:r:1:alarm:a"}),
	}
}

func dashboardBody(t *testing.T, args *DashboardArgs) []map[string]any {
	t.Helper()
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
		_, err := NewDashboard(ctx, "dashboard", args)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Find("aws:cloudwatch/dashboard:Dashboard", "dashboard-dashboard")
	if d.Input("dashboardName") != args.Name {
		t.Errorf("dashboard name %v", d.Input("dashboardName"))
	}
	var body struct{ Widgets []map[string]any }
	if err := json.Unmarshal([]byte(d.Input("dashboardBody").(string)), &body); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	return body.Widgets
}

// metricsOf returns the titles of the metric widgets and, for each, the metric lines as text.
func metricsOf(widgets []map[string]any) map[string]string {
	out := map[string]string{}
	for _, w := range widgets {
		p := w["properties"].(map[string]any)
		if w["type"] == "metric" {
			b, _ := json.Marshal(p["metrics"])
			out[p["title"].(string)] = string(b)
		}
	}
	return out
}

func TestDashboard(t *testing.T) {
	widgets := dashboardBody(t, dashboardArgs())
	m := metricsOf(widgets)
	for title, wants := range map[string][]string{
		"Requests per color (per minute)":          {`"RequestCount","TargetGroup","targetgroup/blue/1","LoadBalancer","app/alb/1",{"label":"blue"}`, `"targetgroup/green/2"`},
		"5XX errors per color (per minute)":        {`"HTTPCode_Target_5XX_Count","TargetGroup","targetgroup/blue/1"`, `"HTTPCode_Target_5XX_Count","TargetGroup","targetgroup/green/2"`, `"HTTPCode_ELB_5XX_Count"`},
		"Target response time per color (seconds)": {`"label":"blue p99","stat":"p99"`, `"label":"green p50","stat":"p50"`},
		"Hosts per color":                          {`"HealthyHostCount","TargetGroup","targetgroup/green/2"`, `"UnHealthyHostCount","TargetGroup","targetgroup/blue/1"`},
		"Database CPU (%)":                         {`"DBInstanceIdentifier","webstack-unit-db"`, `"DBInstanceIdentifier","webstack-unit-db-replica-1"`},
		"Replica lag (seconds)":                    {`"ReplicaLag","DBInstanceIdentifier","webstack-unit-db-replica-1"`},
		"Cache memory used (%)":                    {`"CacheClusterId","webstack-unit-cache-001"`, `"CacheClusterId","webstack-unit-cache-002"`},
		"Cache evictions":                          {`"Evictions"`},
		"NAT gateways":                             {`"ErrorPortAllocation","NatGatewayId","nat-1"`, `"nat-2"`},
	} {
		got, ok := m[title]
		if !ok {
			t.Errorf("no widget %q (have %v)", title, m)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("widget %q lacks %s:\n%s", title, w, got)
			}
		}
	}
	if strings.Contains(m["Replica lag (seconds)"], `"webstack-unit-db"]`) {
		t.Error("the writer has no replica lag")
	}
	alarmWidgets := 0
	for _, w := range widgets {
		x, y, width := w["x"].(float64), w["y"].(float64), w["width"].(float64)
		if x < 0 || x+width > 24 || y < 0 {
			t.Errorf("widget %v is off the 24-column grid", w["properties"])
		}
		if w["type"] == "alarm" {
			alarmWidgets++
			if !reflect.DeepEqual(w["properties"].(map[string]any)["alarms"], []any{"arn:aws:cloudwatch:r:1:alarm:a"}) {
				t.Errorf("alarm widget lists %v", w["properties"])
			}
		}
	}
	if alarmWidgets != 1 {
		t.Errorf("%d alarm widgets, want 1", alarmWidgets)
	}

	// Without NAT gateways and replicas, their widgets are left out rather than empty.
	args := dashboardArgs()
	args.NATGateways, args.DBReplicas = nil, nil
	m = metricsOf(dashboardBody(t, args))
	for _, title := range []string{"NAT gateways", "Replica lag (seconds)"} {
		if _, ok := m[title]; ok {
			t.Errorf("widget %q without anything to show", title)
		}
	}
}

func TestDashboardRejected(t *testing.T) {
	for name, change := range map[string]func(*DashboardArgs){
		"no name":      func(a *DashboardArgs) { a.Name = "" },
		"no colors":    func(a *DashboardArgs) { a.Colors = nil },
		"nameless tg":  func(a *DashboardArgs) { a.Colors[0].Color = "" },
		"no db":        func(a *DashboardArgs) { a.DBWriter = "" },
		"no cache":     func(a *DashboardArgs) { a.CacheNodes = nil },
		"no balancer":  func(a *DashboardArgs) { a.LoadBalancer = nil },
		"nil tg input": func(a *DashboardArgs) { a.Colors[1].TargetGroup = nil },
	} {
		a := dashboardArgs()
		change(a)
		if err := a.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
