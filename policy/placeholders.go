package policy

import (
	"sort"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// PlaceholdersCheckID is the ID of the check that reports documentation placeholders.
const PlaceholdersCheckID = "webstack/placeholders"

func init() {
	register(&Check{
		ID:       PlaceholdersCheckID,
		Title:    "The stack's config holds no documentation placeholders (example domains, documentation address ranges, example.com addresses)",
		Severity: High, Scope: ProductionOnly, Standard: Webstack,
		Types:    []string{contract.TypeAWSProvider},
		Findings: placeholderFindings,
	})
}

// placeholderFindings reports each placeholder of the config on the resource that carries its
// value (a security group rule, a subscription, a certificate), or on the AWS provider when no
// resource does (a hosted zone name is only looked up). With no placeholder, the stack's regional
// provider passes.
func placeholderFindings(s *Stack) []Finding {
	providers := s.ByType(contract.TypeAWSProvider)
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
		if !r.Custom || r.Type == contract.TypeAWSProvider {
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
