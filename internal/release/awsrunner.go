package release

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwltypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// SecretReader reads a Secrets Manager secret: the release webhook's URL. AWSCloud implements
// it.
type SecretReader interface {
	SecretValue(ctx context.Context, arn string) (string, error)
}

// SecretValue returns a secret's string value. The error names the secret, never its value.
func (c *AWSCloud) SecretValue(ctx context.Context, arn string) (string, error) {
	v, err := c.secrets.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return "", fmt.Errorf("secretsmanager GetSecretValue %s: %w", arn, err)
	}
	if v.SecretString == nil {
		return "", fmt.Errorf("secret %s has no string value", arn)
	}
	return *v.SecretString, nil
}

// LaunchRunner runs one instance from the launch template's default version, trying the
// subnets in turn (an AZ may lack capacity for the type).
func (c *AWSCloud) LaunchRunner(ctx context.Context, lt string, subnets []string, tags map[string]string) (string, error) {
	var ts []ec2types.Tag
	for k, v := range tags {
		ts = append(ts, ec2types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	var errs []error
	for _, subnet := range subnets {
		out, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{
			LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: aws.String(lt), Version: aws.String("$Default")},
			MinCount:       aws.Int32(1),
			MaxCount:       aws.Int32(1),
			SubnetId:       aws.String(subnet),
			TagSpecifications: []ec2types.TagSpecification{
				{ResourceType: ec2types.ResourceTypeInstance, Tags: ts},
			},
		})
		if err == nil && len(out.Instances) == 1 {
			return aws.ToString(out.Instances[0].InstanceId), nil
		}
		if err == nil {
			err = fmt.Errorf("RunInstances returned %d instances", len(out.Instances))
		}
		errs = append(errs, fmt.Errorf("ec2 RunInstances in %s: %w", subnet, err))
		if !strings.Contains(err.Error(), "InsufficientInstanceCapacity") && !strings.Contains(err.Error(), "Unsupported") {
			break
		}
	}
	return "", errors.Join(errs...)
}

// RunnerOnline reports whether SSM lists the instance as an online managed node.
func (c *AWSCloud) RunnerOnline(ctx context.Context, id string) (bool, error) {
	out, err := c.ssm.DescribeInstanceInformation(ctx, &ssm.DescribeInstanceInformationInput{
		Filters: []ssmtypes.InstanceInformationStringFilter{{Key: aws.String("InstanceIds"), Values: []string{id}}},
	})
	if err != nil {
		return false, fmt.Errorf("ssm DescribeInstanceInformation: %w", err)
	}
	for _, i := range out.InstanceInformationList {
		if aws.ToString(i.InstanceId) == id && i.PingStatus == ssmtypes.PingStatusOnline {
			return true, nil
		}
	}
	return false, nil
}

// SendRunnerCommand runs the command with AWS-RunShellScript, its output also in the log group:
// GetCommandInvocation returns only the first 24,000 characters of stdout.
func (c *AWSCloud) SendRunnerCommand(ctx context.Context, id, command, group string, timeout time.Duration) (string, error) {
	out, err := c.ssm.SendCommand(ctx, &ssm.SendCommandInput{
		DocumentName: aws.String("AWS-RunShellScript"),
		InstanceIds:  []string{id},
		Comment:      aws.String("webstack migration step"),
		Parameters: map[string][]string{
			"commands":         {command},
			"executionTimeout": {strconv.Itoa(int(timeout.Seconds()))},
		},
		// The delivery timeout: a command not started by then never runs.
		TimeoutSeconds: aws.Int32(600),
		CloudWatchOutputConfig: &ssmtypes.CloudWatchOutputConfig{
			CloudWatchOutputEnabled: true,
			CloudWatchLogGroupName:  aws.String(group),
		},
	})
	if err != nil {
		return "", fmt.Errorf("ssm SendCommand: %w", err)
	}
	return aws.ToString(out.Command.CommandId), nil
}

// RunnerCommand reads the invocation. One SSM does not know yet is still pending.
func (c *AWSCloud) RunnerCommand(ctx context.Context, cmd, id string) (CommandState, error) {
	out, err := c.ssm.GetCommandInvocation(ctx, &ssm.GetCommandInvocationInput{CommandId: aws.String(cmd), InstanceId: aws.String(id)})
	if err != nil {
		var missing *ssmtypes.InvocationDoesNotExist
		if errors.As(err, &missing) {
			return CommandState{Status: "Pending", ExitCode: -1}, nil
		}
		return CommandState{ExitCode: -1}, fmt.Errorf("ssm GetCommandInvocation: %w", err)
	}
	st := CommandState{Status: string(out.Status), ExitCode: int(out.ResponseCode),
		Output: aws.ToString(out.StandardOutputContent) + aws.ToString(out.StandardErrorContent)}
	if d := aws.ToString(out.StatusDetails); d != "" && d != st.Status {
		st.Status += " (" + d + ")"
	}
	switch out.Status {
	case ssmtypes.CommandInvocationStatusSuccess, ssmtypes.CommandInvocationStatusFailed,
		ssmtypes.CommandInvocationStatusTimedOut, ssmtypes.CommandInvocationStatusCancelled:
		st.Done = true
		if out.Status == ssmtypes.CommandInvocationStatusSuccess {
			st.Status = "Success"
		}
	}
	return st, nil
}

// RunnerOutput reads the command's stdout and stderr streams from the log group, whole.
func (c *AWSCloud) RunnerOutput(ctx context.Context, group, cmd, id string) (string, error) {
	var b strings.Builder
	for _, s := range []string{"stdout", "stderr"} {
		stream := fmt.Sprintf("%s/%s/aws-runShellScript/%s", cmd, id, s)
		var token *string
		for {
			out, err := c.logs.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
				LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true), NextToken: token,
			})
			if err != nil {
				var missing *cwltypes.ResourceNotFoundException
				if errors.As(err, &missing) {
					break // no output on that stream
				}
				return b.String(), fmt.Errorf("logs GetLogEvents %s: %w", stream, err)
			}
			for _, e := range out.Events {
				b.WriteString(strings.TrimRight(aws.ToString(e.Message), "\n"))
				b.WriteByte('\n')
			}
			if out.NextForwardToken == nil || (token != nil && *out.NextForwardToken == *token) {
				break
			}
			token = out.NextForwardToken
		}
	}
	return b.String(), nil
}

// TerminateRunners terminates the instance id, or every live instance tagged as a runner of the
// launch template.
func (c *AWSCloud) TerminateRunners(ctx context.Context, lt, id string) ([]string, error) {
	ids := []string{id}
	if id == "" {
		ids = nil
		p := ec2.NewDescribeInstancesPaginator(c.ec2, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
			{Name: aws.String("tag:" + RunnerTag), Values: []string{lt}},
			{Name: aws.String("instance-state-name"), Values: []string{"pending", "running", "stopping", "stopped"}},
		}})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("ec2 DescribeInstances: %w", err)
			}
			for _, r := range page.Reservations {
				for _, i := range r.Instances {
					ids = append(ids, aws.ToString(i.InstanceId))
				}
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
	}
	if _, err := c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids}); err != nil {
		return nil, fmt.Errorf("ec2 TerminateInstances %s: %w", strings.Join(ids, ", "), err)
	}
	return ids, nil
}

var (
	_ Runner       = (*AWSCloud)(nil)
	_ SecretReader = (*AWSCloud)(nil)
)
