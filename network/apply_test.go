package network

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/ec2host"
	"github.com/webstack/webstack/mockaws"
)

// recorder is a mock monitor around the mock engine that also records what the engine does
// not: each resource's custom timeouts. failCall, when set, makes that provider function fail.
type recorder struct {
	*mockaws.Engine
	failCall string

	mu       sync.Mutex
	timeouts map[string]string // resource name -> delete timeout
	calls    []string
}

func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if rpc := args.RegisterRPC; rpc != nil && rpc.GetCustomTimeouts() != nil {
		r.mu.Lock()
		r.timeouts[args.Name] = rpc.GetCustomTimeouts().GetDelete()
		r.mu.Unlock()
	}
	return r.Engine.NewResource(args)
}

func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	r.mu.Lock()
	r.calls = append(r.calls, args.Token)
	r.mu.Unlock()
	if args.Token == r.failCall {
		return nil, errors.New("injected failure")
	}
	return r.Engine.Call(args)
}

// record runs program against a recorder.
func record(t *testing.T, failCall string, program pulumi.RunFunc) (*recorder, error) {
	t.Helper()
	r := &recorder{Engine: mockaws.New("webstack", "unit", "ap-northeast-2"), failCall: failCall, timeouts: map[string]string{}}
	err := pulumi.RunErr(program, pulumi.WithMocks("webstack", "unit", r), func(info *pulumi.RunInfo) { info.DryRun = true })
	return r, err
}

func resourceNames(rs []*mockaws.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}

// TestPublicPath: what must exist before anything public in the public subnets is the
// internet gateway, the public default route and the public subnets' route associations.
func TestPublicPath(t *testing.T) {
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		n, err := NewNetwork(ctx, "net", minimalArgs())
		if err != nil {
			return err
		}
		var urns pulumi.StringArray
		for _, p := range n.PublicPath {
			urns = append(urns, p.URN().ToStringOutput())
		}
		ctx.Export("path", urns)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range res.Outputs["path"].([]any) {
		got = append(got, res.ByURN(u.(string)).Name)
	}
	sort.Strings(got)
	want := []string{"net-igw", "net-public-0-rta", "net-public-1-rta", "net-public-default"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PublicPath %v, want %v", got, want)
	}
}

// TestReplacementsDeleteFirst: a replaced subnet would conflict with its own CIDR and a
// replaced NAT gateway would reuse an associated Elastic IP, so both are deleted before their
// replacement is created; nothing else is.
func TestReplacementsDeleteFirst(t *testing.T) {
	res := runNetwork(t, minimalArgs())
	var deleteFirst []*mockaws.Resource
	for _, r := range res.Resources {
		if r.DeleteBeforeReplace {
			deleteFirst = append(deleteFirst, r)
		}
	}
	want := []string{"net-app-0", "net-app-1", "net-data-0", "net-data-1", "net-nat-0", "net-nat-1", "net-public-0", "net-public-1"}
	if got := resourceNames(deleteFirst); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("deleteBeforeReplace on %v, want %v", got, want)
	}
}

// TestLambdaENITimeouts: the rotation function's security group and the app subnets, which its
// Lambda ENIs hold after the function is gone, may wait longer to be deleted than the 45
// minutes the provider already waits for such ENIs.
func TestLambdaENITimeouts(t *testing.T) {
	r, err := record(t, "", func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", minimalArgs())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for name, d := range r.timeouts {
		if d != "" {
			got[name] = d
		}
	}
	want := map[string]string{"net-rotation-sg": "60m", "net-app-0": "60m", "net-app-1": "60m"}
	if len(got) != len(want) {
		t.Errorf("delete timeouts %v, want %v", got, want)
	}
	for name, d := range want {
		if got[name] != d {
			t.Errorf("%s: delete timeout %q, want %q", name, got[name], d)
		}
	}
}

