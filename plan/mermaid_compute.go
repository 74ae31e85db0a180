package plan

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The compute tier of the diagram: the load balancer (listeners, the blue/green switch, target
// groups), one Auto Scaling group per color, and the ECR repository they pull from.

// colorOf is a target group's or fleet's color: its Color tag, else its name.
func colorOf(r *Resource, byURN map[string]*Resource) string {
	if c := tag(r, "Color"); c != "" {
		return c
	}
	return role(r, byURN)
}

// loadBalancers draws each load balancer as a subgraph, linked to the public subnets it spans.
func (a *arch) loadBalancers() {
	for _, lb := range a.byType[typeLoadBalancer] {
		label := "Application Load Balancer"
		if internal, ok := lb.Inputs["internal"].(bool); ok {
			if internal {
				label += " (internal)"
			} else {
				label += " (internet-facing)"
			}
		}
		c := a.fc.sub(a.vpc, a.fc.id("alb", lb.Name), label)
		a.albCluster[lb.URN] = c.id
		a.albPorts[lb.URN] = map[int]string{}
		a.loadBalancer(lb, c)
	}
}

// loadBalancer fills a load balancer's subgraph: its listeners by port, a redirect edge
// between listeners, and the switch that stands between the listeners that forward and the
// target groups. Which listener reaches which group depends on the live color, so the
// listeners reach the switch, labelled live or idle by whether CloudFront connects to their
// port, and the switch reaches every group.
func (a *arch) loadBalancer(lb *Resource, c *cluster) {
	listeners := a.listenersOf(lb)
	tgARNs, forwarding := a.drawListeners(lb, c, listeners)
	a.drawRedirects(lb, listeners)

	tgs := a.targetGroupsOf(tgARNs)
	if len(tgs) == 0 {
		return
	}
	sw := a.drawSwitch(lb, c, listeners, forwarding, tgs)
	a.drawTargetGroups(c, sw, tgs)
	for _, s := range strs(lb.Inputs, "subnets") {
		a.fc.link(c.id, dottedLine, a.subnetNode[s], "")
	}
}

// listenersOf returns a load balancer's listeners sorted by port.
func (a *arch) listenersOf(lb *Resource) []*Resource {
	arn := str(lb.State, "arn")
	var listeners []*Resource
	for _, l := range a.byType[typeListener] {
		if arn != "" && str(l.Inputs, "loadBalancerArn") == arn {
			listeners = append(listeners, l)
		}
	}
	sort.SliceStable(listeners, func(i, j int) bool {
		return num(listeners[i].Inputs, "port") < num(listeners[j].Inputs, "port")
	})
	return listeners
}

// drawListeners adds a node for each listener and returns every target group ARN a listener
// or one of its rules can send to, and the listeners that stand for a color (they forward).
func (a *arch) drawListeners(lb *Resource, c *cluster, listeners []*Resource) (tgARNs, forwarding map[string]bool) {
	// Every target group a listener or rule of this load balancer can send to. The set is
	// the same whichever color is live; which listener uses which group is not drawn.
	tgARNs = map[string]bool{}
	forwarding = map[string]bool{}
	for _, l := range listeners {
		id := a.fc.id("lst", l.Name)
		a.node[l.URN] = id
		port := num(l.Inputs, "port")
		a.albPorts[lb.URN][port] = id
		a.fc.add(c, id, box, role(l, a.byURN)+" listener", str(l.Inputs, "protocol")+" :"+strconv.Itoa(port))
		actions := list(l.Inputs, "defaultActions")
		for _, rule := range a.byType[typeListenerRule] {
			if la := str(l.State, "arn"); la != "" && str(rule.Inputs, "listenerArn") == la {
				actions = append(actions, list(rule.Inputs, "actions")...)
			}
		}
		for _, act := range actions {
			for _, tg := range forwardTargets(asMap(act)) {
				tgARNs[tg] = true
				forwarding[l.URN] = true
			}
			// A color that runs no instances is answered by a fixed 503 in place of its
			// forward (no release yet): the listener still stands for a color.
			if m := asMap(act); str(m, "type") == "fixed-response" && str(asMap(m["fixedResponse"]), "statusCode") == "503" {
				forwarding[l.URN] = true
			}
		}
	}
	return tgARNs, forwarding
}

// drawRedirects links each listener that redirects to the listener on the port it
// redirects to.
func (a *arch) drawRedirects(lb *Resource, listeners []*Resource) {
	for _, l := range listeners {
		for _, act := range list(l.Inputs, "defaultActions") {
			m := asMap(act)
			if str(m, "type") != "redirect" {
				continue
			}
			redirect := asMap(m["redirect"])
			port, err := strconv.Atoi(str(redirect, "port"))
			if err != nil {
				continue
			}
			if to := a.albPorts[lb.URN][port]; to != "" {
				a.fc.link(a.node[l.URN], solid, to, "redirect to "+str(redirect, "protocol"))
			}
		}
	}
}

// targetGroupsOf returns the target groups whose ARN is in tgARNs, sorted by color.
func (a *arch) targetGroupsOf(tgARNs map[string]bool) []*Resource {
	var tgs []*Resource
	for _, tg := range a.byType[typeTargetGroup] {
		if tgARNs[str(tg.State, "arn")] {
			tgs = append(tgs, tg)
		}
	}
	sort.SliceStable(tgs, func(i, j int) bool { return colorOf(tgs[i], a.byURN) < colorOf(tgs[j], a.byURN) })
	return tgs
}

// drawSwitch adds the color switch of a load balancer, links every forwarding listener to it
// (labelled live or idle by whether CloudFront connects to its port) and returns its node.
func (a *arch) drawSwitch(lb *Resource, c *cluster, listeners []*Resource, forwarding map[string]bool, tgs []*Resource) string {
	var colors []string
	for _, tg := range tgs {
		if c := colorOf(tg, a.byURN); !slices.Contains(colors, c) {
			colors = append(colors, c)
		}
	}
	sw := a.fc.id("switch", lb.Name)
	a.fc.add(c, sw, hexagon, strings.Join(colors, "/")+" switch")
	viewers := a.viewerPorts[lb.URN]
	for _, l := range listeners {
		if !forwarding[l.URN] {
			continue
		}
		label := ""
		switch {
		case viewers[num(l.Inputs, "port")]:
			label = "live color (" + a.p.Project + ":app.activeColor)"
		case len(viewers) > 0:
			label = "idle color"
		}
		a.fc.link(a.node[l.URN], solid, sw, label)
	}
	return sw
}

// drawTargetGroups adds a node for each target group, labelled with its color, and links the
// switch sw to it.
func (a *arch) drawTargetGroups(c *cluster, sw string, tgs []*Resource) {
	for _, tg := range tgs {
		id := a.fc.id("tg", tg.Name)
		a.node[tg.URN] = id
		a.tgNode[str(tg.State, "arn")] = id
		a.tgByARN[str(tg.State, "arn")] = tg
		label := "target group " + colorOf(tg, a.byURN)
		if traffic := tag(tg, "Traffic"); traffic != "" && traffic != "production" {
			label += " (" + traffic + ")"
		}
		lines := []string{label}
		if p := str(tg.Inputs, "protocol"); p != "" {
			lines = append(lines, p+" :"+strconv.Itoa(num(tg.Inputs, "port")))
		}
		a.fc.add(c, id, box, lines...)
		a.fc.link(sw, solid, id, "")
	}
}

// forwardTargets lists the target group ARNs a listener action forwards to, plain or
// weighted.
func forwardTargets(action map[string]any) []string {
	if str(action, "type") != "forward" {
		return nil
	}
	var out []string
	if arn := str(action, "targetGroupArn"); arn != "" {
		out = append(out, arn)
	}
	for _, g := range list(asMap(action["forward"]), "targetGroups") {
		if arn := str(asMap(g), "arn"); arn != "" {
			out = append(out, arn)
		}
	}
	return out
}

// fleets draws the Auto Scaling groups in one subgraph, each behind the target groups it
// registers with, and links them to the subnets they launch in.
func (a *arch) fleets() {
	groups := a.byType[typeAutoScalingGroup]
	if len(groups) == 0 {
		return
	}
	a.fleet = a.fc.sub(a.vpc, a.fc.id("grp", "fleet"), "app fleet: Auto Scaling groups")
	var zones []string
	same := true
	for i, g := range groups {
		id := a.fc.id("asg", g.Name)
		a.node[g.URN] = id
		a.asgNodes = append(a.asgNodes, id)
		color := tag(g, "Color")
		var tgs []string
		for _, arn := range strs(g.Inputs, "targetGroupArns") {
			if tg := a.tgNode[arn]; tg != "" {
				tgs = append(tgs, tg)
				if color == "" {
					color = colorOf(a.tgByARN[arn], a.byURN)
				}
			}
		}
		if color == "" {
			color = role(g, a.byURN)
		}
		a.fc.add(a.fleet, id, box, "Auto Scaling group "+color)
		for _, tg := range tgs {
			a.fc.link(tg, solid, id, "")
		}
		z := strs(g.Inputs, "vpcZoneIdentifiers")
		if i == 0 {
			zones = z
		} else if strings.Join(z, ",") != strings.Join(zones, ",") {
			same = false
		}
	}
	a.groups = append(a.groups, group{id: a.fleet.id, members: a.asgNodes})
	// The fleets span the app subnets: one set of edges for all when they share them.
	if same {
		for _, s := range zones {
			a.fc.link(a.fleet.id, dottedLine, a.subnetNode[s], "")
		}
		return
	}
	for _, g := range groups {
		for _, s := range strs(g.Inputs, "vpcZoneIdentifiers") {
			a.fc.link(a.node[g.URN], dottedLine, a.subnetNode[s], "")
		}
	}
}

// repositories draws each ECR repository, with an edge to the fleets whose instance role may
// pull images. The launch templates' user data is not read for this: it names the image only
// once a color has a version, and the diagram must not change with versions.
func (a *arch) repositories() {
	for _, repo := range a.byType[typeRepository] {
		id := a.fc.id("ecr", repo.Name)
		a.node[repo.URN] = id
		a.fc.add(a.services, id, database, "ECR repository", nameOf(repo))
		var pullers []string
		for _, g := range a.byType[typeAutoScalingGroup] {
			if a.canPullImages(g) {
				pullers = append(pullers, a.node[g.URN])
			}
		}
		for _, p := range a.collapse(pullers) {
			a.fc.link(id, dotted, p, "image pull")
		}
	}
}

// canPullImages reports whether a fleet's instance role may pull images: an inline policy that
// allows ecr:BatchGetImage, or an AWS managed ECR read policy attached.
func (a *arch) canPullImages(g *Resource) bool {
	lt := a.launchTemplate(g)
	if lt == nil {
		return false
	}
	profile := asMap(lt.Inputs["iamInstanceProfile"])
	var role string
	for _, ip := range a.byType[typeInstanceProfile] {
		if (str(profile, "arn") != "" && refersTo(ip, str(profile, "arn"))) ||
			(str(profile, "name") != "" && refersTo(ip, str(profile, "name"))) {
			role = str(ip.Inputs, "role")
		}
	}
	if role == "" {
		return false
	}
	for _, att := range a.byType[typeRolePolicyAttachment] {
		if str(att.Inputs, "role") == role && strings.Contains(str(att.Inputs, "policyArn"), "AmazonEC2ContainerRegistry") {
			return true
		}
	}
	for _, p := range a.byType[typeRolePolicy] {
		if str(p.Inputs, "role") == role && strings.Contains(str(p.Inputs, "policy"), `"ecr:BatchGetImage"`) {
			return true
		}
	}
	return false
}
