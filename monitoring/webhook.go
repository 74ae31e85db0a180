package monitoring

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"

	"github.com/webstack/webstack/internal/alarm"
)

// webhookCode is the notifier function's whole code: Python's standard library only (boto3
// comes with the runtime), so the archive is this one file and nothing is vendored.
//
//go:embed webhook/index.py
var webhookCode string

// WebhookRuntime is the notifier's Lambda runtime. Lambda blocks creating functions on a
// runtime after its deprecation date, then updating them: python3.13 is supported until
// 2029-06-30 (Lambda Developer Guide, "Lambda runtimes",
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html); WebhookRuntimeDeprecation
// is that date, which a test holds at least a year away.
const (
	WebhookRuntime            = "python3.13"
	WebhookRuntimeDeprecation = "2029-06-30"
)

// Bounds of the notifier's asynchronous invocation: Lambda retries a failed event at most
// twice, and drops an event older than six hours (FunctionEventInvokeConfigArgs doc comments).
const (
	webhookRetries     = 2
	webhookMaxEventAge = 3600
	// webhookTimeout leaves the function time for its own retries (Retry-After up to 20 s).
	webhookTimeout = 60
	// webhookQueueRetention is SQS's longest retention, 14 days.
	webhookQueueRetention = 1209600
)

// SecretARN is the form of a Secrets Manager secret's ARN (its name, then the six random
// characters Secrets Manager appends); SecretARNParts are its partition, region and account.
var secretARN = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$`)

// SecretARNParts returns the partition, region and account of a Secrets Manager secret ARN, or
// an error if arn is not one.
func SecretARNParts(arn string) (partition, region, account string, err error) {
	m := secretARN.FindStringSubmatch(arn)
	if m == nil {
		return "", "", "", fmt.Errorf("%q is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)", arn)
	}
	return m[1], m[2], m[3], nil
}

// WebhookArgs configures Webhook.
type WebhookArgs struct {
	// FunctionName is the notifier function's name, at most 64 characters
	// ("webstack-prod-alert-webhook"); the failure queue and the log group are named after it.
	// Required.
	FunctionName string
	// SecretARN is the Secrets Manager secret whose value is the incoming-webhook URL (the URL
	// as plain text, or JSON {"url": "…"}). It must be in the stack's partition and region, and
	// in its account (which the caller checks). Required.
	SecretARN string
	// TopicARN is the alert topic the function subscribes to. Required.
	TopicARN pulumi.StringInput
	// AlarmNamePrefix starts the names of the function's two alarms ("webstack-prod").
	// Required.
	AlarmNamePrefix string
	// LogRetentionDays is how long the function's log group keeps its lines. Required.
	LogRetentionDays int
	// Region and Partition locate the stack. Required.
	Region, Partition string
}

func (a *WebhookArgs) validate() error {
	var errs []error
	if !lambdaName.MatchString(a.FunctionName) {
		errs = append(errs, fmt.Errorf("function name %q must be 1 to 64 letters, digits, hyphens and underscores", a.FunctionName))
	}
	// The account is the caller's to check (a stack file's placeholder is in no account).
	if p, r, _, err := SecretARNParts(a.SecretARN); err != nil {
		errs = append(errs, err)
	} else if p != a.Partition || r != a.Region {
		errs = append(errs, fmt.Errorf("secret %q is not in the stack's partition and region (%s, %s)", a.SecretARN, a.Partition, a.Region))
	}
	if a.TopicARN == nil || a.AlarmNamePrefix == "" || a.LogRetentionDays < 1 {
		errs = append(errs, errors.New("topic ARN, alarm name prefix and log retention are required"))
	}
	return errors.Join(errs...)
}

var lambdaName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Webhook is the function that posts the alert topic's messages to a chat webhook.
type Webhook struct {
	pulumi.ResourceState

	// FunctionARN is the notifier function's ARN.
	FunctionARN pulumi.StringOutput `pulumi:"functionArn"`
	// FailureQueueURL is the queue that holds the events the function could not deliver.
	FailureQueueURL pulumi.StringOutput `pulumi:"failureQueueUrl"`
	// Alarms are the function's errors and the failure queue's depth, on the alert topic.
	Alarms alarm.Set
}

// NewWebhook registers the notifier: its failure queue (SSE-SQS), its log group, its role
// (logs, the one secret, the one queue), the function (outside the VPC, no reserved
// concurrency), its asynchronous-invocation config, the permission that lets the alert topic
// (and only it) invoke it, the subscription, and two alarms.
//
// Order matters at create time: Lambda checks the execution role when the function and its
// on-failure destination are configured ("The function's execution role does not have
// permissions to call SendMessage on …"), so both depend on the role policy; the log group
// exists before the function's first line; SNS is allowed to invoke the function before it
// subscribes it.
func NewWebhook(ctx *pulumi.Context, name string, args *WebhookArgs, opts ...pulumi.ResourceOption) (*Webhook, error) {
	if args == nil {
		return nil, errors.New("monitoring: webhook: args are required")
	}
	a := *args
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("monitoring: webhook: %w", err)
	}
	w := &Webhook{}
	if err := ctx.RegisterComponentResource(contract.TypeMonitoringWebhook, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)

	queue, err := sqs.NewQueue(ctx, name+"-failures", &sqs.QueueArgs{
		Name:                    pulumi.String(a.FunctionName + "-failures"),
		SqsManagedSseEnabled:    pulumi.Bool(true),
		MessageRetentionSeconds: pulumi.Int(webhookQueueRetention),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: webhook: failure queue: %w", err)
	}
	logGroup, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/aws/lambda/" + a.FunctionName),
		RetentionInDays: pulumi.Int(a.LogRetentionDays),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: webhook: log group: %w", err)
	}
	role, rolePolicy, err := newWebhookRole(ctx, name, &a, logGroup, queue, parent)
	if err != nil {
		return nil, err
	}
	fn, err := lambda.NewFunction(ctx, name, &lambda.FunctionArgs{
		Name:          pulumi.String(a.FunctionName),
		Description:   pulumi.String("Posts the alert topic's alarms and events to the team's chat webhook"),
		Role:          role.Arn,
		Runtime:       pulumi.String(WebhookRuntime),
		Architectures: pulumi.StringArray{pulumi.String("arm64")},
		Handler:       pulumi.String("index.handler"),
		Code:          pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset(webhookCode)}),
		Timeout:       pulumi.Int(webhookTimeout),
		MemorySize:    pulumi.Int(128),
		Environment: &lambda.FunctionEnvironmentArgs{
			Variables: pulumi.StringMap{"WEBHOOK_SECRET_ARN": pulumi.String(a.SecretARN)},
		},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{
			LogFormat: pulumi.String("Text"),
			LogGroup:  logGroup.Name,
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy, logGroup}))
	if err != nil {
		return nil, fmt.Errorf("monitoring: webhook: function: %w", err)
	}
	if err := subscribeWebhook(ctx, name, &a, fn, queue, rolePolicy, parent); err != nil {
		return nil, err
	}
	w.Alarms, err = alarm.NewSet(ctx, name, webhookAlarms(&a, queue.Name), a.TopicARN, parent)
	if err != nil {
		return nil, fmt.Errorf("monitoring: webhook: %w", err)
	}
	w.FunctionARN, w.FailureQueueURL = fn.Arn, queue.Url
	if err := ctx.RegisterResourceOutputs(w, pulumi.Map{"functionArn": w.FunctionARN, "failureQueueUrl": w.FailureQueueURL}); err != nil {
		return nil, err
	}
	return w, nil
}

// newWebhookRole registers the function's role and its policy (its log group, the secret, its
// failure queue); the function and its invoke config wait for the policy (Lambda checks the
// role's permissions on the dead-letter destination when they are created).
func newWebhookRole(ctx *pulumi.Context, name string, a *WebhookArgs, logGroup *cloudwatch.LogGroup, queue *sqs.Queue, parent pulumi.ResourceOption) (*iam.Role, *iam.RolePolicy, error) {
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.Sprintf("%s: posts the alert topic's messages to the chat webhook", a.FunctionName),
		AssumeRolePolicy: pulumi.String(servicePrincipalTrust("lambda.amazonaws.com")),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring: webhook: role: %w", err)
	}
	secretARN := a.SecretARN
	policy := pulumi.All(logGroup.Arn, queue.Arn).ApplyT(func(v []any) (string, error) {
		return webhookRolePolicy(v[0].(string), v[1].(string), secretARN)
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring: webhook: role policy: %w", err)
	}
	return role, rolePolicy, nil
}

// subscribeWebhook registers the function's invoke config (retries, the failure queue), SNS's
// permission to invoke it for the topic only, and then the subscription.
func subscribeWebhook(ctx *pulumi.Context, name string, a *WebhookArgs, fn *lambda.Function, queue *sqs.Queue, rolePolicy *iam.RolePolicy, parent pulumi.ResourceOption) error {
	if _, err := lambda.NewFunctionEventInvokeConfig(ctx, name+"-invoke-config", &lambda.FunctionEventInvokeConfigArgs{
		FunctionName:             fn.Name,
		MaximumRetryAttempts:     pulumi.Int(webhookRetries),
		MaximumEventAgeInSeconds: pulumi.Int(webhookMaxEventAge),
		DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
			OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: queue.Arn},
		},
	}, parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy})); err != nil {
		return fmt.Errorf("monitoring: webhook: invoke config: %w", err)
	}
	permission, err := lambda.NewPermission(ctx, name+"-from-topic", &lambda.PermissionArgs{
		Function:  fn.Name,
		Action:    pulumi.String("lambda:InvokeFunction"),
		Principal: pulumi.String("sns.amazonaws.com"),
		SourceArn: a.TopicARN,
	}, parent)
	if err != nil {
		return fmt.Errorf("monitoring: webhook: permission: %w", err)
	}
	if _, err := sns.NewTopicSubscription(ctx, name+"-subscription", &sns.TopicSubscriptionArgs{
		Topic:    a.TopicARN,
		Protocol: pulumi.String("lambda"),
		Endpoint: fn.Arn,
	}, parent, pulumi.DependsOn([]pulumi.Resource{permission})); err != nil {
		return fmt.Errorf("monitoring: webhook: subscription: %w", err)
	}
	return nil
}

// webhookRolePolicy lets the function write its own log group, read the one secret and record
// a failed event in its queue. A secret encrypted with a customer-managed key also needs
// kms:Decrypt on that key for this role (docs/alerts.md); under the default aws/secretsmanager
// key GetSecretValue is enough.
func webhookRolePolicy(logGroupARN, queueARN, secretARN string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WritesItsLogs", "Effect": "Allow", "Action": []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": logGroupARN + ":*"},
			{"Sid": "ReadsTheWebhookSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
			{"Sid": "RecordsFailedEvents", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queueARN},
		},
	})
	return string(b), err
}

// webhookAlarms are the notifier's own alarms. Both notify the alert topic the notifier serves:
// when the webhook itself is down their notification fails too (and lands in the queue), but
// the topic's email subscribers and the Slack channel still receive it.
func webhookAlarms(a *WebhookArgs, queueName pulumi.StringInput) []alarm.Named {
	return []alarm.Named{
		{Suffix: "errors", Spec: alarm.Spec{
			Name: a.AlarmNamePrefix + "-alert-webhook-errors",
			Description: "The chat webhook function failed in the last 5 minutes (the webhook refused or timed out after retries, or the secret " +
				"could not be read): chat may be missing alerts. Check the function's log group; the events are in its failure queue.",
			Namespace: "AWS/Lambda", Metric: "Errors", Dimensions: pulumi.StringMap{"FunctionName": pulumi.String(a.FunctionName)},
			Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Comparison: alarm.Above, Threshold: 0, TreatMissingData: alarm.NotBreaching,
		}},
		{Suffix: "failures", Spec: alarm.Spec{
			Name: a.AlarmNamePrefix + "-alert-webhook-failures",
			Description: "Alerts the chat webhook function gave up on are waiting in its failure queue: they never reached chat. " +
				"Read them from the queue (docs/alerts.md), fix the webhook or its secret, and purge the queue.",
			Namespace: "AWS/SQS", Metric: "ApproximateNumberOfMessagesVisible", Dimensions: pulumi.StringMap{"QueueName": queueName},
			Statistic: "Maximum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Comparison: alarm.Above, Threshold: 0, TreatMissingData: alarm.NotBreaching,
		}},
	}
}
