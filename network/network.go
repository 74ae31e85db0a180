package network

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/alarm"
)

// NAT gateway modes of NetworkArgs.NATGateways (and of the stack's webstack:network.natGateways).
const (
	NATPerAZ  = "perAz"
	NATSingle = "single"
	NATNone   = "none"
)

// InterfaceEndpointServices are the AWS services that get a VPC interface endpoint when
// NetworkArgs.InterfaceEndpoints is set: Systems Manager (Session Manager needs ssm,
// ssmmessages and ec2messages), EC2, ECR (API and registry), Secrets Manager, CloudWatch Logs
// and KMS.
var InterfaceEndpointServices = []string{"ssm", "ssmmessages", "ec2messages", "ec2", "ecr.api", "ecr.dkr", "secretsmanager", "logs", "kms"}

// NetworkArgs configures a Network.
type NetworkArgs struct {
	// CIDR is the VPC's IPv4 range. Required; /16 to /MaxVPCPrefix (/22), so that the public
	// subnets are at least the /27 (ALBSubnetPrefix) the load balancer needs.
	CIDR string
	// AZs are the availability zones every tier spans, in order. Required; at least 2, at most
	// MaxAZs.
	AZs []string
	// NATGateways is NATPerAZ, NATSingle or NATNone. Optional. Defaults to NATPerAZ.
	NATGateways string
	// FlowLogs sends VPC flow logs (all traffic) to CloudWatch Logs. Optional. Defaults to false.
	FlowLogs bool
	// FlowLogRetentionDays is the flow log group's retention. Optional. Defaults to 365.
	FlowLogRetentionDays int
	// InterfaceEndpoints adds an interface endpoint for each of InterfaceEndpointServices in the
	// app subnets. Optional. Defaults to false.
	InterfaceEndpoints bool
	// Region, AccountID and Partition locate the stack (endpoint service names, IAM
	// conditions). Required.
	Region, AccountID, Partition string
	// Firewall describes the ports and peers of the traffic matrix. Required.
	Firewall FirewallArgs
	// CloudFrontPrefixList is CloudFrontOriginFacingPrefixList as the caller looked it up in
	// the region (LookupCloudFrontPrefixList), so that a failed lookup or a quota it breaks
	// stops the caller before anything is registered. Optional. Defaults to looking it up
	// before the network registers any resource of its own.
	CloudFrontPrefixList PrefixList
	// Alarms are the NAT gateways' alarms. Optional. Defaults to none.
	Alarms AlarmArgs
}

func (a *NetworkArgs) withDefaults() NetworkArgs {
	out := *a
	if out.NATGateways == "" {
		out.NATGateways = NATPerAZ
	}
	if out.FlowLogRetentionDays == 0 {
		out.FlowLogRetentionDays = 365
	}
	return out
}

func (a *NetworkArgs) validate() error {
	var errs []error
	prefix, err := netip.ParsePrefix(a.CIDR)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("cidr %q: %w", a.CIDR, err))
	case prefix.Addr().Is4() && prefix.Bits() > MaxVPCPrefix:
		errs = append(errs, fmt.Errorf("cidr %q is smaller than a /%d: its public subnets would be smaller than the /%d an Application Load Balancer needs", a.CIDR, MaxVPCPrefix, ALBSubnetPrefix))
	default:
		if _, err := SubnetCIDR(prefix, Data, 0); err != nil {
			errs = append(errs, err)
		}
	}
	if len(a.AZs) < 2 || len(a.AZs) > MaxAZs {
		errs = append(errs, fmt.Errorf("%d availability zones given; need 2 to %d", len(a.AZs), MaxAZs))
	}
	switch a.NATGateways {
	case NATPerAZ, NATSingle, NATNone:
	default:
		errs = append(errs, fmt.Errorf("nat gateway mode %q is not %q, %q or %q", a.NATGateways, NATPerAZ, NATSingle, NATNone))
	}
	if n := NATGatewayCount(a.NATGateways, len(a.AZs)); n > ElasticIPsPerRegion {
		errs = append(errs, fmt.Errorf("%d NAT gateways need %d Elastic IP addresses; a region holds %d by default", n, n, ElasticIPsPerRegion))
	}
	if a.Region == "" || a.AccountID == "" || a.Partition == "" {
		errs = append(errs, errors.New("region, account id and partition are required"))
	}
	if err := a.Firewall.validate(); err != nil {
		errs = append(errs, err)
	} else {
		weight := CloudFrontPrefixListWeight
		if a.CloudFrontPrefixList.ID != "" {
			weight = a.CloudFrontPrefixList.MaxEntries
		}
		errs = append(errs, a.Firewall.checkQuota(weight))
	}
	if l := a.CloudFrontPrefixList; l.ID != "" && l.MaxEntries < 1 {
		errs = append(errs, fmt.Errorf("prefix list %s: maxEntries %d is not a weight", l.ID, l.MaxEntries))
	}
	if a.Alarms.TopicARN != nil && a.Alarms.NamePrefix == "" {
		errs = append(errs, errors.New("alarms need a name prefix"))
	}
	if a.Alarms.PortAllocationErrors < 0 {
		errs = append(errs, fmt.Errorf("port allocation error threshold %d is negative", a.Alarms.PortAllocationErrors))
	}
	return errors.Join(errs...)
}

