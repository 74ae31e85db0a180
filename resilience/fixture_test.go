package resilience_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/resilience"
)

// fx is a synthetic resource: what a program would have registered, built directly.
type fx struct {
	typ, name, id string
	in            map[string]any
}

const (
	tSubnet    = "aws:ec2/subnet:Subnet"
	tNat       = "aws:ec2/natGateway:NatGateway"
	tRT        = "aws:ec2/routeTable:RouteTable"
	tRoute     = "aws:ec2/route:Route"
	tRTA       = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tEndpoint  = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tInstance  = "aws:ec2/instance:Instance"
	tLB        = "aws:lb/loadBalancer:LoadBalancer"
	tListener  = "aws:lb/listener:Listener"
	tRule      = "aws:lb/listenerRule:ListenerRule"
	tTG        = "aws:lb/targetGroup:TargetGroup"
	tASG       = "aws:autoscaling/group:Group"
	tDB        = "aws:rds/instance:Instance"
	tDBSubnets = "aws:rds/subnetGroup:SubnetGroup"
	tRG        = "aws:elasticache/replicationGroup:ReplicationGroup"
)

// fixture is a two-AZ stack shaped like prod: a NAT gateway per AZ, two live instances, a
// Multi-AZ writer with a replica in the second AZ, two cache nodes with automatic failover.
// Negative cases change one part of it.
type fixture struct {
	res     []*fx
	outputs map[string]any
}

