package awsdouble_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/awsdouble"
)

// TestSimulatedReleaseByHand drives the real program's dev stack through a release by hand
// (deploy the idle color, flip) under the real engine, and checks what the simulated ALB
// serves at each step: production through CloudFront on the live color's version, the test
// listener on the idle color's.
func TestSimulatedReleaseByHand(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test: skipped with -short")
	}
	// Releasing by hand changes the release state with plain ups, which the program allows
	// only when told so (docs/release.md, "Releasing by hand"); the inline program runs in
	// this process, so the variable is set here rather than for the CLI.
	t.Setenv(contract.EnvReleaseTool, "by hand")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	e := awsdouble.Start(ctx, t, "../..", "dev", nil)
	s, sf, sim := e.Stack, e.Files, e.Sim
	sim.Logf = t.Logf
	app := func(mutate func(map[string]any)) {
		t.Helper()
		files, err := sf.WithSection("webstack:app", mutate)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.SetConfig(ctx, files); err != nil {
			t.Fatal(err)
		}
		sf = files
	}
	up := func(step string) auto.OutputMap {
		t.Helper()
		var log strings.Builder
		start := time.Now()
		res, err := s.Up(ctx, progress(&log)...)
		if err != nil {
			t.Fatalf("%s: up: %v\n%s", step, err, tail(log.String(), 6000))
		}
		t.Logf("%s: up in %s: %v", step, time.Since(start).Round(time.Millisecond), *res.Summary.ResourceChanges)
		return res.Outputs
	}
	client := sim.Client()
	get := func(u string) (int, string) {
		t.Helper()
		res, err := client.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, res.Body)
		return res.StatusCode, res.Header.Get("X-App-Version")
	}

	app(func(m map[string]any) {
		m["blue"] = map[string]any{"version": "1.4.2", "minSize": 1, "desiredCapacity": 1, "maxSize": 2}
		m["green"] = map[string]any{"version": "", "minSize": 0, "desiredCapacity": 0, "maxSize": 2}
	})
	out := up("first up, blue on 1.4.2")
	api := out[contract.OutAPIURL].Value.(string) + "/actuator/health"
	test := out[contract.OutTestURL].Value.(string) + "/actuator/health"
	if code, v := get(api); code != 200 || v != "1.4.2" {
		t.Errorf("production after the first up: %d, version %q; want 200 from 1.4.2", code, v)
	}
	if code, _ := get(test); code != http.StatusNotFound {
		t.Errorf("test listener with an empty idle color: %d, want the fixed 404", code)
	}

	app(func(m map[string]any) {
		m["green"] = map[string]any{"version": "1.5.0", "minSize": 1, "desiredCapacity": 1, "maxSize": 2}
	})
	up("deploy 1.5.0 to green")
	if code, v := get(test); code != 200 || v != "1.5.0" {
		t.Errorf("test listener after deploying green: %d, version %q; want 200 from 1.5.0", code, v)
	}
	if code, v := get(api); code != 200 || v != "1.4.2" {
		t.Errorf("production before the flip: %d, version %q; want 200 from 1.4.2", code, v)
	}

	app(func(m map[string]any) { m["activeColor"] = "green" })
	up("flip to green")
	if code, v := get(api); code != 200 || v != "1.5.0" {
		t.Errorf("production after the flip: %d, version %q; want 200 from 1.5.0", code, v)
	}
	if code, v := get(test); code != 200 || v != "1.4.2" {
		t.Errorf("test listener after the flip: %d, version %q; want 200 from 1.4.2 (blue, now idle)", code, v)
	}
	b, _ := json.Marshal(sim.Instances("app-green-asg"))
	t.Logf("green instances: %s", b)
}
