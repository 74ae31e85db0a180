package stack

import (
	"slices"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/network"
)

// ChecksConfig is `webstack:checks`: what kind of stack this is for the built-in checks, and
// the reviewed relaxations it accepts.
type ChecksConfig struct {
	// Profile is "production" (every check must pass) or "nonproduction" (a production-only
	// check that fails is reported as an exception naming webstack:checks.profile).
	Profile string `key:"profile"`
	// Waive maps a check ID to the reason a failing check is accepted in this stack; the check
	// then reports an exception naming webstack:checks.waive.<id>. An unknown check ID or an
	// empty reason is a config error.
	Waive map[string]string `key:"waive"`
}

func (c *ChecksConfig) validate(p *problems, key string) {
	switch c.Profile {
	case contract.Production, contract.NonProduction:
	default:
		p.add(key+".profile", "%s must be %q or %q", quote(c.Profile), contract.Production, contract.NonProduction)
	}
	names := make([]string, 0, len(c.Waive))
	for id := range c.Waive {
		names = append(names, id)
	}
	sort.Strings(names)
	for _, id := range names {
		k := key + ".waive." + id
		switch {
		case !slices.Contains(contract.CheckIDs, id):
			p.add(k, "%s is not a built-in check ID%s", quote(id), suggestCheck(id, contract.CheckIDs))
		case strings.TrimSpace(c.Waive[id]) == "":
			p.add(k, "%s: a waiver needs the reason it was accepted", quote(c.Waive[id]))
		}
	}
}

// suggestCheck suggests the closest check ID, or says where the list is.
func suggestCheck(id string, ids []string) string {
	if best := closest(id, ids); best != "" {
		return " (did you mean " + quote(best) + "?)"
	}
	return " (see `go run ./cmd/plan -list-checks`)"
}

// CheckOptions returns what the config declares about the built-in checks: the profile, the
// waivers, and every relaxation a tier's config makes.
func (c *Config) CheckOptions() contract.CheckOptions {
	waivers := map[string]string{}
	for k, v := range c.Checks.Waive {
		waivers[k] = v
	}
	return contract.CheckOptions{Profile: c.Checks.Profile, Waivers: waivers, Exceptions: c.relaxations(), Placeholders: c.Placeholders()}
}

// relaxations lists the controls this stack's config deliberately relaxes, each with the key
// that does it. A tier registers one only when its value actually relaxes the control, so a
// resource that fails for any other reason still fails. Tier owners: add your section's
// relaxations here (one line calling a method in your stack/config_<tier>.go).
func (c *Config) relaxations() []contract.Relaxation {
	var out []contract.Relaxation
	out = append(out, c.Network.relaxations()...)
	out = append(out, c.Bastion.relaxations()...)
	out = append(out, c.App.relaxations()...)
	out = append(out, c.Edge.relaxations()...)
	out = append(out, c.Alerts.relaxations()...)
	out = append(out, c.logRetentionRelaxations()...)
	out = append(out, c.DataRelaxations()...)
	return out
}

func (n *NetworkConfig) relaxations() []contract.Relaxation {
	key := Namespace + ":network."
	var out []contract.Relaxation
	if n.NATGateways != network.NATPerAZ {
		out = append(out, contract.Relaxation{Check: "REL10-BP01/nat", Key: key + "natGateways"})
	}
	if !n.FlowLogs {
		out = append(out, contract.Relaxation{Check: "EC2.6", Key: key + "flowLogs"})
	}
	if n.FlowLogRetentionDays < 365 {
		out = append(out, contract.Relaxation{Check: "CloudWatch.16", Type: contract.TypeCloudWatchLogGroup, Name: contract.FlowLogGroup, Key: key + "flowLogRetentionDays"})
	}
	if !n.InterfaceEndpoints {
		for _, id := range []string{"EC2.10", "EC2.55", "EC2.56", "EC2.57"} {
			out = append(out, contract.Relaxation{Check: id, Key: key + "interfaceEndpoints"})
		}
	}
	return out
}

func (b *BastionConfig) relaxations() []contract.Relaxation {
	if len(b.AllowedCIDRs) == 0 {
		return nil
	}
	// A public bastion for SSH from admin networks has a public address by design
	// (docs/gotchas.md, "A public bastion needs a public address").
	return []contract.Relaxation{{Check: "EC2.9", Type: contract.TypeEC2Instance, Name: contract.BastionInstance, Key: Namespace + ":bastion.allowedCidrs"}}
}

// logRetentionRelaxations lists the log groups whose retention a stack file sets below the year
// CloudWatch.16 asks for, each scoped to the log groups its key governs. (The flow logs' key is
// in the network's relaxations.)
func (c *Config) logRetentionRelaxations() []contract.Relaxation {
	var out []contract.Relaxation
	add := func(days int, relaxation contract.Relaxation) {
		if days < 365 {
			relaxation.Check, relaxation.Type = "CloudWatch.16", contract.TypeCloudWatchLogGroup
			out = append(out, relaxation)
		}
	}
	add(c.App.LogRetentionDays, contract.Relaxation{Name: contract.AppLogGroup, Key: Namespace + ":app.logRetentionDays"})
	add(c.Database.LogRetentionDays, contract.Relaxation{NamePrefix: dbComponent + "-", Key: Namespace + ":database.logRetentionDays"})
	add(c.Cache.LogRetentionDays, contract.Relaxation{NamePrefix: cacheComponent + "-", Key: Namespace + ":cache.logRetentionDays"})
	return out
}
