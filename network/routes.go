package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- Routes ----------------------------------------------------------------------------------

// newPublicRoutes registers the internet gateway and the public subnets' route table, whose
// default route goes through it. It returns the gateway and Network.PublicPath: the gateway,
// the default route and the public subnets' associations.
func (b *builder) newPublicRoutes(public []*ec2.Subnet) (*ec2.InternetGateway, []pulumi.Resource, error) {
	igw, err := ec2.NewInternetGateway(b.ctx, b.name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.tags("igw"),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("internet gateway: %w", err)
	}

	publicRT, err := ec2.NewRouteTable(b.ctx, b.name+"-public-rt", &ec2.RouteTableArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.tags("public-rt", "Tier", Public.String()),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("public route table: %w", err)
	}
	publicRoute, err := ec2.NewRoute(b.ctx, b.name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("public default route: %w", err)
	}
	path := []pulumi.Resource{igw, publicRoute}
	for i, s := range public {
		rta, err := ec2.NewRouteTableAssociation(b.ctx, fmt.Sprintf("%s-public-%d-rta", b.name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: publicRT.ID(),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("public subnet %d route association: %w", i, err)
		}
		path = append(path, rta)
	}
	return igw, path, nil
}

// newPrivateRoutes registers the app and data subnets' route tables and the S3 gateway endpoint
// on them, and returns what the rotation function's traffic needs of them.
func (b *builder) newPrivateRoutes(app, data []*ec2.Subnet, nats []*ec2.NatGateway) ([]pulumi.Resource, error) {
	rts, rotationPath, err := b.newAppRoutes(app, nats)
	if err != nil {
		return nil, err
	}
	dataRT, err := b.newDataRoutes(data)
	if err != nil {
		return nil, err
	}
	if err := b.newS3Endpoint(append(rts, dataRT)); err != nil {
		return nil, err
	}
	return rotationPath, nil
}

// newAppRoutes registers one route table per app subnet, whose default route goes to the NAT
// gateway of the same AZ (perAz) or to the single NAT gateway; no default route without NAT.
// It returns the route tables' IDs and what the rotation function's traffic needs of them (the
// default routes and the associations).
func (b *builder) newAppRoutes(app []*ec2.Subnet, nats []*ec2.NatGateway) (pulumi.StringArray, []pulumi.Resource, error) {
	var rts pulumi.StringArray
	var rotationPath []pulumi.Resource
	for i, s := range app {
		rt, err := ec2.NewRouteTable(b.ctx, fmt.Sprintf("%s-app-%d-rt", b.name, i), &ec2.RouteTableArgs{
			VpcId: b.vpc.ID(),
			Tags:  b.tags(fmt.Sprintf("app-rt-%s", b.args.AZs[i]), "Tier", App.String()),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("app route table %d: %w", i, err)
		}
		if len(nats) > 0 {
			nat := nats[min(i, len(nats)-1)]
			route, err := ec2.NewRoute(b.ctx, fmt.Sprintf("%s-app-%d-default", b.name, i), &ec2.RouteArgs{
				RouteTableId:         rt.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         nat.ID(),
			}, b.parent)
			if err != nil {
				return nil, nil, fmt.Errorf("app subnet %d default route: %w", i, err)
			}
			rotationPath = append(rotationPath, route)
		}
		rta, err := ec2.NewRouteTableAssociation(b.ctx, fmt.Sprintf("%s-app-%d-rta", b.name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: rt.ID(),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("app subnet %d route association: %w", i, err)
		}
		// Until it exists the subnet uses the VPC's main route table, which has no default
		// route: the rotation function, which runs in the app subnets, would not reach the
		// Secrets Manager API through the NAT gateway.
		rotationPath = append(rotationPath, rta)
		rts = append(rts, rt.ID().ToStringOutput())
	}
	return rts, rotationPath, nil
}

// newDataRoutes registers the one route table the data subnets share, with no route out of the
// VPC, and returns its ID.
func (b *builder) newDataRoutes(data []*ec2.Subnet) (pulumi.StringOutput, error) {
	dataRT, err := ec2.NewRouteTable(b.ctx, b.name+"-data-rt", &ec2.RouteTableArgs{
		VpcId: b.vpc.ID(),
		Tags:  b.tags("data-rt", "Tier", Data.String()),
	}, b.parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("data route table: %w", err)
	}
	for i, s := range data {
		if _, err := ec2.NewRouteTableAssociation(b.ctx, fmt.Sprintf("%s-data-%d-rta", b.name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: dataRT.ID(),
		}, b.parent); err != nil {
			return pulumi.StringOutput{}, fmt.Errorf("data subnet %d route association: %w", i, err)
		}
	}
	return dataRT.ID().ToStringOutput(), nil
}
