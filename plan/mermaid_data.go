package plan

import (
	"strconv"
	"strings"
)

// The data tier of the diagram: RDS writers and replicas, ElastiCache, and the data flows the
// security groups allow into them.

// engineName spells a database engine the way people write it.
func engineName(engine string) string {
	switch engine {
	case "mysql":
		return "MySQL"
	case "mariadb":
		return "MariaDB"
	case "postgres":
		return "PostgreSQL"
	case "redis":
		return "Redis"
	case "valkey":
		return "Valkey"
	case "memcached":
		return "Memcached"
	}
	return engine
}

// databases draws each RDS writer with its read replicas in one subgraph, a thick edge per
// replication, and a dotted line from each instance pinned to one AZ (a replica, a single-AZ
// writer) to its subnet there. A Multi-AZ writer is not pinned: AWS picks the standby's AZ.
func (a *arch) databases() {
	var writers, replicas []*Resource
	for _, db := range a.byType[typeDBInstance] {
		if str(db.Inputs, "replicateSourceDb") != "" {
			replicas = append(replicas, db)
		} else {
			writers = append(writers, db)
		}
	}
	clusters := map[string]*cluster{} // writer URN → its subgraph
	for _, db := range writers {
		engine := engineName(str(db.Inputs, "engine"))
		c := a.fc.sub(a.data, a.fc.id("grp", db.Name), strings.TrimSpace("RDS "+engine))
		clusters[db.URN] = c
		id := a.fc.id("db", db.Name)
		a.node[db.URN] = id
		a.dataEngine[id] = engine
		lines := []string{"writer", nameOf(db)}
		if multi, _ := db.Inputs["multiAz"].(bool); multi {
			lines = append(lines, "Multi-AZ: primary + standby")
		} else {
			lines = append(lines, "single-AZ")
			a.fc.link(a.placement(db, str(db.Inputs, "availabilityZone")), dottedLine, id, "")
		}
		a.fc.add(c, id, database, lines...)
	}
	for _, db := range replicas {
		id := a.fc.id("db", db.Name)
		a.node[db.URN] = id
		var source *Resource
		for _, w := range writers {
			if ref := str(db.Inputs, "replicateSourceDb"); ref == str(w.Inputs, "identifier") || refersTo(w, ref) {
				source = w
			}
		}
		c, engine := a.data, engineName(str(db.Inputs, "engine"))
		lines := []string{"read replica", nameOf(db)}
		if source != nil {
			c = clusters[source.URN]
			if engine == "" {
				engine = a.dataEngine[a.node[source.URN]]
			}
		} else {
			lines[0] = strings.TrimSpace("RDS " + engine + " read replica")
		}
		a.dataEngine[id] = engine
		a.fc.add(c, id, database, lines...)
		if source != nil {
			a.fc.link(a.node[source.URN], thick, id, "replication")
		}
		a.fc.link(a.placement(db, str(db.Inputs, "availabilityZone")), dottedLine, id, "")
	}
	for _, db := range writers {
		var members []string
		for _, r := range append([]*Resource{db}, replicas...) {
			if r == db || str(r.Inputs, "replicateSourceDb") == str(db.Inputs, "identifier") || refersTo(db, str(r.Inputs, "replicateSourceDb")) {
				members = append(members, a.node[r.URN])
			}
		}
		a.groups = append(a.groups, group{id: clusters[db.URN].id, members: members})
	}
}

// placement is the node of the subnet a data resource uses in an AZ: the one of its subnet
// group there (its writer's, for a replica without one), else the AZ's data subnet.
func (a *arch) placement(r *Resource, zone string) string {
	if zone == "" {
		return ""
	}
	var candidates []string
	for _, key := range []string{"dbSubnetGroupName", "subnetGroupName"} {
		ref := str(r.Inputs, key)
		for _, typ := range []string{typeDBSubnetGroup, typeCacheSubnetGroup} {
			for _, g := range a.byType[typ] {
				if refersTo(g, ref) {
					candidates = append(candidates, strs(g.Inputs, "subnetIds")...)
				}
			}
		}
	}
	for _, id := range candidates {
		if a.subnetZone[id] == zone {
			return a.subnetNode[id]
		}
	}
	for _, s := range a.subnets {
		if str(s.Inputs, "availabilityZone") == zone && tag(s, "Tier") == "data" {
			return a.node[s.URN]
		}
	}
	return ""
}

