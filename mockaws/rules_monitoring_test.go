package mockaws

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const testTopicARN = "arn:aws:sns:ap-northeast-2:123456789012:alerts"

// alarm registers a metric alarm on a NAT gateway metric, as internal/alarm does, after
// mutate changes its arguments.
func alarm(mutate func(a *cloudwatch.MetricAlarmArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		a := &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String("webstack-rules-nat-port-allocation"),
			Namespace:          pulumi.String("AWS/NATGateway"),
			MetricName:         pulumi.String("ErrorPortAllocation"),
			Dimensions:         pulumi.StringMap{"NatGatewayId": pulumi.String("nat-1")},
			Statistic:          pulumi.String("Sum"),
			Period:             pulumi.Int(300),
			EvaluationPeriods:  pulumi.Int(1),
			DatapointsToAlarm:  pulumi.Int(1),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			Threshold:          pulumi.Float64(0),
			AlarmActions:       pulumi.Array{pulumi.String(testTopicARN)},
			OkActions:          pulumi.Array{pulumi.String(testTopicARN)},
		}
		mutate(a)
		_, err := cloudwatch.NewMetricAlarm(ctx, "alarm", a)
		return err
	}
}

// topics returns n topic ARNs.
func topics(n int) pulumi.Array {
	out := pulumi.Array{}
	for i := 0; i < n; i++ {
		out = append(out, pulumi.String(fmt.Sprintf("%s-%d", testTopicARN, i)))
	}
	return out
}

// dashboard registers a dashboard with the given body.
func dashboard(name string, body any) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		s, ok := body.(string)
		if !ok {
			b, err := json.Marshal(body)
			if err != nil {
				return err
			}
			s = string(b)
		}
		_, err := cloudwatch.NewDashboard(ctx, "dash", &cloudwatch.DashboardArgs{DashboardName: pulumi.String(name), DashboardBody: pulumi.String(s)})
		return err
	}
}

// metricWidget is a one-line metric widget, as monitoring.NewDashboard draws them.
func metricWidget(region any, line ...any) map[string]any {
	props := map[string]any{"title": "NAT", "view": "timeSeries", "stat": "Sum", "period": 300, "metrics": []any{line}}
	if region != nil {
		props["region"] = region
	}
	return map[string]any{"type": "metric", "x": 0, "y": 0, "width": 12, "height": 6, "properties": props}
}

// policyJSON marshals a policy document.
func policyJSON(statements ...map[string]any) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	return string(b)
}

// keyWithPolicy registers a KMS key with the given policy.
func keyWithPolicy(policy string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := kms.NewKey(ctx, "key", &kms.KeyArgs{Policy: pulumi.String(policy), DeletionWindowInDays: pulumi.Int(30)})
		return err
	}
}

// topicPolicy registers a topic and a policy allowing action on it.
func topicPolicy(action string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		t, err := sns.NewTopic(ctx, "topic", &sns.TopicArgs{Name: pulumi.String("alerts")})
		if err != nil {
			return err
		}
		policy := t.Arn.ApplyT(func(arn string) string {
			return policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": action, "Resource": arn})
		}).(pulumi.StringOutput)
		_, err = sns.NewTopicPolicy(ctx, "policy", &sns.TopicPolicyArgs{Arn: t.Arn, Policy: policy})
		return err
	}
}

// trust is a trust policy for EC2.
var trust = policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})

// roleWith registers a role with the given name and trust policy.
func roleWith(name, trustPolicy string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		args := &iam.RoleArgs{AssumeRolePolicy: pulumi.String(trustPolicy)}
		if name != "" {
			args.Name = pulumi.String(name)
		}
		_, err := iam.NewRole(ctx, "role", args)
		return err
	}
}

