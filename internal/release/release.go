package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// Releaser runs releases, rollbacks, retirements and infrastructure updates against one stack,
// one at a time (the release lock), starting from what is deployed, and reports every step
// with how long it took to Out (and to Notify).
type Releaser struct {
	// Stack is the stack to change. Required.
	Stack Stack
	// Cloud reads the new color's alarms and the release-check secret. Required unless DryRun.
	Cloud Cloud
	// Client sends the checks' requests. Optional. Defaults to a client with a 10 s timeout.
	Client *http.Client
	// Out receives progress. Optional. Defaults to io.Discard.
	Out io.Writer
	// Notify receives the release's start, steps, result and any rollback. Optional.
	Notify Notifier
	// Holder names who holds the release lock (user@host, a CI run's URL). Optional.
	Holder string
	// DryRun prints the config changes instead of applying them.
	DryRun bool
	// Samples and MaxErrorRate tune every check (see Checker). Optional.
	Samples      int
	MaxErrorRate float64
	// BakeInterval is the pause between checks while a canary bakes or production is
	// watched. Optional. Defaults to 20 s: with the default 50 samples, a bake sends at most
	// 750 requests in 5 minutes from the releasing machine, well under the WAF's default
	// per-address limit of 2000 (webstack:edge.wafRateLimit).
	BakeInterval time.Duration
	// LockSettle is how long acquiring the lock waits before it reads its token back.
	// Optional. Defaults to 2 s.
	LockSettle time.Duration
	// Now and Sleep stand in for the clock in tests. Optional.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	start time.Time
	steps []StepTime
}

// Options describe one release.
type Options struct {
	// Version is the application version (image tag) to release. Required.
	Version string
	// Canary lists increasing weights (1-99) of production traffic sent to the new color
	// before the flip. Optional.
	Canary []int
	// Bake is how long each canary weight is held and checked. Optional.
	Bake time.Duration
	// Watch is how long production is watched after the flip (checks and alarms) before the
	// release is done; a failure flips back. Optional. Defaults to 1 minute.
	Watch time.Duration
}

// Summary describes a finished release.
type Summary struct {
	Stack         string
	Version       string
	From, To      Color // live color before and after
	Previous      Fleet // what From runs; kept warm for rollback
	ProductionURL string
	NoOp          bool
	Steps         []StepTime
	Total         time.Duration
	// Flip is how long the flip (a targeted update of the listeners) took.
	Flip time.Duration
}

// StepTime is how long one step took.
type StepTime struct {
	Name     string
	Duration time.Duration
}

// Failure is the error of an operation that did not complete: what failed, and the state the
// stack was left in.
type Failure struct {
	Op    string // e.g. `release "1.5.0"`
	Step  string // the step that failed
	Err   error  // the cause
	State string // the state the stack was left in, for the operator
}

func (f *Failure) Error() string {
	return fmt.Sprintf("%s failed while %s: %v\nstack state: %s", f.Op, f.Step, f.Err, f.State)
}

func (f *Failure) Unwrap() error { return f.Err }

