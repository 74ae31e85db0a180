package stack_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// TestStackShapes pins what each stack's network must be (docs/architecture.md).
func TestStackShapes(t *testing.T) {
	for _, tt := range []struct {
		stack      string
		azs, nats  int
		endpoints  int
		flowLogs   bool
		retentions float64
	}{
		{"prod", 3, 3, 1 + 9, true, 365},
		{"dev", 2, 1, 1, true, 30},
		{"test", 2, 1, 1, true, 90},
	} {
		t.Run(tt.stack, func(t *testing.T) {
			_, res := runStack(t, tt.stack)
			c := res.Counts()
			if c["aws:ec2/subnet:Subnet"] != 3*tt.azs {
				t.Errorf("%s: %d subnets, want %d (three tiers over %d AZs)", tt.stack, c["aws:ec2/subnet:Subnet"], 3*tt.azs, tt.azs)
			}
			azs := map[string]bool{}
			tiers := map[string]int{}
			for _, s := range res.ByType("aws:ec2/subnet:Subnet") {
				azs[s.Input("availabilityZone").(string)] = true
				tiers[s.Input("tags", "Tier").(string)]++
			}
			if len(azs) != tt.azs || tiers["public"] != tt.azs || tiers["app"] != tt.azs || tiers["data"] != tt.azs {
				t.Errorf("%s: subnets span %v with tiers %v", tt.stack, azs, tiers)
			}
			if c["aws:ec2/natGateway:NatGateway"] != tt.nats {
				t.Errorf("%s: %d NAT gateways, want %d", tt.stack, c["aws:ec2/natGateway:NatGateway"], tt.nats)
			}
			if c["aws:ec2/vpcEndpoint:VpcEndpoint"] != tt.endpoints {
				t.Errorf("%s: %d VPC endpoints, want %d", tt.stack, c["aws:ec2/vpcEndpoint:VpcEndpoint"], tt.endpoints)
			}
			if (c["aws:ec2/flowLog:FlowLog"] == 1) != tt.flowLogs {
				t.Errorf("%s: flow logs %d, want %v", tt.stack, c["aws:ec2/flowLog:FlowLog"], tt.flowLogs)
			}
			if lg := res.Find("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs"); lg != nil && lg.Input("retentionInDays") != tt.retentions {
				t.Errorf("%s: flow log retention %v, want %v", tt.stack, lg.Input("retentionInDays"), tt.retentions)
			}
		})
	}
}

// TestNoInternetOnAdminOrDataPorts: no rule anywhere admits 0.0.0.0/0 (or ::/0) to SSH, RDP or a
// database or cache port, in any stack.
func TestNoInternetOnAdminOrDataPorts(t *testing.T) {
	for _, name := range stacks {
		_, res := runStack(t, name)
		for _, r := range res.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
			cidr4, _ := r.Input("cidrIpv4").(string)
			cidr6, _ := r.Input("cidrIpv6").(string)
			if cidr4 != "0.0.0.0/0" && cidr6 != "::/0" {
				continue
			}
			from, _ := r.Input("fromPort").(float64)
			to, _ := r.Input("toPort").(float64)
			for _, p := range []float64{22, 3389, 3306, 6379} {
				if from <= p && p <= to {
					t.Errorf("%s: %s admits the whole internet to port %v", name, r.Name, p)
				}
			}
		}
	}
}

func TestOutputsContract(t *testing.T) {
	for _, name := range stacks {
		_, res := runStack(t, name)
		for _, out := range stack.OutputNames {
			v, ok := res.Outputs[out]
			if !ok {
				t.Errorf("%s: output %s missing", name, out)
				continue
			}
			if v == mockaws.Secret {
				t.Errorf("%s: output %s is a secret; outputs are for deploy jobs and must be clear", name, out)
			}
		}
		if len(res.Outputs) != len(stack.OutputNames) {
			t.Errorf("%s: %d outputs, the contract names %d", name, len(res.Outputs), len(stack.OutputNames))
		}
		if !strings.HasPrefix(res.Outputs[contract.OutVPCID].(string), "vpc-") {
			t.Errorf("%s: vpcId = %v", name, res.Outputs[contract.OutVPCID])
		}
		for _, k := range []string{contract.OutPublicSubnetIDs, contract.OutAppSubnetIDs, contract.OutDataSubnetIDs} {
			if ids, ok := res.Outputs[k].([]any); !ok || len(ids) < 2 {
				t.Errorf("%s: %s = %v, want a subnet per AZ", name, k, res.Outputs[k])
			}
		}
	}
}

