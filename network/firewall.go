package network

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CloudFrontOriginFacingPrefixList is the AWS managed prefix list of CloudFront's
// origin-facing addresses: the only sources the ALB's production listener admits.
const CloudFrontOriginFacingPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// LambdaENIReleaseTimeout is how long the deletion of the rotation function's security group
// and of the app subnets may wait. Lambda releases a VPC function's network interfaces some time
// after the function is gone, and until then AWS refuses the deletion with `DependencyViolation:
// resource sg-… has a dependent object` (hashicorp/terraform-provider-aws#37046,
// pulumi/pulumi-aws#2642: 1105 s each). The provider already waits "for at least 45 minutes even
// if a shorter delete timeout is specified" for a subnet or security group associated with a
// Lambda function (the pulumi-aws v6.83.0 doc comments of ec2.Subnet and ec2.SecurityGroup;
// hashicorp/terraform-provider-aws#10329), so a 45-minute timeout would change nothing; only a
// longer one extends the wait, and interfaces have been seen lingering past 45 minutes
// (hashicorp/terraform-provider-aws#32129). An hour leaves that margin.
const LambdaENIReleaseTimeout = "60m"

// PrefixList is a managed prefix list as its region reports it.
type PrefixList struct {
	// ID is the list's ID ("pl-…").
	ID string
	// MaxEntries is the list's maximum number of entries: the weight a security group rule
	// that references it counts against RulesPerSecurityGroup.
	MaxEntries int
}

// LookupCloudFrontPrefixList looks up CloudFrontOriginFacingPrefixList in the region of the
// invoke's provider.
func LookupCloudFrontPrefixList(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (PrefixList, error) {
	l, err := ec2.LookupManagedPrefixList(ctx, &ec2.LookupManagedPrefixListArgs{
		Name: pulumi.StringRef(CloudFrontOriginFacingPrefixList),
	}, opts...)
	if err != nil {
		return PrefixList{}, fmt.Errorf("looking up prefix list %s: %w", CloudFrontOriginFacingPrefixList, err)
	}
	return PrefixList{ID: l.Id, MaxEntries: l.MaxEntries}, nil
}

// CheckQuota refuses a firewall whose security groups would hold more inbound rules than
// RulesPerSecurityGroup next to CloudFront's prefix list of the given weight, or that names an
// outside network by an IPv6 CIDR.
func (f *FirewallArgs) CheckQuota(prefixListWeight int) error { return f.checkQuota(prefixListWeight) }

// FirewallArgs describes the ports and outside peers of the traffic matrix.
type FirewallArgs struct {
	// ProductionPort is the ALB production listener's port: 80 when CloudFront reaches the ALB
	// over HTTP (no custom domain), 443 when it uses HTTPS. Required. Only CloudFront's
	// origin-facing addresses (CloudFrontOriginFacingPrefixList) may connect to it; the ALB
	// is never open to 0.0.0.0/0. One port only: the prefix list counts as about 55 rules
	// against the security group's default quota of 60 inbound rules.
	ProductionPort int
	// AppPort is the port the application listens on, reached by the ALB. Required.
	AppPort int
	// DatabasePort is the MySQL port, reached by the app and the bastion. Required.
	DatabasePort int
	// CachePort is the Redis port, reached by the app. Required.
	CachePort int
	// TestListenerPort is the ALB test listener's port, open only to TestListenerCIDRs.
	// Optional; 0 means no test listener.
	TestListenerPort int
	// TestListenerCIDRs are the deploy networks that may reach the test listener.
	TestListenerCIDRs []string
	// AdminCIDRs may reach the bastion over SSH. Optional; empty means no SSH ingress at all
	// (the bastion is reached through SSM Session Manager).
	AdminCIDRs []string
}

func (f *FirewallArgs) validate() error {
	var errs []error
	if f.ProductionPort == 0 {
		errs = append(errs, errors.New("firewall: the production listener port is required"))
	}
	for _, p := range []int{f.ProductionPort, f.AppPort, f.DatabasePort, f.CachePort} {
		if p < 1 || p > 65535 {
			errs = append(errs, fmt.Errorf("firewall: port %d out of range 1..65535", p))
		}
	}
	if f.TestListenerPort != 0 && len(f.TestListenerCIDRs) == 0 {
		errs = append(errs, errors.New("firewall: a test listener needs at least one CIDR"))
	}
	for _, c := range append(append([]string{}, f.TestListenerCIDRs...), f.AdminCIDRs...) {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			errs = append(errs, fmt.Errorf("firewall: cidr %q: %w", c, err))
		} else if p.Bits() == 0 {
			errs = append(errs, fmt.Errorf("firewall: cidr %q opens an administrative port to the whole internet", c))
		}
	}
	return errors.Join(errs...)
}