func (r *Releaser) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Releaser) sleep(ctx context.Context, d time.Duration) error {
	if r.Sleep != nil {
		return r.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (r *Releaser) out() io.Writer {
	if r.Out == nil {
		return io.Discard
	}
	return r.Out
}

func (r *Releaser) logf(format string, args ...any) {
	fmt.Fprintf(r.out(), "[%7.1fs] %s\n", r.now().Sub(r.start).Seconds(), fmt.Sprintf(format, args...))
}

// notify posts a message to the notifier, if any; a failure is reported, never fatal.
func (r *Releaser) notify(ctx context.Context, format string, args ...any) {
	if r.Notify == nil || r.DryRun {
		return
	}
	msg := fmt.Sprintf("[%s] ", r.Stack.Name()) + fmt.Sprintf(format, args...)
	if err := r.Notify.Notify(context.WithoutCancel(ctx), msg); err != nil {
		r.logf("  (notification not sent: %v)", err)
	}
}

func (r *Releaser) checker(header http.Header) *Checker {
	return &Checker{Client: r.Client, Samples: r.Samples, MaxErrorRate: r.MaxErrorRate, Header: header}
}

// timed runs one step, printing its name and how long it took.
func (r *Releaser) timed(ctx context.Context, name string, f func() error) error {
	t0 := r.now()
	r.logf("%s", name)
	r.notify(ctx, "%s", name)
	err := f()
	d := r.now().Sub(t0)
	r.steps = append(r.steps, StepTime{Name: name, Duration: d})
	if err == nil {
		r.logf("  ok (%s)", d.Round(100*time.Millisecond))
	}
	return err
}

// begin takes the lock for op and reads where the stack stands: the stack file's app config,
// which must agree with what is deployed (sizes may differ when sizes is true), and the
// outputs.
func (r *Releaser) begin(ctx context.Context, op string, sizes bool) (App, Outputs, func(), error) {
	r.start, r.steps = r.now(), nil
	holder := r.Holder
	if holder == "" {
		holder = "deploy"
	}
	settle := func(ctx context.Context) error {
		d := r.LockSettle
		if d <= 0 {
			d = 2 * time.Second
		}
		return r.sleep(ctx, d)
	}
	var unlock func()
	if !r.DryRun {
		release, err := acquire(ctx, r.Stack, holder, op, r.now(), settle)
		if err != nil {
			return App{}, nil, nil, err
		}
		unlock = func() {
			if err := release(context.WithoutCancel(ctx)); err != nil {
				r.logf("the release lock was not removed: %v; clear it with `deploy unlock -s %s`", err, r.Stack.Name())
			}
		}
	} else {
		unlock = func() {}
	}
	app, out, err := r.current(ctx, sizes)
	if err != nil {
		unlock()
		return App{}, nil, nil, err
	}
	return app, out, unlock, nil
}

// readState reads the stack file's app config and the deployed one (from the outputs).
func (r *Releaser) readState(ctx context.Context) (file, deployed App, out Outputs, err error) {
	name := r.Stack.Name()
	if file, err = r.Stack.App(ctx); err != nil {
		return App{}, App{}, nil, fmt.Errorf("stack %q: reading config: %w", name, err)
	}
	if err := file.Validate(); err != nil {
		return App{}, App{}, nil, fmt.Errorf("stack %q: %s: %w", name, StackFile(name), err)
	}
	if out, err = r.Stack.Outputs(ctx); err != nil {
		return App{}, App{}, nil, fmt.Errorf("stack %q: reading outputs: %w", name, err)
	}
	if len(out) == 0 {
		return App{}, App{}, nil, fmt.Errorf("stack %q %w: run `pulumi up -s %s` first", name, ErrNeverDeployed, name)
	}
	if deployed, err = out.Deployed(); err != nil {
		return App{}, App{}, nil, fmt.Errorf("stack %q: %w", name, err)
	}
	return file, deployed, out, nil
}

// current reads the stack file's app config and the deployed state, and refuses when they
// disagree: an operation must start from what is deployed, never from a stale file that would
// put back an old version or color. With sizes, the file's sizes may differ (an `up` applies
// them); otherwise they must be applied first.
func (r *Releaser) current(ctx context.Context, sizes bool) (App, Outputs, error) {
	file, dep, out, err := r.readState(ctx)
	if err != nil {
		return App{}, nil, err
	}
	name := r.Stack.Name()
	if d := ReleaseDiff(dep, file); len(d) > 0 {
		return App{}, nil, fmt.Errorf("stack %q: the release state in %s is not what is deployed:\n%s\n"+
			"the file is stale (a release or rollback since it was written): pull the latest main, or run `deploy sync -s %s` "+
			"to write the deployed release state into it; nothing was changed",
			name, StackFile(name), describeDrift(d), name)
	}
	if d := SizeDiff(dep, file); len(d) > 0 && !sizes {
		return App{}, nil, fmt.Errorf("stack %q: %s holds size changes that were never applied:\n%s\n"+
			"apply them first with `deploy up -s %s` (or undo them); nothing was changed",
			name, StackFile(name), describeDrift(d), name)
	}
	return file, out, nil
}

// ErrNeverDeployed marks an operation on a stack that has no outputs yet.
var ErrNeverDeployed = errors.New("was never deployed")

// StackFile is the name of a stack's config file: Pulumi.prod.yaml for prod and for acme/prod.
func StackFile(stack string) string { return "Pulumi." + path.Base(stack) + ".yaml" }

func describeDrift(cs []Change) string {
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		lines = append(lines, "  "+driftLine(c))
	}
	return strings.Join(lines, "\n")
}

func driftLine(c Change) string {
	return fmt.Sprintf("%s: the stack file says %s, the stack runs %s", c.Key, formatValue(c.New), formatValue(c.Old))
}

// apply writes app as the stack config and updates the stack (only targets, when given).
func (r *Releaser) apply(ctx context.Context, from, app App, targets []string) error {
	for _, c := range Diff(from, app) {
		r.logf("  set %s", c)
	}
	if err := r.Stack.SetApp(ctx, app); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	what := "pulumi up"
	if len(targets) > 0 {
		what = fmt.Sprintf("pulumi up --target (%d resources)", len(targets))
	}
	r.logf("  %s -s %s ...", what, r.Stack.Name())
	t0 := r.now()
	if err := r.Stack.Up(ctx, targets); err != nil {
		return fmt.Errorf("pulumi up: %w", err)
	}
	r.logf("  up done in %s", r.now().Sub(t0).Round(100*time.Millisecond))
	return nil
}

// Targets of the targeted updates: what a step may change. Everything a release changes is
// in the compute tier (its URNs carry the Compute component's type), and a flip or a canary
// step changes only the listeners, their rules and the load balancer's alarms.
const computeComponent = "webstack:compute:Compute$"

func (r *Releaser) targets(ctx context.Context, listenersOnly bool) ([]string, error) {
	urns, err := r.Stack.URNs(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the stack's resources: %w", err)
	}
	var out []string
	for _, u := range urns {
		if !strings.Contains(u, computeComponent) {
			continue
		}
		if listenersOnly && !strings.Contains(u, "$aws:lb/listener:Listener::") && !strings.Contains(u, "$aws:lb/listenerRule:ListenerRule::") &&
			!(strings.Contains(u, "webstack:compute:LoadBalancer$") && strings.Contains(u, "$aws:cloudwatch/metricAlarm:MetricAlarm::")) {
			continue
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("stack %q holds no compute resources to update", r.Stack.Name())
	}
	sort.Strings(out)
	return out, nil
}

// Describe summarizes the release-relevant config of a stack in one line.
func Describe(a App) string {
	idle := a.Idle()
	s := fmt.Sprintf("%s live on %s (capacity %s); %s idle on %s (capacity %s)",
		a.Active, orNone(a.Fleet(a.Active).Version), a.Fleet(a.Active).Capacity,
		idle, orNone(a.Fleet(idle).Version), a.Fleet(idle).Capacity)
	if a.CanaryWeight > 0 {
		s += fmt.Sprintf("; canary %d%% to %s", a.CanaryWeight, idle)
	}
	return s
}

func orNone(v string) string {
	if v == "" {
		return "no version"
	}
	return v
}

func (r *Releaser) printPlan(title string, from, to App) {
	r.logf("dry run: %s would set:", title)
	cs := Diff(from, to)
	if len(cs) == 0 {
		r.logf("  (no changes)")
	}
	for _, c := range cs {
		r.logf("  %s", c)
	}
}

func validateCanary(ws []int) error {
	for i, w := range ws {
		if w < 1 || w > 99 {
			return fmt.Errorf("canary weight %d is not between 1 and 99 (100 is the flip)", w)
		}
		if i > 0 && w <= ws[i-1] {
			return fmt.Errorf("canary weights %v must increase", ws)
		}
	}
	return nil
}

// runs reports whether a color of a deployed app runs instances.
func runs(a App, c Color) bool {
	f := a.Fleet(c)
	return f.Version != "" && f.Capacity.Desired > 0
}

// releaseCheck returns the URL and header that reach the idle color through CloudFront: the
// release-check path with the stack's release-check secret.
func (r *Releaser) releaseCheck(ctx context.Context, out Outputs) (string, http.Header, error) {
	u, err := out.need(OutReleaseCheckURL)
	if err != nil {
		return "", nil, err
	}
	param, err := out.need(OutReleaseCheckParameter)
	if err != nil {
		return "", nil, err
	}
	secret, err := r.Cloud.Parameter(ctx, param)
	if err != nil {
		return "", nil, fmt.Errorf("reading the release-check secret: %w", err)
	}
	return u, http.Header{ReleaseCheckHeader: {secret}}, nil
}

// productionURL is the release-check path through CloudFront without the secret: what viewers
// get.
func productionURL(out Outputs) (string, error) { return out.need(OutReleaseCheckURL) }

// alarms fails when any alarm of color c is in ALARM.
func (r *Releaser) alarms(ctx context.Context, out Outputs, c Color) error {
	prefix, err := out.need(OutAlarmNamePrefix)
	if err != nil {
		return err
	}
	names, err := r.Cloud.AlarmsInAlarm(ctx, prefix+"-"+string(c)+"-")
	if err != nil {
		return fmt.Errorf("reading the alarms of %s: %w", c, err)
	}
	if len(names) > 0 {
		return fmt.Errorf("alarms of %s in ALARM: %s", c, strings.Join(names, ", "))
	}
	return nil
}

// Release deploys o.Version to the idle color from zero instances, smoke-tests it through
// CloudFront with the release-check secret, steps through the canary weights (each baked
// against the error rate of production requests and the new color's alarms), flips the live
// color with a targeted update of the listeners, and watches production. A failure before the
// flip restores what was deployed; at or after the flip it flips back. The returned error is
// then a *Failure.
func (r *Releaser) Release(ctx context.Context, o Options) (*Summary, error) {
	if err := ValidateVersion(o.Version); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if err := validateCanary(o.Canary); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if o.Watch <= 0 {
		o.Watch = time.Minute
	}
	prev, _, unlock, err := r.begin(ctx, fmt.Sprintf("release %s", o.Version), false)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	defer unlock()
	name := r.Stack.Name()
	if prev.CanaryWeight != 0 {
		return nil, fmt.Errorf("release: stack %q sends %d%% of production to %s: a canary is in progress; finish it or run `deploy rollback`", name, prev.CanaryWeight, prev.Idle())
	}
	live, idle := prev.Active, prev.Idle()
	sum := &Summary{Stack: name, Version: o.Version, From: live, To: idle, Previous: prev.Fleet(live)}
	r.logf("release %s to stack %s: %s", o.Version, name, Describe(prev))
	if prev.Fleet(live).Version == o.Version {
		r.logf("version %s is already live on %s: nothing to do", o.Version, live)
		sum.NoOp, sum.To = true, live
		return sum, nil
	}
	// The new color runs the sizes the stack file gives it: the release changes only the
	// release state, so that sizes stay the stack file's, changed by people with `deploy up`.
	capacity := prev.Fleet(idle).Capacity
	if capacity.Desired == 0 {
		return nil, fmt.Errorf("release: the idle color %s has no capacity to run %s (webstack:app.%s.desiredCapacity is 0): give it sizes first", idle, o.Version, idle)
	}
	// A warm idle color is scaled to zero first, so that every instance that is checked and
	// promoted was launched with the new version: an in-place update would be checked on the
	// old instances while an instance refresh mixed the new ones in.
	cleared := prev
	cleared.SetFleet(idle, Fleet{Capacity: prev.Fleet(idle).Capacity})
	deployed := cleared
	deployed.SetFleet(idle, Fleet{Version: o.Version, Capacity: capacity})
	flipped := deployed
	flipped.Active, flipped.CanaryWeight = idle, 0
	if len(o.Canary) > 0 && !runs(prev, live) {
		// The first release has nothing to split production with: production answers the
		// no-release 503 until the flip.
		r.logf("no release is live yet: the canary steps %v are skipped, production moves at the flip", o.Canary)
		o.Canary = nil
	}
	// Every config the release will apply is checked before the first update.
	plans := []App{cleared, deployed, flipped}
	for _, w := range o.Canary {
		c := deployed
		c.CanaryWeight = w
		plans = append(plans, c)
	}
	for _, p := range plans {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("release: planned config is invalid: %w", err)
		}
	}
	if r.DryRun {
		step := prev
		if runs(prev, idle) {
			r.printPlan(fmt.Sprintf("scale %s (warm on %s) to zero,", idle, prev.Fleet(idle).Version), prev, cleared)
			step = cleared
		}
		r.printPlan(fmt.Sprintf("deploy %s to %s,", o.Version, idle), step, deployed)
		step = deployed
		for _, w := range o.Canary {
			c := deployed
			c.CanaryWeight = w
			r.printPlan(fmt.Sprintf("canary %d%% (bake %s)", w, o.Bake), step, c)
			step = c
		}
		r.printPlan(fmt.Sprintf("flip to %s", idle), step, flipped)
		sum.NoOp = true
		return sum, nil
	}
	r.notify(ctx, "release %s started: %s", o.Version, Describe(prev))

	applied := prev
	fail := func(step string, cause error, afterFlip bool) (*Summary, error) {
		op := fmt.Sprintf("release %q to stack %q", o.Version, name)
		var err error
		if afterFlip {
			err = r.flipBack(ctx, op, step, cause, applied, live, prev.Fleet(live).Version)
		} else {
			err = r.restore(ctx, op, step, cause, applied, prev)
		}
		r.notify(ctx, "release %s FAILED: %v", o.Version, err)
		return nil, err
	}
	stepTo := func(to App, listenersOnly bool) error {
		targets, err := r.targets(ctx, listenersOnly)
		if err != nil {
			return err
		}
		if err := r.apply(ctx, applied, to, targets); err != nil {
			return err
		}
		applied = to
		return nil
	}

	if runs(prev, idle) {
		step := fmt.Sprintf("scaling %s (warm on %s) to zero, so that only new instances run %s", idle, prev.Fleet(idle).Version, o.Version)
		if err := r.timed(ctx, step, func() error { return stepTo(cleared, false) }); err != nil {
			return fail(step, err, false)
		}
	}
	step := fmt.Sprintf("deploying %s to %s (%s) and waiting for its instances to pass the health checks", o.Version, idle, capacity)
	if err := r.timed(ctx, step, func() error { return stepTo(deployed, false) }); err != nil {
		return fail(step, err, false)
	}
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return fail("reading the outputs", err, false)
	}
	checkURL, header, err := r.releaseCheck(ctx, out)
	if err != nil {
		return fail("preparing the smoke test", err, false)
	}
	step = fmt.Sprintf("smoke-testing %s through CloudFront (%s with the release-check secret)", idle, checkURL)
	if err := r.timed(ctx, step, func() error {
		s, err := r.checker(header).Check(ctx, checkURL, o.Version)
		if s != nil {
			r.logf("  %s", s)
		}
		return err
	}); err != nil {
		return fail(step, err, false)
	}

	prodURL, err := productionURL(out)
	if err != nil {
		return fail("preparing the production checks", err, false)
	}
	for _, w := range o.Canary {
		c := deployed
		c.CanaryWeight = w
		step = fmt.Sprintf("canary %d%% of production to %s, baking %s", w, idle, o.Bake)
		if err := r.timed(ctx, step, func() error {
			if err := stepTo(c, true); err != nil {
				return err
			}
			return r.watch(ctx, out, prodURL, idle, o.Bake, prev.Fleet(live).Version, o.Version)
		}); err != nil {
			return fail(step, err, false)
		}
	}

	step = fmt.Sprintf("flipping production from %s to %s", live, idle)
	t0 := r.now()
	if err := r.timed(ctx, step, func() error { return stepTo(flipped, true) }); err != nil {
		return fail(step, err, true)
	}
	sum.Flip = r.now().Sub(t0)
	r.logf("  flip took %s", sum.Flip.Round(10*time.Millisecond))

	step = fmt.Sprintf("verifying production on %s (%s, then %s of watching)", idle, prodURL, o.Watch)
	if err := r.timed(ctx, step, func() error { return r.watch(ctx, out, prodURL, idle, o.Watch, o.Version) }); err != nil {
		return fail(step, err, true)
	}
	sum.ProductionURL = prodURL
	sum.Steps = r.steps
	sum.Total = r.now().Sub(r.start)
	r.logf("released %s: %s", o.Version, Describe(flipped))
	r.notify(ctx, "release %s done in %s: %s", o.Version, sum.Total.Round(time.Second), Describe(flipped))
	return sum, nil
}

