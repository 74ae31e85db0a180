package stack

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// checkReleaseState refuses, before any resource is registered, a run outside cmd/deploy
// (contract.EnvReleaseTool unset) whose release state is not what the stack's last update
// deployed. It reads that from the stack's
// own outputs through a stack reference (a read of the backend, which creates nothing); a
// stack never deployed, or deployed by a webstack without these outputs, has nothing to compare.
// The reference is registered by every run, cmd/deploy's included, and only the comparison is
// skipped there: a reference that one kind of update reads and another drops would show as a
// change in the next preview (cmd/deploy refuses a release whose preview changes more than the
// release).
func checkReleaseState(ctx *pulumi.Context, cfg *Config) error {
	self := selfReference(ctx.Organization(), ctx.Project(), ctx.Stack())
	ref, err := pulumi.NewStackReference(ctx, "webstack-deployed-release-state", &pulumi.StackReferenceArgs{Name: pulumi.String(self)})
	if err != nil {
		return fmt.Errorf("reading the deployed release state of %s: %w", self, err)
	}
	if os.Getenv(contract.EnvReleaseTool) != "" {
		return nil
	}
	p := &problems{file: cfg.File}
	key := Namespace + ":app"
	for _, c := range []struct {
		output, key string
		file        any
	}{
		{contract.OutActiveColor, key + ".activeColor", cfg.App.ActiveColor},
		{contract.OutCanaryWeight, key + ".canaryWeight", cfg.App.CanaryWeight},
		{contract.OutBlueVersion, key + ".blue.version", cfg.App.Blue.Version},
		{contract.OutGreenVersion, key + ".green.version", cfg.App.Green.Version},
	} {
		d, err := ref.GetOutputDetails(c.output)
		if err != nil {
			return fmt.Errorf("reading the deployed release state of %s: %w", self, err)
		}
		if d.Value == nil {
			continue // never deployed, or by a webstack without this output
		}
		deployed := d.Value
		if n, ok := deployed.(float64); ok {
			deployed = int(n)
		}
		if fmt.Sprint(deployed) != fmt.Sprint(c.file) {
			p.add(c.key, "%s is not what is deployed (%s): the release state changes only through cmd/deploy (release, rollback, retire), "+
				"which checks what it puts live; if the stack file is stale, `go run ./cmd/deploy sync -s %s` writes the deployed state into it",
				quote(c.file), quote(deployed), ctx.Stack())
		}
	}
	return p.err()
}

// diyOrganization is the organization a DIY backend (file://, s3://, ...) reports for every stack.
const diyOrganization = "organization"

// selfReference names the stack's own stack for a stack reference. On Pulumi Cloud that is
// org/project/stack. A DIY backend takes the bare stack name in both of its layouts (the
// project layout resolves it in the current project), while its legacy layout refuses a name
// with a slash, so there the bare name is used.
func selfReference(org, project, stack string) string {
	if org == diyOrganization || org == "" {
		return stack
	}
	return org + "/" + project + "/" + stack
}
