package stack

import "testing"

// The program names its own stack as each backend takes it: org/project/stack on Pulumi Cloud,
// the bare name on a DIY backend, whose legacy layout refuses a name with a slash.
func TestSelfReference(t *testing.T) {
	for _, c := range []struct{ org, want string }{
		{"acme", "acme/webstack/prod"},
		{"organization", "prod"},
		{"", "prod"},
	} {
		if got := selfReference(c.org, "webstack", "prod"); got != c.want {
			t.Errorf("selfReference(%q) = %q, want %q", c.org, got, c.want)
		}
	}
}
