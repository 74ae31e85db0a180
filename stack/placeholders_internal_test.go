package stack

import "testing"

func TestPlaceholderKind(t *testing.T) {
	for _, tt := range []struct {
		value string
		want  bool
	}{
		{"203.0.113.0/24", true},
		{"198.51.100.7/32", true},
		{"192.0.2.0/25", true},
		{"2001:db8::/48", true},
		{"192.0.0.0/16", true}, // contains 192.0.2.0/24
		{"10.0.0.0/16", false},
		{"198.51.101.0/24", false},
		{"0.0.0.0/0", true}, // contains every documentation range; refused elsewhere anyway
		{"example.com", true},
		{"www.example.com", true},
		{"API.Example.Org.", true},
		{"shop.test", true},
		{"www.example", true},
		{"localhost", true},
		{"oncall@example.com", true},
		{"ops@team.example.net", true},
		{"examples.com", false},
		{"www.myexample.com", false},
		{"example.com.au", false},
		{"oncall@acme.io", false},
		{"@example.com", false}, // no local part: neither an address nor a host name
		{"test", false},
		{"1.4.2", false},
		{"/actuator/health", false},
		{"sat:19:00-sat:20:00", false},
	} {
		if got := placeholderKind(tt.value) != ""; got != tt.want {
			t.Errorf("placeholderKind(%q) = %q, want placeholder %v", tt.value, placeholderKind(tt.value), tt.want)
		}
	}
}

// TestPlaceholdersWalkEveryString: a placeholder is found under any key of any section, lists
// and maps included, with the full key.
func TestPlaceholdersWalkEveryString(t *testing.T) {
	c := DefaultConfig()
	c.Bastion.AllowedCIDRs = []string{"10.1.0.0/16", "192.0.2.0/24"}
	c.Checks.Waive = map[string]string{"EC2.10": "see https://wiki.example.com/ops"}
	c.Alerts.Emails = []string{"team@acme.io", "oncall@example.org"}
	var got []string
	for _, ph := range c.Placeholders() {
		got = append(got, ph.Key+"="+ph.Value)
	}
	want := []string{"webstack:alerts.emails[1]=oncall@example.org", "webstack:bastion.allowedCidrs[1]=192.0.2.0/24"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("placeholders %v, want %v (a waiver's prose mentioning a URL is not a placeholder)", got, want)
	}
}