// TestEveryResourceUsesTheTaggedProvider: every AWS resource is created through the explicit
// provider, whose default tags give it Project, Environment and ManagedBy.
func TestEveryResourceUsesTheTaggedProvider(t *testing.T) {
	for _, name := range stacks {
		_, res := runStack(t, name)
		providers := res.ByType("pulumi:providers:aws")
		if len(providers) == 0 {
			t.Fatalf("%s: no explicit aws provider", name)
		}
		for _, p := range providers {
			for k, want := range map[string]string{"Project": "webstack", "Environment": name, "ManagedBy": "pulumi"} {
				if got := p.Input("defaultTags", "tags", k); got != want {
					t.Errorf("%s: provider %s default tag %s = %v, want %q", name, p.Name, k, got, want)
				}
			}
		}
		tagged := 0
		for _, r := range res.Resources {
			if !r.Custom || strings.HasPrefix(r.Type, "pulumi:providers:") || !strings.HasPrefix(r.Type, "aws:") {
				continue
			}
			if !strings.Contains(r.Provider, "::pulumi:providers:aws::") {
				t.Errorf("%s: %s %s uses the default provider (%q), which carries no default tags", name, r.Type, r.Name, r.Provider)
			}
			// What the provider reports: every resource that takes tags carries the three.
			if mockaws.Taggable(r.Type) {
				tagged++
				for k, want := range map[string]string{"Project": "webstack", "Environment": name, "ManagedBy": "pulumi"} {
					if got := r.Output("tagsAll", k); got != want {
						t.Errorf("%s: %s %s tagsAll.%s = %v, want %q", name, r.Type, r.Name, k, got, want)
					}
				}
			}
		}
		if tagged < 50 {
			t.Errorf("%s: only %d resources take tags", name, tagged)
		}
		// Instances an Auto Scaling group launches get no default tags: the groups propagate them.
		for _, asg := range res.ByType("aws:autoscaling/group:Group") {
			got := map[string]any{}
			for _, tag := range asg.Input("tags").([]any) {
				tag := tag.(map[string]any)
				if tag["propagateAtLaunch"] == true {
					got[tag["key"].(string)] = tag["value"]
				}
			}
			for k, want := range map[string]string{"Project": "webstack", "Environment": name, "ManagedBy": "pulumi"} {
				if got[k] != want {
					t.Errorf("%s: Auto Scaling group %s propagates %s = %v, want %q", name, asg.Name, k, got[k], want)
				}
			}
		}
	}
}

func TestBastionPlacementFollowsAllowedCIDRs(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	// dev keeps the bastion private: app subnet, no public IP, no SSH.
	_, res, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	b := res.Find("aws:ec2/instance:Instance", "bastion")
	if b.Input("associatePublicIpAddress") != false || res.Outputs[contract.OutBastionPublicIP] != "" {
		t.Errorf("private bastion: public ip %v, output %v", b.Input("associatePublicIpAddress"), res.Outputs[contract.OutBastionPublicIP])
	}
	appSubnets := res.Outputs[contract.OutAppSubnetIDs].([]any)
	if b.Input("subnetId") != appSubnets[0] {
		t.Errorf("private bastion in %v, want the first app subnet %v", b.Input("subnetId"), appSubnets[0])
	}

	sf.Values["webstack:bastion"] = `{"allowedCidrs":["198.51.100.7/32"]}`
	_, res, err = plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	b = res.Find("aws:ec2/instance:Instance", "bastion")
	publicSubnets := res.Outputs[contract.OutPublicSubnetIDs].([]any)
	if b.Input("associatePublicIpAddress") != true || b.Input("subnetId") != publicSubnets[0] || res.Outputs[contract.OutBastionPublicIP] == "" {
		t.Errorf("public bastion: public ip %v in %v, output %v", b.Input("associatePublicIpAddress"), b.Input("subnetId"), res.Outputs[contract.OutBastionPublicIP])
	}
	ssh := res.Find("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "net-bastion-from-admin0-22")
	if ssh == nil || ssh.Input("cidrIpv4") != "198.51.100.7/32" {
		t.Errorf("public bastion: SSH rule %v", ssh)
	}
}

// TestBadConfigRegistersNothing: a config error stops the run before any resource exists,
// and its message names the stack file, the full key and the value.
func TestBadConfigRegistersNothing(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	for key, tt := range map[string]struct{ value, want string }{
		"webstack:network": {`{"cidr":"10.0.0.0/33","azCount":2,"natGateways":"single"}`, `Pulumi.dev.yaml: webstack:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR`},
		"webstack:bastion": {`{"allowedCidrs":["0.0.0.0/0"]}`, `Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: "0.0.0.0/0" would open the port to the whole internet`},
	} {
		bad := &plan.StackFiles{Project: sf.Project, Stack: sf.Stack, Values: map[string]string{}}
		for k, v := range sf.Values {
			bad.Values[k] = v
		}
		bad.Values[key] = tt.value
		e, err := runRecording(bad)
		registered := len(e.Resources())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s=%s: error %v, want %q", key, tt.value, err, tt.want)
		}
		if registered != 0 {
			t.Errorf("%s=%s: %d resources registered before the config was rejected", key, tt.value, registered)
		}
	}
}

