package stack_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/policy"
)

// The blue/green invariants of docs/release.md, held by running the whole program on the real
// Pulumi.prod.yaml twice, with two values of webstack:app, and comparing what it registers.

const (
	typeListener     = "aws:lb/listener:Listener"
	typeListenerRule = "aws:lb/listenerRule:ListenerRule"
	typeTargetGroup  = "aws:lb/targetGroup:TargetGroup"
)

// runApp runs stack's files with webstack:app changed by mutate.
func runApp(t *testing.T, stack string, mutate func(app map[string]any)) *mockaws.Result {
	t.Helper()
	sf, err := plan.Load("..", stack)
	if err != nil {
		t.Fatal(err)
	}
	if mutate == nil {
		mutate = func(map[string]any) {}
	}
	varied, err := sf.WithSection("webstack:app", mutate)
	if err != nil {
		t.Fatal(err)
	}
	raw := varied.Values["webstack:app"]
	_, res, err := plan.RunFiles(varied)
	if err != nil {
		t.Fatalf("run with webstack:app %s: %v", raw, err)
	}
	return res
}

// fleet sets a color's version and capacity.
func fleet(color, version string, min, desired, max int) func(map[string]any) {
	return func(app map[string]any) {
		app[color] = map[string]any{"version": version, "minSize": min, "desiredCapacity": desired, "maxSize": max}
	}
}

func set(key string, value any) func(map[string]any) {
	return func(app map[string]any) { app[key] = value }
}

func all(fs ...func(map[string]any)) func(map[string]any) {
	return func(app map[string]any) {
		for _, f := range fs {
			f(app)
		}
	}
}

// changes compares two runs by URN: resources only in before, only in after, and those in
// both whose inputs or dependencies differ.
type changes struct {
	removed, added []string
	changed        []*mockaws.Resource
}

func diff(before, after *mockaws.Result) changes {
	var c changes
	old := map[string]*mockaws.Resource{}
	for _, r := range before.Resources {
		old[r.URN] = r
	}
	for _, r := range after.Resources {
		o, ok := old[r.URN]
		if !ok {
			c.added = append(c.added, r.URN)
			continue
		}
		delete(old, r.URN)
		if !reflect.DeepEqual(mockaws.PlainMap(o.Inputs), mockaws.PlainMap(r.Inputs)) ||
			!reflect.DeepEqual(o.Dependencies, r.Dependencies) || o.Parent != r.Parent {
			c.changed = append(c.changed, r)
		}
	}
	for urn := range old {
		c.removed = append(c.removed, urn)
	}
	sort.Strings(c.removed)
	return c
}

func (c changes) names() []string {
	var out []string
	for _, r := range c.changed {
		out = append(out, r.Type+" "+r.Name)
	}
	return out
}

func (c changes) requireNoAddOrRemove(t *testing.T) {
	t.Helper()
	if len(c.added) > 0 || len(c.removed) > 0 {
		t.Errorf("resources added %v, removed %v; want none", c.added, c.removed)
	}
}

// underComponent reports whether r is the component named name or one of its descendants.
func underComponent(res *mockaws.Result, r *mockaws.Resource, typ, name string) bool {
	for r != nil {
		if r.Type == typ && r.Name == name {
			return true
		}
		r = res.ByURN(r.Parent)
	}
	return false
}

var (
	// released is the stack file as it is once blue runs a release: the committed files are
	// in the no-release state (no color has a version), and most invariants are about a stack
	// that serves.
	released      = version("blue", "1.4.2")
	greenDeployed = fleet("green", "1.5.0", 2, 2, 4)
	flipToGreen   = set("activeColor", "green")
)

// version sets a color's version, keeping the sizes the stack file gives it.
func version(color, v string) func(map[string]any) {
	return func(app map[string]any) {
		c, _ := app[color].(map[string]any)
		if c == nil {
			c = map[string]any{}
			app[color] = c
		}
		c["version"] = v
	}
}

