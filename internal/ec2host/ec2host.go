// Package ec2host holds what every EC2 instance webstack launches shares, whichever tier
// launches it: the Amazon Linux 2023 image it boots and the trust policy of its instance role.
// The bastion (network) and the application fleet (compute) both take them from here, since
// tiers never import each other.
package ec2host

// AL2023ARM64Parameter is the public SSM parameter that names the latest Amazon Linux 2023
// arm64 AMI in every region. The bastion looks it up once (network.LookupBastionAMI) and
// ignores later changes; the fleet's launch template refers to it as
// "resolve:ssm:<parameter>", which EC2 resolves at each launch.
const AL2023ARM64Parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"

// AssumeRolePolicy is the trust policy of an instance role: the EC2 service may assume it, on
// behalf of the instances that carry the role's instance profile.
const AssumeRolePolicy = `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}],"Version":"2012-10-17"}`