// inlinePolicies registers a role and one inline policy per size (characters of its Resource
// list, roughly), the way network.newFlowLogs attaches one to role.ID().
func inlinePolicies(sizes ...int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(trust)})
		if err != nil {
			return err
		}
		for i, size := range sizes {
			var arns []string
			for n := 0; n < size; n += 70 {
				arns = append(arns, fmt.Sprintf("arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:app-%04d", n))
			}
			doc := policyJSON(map[string]any{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arns})
			if _, err := iam.NewRolePolicy(ctx, fmt.Sprintf("policy-%d", i), &iam.RolePolicyArgs{Role: role.ID(), Policy: pulumi.String(doc)}); err != nil {
				return err
			}
		}
		return nil
	}
}

// attachment registers a role and attaches an AWS managed policy to it.
func attachment(policy string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(trust)})
		if err != nil {
			return err
		}
		_, err = iam.NewRolePolicyAttachment(ctx, "attach", &iam.RolePolicyAttachmentArgs{Role: role.Name, PolicyArn: pulumi.String("arn:aws:iam::aws:policy/" + policy)})
		return err
	}
}

// slackChannel registers a Chatbot Slack channel configuration through a provider in region,
// after mutate changes its arguments; with twice, a second one like it.
func slackChannel(region string, twice bool, mutate func(a *chatbot.SlackChannelConfigurationArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "chatbot", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		for i := 0; i < 1 || (twice && i < 2); i++ {
			a := &chatbot.SlackChannelConfigurationArgs{
				ConfigurationName:   pulumi.Sprintf("webstack-rules-alerts-%d", i),
				IamRoleArn:          pulumi.String("arn:aws:iam::123456789012:role/chatbot"),
				SlackTeamId:         pulumi.String("T07EA123LEP"),
				SlackChannelId:      pulumi.Sprintf("C07EZ1ABC2%d", i),
				SnsTopicArns:        pulumi.StringArray{pulumi.String(testTopicARN)},
				GuardrailPolicyArns: pulumi.StringArray{pulumi.String("arn:aws:iam::aws:policy/ReadOnlyAccess")},
				LoggingLevel:        pulumi.String("ERROR"),
			}
			mutate(a)
			if _, err := chatbot.NewSlackChannelConfiguration(ctx, fmt.Sprintf("slack-%d", i), a, pulumi.Provider(p)); err != nil {
				return err
			}
		}
		return nil
	}
}

// lambdaTrust lets Lambda assume a role.
var lambdaTrust = policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})

// notifier registers a failure queue, a role (trust policy trustPolicy), a role policy granting
// sqs:SendMessage on the queue when grant is set, a function and its invoke config, the
// function and the config depending on the role policy when ordered is set; mutate changes
// the function's arguments, config the invoke config's.
func notifier(trustPolicy string, grant, ordered bool, mutate func(*lambda.FunctionArgs), config func(*lambda.FunctionEventInvokeConfigArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		q, err := sqs.NewQueue(ctx, "failures", &sqs.QueueArgs{Name: pulumi.String("webhook-failures"), SqsManagedSseEnabled: pulumi.Bool(true)})
		if err != nil {
			return err
		}
		role, err := iam.NewRole(ctx, "role", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(trustPolicy)})
		if err != nil {
			return err
		}
		action := "logs:PutLogEvents"
		if grant {
			action = "sqs:SendMessage"
		}
		doc := q.Arn.ApplyT(func(arn string) string {
			return policyJSON(map[string]any{"Effect": "Allow", "Action": action, "Resource": arn})
		}).(pulumi.StringOutput)
		rp, err := iam.NewRolePolicy(ctx, "role-policy", &iam.RolePolicyArgs{Role: role.ID(), Policy: doc})
		if err != nil {
			return err
		}
		var opts []pulumi.ResourceOption
		if ordered {
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{rp}))
		}
		fa := &lambda.FunctionArgs{
			Name:    pulumi.String("webhook"),
			Role:    role.Arn,
			Runtime: pulumi.String("python3.13"),
			Handler: pulumi.String("index.handler"),
			Code:    pulumi.NewAssetArchive(map[string]any{"index.py": pulumi.NewStringAsset("def handler(e, c): pass")}),
		}
		if mutate != nil {
			mutate(fa)
		}
		fn, err := lambda.NewFunction(ctx, "fn", fa, opts...)
		if err != nil {
			return err
		}
		ca := &lambda.FunctionEventInvokeConfigArgs{
			FunctionName:             fn.Name,
			MaximumRetryAttempts:     pulumi.Int(2),
			MaximumEventAgeInSeconds: pulumi.Int(3600),
			DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
				OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: q.Arn},
			},
		}
		if config != nil {
			config(ca)
		}
		_, err = lambda.NewFunctionEventInvokeConfig(ctx, "invoke-config", ca, opts...)
		return err
	}
}