// typeLifecyclePolicy is the ECR lifecycle policy's type: it pins the colors' versions, so it
// changes with them.
const typeLifecyclePolicy = "aws:ecr/lifecyclePolicy:LifecyclePolicy"

func TestIdleColorChangeTouchesOnlyTheIdleFleet(t *testing.T) {
	// testListener says whether the change starts or stops the idle color's instances: the
	// test listener then switches between a fixed 404 and forwarding to it, and may change
	// too (it belongs to no color). pin is the version the change gives the idle color, which
	// the repository's lifecycle policy then keeps (the only other resource that may change).
	cases := map[string]struct {
		before, after func(map[string]any)
		testListener  bool
		pin           string
	}{
		"deploy a version to the empty idle color": {released, all(released, greenDeployed), true, "1.5.0"},
		"new version on the warm idle color":       {all(released, greenDeployed), all(released, fleet("green", "1.5.1", 2, 2, 4)), false, "1.5.1"},
		"scale the idle color to zero":             {all(released, greenDeployed), all(released, fleet("green", "1.5.0", 0, 0, 4)), true, ""},
		"idle blue behind a live green": {
			all(released, greenDeployed, flipToGreen),
			all(released, greenDeployed, flipToGreen, fleet("blue", "1.6.0", 2, 2, 4)), false, "1.6.0",
		},
		"first release: deploy to the idle color of a stack with no release": {nil, greenDeployed, true, "1.5.0"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before, after := runApp(t, "prod", tc.before), runApp(t, "prod", tc.after)
			c := diff(before, after)
			c.requireNoAddOrRemove(t)
			if len(c.changed) == 0 {
				t.Fatal("nothing changed; the test compares nothing")
			}
			idle := "app-green"
			if strings.Contains(name, "idle blue") {
				idle = "app-blue"
			}
			pinned := false
			for _, r := range c.changed {
				// The test listener and the release-check rule reach the idle color: whether it
				// runs instances decides between a forward and a fixed 404.
				if tc.testListener && (r.Type == typeListener && r.Name == "app-alb-test" || r.Type == typeListenerRule && r.Name == "app-alb-release-check") {
					continue
				}
				if tc.pin != "" && r.Type == typeLifecyclePolicy && r.Name == "app-ecr-lifecycle" {
					pinned = strings.Contains(fmt.Sprint(r.Input("policy")), `"tagPatternList":["`+tc.pin+`"]`)
					continue
				}
				if !underComponent(after, r, "webstack:compute:Fleet", idle) {
					t.Errorf("%s %s changed; only the idle fleet %s may (changed: %v)", r.Type, r.Name, idle, c.names())
				}
			}
			if tc.pin != "" && !pinned {
				t.Errorf("the lifecycle policy does not pin the new version %s (changed: %v)", tc.pin, c.names())
			}
		})
	}
}