func TestAZCountBeyondTheRegion(t *testing.T) {
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	sf.Values["webstack:network"] = `{"cidr":"10.10.0.0/16","azCount":5}`
	e, err := runRecording(sf)
	want := `Pulumi.prod.yaml: webstack:network.azCount: 5 is more than the 4 availability zones ap-northeast-2 has`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("azCount 5 in a 4-AZ region: error %v, want %q", err, want)
	}
	// The region is asked through the tagged provider, so that one provider object exists; no
	// AWS resource or component is registered.
	for _, r := range e.Resources() {
		if !strings.HasPrefix(r.Type, "pulumi:providers:") {
			t.Errorf("%s %s registered before azCount was rejected", r.Type, r.Name)
		}
	}
}

// runRecording runs the program on sf and returns the engine, even when the run fails.
func runRecording(sf *plan.StackFiles) (*mockaws.Engine, error) {
	e := mockaws.New(sf.Project, sf.Stack, stack.DefaultRegion)
	// A preview, as the offline plan runs it: prod's documentation placeholders stop an up.
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return stack.Run(ctx, sf.Values) },
		pulumi.WithMocks(sf.Project, sf.Stack, e), func(info *pulumi.RunInfo) { info.DryRun = true })
	return e, err
}

// fakeAWS is the mock engine with one provider function failing (fail) or its answer edited
// (edit), to show what the program does when a lookup goes wrong.
type fakeAWS struct {
	*mockaws.Engine
	fail string
	edit func(token string, answer resource.PropertyMap)
}

func (f *fakeAWS) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == f.fail {
		// Asked of the engine all the same, so that the call is recorded.
		if _, err := f.Engine.Call(args); err != nil {
			return nil, err
		}
		return nil, errors.New("injected failure")
	}
	out, err := f.Engine.Call(args)
	if err == nil && f.edit != nil {
		f.edit(args.Token, out)
	}
	return out, err
}

// runFaked runs the program on sf (a preview) against f and returns the error.
func runFaked(sf *plan.StackFiles, f *fakeAWS) error {
	f.Engine = mockaws.New(sf.Project, sf.Stack, stack.DefaultRegion)
	f.Images = sf.Images
	return pulumi.RunErr(func(ctx *pulumi.Context) error { return stack.Run(ctx, sf.Values) },
		pulumi.WithMocks(sf.Project, sf.Stack, f), func(info *pulumi.RunInfo) { info.DryRun = true })
}

// tierResources returns every registered resource but the providers.
func tierResources(e *mockaws.Engine) []string {
	var out []string
	for _, r := range e.Resources() {
		if !strings.HasPrefix(r.Type, "pulumi:providers:") {
			out = append(out, r.Type+" "+r.Name)
		}
	}
	return out
}