// watch checks production at every interval for d (at least once) and the alarms of color c:
// every sample must pass and answer with one of want, and no alarm of c may be in ALARM.
func (r *Releaser) watch(ctx context.Context, out Outputs, url string, c Color, d time.Duration, want ...string) error {
	interval := r.BakeInterval
	if interval <= 0 {
		interval = 20 * time.Second
	}
	deadline := r.now().Add(d)
	for {
		s, err := r.checker(nil).Check(ctx, url, want...)
		if s != nil {
			r.logf("  %s", s)
		}
		if err != nil {
			return fmt.Errorf("production check: %w", err)
		}
		if err := r.alarms(ctx, out, c); err != nil {
			return err
		}
		left := deadline.Sub(r.now())
		if left <= 0 {
			return nil
		}
		if err := r.sleep(ctx, min(interval, left)); err != nil {
			return err
		}
	}
}

// restore brings the stack back to prev after a failure before the flip. It runs even when
// ctx was cancelled (an interrupt, a cancelled CI job): stopping half-way is the worse state.
func (r *Releaser) restore(ctx context.Context, op, step string, cause error, applied, prev App) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, applied, "the refused update changed nothing")
		return f
	}
	r.logf("%s failed: %v", step, cause)
	r.logf("restoring what was deployed: %s", Describe(prev))
	targets, err := r.targets(ctx, false)
	if err == nil {
		err = r.apply(ctx, applied, prev, targets)
	}
	if err != nil {
		f.State = fmt.Sprintf("restoring failed too (%v); config now says: %s; "+
			"production was not switched, the idle color may be partly updated: check `deploy status -s %s` and run `deploy up -s %s`",
			err, Describe(prev), r.Stack.Name(), r.Stack.Name())
		return f
	}
	f.State = "restored and applied: " + Describe(prev) + "; production was not switched"
	return f
}

