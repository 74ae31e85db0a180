package resilience

import (
	"fmt"
	"slices"
	"strings"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// asgModel is what the analysis needs of an Auto Scaling group.
type asgModel struct {
	name string
	// capacity is the desired capacity, or the minimum size when no desired capacity is set.
	capacity int
	// azs are the distinct AZs the group launches into.
	azs []string
	// subnets are its vpcZoneIdentifiers; nil when it names availabilityZones instead.
	subnets []*mockaws.Resource
}

// liveGroup is one target group the production listener forwards to, with its share of the
// traffic and the Auto Scaling groups behind it.
type liveGroup struct {
	share int
	asgs  []asgModel
}

// liveFleet finds the target groups the production listener forwards to (through its default
// action and its rules) and the Auto Scaling groups attached to them: the live color, whatever
// it is called. Auto Scaling balances a group's instances over its AZs, so with D instances
// over N AZs the lost AZ holds at most ceil(D/N) of them.
func (a *analyzer) liveFleet() (judge, error) {
	listeners, err := a.productionListeners()
	if err != nil || listeners == nil {
		return nil, err
	}
	t := &liveTraffic{a: a, shares: map[*mockaws.Resource]int{}}
	if err := t.collect(listeners); err != nil {
		return nil, err
	}
	if len(t.order) == 0 && t.fixed {
		// No release yet: production answers a fixed 503 (while the active color has no
		// version); no fleet serves, so none is judged.
		a.notes = append(a.notes, fmt.Sprintf("%s: not judged: the production listener forwards to no target group, it answers a fixed %s "+
			"(no release is deployed), so no fleet serves whichever AZ is lost", LiveFleet, compute.NoReleaseStatus))
		return nil, nil
	}
	if len(t.order) == 0 {
		return nil, fmt.Errorf("the production listener forwards to no target group: cannot tell which fleet is live")
	}
	groups, err := a.liveGroups(t.order, t.shares)
	if err != nil {
		return nil, err
	}
	return a.judgeLiveGroups(groups), nil
}

// liveTraffic collects where the production listeners send traffic: each target group's
// largest share in percent, the groups in the order first met, and whether a listener answers
// the fixed response of a color with no release.
type liveTraffic struct {
	a      *analyzer
	shares map[*mockaws.Resource]int
	order  []*mockaws.Resource
	fixed  bool
}

// collect follows the default actions of every listener and the actions of its rules, except
// the release tool's check rule.
func (t *liveTraffic) collect(listeners []*mockaws.Resource) error {
	for _, l := range listeners {
		if err := t.forward("listener "+l.Name, list(l.Input("defaultActions"))); err != nil {
			return err
		}
		for _, rule := range t.a.s.Referring(l, contract.TypeLBListenerRule, "listenerArn") {
			if releaseCheck(rule) {
				// It forwards only the release tool's requests to the idle color: no
				// production traffic.
				continue
			}
			if err := t.forward("listener rule "+rule.Name, list(rule.Input("actions"))); err != nil {
				return err
			}
		}
	}
	return nil
}

// forward records the target groups owner's actions forward to, with their share of its
// traffic.
func (t *liveTraffic) forward(owner string, actions []any) error {
	for _, raw := range actions {
		act := obj(raw)
		// The answer a listener gives in place of a color that runs no instances; a 403
		// gate (requests without CloudFront's header) is not one.
		if str(act["type"]) == "fixed-response" && str(obj(act["fixedResponse"])["statusCode"]) == compute.NoReleaseStatus {
			t.fixed = true
		}
		if str(act["type"]) != "forward" {
			continue
		}
		targets := weightedTargets(act)
		total := 0
		for _, w := range targets {
			total += w.weight
		}
		for _, w := range targets {
			tg := t.a.s.Ref(w.ref, contract.TypeLBTargetGroup)
			if tg == nil {
				return fmt.Errorf("%s forwards to %s, which is not a registered target group", owner, show(w.ref))
			}
			if w.weight == 0 || total == 0 {
				continue
			}
			if _, seen := t.shares[tg]; !seen {
				t.order = append(t.order, tg)
			}
			t.shares[tg] = max(t.shares[tg], 100*w.weight/total)
		}
	}
	return nil
}

// weightedTarget is a target group reference of a forward action and its weight.
type weightedTarget struct {
	ref    any
	weight int
}

// weightedTargets returns the target groups a forward action sends to: its weighted
// forward.targetGroups, or else its targetGroupArn with weight 1.
func weightedTargets(act map[string]any) []weightedTarget {
	var targets []weightedTarget
	if groups := list(obj(act["forward"])["targetGroups"]); len(groups) > 0 {
		for _, g := range groups {
			w, ok := num(obj(g)["weight"])
			if !ok {
				w = 1 // the provider's default weight
			}
			targets = append(targets, weightedTarget{obj(g)["arn"], w})
		}
	} else {
		targets = append(targets, weightedTarget{act["targetGroupArn"], 1})
	}
	return targets
}

// liveGroups returns, for each target group in order, its share and the Auto Scaling groups
// attached to it.
func (a *analyzer) liveGroups(order []*mockaws.Resource, shares map[*mockaws.Resource]int) ([]liveGroup, error) {
	var groups []liveGroup
	for _, tg := range order {
		g := liveGroup{share: shares[tg]}
		for _, asg := range a.s.ByType(contract.TypeAutoscalingGroup) {
			attached := false
			for _, ref := range list(asg.Input("targetGroupArns")) {
				attached = attached || a.s.Ref(ref, contract.TypeLBTargetGroup) == tg
			}
			if !attached {
				continue
			}
			m, err := a.asg(asg)
			if err != nil {
				return nil, err
			}
			g.asgs = append(g.asgs, m)
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// judgeLiveGroups judges the live fleet as the sum of its groups; during a canary, one group
// down while another serves is degraded, not down.
func (a *analyzer) judgeLiveGroups(groups []liveGroup) judge {
	return func(lost string) TierVerdict {
		var parts []part
		for _, g := range groups {
			label := "the live color"
			if len(groups) > 1 {
				label = fmt.Sprintf("the fleet taking %d%% of production traffic", g.share)
			}
			parts = append(parts, a.judgeFleet(label, g.asgs, lost))
		}
		v := combine(parts)
		// During a canary one color's share failing leaves the other serving.
		if v.Status == Down && slices.ContainsFunc(parts, func(p part) bool { return p.status == Serves }) {
			v.Status = Degraded
		}
		return v
	}
}

// productionListeners returns the listener the stack exports as its production listener, or,
// without that output, the listeners on ports 80 and 443; nil when there is no listener.
func (a *analyzer) productionListeners() ([]*mockaws.Resource, error) {
	all := a.s.ByType(contract.TypeLBListener)
	if len(all) == 0 {
		return nil, nil
	}
	if ref, ok := a.res.Outputs[contract.OutProductionListenerARN]; ok {
		l := a.s.Ref(ref, contract.TypeLBListener)
		if l == nil {
			return nil, fmt.Errorf("stack output %s is %s, which is not a registered listener", contract.OutProductionListenerARN, show(ref))
		}
		return []*mockaws.Resource{l}, nil
	}
	var out []*mockaws.Resource
	for _, l := range all {
		if port, _ := num(l.Input("port")); port == 80 || port == 443 {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no stack output %s and no listener on port 80 or 443: cannot tell which listener serves production", contract.OutProductionListenerARN)
	}
	return out, nil
}

// asg resolves an Auto Scaling group's capacity and AZs.
func (a *analyzer) asg(r *mockaws.Resource) (asgModel, error) {
	m := asgModel{name: r.Name}
	if n, ok := num(r.Input("desiredCapacity")); ok {
		m.capacity = n
	} else if n, ok := num(r.Input("minSize")); ok {
		m.capacity = n
	}
	var azs []string
	for _, ref := range list(r.Input("vpcZoneIdentifiers")) {
		sub, info, err := a.subnet(ref)
		if err != nil {
			return m, fmt.Errorf("auto scaling group %s: %w", r.Name, err)
		}
		m.subnets = append(m.subnets, sub)
		azs = append(azs, info.az)
	}
	if m.subnets == nil {
		for _, az := range list(r.Input("availabilityZones")) {
			azs = append(azs, str(az))
		}
	}
	m.azs = distinct(azs)
	if len(m.azs) == 0 {
		return m, fmt.Errorf("auto scaling group %s names neither vpcZoneIdentifiers nor availabilityZones", r.Name)
	}
	return m, nil
}

// judgeFleet judges the Auto Scaling groups behind one live target group.
func (a *analyzer) judgeFleet(label string, asgs []asgModel, lost string) part {
	if len(asgs) == 0 {
		return part{Down, label + " has no Auto Scaling group attached to its target group"}
	}
	total, survivors, inLost := 0, 0, false
	var replaceIn []string
	canPull := false
	for _, g := range asgs {
		total += g.capacity
		lostHere := 0
		if slices.Contains(g.azs, lost) {
			inLost = true
			lostHere = ceilDiv(g.capacity, len(g.azs))
		}
		survivors += g.capacity - min(lostHere, g.capacity)
		replaceIn = append(replaceIn, without(g.azs, lost)...)
		if g.subnets == nil {
			canPull = canPull || len(without(g.azs, lost)) > 0
		}
		for _, sub := range g.subnets {
			canPull = canPull || (a.subnets[sub].az != lost && a.canPullImage(sub, lost))
		}
	}
	replaceIn = distinct(replaceIn)
	spread := ""
	if len(asgs) == 1 {
		g := asgs[0]
		spread = fmt.Sprintf(" (%s over %s: at most %d in the lost AZ)", plural(g.capacity, "instance"), plural(len(g.azs), "AZ"), min(ceilDiv(g.capacity, len(g.azs)), g.capacity))
	}
	noPull := a.whyNoPull(asgs, lost)
	switch {
	case total == 0:
		return part{Down, label + " has no instances (desired capacity 0)"}
	case !inLost:
		return part{Serves, fmt.Sprintf("%s has no subnet in the lost AZ: all %s keep serving", label, plural(total, "instance"))}
	case survivors >= 1:
		replace := "the lost instance"
		if n := total - survivors; n > 1 {
			replace = fmt.Sprintf("the %d lost instances", n)
		}
		r := fmt.Sprintf("%s keeps at least %d of its %s%s; Auto Scaling replaces %s in %s", label, survivors, plural(total, "instance"), spread, replace, or(replaceIn))
		if !canPull {
			r += fmt.Sprintf(", though a replacement could not pull its image: %s", noPull)
		}
		return part{Serves, r}
	case len(replaceIn) == 0:
		return part{Down, fmt.Sprintf("every subnet of %s is in the lost AZ: it is down until the AZ returns", label)}
	}
	all := "its only instance"
	if total > 1 {
		all = fmt.Sprintf("all %d of its instances", total)
	}
	if !canPull {
		return part{Down, fmt.Sprintf("%s: %s may be in the lost AZ%s, and a replacement in %s could not pull its image (%s): down until the AZ returns", label, all, spread, or(replaceIn), noPull)}
	}
	return part{Down, fmt.Sprintf("%s: %s may be in the lost AZ%s: down until Auto Scaling launches a replacement in %s", label, all, spread, or(replaceIn))}
}

// whyNoPull says why no replacement in the surviving AZs could pull its image.
func (a *analyzer) whyNoPull(asgs []asgModel, lost string) string {
	var azs []string
	viaLost := true
	for _, g := range asgs {
		for _, sub := range g.subnets {
			if info := a.subnets[sub]; info.az != lost {
				azs = append(azs, info.az)
				d, ok := a.routes[sub]
				viaLost = viaLost && ok && d.nat != nil && d.natAZ == lost
			}
		}
	}
	subnets, have, routes := "its subnets", "have", "route"
	if len(azs) == 1 {
		subnets, have, routes = "its subnet", "has", "routes"
	}
	route := fmt.Sprintf("%s in %s %s no default route outside the lost AZ", subnets, and(distinct(azs)), have)
	if viaLost {
		route = fmt.Sprintf("%s in %s %s only through the NAT gateway in the lost AZ", subnets, and(distinct(azs)), routes)
	}
	endpoints := "the stack has no ECR interface endpoints"
	if len(a.endpoints["ecr.api"]) > 0 && len(a.endpoints["ecr.dkr"]) > 0 {
		endpoints = "its ECR interface endpoints are not outside the lost AZ"
	}
	return route + ", and " + endpoints
}

// canPullImage reports whether an instance launched in a subnet could reach ECR when an AZ is
// lost: through a default route that does not go through that AZ, or through ECR's interface
// endpoints (ecr.api and ecr.dkr) outside it.
func (a *analyzer) canPullImage(sub *mockaws.Resource, lost string) bool {
	return a.keepsEgress(sub, lost) || (a.endpointOutside("ecr.api", lost) && a.endpointOutside("ecr.dkr", lost))
}

// releaseCheck reports whether a listener rule is the release-check rule: one of its
// conditions is on compute.ReleaseCheckHeader.
func releaseCheck(rule *mockaws.Resource) bool {
	for _, c := range list(rule.Input("conditions")) {
		if h := obj(obj(c)["httpHeader"]); h != nil && strings.EqualFold(str(h["httpHeaderName"]), compute.ReleaseCheckHeader) {
			return true
		}
	}
	return false
}
