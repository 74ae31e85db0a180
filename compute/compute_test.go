package compute

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/ec2host"
	"github.com/webstack/webstack/mockaws"
)

const (
	tLB     = "aws:lb/loadBalancer:LoadBalancer"
	tTG     = "aws:lb/targetGroup:TargetGroup"
	tLst    = "aws:lb/listener:Listener"
	tRule   = "aws:lb/listenerRule:ListenerRule"
	tLT     = "aws:ec2/launchTemplate:LaunchTemplate"
	tASG    = "aws:autoscaling/group:Group"
	tRepo   = "aws:ecr/repository:Repository"
	tLCP    = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
	tRole   = "aws:iam/role:Role"
	tRPA    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tRP     = "aws:iam/rolePolicy:RolePolicy"
	tProf   = "aws:iam/instanceProfile:InstanceProfile"
	tLogs   = "aws:cloudwatch/logGroup:LogGroup"
	tAlarm  = "aws:cloudwatch/metricAlarm:MetricAlarm"
	region  = "ap-northeast-2"
	project = "webstack"
)

func run(t *testing.T, program pulumi.RunFunc) *mockaws.Result {
	t.Helper()
	res, err := mockaws.Run(project, "unit", mockaws.Options{Region: region}, program)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

func minimalCompute() *ComputeArgs {
	return &ComputeArgs{
		VPCID:              pulumi.String("vpc-1"),
		PublicSubnetIDs:    pulumi.ToStringArray([]string{"subnet-p1", "subnet-p2"}),
		AppSubnetIDs:       pulumi.ToStringArray([]string{"subnet-a1", "subnet-a2"}),
		ALBSecurityGroupID: pulumi.String("sg-alb"),
		AppSecurityGroupID: pulumi.String("sg-app"),
		Region:             region,
		Partition:          "aws",
		AccountID:          mockaws.AccountID,
		SettingsPath:       "/webstack/unit/app",
		RepositoryName:     "webstack-unit",
		Port:               8080,
		TestListenerPort:   9000,
		ActiveColor:        Blue,
		Blue:               ColorArgs{Version: "1.4.2", MinSize: 2, DesiredCapacity: 2, MaxSize: 4},
		Green:              ColorArgs{MaxSize: 4},
		// Minimal: the secure defaults that need more arguments or make more resources are
		// off here, and on in TestComputeSecureDefaults.
		DisableDeletionProtection: true,
		DisableAccessLogs:         true,
	}
}

// TestComputeSecureDefaults: the optional args left unset give an ALB with deletion
// protection and access logs, and an ECR repository that is not force-deleted.
func TestComputeSecureDefaults(t *testing.T) {
	args := minimalCompute()
	args.DisableDeletionProtection, args.DisableAccessLogs = false, false
	args.AccountID = mockaws.AccountID
	res := runCompute(t, args)
	alb := must(t, res, tLB, "app-alb-lb")
	expect(t, alb, true, "enableDeletionProtection")
	expect(t, alb, true, "accessLogs", "enabled")
	must(t, res, "aws:s3/bucketV2:BucketV2", "app-alb-logs")
	expect(t, must(t, res, tRepo, "app-ecr-repository"), false, "forceDelete")
}

func runCompute(t *testing.T, args *ComputeArgs) *mockaws.Result {
	t.Helper()
	return run(t, func(ctx *pulumi.Context) error {
		_, err := NewCompute(ctx, "app", args)
		return err
	})
}

func must(t *testing.T, res *mockaws.Result, typ, name string) *mockaws.Resource {
	t.Helper()
	r := res.Find(typ, name)
	if r == nil {
		t.Fatalf("no %s %q registered", typ, name)
	}
	return r
}

func expect(t *testing.T, r *mockaws.Resource, want any, path ...any) {
	t.Helper()
	got := r.Input(path...)
	if n, ok := want.(int); ok {
		want = float64(n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s %s: input %v = %#v, want %#v", r.Type, r.Name, path, got, want)
	}
}

func TestComputeCounts(t *testing.T) {
	res := runCompute(t, minimalCompute())
	want := map[string]int{
		tLB: 1, tTG: 4, tLst: 2, tRule: 1, tLT: 2, tASG: 2, tRepo: 1, tLCP: 1, tRole: 1, tRPA: 1, tRP: 3, tProf: 1, tLogs: 1, // inline policies: settings, ECR, logs
		"webstack:compute:Compute": 1, "webstack:compute:LoadBalancer": 1, "webstack:compute:Fleet": 2,
		"webstack:compute:Repository": 1, "webstack:compute:InstanceRole": 1,
	}
	got := res.Counts()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("resource counts = %v, want %v", got, want)
	}
	// Every child is parented to a component, never to the stack.
	for _, r := range res.Resources {
		if r.Type == "webstack:compute:Compute" {
			continue
		}
		if !strings.Contains(r.Parent, "webstack:compute:") {
			t.Errorf("%s %s has parent %q, want a compute component", r.Type, r.Name, r.Parent)
		}
	}
}

func TestLoadBalancer(t *testing.T) {
	res := runCompute(t, minimalCompute())
	alb := must(t, res, tLB, "app-alb-lb")
	expect(t, alb, "application", "loadBalancerType")
	expect(t, alb, false, "internal")
	expect(t, alb, true, "dropInvalidHeaderFields")
	expect(t, alb, "defensive", "desyncMitigationMode")
	expect(t, alb, false, "enableDeletionProtection")
	expect(t, alb, true, "enableHttp2")
	expect(t, alb, 60, "idleTimeout")
	expect(t, alb, []any{"subnet-p1", "subnet-p2"}, "subnets")
	expect(t, alb, []any{"sg-alb"}, "securityGroups")

	for _, c := range Colors {
		for name, traffic := range map[string]Traffic{"app-alb-" + string(c) + "-tg": ProductionTraffic, "app-alb-" + string(c) + "-test-tg": TestTraffic} {
			tg := must(t, res, tTG, name)
			expect(t, tg, 8080, "port")
			expect(t, tg, "HTTP", "protocol")
			expect(t, tg, "vpc-1", "vpcId")
			expect(t, tg, DefaultDeregistrationDelay, "deregistrationDelay")
			expect(t, tg, "/actuator/health", "healthCheck", "path")
			expect(t, tg, "200", "healthCheck", "matcher")
			expect(t, tg, 5, "healthCheck", "interval")
			expect(t, tg, 2, "healthCheck", "healthyThreshold")
			expect(t, tg, string(c), "tags", "Color")
			expect(t, tg, string(traffic), "tags", "Traffic")
		}
	}
	// Healthy within about 20 s of the application answering: at most one interval until
	// the first check, then HealthyThreshold passing checks.
	if worst := HealthCheckInterval * (HealthyThreshold + 1); worst > 20 {
		t.Errorf("a new target needs up to %d s to become healthy, want <= 20", worst)
	}

	blueTG := must(t, res, tTG, "app-alb-blue-tg").Output("arn")
	prod := must(t, res, tLst, "app-alb-production")
	expect(t, prod, 80, "port")
	expect(t, prod, "HTTP", "protocol")
	expect(t, prod, "forward", "defaultActions", 0, "type")
	expect(t, prod, blueTG, "defaultActions", 0, "targetGroupArn")
	// Green has no version: the test listener answers a fixed 404, not a 5XX, instead of
	// forwarding to a target group without targets.
	test := must(t, res, tLst, "app-alb-test")
	expect(t, test, 9000, "port")
	expect(t, test, "fixed-response", "defaultActions", 0, "type")
	expect(t, test, IdleEmptyStatus, "defaultActions", 0, "fixedResponse", "statusCode")
	expect(t, test, "404", "defaultActions", 0, "fixedResponse", "statusCode")

	// Once green runs instances, the test listener forwards to green's test target group,
	// never to a production one.
	args := minimalCompute()
	args.Green = ColorArgs{Version: "1.5.0", MinSize: 1, DesiredCapacity: 1, MaxSize: 4}
	res = runCompute(t, args)
	expect(t, must(t, res, tLst, "app-alb-test"), must(t, res, tTG, "app-alb-green-test-tg").Output("arn"), "defaultActions", 0, "targetGroupArn")
}

// TestAnchorRule: one rule on the test listener names all four target groups, so that every
// instance is health checked in both of its groups, and matches no request anyone sends.
func TestAnchorRule(t *testing.T) {
	res := runCompute(t, minimalCompute())
	rule := must(t, res, tRule, "app-alb-anchor")
	expect(t, rule, must(t, res, tLst, "app-alb-test").Output("arn"), "listenerArn")
	expect(t, rule, AnchorRulePriority, "priority")
	expect(t, rule, []any{AnchorMethod}, "conditions", 0, "httpRequestMethod", "values")
	expect(t, rule, AnchorPurpose, "tags", "Purpose")
	var named []any
	for _, g := range rule.Input("actions", 0, "forward", "targetGroups").([]any) {
		named = append(named, g.(map[string]any)["arn"])
		if w := g.(map[string]any)["weight"]; w != 1.0 {
			t.Errorf("anchor weight %v, want 1", w)
		}
	}
	var all []any
	for _, tg := range res.ByType(tTG) {
		all = append(all, tg.Output("arn"))
	}
	sort.Slice(named, func(i, j int) bool { return named[i].(string) < named[j].(string) })
	sort.Slice(all, func(i, j int) bool { return all[i].(string) < all[j].(string) })
	if !reflect.DeepEqual(named, all) {
		t.Errorf("the anchor rule names %v, want every target group %v", named, all)
	}
	for _, c := range Colors {
		asg := must(t, res, tASG, "app-"+string(c)+"-asg")
		after := false
		for _, d := range asg.Dependencies {
			after = after || d == rule.URN
		}
		if !after {
			t.Errorf("%s does not wait for the anchor rule", asg.Name)
		}
	}
}

// TestNoRelease: neither color has a version. No instance runs, whatever the sizes say,
// production answers a fixed JSON 503 and the test listener a fixed JSON 404: the only fixed 5XX
// the load balancer can answer is production's.
func TestNoRelease(t *testing.T) {
	args := minimalCompute()
	args.Blue = ColorArgs{MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	args.Green = ColorArgs{MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	res := runCompute(t, args)
	for _, c := range Colors {
		asg := must(t, res, tASG, "app-"+string(c)+"-asg")
		expect(t, asg, 0, "minSize")
		expect(t, asg, 0, "desiredCapacity")
		expect(t, asg, 4, "maxSize")
		expect(t, asg, 0, "waitForElbCapacity")
	}
	for name, purpose := range map[string]string{"app-alb-production": "production", "app-alb-test": "test"} {
		l := must(t, res, tLst, name)
		expect(t, l, "fixed-response", "defaultActions", 0, "type")
		status := map[string]string{"production": "503", "test": "404"}[purpose]
		expect(t, l, status, "defaultActions", 0, "fixedResponse", "statusCode")
		expect(t, l, "application/json", "defaultActions", 0, "fixedResponse", "contentType")
		body := l.Input("defaultActions", 0, "fixedResponse", "messageBody").(string)
		var doc map[string]string
		if err := json.Unmarshal([]byte(body), &doc); err != nil || doc["error"] != "no_release" || len(body) > 1024 {
			t.Errorf("%s: body %q is not the short no-release JSON", name, body)
		}
		if body != NoReleaseBody(purpose, Green) && body != NoReleaseBody(purpose, Blue) {
			t.Errorf("%s: body %q", name, body)
		}
	}

	// Behind CloudFront the 403 gate stays, and the origin rule answers the 503.
	args.OriginHeaderName = "X-Origin-Verify"
	args.OriginHeaderValue = pulumi.String("s3cr3t-value")
	res = runCompute(t, args)
	expect(t, must(t, res, tLst, "app-alb-production"), "403", "defaultActions", 0, "fixedResponse", "statusCode")
	expect(t, must(t, res, tRule, "app-alb-origin"), "503", "actions", 0, "fixedResponse", "statusCode")

	// A canary needs both colors running.
	args.CanaryWeight = 10
	if err := runErr(func(ctx *pulumi.Context) error { _, err := NewCompute(ctx, "app", args); return err }); err == nil {
		t.Error("a canary between colors that run no instances was accepted")
	}
}

func TestLoadBalancerCanary(t *testing.T) {
	args := minimalCompute()
	args.Green = ColorArgs{Version: "1.5.0", MinSize: 1, DesiredCapacity: 1, MaxSize: 4}
	args.CanaryWeight = 10
	res := runCompute(t, args)
	prod := must(t, res, tLst, "app-alb-production")
	groups, _ := prod.Input("defaultActions", 0, "forward", "targetGroups").([]any)
	if len(groups) != 2 {
		t.Fatalf("production listener forwards to %d target groups, want 2: %v", len(groups), prod.Input("defaultActions"))
	}
	weights := map[any]float64{}
	sum := 0.0
	for _, g := range groups {
		m := g.(map[string]any)
		weights[m["arn"]] = m["weight"].(float64)
		sum += m["weight"].(float64)
	}
	if sum != 100 {
		t.Errorf("canary weights sum to %v, want 100", sum)
	}
	if w := weights[must(t, res, tTG, "app-alb-green-tg").Output("arn")]; w != 10 {
		t.Errorf("idle color weight = %v, want 10", w)
	}
	expect(t, prod, true, "defaultActions", 0, "forward", "stickiness", "enabled")
}

func TestWeights(t *testing.T) {
	for _, active := range Colors {
		for canary := 0; canary <= 100; canary++ {
			w := Weights(active, canary)
			if w[Blue]+w[Green] != 100 || w[active.Other()] != canary {
				t.Fatalf("Weights(%s, %d) = %v", active, canary, w)
			}
		}
	}
}

// TestLoadBalancerEdgeHooks covers the edge tier's arguments: HTTPS with the TLS 1.3 policy,
// a redirect from port 80, and the origin-header gate with its forwarding rule.
func TestLoadBalancerEdgeHooks(t *testing.T) {
	args := minimalCompute()
	args.CertificateARN = pulumi.String("arn:aws:acm:ap-northeast-2:123456789012:certificate/abc")
	args.OriginHeaderName = "X-Origin-Verify"
	args.OriginHeaderValue = pulumi.ToSecret(pulumi.String("s3cr3t-value")).(pulumi.StringOutput)
	res := runCompute(t, args)

	prod := must(t, res, tLst, "app-alb-production")
	expect(t, prod, 443, "port")
	expect(t, prod, "HTTPS", "protocol")
	expect(t, prod, TLSPolicy, "sslPolicy")
	expect(t, prod, "fixed-response", "defaultActions", 0, "type")
	expect(t, prod, "403", "defaultActions", 0, "fixedResponse", "statusCode")
	test := must(t, res, tLst, "app-alb-test")
	expect(t, test, "HTTPS", "protocol")
	expect(t, test, TLSPolicy, "sslPolicy")
	redirect := must(t, res, tLst, "app-alb-http-redirect")
	expect(t, redirect, 80, "port")
	expect(t, redirect, "redirect", "defaultActions", 0, "type")
	expect(t, redirect, "HTTPS", "defaultActions", 0, "redirect", "protocol")

	rule := must(t, res, tRule, "app-alb-origin")
	expect(t, rule, OriginRulePriority, "priority")
	expect(t, rule, "X-Origin-Verify", "conditions", 0, "httpHeader", "httpHeaderName")
	expect(t, rule, mockaws.Secret, "conditions", 0, "httpHeader", "values", 0)
	expect(t, rule, must(t, res, tTG, "app-alb-blue-tg").Output("arn"), "actions", 0, "targetGroupArn")
	if b, _ := json.Marshal(mockaws.PlainMap(rule.Inputs)); strings.Contains(string(b), "s3cr3t") {
		t.Errorf("origin header value appears in clear in the rule's inputs: %s", b)
	}

	// A flip behind CloudFront changes the rule only: the listeners keep the 403 default.
	flipped := *args
	flipped.ActiveColor = Green
	flipped.Green = ColorArgs{Version: "1.5.0", MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	after := runCompute(t, &flipped)
	if got := must(t, after, tRule, "app-alb-origin").Input("actions", 0, "targetGroupArn"); got != must(t, after, tTG, "app-alb-green-tg").Output("arn") {
		t.Errorf("after the flip the origin rule forwards to %v, want the green target group", got)
	}
	if !reflect.DeepEqual(prod.Input("defaultActions"), must(t, after, tLst, "app-alb-production").Input("defaultActions")) {
		t.Error("a flip behind CloudFront changed the production listener's default action; only the rule should change")
	}
}

func TestLoadBalancerDeletionProtection(t *testing.T) {
	args := minimalCompute()
	args.DisableDeletionProtection = false
	res := runCompute(t, args)
	expect(t, must(t, res, tLB, "app-alb-lb"), true, "enableDeletionProtection")
	expect(t, must(t, res, tRepo, "app-ecr-repository"), false, "forceDelete")
}

func TestFleet(t *testing.T) {
	args := minimalCompute()
	args.Tags = map[string]string{"Project": "webstack", "Environment": "unit"}
	res := runCompute(t, args)
	for _, c := range Colors {
		lt := must(t, res, tLT, "app-"+string(c)+"-lt")
		expect(t, lt, "resolve:ssm:"+ec2host.AL2023ARM64Parameter, "imageId")
		expect(t, lt, "t4g.small", "instanceType")
		expect(t, lt, "required", "metadataOptions", "httpTokens")
		expect(t, lt, 1, "metadataOptions", "httpPutResponseHopLimit")
		expect(t, lt, "true", "blockDeviceMappings", 0, "ebs", "encrypted")
		expect(t, lt, "gp3", "blockDeviceMappings", 0, "ebs", "volumeType")
		expect(t, lt, []any{"sg-app"}, "vpcSecurityGroupIds")
		if lt.Input("networkInterfaces") != nil {
			t.Errorf("%s: network interfaces set; instances must get no public IP", lt.Name)
		}

		asg := must(t, res, tASG, "app-"+string(c)+"-asg")
		expect(t, asg, []any{"subnet-a1", "subnet-a2"}, "vpcZoneIdentifiers")
		expect(t, asg, "ELB", "healthCheckType")
		expect(t, asg, 240, "healthCheckGracePeriod")
		expect(t, asg, []any{must(t, res, tTG, "app-alb-"+string(c)+"-tg").Output("arn"), must(t, res, tTG, "app-alb-"+string(c)+"-test-tg").Output("arn")}, "targetGroupArns")
		expect(t, asg, lt.ID, "launchTemplate", "id")
		expect(t, asg, "Rolling", "instanceRefresh", "strategy")
		expect(t, asg, 100, "instanceRefresh", "preferences", "minHealthyPercentage")
		if asg.Input("availabilityZones") != nil {
			t.Errorf("%s: availabilityZones conflicts with vpcZoneIdentifiers", asg.Name)
		}
		tags := map[string]any{}
		for _, tag := range asg.Input("tags").([]any) {
			m := tag.(map[string]any)
			if m["propagateAtLaunch"] != true {
				t.Errorf("%s: tag %v is not propagated to instances", asg.Name, m["key"])
			}
			tags[m["key"].(string)] = m["value"]
		}
		want := map[string]any{"Color": string(c), "Version": args.Color(c).Version, "Project": "webstack", "Environment": "unit",
			"Name": "webstack-unit-app-" + string(c)}
		if !reflect.DeepEqual(tags, want) {
			t.Errorf("%s: tags = %v, want %v", asg.Name, tags, want)
		}
	}
	blue := must(t, res, tASG, "app-blue-asg")
	expect(t, blue, 2, "minSize")
	expect(t, blue, 2, "desiredCapacity")
	expect(t, blue, 4, "maxSize")
	expect(t, blue, 2, "waitForElbCapacity")

	ud, err := base64.StdEncoding.DecodeString(must(t, res, tLT, "app-blue-lt").Input("userData").(string))
	if err != nil {
		t.Fatalf("user data is not base64: %v", err)
	}
	for _, want := range []string{"webstack-unit:1.4.2", "--network host", "APP_COLOR=blue"} {
		if !strings.Contains(string(ud), want) {
			t.Errorf("blue user data lacks %q", want)
		}
	}
}

func TestInstanceRole(t *testing.T) {
	res := runCompute(t, minimalCompute())
	var arns []string
	for _, a := range res.ByType(tRPA) {
		arns = append(arns, a.Input("policyArn").(string))
	}
	// Exactly SSM: no broad CloudWatch agent policy (its logs:PutLogEvents on "*") and no
	// AmazonEC2ContainerRegistryReadOnly (every repository of the account); the application's
	// logs and image get policies of their own, on one log group and one repository.
	if want := []string{"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}; !reflect.DeepEqual(arns, want) {
		t.Errorf("instance role managed policies = %v, want exactly %v", arns, want)
	}
	if n := len(res.ByType(tRP)); n != 3 {
		t.Errorf("%d inline policies without ReadableSecretARNs and DBResourceIDs, want 3 (settings, logs and ECR)", n)
	}
	repo := must(t, res, tRepo, "app-ecr-repository").Output("arn").(string)
	var ecrDoc struct {
		Statement []struct {
			Effect   string
			Action   any
			Resource any
		}
	}
	if err := json.Unmarshal([]byte(must(t, res, tRP, "app-instance-ecr").Input("policy").(string)), &ecrDoc); err != nil {
		t.Fatalf("ECR policy: %v", err)
	}
	wantECR := []struct {
		Effect   string
		Action   any
		Resource any
	}{
		{"Allow", "ecr:GetAuthorizationToken", "*"},
		{"Allow", []any{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, repo},
	}
	if !reflect.DeepEqual(ecrDoc.Statement, wantECR) {
		t.Errorf("ECR policy = %+v, want the login on * and the pull actions on exactly %s", ecrDoc.Statement, repo)
	}
	for _, bad := range []string{"arn:aws:ecr:ap-northeast-2:1:repository/*", "webstack-unit", "arn:aws:s3:::bucket"} {
		if _, err := ecrPolicy(bad); err == nil {
			t.Errorf("ecrPolicy(%q) accepted", bad)
		}
	}
	logs := must(t, res, tRP, "app-instance-logs")
	group := must(t, res, tLogs, "app-container-logs").Output("arn").(string)
	var logsDoc struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource []string
		}
	}
	if err := json.Unmarshal([]byte(logs.Input("policy").(string)), &logsDoc); err != nil {
		t.Fatalf("logs policy: %v", err)
	}
	if len(logsDoc.Statement) != 1 || !reflect.DeepEqual(logsDoc.Statement[0].Resource, []string{group, group + ":log-stream:*"}) ||
		!reflect.DeepEqual(logsDoc.Statement[0].Action, []string{"logs:CreateLogStream", "logs:PutLogEvents"}) {
		t.Errorf("logs policy = %+v, want stream writes on exactly %s", logsDoc, group)
	}
	if _, err := logsPolicy("arn:aws:logs:r:1:log-group:*"); err == nil {
		t.Error("logsPolicy accepted a wildcard")
	}

	args := minimalCompute()
	secrets := []string{"arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:db-AbC", "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:redis-DeF"}
	args.ReadableSecretARNs = pulumi.ToStringArray(secrets)
	res = runCompute(t, args)
	policy := must(t, res, tRP, "app-instance-secrets")
	var doc struct {
		Statement []struct {
			Effect   string
			Action   any
			Resource []string
		}
	}
	if err := json.Unmarshal([]byte(policy.Input("policy").(string)), &doc); err != nil {
		t.Fatalf("secrets policy: %v", err)
	}
	if len(doc.Statement) != 1 || doc.Statement[0].Action != "secretsmanager:GetSecretValue" || !reflect.DeepEqual(doc.Statement[0].Resource, secrets) {
		t.Errorf("secrets policy = %+v, want GetSecretValue on exactly %v", doc, secrets)
	}
	ud, _ := base64.StdEncoding.DecodeString(must(t, res, tLT, "app-blue-lt").Input("userData").(string))
	if !strings.Contains(string(ud), "\npath=/webstack/unit/app\n") || strings.Contains(string(ud), "secretsmanager") {
		t.Error("the user data must name the settings' path and no setting's value")
	}
}

// TestInstanceRoleSettingsAndDatabase pins what the role may read of Parameter Store (the
// settings' path and what is under it, never the stack's path) and whom it may connect to the
// database as (the app user, on the writer and each replica by DbiResourceId).
func TestInstanceRoleSettingsAndDatabase(t *testing.T) {
	args := minimalCompute()
	ids := []string{"db-ABCDEFGHIJKLMNOPQRSTUVWXY1", "db-ABCDEFGHIJKLMNOPQRSTUVWXY2"}
	args.DBResourceIDs = pulumi.ToStringArray(ids)
	args.DBUser = "webstack_app"
	res := runCompute(t, args)
	type stmt struct {
		Sid         string
		Effect      string
		Action      any
		Resource    any
		NotResource any
	}
	policy := func(name string) []stmt {
		var doc struct{ Statement []stmt }
		if err := json.Unmarshal([]byte(must(t, res, tRP, name).Input("policy").(string)), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return doc.Statement
	}
	arn := "arn:aws:ssm:ap-northeast-2:" + mockaws.AccountID + ":parameter/webstack/unit/app"
	wantSettings := []stmt{
		{"ReadApplicationSettingsByPath", "Allow", "ssm:GetParametersByPath", arn, nil},
		{"ReadEachApplicationSetting", "Allow", []any{"ssm:GetParameter", "ssm:GetParameters"}, arn + "/*", nil},
		// AmazonSSMManagedInstanceCore's GetParameter(s) on "*" would reach the release-check
		// secret: every other parameter is denied.
		{"ReadNoOtherParameter", "Deny", []any{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"}, nil, []any{arn, arn + "/*"}},
	}
	if got := policy("app-instance-settings"); !reflect.DeepEqual(got, wantSettings) {
		t.Errorf("settings policy = %+v, want %+v", got, wantSettings)
	}
	wantDB := []stmt{{"ConnectAsTheApplicationUser", "Allow", "rds-db:connect", []any{
		"arn:aws:rds-db:ap-northeast-2:" + mockaws.AccountID + ":dbuser:" + ids[0] + "/webstack_app",
		"arn:aws:rds-db:ap-northeast-2:" + mockaws.AccountID + ":dbuser:" + ids[1] + "/webstack_app",
	}, nil}}
	if got := policy("app-instance-db-connect"); !reflect.DeepEqual(got, wantDB) {
		t.Errorf("database policy = %+v, want %+v", got, wantDB)
	}
	// The fleets wait for neither policy: the instance profile depends on the role alone.
	prof := must(t, res, tProf, "app-instance-profile")
	for _, d := range prof.Dependencies {
		if strings.Contains(d, "RolePolicy") {
			t.Errorf("the instance profile depends on %s", d)
		}
	}
	for _, bad := range [][]string{nil, {"webstack-unit-db"}, {"arn:aws:rds:ap-northeast-2:1:db:webstack-unit-db"}} {
		if _, err := dbConnectPolicy("aws", region, mockaws.AccountID, "webstack_app", bad); err == nil {
			t.Errorf("dbConnectPolicy(%q) accepted what is not a DbiResourceId", bad)
		}
	}
	bad := minimalCompute()
	bad.DBResourceIDs, bad.DBUser = pulumi.ToStringArray(ids), "webstack-app"
	if _, err := mockaws.Run(project, "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
		_, err := NewCompute(ctx, "app", bad)
		return err
	}); err == nil {
		t.Error("a database user with a hyphen was accepted")
	}
}

func TestSecretsPolicyRejectsWildcards(t *testing.T) {
	for _, arns := range [][]string{nil, {"arn:aws:secretsmanager:ap-northeast-2:1:secret:*"}, {"db-secret"}} {
		if _, err := secretsPolicy(arns); err == nil {
			t.Errorf("secretsPolicy(%q) accepted", arns)
		}
	}
}

func TestRepository(t *testing.T) {
	res := runCompute(t, minimalCompute())
	repo := must(t, res, tRepo, "app-ecr-repository")
	expect(t, repo, "webstack-unit", "name")
	expect(t, repo, "IMMUTABLE", "imageTagMutability")
	expect(t, repo, true, "imageScanningConfiguration", "scanOnPush")
	expect(t, repo, "KMS", "encryptionConfigurations", 0, "encryptionType")
	expect(t, repo, true, "forceDelete")

	var policy struct {
		Rules []struct {
			Selection struct {
				TagStatus   string
				CountType   string
				CountNumber int
			}
		}
	}
	lcp := must(t, res, tLCP, "app-ecr-lifecycle")
	if err := json.Unmarshal([]byte(lcp.Input("policy").(string)), &policy); err != nil {
		t.Fatalf("lifecycle policy: %v", err)
	}
	last := policy.Rules[len(policy.Rules)-1].Selection
	if last.TagStatus != "any" || last.CountType != "imageCountMoreThan" || last.CountNumber != 30 {
		t.Errorf("lifecycle policy's last rule = %+v, want keep the newest 30 images", last)
	}
}

// lifecycleRule is one rule of an ECR lifecycle policy, as the tests read it.
type lifecycleRule struct {
	RulePriority int
	Selection    struct {
		TagStatus      string
		TagPatternList []string
		CountType      string
		CountNumber    int
	}
	Action struct{ Type string }
}

func lifecycleRules(t *testing.T, res *mockaws.Result) []lifecycleRule {
	t.Helper()
	var policy struct{ Rules []lifecycleRule }
	if err := json.Unmarshal([]byte(must(t, res, tLCP, "app-ecr-lifecycle").Input("policy").(string)), &policy); err != nil {
		t.Fatalf("lifecycle policy: %v", err)
	}
	return policy.Rules
}

// TestRepositoryPinsVersions: the lifecycle policy never expires a version a color runs or
// keeps: each gets a rule of its own, ahead of the count rule, selecting exactly its tag and
// keeping one image. A lower-priority rule cannot expire an image a higher one matched (ECR).
func TestRepositoryPinsVersions(t *testing.T) {
	args := minimalCompute()
	args.Green = ColorArgs{Version: "1.5.0", MaxSize: 4} // scaled to zero, kept for a rollback
	rules := lifecycleRules(t, runCompute(t, args))
	if len(rules) != 4 {
		t.Fatalf("%d lifecycle rules, want 4 (untagged, two pins, count): %+v", len(rules), rules)
	}
	seen := map[int]bool{}
	for i, r := range rules {
		if seen[r.RulePriority] || r.Action.Type != "expire" {
			t.Errorf("rule %d: priority %d repeated or action %q", i, r.RulePriority, r.Action.Type)
		}
		seen[r.RulePriority] = true
		if r.Selection.TagStatus == "any" && r.RulePriority != slices.Max(keys(seen)) {
			t.Errorf("the tagStatus any rule has priority %d, not the highest", r.RulePriority)
		}
	}
	for i, v := range []string{"1.4.2", "1.5.0"} {
		pin := rules[1+i]
		if pin.Selection.TagStatus != "tagged" || !reflect.DeepEqual(pin.Selection.TagPatternList, []string{v}) ||
			pin.Selection.CountType != "imageCountMoreThan" || pin.Selection.CountNumber != 1 || pin.RulePriority >= rules[3].RulePriority {
			t.Errorf("pin of %s = %+v, want tagged [%s], more than 1, before the count rule", v, pin, v)
		}
	}
	if last := rules[3].Selection; last.TagStatus != "any" || last.CountNumber != 30 {
		t.Errorf("last rule %+v, want the newest 30 of any", last)
	}

	// The same version on both colors is pinned once; no version, no pin.
	args.Green.Version = "1.4.2"
	if rules := lifecycleRules(t, runCompute(t, args)); len(rules) != 3 {
		t.Errorf("%d rules with one version on both colors, want 3", len(rules))
	}
	args.Blue.Version, args.Green.Version, args.Blue.DesiredCapacity, args.Blue.MinSize = "", "", 0, 0
	if rules := lifecycleRules(t, runCompute(t, args)); len(rules) != 2 {
		t.Errorf("%d rules with no version, want 2", len(rules))
	}
	if _, err := lifecyclePolicy(30, []string{"1.0", "2.0"}); err != nil {
		t.Fatal(err)
	}
	err := runErr(func(ctx *pulumi.Context) error {
		_, err := NewRepository(ctx, "r", &RepositoryArgs{Name: "webstack-unit", PinnedTags: []string{"1.*"}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `pinned tag "1.*"`) {
		t.Errorf("a wildcard pin: err = %v", err)
	}
}

func keys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestArgsValidation(t *testing.T) {
	for name, mutate := range map[string]func(a *ComputeArgs){
		"bad color":          func(a *ComputeArgs) { a.ActiveColor = "red" },
		"canary over 100":    func(a *ComputeArgs) { a.CanaryWeight = 101 },
		"test port 443":      func(a *ComputeArgs) { a.TestListenerPort = 443 },
		"header without val": func(a *ComputeArgs) { a.OriginHeaderName = "X-Origin-Verify" },
		"bad header name":    func(a *ComputeArgs) { a.OriginHeaderName = "X Origin"; a.OriginHeaderValue = pulumi.String("v") },
		"canary to a color without a version": func(a *ComputeArgs) {
			a.Green = ColorArgs{MinSize: 1, DesiredCapacity: 1, MaxSize: 1}
			a.CanaryWeight = 10
		},
		"min above desired": func(a *ComputeArgs) { a.Blue.MinSize = 3 },
		"repository name":   func(a *ComputeArgs) { a.RepositoryName = "Webstack_Prod!" },
		"negative grace":    func(a *ComputeArgs) { a.HealthCheckGracePeriod = -5 },
		"grace over max":    func(a *ComputeArgs) { a.HealthCheckGracePeriod = MaxHealthCheckGracePeriod + 1 },
	} {
		t.Run(name, func(t *testing.T) {
			args := minimalCompute()
			mutate(args)
			_, err := mockaws.Run(project, "unit", mockaws.Options{Region: region}, func(ctx *pulumi.Context) error {
				_, err := NewCompute(ctx, "app", args)
				return err
			})
			if err == nil {
				t.Error("NewCompute accepted the args")
			}
		})
	}
}

// TestAccessLogRetention: DeleteAccessLogs, not the ALB's deletion protection, decides whether
// the access logs outlive the stack, and when they do, so does every resource that configures
// their bucket (the documented destroy path turns deletion protection off).
func TestAccessLogRetention(t *testing.T) {
	for _, tc := range []struct {
		retain, protect bool
	}{{true, false}, {true, true}, {false, true}, {false, false}} {
		args := minimalCompute()
		args.DisableAccessLogs = false
		args.AccountID = mockaws.AccountID
		args.DisableDeletionProtection = !tc.protect
		args.DeleteAccessLogs = !tc.retain
		res := runCompute(t, args)
		expect(t, must(t, res, tLB, "app-alb-lb"), tc.protect, "enableDeletionProtection")
		bucket := must(t, res, "aws:s3/bucketV2:BucketV2", "app-alb-logs")
		expect(t, bucket, !tc.retain, "forceDestroy")
		n := 0
		for _, r := range res.Resources {
			if strings.HasPrefix(r.Name, "app-alb-logs") && strings.HasPrefix(r.Type, "aws:s3/") {
				n++
				if r.RetainOnDelete != tc.retain {
					t.Errorf("retain %v, deletion protection %v: %s %s has retainOnDelete %v", tc.retain, tc.protect, r.Type, r.Name, r.RetainOnDelete)
				}
			}
		}
		// The bucket, its public access block, ownership controls, encryption, versioning,
		// lifecycle and policy.
		if n != 7 {
			t.Errorf("%d access log resources, want 7", n)
		}
	}
}

func TestLoadBalancerAccessLogs(t *testing.T) {
	args := minimalCompute()
	args.DisableAccessLogs = false
	args.AccountID = mockaws.AccountID
	args.DeleteAccessLogs = false
	res := runCompute(t, args)

	bucket := must(t, res, "aws:s3/bucketV2:BucketV2", "app-alb-logs")
	expect(t, bucket, false, "forceDestroy")
	// The logs outlive a destroy (webstack/protect), whatever the ALB's deletion protection.
	if !bucket.RetainOnDelete {
		t.Error("app-alb-logs: retainOnDelete is false without DeleteAccessLogs, want true")
	}
	// Versioned (S3.14); the lifecycle expires noncurrent versions and waits for versioning.
	versioning := must(t, res, "aws:s3/bucketVersioningV2:BucketVersioningV2", "app-alb-logs-versioning")
	expect(t, versioning, bucket.ID, "bucket")
	expect(t, versioning, "Enabled", "versioningConfiguration", "status")
	lifecycle := must(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "app-alb-logs-lifecycle")
	expect(t, lifecycle, AccessLogNoncurrentDays, "rules", 0, "noncurrentVersionExpiration", "noncurrentDays")
	waits := false
	for _, d := range lifecycle.Dependencies {
		waits = waits || d == versioning.URN
	}
	if !waits {
		t.Error("app-alb-logs-lifecycle does not depend on app-alb-logs-versioning")
	}
	pab := must(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "app-alb-logs-public-access")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		expect(t, pab, true, k)
	}
	expect(t, must(t, res, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "app-alb-logs-ownership"),
		"BucketOwnerEnforced", "rule", "objectOwnership")
	// Only SSE-S3 works for ALB access logs.
	expect(t, must(t, res, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "app-alb-logs-encryption"),
		"AES256", "rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm")
	expect(t, must(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "app-alb-logs-lifecycle"),
		90, "rules", 0, "expiration", "days")

	alb := must(t, res, tLB, "app-alb-lb")
	expect(t, alb, true, "accessLogs", "enabled")
	expect(t, alb, bucket.ID, "accessLogs", "bucket")
	expect(t, alb, AccessLogPrefix, "accessLogs", "prefix")
	policy := must(t, res, "aws:s3/bucketPolicy:BucketPolicy", "app-alb-logs-policy")
	dependsOnPolicy := false
	for _, d := range alb.Dependencies {
		dependsOnPolicy = dependsOnPolicy || d == policy.URN
	}
	if !dependsOnPolicy {
		t.Error("the ALB must be created after the log bucket policy, or AWS refuses to turn logging on")
	}
	doc := policy.Input("policy").(string)
	for _, want := range []string{
		`"AWS":"arn:aws:iam::600734575887:root"`,
		`"Service":"logdelivery.elasticloadbalancing.amazonaws.com"`,
		`"Resource":"arn:aws:s3:::` + bucket.ID + `/alb/AWSLogs/123456789012/*"`,
		`"aws:SecureTransport":"false"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("log bucket policy lacks %s: %s", want, doc)
		}
	}
}

// TestLoadBalancerDisableDraining: draining is on by default and off only when asked.
func TestLoadBalancerDisableDraining(t *testing.T) {
	args := minimalCompute()
	args.DisableDraining, args.DeregistrationDelay = true, 120
	res := runCompute(t, args)
	for _, c := range Colors {
		expect(t, must(t, res, tTG, "app-alb-"+string(c)+"-tg"), 0, "deregistrationDelay")
	}
}
