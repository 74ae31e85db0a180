package stack

import (
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
)

// documentationRanges are the address blocks reserved for documentation (RFC 5737 for IPv4,
// RFC 3849 for IPv6): no real network uses them, so a rule admitting one admits nobody.
var documentationRanges = []netip.Prefix{
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// exampleDomains are the second-level domains reserved for documentation (RFC 2606), and
// exampleTLDs the top-level domains reserved for it or for tests (RFC 2606, RFC 6761).
var (
	exampleDomains = []string{"example.com", "example.net", "example.org"}
	exampleTLDs    = []string{"example", "test", "invalid", "localhost"}
)

// Placeholders returns every config value that still holds a documentation placeholder, by
// full key: the stack files ship with such values where a team must put its own (its domain,
// its deploy networks, its on-call addresses). It looks at every string of every section, so a
// new setting is covered without being listed here.
func (c *Config) Placeholders() []contract.Placeholder {
	var out []contract.Placeholder
	sections := c.sections()
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		walkStrings(Namespace+":"+name, reflect.ValueOf(sections[name]).Elem(), func(key, v string) {
			if why := placeholderKind(v); why != "" {
				out = append(out, contract.Placeholder{Key: key, Value: v, Why: why})
			}
		})
	}
	return out
}

// walkStrings calls f with the full key and value of every string in a config struct, list or
// map, in declaration (or key) order.
func walkStrings(key string, v reflect.Value, f func(key, v string)) {
	switch v.Kind() {
	case reflect.String:
		f(key, v.String())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if name := v.Type().Field(i).Tag.Get("key"); name != "" {
				walkStrings(key+"."+name, v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkStrings(fmt.Sprintf("%s[%d]", key, i), v.Index(i), f)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walkStrings(key+"."+k.String(), v.MapIndex(k), f)
		}
	}
}

// documentationAccount matches an ARN in the account 000000000000, and zeroSlackID a Slack ID
// of zeros only: neither AWS nor Slack assigns such an ID: the stack files' placeholders
// for a team's Secrets Manager secret and its Slack workspace and channel.
var (
	documentationAccount = regexp.MustCompile(`^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:000000000000:`)
	zeroSlackID          = regexp.MustCompile(`^[TCG]0+$`)
)

// placeholderKind says what kind of documentation placeholder v is, or "" if it is none.
func placeholderKind(v string) string {
	if documentationAccount.MatchString(v) {
		return "an ARN in the account 000000000000, which AWS never assigns"
	}
	if zeroSlackID.MatchString(v) {
		return "a Slack ID of zeros, which Slack never assigns"
	}
	if p, err := netip.ParsePrefix(v); err == nil {
		for _, doc := range documentationRanges {
			if doc.Overlaps(p) {
				return fmt.Sprintf("inside %s, an address range reserved for documentation", doc)
			}
		}
		return ""
	}
	if local, domain, ok := strings.Cut(v, "@"); ok && local != "" {
		if isExampleDomain(domain) {
			return "an address at a domain reserved for documentation"
		}
		return ""
	}
	if isExampleDomain(v) {
		return "a domain reserved for documentation (RFC 2606)"
	}
	return ""
}

// isExampleDomain reports whether a host name is, or is under, a domain reserved for
// documentation or tests.
func isExampleDomain(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if !strings.Contains(host, ".") && host != "localhost" {
		return false
	}
	for _, d := range exampleDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	for _, tld := range exampleTLDs {
		if host == tld || strings.HasSuffix(host, "."+tld) {
			return true
		}
	}
	return false
}

// placeholderError refuses `pulumi up` of a production stack that still holds placeholders, so
// that nothing is created for a domain, a deploy network or an on-call list that is not the
// team's. Previews and the offline plan report them as failed checks instead.
func (c *Config) placeholderError() error {
	phs := c.Placeholders()
	if len(phs) == 0 || c.Checks.Profile != contract.Production {
		return nil
	}
	p := &problems{file: c.File}
	for _, ph := range phs {
		p.add(ph.Key, "%q is %s; this production stack cannot be deployed with it: put your own value there (README, \"Deploying for real\")", ph.Value, ph.Why)
	}
	return p.err()
}
