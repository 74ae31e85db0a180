package resilience

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Subnet Tier tags the analysis reads.
const (
	tierPublic = "public"
	tierApp    = "app"
)

// indexSubnets records every subnet's AZ and Tier tag; the AZs of the subnets are the AZs a
// report loses one at a time.
func (a *analyzer) indexSubnets() error {
	subnets := a.s.ByType(contract.TypeEC2Subnet)
	if len(subnets) == 0 {
		return fmt.Errorf("resilience: the stack registers no subnet (%s): there is no AZ to lose", contract.TypeEC2Subnet)
	}
	a.subnets = map[*mockaws.Resource]subnetInfo{}
	var azs []string
	for _, r := range subnets {
		az := str(r.Input("availabilityZone"))
		if !known(az) {
			return fmt.Errorf("resilience: subnet %s: availabilityZone is %s: cannot tell which AZ it is in", r.Name, show(r.Input("availabilityZone")))
		}
		a.subnets[r] = subnetInfo{name: r.Name, az: az, tier: str(r.Input("tags", "Tier"))}
		azs = append(azs, az)
	}
	a.azs = distinct(azs)
	return nil
}

// subnet resolves a subnet ID to the registered subnet.
func (a *analyzer) subnet(ref any) (*mockaws.Resource, subnetInfo, error) {
	r := a.s.Ref(ref, contract.TypeEC2Subnet)
	if r == nil {
		return nil, subnetInfo{}, fmt.Errorf("subnet %s is not a registered subnet", show(ref))
	}
	return r, a.subnets[r], nil
}

// subnetAZs resolves subnet IDs to the distinct AZs they are in.
func (a *analyzer) subnetAZs(refs []any) ([]string, error) {
	var azs []string
	for _, ref := range refs {
		_, info, err := a.subnet(ref)
		if err != nil {
			return nil, err
		}
		azs = append(azs, info.az)
	}
	return distinct(azs), nil
}

// defaultRoute is where a subnet's 0.0.0.0/0 route goes.
type defaultRoute struct {
	// nat is the NAT gateway the route targets, nil for any other target (an internet or
	// transit gateway, which no single AZ holds).
	nat *mockaws.Resource
	// natAZ is the AZ of the NAT gateway's subnet.
	natAZ string
}

// indexEgress resolves the NAT gateways to their AZs, every subnet to its default route, and
// every interface endpoint to the AZs of its subnets.
func (a *analyzer) indexEgress() error {
	a.nats = map[*mockaws.Resource]string{}
	for _, n := range a.s.ByType(contract.TypeEC2NatGateway) {
		_, info, err := a.subnet(n.Input("subnetId"))
		if err != nil {
			return fmt.Errorf("NAT gateway %s: %w", n.Name, err)
		}
		a.nats[n] = info.az
	}

	target := func(natRef any) (defaultRoute, error) {
		if natRef == nil {
			return defaultRoute{}, nil
		}
		n := a.s.Ref(natRef, contract.TypeEC2NatGateway)
		if n == nil {
			return defaultRoute{}, fmt.Errorf("natGatewayId %s is not a registered NAT gateway", show(natRef))
		}
		return defaultRoute{nat: n, natAZ: a.nats[n]}, nil
	}
	tables := map[*mockaws.Resource]defaultRoute{}
	for _, rt := range a.s.ByType(contract.TypeEC2RouteTable) {
		for _, raw := range list(rt.Input("routes")) {
			route := obj(raw)
			if str(route["cidrBlock"]) != "0.0.0.0/0" {
				continue
			}
			d, err := target(route["natGatewayId"])
			if err != nil {
				return fmt.Errorf("route table %s: inline default route: %w", rt.Name, err)
			}
			tables[rt] = d
		}
	}
	for _, r := range a.s.ByType(contract.TypeEC2Route) {
		if str(r.Input("destinationCidrBlock")) != "0.0.0.0/0" {
			continue
		}
		rt := a.s.Ref(r.Input("routeTableId"), contract.TypeEC2RouteTable)
		if rt == nil {
			return fmt.Errorf("route %s: routeTableId %s is not a registered route table", r.Name, show(r.Input("routeTableId")))
		}
		d, err := target(r.Input("natGatewayId"))
		if err != nil {
			return fmt.Errorf("route %s: %w", r.Name, err)
		}
		tables[rt] = d
	}
	a.routes = map[*mockaws.Resource]defaultRoute{}
	for _, as := range a.s.ByType(contract.TypeEC2RouteTableAssociation) {
		if as.Input("subnetId") == nil {
			continue // a gateway's association, not a subnet's
		}
		sub, _, err := a.subnet(as.Input("subnetId"))
		if err != nil {
			return fmt.Errorf("route table association %s: %w", as.Name, err)
		}
		rt := a.s.Ref(as.Input("routeTableId"), contract.TypeEC2RouteTable)
		if rt == nil {
			return fmt.Errorf("route table association %s: routeTableId %s is not a registered route table", as.Name, show(as.Input("routeTableId")))
		}
		if d, ok := tables[rt]; ok {
			a.routes[sub] = d
		}
	}

	a.endpoints = map[string][]string{}
	for _, e := range a.s.ByType(contract.TypeEC2VPCEndpoint) {
		if str(e.Input("vpcEndpointType")) != "Interface" {
			continue
		}
		azs, err := a.subnetAZs(list(e.Input("subnetIds")))
		if err != nil {
			return fmt.Errorf("interface endpoint %s: %w", e.Name, err)
		}
		svc := service(str(e.Input("serviceName")))
		a.endpoints[svc] = distinct(append(a.endpoints[svc], azs...))
	}
	return nil
}