// flipBack makes live the active color again after a failure at or after the flip, and
// checks that production answers with its version. The new color keeps its version and
// capacity so that the failure can be inspected; retire scales it down. Like restore, it runs
// even when ctx was cancelled.
func (r *Releaser) flipBack(ctx context.Context, op, step string, cause error, applied App, live Color, liveVersion string) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, applied, "the refused update changed nothing, production was not switched")
		return f
	}
	back := applied
	back.Active, back.CanaryWeight = live, 0
	r.logf("%s failed: %v", step, cause)
	r.logf("flipping back to %s", live)
	t0 := r.now()
	targets, err := r.targets(ctx, true)
	if err == nil {
		err = r.apply(ctx, applied, back, targets)
	}
	if err != nil {
		f.State = fmt.Sprintf("flipping back to %s failed too (%v); config now says: %s; "+
			"production may be served by either color: check `deploy status -s %s` and run `deploy rollback -s %s`",
			live, err, Describe(back), r.Stack.Name(), r.Stack.Name())
		return f
	}
	r.logf("  flipped back in %s", r.now().Sub(t0).Round(10*time.Millisecond))
	if out, err := r.Stack.Outputs(ctx); err == nil && liveVersion != "" {
		if u, err := productionURL(out); err == nil {
			if s, err := r.checker(nil).Check(ctx, u, liveVersion); err != nil {
				f.State = fmt.Sprintf("flipped back to %s, but production does not answer healthily on %s: %v; %s", live, liveVersion, err, Describe(back))
				return f
			} else {
				r.logf("  production answers on %s again: %s", liveVersion, s)
			}
		}
	}
	f.State = fmt.Sprintf("flipped back, production is on %s again: %s; run `deploy retire -s %s` to scale %s down",
		live, Describe(back), r.Stack.Name(), back.Idle())
	return f
}