// caches draws each replication group as one node, with a dotted line per cache node to the
// subnet of its preferred AZ.
func (a *arch) caches() {
	for _, rg := range a.byType[typeReplicationGroup] {
		id := a.fc.id("cache", rg.Name)
		a.node[rg.URN] = id
		engine := engineName(str(rg.Inputs, "engine"))
		if engine == "" {
			engine = "Redis"
		}
		a.dataEngine[id] = engine
		nodes := num(rg.Inputs, "numCacheClusters")
		lines := []string{"ElastiCache " + engine, nameOf(rg)}
		switch {
		case nodes == 1:
			lines = append(lines, "1 node")
		case nodes > 1:
			lines = append(lines, "primary + "+plural(nodes-1, "replica"))
		}
		var features []string
		if v, _ := rg.Inputs["automaticFailoverEnabled"].(bool); v {
			features = append(features, "automatic failover")
		}
		if v, _ := rg.Inputs["multiAzEnabled"].(bool); v {
			features = append(features, "Multi-AZ")
		}
		if len(features) > 0 {
			lines = append(lines, strings.Join(features, ", "))
		}
		a.fc.add(a.data, id, database, lines...)
		for i, z := range strs(rg.Inputs, "preferredCacheClusterAzs") {
			if nodes > 0 && i >= nodes {
				break
			}
			a.fc.link(a.placement(rg, z), dottedLine, id, "node "+strconv.Itoa(i+1))
		}
	}
}

// dataFlows draws the connections the security groups allow into the data tier (app to
// database, app to cache, bastion to database), from the ingress rules that reference
// another group.
func (a *arch) dataFlows() {
	holders := map[string][]string{} // security group ID → node IDs
	hold := func(node string, groups []string) {
		for _, g := range groups {
			holders[g] = append(holders[g], node)
		}
	}
	for _, g := range a.byType[typeAutoScalingGroup] {
		if lt := a.launchTemplate(g); lt != nil {
			hold(a.node[g.URN], launchTemplateGroups(lt))
		}
	}
	for _, inst := range a.byType[typeEC2Instance] {
		hold(a.node[inst.URN], strs(inst.Inputs, "vpcSecurityGroupIds"))
	}
	targets := map[string]bool{}
	for _, db := range a.byType[typeDBInstance] {
		hold(a.node[db.URN], strs(db.Inputs, "vpcSecurityGroupIds"))
		targets[a.node[db.URN]] = true
	}
	for _, rg := range a.byType[typeReplicationGroup] {
		hold(a.node[rg.URN], strs(rg.Inputs, "securityGroupIds"))
		targets[a.node[rg.URN]] = true
	}
	for _, rule := range a.byType[typeIngressRule] {
		from := a.collapse(holders[str(rule.Inputs, "referencedSecurityGroupId")])
		var to []string
		engine := ""
		for _, n := range holders[str(rule.Inputs, "securityGroupId")] {
			if targets[n] {
				to = append(to, n)
				engine = a.dataEngine[n]
			}
		}
		label := strings.TrimSpace(engine + " :" + strconv.Itoa(num(rule.Inputs, "fromPort")))
		for _, t := range a.collapse(to) {
			for _, f := range from {
				a.fc.link(f, solid, t, label)
			}
		}
	}
}

// collapse replaces the members of a group, when all of them are among nodes, by the
// group's subgraph: one edge for the fleet instead of one per color, one for a database
// instead of one per instance.
func (a *arch) collapse(nodes []string) []string {
	in := map[string]bool{}
	for _, n := range nodes {
		in[n] = true
	}
	out := nodes
	for _, g := range a.groups {
		all := len(g.members) > 1
		for _, m := range g.members {
			all = all && in[m]
		}
		if !all {
			continue
		}
		member := map[string]bool{}
		for _, m := range g.members {
			member[m] = true
		}
		kept := []string{g.id}
		for _, n := range out {
			if !member[n] {
				kept = append(kept, n)
			}
		}
		out = kept
	}
	return out
}

// launchTemplate returns the launch template an Auto Scaling group launches, or nil.
func (a *arch) launchTemplate(g *Resource) *Resource {
	ref := asMap(g.Inputs["launchTemplate"])
	for _, lt := range a.byType[typeLaunchTemplate] {
		if id := str(ref, "id"); id != "" && refersTo(lt, id) {
			return lt
		}
		if name := str(ref, "name"); name != "" && refersTo(lt, name) {
			return lt
		}
	}
	return nil
}

// launchTemplateGroups lists the security groups of a launch template's instances.
func launchTemplateGroups(lt *Resource) []string {
	groups := strs(lt.Inputs, "vpcSecurityGroupIds")
	for _, ni := range list(lt.Inputs, "networkInterfaces") {
		groups = append(groups, strs(asMap(ni), "securityGroups")...)
	}
	return groups
}