// Network is the VPC with its subnets, gateways, routes, endpoints, flow logs and security
// groups.
type Network struct {
	pulumi.ResourceState

	// AZs are the availability zones the subnets span, index-aligned with the subnet ID lists.
	AZs []string
	// NATGatewayCount is how many NAT gateways the network has.
	NATGatewayCount int
	// Alarms are the alarms the network registered (none without Alarms.TopicARN).
	Alarms alarm.Set

	// NATGatewayIDs are the NAT gateways, in AZ order.
	NATGatewayIDs pulumi.StringArrayOutput `pulumi:"natGatewayIds"`

	VpcID           pulumi.StringOutput      `pulumi:"vpcId"`
	VpcCIDR         pulumi.StringOutput      `pulumi:"vpcCidr"`
	PublicSubnetIDs pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	AppSubnetIDs    pulumi.StringArrayOutput `pulumi:"appSubnetIds"`
	DataSubnetIDs   pulumi.StringArrayOutput `pulumi:"dataSubnetIds"`
	// SecurityGroups are the security group IDs of every tier.
	SecurityGroups SecurityGroups `pulumi:"-"`
	// RotationPath is what the password rotation function's traffic needs in place before the
	// first rotation: its security group rules, the app subnets' route table associations and
	// default routes to the NAT gateways, and the Secrets Manager interface endpoint (where
	// they exist).
	RotationPath []pulumi.Resource `pulumi:"-"`
	// PublicPath is what anything with a public address in the public subnets must be created
	// after: the internet gateway, the public default route through it and the public subnets'
	// route table associations. An internet-facing load balancer created before the gateway
	// is attached fails with `InvalidSubnet: VPC vpc-… has no internet gateway`
	// (aws-cloudformation/aws-cloudformation-templates#75, hashicorp/terraform-provider-aws#4587);
	// CloudFormation's DependsOn guide lists load balancers, instances with a public address and
	// Elastic IPs as depending on the gateway attachment
	// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html#gatewayattachment).
	// Nothing else orders them: they share only the VPC with the gateway.
	PublicPath []pulumi.Resource `pulumi:"-"`
}

