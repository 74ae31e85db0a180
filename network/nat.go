package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- NAT gateways ----------------------------------------------------------------------------

// newNATGateways registers the NAT gateways and their Elastic IPs in the public subnets: one
// per AZ in perAz mode, so that losing an AZ costs no other AZ its egress; one in the first AZ
// in single mode; none in none mode.
func (b *builder) newNATGateways(igw *ec2.InternetGateway, public []*ec2.Subnet) ([]*ec2.NatGateway, error) {
	var nats []*ec2.NatGateway
	natCount := NATGatewayCount(b.args.NATGateways, len(b.args.AZs))
	for i := 0; i < natCount; i++ {
		eip, err := ec2.NewEip(b.ctx, fmt.Sprintf("%s-nat-%d-eip", b.name, i), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   b.tags(fmt.Sprintf("nat-%s", b.args.AZs[i])),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("nat gateway %d address: %w", i, err)
		}
		// A replacement NAT gateway takes its predecessor's Elastic IP, which AWS refuses while
		// the old gateway holds it (failure `Resource.AlreadyAssociated: Elastic IP address
		// eipalloc-… is already associated`, API reference, NatGateway): the old one goes first.
		nat, err := ec2.NewNatGateway(b.ctx, fmt.Sprintf("%s-nat-%d", b.name, i), &ec2.NatGatewayArgs{
			SubnetId:     public[i].ID(),
			AllocationId: eip.AllocationId,
			Tags:         b.tags(fmt.Sprintf("nat-%s", b.args.AZs[i])),
		}, b.parent, pulumi.DependsOn([]pulumi.Resource{igw}), pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, fmt.Errorf("nat gateway %d: %w", i, err)
		}
		nats = append(nats, nat)
	}
	return nats, nil
}

// natGatewayIDs returns the NAT gateways' IDs, in AZ order.
func natGatewayIDs(nats []*ec2.NatGateway) pulumi.StringArrayOutput {
	ids := pulumi.StringArray{}
	for _, nat := range nats {
		ids = append(ids, nat.ID().ToStringOutput())
	}
	return ids.ToStringArrayOutput()
}
