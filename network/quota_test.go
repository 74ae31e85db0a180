package network

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

// TestQuotaModelMatchesTheFirewall holds the quota model (ALBInboundRules,
// BastionInboundRules), which the config check relies on, to the rules newFirewall actually
// registers: a flow added to the ALB or the bastion without updating the model fails here.
func TestQuotaModelMatchesTheFirewall(t *testing.T) {
	for _, c := range []struct{ port, deploy, admin int }{{0, 0, 0}, {9000, 1, 0}, {9000, 5, 2}, {8443, 3, 60}} {
		t.Run(fmt.Sprintf("port %d, %d deploy, %d admin", c.port, c.deploy, c.admin), func(t *testing.T) {
			args := minimalArgs()
			args.InterfaceEndpoints = true
			args.Firewall.TestListenerPort = c.port
			for i := 0; i < c.deploy; i++ {
				args.Firewall.TestListenerCIDRs = append(args.Firewall.TestListenerCIDRs, fmt.Sprintf("198.51.%d.0/24", i))
			}
			for i := 0; i < c.admin; i++ {
				args.Firewall.AdminCIDRs = append(args.Firewall.AdminCIDRs, fmt.Sprintf("203.0.%d.0/24", i))
			}
			res := runNetwork(t, args)
			weight := func(sg string) int {
				n := 0
				for _, r := range res.ByType(tIngress) {
					if r.Input("securityGroupId") != sg {
						continue
					}
					if r.Input("prefixListId") == mockaws.CloudFrontPrefixListID {
						n += CloudFrontPrefixListWeight
					} else {
						n++
					}
				}
				return n
			}
			alb, bastion := res.Find(tSG, "net-alb-sg"), res.Find(tSG, "net-bastion-sg")
			if got, want := weight(alb.ID), ALBInboundRules(args.Firewall, CloudFrontPrefixListWeight); got != want {
				t.Errorf("the ALB group's inbound rules weigh %d, the model says %d", got, want)
			}
			if got, want := weight(bastion.ID), BastionInboundRules(args.Firewall); got != want {
				t.Errorf("the bastion group's inbound rules weigh %d, the model says %d", got, want)
			}
		})
	}
}

// TestQuotaRefusedBeforeRegistering checks that the network tier refuses, before it registers
// anything, a firewall AWS would refuse: a sixth deploy network next to CloudFront's prefix
// list, or an IPv6 outside network (every outside rule is registered as cidrIpv4).
func TestQuotaRefusedBeforeRegistering(t *testing.T) {
	for name, c := range map[string]struct {
		mutate func(f *FirewallArgs)
		want   string
	}{
		"six deploy networks": {func(f *FirewallArgs) {
			f.TestListenerPort = 9000
			f.TestListenerCIDRs = []string{"198.51.0.0/24", "198.51.1.0/24", "198.51.2.0/24", "198.51.3.0/24", "198.51.4.0/24", "198.51.5.0/24"}
		}, "the ALB security group would hold 61 inbound rules (the CloudFront prefix list weighs 55, plus 6 test listener CIDRs); a security group holds at most 60, so at most 5 test listener CIDRs fit"},
		"IPv6 deploy network": {func(f *FirewallArgs) {
			f.TestListenerPort = 9000
			f.TestListenerCIDRs = []string{"2001:db8::/32"}
		}, `cidr "2001:db8::/32" is IPv6`},
		"IPv6 admin network": {func(f *FirewallArgs) { f.AdminCIDRs = []string{"2001:db8::/48"} }, `cidr "2001:db8::/48" is IPv6`},
	} {
		t.Run(name, func(t *testing.T) {
			args := minimalArgs()
			c.mutate(&args.Firewall)
			res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				_, err := NewNetwork(ctx, "net", args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("NewNetwork: %v\nwant an error containing %q", err, c.want)
			}
			if res != nil && len(res.Resources) > 0 {
				t.Errorf("%d resources registered before the firewall was refused", len(res.Resources))
			}
		})
	}
	// Five fit.
	args := minimalArgs()
	args.Firewall.TestListenerPort = 9000
	args.Firewall.TestListenerCIDRs = []string{"198.51.0.0/24", "198.51.1.0/24", "198.51.2.0/24", "198.51.3.0/24", "198.51.4.0/24"}
	runNetwork(t, args)
}

// TestElasticIPQuotaRefusedBeforeRegistering checks that a NAT gateway per AZ over more AZs
// than a region's default Elastic IP quota is refused before anything is registered.
func TestElasticIPQuotaRefusedBeforeRegistering(t *testing.T) {
	args := minimalArgs()
	args.NATGateways = NATPerAZ
	args.AZs = []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"}
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "us-east-1", AZCount: 6}, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if want := "6 NAT gateways need 6 Elastic IP addresses; a region holds 5 by default"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("NewNetwork: %v\nwant an error containing %q", err, want)
	}
	if res != nil && len(res.Resources) > 0 {
		t.Errorf("%d resources registered before the network was refused", len(res.Resources))
	}
	args.NATGateways = NATSingle
	res, err = mockaws.Run("webstack", "unit", mockaws.Options{Region: "us-east-1", AZCount: 6}, func(ctx *pulumi.Context) error {
		_, err := NewNetwork(ctx, "net", args)
		return err
	})
	if err != nil || len(res.ByType(tEIP)) != 1 {
		t.Errorf("six AZs with a single NAT gateway: %v", err)
	}
}