func TestFlipChangesOnlyListeners(t *testing.T) {
	cases := map[string]struct{ before, after func(map[string]any) }{
		"flip blue to green": {all(released, greenDeployed), all(released, greenDeployed, flipToGreen)},
		"roll back":          {all(released, greenDeployed, flipToGreen), all(released, greenDeployed)},
		"canary step":        {all(released, greenDeployed), all(released, greenDeployed, set("canaryWeight", 10))},
		"canary to flip":     {all(released, greenDeployed, set("canaryWeight", 10)), all(released, greenDeployed, flipToGreen)},
		// The first release's flip: production goes from the no-release 503 to green, and the
		// test listener from green to the 404 of blue, which has no version. Production no
		// longer answers a fixed 503, so the load-balancer-wide alarm becomes the plain 503
		// count: the one alarm that changes, once.
		"first flip": {greenDeployed, all(greenDeployed, flipToGreen)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before, after := runApp(t, "prod", tc.before), runApp(t, "prod", tc.after)
			c := diff(before, after)
			c.requireNoAddOrRemove(t)
			if len(c.changed) == 0 {
				t.Fatal("nothing changed; the test compares nothing")
			}
			alarmChanged := false
			for _, r := range c.changed {
				if name == "first flip" && r.Type == "aws:cloudwatch/metricAlarm:MetricAlarm" && r.Name == "app-alb-elb-5xx-alarm" {
					alarmChanged = true
					continue
				}
				if r.Type != typeListener && r.Type != typeListenerRule {
					t.Errorf("%s %s changed; a flip or canary step may change only listeners and listener rules (changed: %v)", r.Type, r.Name, c.names())
				}
			}
			if name == "first flip" && !alarmChanged {
				t.Errorf("the first release left app-alb-elb-5xx-alarm as it was (changed: %v)", c.names())
			}
		})
	}

	// After the flip, production reaches green's production target group and the test
	// listener blue's test target group.
	res := runApp(t, "prod", all(released, greenDeployed, flipToGreen))
	tg := func(name string) any { return res.Find(typeTargetGroup, "app-alb-"+name+"-tg").Output("arn") }
	if got := productionForward(t, res)["targetGroupArn"]; got != tg("green") {
		t.Errorf("production listener's origin rule forwards to %v, want green's target group %v", got, tg("green"))
	}
	if got := res.Find(typeListener, "app-alb-test").Input("defaultActions", 0, "targetGroupArn"); got != tg("blue-test") {
		t.Errorf("test listener forwards to %v, want blue's test target group %v", got, tg("blue-test"))
	}
	if res.Outputs["activeColor"] != "green" || res.Outputs["idleColor"] != "blue" {
		t.Errorf("outputs activeColor/idleColor = %v/%v, want green/blue", res.Outputs["activeColor"], res.Outputs["idleColor"])
	}
}

func TestCanaryWeightsSumTo100(t *testing.T) {
	for _, weight := range []int{1, 10, 50, 99, 100} {
		for _, active := range []string{"blue", "green"} {
			res := runApp(t, "prod", all(released, greenDeployed, set("activeColor", active), set("canaryWeight", weight)))
			forward, _ := productionForward(t, res)["forward"].(map[string]any)
			groups, _ := forward["targetGroups"].([]any)
			if len(groups) != 2 {
				t.Fatalf("canary %d: production listener forwards to %d target groups, want a weighted forward to 2", weight, len(groups))
			}
			idle := "green"
			if active == "green" {
				idle = "blue"
			}
			idleARN := res.Find(typeTargetGroup, "app-alb-"+idle+"-tg").Output("arn")
			sum, idleWeight := 0.0, -1.0
			for _, g := range groups {
				m := g.(map[string]any)
				sum += m["weight"].(float64)
				if m["arn"] == idleARN {
					idleWeight = m["weight"].(float64)
				}
			}
			if sum != 100 || idleWeight != float64(weight) {
				t.Errorf("active %s, canary %d: weights sum to %v with %v on the idle color, want 100 and %d", active, weight, sum, idleWeight, weight)
			}
		}
	}
}

// productionForward returns the action that forwards production traffic: behind CloudFront
// (every stack) the production listener refuses everything by default (403) and its origin
// rule, which admits only requests carrying the secret origin header, forwards to the live
// color (weighted during a canary).
func productionForward(t *testing.T, res *mockaws.Result) map[string]any {
	t.Helper()
	listener := res.Find(typeListener, "app-alb-production")
	if listener == nil {
		t.Fatal("no app-alb-production listener")
	}
	if got := listener.Input("defaultActions", 0, "fixedResponse", "statusCode"); got != "403" {
		t.Errorf("production listener default action answers %v, want a fixed 403 for requests without the origin header", got)
	}
	rule := res.Find(typeListenerRule, "app-alb-origin")
	if rule == nil {
		t.Fatal("no app-alb-origin listener rule on the production listener")
	}
	if rule.Input("listenerArn") != listener.Output("arn") {
		t.Errorf("app-alb-origin is on listener %v, want the production listener %v", rule.Input("listenerArn"), listener.Output("arn"))
	}
	action, _ := rule.Input("actions", 0).(map[string]any)
	if action["type"] != "forward" {
		t.Fatalf("app-alb-origin action %v, want a forward", action)
	}
	return action
}

