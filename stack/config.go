package stack

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/webstack/webstack/network"
)

// Namespace is the project's config namespace: every webstack key is written
// `webstack:<key>` in Pulumi.<stack>.yaml.
const Namespace = "webstack"

// DefaultRegion is used when the stack file does not set aws:region.
const DefaultRegion = "ap-northeast-2"

// Config is the whole typed configuration of one stack, parsed once from the stack's config
// and validated before any resource is registered.
type Config struct {
	// Project and Stack name the Pulumi project and stack; File is the stack file that holds
	// the config ("Pulumi.<stack>.yaml"), named in every error.
	Project, Stack, File string
	// Region is aws:region.
	Region string

	Network NetworkConfig `key:"network"`
	Bastion BastionConfig `key:"bastion"`
	Checks  ChecksConfig  `key:"checks"`
	// Database and Cache are the data tier (stack/config_data.go).
	Database DatabaseConfig `key:"database"`
	Cache    CacheConfig    `key:"cache"`
	App      AppConfig      `key:"app"`
	Edge     EdgeConfig     `key:"edge"`
	// Alerts is who is paged and when (stack/config_alerts.go).
	Alerts AlertsConfig `key:"alerts"`
}

// NetworkConfig is `webstack:network`: the VPC, its public, app and data subnets in every AZ, the
// NAT gateways, the flow logs and the optional interface endpoints.
type NetworkConfig struct {
	// CIDR is the VPC's IPv4 range: private address space (10.0.0.0/8, 172.16.0.0/12,
	// 192.168.0.0/16 or 100.64.0.0/10), from /16 to /22 (the ALB needs /27 public subnets), with
	// no host bits set.
	CIDR string `key:"cidr"`
	// AZCount is how many availability zones every tier spans: 2 to 8, and no more than the
	// region has (its regular AZs, never Local Zones). With natGateways perAz at most 5: each NAT
	// gateway takes an Elastic IP, 5 per region by default, shared by every stack in the account.
	AZCount int `key:"azCount"`
	// NATGateways is how the app subnets reach the internet: perAz (one NAT gateway per AZ: losing an AZ costs no other AZ its egress),
	// single (cheaper; its AZ is a single point of failure for egress) or none (no egress),
	// which the program refuses: the app and the migration runner download the RDS CA bundle
	// from the internet.
	NATGateways string `key:"natGateways"`
	// FlowLogs turns VPC flow logs (all traffic) to CloudWatch Logs on or off (EC2.6).
	FlowLogs bool `key:"flowLogs"`
	// FlowLogRetentionDays is how long flow logs are kept, in days; a retention CloudWatch Logs
	// accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192,
	// 2557, 2922, 3288 or 3653).
	FlowLogRetentionDays int `key:"flowLogRetentionDays"`
	// InterfaceEndpoints adds VPC interface endpoints in the app subnets for ssm, ssmmessages,
	// ec2messages, ec2, ecr.api, ecr.dkr, secretsmanager, logs and kms, so that instances reach
	// those services without the NAT.
	InterfaceEndpoints bool `key:"interfaceEndpoints"`
}

// BastionConfig is `webstack:bastion`: the admin host (Amazon Linux 2023 arm64, IMDSv2 only, SSM
// managed; docs/architecture.md says how to get in).
type BastionConfig struct {
	// InstanceType is the bastion's EC2 instance type; it must be an arm64 (Graviton) type.
	InstanceType string `key:"instanceType"`
	// AllowedCIDRs are the admin networks allowed to SSH to a public bastion. Empty (the
	// default) keeps the bastion private, reached only through SSM Session Manager; non-empty
	// moves it to a public subnet with a public IP (EC2.9 fails by design). IPv4 CIDRs without
	// host bits, each listed once, never 0.0.0.0/0; at most 60.
	AllowedCIDRs []string `key:"allowedCidrs"`
}

// DefaultConfig returns the defaults that apply where a stack file is silent: reliable and
// private first, cheaper only where a stack file says so.
func DefaultConfig() Config {
	return Config{
		Region: DefaultRegion,
		Network: NetworkConfig{
			CIDR:                 "10.0.0.0/16",
			AZCount:              2,
			NATGateways:          network.NATPerAZ,
			FlowLogs:             true,
			FlowLogRetentionDays: network.DefaultFlowLogRetentionDays,
		},
		Bastion: BastionConfig{
			InstanceType: "t4g.nano",
			AllowedCIDRs: []string{},
		},
		Checks:   ChecksConfig{Profile: "production", Waive: map[string]string{}},
		Database: DefaultDatabaseConfig(),
		Cache:    DefaultCacheConfig(),
		App:      defaultAppConfig(),
		Edge:     defaultEdgeConfig(),
		Alerts:   defaultAlertsConfig(),
	}
}

