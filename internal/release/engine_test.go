package release_test

// This file runs releases end to end against the real Pulumi engine: the Pulumi CLI built by
// .ci/deploy-checks.sh, a local file backend in a temp dir, and an inline stand-in program that
// implements the compute tier's outputs contract without any cloud resource. Two local HTTP
// servers play the blue and the green fleet.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/webstack/webstack/internal/release"
)

// fleetServer plays one color's instances behind the load balancer.
type fleetServer struct {
	*httptest.Server
	healthy atomic.Bool
	hits    atomic.Int32
}

func newFleetServer(t *testing.T) *fleetServer {
	s := &fleetServer{}
	s.healthy.Store(true)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path != release.DefaultSmokePath || !s.healthy.Load() {
			http.Error(w, `{"status":"DOWN"}`, http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"status":"UP"}`))
	}))
	t.Cleanup(s.Close)
	return s
}

// standIn is the inline program: it reads webstack:app like the real program, rejects what the
// real program rejects, and exports the outputs the release tool reads. The production URL is
// the active color's server, the test URL the idle color's.
type standIn struct {
	servers map[release.Color]*fleetServer
	// block, when set, holds the program until it is closed; started is closed on entry.
	mu      sync.Mutex
	block   chan struct{}
	started chan struct{}
}

type appConfig struct {
	ActiveColor  string `json:"activeColor"`
	CanaryWeight int    `json:"canaryWeight"`
	Blue         struct {
		Version         string `json:"version"`
		DesiredCapacity int    `json:"desiredCapacity"`
	} `json:"blue"`
	Green struct {
		Version         string `json:"version"`
		DesiredCapacity int    `json:"desiredCapacity"`
	} `json:"green"`
}

func (p *standIn) program(ctx *pulumi.Context) error {
	p.mu.Lock()
	block, started := p.block, p.started
	p.mu.Unlock()
	if block != nil {
		close(started)
		<-block
	}
	var app appConfig
	// Like the real program: a version that is not a string is an error, not a coercion.
	if err := config.New(ctx, "webstack").TryObject("app", &app); err != nil {
		return fmt.Errorf("Pulumi.%s.yaml: webstack:app: %w", ctx.Stack(), err)
	}
	active := release.Color(app.ActiveColor)
	if active != release.Blue && active != release.Green {
		return fmt.Errorf("webstack:app.activeColor: %q is not blue or green", app.ActiveColor)
	}
	idle := active.Other()
	prod := p.servers[active].URL
	ctx.Export("activeColor", pulumi.String(active))
	ctx.Export("idleColor", pulumi.String(idle))
	ctx.Export("blueVersion", pulumi.String(app.Blue.Version))
	ctx.Export("greenVersion", pulumi.String(app.Green.Version))
	ctx.Export("blueAsgName", pulumi.String("webstack-"+ctx.Stack()+"-blue"))
	ctx.Export("greenAsgName", pulumi.String("webstack-"+ctx.Stack()+"-green"))
	ctx.Export("testUrl", pulumi.String(p.servers[idle].URL))
	ctx.Export("albDnsName", pulumi.String(strings.TrimPrefix(prod, "http://")))
	ctx.Export("apiUrl", pulumi.String(prod))
	ctx.Export("productionListenerArn", pulumi.String("arn:aws:elasticloadbalancing:local:listener/app/prod"))
	ctx.Export("testListenerArn", pulumi.String("arn:aws:elasticloadbalancing:local:listener/app/test"))
	return nil
}

// pulumiCommand finds the CLI: WEBSTACK_PULUMI_ROOT/bin/pulumi, else pulumi on PATH. Under CI
// a missing CLI fails the test; locally it skips.
func pulumiCommand(t *testing.T) auto.PulumiCommand {
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
	return cmd
}

const initialApp = `{
	"port": 8080, "healthCheckPath": "/actuator/health", "instanceType": "t4g.small",
	"activeColor": "blue", "canaryWeight": 0, "testListenerPort": 9000,
	"testListenerCidrs": ["203.0.113.0/24"], "deregistrationDelay": 30,
	"blue":  {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
	"green": {"version": "", "minSize": 0, "desiredCapacity": 0, "maxSize": 4}}`

func TestEngineReleaseFailedReleaseRollbackRetire(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test: skipped with -short")
	}
	cli := pulumiCommand(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	if err := os.MkdirAll(state, 0o755); err != nil {
		t.Fatal(err)
	}
	servers := map[release.Color]*fleetServer{release.Blue: newFleetServer(t), release.Green: newFleetServer(t)}
	prog := &standIn{servers: servers}
	env := map[string]string{
		"PULUMI_BACKEND_URL":       "file://" + filepath.ToSlash(state),
		"PULUMI_CONFIG_PASSPHRASE": "engine-test-only",
		"PULUMI_HOME":              filepath.Join(dir, "home"),
		"PULUMI_SKIP_UPDATE_CHECK": "true",
	}
	newStack := func() auto.Stack {
		s, err := auto.UpsertStackInlineSource(ctx, "itest", "webstack", prog.program,
			auto.Pulumi(cli), auto.EnvVars(env), auto.WorkDir(filepath.Join(dir, "project")))
		if err != nil {
			t.Fatalf("creating stack: %v", err)
		}
		return s
	}
	if err := os.MkdirAll(filepath.Join(dir, "project"), 0o755); err != nil {
		t.Fatal(err)
	}
	stack := newStack()
	var progress bytes.Buffer
	as := &release.AutoStack{Stack: stack, Progress: &progress}
	var log bytes.Buffer
	r := &release.Releaser{Stack: as, Out: &log,
		Probe: release.HTTPProber{Timeout: 3 * time.Second, Interval: 100 * time.Millisecond}, BakeInterval: 200 * time.Millisecond}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("release log:\n%s\nengine output (tail):\n%s", &log, tail(progress.String(), 4000))
		}
	})

	app, err := release.ParseApp([]byte(initialApp))
	if err != nil {
		t.Fatal(err)
	}
	if err := as.SetApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	if err := as.Up(ctx); err != nil {
		t.Fatalf("initial up: %v", err)
	}

	configIs := func(step, want string) {
		t.Helper()
		got, err := as.App(ctx)
		if err != nil {
			t.Fatalf("%s: reading config: %v", step, err)
		}
		if d := release.Describe(got); d != want {
			t.Errorf("%s: config = %s\nwant %s", step, d, want)
		}
	}
	outputsAre := func(step string, want map[string]string) {
		t.Helper()
		out, err := as.Outputs(ctx)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		for k, v := range want {
			if out.String(k) != v {
				t.Errorf("%s: output %s = %q, want %q", step, k, out.String(k), v)
			}
		}
	}

	// 1. A release with one canary step moves production to green.
	start := time.Now()
	sum, err := r.Release(ctx, release.Options{Version: "1.5.0", Canary: []int{50}, Bake: 300 * time.Millisecond})
	if err != nil {
		t.Fatalf("release 1.5.0: %v", err)
	}
	t.Logf("release 1.5.0 took %s: %+v", time.Since(start).Round(time.Millisecond), sum.Steps)
	configIs("after release", "green live on 1.5.0 (capacity 2/2/4); blue idle on 1.4.2 (capacity 2/2/4)")
	outputsAre("after release", map[string]string{"activeColor": "green", "idleColor": "blue", "greenVersion": "1.5.0",
		"apiUrl": servers[release.Green].URL, "testUrl": servers[release.Blue].URL})
	if sum.ProductionURL != servers[release.Green].URL+release.DefaultSmokePath {
		t.Errorf("verified %q, want green's server", sum.ProductionURL)
	}

	// 2. The idle fleet (blue) fails its health check: the release of 1.6.0 fails its smoke
	// test and restores the previous config with a real up.
	servers[release.Blue].healthy.Store(false)
	_, err = r.Release(ctx, release.Options{Version: "1.6.0"})
	var f *release.Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "smoke-testing blue") || !strings.Contains(f.State, "previous config restored") {
		t.Fatalf("release 1.6.0 with an unhealthy blue fleet: err = %v", err)
	}
	configIs("after failed release", "green live on 1.5.0 (capacity 2/2/4); blue idle on 1.4.2 (capacity 2/2/4)")
	outputsAre("after failed release", map[string]string{"activeColor": "green", "blueVersion": "1.4.2"})
	servers[release.Blue].healthy.Store(true)

	// 3. Rollback flips production back to blue, still warm on 1.4.2.
	if err := r.Rollback(ctx, ""); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	configIs("after rollback", "blue live on 1.4.2 (capacity 2/2/4); green idle on 1.5.0 (capacity 2/2/4)")
	outputsAre("after rollback", map[string]string{"activeColor": "blue", "apiUrl": servers[release.Blue].URL})

	// 4. Retire scales green to zero; a second rollback is then refused.
	if err := r.Retire(ctx); err != nil {
		t.Fatalf("retire: %v", err)
	}
	configIs("after retire", "blue live on 1.4.2 (capacity 2/2/4); green idle on 1.5.0 (capacity 0/0/4)")
	if err := r.Rollback(ctx, ""); err == nil || !strings.Contains(err.Error(), "no capacity") {
		t.Errorf("rollback to a retired color: err = %v", err)
	}

	// 5. While another update holds the stack's lock, a release is refused, reported as a
	// concurrent update and not retried; the config file is put back.
	prog.mu.Lock()
	prog.block, prog.started = make(chan struct{}), make(chan struct{})
	block, started := prog.block, prog.started
	prog.mu.Unlock()
	other := newStack()
	otherDone := make(chan error, 1)
	go func() { _, err := other.Up(ctx); otherDone <- err }()
	select {
	case <-started:
	case err := <-otherDone:
		t.Fatalf("the other update ended early: %v", err)
	case <-ctx.Done():
		t.Fatal("the other update never started")
	}
	prog.mu.Lock()
	prog.block = nil
	prog.mu.Unlock()
	_, err = r.Release(ctx, release.Options{Version: "1.7.0"})
	close(block)
	if err := <-otherDone; err != nil {
		t.Errorf("the other update: %v", err)
	}
	if !errors.Is(err, release.ErrConcurrentUpdate) || !strings.Contains(err.Error(), "not retried") {
		t.Fatalf("release during another update: err = %v, want ErrConcurrentUpdate", err)
	}
	configIs("after refused release", "blue live on 1.4.2 (capacity 2/2/4); green idle on 1.5.0 (capacity 0/0/4)")

	// The stack file keeps the version a string and the capacities numbers.
	raw, err := os.ReadFile(filepath.Join(dir, "project", "Pulumi.itest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"version: 1.4.2", "desiredCapacity: 2", "activeColor: blue"} {
		if !strings.Contains(string(raw), s) {
			t.Errorf("Pulumi.itest.yaml lacks %q:\n%s", s, raw)
		}
	}
	t.Logf("release log:\n%s", &log)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
