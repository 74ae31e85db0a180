package network

import (
	"net/netip"
	"testing"
)

func TestSubnetCIDRCarving(t *testing.T) {
	for _, vpcCIDR := range []string{"10.0.0.0/16", "172.16.0.0/20", "192.168.4.0/23", "100.64.0.0/18"} {
		vpc := netip.MustParsePrefix(vpcCIDR)
		var all []netip.Prefix
		for _, tier := range Tiers {
			for az := 0; az < 1<<AZBits; az++ {
				p, err := SubnetCIDR(vpc, tier, az)
				if err != nil {
					t.Fatalf("%s %s az %d: %v", vpcCIDR, tier, az, err)
				}
				if !vpc.Contains(p.Addr()) || p.Bits() != vpc.Bits()+TierBits+AZBits {
					t.Errorf("%s %s az %d: %s is not a /%d inside the VPC", vpcCIDR, tier, az, p, vpc.Bits()+TierBits+AZBits)
				}
				for _, q := range all {
					if p.Overlaps(q) {
						t.Errorf("%s: %s subnet %d %s overlaps %s", vpcCIDR, tier, az, p, q)
					}
				}
				all = append(all, p)
			}
		}
		// The fourth block stays free for growth: no subnet reaches into it.
		spare := netip.PrefixFrom(netip.MustParsePrefix(vpcCIDR).Addr(), vpc.Bits()+TierBits)
		last, _ := SubnetCIDR(vpc, Data, 1<<AZBits-1)
		spareStart := addrAdd(spare.Addr(), 3<<(32-spare.Bits()))
		if last.Contains(spareStart) || !vpc.Contains(spareStart) {
			t.Errorf("%s: spare block at %s is not free", vpcCIDR, spareStart)
		}
	}
}

func TestSubnetCIDRKnownValues(t *testing.T) {
	vpc := netip.MustParsePrefix("10.10.0.0/16")
	for _, tt := range []struct {
		tier Tier
		az   int
		want string
	}{
		{Public, 0, "10.10.0.0/21"},
		{Public, 2, "10.10.16.0/21"},
		{App, 0, "10.10.64.0/21"},
		{App, 1, "10.10.72.0/21"},
		{Data, 2, "10.10.144.0/21"},
	} {
		got, err := SubnetCIDR(vpc, tt.tier, tt.az)
		if err != nil || got.String() != tt.want {
			t.Errorf("SubnetCIDR(%s, %s, %d) = %s, %v; want %s", vpc, tt.tier, tt.az, got, err, tt.want)
		}
	}
}

func TestSubnetCIDRRejects(t *testing.T) {
	if _, err := SubnetCIDR(netip.MustParsePrefix("10.0.0.0/24"), Public, 0); err == nil {
		t.Error("a /24 VPC was carved into subnets smaller than /28")
	}
	if _, err := SubnetCIDR(netip.MustParsePrefix("10.0.0.0/16"), App, 8); err == nil {
		t.Error("AZ index 8 was accepted")
	}
}

func addrAdd(a netip.Addr, n uint32) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
