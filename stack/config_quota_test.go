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
