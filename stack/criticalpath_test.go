package stack_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/webstack/webstack/plan"
)

// createMinutes is how long creating a resource of a type takes, in minutes: the slow ones
// measured or documented, everything else (IAM, security groups and rules, routes, log groups,
// alarms, parameters, policies, keys) a few seconds. These are typical durations, not
// guarantees; the test compares paths built from the same numbers, so what matters is their
// order of magnitude.
var createMinutes = map[string]float64{
	// RDS: a Multi-AZ MySQL writer typically takes 15 to 25 minutes to become available
	// (instance, standby in a second AZ, the first automated backup); a single-AZ one about 10
	// to 15. A read replica is created from a snapshot of the available source and then catches
	// up: 10 to 20 minutes. The provider waits until each is "available" (terraform-provider-aws
	// aws_db_instance, default create timeout 40 minutes; RDS User Guide, "Working with DB
	// instance read replicas": "Amazon RDS takes a snapshot of the source DB instance and
	// creates a read-only instance from the snapshot",
	// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.html).
	"rds-writer-multi-az": 20,
	"rds-writer":          12,
	"rds-replica":         15,
	// ElastiCache: a Multi-AZ replication group with TLS, 10 to 15 minutes (provider default
	// create timeout 60 minutes, aws_elasticache_replication_group).
	"aws:elasticache/replicationGroup:ReplicationGroup": 12,
	// CloudFront: the provider waits for the distribution to be Deployed, usually 5 to 15
	// minutes (CloudFront Developer Guide, "Values that you specify when you create or update a
	// distribution"; provider wait_for_deployment, default true).
	"aws:cloudfront/distribution:Distribution": 8,
	// ACM DNS validation: minutes once the records resolve ("can take up to 30 minutes", ACM
	// User Guide, "DNS validation"); typically 2 to 5.
	"aws:acm/certificateValidation:CertificateValidation": 4,
	// A NAT gateway becomes available in 1 to 3 minutes; an ALB in 2 to 4 (provider waits for
	// "active"); an interface VPC endpoint in about 2; the rotation function's SAR stack
	// (CloudFormation, a VPC Lambda with its ENIs) about 3; the bastion instance about 1.
	"aws:ec2/natGateway:NatGateway":                                    2,
	"aws:lb/loadBalancer:LoadBalancer":                                 3,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                  2,
	"aws:serverlessrepository/cloudFormationStack:CloudFormationStack": 3,
	"aws:ec2/instance:Instance":                                        1,
	"aws:wafv2/webAcl:WebAcl":                                          0.5,
	// Auto Scaling: creating a group with nothing to wait for takes under a minute; with
	// instances, the provider waits for waitForElbCapacity of them to pass the ALB health check
	// (up to compute.CapacityTimeout): launch and boot, Docker's installation, the image pull,
	// the application's start and the target group's healthy checks, about 6 minutes inside the
	// 240-second grace period plus the checks (docs/compute.md).
	"asg-empty":    1,
	"asg-capacity": 6,
}

// createDuration is createMinutes for one resource; components take no time of their own.
func createDuration(r plan.Resource) float64 {
	if !r.Custom {
		return 0
	}
	switch r.Type {
	case "aws:rds/instance:Instance":
		switch {
		case r.Inputs["replicateSourceDb"] != nil:
			return createMinutes["rds-replica"]
		case r.Inputs["multiAz"] == true:
			return createMinutes["rds-writer-multi-az"]
		}
		return createMinutes["rds-writer"]
	case "aws:autoscaling/group:Group":
		if n, _ := r.Inputs["waitForElbCapacity"].(float64); n > 0 {
			return createMinutes["asg-capacity"]
		}
		return createMinutes["asg-empty"]
	}
	if m, ok := createMinutes[r.Type]; ok {
		return m
	}
	return 0.1
}

