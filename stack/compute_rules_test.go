package stack_test

import (
	"strings"
	"testing"

	"github.com/webstack/webstack/plan"
)

// TestAppConfigAgreesWithAWSRules: for each webstack:app key that reaches an AWS rule of the
// mock engine, the values the config accepts at its limits pass the rule in the real program,
// and the values just past them are refused at config time, naming the key, before the rule
// could refuse them halfway through a run.
func TestAppConfigAgreesWithAWSRules(t *testing.T) {
	long := "/" + strings.Repeat("a", 1023) // 1024 characters: the longest health check path
	for _, tc := range []struct {
		name   string
		mutate func(map[string]any)
		want   string // "" when the config and the mock engine must accept it
	}{
		{"deregistration delay 0", set("deregistrationDelay", 0), ""},
		{"deregistration delay 3600", set("deregistrationDelay", 3600), ""},
		{"deregistration delay 3601", set("deregistrationDelay", 3601), "webstack:app.deregistrationDelay: 3601 must be between 0 and 3600 seconds"},
		{"health check path of 1024", set("healthCheckPath", long), ""},
		{"health check path of 1025", set("healthCheckPath", long+"a"), "webstack:app.healthCheckPath: "},
		{"health check path without /", set("healthCheckPath", "health"), "webstack:app.healthCheckPath: \"health\" must be an absolute URL path"},
		{"test listener on a production port", set("testListenerPort", 80), "webstack:app.testListenerPort: 80 is a production listener port"},
		{"sizes at their bounds", all(released, fleet("blue", "1.4.2", 2, 4, 4)), ""},
		{"desired above max", all(released, fleet("blue", "1.4.2", 2, 5, 4)), "webstack:app.blue.maxSize: 4 is below desiredCapacity 5"},
		{"a version-less color's sizes are held at 0", fleet("green", "", 3, 3, 4), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sf, err := plan.Load("..", "prod")
			if err != nil {
				t.Fatal(err)
			}
			if sf, err = sf.WithSection("webstack:app", tc.mutate); err != nil {
				t.Fatal(err)
			}
			_, _, err = plan.RunFiles(sf)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), "Pulumi.prod.yaml: "+tc.want)):
				t.Errorf("error %v, want a config error %q", err, tc.want)
			case tc.want != "" && strings.Contains(err.Error(), "mockaws rule"):
				t.Errorf("refused by a mock rule, not at config time: %v", err)
			}
		})
	}
}
