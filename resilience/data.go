package resilience

import (
	"fmt"
	"slices"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// dbInstance is what the analysis needs of an RDS instance.
type dbInstance struct {
	name    string
	multiAZ bool
	// azs are where the instance may be: its pinned availabilityZone, or, unpinned, every AZ
	// of its subnet group (every AZ of the stack without one).
	azs    []string
	pinned bool
}

// in reports whether losing an AZ may take the (single-AZ) instance with it.
func (d dbInstance) in(lost string) bool { return !d.multiAZ && slices.Contains(d.azs, lost) }

// where says where the instance is, for a reason.
func (d dbInstance) where() string {
	if d.pinned {
		return "in " + d.azs[0]
	}
	return fmt.Sprintf("in one of %s (its AZ is not pinned)", and(d.azs))
}

// dbModel is one writer with its read replicas.
type dbModel struct {
	writer   dbInstance
	replicas []dbInstance
}

// dbInstance resolves an RDS instance's AZ: Multi-AZ, pinned, or any AZ of its subnet group.
func (a *analyzer) dbInstance(r *mockaws.Resource) (dbInstance, error) {
	d := dbInstance{name: r.Name, multiAZ: isTrue(r.Input("multiAz"))}
	if az := str(r.Input("availabilityZone")); az != "" && !d.multiAZ {
		if !known(az) {
			return d, fmt.Errorf("instance %s: availabilityZone is %s", r.Name, show(az))
		}
		d.azs, d.pinned = []string{az}, true
		return d, nil
	}
	azs, err := a.subnetGroupAZs(r.Input("dbSubnetGroupName"), contract.TypeRDSSubnetGroup)
	if err != nil {
		return d, fmt.Errorf("instance %s: %w", r.Name, err)
	}
	d.azs = azs
	return d, nil
}

// subnetGroupAZs resolves a subnet group's name to the AZs of its subnets; with no subnet
// group named, every AZ of the stack.
func (a *analyzer) subnetGroupAZs(ref any, typ string) ([]string, error) {
	if ref == nil {
		return a.azs, nil
	}
	g := a.s.Ref(ref, typ)
	if g == nil {
		return nil, fmt.Errorf("subnet group %s is not a registered %s", show(ref), typ)
	}
	azs, err := a.subnetAZs(list(g.Input("subnetIds")))
	if err != nil {
		return nil, fmt.Errorf("subnet group %s: %w", g.Name, err)
	}
	return azs, nil
}

// database finds every writer (an RDS instance without replicateSourceDb) and the replicas
// that replicate from it, directly or through another replica.
func (a *analyzer) database() (judge, error) {
	instances := a.s.ByType(contract.TypeRDSInstance)
	if len(instances) == 0 {
		return nil, nil
	}
	models := map[*mockaws.Resource]*dbModel{}
	var writers []*mockaws.Resource
	for _, r := range instances {
		if r.Input("replicateSourceDb") != nil {
			continue
		}
		w, err := a.dbInstance(r)
		if err != nil {
			return nil, err
		}
		models[r] = &dbModel{writer: w}
		writers = append(writers, r)
	}
	for _, r := range instances {
		if r.Input("replicateSourceDb") == nil {
			continue
		}
		src := r
		for hops := 0; src.Input("replicateSourceDb") != nil; hops++ {
			next := a.s.Ref(src.Input("replicateSourceDb"), contract.TypeRDSInstance)
			if next == nil || hops > len(instances) {
				return nil, fmt.Errorf("replica %s: replicateSourceDb %s is not a registered RDS instance", src.Name, show(src.Input("replicateSourceDb")))
			}
			src = next
		}
		rep, err := a.dbInstance(r)
		if err != nil {
			return nil, err
		}
		models[src].replicas = append(models[src].replicas, rep)
	}
	if len(writers) == 0 {
		return nil, fmt.Errorf("no RDS writer: every instance is a replica")
	}
	return func(lost string) TierVerdict {
		var parts []part
		for _, w := range writers {
			parts = append(parts, judgeDatabase(models[w], len(writers) > 1, lost))
		}
		return combine(parts)
	}, nil
}

// judgeDatabase judges one writer and its replicas.
func judgeDatabase(m *dbModel, named bool, lost string) part {
	label := "the writer"
	if named {
		label = "writer " + m.writer.name
	}
	var survivors, lostReplicas []string
	for _, r := range m.replicas {
		switch {
		case r.in(lost):
			lostReplicas = append(lostReplicas, r.name)
		case r.multiAZ:
			survivors = append(survivors, fmt.Sprintf("replica %s (Multi-AZ)", r.name))
		case r.pinned:
			survivors = append(survivors, fmt.Sprintf("replica %s in %s", r.name, r.azs[0]))
		default:
			survivors = append(survivors, fmt.Sprintf("replica %s", r.name))
		}
	}
	w := m.writer
	switch {
	case w.multiAZ && len(without(w.azs, lost)) == 0:
		return part{Down, fmt.Sprintf("%s is Multi-AZ, but every subnet of its subnet group is in the lost AZ", label)}
	case w.multiAZ:
		r := fmt.Sprintf("%s is Multi-AZ: if its primary was in the lost AZ, the standby in another AZ takes over in a minute or two and the writer endpoint follows it", label)
		return part{Serves, r + lostReads(lostReplicas)}
	case !w.in(lost):
		return part{Serves, fmt.Sprintf("%s is single-AZ, %s", label, w.where()) + lostReads(lostReplicas)}
	case len(survivors) > 0:
		return part{Degraded, fmt.Sprintf("%s is single-AZ, %s: reads continue on %s, writes stop until a replica is promoted by hand and the application pointed at it", label, w.where(), and(survivors))}
	}
	return part{Down, fmt.Sprintf("%s is single-AZ, %s, and no replica sits outside the lost AZ: the database is down until the AZ returns or it is restored from a backup", label, w.where())}
}

// lostReads notes the replicas an AZ loss takes away while the writer survives.
func lostReads(replicas []string) string {
	switch len(replicas) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("; replica %s is in the lost AZ: reads sent to it fail until the AZ returns or the application reads from the writer", replicas[0])
	}
	return fmt.Sprintf("; replicas %s are in the lost AZ: reads sent to them fail until the AZ returns or the application reads elsewhere", and(replicas))
}