// criticalPath is a fresh `up` of a plan as Pulumi runs it: every resource starts when the
// last of its dependencies (a component's: its children) is created. It returns the time the
// last resource is created, the time the RDS chain (writer, then replicas) ends, and the
// critical path, last resource first.
func criticalPath(t *testing.T, p *plan.Plan) (total, rdsChain float64, path []string) {
	t.Helper()
	byURN := map[string]plan.Resource{}
	children := map[string][]string{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
		children[r.Parent] = append(children[r.Parent], r.URN)
	}
	finish := map[string]float64{}
	via := map[string]string{}
	var visit func(urn string, depth int) float64
	visit = func(urn string, depth int) float64 {
		if f, ok := finish[urn]; ok {
			return f
		}
		if depth > len(byURN) {
			t.Fatalf("dependency cycle through %s", urn)
		}
		r := byURN[urn]
		deps := append([]string(nil), r.Dependencies...)
		if !r.Custom {
			deps = append(deps, children[urn]...)
		}
		start := 0.0
		for _, d := range deps {
			if _, ok := byURN[d]; !ok {
				continue
			}
			if f := visit(d, depth+1); f > start {
				start, via[urn] = f, d
			}
		}
		finish[urn] = start + createDuration(r)
		return finish[urn]
	}
	last := ""
	for _, r := range p.Resources {
		if f := visit(r.URN, 0); f > total {
			total, last = f, r.URN
		}
		if r.Type == "aws:rds/instance:Instance" && finish[r.URN] > rdsChain {
			rdsChain = finish[r.URN]
		}
	}
	for u := last; u != ""; u = via[u] {
		path = append(path, fmt.Sprintf("%5.1f %s (%s)", finish[u], byURN[u].Name, byURN[u].Type))
	}
	return total, rdsChain, path
}

// TestCriticalPathOfAFreshProdUp holds the critical path of a fresh prod `up` within 1.05 times
// the RDS chain (writer, then its replica), which no program can shorten: the fleet must not wait
// for the replica. Two graphs: the committed prod file (no release yet, so the groups wait for
// no instance), and the same file with a release (both colors' groups wait for their instances
// to be healthy). Before the settings moved to Parameter Store, the launch templates carried the
// replica's address, so the fleet (and with a release, its capacity wait) came after the
// replica: 1.031 times the RDS chain committed, 1.173 with a release (measured with this test on
// ddcc19a). The graph is what Pulumi orders; an instance also waits at boot for the settings'
// manifest, which follows the replica. A truly fresh `up` runs no instance (the image guard
// refuses a version before the stack's repository exists), and on a later `up` the settings
// are there before any instance boots, so that wait is not on this path.
func TestCriticalPathOfAFreshProdUp(t *testing.T) {
	committed, _, err := plan.Run("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	released, err := sf.WithSection("webstack:app", func(app map[string]any) {
		app["blue"] = map[string]any{"version": "1.0.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
		app["green"] = map[string]any{"version": "1.0.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	})
	if err != nil {
		t.Fatal(err)
	}
	withRelease, _, err := plan.RunFiles(released)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]*plan.Plan{"committed": committed, "with a release": withRelease} {
		total, chain, path := criticalPath(t, p)
		ratio := total / chain
		t.Logf("prod (%s): critical path %.1f min, RDS chain %.1f min, ratio %.3f", name, total, chain, ratio)
		if ratio > 1.05 {
			t.Errorf("prod (%s): a fresh up's critical path is %.1f min, %.3f times the RDS chain's %.1f min (at most 1.05):\n  %s",
				name, total, ratio, chain, strings.Join(path, "\n  "))
		}
	}
}

// TestFleetDependsOnNoDataTier holds that nothing the fleet is made of (launch templates, Auto
// Scaling groups, the instance profile and role) depends, directly or through other resources,
// on the data tier, the settings' parameters or the instance role's database policy: an
// instance reads its settings at boot, and the database policy is a policy of the role, not an
// input of the profile.
func TestFleetDependsOnNoDataTier(t *testing.T) {
	p, _, err := plan.Run("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	byURN := map[string]plan.Resource{}
	for _, r := range p.Resources {
		byURN[r.URN] = r
	}
	forbidden := func(r plan.Resource) bool {
		return strings.Contains(r.URN, "webstack:data:") || strings.Contains(r.URN, "webstack:stack:AppSettings") ||
			strings.HasSuffix(r.URN, "::app-instance-db-connect")
	}
	for _, r := range p.Resources {
		switch r.Type {
		case "aws:ec2/launchTemplate:LaunchTemplate", "aws:autoscaling/group:Group", "aws:iam/instanceProfile:InstanceProfile":
		default:
			continue
		}
		if !strings.HasPrefix(r.Name, "app-") {
			continue // the bastion's profile
		}
		if strings.HasPrefix(r.Name, "app-migrate") {
			// The migration runner is not the fleet: it embeds the writer's address and reads the
			// master secret by design, and nothing in `up` waits for it (the release tool
			// launches it afterwards); TestCriticalPath still weighs it.
			continue
		}
		seen := map[string]bool{}
		stack := append([]string(nil), r.Dependencies...)
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[u] {
				continue
			}
			seen[u] = true
			d, ok := byURN[u]
			if !ok {
				continue
			}
			if forbidden(d) {
				t.Errorf("%s depends on %s", r.Name, u)
			}
			stack = append(stack, d.Dependencies...)
		}
	}
}