func newFixture() *fixture {
	f := &fixture{outputs: map[string]any{"productionListenerArn": "arn:listener-prod"}}
	for _, az := range []string{"a", "b"} {
		f.add(tSubnet, "public-"+az, map[string]any{"availabilityZone": "az-" + az, "tags": map[string]any{"Tier": "public"}})
		f.add(tSubnet, "app-"+az, map[string]any{"availabilityZone": "az-" + az, "tags": map[string]any{"Tier": "app"}})
		f.add(tSubnet, "data-"+az, map[string]any{"availabilityZone": "az-" + az, "tags": map[string]any{"Tier": "data"}})
		f.add(tNat, "nat-"+az, map[string]any{"subnetId": "public-" + az})
		f.add(tRT, "app-"+az+"-rt", map[string]any{})
		f.add(tRoute, "app-"+az+"-default", map[string]any{"routeTableId": "app-" + az + "-rt", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-" + az})
		f.add(tRTA, "app-"+az+"-rta", map[string]any{"subnetId": "app-" + az, "routeTableId": "app-" + az + "-rt"})
	}
	f.add(tLB, "alb", map[string]any{"subnets": []any{"public-a", "public-b"}})
	f.add(tTG, "tg-live", map[string]any{})
	f.add(tTG, "tg-idle", map[string]any{})
	f.add(tListener, "listener-prod", map[string]any{"port": 443.0, "defaultActions": []any{map[string]any{"type": "fixed-response"}}})
	f.add(tRule, "origin", map[string]any{"listenerArn": "arn:listener-prod", "actions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg-live"}}})
	f.add(tListener, "listener-test", map[string]any{"port": 9000.0, "defaultActions": []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg-idle"}}})
	f.add(tASG, "asg-live", map[string]any{"desiredCapacity": 2.0, "minSize": 2.0, "targetGroupArns": []any{"arn:tg-live"}, "vpcZoneIdentifiers": []any{"app-a", "app-b"}})
	f.add(tASG, "asg-idle", map[string]any{"desiredCapacity": 0.0, "minSize": 0.0, "targetGroupArns": []any{"arn:tg-idle"}, "vpcZoneIdentifiers": []any{"app-a", "app-b"}})
	f.add(tDBSubnets, "db-subnets", map[string]any{"subnetIds": []any{"data-a", "data-b"}})
	f.add(tDB, "writer", map[string]any{"identifier": "db", "multiAz": true, "dbSubnetGroupName": "db-subnets"})
	f.add(tDB, "replica", map[string]any{"identifier": "db-replica", "replicateSourceDb": "db", "availabilityZone": "az-b", "multiAz": false})
	f.add(tRG, "cache", map[string]any{"numCacheClusters": 2.0, "preferredCacheClusterAzs": []any{"az-a", "az-b"}, "automaticFailoverEnabled": true, "multiAzEnabled": true})
	f.add(tInstance, "bastion", map[string]any{"subnetId": "app-a"})
	return f
}

// add registers a synthetic resource whose ID is its name and whose ARN is "arn:<name>".
func (f *fixture) add(typ, name string, in map[string]any) {
	f.res = append(f.res, &fx{typ: typ, name: name, id: name, in: in})
}

// get returns the inputs of the named resource.
func (f *fixture) get(t *testing.T, name string) map[string]any {
	t.Helper()
	for _, r := range f.res {
		if r.name == name {
			return r.in
		}
	}
	t.Fatalf("fixture has no resource %q", name)
	return nil
}

// drop removes resources by name.
func (f *fixture) drop(names ...string) {
	f.res = slices.DeleteFunc(f.res, func(r *fx) bool { return slices.Contains(names, r.name) })
}

// result builds the mock result.
func (f *fixture) result() *mockaws.Result {
	res := &mockaws.Result{Project: "webstack", Stack: "fixture", Outputs: f.outputs}
	for _, r := range f.res {
		res.Resources = append(res.Resources, &mockaws.Resource{
			URN:    "urn:pulumi:fixture::webstack::" + r.typ + "::" + r.name,
			Type:   r.typ,
			Name:   r.name,
			Custom: true,
			ID:     r.id,
			Inputs: resource.NewPropertyMapFromMap(r.in),
			State:  resource.NewPropertyMapFromMap(map[string]any{"arn": "arn:" + r.id}),
		})
	}
	slices.SortFunc(res.Resources, func(a, b *mockaws.Resource) int { return strings.Compare(a.URN, b.URN) })
	return res
}

// TestAnalyzeFixtures judges hand-built stacks, each breaking one tier of the fixture.
func TestAnalyzeFixtures(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(t *testing.T, f *fixture)
		// want lists the single points of failure as "tier/AZ/status".
		want []string
		// phrase must appear in the reason of the first single point of failure, or, with
		// none, in the verdict of tier when az-a is lost.
		tier   resilience.Tier
		phrase string
	}{
		{"the fixture survives", func(*testing.T, *fixture) {}, nil,
			resilience.LiveFleet, "keeps at least 1 of its 2 instances"},
		{"load balancer in one AZ", func(t *testing.T, f *fixture) {
			f.get(t, "alb")["subnets"] = []any{"public-a"}
		}, []string{"load balancer/az-a/down"},
			"", "has subnets only in the lost AZ"},
		{"load balancer through subnet mappings", func(t *testing.T, f *fixture) {
			delete(f.get(t, "alb"), "subnets")
			f.get(t, "alb")["subnetMappings"] = []any{map[string]any{"subnetId": "public-a"}, map[string]any{"subnetId": "public-b"}}
		}, nil,
			resilience.LoadBalancer, "keeps its subnet in az-b"},
		{"live fleet in one AZ", func(t *testing.T, f *fixture) {
			f.get(t, "asg-live")["vpcZoneIdentifiers"] = []any{"app-a"}
		}, []string{"live fleet/az-a/down"},
			"", "every subnet of the live color is in the lost AZ"},
		{"live fleet on one instance", func(t *testing.T, f *fixture) {
			f.get(t, "asg-live")["desiredCapacity"] = 1.0
		}, []string{"live fleet/az-a/down", "live fleet/az-b/down"},
			"", "until Auto Scaling launches a replacement in az-b"},
		{"live fleet on minSize alone", func(t *testing.T, f *fixture) {
			delete(f.get(t, "asg-live"), "desiredCapacity")
			f.get(t, "asg-live")["minSize"] = 1.0
		}, []string{"live fleet/az-a/down", "live fleet/az-b/down"},
			"", "its only instance may be in the lost AZ"},
		{"live fleet without instances", func(t *testing.T, f *fixture) {
			f.get(t, "asg-live")["desiredCapacity"] = 0.0
		}, []string{"live fleet/az-a/down", "live fleet/az-b/down"},
			"", "has no instances"},
		{"listener default action forwards", func(t *testing.T, f *fixture) {
			f.drop("origin")
			f.get(t, "listener-prod")["defaultActions"] = []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg-live"}}
		}, nil,
			resilience.LiveFleet, "the live color keeps at least 1"},
		{"canary on one instance", func(t *testing.T, f *fixture) {
			f.get(t, "asg-idle")["desiredCapacity"] = 1.0
			f.get(t, "origin")["actions"] = []any{map[string]any{"type": "forward", "forward": map[string]any{"targetGroups": []any{
				map[string]any{"arn": "arn:tg-live", "weight": 90.0}, map[string]any{"arn": "arn:tg-idle", "weight": 10.0}}}}}
		}, []string{"live fleet/az-a/degraded", "live fleet/az-b/degraded"},
			"", "the fleet taking 10% of production traffic: its only instance"},
		{"canary weight zero", func(t *testing.T, f *fixture) {
			f.get(t, "origin")["actions"] = []any{map[string]any{"type": "forward", "forward": map[string]any{"targetGroups": []any{
				map[string]any{"arn": "arn:tg-live", "weight": 100.0}, map[string]any{"arn": "arn:tg-idle", "weight": 0.0}}}}}
		}, nil,
			resilience.LiveFleet, "the live color keeps"},
		{"single NAT gateway", func(t *testing.T, f *fixture) {
			f.drop("nat-b")
			f.get(t, "app-b-default")["natGatewayId"] = "nat-a"
		}, []string{"egress/az-a/down"},
			"", "the app subnet in az-b routes 0.0.0.0/0 to the NAT gateway in the lost AZ"},
		{"single NAT gateway, interface endpoints", func(t *testing.T, f *fixture) {
			f.drop("nat-b")
			f.get(t, "app-b-default")["natGatewayId"] = "nat-a"
			f.add(tEndpoint, "ssm", map[string]any{"vpcEndpointType": "Interface", "serviceName": "com.amazonaws.r.ssm", "subnetIds": []any{"app-a", "app-b"}})
		}, []string{"egress/az-a/degraded"},
			"", "AWS services stay reachable through the interface endpoints"},
		{"inline default routes", func(t *testing.T, f *fixture) {
			f.drop("app-a-default", "app-b-default", "nat-b")
			for _, az := range []string{"a", "b"} {
				f.get(t, "app-"+az+"-rt")["routes"] = []any{map[string]any{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-a"}}
			}
		}, []string{"egress/az-a/down"},
			"", "to the NAT gateway in the lost AZ"},
		{"no NAT gateway, interface endpoints", func(t *testing.T, f *fixture) {
			f.drop("nat-a", "nat-b", "app-a-default", "app-b-default")
			for _, svc := range []string{"ecr.api", "ecr.dkr"} {
				f.add(tEndpoint, svc, map[string]any{"vpcEndpointType": "Interface", "serviceName": "com.amazonaws.r." + svc, "subnetIds": []any{"app-a", "app-b"}})
			}
		}, nil,
			resilience.Egress, "no NAT gateway: the app subnets reach AWS services through interface endpoints only"},
		{"replacement cannot pull its image", func(t *testing.T, f *fixture) {
			f.get(t, "asg-live")["desiredCapacity"] = 1.0
			f.drop("nat-b")
			f.get(t, "app-b-default")["natGatewayId"] = "nat-a"
		}, []string{"live fleet/az-a/down", "live fleet/az-b/down", "egress/az-a/down"},
			"", "could not pull its image (its subnet in az-b routes only through the NAT gateway in the lost AZ, and the stack has no ECR interface endpoints)"},
		{"single-AZ writer with a replica elsewhere", func(t *testing.T, f *fixture) {
			f.get(t, "writer")["multiAz"] = false
			f.get(t, "writer")["availabilityZone"] = "az-a"
		}, []string{"database/az-a/degraded"},
			"", "reads continue on replica replica in az-b, writes stop until a replica is promoted by hand"},
		{"single-AZ writer with its replica beside it", func(t *testing.T, f *fixture) {
			f.get(t, "writer")["multiAz"] = false
			f.get(t, "writer")["availabilityZone"] = "az-a"
			f.get(t, "replica")["availabilityZone"] = "az-a"
		}, []string{"database/az-a/down"},
			"", "no replica sits outside the lost AZ"},
		{"single-AZ writer not pinned", func(t *testing.T, f *fixture) {
			f.get(t, "writer")["multiAz"] = false
		}, []string{"database/az-a/degraded", "database/az-b/down"},
			"", "in one of az-a and az-b (its AZ is not pinned)"},
		{"replica of a replica", func(t *testing.T, f *fixture) {
			f.get(t, "writer")["multiAz"] = false
			f.get(t, "writer")["availabilityZone"] = "az-a"
			f.get(t, "replica")["availabilityZone"] = "az-a"
			f.add(tDB, "replica-2", map[string]any{"identifier": "db-replica-2", "replicateSourceDb": "arn:replica", "availabilityZone": "az-b"})
		}, []string{"database/az-a/degraded"},
			"", "reads continue on replica replica-2 in az-b"},
		{"cache nodes in one AZ", func(t *testing.T, f *fixture) {
			f.get(t, "cache")["preferredCacheClusterAzs"] = []any{"az-a", "az-a"}
		}, []string{"cache/az-a/down"},
			"", "all 2 nodes of the cache are in the lost AZ"},
		{"cache without automatic failover", func(t *testing.T, f *fixture) {
			f.get(t, "cache")["automaticFailoverEnabled"] = false
			f.get(t, "cache")["multiAzEnabled"] = false
		}, []string{"cache/az-a/degraded"},
			"", "reads through the reader endpoint continue on the replica in az-b"},
		{"single cache node", func(t *testing.T, f *fixture) {
			f.get(t, "cache")["numCacheClusters"] = 1.0
			f.get(t, "cache")["preferredCacheClusterAzs"] = []any{"az-b"}
		}, []string{"cache/az-b/down"},
			"", "a single node in the lost AZ"},
		{"bastion is no serving tier", func(t *testing.T, f *fixture) {}, nil,
			resilience.Bastion, "the bastion is a single instance in the lost AZ (its app subnet in az-a)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			c.mutate(t, f)
			rep, err := resilience.Analyze(f.result())
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for _, s := range rep.SinglePointsOfFailure() {
				got = append(got, fmt.Sprintf("%s/%s/%s", s.Tier, s.AZ, s.Status))
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("%s: single points of failure\n got %q\nwant %q\n%s", c.name, got, c.want, rep.Text())
			}
			reason := ""
			if spofs := rep.SinglePointsOfFailure(); len(spofs) > 0 {
				reason = spofs[0].Reason
			} else if v, ok := rep.Losses[0].Verdict(c.tier); ok {
				reason = v.Reason
			}
			if !strings.Contains(reason, c.phrase) {
				t.Errorf("%s: reason %q does not say %q", c.name, reason, c.phrase)
			}
		})
	}
}

// TestAnalyzeErrors: what the analysis cannot resolve is an error naming the resource and the
// reference, never a panic or a guess.
func TestAnalyzeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(t *testing.T, f *fixture)
		want   string
	}{
		{"no subnets", func(t *testing.T, f *fixture) {
			f.res = slices.DeleteFunc(f.res, func(r *fx) bool { return r.typ == tSubnet })
		}, "resilience: the stack registers no subnet"},
		{"subnet without AZ", func(t *testing.T, f *fixture) {
			delete(f.get(t, "app-a"), "availabilityZone")
		}, "resilience: subnet app-a: availabilityZone is not set"},
		{"subnet AZ unknown", func(t *testing.T, f *fixture) {
			f.get(t, "app-a")["availabilityZone"] = mockaws.Unknown
		}, `resilience: subnet app-a: availabilityZone is "[unknown]"`},
		{"load balancer subnet unknown", func(t *testing.T, f *fixture) {
			f.get(t, "alb")["subnets"] = []any{"public-a", "subnet-gone"}
		}, `resilience: load balancer: load balancer alb: subnet "subnet-gone" is not a registered subnet`},
		{"route to an unknown NAT gateway", func(t *testing.T, f *fixture) {
			f.get(t, "app-b-default")["natGatewayId"] = "nat-gone"
		}, `resilience: egress: route app-b-default: natGatewayId "nat-gone" is not a registered NAT gateway`},
		{"association with an unknown route table", func(t *testing.T, f *fixture) {
			f.get(t, "app-a-rta")["routeTableId"] = "rtb-gone"
		}, `resilience: egress: route table association app-a-rta: routeTableId "rtb-gone" is not a registered route table`},
		{"production listener output unknown", func(t *testing.T, f *fixture) {
			f.outputs["productionListenerArn"] = "arn:listener-gone"
		}, `resilience: live fleet: stack output productionListenerArn is "arn:listener-gone", which is not a registered listener`},
		{"no production listener", func(t *testing.T, f *fixture) {
			delete(f.outputs, "productionListenerArn")
			f.get(t, "listener-prod")["port"] = 8443.0
		}, "resilience: live fleet: no stack output productionListenerArn and no listener on port 80 or 443"},
		{"forward to an unknown target group", func(t *testing.T, f *fixture) {
			f.get(t, "origin")["actions"] = []any{map[string]any{"type": "forward", "targetGroupArn": "arn:tg-gone"}}
		}, `resilience: live fleet: listener rule origin forwards to "arn:tg-gone", which is not a registered target group`},
		{"forward to nothing", func(t *testing.T, f *fixture) {
			f.drop("origin")
		}, "resilience: live fleet: the production listener forwards to no target group"},
		{"fleet subnet unknown", func(t *testing.T, f *fixture) {
			f.get(t, "asg-live")["vpcZoneIdentifiers"] = []any{"app-a", "subnet-gone"}
		}, `resilience: live fleet: auto scaling group asg-live: subnet "subnet-gone" is not a registered subnet`},
		{"replica of an unknown source", func(t *testing.T, f *fixture) {
			f.get(t, "replica")["replicateSourceDb"] = "db-gone"
		}, `resilience: database: replica replica: replicateSourceDb "db-gone" is not a registered RDS instance`},
		{"writer subnet group unknown", func(t *testing.T, f *fixture) {
			f.get(t, "writer")["dbSubnetGroupName"] = "subnets-gone"
		}, `resilience: database: instance writer: subnet group "subnets-gone" is not a registered aws:rds/subnetGroup:SubnetGroup`},
		{"cache in cluster mode", func(t *testing.T, f *fixture) {
			delete(f.get(t, "cache"), "numCacheClusters")
			f.get(t, "cache")["numNodeGroups"] = 2.0
		}, "resilience: cache: replication group cache: cluster mode (numNodeGroups) is not analysed"},
		{"bastion without subnet", func(t *testing.T, f *fixture) {
			delete(f.get(t, "bastion"), "subnetId")
		}, "resilience: bastion: instance bastion has no subnetId"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			c.mutate(t, f)
			rep, err := resilience.Analyze(f.result())
			if err == nil {
				t.Fatalf("%s: no error; report:\n%s", c.name, rep.Text())
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: error %q, want it to contain %q", c.name, err, c.want)
			}
		})
	}
	if _, err := resilience.Analyze(nil); err == nil {
		t.Error("Analyze(nil): no error")
	}
}
