package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/ec2host"
)

// BastionArgs configures a Bastion.
type BastionArgs struct {
	// InstanceType is an arm64 instance type. Optional. Defaults to "t4g.nano".
	InstanceType string
	// SubnetID is where the bastion runs: a private app subnet, or a public subnet when Public
	// is set. Required.
	SubnetID pulumi.StringInput
	// SecurityGroupID is the bastion security group from the network's firewall. Required.
	SecurityGroupID pulumi.StringInput
	// Public gives the bastion a public IPv4 address, for SSH from admin networks. Optional.
	// Defaults to false: the bastion is reached through SSM Session Manager only.
	Public bool
	// Partition is the AWS partition ("aws") for managed policy ARNs. Required.
	Partition string
	// AMI is the image to launch, as the caller looked it up (LookupBastionAMI), so that a
	// failed lookup stops the caller before anything is registered. Optional. Defaults to
	// looking up ec2host.AL2023ARM64Parameter before the bastion registers any resource of its own.
	AMI string
	// DependsOn are resources the instance must be created after: with Public, the network's
	// PublicPath (an instance with a public address depends on the VPC's internet gateway,
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html#gatewayattachment).
	// Optional.
	DependsOn []pulumi.Resource
}

// LookupBastionAMI returns the AMI that ec2host.AL2023ARM64Parameter names in the region of the
// invoke's provider.
func LookupBastionAMI(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (string, error) {
	p, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: ec2host.AL2023ARM64Parameter}, opts...)
	if err != nil {
		return "", fmt.Errorf("looking up the bastion's AMI (SSM parameter %s): %w", ec2host.AL2023ARM64Parameter, err)
	}
	return p.Value, nil
}

// Bastion is the administrators' way into the VPC: an SSM-managed Amazon Linux 2023 instance.
type Bastion struct {
	pulumi.ResourceState

	InstanceID pulumi.StringOutput `pulumi:"instanceId"`
	// PublicIP is the bastion's public address, or "" for a private bastion.
	PublicIP  pulumi.StringOutput `pulumi:"publicIp"`
	PrivateIP pulumi.StringOutput `pulumi:"privateIp"`
}

// NewBastion registers the bastion, its instance role and instance profile.
func NewBastion(ctx *pulumi.Context, name string, args *BastionArgs, opts ...pulumi.ResourceOption) (*Bastion, error) {
	if args == nil || args.SubnetID == nil || args.SecurityGroupID == nil || args.Partition == "" {
		return nil, errors.New("bastion: subnet, security group and partition are required")
	}
	instanceType := args.InstanceType
	if instanceType == "" {
		instanceType = "t4g.nano"
	}
	b := &Bastion{}
	if err := ctx.RegisterComponentResource(contract.TypeNetworkBastion, name, b, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(b)

	ami := args.AMI
	if ami == "" {
		var err error
		if ami, err = LookupBastionAMI(ctx, pulumi.Parent(b)); err != nil {
			return nil, fmt.Errorf("bastion: %w", err)
		}
	}

	profile, err := newBastionProfile(ctx, name, args.Partition, parent)
	if err != nil {
		return nil, err
	}

	instance, err := ec2.NewInstance(ctx, name, &ec2.InstanceArgs{
		Ami:                      pulumi.String(ami),
		InstanceType:             pulumi.String(instanceType),
		SubnetId:                 args.SubnetID,
		VpcSecurityGroupIds:      pulumi.StringArray{args.SecurityGroupID},
		IamInstanceProfile:       profile.Name,
		AssociatePublicIpAddress: pulumi.Bool(args.Public),
		// IMDSv2 only (EC2.8); one hop, as nothing containerised runs here.
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		// The root volume takes the size of the AMI's snapshot: a fixed size smaller than a
		// later AMI's snapshot fails RunInstances with `InvalidBlockDeviceMapping: Volume of size
		// 8GB is smaller than snapshot 'snap-…', expect size >= …GB`
		// (AviatrixSystems/terraform-modules#105).
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{
			Encrypted:           pulumi.Bool(true),
			VolumeType:          pulumi.String("gp3"),
			DeleteOnTermination: pulumi.Bool(true),
		},
		Tags: pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-bastion", ctx.Project(), ctx.Stack())},
	}, parent, pulumi.DependsOn(args.DependsOn),
		// A newer AMI in the SSM parameter must not replace the bastion on an unrelated `up`;
		// replace it deliberately with `pulumi up --replace <urn>`.
		pulumi.IgnoreChanges([]string{"ami"}))
	if err != nil {
		return nil, fmt.Errorf("bastion: instance: %w", err)
	}

	b.InstanceID = instance.ID().ToStringOutput()
	b.PrivateIP = instance.PrivateIp
	if args.Public {
		b.PublicIP = instance.PublicIp
	} else {
		b.PublicIP = pulumi.String("").ToStringOutput()
	}
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{
		"instanceId": b.InstanceID,
		"publicIp":   b.PublicIP,
		"privateIp":  b.PrivateIP,
	}); err != nil {
		return nil, err
	}
	return b, nil
}

// newBastionProfile registers the bastion's instance role, which allows Systems Manager access
// only, and its instance profile.
func newBastionProfile(ctx *pulumi.Context, name, partition string, parent pulumi.ResourceOption) (*iam.InstanceProfile, error) {
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("Bastion host: Systems Manager access only"),
		AssumeRolePolicy: pulumi.String(ec2host.AssumeRolePolicy),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("bastion: role: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore", partition),
	}, parent); err != nil {
		return nil, fmt.Errorf("bastion: ssm policy: %w", err)
	}
	profile, err := iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{
		Role: role.Name,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("bastion: instance profile: %w", err)
	}
	return profile, nil
}
