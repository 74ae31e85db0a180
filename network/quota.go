package network

import (
	"fmt"
	"net/netip"
)

// RulesPerSecurityGroup is the default quota of inbound rules, and separately of outbound
// rules, a security group may hold, counted per IP family. A rule that references a CIDR
// counts as one rule, one that references another security group counts as one, and one that
// references a managed prefix list counts as the list's maximum entries (its weight). Going
// over fails the rule with `RulesPerSecurityGroupLimitExceeded: The maximum number of rules per
// security group has been reached.` Source: Amazon VPC User Guide, "Amazon VPC quotas"
// (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups)
// and "Security group rules" ("Security group size"); terraform-aws-modules/terraform-aws-alb#400.
// The quota can be raised through Service Quotas (L-0EA8095F); webstack assumes the default.
const RulesPerSecurityGroup = 60

// CloudFrontPrefixListWeight is the weight AWS documents for CloudFrontOriginFacingPrefixList:
// a rule referencing it counts as 55 rules, which leaves 5 of the default 60 inbound rules of
// the ALB's security group. Source: Amazon VPC User Guide, "AWS-managed prefix lists"
// (https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html#aws-managed-prefix-list-weights).
// At run time the list's maxEntries as the region reports it is used instead
// (LookupCloudFrontPrefixList, NetworkArgs.CloudFrontPrefixList).
const CloudFrontPrefixListWeight = 55

// ElasticIPsPerRegion is the default quota of Elastic IP addresses an account holds in a
// region; the sixth allocation fails with `AddressLimitExceeded: The maximum number of addresses
// has been reached.` Source: Amazon VPC User Guide, "Amazon VPC quotas"
// (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-eips),
// hashicorp/terraform#6018. It can be raised through Service Quotas (L-0263D0A3).
//
// The quota is the account's, shared by every stack in the same account and region: webstack's
// own prod (natGateways perAz over 3 AZs: 3 addresses), dev and test (single: 1 each) use all 5,
// and any other Elastic IP in that account and region (another stack, a fourth environment)
// needs a raised quota or another account. webstack refuses only what it can see, a single
// stack that needs more than 5 (NetworkArgs.validate; the config check on
// webstack:network.azCount); it cannot count the other stacks' addresses.
const ElasticIPsPerRegion = 5

// NATGatewayCount is how many NAT gateways (and so Elastic IP addresses) a network with the
// given mode and number of AZs has: one per AZ (NATPerAZ), one (NATSingle) or none.
func NATGatewayCount(mode string, azs int) int {
	switch mode {
	case NATPerAZ:
		return azs
	case NATSingle:
		return 1
	}
	return 0
}

// ALBInboundRules is how many inbound rules the ALB's security group counts against
// RulesPerSecurityGroup: one rule from CloudFront's origin-facing prefix list on the production
// port (weighing prefixListWeight) and, with a test listener, one rule per deploy network.
// newFirewall registers exactly these (TestQuotaModelMatchesTheFirewall holds it).
func ALBInboundRules(f FirewallArgs, prefixListWeight int) int {
	n := prefixListWeight
	if f.TestListenerPort != 0 {
		n += len(f.TestListenerCIDRs)
	}
	return n
}

// BastionInboundRules is how many inbound rules the bastion's security group counts: one SSH
// rule per admin network.
func BastionInboundRules(f FirewallArgs) int {
	return len(f.AdminCIDRs)
}

// MaxTestListenerCIDRs is how many deploy networks fit in the ALB's security group next to
// CloudFront's prefix list of the given weight.
func MaxTestListenerCIDRs(prefixListWeight int) int {
	return RulesPerSecurityGroup - prefixListWeight
}

// checkQuota refuses a firewall whose groups would hold more inbound rules than the quota, and
// any outside CIDR that is not IPv4: every rule from or to a CIDR is registered as cidrIpv4.
// prefixListWeight is the CloudFront prefix list's maxEntries as looked up in the region.
func (f *FirewallArgs) checkQuota(prefixListWeight int) error {
	for _, c := range append(append([]string{}, f.TestListenerCIDRs...), f.AdminCIDRs...) {
		if p, err := netip.ParsePrefix(c); err == nil && !p.Addr().Is4() {
			return fmt.Errorf("firewall: cidr %q is IPv6; rules from outside networks take IPv4 CIDRs only", c)
		}
	}
	if n := ALBInboundRules(*f, prefixListWeight); n > RulesPerSecurityGroup {
		return fmt.Errorf("firewall: the ALB security group would hold %d inbound rules (the CloudFront prefix list weighs %d, plus %d test listener CIDRs); "+
			"a security group holds at most %d, so at most %d test listener CIDRs fit",
			n, prefixListWeight, len(f.TestListenerCIDRs), RulesPerSecurityGroup, MaxTestListenerCIDRs(prefixListWeight))
	}
	if n := BastionInboundRules(*f); n > RulesPerSecurityGroup {
		return fmt.Errorf("firewall: the bastion security group would hold %d inbound rules, more than the %d a security group holds", n, RulesPerSecurityGroup)
	}
	return nil
}