// TestOnlyComputeDependsOnReleaseState: versions, colors and canary weights reach nothing
// outside the compute tier (network, bastion, provider, and the data tier once it exists).
func TestOnlyComputeDependsOnReleaseState(t *testing.T) {
	base := runApp(t, "prod", released)
	for name, mutate := range map[string]func(map[string]any){
		"versions":   all(fleet("blue", "2.0.0", 2, 2, 4), fleet("green", "2.0.1", 2, 2, 4)),
		"flip":       all(released, greenDeployed, flipToGreen),
		"canary":     all(released, greenDeployed, set("canaryWeight", 25)),
		"no release": nil,
	} {
		t.Run(name, func(t *testing.T) {
			after := runApp(t, "prod", mutate)
			c := diff(base, after)
			c.requireNoAddOrRemove(t)
			for _, r := range c.changed {
				if !underComponent(after, r, "webstack:compute:Compute", "app") {
					t.Errorf("%s %s changed with the release state; only the compute tier may", r.Type, r.Name)
				}
			}
			for _, r := range after.Resources {
				if underComponent(after, r, "webstack:network:Network", "net") {
					for _, dep := range r.Dependencies {
						if strings.Contains(dep, "webstack:compute:") {
							t.Errorf("network resource %s depends on compute resource %s", r.Name, dep)
						}
					}
				}
			}
		})
	}
}

// TestStackFilesCompute checks the compute tier each real stack file builds, as committed (no
// release yet) and once blue runs a release.
func TestStackFilesCompute(t *testing.T) {
	// prod has a domain: HTTPS listeners (production 443, test 9000) plus the port 80
	// redirect. dev and test have none: HTTP production and test listeners.
	want := map[string]struct {
		minActive  int
		protection bool
		listeners  int
		scheme     string
	}{"prod": {2, true, 3, "https"}, "dev": {1, false, 2, "http"}, "test": {2, false, 2, "http"}}
	for stack, w := range want {
		t.Run(stack, func(t *testing.T) {
			_, res, err := plan.Run("..", stack)
			if err != nil {
				t.Fatal(err)
			}
			counts := res.Counts()
			for typ, n := range map[string]int{
				// Two target groups per color (production and test), the origin, release-check
				// and anchor rules; a launch template per color and the migration runner's.
				"aws:lb/loadBalancer:LoadBalancer": 1, typeTargetGroup: 4, typeListener: w.listeners, typeListenerRule: 3,
				"aws:ec2/launchTemplate:LaunchTemplate": 3, "aws:autoscaling/group:Group": 2,
				"aws:ecr/repository:Repository": 1, "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
			} {
				if counts[typ] != n {
					t.Errorf("%d %s, want %d", counts[typ], typ, n)
				}
			}
			alb := res.Find("aws:lb/loadBalancer:LoadBalancer", "app-alb-lb")
			if got := alb.Input("subnets"); !reflect.DeepEqual(got, res.Outputs["publicSubnetIds"]) {
				t.Errorf("ALB subnets %v, want every public subnet %v", got, res.Outputs["publicSubnetIds"])
			}
			if got := alb.Input("enableDeletionProtection"); got != w.protection {
				t.Errorf("ALB enableDeletionProtection = %v, want %v", got, w.protection)
			}
			// Access logs (ELB.5) are a prod control; dev and test leave them off.
			if got := alb.Input("accessLogs", "enabled") == true; got != (stack == "prod") {
				t.Errorf("ALB access logs enabled = %v, want %v", got, stack == "prod")
			}
			for _, color := range []string{"blue", "green"} {
				lt := res.Find("aws:ec2/launchTemplate:LaunchTemplate", "app-"+color+"-lt")
				if lt.Input("metadataOptions", "httpTokens") != "required" || lt.Input("blockDeviceMappings", 0, "ebs", "encrypted") != "true" {
					t.Errorf("%s: IMDSv2 %v, encrypted %v; want required and \"true\"", lt.Name,
						lt.Input("metadataOptions", "httpTokens"), lt.Input("blockDeviceMappings", 0, "ebs", "encrypted"))
				}
				asg := res.Find("aws:autoscaling/group:Group", "app-"+color+"-asg")
				if asg.Input("healthCheckType") != "ELB" {
					t.Errorf("%s: healthCheckType %v, want ELB", asg.Name, asg.Input("healthCheckType"))
				}
				if got := asg.Input("vpcZoneIdentifiers"); !reflect.DeepEqual(got, res.Outputs["appSubnetIds"]) {
					t.Errorf("%s: subnets %v, want every app subnet %v", asg.Name, got, res.Outputs["appSubnetIds"])
				}
			}
			if got := res.Find("aws:ecr/repository:Repository", "app-ecr-repository").Input("imageTagMutability"); got != "IMMUTABLE" {
				t.Errorf("ECR imageTagMutability = %v, want IMMUTABLE", got)
			}
			for _, out := range []string{"albDnsName", "albArn", "productionListenerArn", "testListenerArn", "testUrl",
				"blueTargetGroupArn", "greenTargetGroupArn", "blueAsgName", "greenAsgName", "activeColor", "idleColor",
				"blueVersion", "greenVersion", "ecrRepositoryUrl"} {
				if _, ok := res.Outputs[out]; !ok {
					t.Errorf("output %s missing", out)
				}
			}
			// With a certificate the test URL must use the name the certificate covers
			// (origin.<domain>), not the ALB's own DNS name, or every smoke test fails TLS.
			wantURL := fmt.Sprintf("http://%s:9000", res.Outputs["albDnsName"])
			if w.scheme == "https" {
				wantURL = "https://origin.www.example.com:9000"
			}
			if url := res.Outputs["testUrl"]; url != wantURL {
				t.Errorf("testUrl = %v, want %s", url, wantURL)
			}
			// The deploy networks, and only they, reach the test listener.
			for _, r := range res.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
				if r.Input("fromPort") == 9000.0 && (r.Input("cidrIpv4") == "0.0.0.0/0" || r.Input("cidrIpv4") == nil) {
					t.Errorf("%s opens the test listener to %v", r.Name, r.Input("cidrIpv4"))
				}
			}

			// Released, the active color runs its sizes, at least minActiveCapacity.
			rel := runApp(t, stack, released)
			active := rel.Outputs["activeColor"].(string)
			if got := rel.Find("aws:autoscaling/group:Group", "app-"+active+"-asg").Input("minSize"); got != float64(w.minActive) {
				t.Errorf("released: active color %s minSize = %v, want %d", active, got, w.minActive)
			}
		})
	}
}

