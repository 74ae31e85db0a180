package compute

import (
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/ec2host"
)

// --- Launch template -------------------------------------------------------------------------

// newLaunchTemplate registers the color's launch template: Amazon Linux 2023 on arm64, the
// user data that runs the color's version (userdata.go), IMDSv2 only and an encrypted root
// volume, no public address.
func newLaunchTemplate(ctx *pulumi.Context, name string, a *FleetArgs, instanceName string, opts ...pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	color := string(a.Color)
	logGroup := pulumi.String("").ToStringOutput()
	if a.LogGroupName != nil {
		logGroup = a.LogGroupName.ToStringOutput()
	}
	// The user data names the settings' path, never a setting's value: nothing the data tier
	// creates is an input of the launch template (settings.go).
	userData := pulumi.All(a.RepositoryURL, logGroup).ApplyT(func(v []any) (string, error) {
		script, err := UserData{
			Color:            a.Color,
			Version:          a.Version,
			Repository:       v[0].(string),
			Region:           a.Region,
			Port:             a.Port,
			Profile:          a.Profile,
			KeepAliveTimeout: a.KeepAliveTimeout,
			SettingsPath:     a.SettingsPath,
			LogGroup:         v[1].(string),
		}.Render()
		if err != nil {
			return "", fmt.Errorf("compute: fleet %s: user data: %w", name, err)
		}
		return base64.StdEncoding.EncodeToString([]byte(script)), nil
	}).(pulumi.StringOutput)

	lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Description: pulumi.Sprintf("webstack %s fleet", color),
		// EC2 resolves the parameter when it launches an instance: a newer AMI changes no input,
		// so it never rolls a running color; instances launched later (scale-out, replacement,
		// the next release) get it.
		ImageId:              pulumi.String("resolve:ssm:" + ec2host.AL2023ARM64Parameter),
		InstanceType:         pulumi.String(a.InstanceType),
		IamInstanceProfile:   &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: a.InstanceProfileARN},
		VpcSecurityGroupIds:  pulumi.StringArray{a.SecurityGroupID},
		UserData:             userData,
		UpdateDefaultVersion: pulumi.Bool(true),
		MetadataOptions:      imdsv2OneHop(),
		BlockDeviceMappings:  encryptedRootVolume(),
		// No NetworkInterfaces block: instances get no public address (EC2.25) and land in
		// the private subnets the Auto Scaling group names.
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{
				ResourceType: pulumi.String("volume"),
				Tags:         pulumi.ToStringMap(withTags(a.Tags, "Name", instanceName, "Color", color)),
			},
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(instanceName), "Color": pulumi.String(color)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("compute: fleet %s: launch template: %w", name, err)
	}
	return lt, nil
}

// imdsv2OneHop is the instance metadata options of every webstack launch template: IMDSv2
// only, one hop (EC2.170, AutoScaling.3/.4). The fleet's container runs with host networking,
// so it needs no second hop to reach the instance role's credentials.
func imdsv2OneHop() *ec2.LaunchTemplateMetadataOptionsArgs {
	return &ec2.LaunchTemplateMetadataOptionsArgs{
		HttpEndpoint:            pulumi.String("enabled"),
		HttpTokens:              pulumi.String("required"),
		HttpPutResponseHopLimit: pulumi.Int(1),
		InstanceMetadataTags:    pulumi.String("disabled"),
	}
}

// encryptedRootVolume is the root volume of every webstack launch template: encrypted gp3 of
// RootVolumeSize GiB, deleted with the instance (EC2.3, EC2.181); the launch template takes
// strings for the booleans.
func encryptedRootVolume() ec2.LaunchTemplateBlockDeviceMappingArray {
	return ec2.LaunchTemplateBlockDeviceMappingArray{
		&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
				VolumeSize:          pulumi.Int(RootVolumeSize),
				VolumeType:          pulumi.String("gp3"),
				Encrypted:           pulumi.String("true"),
				DeleteOnTermination: pulumi.String("true"),
			},
		},
	}
}