// keepApplied resets the config to the last applied state after an update was refused because
// the stack is locked; it does not retry the update.
func (r *Releaser) keepApplied(ctx context.Context, applied App, what string) string {
	if err := r.Stack.SetApp(ctx, applied); err != nil {
		return fmt.Sprintf("%s, but resetting the config failed (%v): the config file may not match the stack", what, err)
	}
	return fmt.Sprintf("%s; config reset to the last applied state: %s; not retried: wait for the other update "+
		"(or `pulumi cancel -s %s` if it is stale) and run again", what, Describe(applied), r.Stack.Name())
}

// Rollback makes the idle color live again, or, during a canary, sends all traffic back to the
// live color; a targeted update of the listeners, then a production check. It refuses when
// there is nothing to roll back to.
func (r *Releaser) Rollback(ctx context.Context) error {
	cur, out, unlock, err := r.begin(ctx, "rollback", false)
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	defer unlock()
	name := r.Stack.Name()
	r.logf("rollback stack %s: %s", name, Describe(cur))
	target := cur
	var title, want string
	if cur.CanaryWeight > 0 {
		target.CanaryWeight = 0
		title = fmt.Sprintf("cancel the %d%% canary, all traffic to %s", cur.CanaryWeight, cur.Active)
		want = cur.Fleet(cur.Active).Version
	} else {
		to := cur.Idle()
		if !runs(cur, to) {
			what := "it runs no version"
			if cur.Fleet(to).Version != "" {
				what = "it has no instances"
			}
			return fmt.Errorf("rollback: nothing to roll back to on stack %q: the idle color %s is not warm (%s: it was retired, or no release has been made before the current one); release the version you want instead", name, to, what)
		}
		target.Active = to
		want = cur.Fleet(to).Version
		title = fmt.Sprintf("flip production from %s to %s (%s)", cur.Active, to, want)
	}
	if r.DryRun {
		r.printPlan(title, cur, target)
		return nil
	}
	r.notify(ctx, "rollback started: %s", title)
	op := fmt.Sprintf("rollback of stack %q", name)
	var took time.Duration
	if err := r.timed(ctx, title, func() error {
		t0 := r.now()
		targets, err := r.targets(ctx, true)
		if err != nil {
			return err
		}
		err = r.apply(ctx, cur, target, targets)
		took = r.now().Sub(t0)
		return err
	}); err != nil {
		f := &Failure{Op: op, Step: title, Err: err}
		if errors.Is(err, ErrConcurrentUpdate) {
			f.State = r.keepApplied(context.WithoutCancel(ctx), cur, "the refused update changed nothing")
		} else {
			f.State = fmt.Sprintf("unknown: config now says %s; check `deploy status -s %s`", Describe(target), name)
		}
		r.notify(ctx, "rollback FAILED: %v", f)
		return f
	}
	r.logf("  rollback took %s", took.Round(10*time.Millisecond))
	u, err := productionURL(out)
	if err == nil {
		err = r.timed(ctx, "verifying production on "+want, func() error {
			s, err := r.checker(nil).Check(ctx, u, want)
			if s != nil {
				r.logf("  %s", s)
			}
			return err
		})
	}
	if err != nil {
		f := &Failure{Op: op, Step: "verifying production", Err: err, State: "rolled back but production does not answer healthily: " + Describe(target)}
		r.notify(ctx, "rollback: %v", f)
		return f
	}
	r.logf("rolled back: %s", Describe(target))
	r.notify(ctx, "rolled back in %s: %s", took.Round(time.Second), Describe(target))
	return nil
}

