package stack

import (
	"sort"
	"strings"

	"github.com/webstack/webstack/network"
	"github.com/webstack/webstack/policy"
)

// ChecksConfig is `webstack:checks`: what kind of stack this is for the built-in checks, and
// the reviewed relaxations it accepts.
type ChecksConfig struct {
	// Profile is "production" (every check must pass) or "nonproduction" (a production-only
	// check that fails is reported as an exception naming webstack:checks.profile).
	Profile string `key:"profile"`
	// Waive maps a check ID to the reason a failing check is accepted in this stack; the check
	// then reports an exception naming webstack:checks.waive.<id>.
	Waive map[string]string `key:"waive"`
}

func (c *ChecksConfig) validate(p *problems, key string) {
	switch c.Profile {
	case policy.Production, policy.NonProduction:
	default:
		p.add(key+".profile", "%s must be %q or %q", quote(c.Profile), policy.Production, policy.NonProduction)
	}
	ids := policy.IDs()
	names := make([]string, 0, len(c.Waive))
	for id := range c.Waive {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		k := key + ".waive." + id
		switch {
		case policy.Lookup(id) == nil:
			p.add(k, "%s is not a built-in check ID%s", quote(id), suggestCheck(id, ids))
		case strings.TrimSpace(c.Waive[id]) == "":
			p.add(k, "%s: a waiver needs the reason it was accepted", quote(c.Waive[id]))
		}
	}
}

// suggestCheck suggests the closest check ID, or says where the list is.
func suggestCheck(id string, ids []string) string {
	best, bestDist := "", len(id)
	for _, k := range ids {
		if d := editDistance(strings.ToLower(id), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" && bestDist <= 2 {
		return " (did you mean " + quote(best) + "?)"
	}
	return " (see `go run ./cmd/plan -list-checks`)"
}

// CheckOptions returns what the config declares about the built-in checks: the profile, the
// waivers, and every relaxation a tier's config makes.
func (c *Config) CheckOptions() policy.Options {
	waivers := map[string]string{}
	for k, v := range c.Checks.Waive {
		waivers[k] = v
	}
	return policy.Options{Profile: c.Checks.Profile, Waivers: waivers, Exceptions: c.relaxations(), Placeholders: c.Placeholders()}
}

// relaxations lists the controls this stack's config deliberately relaxes, each with the key
// that does it. A tier registers one only when its value actually relaxes the control, so a
// resource that fails for any other reason still fails. Tier owners: add your section's
// relaxations here (one line calling a method in your stack/config_<tier>.go).
func (c *Config) relaxations() []policy.Relaxation {
	var out []policy.Relaxation
	out = append(out, c.Network.relaxations()...)
	out = append(out, c.Bastion.relaxations()...)
	out = append(out, c.App.relaxations()...)
	out = append(out, c.Edge.relaxations()...)
	out = append(out, c.Alerts.relaxations()...)
	out = append(out, c.logRetentionRelaxations()...)
	for _, r := range c.DataRelaxations() {
		out = append(out, policy.Relaxation{Check: r.Control, Type: r.Type, Name: r.Name, Key: r.Key})
	}
	return out
}

func (n *NetworkConfig) relaxations() []policy.Relaxation {
	key := Namespace + ":network."
	var out []policy.Relaxation
	if n.NATGateways != network.NATPerAZ {
		out = append(out, policy.Relaxation{Check: "REL10-BP01/nat", Key: key + "natGateways"})
	}
	if !n.FlowLogs {
		out = append(out, policy.Relaxation{Check: "EC2.6", Key: key + "flowLogs"})
	}
	if n.FlowLogRetentionDays < 365 {
		out = append(out, policy.Relaxation{Check: "CloudWatch.16", Type: typeLogGroup, Name: "net-flow-logs", Key: key + "flowLogRetentionDays"})
	}
	if !n.InterfaceEndpoints {
		for _, id := range []string{"EC2.10", "EC2.55", "EC2.56", "EC2.57"} {
			out = append(out, policy.Relaxation{Check: id, Key: key + "interfaceEndpoints"})
		}
	}
	return out
}

func (b *BastionConfig) relaxations() []policy.Relaxation {
	if len(b.AllowedCIDRs) == 0 {
		return nil
	}
	// A public bastion for SSH from admin networks has a public address by design (gotcha 22).
	return []policy.Relaxation{{Check: "EC2.9", Type: "aws:ec2/instance:Instance", Name: "bastion", Key: Namespace + ":bastion.allowedCidrs"}}
}

// logRetentionRelaxations lists the log groups whose retention a stack file sets below the year
// CloudWatch.16 asks for, each scoped to the log groups its key governs. (The flow logs' key is
// in the network's relaxations.)
func (c *Config) logRetentionRelaxations() []policy.Relaxation {
	var out []policy.Relaxation
	add := func(days int, relaxation policy.Relaxation) {
		if days < 365 {
			relaxation.Check, relaxation.Type = "CloudWatch.16", typeLogGroup
			out = append(out, relaxation)
		}
	}
	add(c.App.LogRetentionDays, policy.Relaxation{Name: appLogGroup, Key: Namespace + ":app.logRetentionDays"})
	add(c.Database.LogRetentionDays, policy.Relaxation{NamePrefix: dbComponent + "-", Key: Namespace + ":database.logRetentionDays"})
	add(c.Cache.LogRetentionDays, policy.Relaxation{NamePrefix: cacheComponent + "-", Key: Namespace + ":cache.logRetentionDays"})
	return out
}