// NewNetwork registers the network tier.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if args == nil {
		return nil, errors.New("network: args are required")
	}
	a := args.withDefaults()
	err := a.validate()
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n := &Network{AZs: append([]string(nil), a.AZs...)}
	if err := ctx.RegisterComponentResource("webstack:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)

	// The ALB admits its production port only from CloudFront's origin-facing addresses. The
	// list is looked up, and the ALB's rules judged by the weight the region reports (its
	// maxEntries, which AWS may raise), before any resource of the network is registered.
	cloudFront := a.CloudFrontPrefixList
	if cloudFront.ID == "" {
		if cloudFront, err = LookupCloudFrontPrefixList(ctx, pulumi.Parent(n)); err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
		if err := a.Firewall.checkQuota(cloudFront.MaxEntries); err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
	}
	tags := func(role string, extra ...string) pulumi.StringMap {
		m := pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), role)}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = pulumi.String(extra[i+1])
		}
		return m
	}

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.CIDR),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               tags("vpc"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: vpc: %w", err)
	}
	n.VpcID = vpc.ID().ToStringOutput()
	n.VpcCIDR = vpc.CidrBlock

	// AWS creates every VPC with a default security group that allows all traffic between its
	// members and all egress. Adopting it with no rules strips them (EC2.2).
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  tags("default-sg-unused"),
	}, parent); err != nil {
		return nil, fmt.Errorf("network: default security group: %w", err)
	}

	prefix := netip.MustParsePrefix(a.CIDR)
	subnets := map[Tier][]*ec2.Subnet{}
	for _, tier := range Tiers {
		// A replacement subnet has its predecessor's CIDR, which AWS refuses while the old one
		// exists (`InvalidSubnet.Conflict: The CIDR '…' conflicts with another subnet`): the old
		// one goes first (pulumi/pulumi#450). The option replaces nothing by itself.
		subnetOpts := []pulumi.ResourceOption{parent, pulumi.DeleteBeforeReplace(true)}
		if tier == App {
			// The rotation function's Lambda ENIs in the app subnets outlive the function, and
			// the subnet cannot be deleted until they are gone (LambdaENIReleaseTimeout).
			subnetOpts = append(subnetOpts, pulumi.Timeouts(&pulumi.CustomTimeouts{Delete: LambdaENIReleaseTimeout}))
		}
		for i, az := range a.AZs {
			cidr, err := SubnetCIDR(prefix, tier, i)
			if err != nil {
				return nil, fmt.Errorf("network: %s subnet %d: %w", tier, i, err)
			}
			s, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-%s-%d", name, tier, i), &ec2.SubnetArgs{
				VpcId:            vpc.ID(),
				CidrBlock:        pulumi.String(cidr.String()),
				AvailabilityZone: pulumi.String(az),
				// No subnet hands out public IPs, the public tier included (EC2.15): the ALB
				// and NAT gateways bring their own addresses.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags:                tags(fmt.Sprintf("%s-%s", tier, az), "Tier", tier.String()),
			}, subnetOpts...)
			if err != nil {
				return nil, fmt.Errorf("network: %s subnet %d: %w", tier, i, err)
			}
			subnets[tier] = append(subnets[tier], s)
		}
	}
	ids := func(list []*ec2.Subnet) pulumi.StringArrayOutput {
		out := make(pulumi.StringArray, len(list))
		for i, s := range list {
			out[i] = s.ID().ToStringOutput()
		}
		return out.ToStringArrayOutput()
	}
	n.PublicSubnetIDs = ids(subnets[Public])
	n.AppSubnetIDs = ids(subnets[App])
	n.DataSubnetIDs = ids(subnets[Data])

	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags("igw"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: internet gateway: %w", err)
	}

	publicRT, err := ec2.NewRouteTable(ctx, name+"-public-rt", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags("public-rt", "Tier", Public.String()),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: public route table: %w", err)
	}
	publicRoute, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: public default route: %w", err)
	}
	n.PublicPath = []pulumi.Resource{igw, publicRoute}
	for i, s := range subnets[Public] {
		rta, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-public-%d-rta", name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: publicRT.ID(),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: public subnet %d route association: %w", i, err)
		}
		n.PublicPath = append(n.PublicPath, rta)
	}

	// NAT gateways: one per AZ in perAz mode, so that losing an AZ costs no other AZ its egress;
	// one in the first AZ in single mode.
	var nats []*ec2.NatGateway
	natCount := NATGatewayCount(a.NATGateways, len(a.AZs))
	for i := 0; i < natCount; i++ {
		eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-%d-eip", name, i), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   tags(fmt.Sprintf("nat-%s", a.AZs[i])),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("network: nat gateway %d address: %w", i, err)
		}
		// A replacement NAT gateway takes its predecessor's Elastic IP, which AWS refuses while
		// the old gateway holds it (failure `Resource.AlreadyAssociated: Elastic IP address
		// eipalloc-… is already associated`, API reference, NatGateway): the old one goes first.
		nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-nat-%d", name, i), &ec2.NatGatewayArgs{
			SubnetId:     subnets[Public][i].ID(),
			AllocationId: eip.AllocationId,
			Tags:         tags(fmt.Sprintf("nat-%s", a.AZs[i])),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}), pulumi.DeleteBeforeReplace(true))
		if err != nil {
			return nil, fmt.Errorf("network: nat gateway %d: %w", i, err)
		}
		nats = append(nats, nat)
	}
	n.NATGatewayCount = len(nats)
	natIDs := pulumi.StringArray{}
	for _, nat := range nats {
		natIDs = append(natIDs, nat.ID().ToStringOutput())
	}
	n.NATGatewayIDs = natIDs.ToStringArrayOutput()
	if a.Alarms.TopicARN != nil {
		if n.Alarms, err = natAlarms(ctx, name, &a.Alarms, a.AZs, nats, parent); err != nil {
			return nil, fmt.Errorf("network: alarms: %w", err)
		}
	}

	// App subnets: one route table per AZ, whose default route goes to the NAT gateway of the
	// same AZ (perAz) or to the single NAT gateway; no default route without NAT.
	var privateRTs pulumi.StringArray
	for i, s := range subnets[App] {
		rt, err := ec2.NewRouteTable(ctx, fmt.Sprintf("%s-app-%d-rt", name, i), &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  tags(fmt.Sprintf("app-rt-%s", a.AZs[i]), "Tier", App.String()),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: app route table %d: %w", i, err)
		}
		if len(nats) > 0 {
			nat := nats[min(i, len(nats)-1)]
			route, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-app-%d-default", name, i), &ec2.RouteArgs{
				RouteTableId:         rt.ID(),
				DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
				NatGatewayId:         nat.ID(),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("network: app subnet %d default route: %w", i, err)
			}
			n.RotationPath = append(n.RotationPath, route)
		}
		rta, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-app-%d-rta", name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: rt.ID(),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: app subnet %d route association: %w", i, err)
		}
		// Until it exists the subnet uses the VPC's main route table, which has no default
		// route: the rotation function, which runs in the app subnets, would not reach the
		// Secrets Manager API through the NAT gateway.
		n.RotationPath = append(n.RotationPath, rta)
		privateRTs = append(privateRTs, rt.ID().ToStringOutput())
	}

	// Data subnets share one route table with no route out of the VPC.
	dataRT, err := ec2.NewRouteTable(ctx, name+"-data-rt", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags("data-rt", "Tier", Data.String()),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: data route table: %w", err)
	}
	for i, s := range subnets[Data] {
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-data-%d-rta", name, i), &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: dataRT.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network: data subnet %d route association: %w", i, err)
		}
	}
	privateRTs = append(privateRTs, dataRT.ID().ToStringOutput())

	// S3 through a gateway endpoint: free, and keeps image layers and backups off the NAT.
	if _, err := ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.Sprintf("com.amazonaws.%s.s3", a.Region),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   privateRTs,
		Tags:            tags("s3-endpoint"),
	}, parent); err != nil {
		return nil, fmt.Errorf("network: s3 gateway endpoint: %w", err)
	}

	sgs, rotationRules, err := newFirewall(ctx, name, vpc, &a, cloudFront.ID, parent)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n.SecurityGroups = sgs
	n.RotationPath = append(n.RotationPath, rotationRules...)

	if a.InterfaceEndpoints {
		for _, svc := range InterfaceEndpointServices {
			ep, err := ec2.NewVpcEndpoint(ctx, fmt.Sprintf("%s-%s", name, svc), &ec2.VpcEndpointArgs{
				VpcId:             vpc.ID(),
				ServiceName:       pulumi.Sprintf("com.amazonaws.%s.%s", a.Region, svc),
				VpcEndpointType:   pulumi.String("Interface"),
				PrivateDnsEnabled: pulumi.Bool(true),
				SubnetIds:         n.AppSubnetIDs,
				SecurityGroupIds:  pulumi.StringArray{sgs.Endpoints},
				Tags:              tags(svc + "-endpoint"),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("network: %s interface endpoint: %w", svc, err)
			}
			if svc == "secretsmanager" {
				n.RotationPath = append(n.RotationPath, ep)
			}
		}
	}

	if a.FlowLogs {
		if err := newFlowLogs(ctx, name, vpc, &a, parent); err != nil {
			return nil, fmt.Errorf("network: flow logs: %w", err)
		}
	}

	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":           n.VpcID,
		"publicSubnetIds": n.PublicSubnetIDs,
		"appSubnetIds":    n.AppSubnetIDs,
		"dataSubnetIds":   n.DataSubnetIDs,
		"natGatewayIds":   n.NATGatewayIDs,
	}); err != nil {
		return nil, err
	}
	return n, nil
}
