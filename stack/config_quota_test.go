package stack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/webstack/webstack/network"
)

// cidrs returns n distinct /24 networks.
func cidrs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("10.200.%d.0/24", i)
	}
	return out
}

// TestQuotaRejects pins the security-group rule quota at config time: CloudFront's prefix
// list weighs 55 of the ALB group's 60 inbound rules, so a sixth deploy network is refused
// naming webstack:app.testListenerCidrs, and the bastion group takes at most 60 admin networks.
func TestQuotaRejects(t *testing.T) {
	app := func(n int) map[string]string {
		v := validDev()
		b, _ := json.Marshal(map[string]any{"testListenerCidrs": cidrs(n), "blue": map[string]any{"version": "1.0.0"}})
		v["webstack:app"] = string(b)
		return v
	}
	bastion := func(n int) map[string]string {
		v := validDev()
		b, _ := json.Marshal(map[string]any{"allowedCidrs": cidrs(n)})
		v["webstack:bastion"] = string(b)
		return v
	}
	max := network.MaxTestListenerCIDRs(network.CloudFrontPrefixListWeight)
	if max != 5 {
		t.Fatalf("MaxTestListenerCIDRs = %d, want 5 (60 rules less CloudFront's 55)", max)
	}
	if _, err := LoadConfig("webstack", "dev", app(max)); err != nil {
		t.Errorf("%d deploy networks refused: %v", max, err)
	}
	_, err := LoadConfig("webstack", "dev", app(max+1))
	want := fmt.Sprintf(`Pulumi.dev.yaml: webstack:app.testListenerCidrs: %s lists 6 deploy networks, but at most 5 fit: the ALB security group holds at most 60 inbound rules`, quote(cidrs(max+1)))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("6 deploy networks: %v\nwant %q", err, want)
	}
	if _, err := LoadConfig("webstack", "dev", bastion(60)); err != nil {
		t.Errorf("60 admin networks refused: %v", err)
	}
	_, err = LoadConfig("webstack", "dev", bastion(61))
	if err == nil || !strings.Contains(err.Error(), "Pulumi.dev.yaml: webstack:bastion.allowedCidrs: [") || !strings.Contains(err.Error(), "lists 61 admin networks; the bastion security group holds at most 60 inbound rules") {
		t.Errorf("61 admin networks: %v", err)
	}
}

// TestElasticIPQuota pins the Elastic IP quota at config time: one NAT gateway per AZ needs one
// address each, and a fresh account holds 5 per region.
func TestElasticIPQuota(t *testing.T) {
	net := func(body string) map[string]string {
		v := validDev()
		v["webstack:network"] = body
		return v
	}
	if _, err := LoadConfig("webstack", "dev", net(`{"azCount":5,"natGateways":"perAz"}`)); err != nil {
		t.Errorf("5 AZs with a NAT gateway each refused: %v", err)
	}
	if _, err := LoadConfig("webstack", "dev", net(`{"azCount":6,"natGateways":"single"}`)); err != nil {
		t.Errorf("6 AZs with one NAT gateway refused: %v", err)
	}
	_, err := LoadConfig("webstack", "dev", net(`{"azCount":6,"natGateways":"perAz"}`))
	want := `Pulumi.dev.yaml: webstack:network.azCount: 6 with natGateways "perAz" needs 6 NAT gateways and as many Elastic IP addresses, but an account holds 5 per region by default, shared by every stack in the account and region`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("6 AZs per AZ: %v\nwant %q", err, want)
	}
}
