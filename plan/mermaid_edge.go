package plan

import (
	"sort"
	"strconv"
	"strings"
)

// The edge of the diagram: users, Route 53 aliases, WAF, CloudFront and its origins.

// dnsTarget returns the resource a DNS name belongs to: a Route 53 record of that name, a
// CloudFront distribution, a load balancer or a bucket; nil when none does.
func (a *arch) dnsTarget(name string) *Resource {
	name = normalizeDNS(name)
	if name == "" {
		return nil
	}
	for _, r := range a.byType[typeRecord] {
		if len(list(r.Inputs, "aliases")) > 0 && normalizeDNS(str(r.Inputs, "name")) == name {
			return r
		}
	}
	for _, c := range []struct{ typ, key string }{
		{typeDistribution, "domainName"},
		{typeLoadBalancer, "dnsName"},
		{typeBucket, "bucketRegionalDomainName"},
		{typeBucket, "bucketDomainName"},
	} {
		for _, r := range a.byType[c.typ] {
			if normalizeDNS(str(r.State, c.key)) == name {
				return r
			}
		}
	}
	return nil
}

// aliasTarget follows a Route 53 alias record to what it points at; other resources are
// their own target.
func (a *arch) aliasTarget(r *Resource) *Resource {
	for i := 0; r != nil && r.Type == typeRecord && i < 4; i++ {
		aliases := list(r.Inputs, "aliases")
		if len(aliases) == 0 {
			return r
		}
		next := a.dnsTarget(str(asMap(aliases[0]), "name"))
		if next == nil || next == r {
			return r
		}
		r = next
	}
	return r
}

// originPort is the port a CloudFront custom origin connects to, with its protocol.
func originPort(origin map[string]any) (string, int) {
	cfg := asMap(origin["customOriginConfig"])
	if cfg == nil {
		return "", 0
	}
	switch str(cfg, "originProtocolPolicy") {
	case "http-only":
		return "HTTP", num(cfg, "httpPort")
	case "match-viewer":
		return "match viewer", num(cfg, "httpsPort")
	default:
		return "HTTPS", num(cfg, "httpsPort")
	}
}

// collectViewerPorts notes, per load balancer, the ports CloudFront's origins reach: those
// listeners carry the viewers, that is, the live color.
func (a *arch) collectViewerPorts() {
	for _, d := range a.byType[typeDistribution] {
		for _, o := range list(d.Inputs, "origins") {
			origin := asMap(o)
			target := a.aliasTarget(a.dnsTarget(str(origin, "domainName")))
			if target == nil || target.Type != typeLoadBalancer {
				continue
			}
			if _, port := originPort(origin); port > 0 {
				if a.viewerPorts[target.URN] == nil {
					a.viewerPorts[target.URN] = map[int]bool{}
				}
				a.viewerPorts[target.URN][port] = true
			}
		}
	}
}

// edgeTier draws the Route 53 aliases, the WAF web ACLs and the CloudFront distributions with
// an edge per origin, then links the aliases to their targets and the users to the way in.
func (a *arch) edgeTier() {
	records := a.aliasRecords()
	for _, name := range sortedKeys(records) {
		group := records[name]
		id := a.fc.id("dns", name)
		var types []string
		for _, r := range group {
			a.node[r.URN] = id
			types = append(types, str(r.Inputs, "type"))
		}
		sort.Strings(types)
		a.fc.add(a.edge, id, box, "Route 53 alias", name+" ("+strings.Join(uniq(types), ", ")+")")
	}
	for _, w := range a.byType[typeWebACL] {
		id := a.fc.id("waf", w.Name)
		a.node[w.URN] = id
		lines := []string{"WAF web ACL"}
		if rules := len(list(w.Inputs, "rules")); rules > 0 {
			lines = append(lines, plural(rules, "rule"))
		}
		a.fc.add(a.edge, id, box, lines...)
	}
	for _, d := range a.byType[typeDistribution] {
		id := a.fc.id("cdn", d.Name)
		a.node[d.URN] = id
		a.fc.add(a.edge, id, box, "CloudFront distribution")
		for _, w := range a.byType[typeWebACL] {
			if refersTo(w, str(d.Inputs, "webAclId")) {
				a.fc.link(a.node[w.URN], dotted, id, "filters requests")
			}
		}
		a.origins(d, id)
	}

	// Each alias points at its target; viewers enter through the aliases of a distribution,
	// else the distributions themselves, else the aliases of a load balancer.
	var toCDN, toALB []string
	for _, name := range sortedKeys(records) {
		from := a.node[records[name][0].URN]
		switch t := a.aliasTarget(records[name][0]); {
		case t == nil || t.Type == typeRecord:
			// An alias to something outside the stack: nothing to link to.
		case t.Type == typeDistribution:
			toCDN = append(toCDN, from)
			a.fc.link(from, solid, a.node[t.URN], "")
		case t.Type == typeLoadBalancer:
			toALB = append(toALB, from)
			a.fc.link(from, solid, a.albEntry(t, a.viewerPorts[t.URN]), "")
		default:
			a.fc.link(from, solid, a.node[t.URN], "")
		}
	}
	entries := toCDN
	if len(entries) == 0 {
		for _, d := range a.byType[typeDistribution] {
			entries = append(entries, a.node[d.URN])
		}
	}
	if len(entries) == 0 {
		entries = toALB
	}
	if len(entries) == 0 {
		for _, lb := range a.byType[typeLoadBalancer] {
			if internal, _ := lb.Inputs["internal"].(bool); !internal {
				entries = append(entries, a.albCluster[lb.URN])
			}
		}
	}
	for _, e := range entries {
		a.fc.link(users, solid, e, "")
	}
}

