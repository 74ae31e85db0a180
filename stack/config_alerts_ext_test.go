package stack_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// TestWebhookSecretOfAnotherAccount: the secret's account is checked against the caller's
// before any resource is registered.
func TestWebhookSecretOfAnotherAccount(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	sf, err = sf.WithSection("webstack:alerts", func(m map[string]any) {
		m["webhookSecretArn"] = "arn:aws:secretsmanager:ap-northeast-2:210987654321:secret:hook-AbCdEf"
	})
	if err != nil {
		t.Fatal(err)
	}
	v := sf.Values
	res, err := mockaws.Run("webstack", "dev", mockaws.Options{Config: v, Region: "ap-northeast-2"},
		func(ctx *pulumi.Context) error { return stack.Run(ctx, v) })
	want := `Pulumi.dev.yaml: webstack:alerts.webhookSecretArn: "arn:aws:secretsmanager:ap-northeast-2:210987654321:secret:hook-AbCdEf" belongs to the account 210987654321, not to the stack's account ` + mockaws.AccountID
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v\nlacks %q", err, want)
	}
	if res != nil {
		for _, r := range res.Resources {
			if r.Custom && r.Type != contract.TypeAWSProvider {
				t.Errorf("registered %s %s before refusing", r.Type, r.Name)
			}
		}
	}
}

// TestSlackChannelsDiffer: a Slack channel can be configured once per AWS account, and the
// README lets prod, dev and test share one, so no two committed stack files name the same
// (workspace, channel).
func TestSlackChannelsDiffer(t *testing.T) {
	seen := map[string]string{}
	for _, name := range []string{"prod", "dev", "test"} {
		sf, err := plan.Load("..", name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := stack.LoadConfig(sf.Project, sf.Stack, sf.Values)
		if err != nil {
			t.Fatal(err)
		}
		s := cfg.Alerts.Slack
		if !s.Enabled() {
			continue
		}
		key := s.WorkspaceID + "/" + s.ChannelID
		if other, ok := seen[key]; ok {
			t.Errorf("Pulumi.%s.yaml and Pulumi.%s.yaml both configure Slack channel %s: Chatbot refuses the second in one account", other, name, key)
		}
		seen[key] = name
	}
}
