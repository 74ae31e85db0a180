package policy

import (
	"fmt"
	"sort"

	"github.com/webstack/webstack/mockaws"
)

// Placeholder is a config value that still holds documentation: an example domain, a
// documentation address range, an address at an example domain. The committed stack files carry
// such values where a team must put its own (its domain, its deploy networks, its on-call list);
// a stack that still holds one is not ready to deploy.
type Placeholder struct {
	// Key is the full config key, e.g. "webstack:edge.domain" or
	// "webstack:app.testListenerCidrs[0]".
	Key string
	// Value is the value found there.
	Value string
	// Why says what kind of placeholder it is, e.g. "an RFC 2606 example domain".
	Why string
}

// tProvider is the AWS provider's type token: the anchor of findings about the config itself.
const tProvider = "pulumi:providers:aws"

// PlaceholdersCheckID is the ID of the check that reports documentation placeholders.
const PlaceholdersCheckID = "webstack/placeholders"

func init() {
	register(&Check{
		ID:       PlaceholdersCheckID,
		Title:    "The stack's config holds no documentation placeholders (example domains, documentation address ranges, example.com addresses)",
		Severity: High, Scope: ProductionOnly, Standard: Webstack,
		Types:    []string{tProvider},
		Findings: placeholderFindings,
	})
}

// placeholderFindings reports each placeholder of the config on the resource that carries its
// value (a security group rule, a subscription, a certificate), or on the AWS provider when no
// resource does (a hosted zone name is only looked up). With no placeholder, the stack's regional
// provider passes.
func placeholderFindings(s *Stack) []Finding {
	providers := s.ByType(tProvider)
	if len(providers) == 0 {
		return nil
	}
	// The regional provider is the one without an explicit name other than the stack's: the
	// first by URN is stable, and every stack has the regional one named "aws".
	anchor := providers[0]
	for _, p := range providers {
		if p.Name == "aws" {
			anchor = p
		}
	}
	if len(s.placeholders) == 0 {
		return []Finding{{Resource: anchor, Verdict: ok("no config value is a documentation placeholder")}}
	}
	var out []Finding
	for _, ph := range s.placeholders {
		carrier := anchor
		if r := s.carrying(ph.Value); r != nil {
			carrier = r
		}
		out = append(out, Finding{Resource: carrier, Verdict: bad("%s is %q, %s: replace it with your own value before `pulumi up` (the README's \"Deploying for real\")", ph.Key, ph.Value, ph.Why)})
	}
	return out
}

// carrying returns the first custom resource (by URN) one of whose inputs is exactly v, or nil.
func (s *Stack) carrying(v string) *mockaws.Resource {
	for _, r := range s.res.Resources {
		if !r.Custom || r.Type == tProvider {
			continue
		}
		if holds(mockaws.PlainMap(r.Inputs), v) {
			return r
		}
	}
	return nil
}

// holds reports whether a plain value, or anything nested in it, is the string v.
func holds(x any, v string) bool {
	switch x := x.(type) {
	case string:
		return x == v
	case []any:
		for _, e := range x {
			if holds(e, v) {
				return true
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if holds(x[k], v) {
				return true
			}
		}
	}
	return false
}

// String renders a placeholder for a message.
func (p Placeholder) String() string { return fmt.Sprintf("%s: %q is %s", p.Key, p.Value, p.Why) }
