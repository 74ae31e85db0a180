package mockaws

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
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

var monitoringRuleTests = []ruleTest{
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