// sections lists the structured keys under the namespace and where each one is bound.
func (c *Config) sections() map[string]any {
	return map[string]any{
		"network":  &c.Network,
		"bastion":  &c.Bastion,
		"checks":   &c.Checks,
		"database": &c.Database,
		"cache":    &c.Cache,
		"app":      &c.App,
		"edge":     &c.Edge,
		"alerts":   &c.Alerts,
	}
}

// KnownKeys returns every full config key webstack reads, sorted.
func KnownKeys() []string {
	c := DefaultConfig()
	keys := []string{"aws:region"}
	for name := range c.sections() {
		keys = append(keys, Namespace+":"+name)
	}
	sort.Strings(keys)
	return keys
}

// LoadConfig parses and validates a stack's config. values holds the raw config as Pulumi
// hands it to programs: full keys ("webstack:network") to strings, structured values as JSON.
// All problems are returned together, each naming the stack file, the full key and the value.
func LoadConfig(project, stack string, values map[string]string) (*Config, error) {
	c := DefaultConfig()
	c.Project, c.Stack, c.File = project, stack, fmt.Sprintf("Pulumi.%s.yaml", stack)
	p := &problems{file: c.File}

	sections := c.sections()
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	var known []string
	for name := range sections {
		known = append(known, name)
	}
	sort.Strings(known)
	for _, full := range names {
		raw := values[full]
		ns, name, _ := strings.Cut(full, ":")
		switch {
		case full == "aws:region":
			c.Region = raw
		case ns != Namespace:
			// Other namespaces (aws:*, pulumi:*) belong to providers and the engine.
		case sections[name] != nil:
			v, err := decodeJSON(raw)
			if err != nil {
				p.add(full, "%q is not valid structured config: %v", raw, err)
				continue
			}
			bind(p, full, v, sections[name])
		default:
			p.add(full, "unknown key%s", suggest(name, known))
		}
	}
	c.validate(p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return &c, nil
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)

func (c *Config) validate(p *problems) {
	if !regionPattern.MatchString(c.Region) {
		p.add("aws:region", "%s is not an AWS region name (e.g. %q)", quote(c.Region), DefaultRegion)
	}
	c.Network.validate(p, Namespace+":network")
	c.Bastion.validate(p, Namespace+":bastion")
	c.Checks.validate(p, Namespace+":checks")
	c.Database.validate(p, Namespace+":database")
	c.Cache.validate(p, Namespace+":cache")
	c.validateDataCrossSection(p)
	c.App.validate(p, Namespace+":app")
	c.Edge.validate(p, Namespace+":edge")
	c.validateUploads(p)
	c.Alerts.validate(p, Namespace+":alerts")
	c.validateAlertsCrossSection(p)
	c.validateWebhookSecret(p)
	c.validateReleaseCheckPath(p)
	c.validateSettings(p)
	c.validateQuotas(p)
}

// minVPCPrefix is the largest VPC AWS accepts (a /16). The smallest the stack accepts is
// network.MaxVPCPrefix, where the subnet carving (network.TierBits, network.AZBits) leaves the
// public subnets the /27 the ALB needs.
const minVPCPrefix = 16

// privateRanges are the address blocks a VPC may use: RFC 1918 and RFC 6598 space. A VPC in
// public address space would shadow real internet addresses for everything inside it.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
}

