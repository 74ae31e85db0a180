package monitoring

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

const (
	testTopic  = "arn:aws:sns:ap-northeast-2:123456789012:webstack-unit-alerts"
	testSecret = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:webstack-unit-alert-webhook-AbCdEf"
)

// runChat registers the Slack channel (through a provider in slackRegion) and the webhook.
func runChat(t *testing.T, slackRegion string, webhook *WebhookArgs) (*mockaws.Result, error) {
	t.Helper()
	return mockaws.Run("webstack", "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-chatbot", &aws.ProviderArgs{Region: pulumi.String(slackRegion)})
		if err != nil {
			return err
		}
		logs, err := aws.NewProvider(ctx, "aws-chatbot-logs", &aws.ProviderArgs{Region: pulumi.String(ChatbotLogRegion)})
		if err != nil {
			return err
		}
		if _, err := NewSlackChannel(ctx, "slack", &SlackChannelArgs{
			Name: "webstack-unit-alerts", WorkspaceID: "T07EA123LEP", ChannelID: "C07EZ1ABC23", TopicARN: pulumi.String(testTopic),
			Partition: "aws", Provider: p, LogProvider: logs, LogRetentionDays: 30,
		}); err != nil {
			return err
		}
		if webhook != nil {
			_, err = NewWebhook(ctx, "alert-webhook", webhook)
		}
		return err
	})
}

func webhookArgs() *WebhookArgs {
	return &WebhookArgs{FunctionName: "webstack-unit-alert-webhook", SecretARN: testSecret, TopicARN: pulumi.String(testTopic),
		AlarmNamePrefix: "webstack-unit", LogRetentionDays: 30, Region: region, Partition: "aws"}
}

func dependsOn(r *mockaws.Resource, on *mockaws.Resource) bool {
	return slices.Contains(r.Dependencies, on.URN)
}

func TestSlackChannel(t *testing.T) {
	res, err := runChat(t, "us-east-2", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := res.Find(contract.TypeChatbotSlackChannelConfiguration, "slack")
	if cfg == nil {
		t.Fatal("no channel configuration")
	}
	if got := cfg.Input("guardrailPolicyArns"); !slices.Equal(toStrings(got), []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}) {
		t.Errorf("guardrail %v, want ReadOnlyAccess (unset is AdministratorAccess)", got)
	}
	if cfg.Input("loggingLevel") != "ERROR" || !slices.Equal(toStrings(cfg.Input("snsTopicArns")), []string{testTopic}) {
		t.Errorf("logging %v, topics %v", cfg.Input("loggingLevel"), cfg.Input("snsTopicArns"))
	}
	if !strings.Contains(cfg.Provider, "aws-chatbot::") {
		t.Errorf("configuration on provider %q, want aws-chatbot", cfg.Provider)
	}
	role := res.Find(contract.TypeIAMRole, "slack-role")
	trust := statements(t, role.Input("assumeRolePolicy"))[""]
	if trust.Principal.(map[string]any)["Service"] != "chatbot.amazonaws.com" {
		t.Errorf("role trusts %v", trust.Principal)
	}
	read := statements(t, res.Find(contract.TypeIAMRolePolicy, "slack-role-policy").Input("policy"))["ChatbotReadsCloudWatch"]
	for _, a := range read.Action.([]any) {
		if !strings.HasPrefix(a.(string), "cloudwatch:Describe") && !strings.HasPrefix(a.(string), "cloudwatch:Get") && !strings.HasPrefix(a.(string), "cloudwatch:List") {
			t.Errorf("chatbot role may %v: read-only CloudWatch only", a)
		}
	}
	logs := res.Find(contract.TypeCloudWatchLogGroup, "slack-logs")
	if logs.Input("name") != "/aws/chatbot/webstack-unit-alerts" || !strings.Contains(logs.Provider, "aws-chatbot-logs::") || logs.Input("retentionInDays") != 30.0 {
		t.Errorf("log group %v on %s, retention %v", logs.Input("name"), logs.Provider, logs.Input("retentionInDays"))
	}
	for _, dep := range []*mockaws.Resource{logs, res.Find(contract.TypeIAMRolePolicy, "slack-role-policy")} {
		if !dependsOn(cfg, dep) {
			t.Errorf("configuration does not depend on %s", dep.Name)
		}
	}
}

func TestSlackChannelRegionWithoutAPI(t *testing.T) {
	if _, err := runChat(t, "ap-northeast-2", nil); err == nil || !strings.Contains(err.Error(), "chatbot/api-region") {
		t.Fatalf("a configuration in ap-northeast-2: %v", err)
	}
}

