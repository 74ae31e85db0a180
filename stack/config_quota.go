package stack

import "github.com/webstack/webstack/network"

// validateQuotas checks the quotas a stack file can reach across sections: the Elastic IP
// addresses of the NAT gateways (network.ElasticIPsPerRegion) and the inbound rules of the
// ALB's and the bastion's security groups (network.RulesPerSecurityGroup, counted as
// network.ALBInboundRules and network.BastionInboundRules count them). CloudFront's
// origin-facing prefix list weighs network.CloudFrontPrefixListWeight of the ALB group's 60
// inbound rules, so only a few deploy networks fit next to it; one more fails the rule at
// `pulumi up` with `RulesPerSecurityGroupLimitExceeded: The maximum number of rules per
// security group has been reached.` (AWS VPC User Guide, "AWS-managed prefix lists";
// terraform-aws-modules/terraform-aws-alb#400).
func (c *Config) validateQuotas(p *problems) {
	fw := network.FirewallArgs{
		TestListenerPort:  c.App.TestListenerPort,
		TestListenerCIDRs: c.App.TestListenerCIDRs,
		AdminCIDRs:        c.Bastion.AllowedCIDRs,
	}
	if key := Namespace + ":app.testListenerCidrs"; !hasProblem(p, key) && !hasProblem(p, Namespace+":app.testListenerPort") {
		c.validateALBRules(p, network.CloudFrontPrefixListWeight)
	}
	// One Elastic IP address per NAT gateway; a fresh account holds 5 per region, shared by every
	// stack in that account and region (prod's 3 and dev's and test's 1 each use all 5).
	if n := c.Network; !hasProblem(p, Namespace+":network.azCount") && !hasProblem(p, Namespace+":network.natGateways") {
		if eips := network.NATGatewayCount(n.NATGateways, n.AZCount); eips > network.ElasticIPsPerRegion {
			p.add(Namespace+":network.azCount", "%d with natGateways %s needs %d NAT gateways and as many Elastic IP addresses, but an account holds %d per region "+
				"by default, shared by every stack in the account and region (AWS VPC User Guide, \"Amazon VPC quotas\"): use natGateways: single, or at most %d AZs",
				n.AZCount, quote(n.NATGateways), eips, network.ElasticIPsPerRegion, network.ElasticIPsPerRegion)
		}
	}
	if key := Namespace + ":bastion.allowedCidrs"; !hasProblem(p, key) {
		if n := network.BastionInboundRules(fw); n > network.RulesPerSecurityGroup {
			p.add(key, "%s lists %d admin networks; the bastion security group holds at most %d inbound rules (the default quota): list fewer or wider ranges",
				quote(c.Bastion.AllowedCIDRs), n, network.RulesPerSecurityGroup)
		}
	}
}

// validateALBRules checks the ALB security group's inbound rules against the quota, with
// CloudFront's origin-facing prefix list weighing weight: the documented
// network.CloudFrontPrefixListWeight when the config is loaded, the list's maxEntries as the
// region reports it once build has looked it up.
func (c *Config) validateALBRules(p *problems, weight int) {
	fw := network.FirewallArgs{TestListenerPort: c.App.TestListenerPort, TestListenerCIDRs: c.App.TestListenerCIDRs}
	if n := network.ALBInboundRules(fw, weight); n > network.RulesPerSecurityGroup {
		p.add(Namespace+":app.testListenerCidrs", "%s lists %d deploy networks, but at most %d fit: the ALB security group holds at most %d inbound rules (the default quota, "+
			"counted as AWS counts them) and CloudFront's origin-facing prefix list, which admits the production listener, counts as %d of them "+
			"(AWS VPC User Guide, \"AWS-managed prefix lists\"); list fewer or wider ranges",
			quote(c.App.TestListenerCIDRs), len(c.App.TestListenerCIDRs), max(network.MaxTestListenerCIDRs(weight), 0), network.RulesPerSecurityGroup, weight)
	}
}
