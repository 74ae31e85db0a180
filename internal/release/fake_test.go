package release

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/webstack/webstack/contract"
)

// fakeStack keeps a stack file's config and the config of the last successful up, serves what
// is deployed over HTTP like CloudFront in front of the two colors, and fails an up where a
// test says so. A targeted up deploys only what it targets: listener targets move the live
// color and the canary weight, compute targets everything.
type fakeStack struct {
	mu       sync.Mutex
	name     string
	cfg      App
	deployed App
	tags     map[string]string
	// upErr decides whether an up of cfg fails. Optional.
	upErr   func(cfg App, n int) error
	setErr  error
	ups     int
	sets    int
	events  []string
	targets [][]string
	// previewErr makes Preview fail; cancels counts Cancel calls, and stuck makes every up
	// fail as locked by another update until Cancel (a killed run's update).
	previewErr error
	cancels    int
	stuck      bool
	// fail makes the named color answer 500 to every n-th request (0: never).
	fail map[contract.Color]int
	hits map[contract.Color]int
	srv  *httptest.Server
}

const fakeSecret = "release-check-secret"

func newFake(app App) *fakeStack {
	f := &fakeStack{name: "prod", cfg: app, deployed: app, tags: map[string]string{}, fail: map[contract.Color]int{}, hits: map[contract.Color]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// serve plays CloudFront and the ALB: a request with the release-check secret reaches the idle
// color, any other one the live color (or, during a canary, every n-th the idle one).
func (f *fakeStack) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	d := f.deployed
	c := d.Active
	switch {
	case r.Header.Get(contract.ReleaseCheckHeader) == fakeSecret:
		c = d.Idle()
	case d.CanaryWeight > 0:
		f.hits["canary"]++
		if f.hits["canary"]%(100/d.CanaryWeight) == 0 {
			c = d.Idle()
		}
	}
	f.hits[c]++
	n, every := f.hits[c], f.fail[c]
	version := d.Fleet(c).Version
	f.mu.Unlock()
	if !runs(d, c) {
		http.Error(w, `{"error":"no_release"}`, http.StatusServiceUnavailable)
		return
	}
	w.Header().Set(VersionHeader, version)
	if every > 0 && n%every == 0 {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	fmt.Fprintf(w, `{"status":"UP","version":%q}`, version)
}

func (f *fakeStack) close() { f.srv.Close() }

func (f *fakeStack) Name() string { return f.name }

func (f *fakeStack) App(context.Context) (App, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg, nil
}

func (f *fakeStack) SetApp(_ context.Context, a App) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	if f.setErr != nil {
		return f.setErr
	}
	f.cfg = a
	f.events = append(f.events, "set "+Describe(a))
	return nil
}

func (f *fakeStack) Up(ctx context.Context, targets []string) error {
	f.mu.Lock()
	f.ups++
	n, cfg := f.ups, f.cfg
	f.targets = append(f.targets, targets)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil { // the real engine stops on a cancelled context too
		return err
	}
	f.mu.Lock()
	stuck := f.stuck
	f.mu.Unlock()
	if stuck {
		return lockedErr()
	}
	// Called without the lock: a test's hook may act on the stack (a second operator).
	if f.upErr != nil {
		if err := f.upErr(cfg, n); err != nil {
			f.mu.Lock()
			f.events = append(f.events, "up failed")
			f.mu.Unlock()
			return err
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	listenersOnly := len(targets) > 0
	for _, t := range targets {
		if !strings.Contains(t, "$aws:lb/listener") && !strings.Contains(t, "$aws:cloudwatch/metricAlarm") {
			listenersOnly = false
		}
	}
	if listenersOnly {
		f.deployed.Active, f.deployed.CanaryWeight = cfg.Active, cfg.CanaryWeight
		f.events = append(f.events, "up listeners ok")
		return nil
	}
	f.deployed = cfg
	f.events = append(f.events, "up ok")
	return nil
}

// Preview lists what an up of the stack file would change besides the release state: every
// other webstack:app setting that differs from what was deployed, and the sizes.
func (f *fakeStack) Preview(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.previewErr != nil {
		return nil, f.previewErr
	}
	var out []string
	cfg, dep := f.cfg.Object(), f.deployed.Object()
	for k, v := range cfg {
		switch k {
		case "activeColor", "canaryWeight", "blue", "green":
			continue
		}
		if fmt.Sprint(dep[k]) != fmt.Sprint(v) {
			out = append(out, fmt.Sprintf("update app (webstack:app.%s)", k))
		}
	}
	for _, c := range SizeDiff(f.deployed, f.cfg) {
		out = append(out, "update "+c.Key)
	}
	return out, nil
}

func (f *fakeStack) Cancel(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancels++
	f.stuck = false
	return nil
}

func (f *fakeStack) Outputs(context.Context) (Outputs, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.deployed
	capacity := func(c contract.Capacity) map[string]any {
		return map[string]any{"minSize": float64(c.Min), "desiredCapacity": float64(c.Desired), "maxSize": float64(c.Max)}
	}
	return Outputs{
		contract.OutActiveColor:             string(d.Active),
		contract.OutIdleColor:               string(d.Idle()),
		contract.OutCanaryWeight:            float64(d.CanaryWeight),
		contract.OutBlueVersion:             d.Blue.Version,
		contract.OutGreenVersion:            d.Green.Version,
		contract.OutBlueCapacity:            capacity(d.Blue.Capacity),
		contract.OutGreenCapacity:           capacity(d.Green.Capacity),
		contract.OutTestURL:                 "http://alb.example:9000",
		contract.OutSiteURL:                 f.srv.URL,
		contract.OutReleaseCheckURL:         f.srv.URL + checkPath,
		contract.OutReleaseCheckParameter:   "/webstack/prod/release-check",
		contract.OutAlarmNamePrefix:         "webstack-prod",
		contract.OutMigrateLaunchTemplateID: fakeLaunchTemplate,
		contract.OutMigrateLogGroupName:     fakeMigrationLogs,
		contract.OutAppSubnetIDs:            []any{"subnet-a1", "subnet-a2"},
	}, nil
}

const checkPath = "/api/actuator/health"

var fakeURNs = []string{
	"urn:pulumi:prod::webstack::webstack:network:Network$aws:ec2/vpc:Vpc::net-vpc",
	"urn:pulumi:prod::webstack::webstack:compute:Compute$webstack:compute:contract.Fleet$aws:autoscaling/group:Group::app-green-asg",
	"urn:pulumi:prod::webstack::webstack:compute:Compute$webstack:compute:LoadBalancer$aws:lb/listener:Listener::app-alb-production",
	"urn:pulumi:prod::webstack::webstack:compute:Compute$webstack:compute:LoadBalancer$aws:lb/listenerRule:ListenerRule::app-alb-origin",
	"urn:pulumi:prod::webstack::webstack:compute:Compute$webstack:compute:LoadBalancer$aws:cloudwatch/metricAlarm:MetricAlarm::app-alb-elb-5xx-alarm",
}

func (f *fakeStack) URNs(context.Context) ([]string, error) { return fakeURNs, nil }

func (f *fakeStack) Tag(_ context.Context, k string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tags[k], nil
}

func (f *fakeStack) SetTag(_ context.Context, k, v string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tags[k] = v
	return nil
}

func (f *fakeStack) RemoveTag(_ context.Context, k string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.tags, k)
	return nil
}

// fakeCloud answers the alarms a test raises, their window, the release-check secret and the
// credentials' expiry (never, unless a test sets it).
type fakeCloud struct {
	mu      sync.Mutex
	alarms  []string
	window  time.Duration
	expires time.Time
	// onAlarms runs before each alarm read (a test acting during a bake). Optional.
	onAlarms func()
}

func (c *fakeCloud) AlarmWindow(context.Context, string) (time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.window, nil
}

func (c *fakeCloud) CredentialsExpire(context.Context) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.expires, nil
}

func (c *fakeCloud) AlarmsInAlarm(_ context.Context, prefix string) ([]string, error) {
	if c.onAlarms != nil {
		c.onAlarms()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, a := range c.alarms {
		if strings.HasPrefix(a, prefix) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (c *fakeCloud) Parameter(context.Context, string) (string, error) { return fakeSecret, nil }

// fakeClock advances only when the releaser sleeps, plus a millisecond per reading.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return nil
}

// liveBlue is blue serving 1.4.2 on 2/2/4 and green carrying the same sizes without a
// version: the usual state after retiring the previous release.
func liveBlue() App {
	a, err := ParseApp([]byte(`{
		"port": 8080, "healthCheckPath": "/actuator/health", "instanceType": "t4g.small",
		"activeColor": "blue", "canaryWeight": 0, "testListenerPort": 9000,
		"testListenerCidrs": ["203.0.113.0/24"], "deregistrationDelay": 30,
		"blue": {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}}`))
	if err != nil {
		panic(err)
	}
	return a
}

type harness struct {
	stack  *fakeStack
	cloud  *fakeCloud
	runner *fakeRunner
	out    *strings.Builder
	r      *Releaser
}

func newHarness(app App) *harness {
	h := &harness{stack: newFake(app), cloud: &fakeCloud{}, runner: newFakeRunner(), out: &strings.Builder{}}
	clock := &fakeClock{t: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	h.r = &Releaser{Stack: h.stack, Cloud: h.cloud, Runner: h.runner, Client: h.stack.srv.Client(), Out: h.out, Now: clock.Now, Sleep: clock.Sleep,
		BakeInterval: 10 * time.Second, Samples: 20}
	return h
}

var errUnhealthy = errors.New("0 of 2 instances passed the health check")

func failWhen(pred func(App) bool, err error) func(App, int) error {
	return func(a App, _ int) error {
		if pred(a) {
			return err
		}
		return nil
	}
}

func lockedErr() error {
	return fmt.Errorf("pulumi up: %w: [409] Conflict: Another update is currently in progress", ErrConcurrentUpdate)
}

// fakeRunner plays EC2 and SSM for the migration step: a runner is online after onlineAfter
// reads, a command ends after two reads with the exit status failing names for its version (0
// otherwise), and its output is in the "log group" unless logsErr.
type fakeRunner struct {
	mu          sync.Mutex
	onlineAfter int
	failing     map[string]int // version -> exit status
	logsErr     error
	launchErr   error
	launched    []string
	tags        []map[string]string
	running     map[string]bool
	commands    []string
	reads       map[string]int
	terminated  []string
	nextID      int
	// onCommand runs when a command is sent (a test acting during the migration). Optional.
	onCommand func()
	// shortLogs is how many reads of the log group see only the output's first line (the agent
	// still uploading).
	shortLogs int
	// ssmOutput is the output SSM itself returns for a successful command. Optional.
	ssmOutput string
}

func newFakeRunner() *fakeRunner {
	return &fakeRunner{failing: map[string]int{}, running: map[string]bool{}, reads: map[string]int{}}
}

func (f *fakeRunner) LaunchRunner(_ context.Context, lt string, subnets []string, tags map[string]string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.launchErr != nil {
		return "", f.launchErr
	}
	if lt != fakeLaunchTemplate || len(subnets) == 0 {
		return "", fmt.Errorf("launch from %q in %v", lt, subnets)
	}
	f.nextID++
	id := fmt.Sprintf("i-runner%d", f.nextID)
	f.launched = append(f.launched, id)
	f.tags = append(f.tags, tags)
	f.running[id] = true
	return id, nil
}

func (f *fakeRunner) RunnerOnline(_ context.Context, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads[id]++
	return f.running[id] && f.reads[id] > f.onlineAfter, nil
}

func (f *fakeRunner) SendRunnerCommand(_ context.Context, id, command, group string, _ time.Duration) (string, error) {
	f.mu.Lock()
	if !f.running[id] || group != fakeMigrationLogs {
		f.mu.Unlock()
		return "", fmt.Errorf("InvalidInstanceId: %s", id)
	}
	f.commands = append(f.commands, command)
	cmd := fmt.Sprintf("cmd-%d", len(f.commands))
	hook := f.onCommand
	f.mu.Unlock()
	if hook != nil {
		hook()
	}
	return cmd, nil
}

func (f *fakeRunner) version(cmd string) string {
	var n int
	fmt.Sscanf(cmd, "cmd-%d", &n)
	return strings.TrimPrefix(f.commands[n-1], "webstack-migrate ")
}

func (f *fakeRunner) RunnerCommand(_ context.Context, cmd, id string) (CommandState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads[cmd]++
	if f.reads[cmd] < 2 {
		return CommandState{Status: "InProgress", ExitCode: -1}, nil
	}
	if rc := f.failing[f.version(cmd)]; rc != 0 {
		return CommandState{Done: true, Status: "Failed", ExitCode: rc, Output: "ERROR 1064 (truncated)"}, nil
	}
	out := "ok (truncated)"
	if f.ssmOutput != "" {
		out = f.ssmOutput
	}
	return CommandState{Done: true, Status: "Success", Output: out}, nil
}

func (f *fakeRunner) RunnerOutput(_ context.Context, group, cmd, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.logsErr != nil {
		return "", f.logsErr
	}
	v := f.version(cmd)
	if rc := f.failing[v]; rc != 0 {
		return fmt.Sprintf("webstack-migrate: running the migration with %s\nERROR: Migration V7__drop_name.sql failed\nwebstack-migrate: the migration of %s exited with status %d", v, v, rc), nil
	}
	if f.shortLogs > 0 {
		f.shortLogs--
		return "webstack-migrate: ensuring the database user 'webstack_app'\n", nil
	}
	return "webstack-migrate: ensuring the database user 'webstack_app'\nwebstack-migrate: the migration of " + v + " succeeded", nil
}

func (f *fakeRunner) TerminateRunners(_ context.Context, lt, id string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.launched {
		if f.running[r] && (id == "" || r == id) {
			f.running[r] = false
			out = append(out, r)
		}
	}
	f.terminated = append(f.terminated, out...)
	return out, nil
}

// runningRunners lists the runners not terminated.
func (f *fakeRunner) runningRunners() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.launched {
		if f.running[r] {
			out = append(out, r)
		}
	}
	return out
}

const (
	fakeLaunchTemplate = "lt-0migrate"
	fakeMigrationLogs  = "/webstack/prod/migrations"
)
