package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// VPC-level checks: default security group, flow logs, endpoints, subnets, NAT, firewall rules.
func init() {
	register(
		&Check{
			ID: "EC2.2", Title: "VPC default security group should not allow inbound or outbound traffic",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcDefaultSG,
		},
		&Check{
			ID: "EC2.6", Title: "VPC flow logging should be enabled (rejected or all traffic)",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcFlowLogs,
		},
		&Check{
			ID: "EC2.10", Title: "VPC should have an interface endpoint for the EC2 API",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcEndpoint("ec2"),
		},
		&Check{
			ID: "EC2.55", Title: "VPC should have an interface endpoint for the ECR API",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcEndpoint("ecr.api"),
		},
		&Check{
			ID: "EC2.56", Title: "VPC should have an interface endpoint for the Docker registry (ECR)",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcEndpoint("ecr.dkr"),
		},
		&Check{
			ID: "EC2.57", Title: "VPC should have an interface endpoint for Systems Manager",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeEC2VPC}, Eval: vpcEndpoint("ssm"),
		},
		&Check{
			ID: "EC2.15", Title: "Subnets should not automatically assign public IP addresses",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2Subnet},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isTrue(in(r, "mapPublicIpOnLaunch")) {
					return bad("%s; instances launched here get a public IPv4 address", field(r, "mapPublicIpOnLaunch"))
				}
				return ok("%s", field(r, "mapPublicIpOnLaunch"))
			},
		},
		&Check{
			ID: "EC2.18", Title: "Security groups should allow unrestricted ingress only on authorized ports (80, 443)",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: ingressTypes, Eval: openIngress(authorizedPorts, false),
		},
		&Check{
			ID: "EC2.19", Title: "Security groups should not allow unrestricted access to high-risk ports",
			Severity: Critical, Scope: AllStacks, Standard: FSBP, Types: ingressTypes, Eval: openIngress(highRiskPorts, true),
		},
		&Check{
			ID: "EC2.21", Title: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or 3389",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2NetworkACLRule}, Eval: naclAdminPorts,
		},
		&Check{
			ID: "REL10-BP01/subnets", Title: "Every subnet tier should span at least two availability zones",
			Severity: Medium, Scope: AllStacks, Standard: WellArchitected, Types: []string{contract.TypeEC2VPC}, Eval: vpcSubnetAZs,
		},
		&Check{
			ID: "REL10-BP01/nat", Title: "Private subnets should reach the internet through a NAT gateway in their own AZ",
			Severity: Medium, Scope: ProductionOnly, Standard: WellArchitected, Types: []string{contract.TypeEC2RouteTable}, Eval: natPerAZ,
		},
	)
}

var ingressTypes = []string{contract.TypeVPCSecurityGroupIngressRule, contract.TypeEC2SecurityGroupRule, contract.TypeEC2SecurityGroup}

// authorizedPorts may be open to the internet (EC2.18's default parameter).
var authorizedPorts = []int{80, 443}

// highRiskPorts must never be open to the internet (EC2.19's list).
var highRiskPorts = []int{20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300}

func vpcDefaultSG(s *Stack, r *mockaws.Resource) Verdict {
	groups := s.Referring(r, contract.TypeEC2DefaultSecurityGroup, "vpcId")
	if len(groups) == 0 {
		return bad("no %s adopts the VPC's default security group, which keeps AWS's allow-all rules", contract.TypeEC2DefaultSecurityGroup)
	}
	for _, g := range groups {
		for _, dir := range []string{"ingress", "egress"} {
			if rules := list(in(g, dir)); len(rules) > 0 {
				return bad("default security group %s has %d %s rule(s): %s", g.Name, len(rules), dir, show(in(g, dir)))
			}
		}
	}
	return ok("default security group %s is adopted with no rules", groups[0].Name)
}

func vpcFlowLogs(s *Stack, r *mockaws.Resource) Verdict {
	logs := s.Referring(r, contract.TypeEC2FlowLog, "vpcId")
	if len(logs) == 0 {
		return bad("no %s has vpcId = %q", contract.TypeEC2FlowLog, r.ID)
	}
	var problems []string
	for _, fl := range logs {
		traffic := str(in(fl, "trafficType"))
		dest := str(in(fl, "logDestinationType"))
		switch {
		case traffic != "ALL" && traffic != "REJECT":
			problems = append(problems, fmt.Sprintf("flow log %s: %s, want \"ALL\" or \"REJECT\"", fl.Name, field(fl, "trafficType")))
		case (dest == "" || dest == "cloud-watch-logs") && in(fl, "iamRoleArn") == nil:
			problems = append(problems, fmt.Sprintf("flow log %s: logDestinationType is %s but iamRoleArn is not set", fl.Name, show(in(fl, "logDestinationType"))))
		default:
			return ok("flow log %s records %s traffic to %s", fl.Name, traffic, show(in(fl, "logDestinationType")))
		}
	}
	return bad("%s", strings.Join(problems, "; "))
}