// TestVPCTooSmallForTheALB: the public subnets hold the ALB, which needs at least a /27, so the
// smallest VPC is a /22.
func TestVPCTooSmallForTheALB(t *testing.T) {
	args := minimalArgs()
	args.CIDR = "10.0.0.0/23"
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if want := `cidr "10.0.0.0/23" is smaller than a /22: its public subnets would be smaller than the /27 an Application Load Balancer needs`; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("NewNetwork: %v\nwant an error containing %q", err, want)
	}
	if res != nil && len(res.Resources) > 0 {
		t.Errorf("%d resources registered before the CIDR was refused", len(res.Resources))
	}
	args.CIDR = "10.0.0.0/22"
	res = runNetwork(t, args)
	if s := res.Find(tSubnet, "net-public-1"); s == nil || s.Input("cidrBlock") != "10.0.0.32/27" {
		t.Errorf("a /22 VPC's second public subnet: %v", s)
	}
}

// TestCloudFrontPrefixListGiven: a caller that looked the prefix list up passes it in; the
// network then looks nothing up and judges the ALB's rules by the weight it was given.
func TestCloudFrontPrefixListGiven(t *testing.T) {
	args := minimalArgs()
	args.CloudFrontPrefixList = PrefixList{ID: mockaws.CloudFrontPrefixListID, MaxEntries: 55}
	r, err := record(t, "", func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(r.calls, "aws:ec2/getManagedPrefixList:getManagedPrefixList") {
		t.Errorf("looked the prefix list up though it was given: %v", r.calls)
	}
	var rule *mockaws.Resource
	for _, res := range r.Resources() {
		if res.Name == "net-alb-from-cloudfront-443" {
			rule = res
		}
	}
	if rule == nil || rule.Input("prefixListId") != mockaws.CloudFrontPrefixListID {
		t.Errorf("the ALB's CloudFront rule: %v", rule)
	}

	// A list AWS grew to 58 entries leaves room for two deploy networks, not three.
	args.CloudFrontPrefixList.MaxEntries = 58
	args.Firewall.TestListenerPort = 9000
	args.Firewall.TestListenerCIDRs = []string{"198.51.0.0/24", "198.51.1.0/24", "198.51.2.0/24"}
	r, err = record(t, "", func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if want := "the CloudFront prefix list weighs 58, plus 3 test listener CIDRs"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("NewNetwork: %v\nwant an error containing %q", err, want)
	}
	if n := len(r.Resources()); n != 0 {
		t.Errorf("%d resources registered before the quota was refused", n)
	}
}

// TestNetworkLooksUpBeforeRegistering: used on its own, the network looks the prefix list up
// before it registers any resource of its own, so a failed lookup leaves only the component.
func TestNetworkLooksUpBeforeRegistering(t *testing.T) {
	r, err := record(t, "aws:ec2/getManagedPrefixList:getManagedPrefixList", func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", minimalArgs())
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "looking up prefix list com.amazonaws.global.cloudfront.origin-facing") {
		t.Fatalf("NewNetwork: %v", err)
	}
	for _, res := range r.Resources() {
		if res.Custom {
			t.Errorf("%s %s registered before the lookup failed", res.Type, res.Name)
		}
	}
}

// TestBastionAMIGiven: a caller that looked the AMI up passes it in, and the bastion then looks
// nothing up; on its own, the bastion looks it up before it registers any resource of its own.
func TestBastionAMIGiven(t *testing.T) {
	program := func(ami string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			_, err := NewBastion(ctx, "bastion", &BastionArgs{
				SubnetID: pulumi.String("subnet-app0"), SecurityGroupID: pulumi.String("sg-bastion"), Partition: "aws", AMI: ami,
			})
			return err
		}
	}
	r, err := record(t, "", program("ami-0given"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.calls) != 0 {
		t.Errorf("looked up %v though the AMI was given", r.calls)
	}
	for _, res := range r.Resources() {
		if res.Name == "bastion" && res.Custom && res.Input("ami") != "ami-0given" {
			t.Errorf("bastion ami = %v, want the given one", res.Input("ami"))
		}
	}
	r, err = record(t, "aws:ssm/getParameter:getParameter", program(""))
	if err == nil || !strings.Contains(err.Error(), "looking up the bastion's AMI (SSM parameter "+ec2host.AL2023ARM64Parameter) {
		t.Fatalf("NewBastion: %v", err)
	}
	for _, res := range r.Resources() {
		if res.Custom {
			t.Errorf("%s %s registered before the lookup failed", res.Type, res.Name)
		}
	}
}