// Retire stops the idle color's instances: its version becomes "" (its sizes stay, for the
// next release).
func (r *Releaser) Retire(ctx context.Context) error {
	cur, _, unlock, err := r.begin(ctx, "retire", false)
	if err != nil {
		return fmt.Errorf("retire: %w", err)
	}
	defer unlock()
	idle := cur.Idle()
	r.logf("retire %s on stack %s: %s", idle, r.Stack.Name(), Describe(cur))
	if cur.CanaryWeight > 0 {
		return fmt.Errorf("retire: stack %q sends %d%% of traffic to %s (canary in progress); finish or roll back first",
			r.Stack.Name(), cur.CanaryWeight, idle)
	}
	f := cur.Fleet(idle)
	if f.Version == "" {
		r.logf("%s runs no version already: nothing to do", idle)
		return nil
	}
	target := cur
	target.SetFleet(idle, Fleet{Capacity: f.Capacity})
	title := fmt.Sprintf("retire %s (stop its instances on %s)", idle, f.Version)
	if r.DryRun {
		r.printPlan(title, cur, target)
		return nil
	}
	if err := r.timed(ctx, title, func() error {
		targets, err := r.targets(ctx, false)
		if err != nil {
			return err
		}
		return r.apply(ctx, cur, target, targets)
	}); err != nil {
		fl := &Failure{Op: fmt.Sprintf("retire on stack %q", r.Stack.Name()), Step: title, Err: err}
		if errors.Is(err, ErrConcurrentUpdate) {
			fl.State = r.keepApplied(context.WithoutCancel(ctx), cur, "the refused update changed nothing")
		} else {
			fl.State = fmt.Sprintf("%s may be partly scaled down; production stays on %s; config now says %s", idle, cur.Active, Describe(target))
		}
		return fl
	}
	r.logf("retired %s: %s", idle, Describe(target))
	r.notify(ctx, "retired %s: %s", idle, Describe(target))
	return nil
}

