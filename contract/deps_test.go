package contract_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeployedProgramLinksOnlyItself: `pulumi up` runs the root package, which must link only
// the program, its tiers, this package and the SDKs: never the mock engine, the checks or the
// plan's analyses (they are for `go run ./cmd/plan` and the tests).
func TestDeployedProgramLinksOnlyItself(t *testing.T) {
	for _, dep := range deps(t, "github.com/webstack/webstack") {
		for _, banned := range []string{"mockaws", "policy", "plan", "resilience", "internal/release", "internal/awsdouble"} {
			if dep == "github.com/webstack/webstack/"+banned {
				t.Errorf("the deployed program links %s", dep)
			}
		}
	}
}

// TestReleaseToolLinksNoProgram: the release tool (cmd/deploy) shares names with the program
// only through this package; linking the program would build every pulumi-aws package into it.
func TestReleaseToolLinksNoProgram(t *testing.T) {
	for _, dep := range deps(t, "github.com/webstack/webstack/cmd/deploy") {
		if strings.HasPrefix(dep, "github.com/pulumi/pulumi-aws/") {
			t.Fatalf("the release tool links %s", dep)
		}
		for _, banned := range []string{"stack", "network", "compute", "data", "edge", "monitoring", "mockaws", "policy", "plan", "resilience"} {
			if dep == "github.com/webstack/webstack/"+banned {
				t.Errorf("the release tool links %s", dep)
			}
		}
	}
}

// TestContractIsALeaf: this package imports only the standard library.
func TestContractIsALeaf(t *testing.T) {
	for _, dep := range deps(t, "github.com/webstack/webstack/contract") {
		if strings.Contains(strings.SplitN(dep, "/", 2)[0], ".") && dep != "github.com/webstack/webstack/contract" {
			t.Errorf("contract links %s", dep)
		}
	}
}

// deps lists what a package links, as `go list -deps` does.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}
