package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// monitoringAssumeRole lets only RDS enhanced monitoring assume the role.
const monitoringAssumeRole = `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"Service": "monitoring.rds.amazonaws.com"},
    "Action": "sts:AssumeRole"
  }]
}`

// newMonitoringRole creates the role RDS enhanced monitoring publishes OS metrics with.
func newMonitoringRole(ctx *pulumi.Context, name, partition string, opts ...pulumi.ResourceOption) (*iam.Role, *iam.RolePolicyAttachment, error) {
	role, err := iam.NewRole(ctx, name+"-monitoring-role", &iam.RoleArgs{
		Description:      pulumi.String("RDS enhanced monitoring"),
		AssumeRolePolicy: pulumi.String(monitoringAssumeRole),
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring role: %w", err)
	}
	att, err := iam.NewRolePolicyAttachment(ctx, name+"-monitoring-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", partition),
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("monitoring role policy: %w", err)
	}
	return role, att, nil
}
