package awsdouble

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// Env is the real webstack program's stack under the real Pulumi CLI, with a file backend in a
// temporary directory and the AWS double's plugins installed, against a World that simulates
// ALB and Auto Scaling (Sim). Tests build one with Start.
type Env struct {
	World *World
	Sim   *Sim
	// Stack is the Automation API stack of the inline program stack.Program, with the stack
	// file's config set.
	Stack auto.Stack
	// Files are the stack's files as the test set them.
	Files *plan.StackFiles
}

// CLI finds the Pulumi CLI: WEBSTACK_PULUMI_ROOT/bin/pulumi, else pulumi on PATH. Under CI
// (CI=true) a missing CLI fails the test; elsewhere it skips it.
func CLI(t testing.TB) (string, auto.PulumiCommand) {
	t.Helper()
	root := os.Getenv("WEBSTACK_PULUMI_ROOT")
	if root == "" {
		if p, err := exec.LookPath("pulumi"); err == nil {
			root = filepath.Dir(filepath.Dir(p))
		}
	}
	if root == "" {
		msg := "the Pulumi CLI is missing: run `.ci/deploy-checks.sh` (it builds it and prints WEBSTACK_PULUMI_ROOT) or put pulumi on PATH"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	if err != nil {
		t.Fatalf("pulumi CLI under %s: %v", root, err)
	}
	return filepath.Join(root, "bin", "pulumi"), cmd
}

// Start sets up the stack of a real stack file (dir holds Pulumi.yaml) with the webstack:app
// section changed by app (optional), and returns before any update.
func Start(ctx context.Context, t testing.TB, dir, stackName string, app func(map[string]any)) *Env {
	t.Helper()
	bin, cmd := CLI(t)
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	if err := Install(ctx, bin, home); err != nil {
		t.Fatal(err)
	}
	files, err := plan.Load(dir, stackName)
	if err != nil {
		t.Fatal(err)
	}
	if app != nil {
		if files, err = files.WithSection(stack.Namespace+":app", app); err != nil {
			t.Fatal(err)
		}
	}
	region := files.Values["aws:region"]
	if region == "" {
		region = stack.DefaultRegion
	}
	world, err := NewWorld(files.Project, stackName, region)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = world.Close() })
	sim := NewSim(world)
	t.Cleanup(sim.Close)
	state := filepath.Join(tmp, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":       "file://" + filepath.ToSlash(state),
		"PULUMI_CONFIG_PASSPHRASE": "engine-test-only",
		"PULUMI_HOME":              home,
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		EnvWorld:                   world.URL(),
	}
	work := filepath.Join(tmp, "project")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := auto.UpsertStackInlineSource(ctx, stackName, files.Project, stack.Program, auto.Pulumi(cmd), auto.EnvVars(env), auto.WorkDir(work))
	if err != nil {
		t.Fatal(err)
	}
	e := &Env{World: world, Sim: sim, Stack: s, Files: files}
	if err := e.SetConfig(ctx, files); err != nil {
		t.Fatal(err)
	}
	return e
}

// SetConfig writes every key of files into the stack's config (what editing the stack file
// does).
func (e *Env) SetConfig(ctx context.Context, files *plan.StackFiles) error {
	cfg := auto.ConfigMap{}
	for k, v := range files.Values {
		cfg[k] = auto.ConfigValue{Value: v}
	}
	if err := e.Stack.SetAllConfig(ctx, cfg); err != nil {
		return fmt.Errorf("setting the stack's config: %w", err)
	}
	e.Files = files
	return nil
}

// Cloud is the release tool's view of AWS in the World: the simulated alarms and the
// parameters the program stored.
func (e *Env) Cloud() *Cloud { return &Cloud{e: e} }

// Cloud implements the release tool's Cloud interface on the World.
type Cloud struct{ e *Env }

// AlarmsInAlarm returns the simulated alarms with the prefix that are in ALARM.
func (c *Cloud) AlarmsInAlarm(_ context.Context, prefix string) ([]string, error) {
	return c.e.Sim.AlarmsInAlarm(prefix), nil
}

// AlarmWindow returns the longest evaluation window of the alarms with the prefix, in the
// World's time (periods are scaled as AlarmsInAlarm scales them).
func (c *Cloud) AlarmWindow(_ context.Context, prefix string) (time.Duration, error) {
	return c.e.Sim.AlarmWindow(prefix), nil
}

// CredentialsExpire: the World's credentials never expire.
func (c *Cloud) CredentialsExpire(context.Context) (time.Time, error) { return time.Time{}, nil }

// Parameter returns the value of an SSM parameter the program created.
func (c *Cloud) Parameter(_ context.Context, name string) (string, error) {
	for _, r := range c.e.World.Engine.Registered(contract.TypeSSMParameter, nil) {
		if v := r.State["name"]; v.IsString() && v.StringValue() == name {
			in, _ := reveal(resource.NewProperty(r.Inputs)).(map[string]any)
			if s, ok := in["value"].(string); ok {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("ParameterNotFound: parameter %s not found", name)
}
