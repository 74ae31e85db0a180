package mockaws

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// vpcWith registers a VPC with the given block and DNS attributes.
func vpcWith(ctx *pulumi.Context, cidr string, dnsHostnames bool) (*ec2.Vpc, error) {
	return ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(cidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(dnsHostnames),
	})
}

// subnets registers a VPC and one subnet per block.
func subnets(vpcCIDR string, blocks ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v, err := vpcWith(ctx, vpcCIDR, true)
		if err != nil {
			return err
		}
		for i, b := range blocks {
			if _, err := ec2.NewSubnet(ctx, fmt.Sprintf("subnet-%d", i), &ec2.SubnetArgs{VpcId: v.ID(), CidrBlock: pulumi.String(b)}); err != nil {
				return err
			}
		}
		return nil
	}
}

// interfaceEndpoint registers a VPC and an interface endpoint with private DNS in it.
func interfaceEndpoint(dnsHostnames bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v, err := vpcWith(ctx, "10.0.0.0/16", dnsHostnames)
		if err != nil {
			return err
		}
		_, err = ec2.NewVpcEndpoint(ctx, "ssm", &ec2.VpcEndpointArgs{
			VpcId:             v.ID(),
			ServiceName:       pulumi.String("com.amazonaws.ap-northeast-2.ssm"),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
		})
		return err
	}
}

// How a test resource is ordered after the internet gateway.
const (
	noDependency = iota
	directDependency
	// transitiveDependency orders the resource after another one that depends on the gateway.
	transitiveDependency
)

// natGateway registers a VPC, a public subnet, an internet gateway, an EIP and a NAT gateway,
// which depends on the internet gateway as order says: not at all, directly, or through the
// Elastic IP (which depends on the gateway).
func natGateway(order int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v, err := vpcWith(ctx, "10.0.0.0/16", true)
		if err != nil {
			return err
		}
		s, err := ec2.NewSubnet(ctx, "public", &ec2.SubnetArgs{VpcId: v.ID(), CidrBlock: pulumi.String("10.0.0.0/24")})
		if err != nil {
			return err
		}
		igw, err := ec2.NewInternetGateway(ctx, "igw", &ec2.InternetGatewayArgs{VpcId: v.ID()})
		if err != nil {
			return err
		}
		var eipOpts, opts []pulumi.ResourceOption
		switch order {
		case directDependency:
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{igw}))
		case transitiveDependency:
			eipOpts = append(eipOpts, pulumi.DependsOn([]pulumi.Resource{igw}))
		}
		// The NAT gateway depends on the Elastic IP through its allocationId.
		eip, err := ec2.NewEip(ctx, "eip", &ec2.EipArgs{Domain: pulumi.String("vpc")}, eipOpts...)
		if err != nil {
			return err
		}
		_, err = ec2.NewNatGateway(ctx, "nat", &ec2.NatGatewayArgs{SubnetId: s.ID(), AllocationId: eip.AllocationId}, opts...)
		return err
	}
}

// albInVPC registers a VPC, an internet gateway, a public route through it, two subnets of
// the given size in two AZs and an application load balancer in them (internal or
// internet-facing), ordered after the gateway as order says: not at all, directly, or through
// the route (which references the gateway).
func albInVPC(size string, internal bool, order int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		v, err := vpcWith(ctx, "10.0.0.0/16", true)
		if err != nil {
			return err
		}
		igw, err := ec2.NewInternetGateway(ctx, "igw", &ec2.InternetGatewayArgs{VpcId: v.ID()})
		if err != nil {
			return err
		}
		rt, err := ec2.NewRouteTable(ctx, "public", &ec2.RouteTableArgs{VpcId: v.ID()})
		if err != nil {
			return err
		}
		route, err := ec2.NewRoute(ctx, "public-default", &ec2.RouteArgs{
			RouteTableId: rt.ID(), DestinationCidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID(),
		})
		if err != nil {
			return err
		}
		first := netip.MustParsePrefix(size)
		var ids pulumi.StringArray
		for i, az := range []string{"ap-northeast-2a", "ap-northeast-2b"} {
			base := first.Addr().As4()
			base[2] += byte(i)
			s, err := ec2.NewSubnet(ctx, fmt.Sprintf("public-%d", i), &ec2.SubnetArgs{
				VpcId: v.ID(), AvailabilityZone: pulumi.String(az),
				CidrBlock: pulumi.String(netip.PrefixFrom(netip.AddrFrom4(base), first.Bits()).String()),
			})
			if err != nil {
				return err
			}
			ids = append(ids, s.ID().ToStringOutput())
		}
		var opts []pulumi.ResourceOption
		switch order {
		case directDependency:
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{igw}))
		case transitiveDependency:
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{route}))
		}
		_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{
			LoadBalancerType: pulumi.String("application"), Internal: pulumi.Bool(internal), Subnets: ids,
		}, opts...)
		return err
	}
}