// aliasRecords groups the Route 53 alias records by name (A and AAAA of one name are one
// node). Validation and other plain records are left out.
func (a *arch) aliasRecords() map[string][]*Resource {
	out := map[string][]*Resource{}
	for _, r := range a.byType[typeRecord] {
		if len(list(r.Inputs, "aliases")) == 0 {
			continue
		}
		name := normalizeDNS(str(r.Inputs, "name"))
		out[name] = append(out[name], r)
	}
	return out
}

// origins draws the distribution's cache behaviors: one edge per origin, labelled with the
// behaviors (path patterns) that use it.
func (a *arch) origins(d *Resource, cdn string) {
	behaviors := map[string][]string{}
	var order []string
	use := func(originID, label string) {
		if originID == "" {
			return
		}
		if _, ok := behaviors[originID]; !ok {
			order = append(order, originID)
		}
		behaviors[originID] = append(behaviors[originID], label)
	}
	use(str(asMap(d.Inputs["defaultCacheBehavior"]), "targetOriginId"), "default behavior")
	for _, b := range list(d.Inputs, "orderedCacheBehaviors") {
		m := asMap(b)
		use(str(m, "targetOriginId"), str(m, "pathPattern"))
	}
	origins := map[string]map[string]any{}
	for _, o := range list(d.Inputs, "origins") {
		m := asMap(o)
		origins[str(m, "originId")] = m
	}
	for _, originID := range order {
		origin := origins[originID]
		label := strings.Join(behaviors[originID], ", ")
		protocol, port := originPort(origin)
		if protocol != "" {
			label += " · " + protocol
			if port > 0 {
				label += " :" + strconv.Itoa(port)
			}
		}
		a.fc.link(cdn, solid, a.originNode(origin, originID, port), label)
	}
}

// originNode returns the node an origin's requests go to, drawing a bucket or an unknown
// origin on first use.
func (a *arch) originNode(origin map[string]any, originID string, port int) string {
	target := a.dnsTarget(str(origin, "domainName"))
	switch {
	case target == nil:
		id := a.fc.id("ext", originID)
		a.fc.add(a.edge, id, box, "origin "+originID)
		return id
	case target.Type == typeRecord:
		return a.node[target.URN]
	case target.Type == typeLoadBalancer:
		return a.albEntry(target, map[int]bool{port: true})
	case target.Type == typeBucket:
		if id := a.node[target.URN]; id != "" {
			return id
		}
		id := a.fc.id("s3", target.Name)
		a.node[target.URN] = id
		lines := []string{"S3 bucket " + nameTag(target)}
		if str(origin, "originAccessControlId") != "" {
			lines = append(lines, "private, origin access control")
		}
		a.fc.add(a.edge, id, database, lines...)
		return id
	}
	return a.node[target.URN]
}

// albEntry is the node a request to the load balancer on one of ports reaches: that
// listener, or the load balancer's subgraph when no listener matches.
func (a *arch) albEntry(lb *Resource, ports map[int]bool) string {
	for _, port := range sortedInts(ports) {
		if id := a.albPorts[lb.URN][port]; id != "" {
			return id
		}
	}
	return a.albCluster[lb.URN]
}