// cacheModel is what the analysis needs of a replication group.
type cacheModel struct {
	name  string
	nodes int
	// nodeAZs are the nodes' AZs, the primary first; "" for a node whose AZ is not given.
	nodeAZs  []string
	possible []string
	failover bool
}

// inLost reports whether node i may be in the lost AZ. A node whose AZ is not given may be in
// any AZ of the group's subnet group, so the analysis assumes the worst.
func (c cacheModel) inLost(i int, lost string) bool {
	if c.nodeAZs[i] == "" {
		return slices.Contains(c.possible, lost)
	}
	return c.nodeAZs[i] == lost
}

// cache finds every replication group with its nodes' AZs (preferredCacheClusterAzs, the
// primary first) and whether it fails over automatically.
func (a *analyzer) cache() (judge, error) {
	groups := a.s.ByType(contract.TypeElastiCacheReplicationGroup)
	if len(groups) == 0 {
		return nil, nil
	}
	var models []cacheModel
	for _, g := range groups {
		n, ok := num(g.Input("numCacheClusters"))
		if !ok {
			if g.Input("numNodeGroups") != nil {
				return nil, fmt.Errorf("replication group %s: cluster mode (numNodeGroups) is not analysed", g.Name)
			}
			return nil, fmt.Errorf("replication group %s: numCacheClusters is %s", g.Name, show(g.Input("numCacheClusters")))
		}
		if n < 1 {
			return nil, fmt.Errorf("replication group %s: numCacheClusters is %d", g.Name, n)
		}
		possible, err := a.subnetGroupAZs(g.Input("subnetGroupName"), contract.TypeElastiCacheSubnetGroup)
		if err != nil {
			return nil, fmt.Errorf("replication group %s: %w", g.Name, err)
		}
		m := cacheModel{name: g.Name, nodes: n, possible: possible, failover: isTrue(g.Input("automaticFailoverEnabled"))}
		preferred := list(g.Input("preferredCacheClusterAzs"))
		for i := 0; i < n; i++ {
			az := ""
			if i < len(preferred) {
				az = str(preferred[i])
			}
			m.nodeAZs = append(m.nodeAZs, az)
		}
		models = append(models, m)
	}
	return func(lost string) TierVerdict {
		var parts []part
		for _, m := range models {
			label := "the cache"
			if len(models) > 1 {
				label = "replication group " + m.name
			}
			parts = append(parts, judgeCache(m, label, lost))
		}
		return combine(parts)
	}, nil
}

// judgeCache judges one replication group.
func judgeCache(m cacheModel, label, lost string) part {
	var remaining []string
	for i := range m.nodes {
		if !m.inLost(i, lost) {
			remaining = append(remaining, m.nodeAZs[i])
		}
	}
	where := func(azs []string) string {
		if slices.Contains(azs, "") {
			return "an AZ of its subnet group"
		}
		return and(distinct(azs))
	}
	switch {
	case len(remaining) == m.nodes:
		if m.nodes == 1 {
			return part{Serves, fmt.Sprintf("%s has no node in the lost AZ (its single node is in %s)", label, where(m.nodeAZs))}
		}
		return part{Serves, fmt.Sprintf("%s has no node in the lost AZ (its %d nodes are in %s)", label, m.nodes, where(m.nodeAZs))}
	case !m.inLost(0, lost):
		replicas := "the replica in the lost AZ is lost until ElastiCache replaces it"
		if n := m.nodes - len(remaining); n > 1 {
			replicas = fmt.Sprintf("the %d replicas in the lost AZ are lost until ElastiCache replaces them", n)
		}
		return part{Serves, fmt.Sprintf("%s keeps its primary in %s; %s", label, where(m.nodeAZs[:1]), replicas)}
	case len(remaining) == 0 && m.nodes == 1:
		return part{Down, fmt.Sprintf("%s is a single node in the lost AZ: the cache is down and its data lost until a new node is created", label)}
	case len(remaining) == 0:
		return part{Down, fmt.Sprintf("all %d nodes of %s are in the lost AZ: the cache is down and its data lost until new nodes are created", m.nodes, label)}
	case m.failover:
		return part{Serves, fmt.Sprintf("%s has its primary in the lost AZ: automatic failover promotes the replica in %s and the primary endpoint follows it", label, where(remaining))}
	}
	return part{Degraded, fmt.Sprintf("%s has its primary in the lost AZ and no automatic failover: reads through the reader endpoint continue on the replica in %s, writes stop until it is promoted by hand", label, where(remaining))}
}
