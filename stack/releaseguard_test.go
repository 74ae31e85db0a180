package stack_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// A plain `pulumi up` (or preview) with a stale stack file must not move production: outside
// cmd/deploy the program refuses a release state that is not what the stack's outputs say is
// deployed, naming each key, before any resource is registered.
func TestReleaseStateOnlyThroughTheReleaseTool(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	run := func(deployed map[string]any) (*mockaws.Engine, error) {
		e := mockaws.New(sf.Project, sf.Stack, stack.DefaultRegion)
		e.Deployed = deployed
		err := pulumi.RunErr(func(ctx *pulumi.Context) error { return stack.Run(ctx, sf.Values) },
			pulumi.WithMocks(sf.Project, sf.Stack, e), func(info *pulumi.RunInfo) { info.DryRun = true })
		return e, err
	}
	// The dev file says blue live, neither color released; the stack runs green on 1.5.0.
	released := map[string]any{
		contract.OutActiveColor: "green", contract.OutCanaryWeight: 0.0,
		contract.OutBlueVersion: "", contract.OutGreenVersion: "1.5.0",
	}
	e, err := run(released)
	for _, want := range []string{
		`Pulumi.dev.yaml: webstack:app.activeColor: "blue" is not what is deployed ("green"): the release state changes only through cmd/deploy`,
		`Pulumi.dev.yaml: webstack:app.green.version: "" is not what is deployed ("1.5.0")`,
		"`go run ./cmd/deploy sync -s dev` writes the deployed state into it",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a stale file outside cmd/deploy: %v\nwant %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "canaryWeight") {
		t.Errorf("an equal canary weight reported: %v", err)
	}
	if n := len(e.Resources()); n != 0 {
		t.Errorf("%d resources registered before the refusal", n)
	}

	// The same file under cmd/deploy, a file that agrees, and a stack never deployed run.
	t.Setenv(contract.EnvReleaseTool, "cmd/deploy")
	if _, err := run(released); err != nil {
		t.Errorf("under cmd/deploy: %v", err)
	}
	t.Setenv(contract.EnvReleaseTool, "")
	agrees := map[string]any{contract.OutActiveColor: "blue", contract.OutCanaryWeight: 0.0, contract.OutBlueVersion: "", contract.OutGreenVersion: ""}
	if e, err := run(agrees); err != nil || len(e.Resources()) == 0 {
		t.Errorf("a file that agrees: %v", err)
	}
	if _, err := run(nil); err != nil {
		t.Errorf("a stack never deployed: %v", err)
	}
}
