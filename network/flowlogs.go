package network

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// newFlowLogs sends the VPC's flow logs (accepted and rejected traffic, EC2.6) to a CloudWatch
// Logs group with a retention, through a role that the flow logs service of this account can
// assume and that may write only to that group.
func newFlowLogs(ctx *pulumi.Context, name string, v *ec2.Vpc, a *NetworkArgs, opts ...pulumi.ResourceOption) error {
	group, err := cloudwatch.NewLogGroup(ctx, contract.Child(name, contract.RoleFlowLogs), &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.Sprintf("/%s/%s/vpc-flow-logs-", ctx.Project(), ctx.Stack()),
		RetentionInDays: pulumi.Int(a.FlowLogRetentionDays),
	}, opts...)
	if err != nil {
		return fmt.Errorf("log group: %w", err)
	}

	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
			"Action":    "sts:AssumeRole",
			// Only this account's flow logs may assume the role (confused deputy).
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": a.AccountID},
				"ArnLike":      map[string]any{"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", a.Partition, a.Region, a.AccountID)},
			},
		}},
	})
	if err != nil {
		return err
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs-role", &iam.RoleArgs{
		Description:      pulumi.String("VPC flow logs delivery to CloudWatch Logs"),
		AssumeRolePolicy: pulumi.String(string(trust)),
	}, opts...)
	if err != nil {
		return fmt.Errorf("role: %w", err)
	}
	policy := group.Arn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{{
				"Effect":   "Allow",
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				"Resource": []string{arn, arn + ":*"},
			}},
		})
		return string(b), err
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-flow-logs-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: policy,
	}, opts...)
	if err != nil {
		return fmt.Errorf("role policy: %w", err)
	}
	// The flow log names only the role, so nothing else orders it after the role's policy:
	// created first, it would start delivering before it may write to the group and report
	// "Access error" (Amazon VPC User Guide, "Troubleshoot VPC Flow Logs").
	if _, err := ec2.NewFlowLog(ctx, name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:                  v.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{rolePolicy}))...); err != nil {
		return fmt.Errorf("flow log: %w", err)
	}
	return nil
}