// Up applies the stack file as it is (an infrastructure change, new sizes), under the release
// lock and only when the file's release state is what is deployed, so that it never moves
// production to another color or version.
func (r *Releaser) Up(ctx context.Context) error {
	cur, out, unlock, err := r.begin(ctx, "up", true)
	if err != nil {
		return fmt.Errorf("up: %w", err)
	}
	defer unlock()
	name := r.Stack.Name()
	sizes := []Change(nil)
	if dep, err := out.Deployed(); err == nil {
		sizes = SizeDiff(dep, cur)
	}
	for _, c := range sizes {
		r.logf("  size change from the stack file: %s", c)
	}
	if r.DryRun {
		r.logf("dry run: would run pulumi up -s %s; the release state stays %s", name, Describe(cur))
		return nil
	}
	if err := r.timed(ctx, "pulumi up -s "+name+" (release state unchanged: "+Describe(cur)+")", func() error {
		return r.Stack.Up(ctx, nil)
	}); err != nil {
		return &Failure{Op: fmt.Sprintf("up of stack %q", name), Step: "pulumi up", Err: err,
			State: "the release state is unchanged (" + Describe(cur) + "); other resources may be partly updated: fix the cause and run `deploy up` again"}
	}
	return nil
}

// Sync writes the deployed release state (active color, canary weight, versions) into the
// stack file, leaving its sizes and every other setting as they are: the way to bring a stale
// file (a checkout from before a release) up to date. It changes nothing deployed, and refuses
// while the stack is held, since a release in progress is still changing that state. A stack
// that was never deployed has nothing to sync: the error is then ErrNeverDeployed.
func (r *Releaser) Sync(ctx context.Context) ([]Change, error) {
	name := r.Stack.Name()
	if l, err := readLock(ctx, r.Stack); err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	} else if l != nil {
		return nil, fmt.Errorf("sync: stack %q is held by %s (%s since %s): its release state is changing; sync after it ends",
			name, l.Holder, l.Op, l.Since.UTC().Format(time.RFC3339))
	}
	file, dep, _, err := r.readState(ctx)
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	d := ReleaseDiff(file, dep)
	if len(d) == 0 {
		return nil, nil
	}
	synced := file.WithReleaseState(dep)
	if err := synced.Validate(); err != nil {
		return nil, fmt.Errorf("sync: the deployed release state does not fit the sizes in %s: %w", StackFile(name), err)
	}
	if r.DryRun {
		return d, nil
	}
	if err := r.Stack.SetApp(ctx, synced); err != nil {
		return nil, fmt.Errorf("sync: writing config: %w", err)
	}
	return d, nil
}