// SecurityGroups holds the ID of every tier's security group. Rotation is the group of the
// Lambda function that rotates the database's master password.
type SecurityGroups struct {
	ALB, App, Bastion, Database, Cache, Endpoints, Rotation pulumi.StringOutput
}

// peer is one end of a flow: a security group of ours, an outside CIDR, or a managed prefix
// list.
type peer struct {
	name       string
	sg         *ec2.SecurityGroup
	cidr       string
	prefixList pulumi.StringInput
}

// flow is one allowed connection: from may open TCP connections to port on to. A flow between
// two security groups becomes an egress rule on from and an ingress rule on to, each
// referencing the other group; a flow from a CIDR or prefix list becomes an ingress rule
// only, a flow to one an egress rule only.
type flow struct {
	from, to peer
	port     int
	why      string
}

// newFirewall registers the security groups of every tier and the rules between them. The
// flows below are the whole traffic matrix of a stack: nothing else is allowed in or out.
// cloudFrontPrefixList is the ID of CloudFrontOriginFacingPrefixList in the region.
//
// It also returns the rules of the rotation function's flows, which the first password rotation
// must wait for.
func newFirewall(ctx *pulumi.Context, name string, v *ec2.Vpc, a *NetworkArgs, cloudFrontPrefixList string, opts ...pulumi.ResourceOption) (SecurityGroups, []pulumi.Resource, error) {
	sg, err := securityGroups(ctx, name, v, opts...)
	if err != nil {
		return SecurityGroups{}, nil, err
	}
	var rotationRules []pulumi.Resource
	for _, fl := range trafficMatrix(a, sg, cloudFrontPrefixList) {
		created, err := fl.register(ctx, name, opts...)
		if err != nil {
			return SecurityGroups{}, nil, err
		}
		if fl.from.name == "rotation" || fl.to.name == "rotation" {
			rotationRules = append(rotationRules, created...)
		}
	}
	id := func(role string) pulumi.StringOutput { return sg[role].ID().ToStringOutput() }
	return SecurityGroups{
		ALB: id("alb"), App: id("app"), Bastion: id("bastion"),
		Database: id("db"), Cache: id("cache"), Endpoints: id("endpoints"), Rotation: id("rotation"),
	}, rotationRules, nil
}

// securityGroups registers the security group of every role, by role: "alb", "app",
// "bastion", "db", "cache", "endpoints" and "rotation", in that order. None has a rule of its
// own: the rules are the flows of trafficMatrix.
func securityGroups(ctx *pulumi.Context, name string, v *ec2.Vpc, opts ...pulumi.ResourceOption) (map[string]*ec2.SecurityGroup, error) {
	group := func(role, desc string) (*ec2.SecurityGroup, error) {
		groupOpts := opts
		if role == "rotation" {
			// The rotation function's ENIs hold the group after the function is deleted
			// (LambdaENIReleaseTimeout).
			groupOpts = append(append([]pulumi.ResourceOption{}, opts...), pulumi.Timeouts(&pulumi.CustomTimeouts{Delete: LambdaENIReleaseTimeout}))
		}
		return ec2.NewSecurityGroup(ctx, fmt.Sprintf("%s-%s-sg", name, role), &ec2.SecurityGroupArgs{
			VpcId:       v.ID(),
			Description: pulumi.String(desc),
			// Groups reference each other; revoking rules first lets them be deleted in any order.
			RevokeRulesOnDelete: pulumi.Bool(true),
			Tags:                pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), role)},
		}, groupOpts...)
	}
	roles := []struct{ role, desc string }{
		{"alb", "Application load balancer"},
		{"app", "WAS fleet (blue and green)"},
		{"bastion", "Bastion host"},
		{"db", "RDS MySQL"},
		{"cache", "ElastiCache Redis"},
		{"endpoints", "VPC interface endpoints"},
		{"rotation", "Secrets Manager rotation function (RDS master password)"},
	}
	sg := map[string]*ec2.SecurityGroup{}
	for _, r := range roles {
		g, err := group(r.role, r.desc)
		if err != nil {
			return nil, fmt.Errorf("%s security group: %w", r.role, err)
		}
		sg[r.role] = g
	}
	return sg, nil
}

