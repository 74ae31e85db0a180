package network

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/alarm"
)

// NAT gateway modes of NetworkArgs.NATGateways (and of the stack's webstack:network.natGateways).
const (
	NATPerAZ  = "perAz"
	NATSingle = "single"
	NATNone   = "none"
)

// DefaultFlowLogRetentionDays is how long the flow logs are kept unless NetworkArgs (or the
// stack's webstack:network.flowLogRetentionDays) says otherwise.
const DefaultFlowLogRetentionDays = 365

// NetworkArgs configures a Network. Its zero values are the secure choices: an optional field
// left unset never turns a control off.
type NetworkArgs struct {
	// CIDR is the VPC's IPv4 range. Required; /16 to /MaxVPCPrefix (/22), so that the public
	// subnets are at least the /27 (ALBSubnetPrefix) the load balancer needs.
	CIDR string
	// AZs are the availability zones every tier spans, in order. Required; at least 2, at most
	// MaxAZs.
	AZs []string
	// NATGateways is NATPerAZ, NATSingle or NATNone. Optional. Defaults to NATPerAZ.
	NATGateways string
	// DisableFlowLogs turns off the VPC flow logs (all traffic, to CloudWatch Logs, EC2.6).
	// Optional. Default: false, flow logs on.
	DisableFlowLogs bool
	// FlowLogRetentionDays is the flow log group's retention. Optional. Default:
	// DefaultFlowLogRetentionDays (365).
	FlowLogRetentionDays int
	// InterfaceEndpoints adds an interface endpoint for each of InterfaceEndpointServices in the
	// app subnets. Optional. Default: false (the app subnets reach those services through the
	// NAT gateways).
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
		out.FlowLogRetentionDays = DefaultFlowLogRetentionDays
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

	VPCID           pulumi.StringOutput      `pulumi:"vpcId"`
	VPCCIDR         pulumi.StringOutput      `pulumi:"vpcCidr"`
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

// NewNetwork registers the network tier. It reads like the sections of terraform-aws-vpc, each
// in its own file: the VPC and its subnets (subnets.go), the public, app and data routes
// (routes.go), the NAT gateways (nat.go), the security groups (firewall.go), the VPC endpoints
// (endpoints.go) and the flow logs (flowlogs.go), called below in that order (the engine creates
// independent resources concurrently, so the order of the calls is not the order of creation).
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
	if err := ctx.RegisterComponentResource(contract.TypeNetwork, name, n, opts...); err != nil {
		return nil, err
	}

	cloudFront, err := a.cloudFrontPrefixList(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}

	b := &builder{ctx: ctx, name: name, args: &a, parent: pulumi.Parent(n)}
	if err := b.newVPC(); err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n.VPCID = b.vpc.ID().ToStringOutput()
	n.VPCCIDR = b.vpc.CidrBlock
	subnets, err := b.newSubnets()
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n.PublicSubnetIDs = subnetIDs(subnets[Public])
	n.AppSubnetIDs = subnetIDs(subnets[App])
	n.DataSubnetIDs = subnetIDs(subnets[Data])

	if err := b.newRouting(n, subnets); err != nil {
		return nil, err
	}

	sgs, rotationRules, err := newFirewall(ctx, name, b.vpc, &a, cloudFront.ID, b.parent)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	n.SecurityGroups = sgs
	n.RotationPath = append(n.RotationPath, rotationRules...)

	if a.InterfaceEndpoints {
		secretsManager, err := b.newInterfaceEndpoints(n.AppSubnetIDs, sgs.Endpoints)
		if err != nil {
			return nil, fmt.Errorf("network: %w", err)
		}
		n.RotationPath = append(n.RotationPath, secretsManager)
	}

	if !a.DisableFlowLogs {
		if err := newFlowLogs(ctx, name, b.vpc, &a, b.parent); err != nil {
			return nil, fmt.Errorf("network: flow logs: %w", err)
		}
	}

	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":           n.VPCID,
		"publicSubnetIds": n.PublicSubnetIDs,
		"appSubnetIds":    n.AppSubnetIDs,
		"dataSubnetIds":   n.DataSubnetIDs,
		"natGatewayIds":   n.NATGatewayIDs,
	}); err != nil {
		return nil, err
	}
	return n, nil
}

// newRouting registers the routes (routes.go) and the NAT gateways (nat.go) between them, with
// the NAT gateways' alarms, and sets n's public path, NAT gateways and the rotation path's
// routes. Its errors are wrapped as NewNetwork returns them.
func (b *builder) newRouting(n *Network, subnets map[Tier][]*ec2.Subnet) error {
	igw, publicPath, err := b.newPublicRoutes(subnets[Public])
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	n.PublicPath = publicPath
	nats, err := b.newNATGateways(igw, subnets[Public])
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	n.NATGatewayCount = len(nats)
	n.NATGatewayIDs = natGatewayIDs(nats)
	if b.args.Alarms.TopicARN != nil {
		if n.Alarms, err = natAlarms(b.ctx, b.name, &b.args.Alarms, b.args.AZs, nats, b.parent); err != nil {
			return fmt.Errorf("network: alarms: %w", err)
		}
	}
	if n.RotationPath, err = b.newPrivateRoutes(subnets[App], subnets[Data], nats); err != nil {
		return fmt.Errorf("network: %w", err)
	}
	return nil
}

// cloudFrontPrefixList returns CloudFront's origin-facing prefix list: the one the caller looked
// up, or the one looked up here. The ALB admits its production port only from those addresses,
// and its rules are judged by the weight the region reports (its maxEntries, which AWS may
// raise), before any resource of the network is registered.
func (a *NetworkArgs) cloudFrontPrefixList(ctx *pulumi.Context, n *Network) (PrefixList, error) {
	if a.CloudFrontPrefixList.ID != "" {
		return a.CloudFrontPrefixList, nil
	}
	l, err := LookupCloudFrontPrefixList(ctx, pulumi.Parent(n))
	if err != nil {
		return PrefixList{}, err
	}
	return l, a.Firewall.checkQuota(l.MaxEntries)
}

// builder registers the network's resources, all children of the Network, in the sections
// NewNetwork calls in order.
type builder struct {
	ctx    *pulumi.Context
	name   string
	args   *NetworkArgs
	parent pulumi.ResourceOption
	// vpc is set by newVPC, which comes first.
	vpc *ec2.Vpc
}

// tags returns a resource's tags: Name "<project>-<stack>-<role>" and the extra key/value
// pairs.
func (b *builder) tags(role string, extra ...string) pulumi.StringMap {
	m := pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-%s", b.ctx.Project(), b.ctx.Stack(), role)}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = pulumi.String(extra[i+1])
	}
	return m
}