// Unlock clears the release lock left by a run that was killed.
func (r *Releaser) Unlock(ctx context.Context) (*Lock, error) {
	l, err := readLock(ctx, r.Stack)
	if err != nil || l == nil || r.DryRun {
		return l, err
	}
	return l, r.Stack.RemoveTag(ctx, LockTag)
}

// Status is the release state of a stack: what is deployed, what the stack file says, and who
// holds the stack.
type Status struct {
	Stack         string `json:"stack"`
	ActiveColor   Color  `json:"activeColor"`
	IdleColor     Color  `json:"idleColor"`
	CanaryWeight  int    `json:"canaryWeight"`
	Blue          Fleet  `json:"blue"`
	Green         Fleet  `json:"green"`
	TestURL       string `json:"testUrl,omitempty"`
	ProductionURL string `json:"productionUrl,omitempty"`
	SiteURL       string `json:"siteUrl,omitempty"`
	// Drift lists differences between the stack file and what is deployed.
	Drift []string `json:"drift,omitempty"`
	// Lock is who holds the stack, if anyone.
	Lock *Lock `json:"lock,omitempty"`
}

// Status reads what is deployed, the stack file and the lock.
func (r *Releaser) Status(ctx context.Context) (*Status, error) {
	file, err := r.Stack.App(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: stack %q: reading config: %w", r.Stack.Name(), err)
	}
	st := &Status{Stack: r.Stack.Name()}
	if st.Lock, err = readLock(ctx, r.Stack); err != nil {
		return nil, fmt.Errorf("status: %w", err)
	}
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: stack %q: reading outputs: %w", r.Stack.Name(), err)
	}
	dep := file
	if len(out) == 0 {
		st.Drift = append(st.Drift, "the stack has no outputs: it was never deployed")
	} else if d, err := out.Deployed(); err != nil {
		st.Drift = append(st.Drift, err.Error())
	} else {
		dep = d
		for _, c := range Diff(d, file) {
			st.Drift = append(st.Drift, driftLine(c))
		}
	}
	st.ActiveColor, st.IdleColor, st.CanaryWeight, st.Blue, st.Green = dep.Active, dep.Idle(), dep.CanaryWeight, dep.Blue, dep.Green
	st.TestURL, st.ProductionURL, st.SiteURL = out.String(OutTestURL), out.String(OutReleaseCheckURL), out.String(OutSiteURL)
	sort.Strings(st.Drift)
	return st, nil
}
