package plan

import (
	"sort"
)

// The network of the diagram: the VPC, one subgraph per AZ with its subnets, the NAT
// gateways, the egress routes and the instances pinned to a subnet.

// vpcLabel names the VPC subgraph after the VPC's CIDR block.
func (a *arch) vpcLabel() string {
	for _, v := range a.byType[typeVPC] {
		if cidr := str(v.Inputs, "cidrBlock"); cidr != "" {
			return "VPC " + cidr
		}
	}
	return "VPC"
}

// tierRank orders subnets inside an AZ: public, app, data, then any other tier.
func tierRank(tier string) int {
	switch tier {
	case "public":
		return 0
	case "app":
		return 1
	case "data":
		return 2
	}
	return 3
}

// nameSubnets gives every subnet its node ID up front, so that the load balancer and the
// fleets, drawn before the AZs, can link to the subnets they span.
func (a *arch) nameSubnets() {
	a.subnets = append([]*Resource(nil), a.byType[typeSubnet]...)
	sort.SliceStable(a.subnets, func(i, j int) bool {
		ti, tj := tierRank(tag(a.subnets[i], "Tier")), tierRank(tag(a.subnets[j], "Tier"))
		if ti != tj {
			return ti < tj
		}
		return a.subnets[i].Name < a.subnets[j].Name
	})
	for _, s := range a.subnets {
		id := a.fc.id("sn", s.Name)
		a.node[s.URN] = id
		if s.ID != "" {
			a.subnetNode[s.ID] = id
			a.subnetZone[s.ID] = str(s.Inputs, "availabilityZone")
		}
	}
}

// network draws one subgraph per AZ holding its subnets, stacked public, app, data by
// invisible links, with the NAT gateways in the AZ of their subnet, the egress routes to
// them, and the instances (the bastion) linked to their subnet.
func (a *arch) network() {
	zones := map[string]bool{}
	for _, s := range a.subnets {
		if z := str(s.Inputs, "availabilityZone"); z != "" {
			zones[z] = true
		}
	}
	for _, z := range sortedKeys(zones) {
		a.azs[z] = a.fc.sub(a.vpc, a.fc.id("az", z), "AZ "+z)
	}
	previous := map[string]string{} // AZ → the node of its last subnet
	for _, s := range a.subnets {
		zone := str(s.Inputs, "availabilityZone")
		if prev := previous[zone]; prev != "" && zone != "" {
			// Keeps every AZ's subnets stacked in tier order, whatever links to them.
			a.fc.link(prev, invisible, a.node[s.URN], "")
		}
		previous[zone] = a.node[s.URN]
		tier := tag(s, "Tier")
		if tier == "" {
			tier = "other"
		}
		lines := []string{tier + " subnet"}
		if cidr := str(s.Inputs, "cidrBlock"); cidr != "" {
			lines = append(lines, cidr)
		}
		a.fc.add(a.azCluster(zone), a.node[s.URN], box, lines...)
	}

	for _, n := range a.byType[typeNATGateway] {
		id := a.fc.id("nat", n.Name)
		a.node[n.URN] = id
		a.fc.add(a.subnetCluster(str(n.Inputs, "subnetId")), id, rounded, "NAT gateway")
		a.fc.link(a.subnetNode[str(n.Inputs, "subnetId")], dottedLine, id, "")
	}
	a.egress()

	for _, inst := range a.byType[typeEC2Instance] {
		id := a.fc.id("host", inst.Name)
		a.node[inst.URN] = id
		lines := []string{role(inst, a.byURN)}
		if t := str(inst.Inputs, "instanceType"); t != "" {
			lines = append(lines, "EC2 "+t)
		}
		if public, ok := inst.Inputs["associatePublicIpAddress"].(bool); ok {
			if public {
				lines = append(lines, "public IP")
			} else {
				lines = append(lines, "no public IP")
			}
		}
		subnet := str(inst.Inputs, "subnetId")
		a.fc.add(a.vpc, id, box, lines...)
		a.fc.link(a.subnetNode[subnet], dottedLine, id, "")
	}
}

// azCluster is the subgraph of an AZ, or the VPC's when the AZ is unknown.
func (a *arch) azCluster(zone string) *cluster {
	if c := a.azs[zone]; c != nil && zone != "" {
		return c
	}
	return a.vpc
}

// subnetCluster is the subgraph of the AZ a subnet ID is in.
func (a *arch) subnetCluster(subnetID string) *cluster {
	return a.azCluster(a.subnetZone[subnetID])
}

// egress draws, for each subnet whose route table sends traffic to a NAT gateway, an edge to
// that gateway: one per AZ with a NAT per AZ, all to one with a single NAT.
func (a *arch) egress() {
	natByID := map[string]string{}
	for _, n := range a.byType[typeNATGateway] {
		natByID[n.ID] = a.node[n.URN]
	}
	nats := map[string][]string{} // route table ID → NAT node IDs
	for _, r := range a.byType[typeRoute] {
		if id := natByID[str(r.Inputs, "natGatewayId")]; id != "" {
			nats[str(r.Inputs, "routeTableId")] = append(nats[str(r.Inputs, "routeTableId")], id)
		}
	}
	for _, assoc := range a.byType[typeRouteTableAssoc] {
		from := a.subnetNode[str(assoc.Inputs, "subnetId")]
		for _, to := range nats[str(assoc.Inputs, "routeTableId")] {
			a.fc.link(from, solid, to, "egress")
		}
	}
}
