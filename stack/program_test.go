package stack_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// TestStackShapes pins what DESIGN.md asks of each stack's network.
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
		if !strings.HasPrefix(res.Outputs[stack.OutVpcID].(string), "vpc-") {
			t.Errorf("%s: vpcId = %v", name, res.Outputs[stack.OutVpcID])
		}
		for _, k := range []string{stack.OutPublicSubnetIDs, stack.OutAppSubnetIDs, stack.OutDataSubnetIDs} {
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
	if b.Input("associatePublicIpAddress") != false || res.Outputs[stack.OutBastionPublicIP] != "" {
		t.Errorf("private bastion: public ip %v, output %v", b.Input("associatePublicIpAddress"), res.Outputs[stack.OutBastionPublicIP])
	}
	appSubnets := res.Outputs[stack.OutAppSubnetIDs].([]any)
	if b.Input("subnetId") != appSubnets[0] {
		t.Errorf("private bastion in %v, want the first app subnet %v", b.Input("subnetId"), appSubnets[0])
	}

	sf.Values["webstack:bastion"] = `{"allowedCidrs":["198.51.100.7/32"]}`
	_, res, err = plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	b = res.Find("aws:ec2/instance:Instance", "bastion")
	publicSubnets := res.Outputs[stack.OutPublicSubnetIDs].([]any)
	if b.Input("associatePublicIpAddress") != true || b.Input("subnetId") != publicSubnets[0] || res.Outputs[stack.OutBastionPublicIP] == "" {
		t.Errorf("public bastion: public ip %v in %v, output %v", b.Input("associatePublicIpAddress"), b.Input("subnetId"), res.Outputs[stack.OutBastionPublicIP])
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
