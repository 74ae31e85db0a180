package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newLogGroup creates a log group under the exact name a service writes to, before the service
// does: AWS would otherwise create it on first delivery with no retention ("never expire"), and
// a later create of the same name would fail.
func newLogGroup(ctx *pulumi.Context, name, groupName string, retentionDays int, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	lg, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(groupName),
		RetentionInDays: pulumi.Int(retentionDays),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log group %s: %w", groupName, err)
	}
	return lg, nil
}
