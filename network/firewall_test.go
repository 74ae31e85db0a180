package network

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const (
	ingressType = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressType  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

func runFirewall(t *testing.T, f FirewallArgs) (*mockaws.Result, error) {
	t.Helper()
	return mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", &NetworkArgs{
			CIDR:        "10.0.0.0/16",
			AZs:         []string{"ap-northeast-2a", "ap-northeast-2b"},
			NATGateways: NATSingle,
			Region:      "ap-northeast-2", AccountID: mockaws.AccountID, Partition: mockaws.Partition,
			Firewall: f,
		})
		return err
	})
}

func baseFirewall(port int) FirewallArgs {
	return FirewallArgs{
		ProductionPort:    port,
		AppPort:           8080,
		DatabasePort:      3306,
		CachePort:         6379,
		TestListenerPort:  8443,
		TestListenerCIDRs: []string{"203.0.113.0/24"},
	}
}

// TestALBAdmitsOnlyCloudFront checks that the ALB's production port is reachable only from
// CloudFront's origin-facing prefix list, for both ports the edge tier uses, and that nothing
// in the matrix is open to the whole internet.
func TestALBAdmitsOnlyCloudFront(t *testing.T) {
	for _, port := range []int{80, 443} {
		t.Run(fmt.Sprint(port), func(t *testing.T) {
			res, err := runFirewall(t, baseFirewall(port))
			if err != nil {
				t.Fatal(err)
			}
			if !containsCall(res.Calls, "aws:ec2/getManagedPrefixList:getManagedPrefixList") {
				t.Errorf("the CloudFront prefix list was not looked up; calls: %v", res.Calls)
			}
			alb := res.Find("aws:ec2/securityGroup:SecurityGroup", "net-alb-sg")
			if alb == nil {
				t.Fatal("no ALB security group")
			}
			var albIngress []*mockaws.Resource
			for _, r := range res.ByType(ingressType) {
				if cidr := r.Input("cidrIpv4"); cidr == "0.0.0.0/0" || r.Input("cidrIpv6") == "::/0" {
					t.Errorf("ingress rule %s admits the whole internet (%v) on %v", r.Name, cidr, r.Input("fromPort"))
				}
				if r.Input("securityGroupId") == alb.ID {
					albIngress = append(albIngress, r)
				}
			}
			// The production port from CloudFront, the test listener from the deploy network.
			if len(albIngress) != 2 {
				t.Fatalf("ALB has %d ingress rules, want 2: %v", len(albIngress), names(albIngress))
			}
			prod := res.Find(ingressType, fmt.Sprintf("net-alb-from-cloudfront-%d", port))
			if prod == nil {
				t.Fatalf("no ingress rule net-alb-from-cloudfront-%d; ALB rules: %v", port, names(albIngress))
			}
			if prod.Input("prefixListId") != mockaws.CloudFrontPrefixListID || prod.Input("fromPort") != float64(port) ||
				prod.Input("toPort") != float64(port) || prod.Input("ipProtocol") != "tcp" || prod.Input("cidrIpv4") != nil {
				t.Errorf("production rule: prefix list %v ports %v-%v %v cidr %v, want %s on tcp %d only",
					prod.Input("prefixListId"), prod.Input("fromPort"), prod.Input("toPort"), prod.Input("ipProtocol"), prod.Input("cidrIpv4"), mockaws.CloudFrontPrefixListID, port)
			}
			other := 80 + 443 - port
			if r := res.Find(ingressType, fmt.Sprintf("net-alb-from-cloudfront-%d", other)); r != nil {
				t.Errorf("port %d is open too; only the production port %d may be", other, port)
			}
			test := res.Find(ingressType, "net-alb-from-deploy0-8443")
			if test == nil || test.Input("cidrIpv4") != "203.0.113.0/24" {
				t.Errorf("the test listener is no longer reachable from the deploy network: %v", test)
			}
		})
	}
}

func TestFirewallNeedsProductionPort(t *testing.T) {
	f := baseFirewall(0)
	_, err := runFirewall(t, f)
	if err == nil || !strings.Contains(err.Error(), "production listener port is required") {
		t.Errorf("no production port: error %v", err)
	}
}

func names(rs []*mockaws.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	sort.Strings(out)
	return out
}

func containsCall(calls []string, tok string) bool {
	for _, c := range calls {
		if c == tok {
			return true
		}
	}
	return false
}