func vpcEndpoint(service string) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		var found []string
		for _, ep := range s.Referring(r, contract.TypeEC2VPCEndpoint, "vpcId") {
			name := str(in(ep, "serviceName"))
			if !strings.HasSuffix(name, "."+service) {
				continue
			}
			if t := str(in(ep, "vpcEndpointType")); t != "Interface" {
				found = append(found, fmt.Sprintf("%s has %s", ep.Name, field(ep, "vpcEndpointType")))
				continue
			}
			if !isTrue(in(ep, "privateDnsEnabled")) {
				found = append(found, fmt.Sprintf("%s has %s", ep.Name, field(ep, "privateDnsEnabled")))
				continue
			}
			return ok("interface endpoint %s serves %s with private DNS", ep.Name, name)
		}
		if len(found) > 0 {
			return bad("the %s endpoint is not a usable interface endpoint: %s", service, strings.Join(found, "; "))
		}
		return bad("no %s with vpcEndpointType \"Interface\" and serviceName \"com.amazonaws.<region>.%s\" has vpcId = %q", contract.TypeEC2VPCEndpoint, service, r.ID)
	}
}

// ingressRule is one ingress permission, whatever resource type holds it.
type ingressRule struct {
	where      string
	cidrs      []string
	protocol   string
	from, to   int
	allPorts   bool
	ingressDir bool
}

func ingressRules(r *mockaws.Resource) []ingressRule {
	ports := func(proto string, from, to any) (int, int, bool) {
		if proto == "-1" || proto == "all" {
			return 0, 65535, true
		}
		f, okf := num(from)
		t, okt := num(to)
		if !okf || !okt {
			return 0, 65535, true
		}
		return int(f), int(t), false
	}
	switch r.Type {
	case contract.TypeVPCSecurityGroupIngressRule:
		proto := str(in(r, "ipProtocol"))
		f, t, all := ports(proto, in(r, "fromPort"), in(r, "toPort"))
		return []ingressRule{{where: "", cidrs: append(strs(in(r, "cidrIpv4")), strs(in(r, "cidrIpv6"))...), protocol: proto, from: f, to: t, allPorts: all, ingressDir: true}}
	case contract.TypeEC2SecurityGroupRule:
		proto := str(in(r, "protocol"))
		f, t, all := ports(proto, in(r, "fromPort"), in(r, "toPort"))
		return []ingressRule{{where: "", cidrs: append(strs(in(r, "cidrBlocks")), strs(in(r, "ipv6CidrBlocks"))...), protocol: proto, from: f, to: t, allPorts: all,
			ingressDir: str(in(r, "type")) == "ingress"}}
	case contract.TypeEC2SecurityGroup:
		var out []ingressRule
		for i, raw := range list(in(r, "ingress")) {
			m := obj(raw)
			proto := str(m["protocol"])
			f, t, all := ports(proto, m["fromPort"], m["toPort"])
			out = append(out, ingressRule{where: fmt.Sprintf("ingress[%d] ", i), cidrs: append(strs(m["cidrBlocks"]), strs(m["ipv6CidrBlocks"])...), protocol: proto, from: f, to: t, allPorts: all, ingressDir: true})
		}
		return out
	}
	return nil
}

func (ir ingressRule) open() string {
	for _, c := range ir.cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			return c
		}
	}
	return ""
}

func (ir ingressRule) portText() string {
	if ir.allPorts {
		return fmt.Sprintf("all ports (protocol %q)", ir.protocol)
	}
	if ir.from == ir.to {
		return fmt.Sprintf("port %d", ir.from)
	}
	return fmt.Sprintf("ports %d-%d", ir.from, ir.to)
}