// TestLookupsComeFirst: every lookup the tiers need runs before the first tier resource is
// registered, so that any of them failing leaves nothing half-applied. Prod with a release
// makes every lookup happen: the zones, the account, the partition, the image guard, the hosted
// zone of the custom domain, CloudFront's prefix list, the bastion's AMI and (CloudFront logs
// on) the account's S3 canonical user ID.
func TestLookupsComeFirst(t *testing.T) {
	const (
		getCallerIdentity  = "aws:index/getCallerIdentity:getCallerIdentity"
		getCanonicalUserID = "aws:s3/getCanonicalUserId:getCanonicalUserId"
	)
	sf := withImages(t, released, map[string][]string{"webstack-prod": {"1.4.2"}})
	for _, token := range []string{
		"aws:index/getAvailabilityZones:getAvailabilityZones",
		getCallerIdentity,
		"aws:index/getPartition:getPartition",
		"aws:ecr/getImage:getImage",
		"aws:route53/getZone:getZone",
		"aws:ec2/getManagedPrefixList:getManagedPrefixList",
		"aws:ssm/getParameter:getParameter",
		getCanonicalUserID,
	} {
		f := &fakeAWS{fail: token}
		err := runFaked(sf, f)
		if err == nil {
			t.Errorf("%s failing: the run passed (is it still looked up?)", token)
			continue
		}
		if got := tierResources(f.Engine); len(got) > 0 {
			t.Errorf("%s failing: %d resources registered before the run stopped: %v", token, len(got), got)
		}
	}
	// The same stack passes with every lookup answering, and looks the zone up once: the
	// origin takes the looked-up ID.
	f := &fakeAWS{}
	if err := runFaked(sf, f); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.Join(f.Calls(), " "), "aws:route53/getZone:getZone"); n != 1 {
		t.Errorf("the hosted zone is looked up %d times, want once", n)
	}
	// The edge tier takes the account and its canonical user ID from the lookups: each is
	// looked up once, and the component looks up neither.
	for _, token := range []string{getCallerIdentity, getCanonicalUserID} {
		if n := slices.Index(f.Calls(), token); n < 0 || slices.Contains(f.Calls()[n+1:], token) {
			t.Errorf("%s: called %d times, want once", token, strings.Count(strings.Join(f.Calls(), " "), token))
		}
	}
	// Without CloudFront logs nothing needs the canonical user ID.
	dev, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	var devEdge map[string]any
	if err := json.Unmarshal([]byte(dev.Values["webstack:edge"]), &devEdge); err != nil || devEdge["logs"] != false {
		t.Fatalf("dev's edge section %q (%v): the case needs logs off", dev.Values["webstack:edge"], err)
	}
	f = &fakeAWS{}
	if err := runFaked(dev, f); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(f.Calls(), getCanonicalUserID) {
		t.Errorf("dev (no CloudFront logs) looks up the canonical user ID")
	}
}

// TestLookedUpFactsTheConfigCannotLiveWith: a lookup's answer that makes the config impossible
// is reported against the key, before anything is registered.
func TestLookedUpFactsTheConfigCannotLiveWith(t *testing.T) {
	prod, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	byZoneID, err := prod.WithSection("webstack:edge", func(e map[string]any) {
		delete(e, "hostedZoneName")
		e["hostedZoneId"] = "Z0123456789ABCDEFGHIJ"
	})
	if err != nil {
		t.Fatal(err)
	}
	const getZone = "aws:route53/getZone:getZone"
	for name, tt := range map[string]struct {
		sf   *plan.StackFiles
		f    *fakeAWS
		want string
	}{
		"the zone name is not found": {prod, &fakeAWS{fail: getZone},
			`Pulumi.prod.yaml: webstack:edge.hostedZoneName: "example.com": no public Route 53 hosted zone could be looked up for webstack:edge.domain "www.example.com"`},
		"the zone ID is not found": {byZoneID, &fakeAWS{fail: getZone},
			`Pulumi.prod.yaml: webstack:edge.hostedZoneId: "Z0123456789ABCDEFGHIJ": no public Route 53 hosted zone could be looked up`},
		"the zone is private": {byZoneID, &fakeAWS{edit: func(token string, out resource.PropertyMap) {
			if token == getZone {
				out["privateZone"] = resource.NewProperty(true)
			}
		}}, `Pulumi.prod.yaml: webstack:edge.hostedZoneId: "Z0123456789ABCDEFGHIJ" is a private hosted zone; ACM validates the origin certificate through public DNS`},
		"the zone does not hold the domain": {byZoneID, &fakeAWS{edit: func(token string, out resource.PropertyMap) {
			if token == getZone {
				out["name"] = resource.NewProperty("example.org.")
			}
		}}, `Pulumi.prod.yaml: webstack:edge.hostedZoneId: "Z0123456789ABCDEFGHIJ" is the zone "example.org", which does not hold webstack:edge.domain "www.example.com"`},
		// AWS may grow CloudFront's list: at 59 entries, prod's two deploy networks no longer fit.
		"the prefix list grew": {prod, &fakeAWS{edit: func(token string, out resource.PropertyMap) {
			if token == "aws:ec2/getManagedPrefixList:getManagedPrefixList" {
				out["maxEntries"] = resource.NewProperty(59.0)
			}
		}}, `Pulumi.prod.yaml: webstack:app.testListenerCidrs: ["203.0.113.0/24","198.51.100.0/24"] lists 2 deploy networks, but at most 1 fit: ` +
			`the ALB security group holds at most 60 inbound rules (the default quota, counted as AWS counts them) and CloudFront's origin-facing prefix list, ` +
			`which admits the production listener, counts as 59 of them`},
	} {
		t.Run(name, func(t *testing.T) {
			err := runFaked(tt.sf, tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run: %v\nwant an error containing %q", err, tt.want)
			}
			if got := tierResources(tt.f.Engine); len(got) > 0 {
				t.Errorf("%d resources registered before the run stopped: %v", len(got), got)
			}
		})
	}
	// Problems found by different lookups are reported together, as config problems are.
	f := &fakeAWS{fail: getZone, edit: func(token string, out resource.PropertyMap) {
		if token == "aws:ec2/getManagedPrefixList:getManagedPrefixList" {
			out["maxEntries"] = resource.NewProperty(59.0)
		}
	}}
	err = runFaked(prod, f)
	for _, want := range []string{"webstack:edge.hostedZoneName", "webstack:app.testListenerCidrs"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("two lookups failing: %v\nwant it to name %s", err, want)
		}
	}

	// The zone looked up by ID is the one the origin certificate is validated in.
	f = &fakeAWS{}
	if err := runFaked(byZoneID, f); err != nil {
		t.Fatal(err)
	}
	records := 0
	for _, r := range f.Resources() {
		if r.Type == "aws:route53/record:Record" && strings.HasPrefix(r.Name, "origin-") {
			records++
			if r.Input("zoneId") != "Z0123456789ABCDEFGHIJ" {
				t.Errorf("%s is in zone %v, want the configured one", r.Name, r.Input("zoneId"))
			}
		}
	}
	if records == 0 {
		t.Error("no origin certificate validation record")
	}
}

