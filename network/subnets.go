package network

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- VPC and subnets -------------------------------------------------------------------------

// newVPC registers the VPC and takes over its default security group.
func (b *builder) newVPC() error {
	vpc, err := ec2.NewVpc(b.ctx, b.name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(b.args.CIDR),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               b.tags("vpc"),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("vpc: %w", err)
	}
	b.vpc = vpc

	// AWS creates every VPC with a default security group that allows all traffic between its
	// members and all egress. Adopting it with no rules strips them (EC2.2).
	if _, err := ec2.NewDefaultSecurityGroup(b.ctx, b.name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  b.tags("default-sg-unused"),
	}, b.parent); err != nil {
		return fmt.Errorf("default security group: %w", err)
	}
	return nil
}

// newSubnets registers every tier's subnets, one per AZ, tier by tier in Tiers order, with the
// CIDRs SubnetCIDR carves.
func (b *builder) newSubnets() (map[Tier][]*ec2.Subnet, error) {
	prefix := netip.MustParsePrefix(b.args.CIDR)
	subnets := map[Tier][]*ec2.Subnet{}
	for _, tier := range Tiers {
		// A replacement subnet has its predecessor's CIDR, which AWS refuses while the old one
		// exists (`InvalidSubnet.Conflict: The CIDR '…' conflicts with another subnet`): the old
		// one goes first (pulumi/pulumi#450). The option replaces nothing by itself.
		subnetOpts := []pulumi.ResourceOption{b.parent, pulumi.DeleteBeforeReplace(true)}
		if tier == App {
			// The rotation function's Lambda ENIs in the app subnets outlive the function, and
			// the subnet cannot be deleted until they are gone (LambdaENIReleaseTimeout).
			subnetOpts = append(subnetOpts, pulumi.Timeouts(&pulumi.CustomTimeouts{Delete: LambdaENIReleaseTimeout}))
		}
		for i, az := range b.args.AZs {
			cidr, err := SubnetCIDR(prefix, tier, i)
			if err != nil {
				return nil, fmt.Errorf("%s subnet %d: %w", tier, i, err)
			}
			s, err := ec2.NewSubnet(b.ctx, fmt.Sprintf("%s-%s-%d", b.name, tier, i), &ec2.SubnetArgs{
				VpcId:            b.vpc.ID(),
				CidrBlock:        pulumi.String(cidr.String()),
				AvailabilityZone: pulumi.String(az),
				// No subnet hands out public IPs, the public tier included (EC2.15): the ALB
				// and NAT gateways bring their own addresses.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                b.tags(fmt.Sprintf("%s-%s", tier, az), "Tier", tier.String()),
			}, subnetOpts...)
			if err != nil {
				return nil, fmt.Errorf("%s subnet %d: %w", tier, i, err)
			}
			subnets[tier] = append(subnets[tier], s)
		}
	}
	return subnets, nil
}

// subnetIDs returns the subnets' IDs, in the same order.
func subnetIDs(list []*ec2.Subnet) pulumi.StringArrayOutput {
	out := make(pulumi.StringArray, len(list))
	for i, s := range list {
		out[i] = s.ID().ToStringOutput()
	}
	return out.ToStringArrayOutput()
}
