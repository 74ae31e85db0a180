package network

import (
	"fmt"
	"net/netip"
)

// Tier is one of the three subnet tiers.
type Tier int

// The subnet tiers, in the order their address blocks are carved from the VPC.
const (
	Public Tier = iota
	App
	Data
)

// Tiers lists every subnet tier in carving order.
var Tiers = []Tier{Public, App, Data}

func (t Tier) String() string {
	switch t {
	case Public:
		return "public"
	case App:
		return "app"
	case Data:
		return "data"
	}
	return fmt.Sprintf("tier(%d)", int(t))
}

// Carving: the VPC is split into 1<<TierBits equal blocks, one per tier in Tiers order and the
// last kept free for growth; each block is split into 1<<AZBits equal subnets, one per AZ
// index. The layout therefore never moves when AZs are added, and a fourth tier can be added
// later without renumbering.
const (
	TierBits = 2
	AZBits   = 3
	// MaxAZs is the most AZs a network can span: every tier reserves one subnet slot per
	// possible AZ.
	MaxAZs = 1 << AZBits
)

// ALBSubnetPrefix is the smallest subnet the public tier may have: the Application Load
// Balancer guide asks for "a CIDR block with at least a /27 bitmask (for example,
// 10.0.0.0/27)" and at least eight free addresses in each of the load balancer's subnets, so
// that it can scale; below that CreateLoadBalancer fails with `InvalidSubnet: Not enough IP
// space available in subnet-…. ELB requires at least 8 free IP addresses in each subnet.`
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer;
// aws/aws-rfdk#621). Every tier is carved alike, so the VPC is at least a
// /(ALBSubnetPrefix-TierBits-AZBits), a /22.
const ALBSubnetPrefix = 27

// MaxVPCPrefix is the smallest VPC (the largest prefix length) NetworkArgs.CIDR may have.
const MaxVPCPrefix = ALBSubnetPrefix - TierBits - AZBits

// SubnetCIDR returns the CIDR of the subnet of tier t in the AZ with index az.
func SubnetCIDR(vpc netip.Prefix, t Tier, az int) (netip.Prefix, error) {
	bits := vpc.Bits() + TierBits + AZBits
	if !vpc.Addr().Is4() || bits > 28 {
		return netip.Prefix{}, fmt.Errorf("vpc cidr %s is too small to carve /%d subnets", vpc, bits)
	}
	if az < 0 || az >= 1<<AZBits {
		return netip.Prefix{}, fmt.Errorf("az index %d out of range 0..%d", az, 1<<AZBits-1)
	}
	base := vpc.Masked().Addr().As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	slot := uint32(int(t)<<AZBits | az)
	n |= slot << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, bits), nil
}