// sgRules registers a security group and, in direction dir, the rules rules makes for it.
func sgRules(dir string, rules func(sg pulumi.StringOutput) []ruleArgs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		sg, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{Description: pulumi.String("ALB")})
		if err != nil {
			return err
		}
		for i, a := range rules(sg.ID().ToStringOutput()) {
			name := fmt.Sprintf("rule-%d", i)
			if dir == "ingress" {
				_, err = vpc.NewSecurityGroupIngressRule(ctx, name, &vpc.SecurityGroupIngressRuleArgs{
					SecurityGroupId: a.sg, IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
					CidrIpv4: a.cidrIpv4, CidrIpv6: a.cidrIpv6, PrefixListId: a.prefixList, ReferencedSecurityGroupId: a.group, Description: a.description,
				})
			} else {
				_, err = vpc.NewSecurityGroupEgressRule(ctx, name, &vpc.SecurityGroupEgressRuleArgs{
					SecurityGroupId: a.sg, IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
					CidrIpv4: a.cidrIpv4, CidrIpv6: a.cidrIpv6, PrefixListId: a.prefixList, ReferencedSecurityGroupId: a.group, Description: a.description,
				})
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// ruleArgs are the arguments the ingress and egress rule types share.
type ruleArgs struct {
	sg                                    pulumi.StringInput
	cidrIpv4, cidrIpv6, prefixList, group pulumi.StringPtrInput
	description                           pulumi.StringPtrInput
}

// cidrRules returns n rules from distinct IPv4 /24 blocks, after the given first rules.
func cidrRules(sg pulumi.StringOutput, n int, first ...ruleArgs) []ruleArgs {
	out := first
	for i := range out {
		out[i].sg = sg
	}
	for i := 0; i < n; i++ {
		out = append(out, ruleArgs{sg: sg, cidrIpv4: pulumi.String(fmt.Sprintf("10.1.%d.0/24", i))})
	}
	return out
}

// sgRuleTests are the cases of one direction's security group rule rules.
func sgRuleTests(dir string) []ruleTest {
	cloudFront := ruleArgs{prefixList: pulumi.String(CloudFrontPrefixListID)}
	one := func(a ruleArgs) pulumi.RunFunc {
		return sgRules(dir, func(sg pulumi.StringOutput) []ruleArgs { a.sg = sg; return []ruleArgs{a} })
	}
	return []ruleTest{
		{
			rule: "vpc/" + dir + "-rule-target", name: "none",
			want:    "Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]",
			refused: one(ruleArgs{}),
			allowed: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.0/24")}),
		},
		{
			rule: "vpc/" + dir + "-rule-target", name: "two",
			want:    "Invalid Attribute Combination: Exactly one of these attributes must be configured",
			refused: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.0/24"), prefixList: pulumi.String(CloudFrontPrefixListID)}),
			allowed: one(cloudFront),
		},
		{
			rule: "vpc/" + dir + "-rule-cidr", name: "IPv6 in cidrIpv4",
			want:    "Attribute cidr_ipv4 value must be a valid IPv4 CIDR that represents a network address, got: 2001:db8::/32",
			refused: one(ruleArgs{cidrIpv4: pulumi.String("2001:db8::/32")}),
			allowed: one(ruleArgs{cidrIpv6: pulumi.String("2001:db8::/32")}),
		},
		{
			rule: "vpc/" + dir + "-rule-cidr", name: "host bits",
			want:    "Attribute cidr_ipv4 value must be a valid IPv4 CIDR that represents a network address, got: 203.0.113.7/24",
			refused: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.7/24")}),
			allowed: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.7/32")}),
		},
		{
			rule: "vpc/" + dir + "-rule-cidr", name: "IPv4 in cidrIpv6",
			want:    "Attribute cidr_ipv6 value must be a valid IPv6 CIDR that represents a network address, got: 10.0.0.0/8",
			refused: one(ruleArgs{cidrIpv6: pulumi.String("10.0.0.0/8")}),
		},
		{
			rule:    "vpc/" + dir + "-rule-description",
			want:    "InvalidParameterValue: Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*",
			refused: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.0/24"), description: pulumi.String("deploy network's runners -> the test listener")}),
			allowed: one(ruleArgs{cidrIpv4: pulumi.String("203.0.113.0/24"), description: pulumi.String("allow alb from deploy0 on 9000: deploy network to the ALB test listener (CI)")}),
		},
		{
			rule: "vpc/" + dir + "-rules-per-group", name: "prefix list weight",
			want: "RulesPerSecurityGroupLimitExceeded: The maximum number of rules per security group has been reached.",
			// CloudFront's prefix list counts as 55: five more rules fit, a sixth does not.
			refused: sgRules(dir, func(sg pulumi.StringOutput) []ruleArgs { return cidrRules(sg, 6, cloudFront) }),
			allowed: sgRules(dir, func(sg pulumi.StringOutput) []ruleArgs { return cidrRules(sg, 5, cloudFront) }),
		},
		{
			rule: "vpc/" + dir + "-rules-per-group", name: "per family",
			want: "RulesPerSecurityGroupLimitExceeded",
			// 60 IPv4 rules and an IPv6 one fit (the quota is per family); a referenced group
			// counts for both families, so it is the 61st IPv4 rule.
			refused: sgRules(dir, func(sg pulumi.StringOutput) []ruleArgs {
				return append(cidrRules(sg, 60, ruleArgs{cidrIpv6: pulumi.String("2001:db8::/32")}), ruleArgs{sg: sg, group: sg})
			}),
			allowed: sgRules(dir, func(sg pulumi.StringOutput) []ruleArgs {
				return cidrRules(sg, 60, ruleArgs{cidrIpv6: pulumi.String("2001:db8::/32")})
			}),
		},
	}
}

var networkRuleTests = append([]ruleTest{
	{
		rule: "ec2/vpc-cidr-size", want: "InvalidVpc.Range: The CIDR '10.0.0.0/8' is invalid.",
		refused: func(ctx *pulumi.Context) error { _, err := vpcWith(ctx, "10.0.0.0/8", true); return err },
		allowed: func(ctx *pulumi.Context) error { _, err := vpcWith(ctx, "10.0.0.0/16", true); return err },
	},
	{
		rule: "ec2/vpc-cidr-size", name: "too small", want: "InvalidVpc.Range: The CIDR '10.0.0.0/29' is invalid.",
		refused: func(ctx *pulumi.Context) error { _, err := vpcWith(ctx, "10.0.0.0/29", true); return err },
		allowed: func(ctx *pulumi.Context) error { _, err := vpcWith(ctx, "10.0.0.0/28", true); return err },
	},
	{
		rule: "ec2/subnet-cidr-range", name: "outside the VPC", want: "InvalidSubnet.Range: The CIDR '10.10.1.0/24' is invalid.",
		refused: subnets("192.168.0.0/16", "10.10.1.0/24"),
		allowed: subnets("192.168.0.0/16", "192.168.1.0/24"),
	},
	{
		rule: "ec2/subnet-cidr-range", name: "smaller than a /28", want: "InvalidSubnet.Range: The CIDR '10.0.0.0/29' is invalid.",
		refused: subnets("10.0.0.0/16", "10.0.0.0/29"),
		allowed: subnets("10.0.0.0/16", "10.0.0.0/16"),
	},
	{
		// The two subnets register in either order; whichever comes second is refused.
		rule: "ec2/subnet-cidr-conflict", want: "conflicts with another subnet",
		refused: subnets("10.0.0.0/16", "10.0.1.0/24", "10.0.1.0/25"),
		allowed: subnets("10.0.0.0/16", "10.0.1.0/24", "10.0.2.0/25"),
	},
	{
		rule: "ec2/security-group-description", want: "InvalidParameterValue: Invalid security group description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*",
		refused: func(ctx *pulumi.Context) error {
			_, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{Description: pulumi.String("WAS fleet — blue and green")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{Description: pulumi.String("WAS fleet (blue and green)")})
			return err
		},
	},
	{
		rule: "ec2/endpoint-private-dns", want: "InvalidParameter: Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for vpc-",
		refused: interfaceEndpoint(false),
		allowed: interfaceEndpoint(true),
	},
	{
		rule: "ec2/flow-log-delivery-role", want: "InvalidParameter: DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.",
		refused: func(ctx *pulumi.Context) error {
			_, err := ec2.NewFlowLog(ctx, "fl", &ec2.FlowLogArgs{VpcId: pulumi.String("vpc-1"), TrafficType: pulumi.String("ALL"),
				LogDestination: pulumi.String("arn:aws:logs:ap-northeast-2:123456789012:log-group:flow")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := ec2.NewFlowLog(ctx, "fl", &ec2.FlowLogArgs{VpcId: pulumi.String("vpc-1"), TrafficType: pulumi.String("ALL"),
				LogDestination: pulumi.String("arn:aws:logs:ap-northeast-2:123456789012:log-group:flow"),
				IamRoleArn:     pulumi.String("arn:aws:iam::123456789012:role/flow-logs")})
			return err
		},
	},
	{
		rule: "ec2/flow-log-aggregation-interval", want: "expected max_aggregation_interval to be one of [60 600], got 30",
		refused: func(ctx *pulumi.Context) error {
			_, err := ec2.NewFlowLog(ctx, "fl", &ec2.FlowLogArgs{VpcId: pulumi.String("vpc-1"), TrafficType: pulumi.String("ALL"),
				LogDestinationType: pulumi.String("s3"), LogDestination: pulumi.String("arn:aws:s3:::flow-logs"), MaxAggregationInterval: pulumi.Int(30)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := ec2.NewFlowLog(ctx, "fl", &ec2.FlowLogArgs{VpcId: pulumi.String("vpc-1"), TrafficType: pulumi.String("ALL"),
				LogDestinationType: pulumi.String("s3"), LogDestination: pulumi.String("arn:aws:s3:::flow-logs"), MaxAggregationInterval: pulumi.Int(60)})
			return err
		},
	},
	{
		rule:    "ec2/nat-gateway-internet-gateway",
		want:    "waiting for EC2 NAT Gateway (nat-",
		refused: natGateway(noDependency),
		allowed: natGateway(directDependency),
	},
	{
		rule: "ec2/nat-gateway-internet-gateway", name: "through the Elastic IP",
		want:    "create: unexpected state 'failed', wanted target 'available'. last error: Gateway.NotAttached: Network vpc-",
		refused: natGateway(noDependency),
		allowed: natGateway(transitiveDependency),
	},
	{
		rule: "elbv2/alb-internet-gateway", want: "InvalidSubnet: VPC vpc-",
		refused: albInVPC("10.0.0.0/24", false, noDependency),
		allowed: albInVPC("10.0.0.0/24", false, directDependency),
	},
	{
		rule: "elbv2/alb-internet-gateway", name: "through the public route",
		want:    "has no internet gateway",
		refused: albInVPC("10.0.0.0/24", false, noDependency),
		allowed: albInVPC("10.0.0.0/24", false, transitiveDependency),
	},
	{
		// An internal load balancer needs no internet gateway.
		rule: "elbv2/alb-internet-gateway", name: "internal",
		want:    "has no internet gateway",
		refused: albInVPC("10.0.0.0/24", false, noDependency),
		allowed: albInVPC("10.0.0.0/24", true, noDependency),
	},
	{
		rule: "elbv2/alb-subnet-size", want: "InvalidSubnet: Not enough IP space available in subnet-",
		refused: albInVPC("10.0.0.0/28", false, directDependency),
		allowed: albInVPC("10.0.0.0/27", false, directDependency),
	},
	{
		rule: "ec2/eip-domain", want: `expected domain to be one of ["vpc" "standard"], got VPC`,
		refused: func(ctx *pulumi.Context) error {
			_, err := ec2.NewEip(ctx, "eip", &ec2.EipArgs{Domain: pulumi.String("VPC")})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := ec2.NewEip(ctx, "eip", &ec2.EipArgs{Domain: pulumi.String("vpc")})
			return err
		},
	},
	{
		rule: "ec2/eip-quota", want: "AddressLimitExceeded: The maximum number of addresses has been reached.",
		refused: eips(6),
		allowed: eips(5),
	},
	{
		rule: "ec2/instance-metadata-options", name: "tokens", want: `expected metadata_options.0.http_tokens to be one of ["optional" "required"], got v2`,
		refused: instanceWithMetadata("v2", 1),
		allowed: instanceWithMetadata("required", 1),
	},
	{
		rule: "ec2/instance-metadata-options", name: "hop limit", want: "expected metadata_options.0.http_put_response_hop_limit to be in the range (1 - 64), got 0",
		refused: instanceWithMetadata("required", 0),
		allowed: instanceWithMetadata("required", 64),
	},
}, append(sgRuleTests("ingress"), sgRuleTests("egress")...)...)

// instanceWithMetadata registers an instance with the given IMDS token mode and hop limit.
func instanceWithMetadata(tokens string, hops int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := ec2.NewInstance(ctx, "i", &ec2.InstanceArgs{
			Ami:          pulumi.String("ami-0123456789abcdef0"),
			InstanceType: pulumi.String("t4g.nano"),
			MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
				HttpEndpoint: pulumi.String("enabled"), HttpTokens: pulumi.String(tokens), HttpPutResponseHopLimit: pulumi.Int(hops),
			},
		})
		return err
	}
}

// eips registers n Elastic IP addresses, as n NAT gateways need.
func eips(n int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for i := 0; i < n; i++ {
			if _, err := ec2.NewEip(ctx, fmt.Sprintf("nat-%d-eip", i), &ec2.EipArgs{Domain: pulumi.String("vpc")}); err != nil {
				return err
			}
		}
		return nil
	}
}