// trafficMatrix is every flow a stack allows, in registration order, between the groups sg of
// securityGroups and the networks of the firewall settings.
func trafficMatrix(a *NetworkArgs, sg map[string]*ec2.SecurityGroup, cloudFrontPrefixList string) []flow {
	f := a.Firewall
	alb, app, bastion := peer{name: "alb", sg: sg["alb"]}, peer{name: "app", sg: sg["app"]}, peer{name: "bastion", sg: sg["bastion"]}
	db, cache, endpoints := peer{name: "db", sg: sg["db"]}, peer{name: "cache", sg: sg["cache"]}, peer{name: "endpoints", sg: sg["endpoints"]}
	rotation := peer{name: "rotation", sg: sg["rotation"]}
	internet := peer{name: "internet", cidr: "0.0.0.0/0"}

	cloudFront := peer{name: "cloudfront", prefixList: pulumi.String(cloudFrontPrefixList)}
	flows := []flow{
		{cloudFront, alb, f.ProductionPort, "CloudFront origin-facing servers to the ALB production listener (viewers come only through CloudFront)"},
	}
	if f.TestListenerPort != 0 {
		for i, c := range f.TestListenerCIDRs {
			flows = append(flows, flow{peer{name: fmt.Sprintf("deploy%d", i), cidr: c}, alb, f.TestListenerPort, "deploy network to the ALB test listener"})
		}
	}
	flows = append(flows,
		flow{alb, app, f.AppPort, "ALB to the application (traffic and health checks)"},
		flow{app, db, f.DatabasePort, "application to MySQL"},
		flow{bastion, db, f.DatabasePort, "bastion to MySQL (port forwarding for admins)"},
		flow{app, cache, f.CachePort, "application to Redis"},
		flow{app, internet, 443, "application to AWS APIs, ECR and package repositories over HTTPS"},
		flow{bastion, internet, 443, "bastion to Systems Manager and package repositories over HTTPS"},
		// The rotation function runs in the app subnets: it logs in to MySQL to set the new
		// password, and calls the Secrets Manager API through the NAT gateway or, with
		// interface endpoints, through the secretsmanager endpoint (whose private DNS name is
		// the regional one).
		flow{rotation, db, f.DatabasePort, "password rotation function to MySQL"},
	)
	if a.NATGateways != NATNone {
		flows = append(flows, flow{rotation, internet, 443, "password rotation function to the Secrets Manager API over HTTPS"})
	}
	for i, c := range f.AdminCIDRs {
		flows = append(flows, flow{peer{name: fmt.Sprintf("admin%d", i), cidr: c}, bastion, 22, "admin network to the bastion over SSH"})
	}
	if a.InterfaceEndpoints {
		flows = append(flows,
			flow{app, endpoints, 443, "application to VPC interface endpoints"},
			flow{bastion, endpoints, 443, "bastion to VPC interface endpoints"},
			flow{rotation, endpoints, 443, "password rotation function to the Secrets Manager endpoint"},
		)
	}

	return flows
}

func (fl flow) register(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var out []pulumi.Resource
	if fl.to.sg != nil {
		args := &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: fl.to.sg.ID(),
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(fl.port),
			ToPort:          pulumi.Int(fl.port),
			Description:     pulumi.Sprintf("allow %s from %s on %d: %s", fl.to.name, fl.from.name, fl.port, fl.why),
		}
		switch {
		case fl.from.sg != nil:
			args.ReferencedSecurityGroupId = fl.from.sg.ID()
		case fl.from.prefixList != nil:
			args.PrefixListId = fl.from.prefixList
		default:
			args.CidrIpv4 = pulumi.String(fl.from.cidr)
		}
		rn := fmt.Sprintf("%s-%s-from-%s-%d", name, fl.to.name, fl.from.name, fl.port)
		rule, err := vpc.NewSecurityGroupIngressRule(ctx, rn, args, opts...)
		if err != nil {
			return nil, fmt.Errorf("ingress rule %s: %w", rn, err)
		}
		out = append(out, rule)
	}
	if fl.from.sg != nil {
		args := &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: fl.from.sg.ID(),
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(fl.port),
			ToPort:          pulumi.Int(fl.port),
			Description:     pulumi.Sprintf("allow %s to %s on %d: %s", fl.from.name, fl.to.name, fl.port, fl.why),
		}
		switch {
		case fl.to.sg != nil:
			args.ReferencedSecurityGroupId = fl.to.sg.ID()
		case fl.to.prefixList != nil:
			args.PrefixListId = fl.to.prefixList
		default:
			args.CidrIpv4 = pulumi.String(fl.to.cidr)
		}
		rn := fmt.Sprintf("%s-%s-to-%s-%d", name, fl.from.name, fl.to.name, fl.port)
		rule, err := vpc.NewSecurityGroupEgressRule(ctx, rn, args, opts...)
		if err != nil {
			return nil, fmt.Errorf("egress rule %s: %w", rn, err)
		}
		out = append(out, rule)
	}
	return out, nil
}