// TestNoReleaseState: each committed stack file is in the no-release state. No instance runs
// (whatever the colors' sizes say), production answers a clear fixed 503 and the test listener
// a fixed 404 (no 5XX: the no-release 503 is the only fixed 5XX the load balancer answers), no
// image is looked up, and the outputs say no color has a version.
func TestNoReleaseState(t *testing.T) {
	for _, stack := range []string{"prod", "dev", "test"} {
		t.Run(stack, func(t *testing.T) {
			p, res, err := plan.Run("..", stack)
			if err != nil {
				t.Fatal(err)
			}
			for _, color := range []string{"blue", "green"} {
				asg := res.Find("aws:autoscaling/group:Group", "app-"+color+"-asg")
				for _, k := range []string{"minSize", "desiredCapacity", "waitForElbCapacity"} {
					if got := asg.Input(k); got != 0.0 {
						t.Errorf("%s: %s = %v, want 0: a color without a version runs no instance", asg.Name, k, got)
					}
				}
				if got := asg.Input("maxSize"); got == 0.0 {
					t.Errorf("%s: maxSize 0; the configured maxSize is kept", asg.Name)
				}
				if v := res.Outputs[color+"Version"]; v != "" {
					t.Errorf("output %sVersion = %v, want \"\"", color, v)
				}
			}
			// Every stack sits behind CloudFront: the origin rule, which forwards once there
			// is a release, answers the 503 now; the test listener answers a 404.
			for status, action := range map[string]map[string]any{
				"503": res.Find(typeListenerRule, "app-alb-origin").Input("actions", 0).(map[string]any),
				"404": res.Find(typeListener, "app-alb-test").Input("defaultActions", 0).(map[string]any),
			} {
				fixed, _ := action["fixedResponse"].(map[string]any)
				if action["type"] != "fixed-response" || fixed["statusCode"] != status || fixed["contentType"] != "application/json" ||
					!strings.Contains(fmt.Sprint(fixed["messageBody"]), `"error":"no_release"`) {
					t.Errorf("action %v, want a fixed JSON %s saying no release is deployed", action, status)
				}
			}
			// The load-balancer-wide alarm subtracts the fixed responses while production
			// answers the no-release 503.
			if a := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "app-alb-elb-5xx-alarm"); a == nil || a.Input("metricQueries") == nil {
				t.Error("app-alb-elb-5xx-alarm is not the no-release metric math alarm")
			}
			for _, call := range res.Calls {
				if call == "aws:ecr/getImage:getImage" {
					t.Error("an image was looked up though no color runs a version")
				}
			}
			if len(p.AssumedImages) != 0 {
				t.Errorf("the plan assumes images %v pushed; no color runs one", p.AssumedImages)
			}
			// Only prod's documentation placeholders may fail (policy's TestRealStacks pins them).
			for _, c := range p.FailedChecks() {
				if c.ID != policy.PlaceholdersCheckID {
					t.Errorf("check fails in the no-release state: %s: %s", c.ID, c.Message)
				}
			}
		})
	}
}