// withDLQ sets the function's dead-letter queue to the test queue.
func withDLQ(a *lambda.FunctionArgs) {
	a.DeadLetterConfig = &lambda.FunctionDeadLetterConfigArgs{TargetArn: pulumi.String("arn:aws:sqs:ap-northeast-2:123456789012:webhook-failures")}
}

var monitoringRuleTests = []ruleTest{
	{
		rule: "chatbot/api-region", want: "dial tcp: lookup chatbot.ap-northeast-2.amazonaws.com: no such host",
		refused: slackChannel("ap-northeast-2", false, func(*chatbot.SlackChannelConfigurationArgs) {}),
		allowed: slackChannel("us-east-2", false, func(*chatbot.SlackChannelConfigurationArgs) {}),
	},
	{
		rule:    "chatbot/channel-once-per-account",
		want:    "InvalidRequestException: Invalid request provided: Slack channel with ID C07EZ1ABC23 in Slack team T07EA123LEP has already been configured for AWS account 123456789012.",
		refused: slackChannel("us-east-2", true, func(a *chatbot.SlackChannelConfigurationArgs) { a.SlackChannelId = pulumi.String("C07EZ1ABC23") }),
		allowed: slackChannel("us-east-2", true, func(*chatbot.SlackChannelConfigurationArgs) {}),
	},
	{
		rule: "chatbot/logging-level", want: `expected logging_level to be one of ["ERROR" "INFO" "NONE"], got WARN`,
		refused: slackChannel("us-west-2", false, func(a *chatbot.SlackChannelConfigurationArgs) { a.LoggingLevel = pulumi.String("WARN") }),
		allowed: slackChannel("us-west-2", false, func(a *chatbot.SlackChannelConfigurationArgs) { a.LoggingLevel = pulumi.String("NONE") }),
	},
	{
		rule:    "lambda/runtime-deprecated",
		want:    "InvalidParameterValueException: The runtime parameter of python3.9 is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (python3.13)",
		refused: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.Runtime = pulumi.String("python3.9") }, nil),
		allowed: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.Runtime = pulumi.String("python3.12") }, nil),
	},
	{
		rule: "lambda/runtime-deprecated", name: "nodejs20.x", want: "The runtime parameter of nodejs20.x is no longer supported",
		refused: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.Runtime = pulumi.String("nodejs20.x") }, nil),
		allowed: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.Runtime = pulumi.String("nodejs22.x") }, nil),
	},
	{
		rule:    "lambda/reserved-concurrency",
		want:    "InvalidParameterValueException: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [10].",
		refused: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.ReservedConcurrentExecutions = pulumi.Int(1) }, nil),
		allowed: notifier(lambdaTrust, true, true, func(a *lambda.FunctionArgs) { a.ReservedConcurrentExecutions = pulumi.Int(-1) }, nil),
	},
	{
		rule: "lambda/role-assumable", want: "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.",
		refused: notifier(trust, true, true, nil, nil),
		allowed: notifier(lambdaTrust, true, true, nil, nil),
	},
	{
		rule: "lambda/dead-letter-permission", want: "InvalidParameterValueException: The provided execution role does not have permissions to call SendMessage on SQS",
		refused: notifier(lambdaTrust, true, false, withDLQ, nil),
		allowed: notifier(lambdaTrust, true, true, withDLQ, nil),
	},
	{
		rule: "lambda/dead-letter-permission", name: "not granted", want: "does not have permissions to call SendMessage on SQS",
		refused: notifier(lambdaTrust, false, true, withDLQ, nil),
	},
	{
		rule: "lambda/invoke-config-bounds", want: "expected maximum_retry_attempts to be in the range (0 - 2), got 3",
		refused: notifier(lambdaTrust, true, true, nil, func(a *lambda.FunctionEventInvokeConfigArgs) { a.MaximumRetryAttempts = pulumi.Int(3) }),
		allowed: notifier(lambdaTrust, true, true, nil, func(a *lambda.FunctionEventInvokeConfigArgs) { a.MaximumRetryAttempts = pulumi.Int(0) }),
	},
	{
		rule: "lambda/invoke-config-bounds", name: "event age", want: "expected maximum_event_age_in_seconds to be in the range (60 - 21600), got 30",
		refused: notifier(lambdaTrust, true, true, nil, func(a *lambda.FunctionEventInvokeConfigArgs) { a.MaximumEventAgeInSeconds = pulumi.Int(30) }),
		allowed: notifier(lambdaTrust, true, true, nil, func(a *lambda.FunctionEventInvokeConfigArgs) { a.MaximumEventAgeInSeconds = pulumi.Int(21600) }),
	},
	{
		rule: "lambda/destination-permission", want: "InvalidParameterValueException: The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:ap-northeast-2:123456789012:webhook-failures",
		refused: notifier(lambdaTrust, false, true, nil, nil),
		allowed: notifier(lambdaTrust, true, true, nil, nil),
	},
	{
		rule: "lambda/destination-permission", name: "not ordered", want: "does not have permissions to call SendMessage on",
		refused: notifier(lambdaTrust, true, false, nil, nil),
	},
	{
		rule: "sqs/sse-conflict", want: `"kms_master_key_id": conflicts with sqs_managed_sse_enabled`,
		refused: func(ctx *pulumi.Context) error {
			_, err := sqs.NewQueue(ctx, "q", &sqs.QueueArgs{KmsMasterKeyId: pulumi.String("alias/aws/sqs"), SqsManagedSseEnabled: pulumi.Bool(true)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := sqs.NewQueue(ctx, "q", &sqs.QueueArgs{SqsManagedSseEnabled: pulumi.Bool(true)})
			return err
		},
	},
	{
		rule: "logs/retention-values", want: "expected retention_in_days to be one of",
		refused: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(2)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(3)})
			return err
		},
	},
	{
		rule: "logs/group-name", want: `"name_prefix" isn't a valid log group name (alphanumeric characters, underscores, hyphens, slashes, hash signs and dots are allowed): "/webstack/prod/vpc flow logs-"`,
		refused: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{NamePrefix: pulumi.String("/webstack/prod/vpc flow logs-")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{NamePrefix: pulumi.String("/webstack/prod/vpc-flow-logs-")})
			return err
		},
	},
	{
		rule: "logs/group-name", name: "too long", want: `"name" cannot be longer than 512 characters`,
		refused: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{Name: pulumi.String("/" + strings.Repeat("a", 512))})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{Name: pulumi.String("/" + strings.Repeat("a", 511))})
			return err
		},
	},
	{
		rule: "cloudwatch/alarm-period", want: "expected period to be one of [10 20 30], got 90",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period = pulumi.Int(90) }),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period = pulumi.Int(30) }),
	},
	{
		rule: "cloudwatch/alarm-evaluation-window", want: "ValidationError: Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400) for alarms using period < 3600",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period, a.EvaluationPeriods = pulumi.Int(300), pulumi.Int(289) }),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period, a.EvaluationPeriods = pulumi.Int(300), pulumi.Int(288) }),
	},
	{
		rule: "cloudwatch/alarm-evaluation-window", name: "hourly",
		want:    "ValidationError: Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800) for alarms using period >= 3600",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period, a.EvaluationPeriods = pulumi.Int(3600), pulumi.Int(169) }),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Period, a.EvaluationPeriods = pulumi.Int(3600), pulumi.Int(168) }),
	},
	{
		rule: "cloudwatch/alarm-datapoints", want: "ValidationError: DatapointsToAlarm must be less than or equal to EvaluationPeriods",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.EvaluationPeriods, a.DatapointsToAlarm = pulumi.Int(3), pulumi.Int(4)
		}),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) {
			a.EvaluationPeriods, a.DatapointsToAlarm = pulumi.Int(3), pulumi.Int(3)
		}),
	},
	{
		rule: "cloudwatch/alarm-statistic", name: "both", want: `"extended_statistic": conflicts with statistic`,
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.ExtendedStatistic = pulumi.String("p99") }),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Statistic, a.ExtendedStatistic = nil, pulumi.String("p99") }),
	},
	{
		rule: "cloudwatch/alarm-statistic", name: "neither", want: "One of `statistic` or `extended_statistic` must be set for a cloudwatch metric alarm",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.Statistic = nil }),
	},
	{
		rule: "cloudwatch/alarm-actions", want: "Member must have length less than or equal to 5",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.AlarmActions = topics(6) }),
		allowed: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.AlarmActions = topics(5) }),
	},
	{
		rule: "cloudwatch/alarm-actions", name: "ok actions", want: "ok_actions: attribute supports 5 item maximum, config has 6 declared",
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.OkActions = topics(6) }),
	},
	{
		rule: "cloudwatch/alarm-threshold", want: `"threshold": conflicts with threshold_metric_id`,
		refused: alarm(func(a *cloudwatch.MetricAlarmArgs) { a.ThresholdMetricId = pulumi.String("ad1") }),
	},
	{
		rule: "cloudwatch/dashboard-name", want: `"dashboard_name" doesn't comply with restrictions ("^[0-9A-Za-z_-]+$"): "webstack-prod.eu"`,
		refused: dashboard("webstack-prod.eu", map[string]any{"widgets": []any{}}),
		allowed: dashboard("webstack-prod-eu", map[string]any{"widgets": []any{}}),
	},
	{
		rule: "cloudwatch/dashboard-body", name: "not JSON", want: `"dashboard_body" contains an invalid JSON`,
		refused: dashboard("webstack", `{"widgets": [}`),
	},
	{
		rule: "cloudwatch/dashboard-body", name: "no metrics", want: `InvalidParameterInput: The dashboard body is invalid, there are 2 validation errors:`,
		refused: dashboard("webstack", map[string]any{"widgets": []any{map[string]any{"type": "metric", "properties": map[string]any{"title": "empty"}}}}),
		allowed: dashboard("webstack", map[string]any{"widgets": []any{metricWidget("ap-northeast-2", "AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", "nat-1", map[string]any{"label": "nat-1"})}}),
	},
	{
		rule: "cloudwatch/dashboard-body", name: "metric line", want: `"message": "Field \"metrics\" has to be an array of array of strings, with an optional metricRenderer object as last element"`,
		refused: dashboard("webstack", map[string]any{"widgets": []any{metricWidget("ap-northeast-2", "AWS/NATGateway", map[string]any{"label": "x"}, "ErrorPortAllocation")}}),
	},
	{
		rule: "cloudwatch/dashboard-body", name: "region", want: `"message": "The metric widget should have specified a region and a data source or an alarm annotation"`,
		refused: dashboard("webstack", map[string]any{"widgets": []any{metricWidget(nil, "AWS/NATGateway", "ErrorPortAllocation", "NatGatewayId", "nat-1")}}),
	},
	{
		rule: "sns/topic-name", want: "invalid topic name: webstack-prod.eu-alerts",
		refused: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("webstack-prod.eu-alerts")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("webstack-prod-eu-alerts")})
			return err
		},
	},
	{
		rule: "sns/topic-display-name", want: "InvalidParameter: Invalid parameter: Attributes Reason: DisplayName",
		refused: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("alerts"), DisplayName: pulumi.String(strings.Repeat("x", 101))})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopic(ctx, "t", &sns.TopicArgs{Name: pulumi.String("alerts"), DisplayName: pulumi.String(strings.Repeat("x", 100))})
			return err
		},
	},
	{
		rule: "sns/email-endpoint", want: "InvalidParameter: Invalid parameter: Email address",
		refused: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{Topic: pulumi.String(testTopicARN), Protocol: pulumi.String("email"),
				Endpoint: pulumi.String("oncall@example.com;ops@example.com")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{Topic: pulumi.String(testTopicARN), Protocol: pulumi.String("email"),
				Endpoint: pulumi.String("oncall@example.com")})
			return err
		},
	},
	{
		rule: "sns/topic-policy", want: "InvalidParameter: Invalid parameter: Policy statement action out of service scope!",
		refused: topicPolicy("kms:Decrypt"),
		allowed: topicPolicy("sns:Publish"),
	},
	{
		rule: "kms/deletion-window", want: "expected deletion_window_in_days to be in the range (7 - 30), got 31",
		refused: func(ctx *pulumi.Context) error {
			_, err := kms.NewKey(ctx, "k", &kms.KeyArgs{DeletionWindowInDays: pulumi.Int(31)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := kms.NewKey(ctx, "k", &kms.KeyArgs{DeletionWindowInDays: pulumi.Int(30)})
			return err
		},
	},
	{
		rule: "kms/key-policy-lockout", want: "MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.",
		// Only the publishing service may use the key: nobody could change the policy again.
		refused: keyWithPolicy(policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
			"Action": []string{"kms:Decrypt", "kms:GenerateDataKey*"}, "Resource": "*"})),
		allowed: keyWithPolicy(policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"},
			"Action": "kms:*", "Resource": "*"})),
	},
	{
		rule: "kms/alias-name", want: `"name" cannot begin with reserved AWS CMK prefix 'alias/aws'`,
		refused: func(ctx *pulumi.Context) error {
			_, err := kms.NewAlias(ctx, "a", &kms.AliasArgs{Name: pulumi.String("alias/aws/sns"), TargetKeyId: pulumi.String("key-1")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := kms.NewAlias(ctx, "a", &kms.AliasArgs{Name: pulumi.String("alias/webstack-prod-alerts"), TargetKeyId: pulumi.String("key-1")})
			return err
		},
	},
	{
		rule: "kms/alias-name", name: "form", want: `"name" must begin with 'alias/' and be comprised of only [a-zA-Z0-9:/_-]`,
		refused: func(ctx *pulumi.Context) error {
			_, err := kms.NewAlias(ctx, "a", &kms.AliasArgs{Name: pulumi.String("webstack-prod-alerts"), TargetKeyId: pulumi.String("key-1")})
			return err
		},
	},
	{
		rule: "iam/role-name-length", want: "expected length of name to be in the range (1 - 64), got " + strings.Repeat("r", 65),
		refused: roleWith(strings.Repeat("r", 65), trust),
		allowed: roleWith(strings.Repeat("r", 64), trust),
	},
	{
		rule: "iam/trust-policy", want: `"assume_role_policy" contains an invalid JSON policy: not a JSON object`,
		refused: roleWith("", `"ec2.amazonaws.com"`),
		allowed: roleWith("", trust),
	},
	{
		rule: "iam/trust-policy", name: "leading space", want: `"assume_role_policy" contains an invalid JSON policy: leading space characters are not allowed`,
		refused: roleWith("", "\n"+trust),
	},
	{
		rule: "iam/trust-policy", name: "size", want: "LimitExceeded: Cannot exceed quota for ACLSizePerRole: 2048",
		refused: roleWith("", policyJSON(map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": strings.Repeat("1", 2000)}}})),
	},
	{
		rule: "iam/inline-policy-size", want: "LimitExceeded: Maximum policy size of 10240 bytes exceeded for role role-",
		// Two policies of about 6,000 characters each fit one by one, not together.
		refused: inlinePolicies(6000, 6000),
		allowed: inlinePolicies(6000, 3000),
	},
	{
		rule: "iam/managed-policy-exists", want: "NoSuchEntity: Policy arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole does not exist or is not attachable.",
		// The policy exists, but under service-role/ (aws/aws-cdk#19830).
		refused: attachment("AWSLambdaBasicExecutionRole"),
		allowed: attachment("service-role/AWSLambdaBasicExecutionRole"),
	},
}