// logRetentions are the retention periods CloudWatch Logs accepts.
var logRetentions = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func (n *NetworkConfig) validate(p *problems, key string) {
	prefix, err := netip.ParsePrefix(n.CIDR)
	switch {
	case err != nil || !prefix.Addr().Is4():
		p.add(key+".cidr", "%s is not a valid IPv4 CIDR", quote(n.CIDR))
	case prefix.Masked() != prefix:
		p.add(key+".cidr", "%s has host bits set; the network address is %q", quote(n.CIDR), prefix.Masked().String())
	case prefix.Bits() < minVPCPrefix:
		p.add(key+".cidr", "%s is larger than AWS allows for a VPC (/%d at most)", quote(n.CIDR), minVPCPrefix)
	case prefix.Bits() > network.MaxVPCPrefix:
		p.add(key+".cidr", "%s is too small for the subnets asked for: three tiers of up to %d AZs, whose public subnets hold the load balancer and must each be at least "+
			"a /%d (AWS's Application Load Balancer guide), need at least a /%d", quote(n.CIDR), network.MaxAZs, network.ALBSubnetPrefix, network.MaxVPCPrefix)
	case !insideAny(prefix, privateRanges):
		p.add(key+".cidr", "%s is not in private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)", quote(n.CIDR))
	}
	if n.AZCount < 2 || n.AZCount > network.MaxAZs {
		p.add(key+".azCount", "%d must be between 2 and %d: every tier spans at least two availability zones", n.AZCount, network.MaxAZs)
	}
	switch n.NATGateways {
	case network.NATPerAZ, network.NATSingle:
	case network.NATNone:
		// Interface endpoints reach SSM, ECR and Secrets Manager, but no VPC endpoint serves
		// the RDS CA bundle (truststore.pki.rds.amazonaws.com): without egress the migration
		// runner stops before it is ready and the app cannot verify the database.
		p.add(key+".natGateways", "%s leaves the app subnets without internet egress: the migration runner and the app download the RDS CA bundle from truststore.pki.rds.amazonaws.com, which no VPC endpoint serves; use %q or %q", quote(n.NATGateways), network.NATSingle, network.NATPerAZ)
	default:
		p.add(key+".natGateways", "%s must be one of %q, %q or %q", quote(n.NATGateways), network.NATPerAZ, network.NATSingle, network.NATNone)
	}
	validateLogRetention(p, key+".flowLogRetentionDays", n.FlowLogRetentionDays)
}

// validateLogRetention checks that days is a log group retention CloudWatch Logs accepts.
func validateLogRetention(p *problems, key string, days int) {
	if !slices.Contains(logRetentions, days) {
		p.add(key, "%d is not a retention CloudWatch Logs accepts (%s)", days, joinInts(logRetentions))
	}
}

// armFamily matches Graviton instance families (t4g, m7g, c7gn, r6gd, ...) and a1.
var armFamily = regexp.MustCompile(`^([a-z]+[0-9]+g[a-z]*|a1)\.[a-z0-9]+$`)

func (b *BastionConfig) validate(p *problems, key string) {
	if !armFamily.MatchString(b.InstanceType) {
		p.add(key+".instanceType", "%s is not an arm64 (Graviton) instance type such as \"t4g.nano\"; the bastion runs Amazon Linux 2023 for arm64", quote(b.InstanceType))
	}
	validateAdminCIDRs(p, key+".allowedCidrs", b.AllowedCIDRs)
}

// validateAdminCIDRs checks a list of networks that may reach an administrative port: each
// must be a valid CIDR and none may be the whole internet.
func validateAdminCIDRs(p *problems, key string, cidrs []string) {
	validateCIDRList(p, key, cidrs, "would open the port to the whole internet; list your admin networks instead")
}

// validateCIDRList checks a list of networks allowed to reach something: each a valid IPv4
// CIDR without host bits, listed once, and never the whole internet (wholeInternet says why,
// after the value). IPv6 ranges are refused: the network tier registers every rule from an
// outside network with cidrIpv4, and the provider refuses an IPv6 range there ("value must be a
// valid IPv4 CIDR that represents a network address", the cidr_ipv4 validator of
// aws_vpc_security_group_ingress_rule).
func validateCIDRList(p *problems, key string, cidrs []string, wholeInternet string) {
	seen := map[string]bool{}
	for i, c := range cidrs {
		k := fmt.Sprintf("%s[%d]", key, i)
		prefix, err := netip.ParsePrefix(c)
		switch {
		case err != nil:
			p.add(k, "%s is not a valid CIDR", quote(c))
		case prefix.Bits() == 0:
			p.add(k, "%s %s", quote(c), wholeInternet)
		case !prefix.Addr().Is4():
			p.add(k, "%s is an IPv6 range; the security group rules take IPv4 CIDRs only (the VPC has no IPv6): list the network's IPv4 range", quote(c))
		case prefix.Masked() != prefix:
			p.add(k, "%s has host bits set; the network address is %q", quote(c), prefix.Masked().String())
		case seen[prefix.String()]:
			p.add(k, "%s is listed twice", quote(c))
		default:
			seen[prefix.String()] = true
		}
	}
}

func insideAny(p netip.Prefix, blocks []netip.Prefix) bool {
	for _, b := range blocks {
		if b.Bits() <= p.Bits() && b.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func joinInts(list []int) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ", ")
}

// parseConfigJSON reads the form in which the engine hands all config to a program (the
// PULUMI_CONFIG environment variable): a JSON object of full keys to strings.
func parseConfigJSON(raw string) (map[string]string, error) {
	values := map[string]string{}
	if raw == "" {
		return values, nil
	}
	if err := json.Unmarshal([]byte(raw), &values); err != nil {
		return nil, err
	}
	return values, nil
}