// TestDestroyPathKeepsAccessLogs: the documented destroy path turns the ALB's deletion
// protection off; prod's access logs (and every resource that configures their bucket) stay
// retained, because webstack:app.retainAccessLogs, not deletion protection, decides. Only an
// explicit retainAccessLogs: false lets a destroy delete them.
func TestDestroyPathKeepsAccessLogs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(map[string]any)
		retain bool
	}{
		{"as committed", nil, true},
		{"deletion protection off", set("deletionProtection", false), true},
		{"retainAccessLogs false", set("retainAccessLogs", false), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runApp(t, "prod", tc.mutate)
			n := 0
			for _, r := range res.Resources {
				if strings.HasPrefix(r.Name, "app-alb-logs") && strings.HasPrefix(r.Type, "aws:s3/") {
					n++
					if r.RetainOnDelete != tc.retain {
						t.Errorf("%s %s: retainOnDelete %v, want %v", r.Type, r.Name, r.RetainOnDelete, tc.retain)
					}
				}
			}
			if n != 7 {
				t.Errorf("%d access log resources, want 7", n)
			}
			if got := res.Find("aws:s3/bucketV2:BucketV2", "app-alb-logs").Input("forceDestroy"); got != !tc.retain {
				t.Errorf("forceDestroy %v, want %v", got, !tc.retain)
			}
		})
	}
}

// TestUnhealthyAlarmFollowsGracePeriod: the unhealthy-host alarms wait out
// webstack:app.healthCheckGracePeriod and two minutes more.
func TestUnhealthyAlarmFollowsGracePeriod(t *testing.T) {
	for grace, want := range map[int]float64{240: 6, 600: 12} {
		res := runApp(t, "prod", set("healthCheckGracePeriod", grace))
		for _, c := range []string{"blue", "green"} {
			a := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "app-alb-"+c+"-unhealthy-hosts-alarm")
			if a.Input("evaluationPeriods") != want || a.Input("datapointsToAlarm") != want {
				t.Errorf("grace %d s: %s evaluates %v of %v minutes, want %v of %v", grace, a.Name, a.Input("datapointsToAlarm"), a.Input("evaluationPeriods"), want, want)
			}
			if got := res.Find("aws:autoscaling/group:Group", "app-"+c+"-asg").Input("healthCheckGracePeriod"); got != float64(grace) {
				t.Errorf("grace %d s: app-%s-asg has %v", grace, c, got)
			}
		}
	}
}
