package awsdouble

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Install builds the aws and random plugins of this module and installs them, from the files,
// into the plugin cache of the Pulumi CLI at cli (its PULUMI_HOME is home), as the versions the
// SDKs ask for: the CLI then loads them for every aws and random resource.
func Install(ctx context.Context, cli, home string) error {
	mod, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	bin, err := os.MkdirTemp("", "webstack-awsdouble-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	for _, p := range []struct{ pkg, version string }{{"aws", AWSVersion}, {"random", RandomVersion}} {
		name := "pulumi-resource-" + p.pkg
		out := filepath.Join(bin, name)
		build := exec.CommandContext(ctx, "go", "build", "-o", out, "./internal/awsdouble/cmd/"+name)
		build.Dir = mod
		if b, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %v\n%s", name, err, b)
		}
		install := exec.CommandContext(ctx, cli, "plugin", "install", "resource", p.pkg, p.version, "--file", out)
		install.Env = append(os.Environ(), "PULUMI_HOME="+home, "PULUMI_SKIP_UPDATE_CHECK=true")
		if b, err := install.CombinedOutput(); err != nil {
			return fmt.Errorf("installing %s %s: %v\n%s", name, p.version, err, b)
		}
	}
	return nil
}

// moduleRoot returns the directory of this module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", "env", "GOMOD")
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(out.String())
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the webstack module")
	}
	return filepath.Dir(gomod), nil
}
