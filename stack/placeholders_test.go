package stack_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// TestPlaceholdersInCommittedFiles names what each committed stack file leaves to the team.
func TestPlaceholdersInCommittedFiles(t *testing.T) {
	for stackName, want := range map[string][]string{
		"prod": {"webstack:alerts.emails[0]", "webstack:alerts.slack.workspaceId", "webstack:alerts.slack.channelId", "webstack:alerts.webhookSecretArn", "webstack:app.testListenerCidrs[0]", "webstack:app.testListenerCidrs[1]", "webstack:edge.domain", "webstack:edge.hostedZoneName"},
		"dev":  {"webstack:app.testListenerCidrs[0]"},
		"test": {"webstack:app.testListenerCidrs[0]"},
	} {
		sf, err := plan.Load("..", stackName)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := stack.LoadConfig(sf.Project, sf.Stack, sf.Values)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, ph := range cfg.Placeholders() {
			got = append(got, ph.Key)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: placeholders %v, want %v", stackName, got, want)
		}
	}
}

// TestUpRefusesPlaceholdersInProduction: `pulumi up` of a production-profile stack that still
// holds placeholders registers nothing and names every key; a preview, and an up of a
// nonproduction stack, go ahead.
func TestUpRefusesPlaceholdersInProduction(t *testing.T) {
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	run := func(files *plan.StackFiles, update bool) (*mockaws.Result, error) {
		return mockaws.Run(files.Project, files.Stack, mockaws.Options{Config: files.Values, Region: "ap-northeast-2", Update: update},
			func(ctx *pulumi.Context) error { return stack.Run(ctx, files.Values) })
	}
	res, err := run(sf, true)
	if err == nil {
		t.Fatal("up of prod with placeholders was accepted")
	}
	if res != nil && len(res.Resources) > 0 {
		t.Errorf("up registered %d resources before refusing", len(res.Resources))
	}
	for _, key := range []string{"webstack:edge.domain", "webstack:edge.hostedZoneName", "webstack:alerts.emails[0]", "webstack:app.testListenerCidrs[0]", "webstack:app.testListenerCidrs[1]",
		"webstack:alerts.slack.workspaceId", "webstack:alerts.slack.channelId", "webstack:alerts.webhookSecretArn"} {
		if !strings.Contains(err.Error(), "Pulumi.prod.yaml: "+key+": ") {
			t.Errorf("refusal does not name %s:\n%v", key, err)
		}
	}
	if _, err := run(sf, false); err != nil {
		t.Errorf("preview of prod with placeholders: %v", err)
	}

	// With the team's own values, up goes ahead.
	own, err := sf.WithSection("webstack:edge", func(m map[string]any) { m["domain"], m["hostedZoneName"] = "www.acme.io", "acme.io" })
	if err == nil {
		own, err = own.WithSection("webstack:alerts", func(m map[string]any) {
			m["emails"] = []any{"oncall@acme.io"}
			m["slack"] = map[string]any{"workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23", "region": "us-east-2"}
			m["webhookSecretArn"] = "arn:aws:secretsmanager:ap-northeast-2:" + mockaws.AccountID + ":secret:webstack-prod-alert-webhook-AbCdEf"
		})
	}
	if err == nil {
		own, err = own.WithSection("webstack:app", func(m map[string]any) { m["testListenerCidrs"] = []any{"100.64.10.0/24"} })
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(own, true); err != nil {
		t.Errorf("up of prod with the team's own values: %v", err)
	}

	// A nonproduction stack warns but deploys.
	dev, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run(dev, true); err != nil {
		t.Errorf("up of dev with its placeholder deploy network: %v", err)
	}
}