// openIngress judges rules open to the internet: with deny set, none of ports may be reachable
// (EC2.19); otherwise only ports may be (EC2.18).
func openIngress(ports []int, deny bool) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		rules := ingressRules(r)
		judged := false
		for _, ir := range rules {
			if !ir.ingressDir {
				continue
			}
			judged = true
			cidr := ir.open()
			if cidr == "" {
				continue
			}
			if deny {
				for _, p := range ports {
					if ir.allPorts || (p >= ir.from && p <= ir.to) {
						return bad("%sopens %s to %s, including high-risk port %d", ir.where, ir.portText(), cidr, p)
					}
				}
				continue
			}
			if ir.allPorts || ir.from != ir.to || !containsInt(ports, ir.from) {
				return bad("%sopens %s to %s; only ports %s may be open to the internet", ir.where, ir.portText(), cidr, joinInts(ports))
			}
		}
		if !judged {
			return skip("no ingress rule")
		}
		if deny {
			return ok("opens no high-risk port to the internet")
		}
		return ok("opens no port other than %s to the internet", joinInts(ports))
	}
}

func naclAdminPorts(s *Stack, r *mockaws.Resource) Verdict {
	if isTrue(in(r, "egress")) {
		return skip("egress rule")
	}
	if str(in(r, "ruleAction")) != "allow" {
		return ok("%s", field(r, "ruleAction"))
	}
	cidr := str(in(r, "cidrBlock"))
	if v6 := str(in(r, "ipv6CidrBlock")); v6 == "::/0" {
		cidr = v6
	}
	if cidr != "0.0.0.0/0" && cidr != "::/0" {
		return ok("allows only %s", cidr)
	}
	proto := str(in(r, "protocol"))
	from, _ := num(in(r, "fromPort"))
	to, _ := num(in(r, "toPort"))
	for _, p := range []float64{22, 3389} {
		if proto == "-1" || proto == "all" || ((proto == "tcp" || proto == "6") && p >= from && p <= to) {
			return bad("allows %s from %s on protocol %q ports %s-%s, including port %d", "ingress", cidr, proto, show(from), show(to), int(p))
		}
	}
	return ok("does not open port 22 or 3389 to %s", cidr)
}

// subnetsOf returns the subnets of a VPC.
func subnetsOf(s *Stack, vpc *mockaws.Resource) []*mockaws.Resource {
	return s.Referring(vpc, contract.TypeEC2Subnet, "vpcId")
}

// az returns the availability zone of a subnet (input, or provider state).
func az(r *mockaws.Resource) string {
	if a := str(in(r, "availabilityZone")); a != "" {
		return a
	}
	return str(r.Output("availabilityZone"))
}

func vpcSubnetAZs(s *Stack, r *mockaws.Resource) Verdict {
	subnets := subnetsOf(s, r)
	if len(subnets) == 0 {
		return bad("has no subnets")
	}
	tiers := map[string]map[string]bool{}
	for _, sn := range subnets {
		tier := str(in(sn, "tags.Tier"))
		if tiers[tier] == nil {
			tiers[tier] = map[string]bool{}
		}
		tiers[tier][az(sn)] = true
	}
	var names []string
	for t := range tiers {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		if len(tiers[t]) < 2 {
			label := "subnets without a Tier tag"
			if t != "" {
				label = fmt.Sprintf("Tier %q subnets", t)
			}
			return bad("%s are all in %s; every tier needs at least two availability zones", label, strings.Join(keys(tiers[t]), ", "))
		}
	}
	return ok("every subnet tier (%s) spans at least two availability zones", strings.Join(names, ", "))
}

func natPerAZ(s *Stack, r *mockaws.Resource) Verdict {
	var nat *mockaws.Resource
	for _, route := range s.Referring(r, contract.TypeEC2Route, "routeTableId") {
		if n := s.Ref(in(route, "natGatewayId"), contract.TypeEC2NatGateway); n != nil {
			nat = n
			break
		}
	}
	if nat == nil {
		return skip("no route to a NAT gateway")
	}
	natSubnet := s.Ref(in(nat, "subnetId"), contract.TypeEC2Subnet)
	if natSubnet == nil {
		return bad("NAT gateway %s: subnetId is %s, not a subnet of this stack", nat.Name, show(in(nat, "subnetId")))
	}
	natAZ := az(natSubnet)
	for _, assoc := range s.Referring(r, contract.TypeEC2RouteTableAssociation, "routeTableId") {
		sn := s.Ref(in(assoc, "subnetId"), contract.TypeEC2Subnet)
		if sn != nil && az(sn) != natAZ {
			return bad("routes subnet %s in %s through NAT gateway %s in %s; losing %s cuts %s's egress", sn.Name, az(sn), nat.Name, natAZ, natAZ, az(sn))
		}
	}
	return ok("routes through NAT gateway %s in its own AZ %s", nat.Name, natAZ)
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}
