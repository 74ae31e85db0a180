package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- VPC endpoints ---------------------------------------------------------------------------

// InterfaceEndpointServices are the AWS services that get a VPC interface endpoint when
// NetworkArgs.InterfaceEndpoints is set: Systems Manager (Session Manager needs ssm,
// ssmmessages and ec2messages), EC2, ECR (API and registry), Secrets Manager, CloudWatch Logs
// and KMS.
var InterfaceEndpointServices = []string{"ssm", "ssmmessages", "ec2messages", "ec2", "ecr.api", "ecr.dkr", "secretsmanager", "logs", "kms"}

// newS3Endpoint registers the S3 gateway endpoint on the private route tables: free, and keeps
// image layers and backups off the NAT.
func (b *builder) newS3Endpoint(routeTableIDs pulumi.StringArray) error {
	if _, err := ec2.NewVpcEndpoint(b.ctx, b.name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           b.vpc.ID(),
		ServiceName:     pulumi.Sprintf("com.amazonaws.%s.s3", b.args.Region),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   routeTableIDs,
		Tags:            b.tags("s3-endpoint"),
	}, b.parent); err != nil {
		return fmt.Errorf("s3 gateway endpoint: %w", err)
	}
	return nil
}

// newInterfaceEndpoints registers an interface endpoint for each of InterfaceEndpointServices
// in the app subnets, behind the endpoints' security group, and returns the Secrets Manager
// endpoint, which the rotation function's traffic needs.
func (b *builder) newInterfaceEndpoints(subnetIDs pulumi.StringArrayInput, securityGroupID pulumi.StringInput) (pulumi.Resource, error) {
	var secretsManager pulumi.Resource
	for _, svc := range InterfaceEndpointServices {
		ep, err := ec2.NewVpcEndpoint(b.ctx, fmt.Sprintf("%s-%s", b.name, svc), &ec2.VpcEndpointArgs{
			VpcId:             b.vpc.ID(),
			ServiceName:       pulumi.Sprintf("com.amazonaws.%s.%s", b.args.Region, svc),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         subnetIDs,
			SecurityGroupIds:  pulumi.StringArray{securityGroupID},
			Tags:              b.tags(svc + "-endpoint"),
		}, b.parent)
		if err != nil {
			return nil, fmt.Errorf("%s interface endpoint: %w", svc, err)
		}
		if svc == "secretsmanager" {
			secretsManager = ep
		}
	}
	return secretsManager, nil
}