func TestWebhook(t *testing.T) {
	res, err := runChat(t, "us-east-2", webhookArgs())
	if err != nil {
		t.Fatal(err)
	}
	fn := res.Find(contract.TypeLambdaFunction, "alert-webhook")
	if fn.Input("runtime") != WebhookRuntime || fn.Input("handler") != "index.handler" || fn.Input("timeout") != float64(webhookTimeout) {
		t.Errorf("function %v %v %v", fn.Input("runtime"), fn.Input("handler"), fn.Input("timeout"))
	}
	for _, absent := range []string{"reservedConcurrentExecutions", "vpcConfig", "deadLetterConfig"} {
		if fn.Input(absent) != nil {
			t.Errorf("function sets %s = %v", absent, fn.Input(absent))
		}
	}
	if got := fn.Input("environment", "variables", "WEBHOOK_SECRET_ARN"); got != testSecret {
		t.Errorf("secret ARN in the environment %v", got)
	}
	queue := res.Find(contract.TypeSQSQueue, "alert-webhook-failures")
	if queue.Input("sqsManagedSseEnabled") != true || queue.Input("kmsMasterKeyId") != nil {
		t.Errorf("queue encryption %v / %v, want SSE-SQS", queue.Input("sqsManagedSseEnabled"), queue.Input("kmsMasterKeyId"))
	}
	logs := res.Find(contract.TypeCloudWatchLogGroup, "alert-webhook-logs")
	rolePolicy := res.Find(contract.TypeIAMRolePolicy, "alert-webhook-role-policy")
	if logs.Input("name") != "/aws/lambda/webstack-unit-alert-webhook" || fn.Input("loggingConfig", "logGroup") != logs.Input("name") {
		t.Errorf("log group %v, function logs to %v", logs.Input("name"), fn.Input("loggingConfig", "logGroup"))
	}
	for _, dep := range []*mockaws.Resource{logs, rolePolicy} {
		if !dependsOn(fn, dep) {
			t.Errorf("function does not depend on %s", dep.Name)
		}
	}
	st := statements(t, rolePolicy.Input("policy"))
	if st["ReadsTheWebhookSecret"].Resource != testSecret || st["RecordsFailedEvents"].Resource != queue.Output("arn") {
		t.Errorf("role policy %+v", st)
	}
	if len(st) != 3 {
		t.Errorf("role policy has %d statements, want logs, the secret and the queue only", len(st))
	}
	cfg := res.Find(contract.TypeLambdaFunctionEventInvokeConfig, "alert-webhook-invoke-config")
	if cfg.Input("maximumRetryAttempts") != 2.0 || cfg.Input("maximumEventAgeInSeconds") != float64(webhookMaxEventAge) ||
		cfg.Input("destinationConfig", "onFailure", "destination") != queue.Output("arn") || !dependsOn(cfg, rolePolicy) {
		t.Errorf("invoke config %v", cfg.Inputs)
	}
	perm := res.Find(contract.TypeLambdaPermission, "alert-webhook-from-topic")
	if perm.Input("principal") != "sns.amazonaws.com" || perm.Input("sourceArn") != testTopic || perm.Input("action") != "lambda:InvokeFunction" {
		t.Errorf("permission %v", perm.Inputs)
	}
	sub := res.Find(contract.TypeSNSTopicSubscription, "alert-webhook-subscription")
	if sub.Input("protocol") != "lambda" || sub.Input("endpoint") != fn.Output("arn") || !dependsOn(sub, perm) {
		t.Errorf("subscription %v, depends on %v", sub.Inputs, sub.Dependencies)
	}
	alarms := res.ByType(contract.TypeCloudWatchMetricAlarm)
	var metrics []string
	for _, a := range alarms {
		metrics = append(metrics, a.Input("metricName").(string))
		if !slices.Equal(toStrings(a.Input("alarmActions")), []string{testTopic}) {
			t.Errorf("alarm %s notifies %v", a.Name, a.Input("alarmActions"))
		}
	}
	slices.Sort(metrics)
	if !slices.Equal(metrics, []string{"ApproximateNumberOfMessagesVisible", "Errors"}) {
		t.Errorf("alarms on %v", metrics)
	}
}

func TestWebhookRejected(t *testing.T) {
	for _, tt := range []struct {
		mutate func(*WebhookArgs)
		want   string
	}{
		{func(a *WebhookArgs) { a.SecretARN = "https://hooks.slack.com/services/x" }, "is not a Secrets Manager secret ARN"},
		{func(a *WebhookArgs) { a.SecretARN = strings.Replace(testSecret, region, "us-east-1", 1) }, "is not in the stack's partition and region"},
		{func(a *WebhookArgs) { a.FunctionName = strings.Repeat("f", 65) }, "must be 1 to 64 letters"},
	} {
		a := webhookArgs()
		tt.mutate(a)
		if _, err := runChat(t, "us-east-2", a); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want %q", err, tt.want)
		}
	}
}

// TestWebhookRuntimeSupported keeps the runtime at least a year from its deprecation, when
// Lambda starts to block creating and then updating functions on it.
func TestWebhookRuntimeSupported(t *testing.T) {
	end, err := time.Parse(time.DateOnly, WebhookRuntimeDeprecation)
	if err != nil {
		t.Fatal(err)
	}
	if time.Until(end) < 365*24*time.Hour {
		t.Errorf("%s is deprecated on %s, less than a year away: move WebhookRuntime to a newer runtime", WebhookRuntime, WebhookRuntimeDeprecation)
	}
}

// TestWebhookFunction runs the function's own tests (monitoring/webhook/test_index.py) under
// python3: formatting, retries on 429 with Retry-After and on 5xx against a stand-in webhook on
// loopback, no URL in any log line, a failure raising so that Lambda retries. CI installs
// python3 (.ci/run); elsewhere the test skips without it, but never in CI.
func TestWebhookFunction(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is required in CI for the webhook function's tests (.ci/run installs it)")
		}
		t.Skip("python3 not found")
	}
	cmd := exec.Command(python, "-m", "unittest", "-v", "test_index")
	cmd.Dir = "webhook"
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 -m unittest test_index: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "OK") {
		t.Fatalf("unexpected unittest output:\n%s", out)
	}
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