// service turns an endpoint's service name ("com.amazonaws.ap-northeast-2.ecr.api") into the
// service ("ecr.api").
func service(name string) string {
	if parts := strings.SplitN(name, ".", 4); len(parts) == 4 && parts[0] == "com" {
		return parts[3]
	}
	return name
}

// endpointOutside reports whether the interface endpoint of a service has a subnet outside the
// lost AZ.
func (a *analyzer) endpointOutside(svc, lost string) bool {
	return len(without(a.endpoints[svc], lost)) > 0
}

// anyEndpointOutside reports whether any interface endpoint has a subnet outside the lost AZ.
func (a *analyzer) anyEndpointOutside(lost string) bool {
	for svc := range a.endpoints {
		if a.endpointOutside(svc, lost) {
			return true
		}
	}
	return false
}

// keepsEgress reports whether a subnet still has a default route when an AZ is lost: one that
// does not go through a NAT gateway in that AZ.
func (a *analyzer) keepsEgress(sub *mockaws.Resource, lost string) bool {
	d, ok := a.routes[sub]
	return ok && (d.nat == nil || d.natAZ != lost)
}

// egress judges the default routes of the app subnets that survive: each must still reach a
// NAT gateway outside the lost AZ.
func (a *analyzer) egress() (judge, error) {
	var app []*mockaws.Resource
	for _, r := range a.s.ByType(contract.TypeEC2Subnet) {
		if a.subnets[r].tier == tierApp {
			app = append(app, r)
		}
	}
	if len(app) == 0 {
		return nil, nil
	}
	slices.SortFunc(app, func(x, y *mockaws.Resource) int { return strings.Compare(a.subnets[x].az, a.subnets[y].az) })
	return func(lost string) TierVerdict {
		if len(a.nats) == 0 {
			if len(a.endpoints) == 0 {
				return TierVerdict{Status: Serves, Reason: "the stack has no NAT gateway and no interface endpoint: the app subnets have no egress to lose"}
			}
			return TierVerdict{Status: Serves, Reason: "the stack has no NAT gateway: the app subnets reach AWS services through interface endpoints only, so there is no egress to lose"}
		}
		var kept, cut []string
		keptSubnets, cutSubnets := 0, 0
		ownAZ := true
		for _, sub := range app {
			info := a.subnets[sub]
			d, ok := a.routes[sub]
			if info.az == lost || !ok || d.nat == nil {
				continue
			}
			if d.natAZ == lost {
				cut, cutSubnets = append(cut, info.az), cutSubnets+1
				continue
			}
			kept, keptSubnets = append(kept, info.az), keptSubnets+1
			ownAZ = ownAZ && d.natAZ == info.az
		}
		kept, cut = distinct(kept), distinct(cut)
		if len(cut) == 0 {
			switch {
			case len(kept) == 0:
				return TierVerdict{Status: Serves, Reason: "no app subnet outside the lost AZ routes through a NAT gateway"}
			case ownAZ && keptSubnets == 1:
				return TierVerdict{Status: Serves, Reason: fmt.Sprintf("the app subnet in %s routes to the NAT gateway in its own AZ", kept[0])}
			case ownAZ:
				return TierVerdict{Status: Serves, Reason: fmt.Sprintf("the app subnets in %s each route to the NAT gateway in their own AZ", and(kept))}
			default:
				return TierVerdict{Status: Serves, Reason: fmt.Sprintf("the app subnets in %s route to NAT gateways outside the lost AZ", and(kept))}
			}
		}
		v := TierVerdict{Reason: fmt.Sprintf("the app subnets in %s route 0.0.0.0/0 to the NAT gateway in the lost AZ", and(cut))}
		if cutSubnets == 1 {
			v.Reason = fmt.Sprintf("the app subnet in %s routes 0.0.0.0/0 to the NAT gateway in the lost AZ", cut[0])
		}
		if a.anyEndpointOutside(lost) {
			v.Status = Degraded
			v.Reason += ": internet egress from there is lost, though AWS services stay reachable through the interface endpoints"
		} else {
			v.Status = Down
			if len(kept) > 0 {
				v.Status = Degraded
			}
			v.Reason += ": no egress from there (ECR, SSM, Secrets Manager, the internet) until the AZ returns"
		}
		if len(kept) > 0 {
			v.Reason += fmt.Sprintf("; the app subnets in %s keep theirs", and(kept))
		}
		return v
	}, nil
}

