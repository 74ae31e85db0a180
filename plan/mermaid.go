package plan

import (
	"io"
	"sort"

	"github.com/webstack/webstack/contract"
)

// The resource types the diagram reads. Anything else is left out of it.
const (
	typeDistribution         = contract.TypeCloudFrontDistribution
	typeWebACL               = contract.TypeWAFv2WebACL
	typeRecord               = contract.TypeRoute53Record
	typeBucket               = contract.TypeS3BucketV2
	typeVPC                  = contract.TypeEC2VPC
	typeSubnet               = contract.TypeEC2Subnet
	typeNATGateway           = contract.TypeEC2NatGateway
	typeRoute                = contract.TypeEC2Route
	typeRouteTableAssoc      = contract.TypeEC2RouteTableAssociation
	typeEC2Instance          = contract.TypeEC2Instance
	typeLaunchTemplate       = contract.TypeEC2LaunchTemplate
	typeIngressRule          = contract.TypeVPCSecurityGroupIngressRule
	typeLoadBalancer         = contract.TypeLBLoadBalancer
	typeListener             = contract.TypeLBListener
	typeListenerRule         = contract.TypeLBListenerRule
	typeTargetGroup          = contract.TypeLBTargetGroup
	typeAutoScalingGroup     = contract.TypeAutoscalingGroup
	typeInstanceProfile      = contract.TypeIAMInstanceProfile
	typeRolePolicyAttachment = contract.TypeIAMRolePolicyAttachment
	typeRolePolicy           = contract.TypeIAMRolePolicy
	typeRepository           = contract.TypeECRRepository
	typeDBInstance           = contract.TypeRDSInstance
	typeDBSubnetGroup        = contract.TypeRDSSubnetGroup
	typeCacheSubnetGroup     = contract.TypeElastiCacheSubnetGroup
	typeReplicationGroup     = contract.TypeElastiCacheReplicationGroup
	typeTopic                = contract.TypeSNSTopic
	typeMetricAlarm          = contract.TypeCloudWatchMetricAlarm
	typeDashboard            = contract.TypeCloudWatchDashboard
	typeLogGroup             = contract.TypeCloudWatchLogGroup
)

// Mermaid writes the stack's architecture as a Mermaid flowchart, derived only from what the
// plan registered (types, names, inputs, state and parents): viewers through Route 53, WAF
// and CloudFront to the frontend bucket and the ALB; the VPC with one subgraph per
// availability zone holding its subnets and what is pinned to them (NAT gateways, the bastion,
// single-AZ databases and replicas, cache nodes); the ALB's listeners, the blue/green switch,
// the target groups and the Auto Scaling groups behind them; the data tier with replication
// and the data flows the security groups allow; ECR; and alarms, dashboards and logs when the
// stack has them.
//
// The diagram does not depend on which color is live, on versions or on capacities: both
// colors are drawn alike, and the listeners lead to a switch node rather than to the target
// group they forward to today, so a release leaves it byte-identical. Iteration is sorted, so
// the same files always give the same output.
func (p *Plan) Mermaid(w io.Writer) error {
	a := newArch(p)
	a.build()
	_, err := io.WriteString(w, a.fc.String())
	return err
}

// users is the node of the people the stack serves.
const users = "users"

// arch derives the diagram from a plan.
type arch struct {
	p      *Plan
	fc     *flowchart
	byType map[string][]*Resource
	byURN  map[string]*Resource
	node   map[string]string // resource URN → node ID

	edge, vpc, data, fleet, services, ops *cluster
	azs                                   map[string]*cluster
	subnets                               []*Resource       // by tier, then name
	subnetNode                            map[string]string // subnet ID → node ID
	subnetZone                            map[string]string // subnet ID → AZ

	albCluster  map[string]string         // ALB URN → its subgraph ID
	albPorts    map[string]map[int]string // ALB URN → listener port → listener node ID
	viewerPorts map[string]map[int]bool   // ALB URN → ports CloudFront origins reach
	tgNode      map[string]string         // target group ARN → node ID
	tgByARN     map[string]*Resource      // target group ARN → target group
	asgNodes    []string                  // every Auto Scaling group node, in order
	dataEngine  map[string]string         // data node ID → engine name for flow labels
	groups      []group                   // subgraphs an edge may stand for, see collapse
}

// group is a subgraph whose members, when an edge reaches all of them, are drawn as one edge
// to the subgraph: the fleet for both colors, a database for its writer and replicas.
type group struct {
	id      string
	members []string
}

// newArch indexes a plan's resources by type (each list sorted by name, then URN) and by URN.
func newArch(p *Plan) *arch {
	a := &arch{
		p:           p,
		fc:          newFlowchart("TB"),
		byType:      map[string][]*Resource{},
		byURN:       map[string]*Resource{},
		node:        map[string]string{},
		azs:         map[string]*cluster{},
		subnetNode:  map[string]string{},
		subnetZone:  map[string]string{},
		albCluster:  map[string]string{},
		albPorts:    map[string]map[int]string{},
		viewerPorts: map[string]map[int]bool{},
		tgNode:      map[string]string{},
		tgByARN:     map[string]*Resource{},
		dataEngine:  map[string]string{},
	}
	rs := make([]*Resource, len(p.Resources))
	for i := range p.Resources {
		rs[i] = &p.Resources[i]
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Name != rs[j].Name {
			return rs[i].Name < rs[j].Name
		}
		return rs[i].URN < rs[j].URN
	})
	for _, r := range rs {
		a.byType[r.Type] = append(a.byType[r.Type], r)
		a.byURN[r.URN] = r
	}
	return a
}

// build lays out the subgraphs top to bottom, then fills them tier by tier.
func (a *arch) build() {
	a.fc.add(nil, a.fc.reserve(users), stadium, "users")
	a.edge = a.fc.sub(nil, a.fc.id("grp", "edge"), "edge: DNS, WAF, CDN, frontend")
	a.vpc = a.fc.sub(nil, a.fc.id("grp", "vpc"), a.vpcLabel())
	a.services = a.fc.sub(nil, a.fc.id("grp", "services"), "regional services")
	a.ops = a.fc.sub(a.services, a.fc.id("grp", "operations"), "operations")

	a.collectViewerPorts()
	a.nameSubnets()
	a.loadBalancers()
	a.fleets()
	a.data = a.fc.sub(a.vpc, a.fc.id("grp", "data"), "data tier")
	a.network()
	a.databases()
	a.caches()
	a.edgeTier()
	a.dataFlows()
	a.repositories()
	a.operations()
}
