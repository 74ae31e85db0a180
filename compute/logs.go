package compute

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AppLogGroupName is the CloudWatch Logs group of the application's output in a project's
// stack: one stream per instance, named "<color>/<instance id>".
func AppLogGroupName(project, stack string) string {
	return fmt.Sprintf("/%s/%s/app", project, stack)
}

// newAppLogGroup creates the application's log group under its exact name, with a retention,
// before any instance writes to it (the awslogs driver is not allowed to create groups).
func newAppLogGroup(ctx *pulumi.Context, name string, retentionDays int, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	lg, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(AppLogGroupName(ctx.Project(), ctx.Stack())),
		RetentionInDays: pulumi.Int(retentionDays),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("compute: application log group: %w", err)
	}
	return lg, nil
}