// TestOnlyAvailabilityZones: the region's Local Zones (which sort first and are listed once the
// account opts in) never hold a subnet.
func TestOnlyAvailabilityZones(t *testing.T) {
	for _, name := range stacks {
		_, res := runStack(t, name)
		for _, s := range res.ByType("aws:ec2/subnet:Subnet") {
			az, _ := s.Input("availabilityZone").(string)
			if len(az) != len(stack.DefaultRegion)+1 || !strings.HasPrefix(az, stack.DefaultRegion) {
				t.Errorf("%s: subnet %s is in %q, not one of the region's availability zones", name, s.Name, az)
			}
		}
	}
}

// TestPublicThingsWaitForTheInternetGateway: the internet-facing ALB, and a public bastion, are
// created after the internet gateway of their VPC.
func TestPublicThingsWaitForTheInternetGateway(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	sf.Values["webstack:bastion"] = `{"allowedCidrs":["198.51.100.7/32"]}`
	_, res, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	igw := res.Find("aws:ec2/internetGateway:InternetGateway", "net-igw")
	for _, r := range []*mockaws.Resource{res.Find("aws:lb/loadBalancer:LoadBalancer", "app-alb-lb"), res.Find("aws:ec2/instance:Instance", "bastion")} {
		if r == nil {
			t.Fatal("no ALB or bastion")
		}
		if !slices.Contains(r.Dependencies, igw.URN) {
			t.Errorf("%s does not depend on the internet gateway: %v", r.Name, r.Dependencies)
		}
	}
}

// TestSmallestVPC: a /22 is the smallest VPC whose public subnets (/27) take the ALB; it plans
// with every AWS rule passed, and a /23 is refused before anything is registered.
func TestSmallestVPC(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	sf.Values["webstack:network"] = `{"cidr":"10.20.0.0/22","azCount":2,"natGateways":"single"}`
	_, res, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatalf("a /22 VPC: %v", err)
	}
	if s := res.Find("aws:ec2/subnet:Subnet", "net-public-0"); s == nil || s.Input("cidrBlock") != "10.20.0.0/27" {
		t.Errorf("a /22 VPC's first public subnet: %v", s)
	}
	sf.Values["webstack:network"] = `{"cidr":"10.20.0.0/23","azCount":2,"natGateways":"single"}`
	e, err := runRecording(sf)
	if want := `Pulumi.dev.yaml: webstack:network.cidr: "10.20.0.0/23" is too small`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("a /23 VPC: %v, want %q", err, want)
	}
	if n := len(e.Resources()); n != 0 {
		t.Errorf("a /23 VPC: %d resources registered", n)
	}
}