// loadBalancers judges each load balancer by the AZs of its subnets: it serves while one of
// them survives.
func (a *analyzer) loadBalancers() (judge, error) {
	lbs := a.s.ByType(contract.TypeLBLoadBalancer)
	if len(lbs) == 0 {
		return nil, nil
	}
	type model struct {
		label string
		azs   []string
	}
	var models []model
	for _, lb := range lbs {
		refs := list(lb.Input("subnets"))
		for _, m := range list(lb.Input("subnetMappings")) {
			refs = append(refs, obj(m)["subnetId"])
		}
		if len(refs) == 0 {
			return nil, fmt.Errorf("load balancer %s registers no subnets", lb.Name)
		}
		azs, err := a.subnetAZs(refs)
		if err != nil {
			return nil, fmt.Errorf("load balancer %s: %w", lb.Name, err)
		}
		label := "the load balancer"
		if len(lbs) > 1 {
			label = "load balancer " + lb.Name
		}
		models = append(models, model{label, azs})
	}
	return func(lost string) TierVerdict {
		var parts []part
		for _, m := range models {
			rest := without(m.azs, lost)
			switch {
			case len(rest) == 0:
				parts = append(parts, part{Down, fmt.Sprintf("%s has subnets only in the lost AZ", m.label)})
			case len(rest) == len(m.azs):
				parts = append(parts, part{Serves, fmt.Sprintf("%s has no subnet in the lost AZ", m.label)})
			case len(rest) == 1:
				parts = append(parts, part{Serves, fmt.Sprintf("%s keeps its subnet in %s; with one AZ left its subnets cannot be changed until a second is back (an ALB needs two)", m.label, rest[0])})
			default:
				parts = append(parts, part{Serves, fmt.Sprintf("%s keeps its subnets in %s (an ALB needs two AZs only when its subnets are set)", m.label, and(rest))})
			}
		}
		return combine(parts)
	}, nil
}

// bastion reports each standalone instance: admin access only, lost with its AZ.
func (a *analyzer) bastion() (judge, error) {
	instances := a.s.ByType(contract.TypeEC2Instance)
	if len(instances) == 0 {
		return nil, nil
	}
	type model struct {
		label string
		info  subnetInfo
	}
	var models []model
	for _, r := range instances {
		if r.Input("subnetId") == nil {
			return nil, errors.New("instance " + r.Name + " has no subnetId: cannot tell which AZ it is in")
		}
		_, info, err := a.subnet(r.Input("subnetId"))
		if err != nil {
			return nil, fmt.Errorf("instance %s: %w", r.Name, err)
		}
		label := "the bastion"
		if len(instances) > 1 {
			label = "instance " + r.Name
		}
		models = append(models, model{label, info})
	}
	return func(lost string) TierVerdict {
		var parts []part
		for _, m := range models {
			where := m.info.az
			if m.info.tier != "" {
				where = fmt.Sprintf("its %s subnet in %s", m.info.tier, m.info.az)
			}
			if m.info.az == lost {
				parts = append(parts, part{Down, fmt.Sprintf("%s is a single instance in the lost AZ (%s): admin access waits until it is relaunched elsewhere; no user request goes through it", m.label, where)})
				continue
			}
			parts = append(parts, part{Serves, fmt.Sprintf("%s is in %s", m.label, m.info.az)})
		}
		return combine(parts)
	}, nil
}
