package stack

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/webstack/webstack/network"
)

// minimalApp is the least webstack:app a stack must set: the image version of the live color
// and the deploy networks allowed to reach the test listener have no sensible defaults.
const minimalApp = `{"testListenerCidrs":["203.0.113.0/24"],"blue":{"version":"1.0.0"}}`

// validDev is a complete, valid config in the form the engine hands it to the program.
func validDev() map[string]string {
	return map[string]string{
		"aws:region":       "ap-northeast-2",
		"webstack:network": `{"cidr":"10.20.0.0/16","azCount":2,"natGateways":"single","flowLogs":true,"flowLogRetentionDays":30,"interfaceEndpoints":false}`,
		"webstack:bastion": `{"instanceType":"t4g.nano","allowedCidrs":[]}`,
		"webstack:app":     minimalApp,
	}
}

func TestLoadConfigValid(t *testing.T) {
	cfg, err := LoadConfig("webstack", "dev", validDev())
	if err != nil {
		t.Fatalf("valid config rejected: %v", err)
	}
	if cfg.Network.CIDR != "10.20.0.0/16" || cfg.Network.AZCount != 2 || cfg.Network.NATGateways != network.NATSingle {
		t.Errorf("network not bound: %+v", cfg.Network)
	}
	if cfg.File != "Pulumi.dev.yaml" {
		t.Errorf("File = %q, want Pulumi.dev.yaml", cfg.File)
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig("webstack", "dev", map[string]string{"webstack:app": minimalApp})
	if err != nil {
		t.Fatalf("minimal config rejected: %v", err)
	}
	want := DefaultConfig()
	if cfg.Region != DefaultRegion || cfg.Network.NATGateways != network.NATPerAZ || !cfg.Network.FlowLogs ||
		cfg.Network.CIDR != want.Network.CIDR || cfg.Bastion.InstanceType != "t4g.nano" || len(cfg.Bastion.AllowedCIDRs) != 0 {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	// A partial object keeps the defaults of the keys it does not set.
	cfg, err = LoadConfig("webstack", "dev", map[string]string{"webstack:network": `{"azCount":3}`, "webstack:app": minimalApp})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Network.AZCount != 3 || cfg.Network.CIDR != want.Network.CIDR || cfg.Network.FlowLogRetentionDays != 365 {
		t.Errorf("partial object lost defaults: %+v", cfg.Network)
	}
}

// TestLoadConfigRejects holds one bad input per rule, each with the exact message a user sees.
func TestLoadConfigRejects(t *testing.T) {
	net := func(body string) map[string]string {
		v := validDev()
		v["webstack:network"] = body
		return v
	}
	bastion := func(body string) map[string]string {
		v := validDev()
		v["webstack:bastion"] = body
		return v
	}
	tests := []struct {
		name   string
		values map[string]string
		want   []string
	}{
		{"cidr prefix out of range", net(`{"cidr":"10.0.0.0/33","azCount":2}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR`}},
		{"cidr not an address", net(`{"cidr":"ten.0.0.0/16"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "ten.0.0.0/16" is not a valid IPv4 CIDR`}},
		{"cidr is IPv6", net(`{"cidr":"fd00::/48"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "fd00::/48" is not a valid IPv4 CIDR`}},
		{"cidr has host bits", net(`{"cidr":"10.0.1.0/16"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "10.0.1.0/16" has host bits set; the network address is "10.0.0.0/16"`}},
		{"cidr larger than a VPC", net(`{"cidr":"10.0.0.0/8"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "10.0.0.0/8" is larger than AWS allows for a VPC (/16 at most)`}},
		{"cidr too small for the subnets", net(`{"cidr":"10.0.0.0/24"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "10.0.0.0/24" is too small for the subnets asked for: three tiers of up to 8 AZs, whose public subnets hold the load balancer and must each be at least a /27 (AWS's Application Load Balancer guide), need at least a /22`}},
		{"cidr too small for the load balancer", net(`{"cidr":"10.0.0.0/23"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "10.0.0.0/23" is too small for the subnets asked for`}},
		{"cidr in public space", net(`{"cidr":"8.8.0.0/16"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.cidr: "8.8.0.0/16" is not in private address space`}},
		{"azCount 1", net(`{"azCount":1}`),
			[]string{`Pulumi.dev.yaml: webstack:network.azCount: 1 must be between 2 and 8: every tier spans at least two availability zones`}},
		{"azCount 9", net(`{"azCount":9}`),
			[]string{`Pulumi.dev.yaml: webstack:network.azCount: 9 must be between 2 and 8`}},
		{"azCount a string", net(`{"azCount":"three"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.azCount: "three" must be a whole number`}},
		{"azCount a fraction", net(`{"azCount":2.5}`),
			[]string{`Pulumi.dev.yaml: webstack:network.azCount: 2.5 must be a whole number`}},
		{"unknown NAT mode", net(`{"natGateways":"perAZ"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.natGateways: "perAZ" must be one of "perAz", "single" or "none"`}},
		{"no NAT", net(`{"natGateways":"none","interfaceEndpoints":true}`),
			[]string{`Pulumi.dev.yaml: webstack:network.natGateways: "none" leaves the app subnets without internet egress: the migration runner and the app download the RDS CA bundle from truststore.pki.rds.amazonaws.com, which no VPC endpoint serves; use "single" or "perAz"`}},
		{"flowLogs a string", net(`{"flowLogs":"yes"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.flowLogs: "yes" must be true or false`}},
		{"retention CloudWatch refuses", net(`{"flowLogRetentionDays":10}`),
			[]string{`Pulumi.dev.yaml: webstack:network.flowLogRetentionDays: 10 is not a retention CloudWatch Logs accepts`}},
		{"typo in a network key", net(`{"natGateway":"single"}`),
			[]string{`Pulumi.dev.yaml: webstack:network.natGateway: unknown key (did you mean "natGateways"?)`}},
		{"network not an object", net(`"10.0.0.0/16"`),
			[]string{`Pulumi.dev.yaml: webstack:network: "10.0.0.0/16" must be an object with the keys cidr, azCount, natGateways, flowLogs, flowLogRetentionDays, interfaceEndpoints`}},
		{"network not JSON", net(`{"cidr":`),
			[]string{`Pulumi.dev.yaml: webstack:network: "{\"cidr\":" is not valid structured config`}},
		{"whole internet may SSH", bastion(`{"allowedCidrs":["0.0.0.0/0"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: "0.0.0.0/0" would open the port to the whole internet; list your admin networks instead`}},
		{"whole IPv6 internet may SSH", bastion(`{"allowedCidrs":["203.0.113.0/24","::/0"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[1]: "::/0" would open the port to the whole internet`}},
		{"admin CIDR is IPv6", bastion(`{"allowedCidrs":["2001:db8::/32"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: "2001:db8::/32" is an IPv6 range; the security group rules take IPv4 CIDRs only`}},
		{"admin CIDR is IPv4-mapped IPv6", bastion(`{"allowedCidrs":["::ffff:203.0.113.0/120"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: "::ffff:203.0.113.0/120" is an IPv6 range`}},
		{"deploy CIDR is IPv6", func() map[string]string {
			v := validDev()
			v["webstack:app"] = `{"testListenerCidrs":["203.0.113.0/24","2001:db8:1::/48"],"blue":{"version":"1.0.0"}}`
			return v
		}(),
			[]string{`Pulumi.dev.yaml: webstack:app.testListenerCidrs[1]: "2001:db8:1::/48" is an IPv6 range; the security group rules take IPv4 CIDRs only`}},
		{"admin CIDR invalid", bastion(`{"allowedCidrs":["203.0.113.0/33"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: "203.0.113.0/33" is not a valid CIDR`}},
		{"admin CIDR listed twice", bastion(`{"allowedCidrs":["203.0.113.0/24","203.0.113.0/24"]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[1]: "203.0.113.0/24" is listed twice`}},
		{"allowedCidrs a string", bastion(`{"allowedCidrs":"203.0.113.0/24"}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs: "203.0.113.0/24" must be a list`}},
		{"allowedCidrs entry a number", bastion(`{"allowedCidrs":[42]}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.allowedCidrs[0]: 42 must be a string (put it in quotes)`}},
		{"x86 bastion", bastion(`{"instanceType":"t3.nano"}`),
			[]string{`Pulumi.dev.yaml: webstack:bastion.instanceType: "t3.nano" is not an arm64 (Graviton) instance type`}},
		{"typo in a top-level key", func() map[string]string { v := validDev(); v["webstack:netwrk"] = "{}"; return v }(),
			[]string{`Pulumi.dev.yaml: webstack:netwrk: unknown key (did you mean "network"?)`}},
		{"unknown top-level key", func() map[string]string { v := validDev(); v["webstack:frobnicate"] = "1"; return v }(),
			[]string{`Pulumi.dev.yaml: webstack:frobnicate: unknown key (valid keys: `}},
		{"bad region", func() map[string]string { v := validDev(); v["aws:region"] = "seoul"; return v }(),
			[]string{`Pulumi.dev.yaml: aws:region: "seoul" is not an AWS region name`}},
		{"several problems reported together", net(`{"cidr":"10.0.0.0/33","azCount":1,"natGateways":"both"}`),
			[]string{
				`webstack:network.cidr: "10.0.0.0/33" is not a valid IPv4 CIDR`,
				`webstack:network.azCount: 1 must be between 2 and 8`,
				`webstack:network.natGateways: "both" must be one of`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig("webstack", "dev", tt.values)
			if err == nil {
				t.Fatalf("config %v accepted (%+v); want an error containing %q", tt.values, cfg, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("config %v:\n error %q\n does not contain %q", tt.values, err, w)
				}
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"cidr", "azCount", "natGateways"}
	for in, want := range map[string]string{
		"azcount":     `(did you mean "azCount"?)`,
		"natGateway":  `(did you mean "natGateways"?)`,
		"cdir":        `(did you mean "cidr"?)`,
		"elephant":    "(valid keys: cidr, azCount, natGateways)",
		"natgateways": `(did you mean "natGateways"?)`,
	} {
		if got := suggest(in, keys); !strings.Contains(got, want) {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzLoadConfig feeds arbitrary structured values to the parser: it must never panic, and a
// config it accepts must satisfy the invariants the network tier relies on.
func FuzzLoadConfig(f *testing.F) {
	f.Add(`{"cidr":"10.0.0.0/16","azCount":2,"natGateways":"single"}`, `{"allowedCidrs":[]}`)
	f.Add(`{"cidr":"10.0.0.0/33"}`, `{"allowedCidrs":["0.0.0.0/0"]}`)
	f.Add(`[1,2,3]`, `null`)
	f.Add(`{"azCount":1e40}`, `{"instanceType":7}`)
	f.Add(`{"cidr":{"a":1}}`, `{"allowedCidrs":[null,"x"]}`)
	maxAZs := network.MaxAZs // the fuzz function's argument shadows the package
	f.Fuzz(func(t *testing.T, network, bastion string) {
		cfg, err := LoadConfig("webstack", "fuzz", map[string]string{
			"webstack:network": network,
			"webstack:bastion": bastion,
		})
		if err != nil {
			if !strings.HasPrefix(err.Error(), "Pulumi.fuzz.yaml: ") {
				t.Fatalf("error does not name the stack file: %v", err)
			}
			return
		}
		if cfg.Network.AZCount < 2 || cfg.Network.AZCount > maxAZs {
			t.Fatalf("accepted azCount %d", cfg.Network.AZCount)
		}
		for _, c := range cfg.Bastion.AllowedCIDRs {
			if p, err := netip.ParsePrefix(c); err != nil || p.Bits() == 0 || !p.Addr().Is4() {
				t.Fatalf("accepted %q as an admin CIDR", c)
			}
		}
	})
}
