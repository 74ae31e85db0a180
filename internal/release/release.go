package release

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Releaser runs releases, rollbacks and retirements against one stack and reports progress,
// step by step with elapsed times, to Out.
type Releaser struct {
	// Stack is the stack to change. Required.
	Stack Stack
	// Probe checks the smoke-test and production URLs. Required unless DryRun.
	Probe Prober
	// Out receives progress. Optional. Defaults to io.Discard.
	Out io.Writer
	// DryRun prints the config changes instead of applying them.
	DryRun bool
	// BakeInterval is the pause between production checks while a canary bakes. Optional.
	// Defaults to 10 s.
	BakeInterval time.Duration
	// Now and Sleep stand in for the clock in tests. Optional.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	start   time.Time
	applied App // the config of the last successful `up` this run knows of
}

// Options describe one release.
type Options struct {
	// Version is the application version (image tag) to release. Required.
	Version string
	// Canary lists increasing weights (1-100) of production traffic sent to the new color
	// before the flip. Optional.
	Canary []int
	// Bake is how long each canary weight is held and checked. Optional.
	Bake time.Duration
	// SmokePath is the path probed through the test and production URLs. Optional. Defaults
	// to /actuator/health.
	SmokePath string
}

// DefaultSmokePath is the application's health endpoint.
const DefaultSmokePath = "/actuator/health"

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
}

// StepTime is how long one step took.
type StepTime struct {
	Name     string
	Duration time.Duration
}

// Failure is the error of a release, rollback or retirement that did not complete: what
// failed, and what state the stack was left in.
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

func (r *Releaser) begin() { r.start = r.now() }

// apply writes app as the stack config and runs `up`. On success app becomes r.applied.
func (r *Releaser) apply(ctx context.Context, from, app App) error {
	for _, c := range Diff(from, app) {
		r.logf("  set %s", c)
	}
	if err := r.Stack.SetApp(ctx, app); err != nil {
		return fmt.Errorf("writing config: %w", err)
	}
	r.logf("  pulumi up -s %s ...", r.Stack.Name())
	t0 := r.now()
	if err := r.Stack.Up(ctx); err != nil {
		return fmt.Errorf("pulumi up: %w", err)
	}
	r.logf("  up done in %s", r.now().Sub(t0).Round(100*time.Millisecond))
	r.applied = app
	return nil
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
		if w < 1 || w > 100 {
			return fmt.Errorf("canary weight %d is not between 1 and 100", w)
		}
		if i > 0 && w <= ws[i-1] {
			return fmt.Errorf("canary weights %v must increase", ws)
		}
	}
	return nil
}

// readApp reads and validates the current config.
func (r *Releaser) readApp(ctx context.Context) (App, error) {
	app, err := r.Stack.App(ctx)
	if err != nil {
		return App{}, fmt.Errorf("stack %q: reading config: %w", r.Stack.Name(), err)
	}
	if err := app.Validate(); err != nil {
		return App{}, fmt.Errorf("stack %q: current config is invalid: %w", r.Stack.Name(), err)
	}
	return app, nil
}

// Release deploys o.Version to the idle color, smoke-tests it through the test listener,
// steps through the canary weights, flips the active color and verifies production.
// A failure before the flip restores the previous config and runs `up`; a failure after the
// flip flips back. The returned error is then a *Failure.
func (r *Releaser) Release(ctx context.Context, o Options) (*Summary, error) {
	r.begin()
	if err := ValidateVersion(o.Version); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if err := validateCanary(o.Canary); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if o.SmokePath == "" {
		o.SmokePath = DefaultSmokePath
	}
	if !strings.HasPrefix(o.SmokePath, "/") {
		return nil, fmt.Errorf("release: smoke path %q must start with /", o.SmokePath)
	}
	prev, err := r.readApp(ctx)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if prev.CanaryWeight != 0 {
		return nil, fmt.Errorf("release: stack %q has canaryWeight %d: a canary is in progress; finish it or run rollback first", r.Stack.Name(), prev.CanaryWeight)
	}
	live, idle := prev.Active, prev.Idle()
	sum := &Summary{Stack: r.Stack.Name(), Version: o.Version, From: live, To: idle, Previous: prev.Fleet(live)}
	r.logf("release %s to stack %s: %s", o.Version, r.Stack.Name(), Describe(prev))
	if prev.Fleet(live).Version == o.Version {
		r.logf("version %s is already live on %s: nothing to do", o.Version, live)
		sum.NoOp, sum.To = true, live
		return sum, nil
	}

	deployed := prev
	deployed.SetFleet(idle, Fleet{Version: o.Version, Capacity: prev.Fleet(live).Capacity})
	flipped := deployed
	flipped.Active, flipped.CanaryWeight = idle, 0
	if err := flipped.Validate(); err != nil {
		return nil, fmt.Errorf("release: planned config is invalid: %w", err)
	}
	if r.DryRun {
		r.printPlan(fmt.Sprintf("step 1, deploy %s to %s,", o.Version, idle), prev, deployed)
		step := deployed
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

	r.applied = prev
	fail := func(step string, cause error, flippedAlready bool) (*Summary, error) {
		op := fmt.Sprintf("release %q to stack %q", o.Version, r.Stack.Name())
		if flippedAlready {
			return nil, r.flipBack(ctx, op, step, cause, live)
		}
		return nil, r.restore(ctx, op, step, cause, prev)
	}
	timed := func(name string, f func() error) error {
		t0 := r.now()
		r.logf("%s", name)
		err := f()
		d := r.now().Sub(t0)
		sum.Steps = append(sum.Steps, StepTime{Name: name, Duration: d})
		if err == nil {
			r.logf("  ok (%s)", d.Round(100*time.Millisecond))
		}
		return err
	}

	step := fmt.Sprintf("deploying %s to %s", o.Version, idle)
	if err := timed(step, func() error { return r.apply(ctx, prev, deployed) }); err != nil {
		return fail(step, err, false)
	}

	step = fmt.Sprintf("smoke-testing %s through the test listener", idle)
	if err := timed(step, func() error { return r.smoke(ctx, idle, o) }); err != nil {
		return fail(step, err, false)
	}

	last := deployed
	for _, w := range o.Canary {
		c := deployed
		c.CanaryWeight = w
		step = fmt.Sprintf("canary %d%% to %s, baking %s", w, idle, o.Bake)
		if err := timed(step, func() error {
			if err := r.apply(ctx, last, c); err != nil {
				return err
			}
			return r.bake(ctx, o)
		}); err != nil {
			return fail(step, err, false)
		}
		last = c
	}

	step = fmt.Sprintf("flipping production from %s to %s", live, idle)
	if err := timed(step, func() error { return r.apply(ctx, last, flipped) }); err != nil {
		return fail(step, err, true)
	}

	step = fmt.Sprintf("verifying production on %s", idle)
	var prodURL string
	if err := timed(step, func() error {
		u, err := r.verifyProduction(ctx, idle, o.SmokePath)
		prodURL = u
		return err
	}); err != nil {
		return fail(step, err, true)
	}

	sum.ProductionURL = prodURL
	sum.Total = r.now().Sub(r.start)
	r.logf("released %s: %s", o.Version, Describe(flipped))
	return sum, nil
}

// smoke checks that the test listener serves the new version on color idle.
func (r *Releaser) smoke(ctx context.Context, idle Color, o Options) error {
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return fmt.Errorf("reading stack outputs: %w", err)
	}
	if got := out.String(OutIdleColor); got != string(idle) {
		return fmt.Errorf("stack output %s is %q, want %q", OutIdleColor, got, idle)
	}
	if got := out.String(string(idle) + "Version"); got != o.Version {
		return fmt.Errorf("stack output %sVersion is %q, want %q", idle, got, o.Version)
	}
	base, err := out.TestURL()
	if err != nil {
		return err
	}
	u := joinURL(base, o.SmokePath)
	r.logf("  GET %s", u)
	return r.Probe.Probe(ctx, u)
}

// bake holds a canary weight for o.Bake, checking production at every interval and at the end.
func (r *Releaser) bake(ctx context.Context, o Options) error {
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return fmt.Errorf("reading stack outputs: %w", err)
	}
	base, err := out.ProductionURL()
	if err != nil {
		return err
	}
	u := joinURL(base, o.SmokePath)
	interval := r.BakeInterval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	deadline := r.now().Add(o.Bake)
	for {
		r.logf("  GET %s", u)
		if err := r.Probe.Probe(ctx, u); err != nil {
			return fmt.Errorf("production check during canary: %w", err)
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

// verifyProduction checks that the last update made want the active color and that the
// production URL answers. It returns the URL it checked.
func (r *Releaser) verifyProduction(ctx context.Context, want Color, path string) (string, error) {
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return "", fmt.Errorf("reading stack outputs: %w", err)
	}
	if got := out.String(OutActiveColor); got != string(want) {
		return "", fmt.Errorf("stack output %s is %q, want %q", OutActiveColor, got, want)
	}
	base, err := out.ProductionURL()
	if err != nil {
		return "", err
	}
	u := joinURL(base, path)
	r.logf("  GET %s", u)
	return u, r.Probe.Probe(ctx, u)
}

// restore brings the stack back to prev after a failure before the flip. It runs even when
// ctx was cancelled (an interrupt, a cancelled CI job): stopping half-way is the worse state.
func (r *Releaser) restore(ctx context.Context, op, step string, cause error, prev App) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, "the refused update changed nothing")
		return f
	}
	r.logf("%s failed: %v", step, cause)
	r.logf("restoring the previous config: %s", Describe(prev))
	if err := r.apply(ctx, r.applied, prev); err != nil {
		f.State = fmt.Sprintf("restoring the previous config failed too (%v); config now says: %s; "+
			"the stack may be partly updated: check `deploy status -s %s` and run `pulumi up -s %s`",
			err, Describe(prev), r.Stack.Name(), r.Stack.Name())
		return f
	}
	f.State = "previous config restored and applied: " + Describe(prev) + "; production was not switched"
	return f
}

// flipBack makes live the active color again after a failure at or after the flip. The new
// color keeps its version and capacity so the failure can be inspected; retire scales it down.
// Like restore, it runs even when ctx was cancelled.
func (r *Releaser) flipBack(ctx context.Context, op, step string, cause error, live Color) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, "the refused update changed nothing, production was not switched")
		return f
	}
	back := r.applied
	back.Active, back.CanaryWeight = live, 0
	r.logf("%s failed: %v", step, cause)
	r.logf("flipping back to %s", live)
	if err := r.apply(ctx, r.applied, back); err != nil {
		f.State = fmt.Sprintf("flipping back to %s failed too (%v); config now says: %s; "+
			"production may be served by either color: check `deploy status -s %s` and run `pulumi up -s %s`",
			live, err, Describe(back), r.Stack.Name(), r.Stack.Name())
		return f
	}
	f.State = fmt.Sprintf("flipped back, production is on %s again: %s; run `deploy retire -s %s` to scale %s down",
		live, Describe(back), r.Stack.Name(), back.Idle())
	return f
}

// keepApplied resets the config to the last applied state after an update was refused because
// the stack is locked; it does not retry the update.
func (r *Releaser) keepApplied(ctx context.Context, what string) string {
	if err := r.Stack.SetApp(ctx, r.applied); err != nil {
		return fmt.Sprintf("%s, but resetting the config failed (%v): the config file may not match the stack", what, err)
	}
	return fmt.Sprintf("%s; config reset to the last applied state: %s; not retried: wait for the other update "+
		"(or `pulumi cancel -s %s` if it is stale) and run again", what, Describe(r.applied), r.Stack.Name())
}

// Rollback makes the idle color live again. If a canary is in progress it only sets the canary
// weight to zero. It refuses when the idle color has no capacity or no version.
func (r *Releaser) Rollback(ctx context.Context, smokePath string) error {
	r.begin()
	if smokePath == "" {
		smokePath = DefaultSmokePath
	}
	cur, err := r.readApp(ctx)
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	r.logf("rollback stack %s: %s", r.Stack.Name(), Describe(cur))
	target := cur
	title := ""
	if cur.CanaryWeight > 0 {
		target.CanaryWeight = 0
		title = fmt.Sprintf("cancel the %d%% canary, all traffic to %s", cur.CanaryWeight, cur.Active)
	} else {
		to := cur.Idle()
		f := cur.Fleet(to)
		if f.Capacity.Desired == 0 {
			return fmt.Errorf("rollback: cannot roll stack %q back to %s: it has no capacity (min/desired/max %s), it was retired or never deployed; release a version instead",
				r.Stack.Name(), to, f.Capacity)
		}
		if f.Version == "" {
			return fmt.Errorf("rollback: cannot roll stack %q back to %s: it has no version", r.Stack.Name(), to)
		}
		target.Active = to
		title = fmt.Sprintf("flip production from %s to %s (%s)", cur.Active, to, f.Version)
	}
	if r.DryRun {
		r.printPlan(title, cur, target)
		return nil
	}
	r.applied = cur
	op := fmt.Sprintf("rollback of stack %q", r.Stack.Name())
	r.logf("%s", title)
	if err := r.apply(ctx, cur, target); err != nil {
		f := &Failure{Op: op, Step: title, Err: err}
		if errors.Is(err, ErrConcurrentUpdate) {
			f.State = r.keepApplied(ctx, "the refused update changed nothing")
		} else {
			f.State = fmt.Sprintf("unknown: config now says %s; check `deploy status -s %s` and run `pulumi up -s %s`",
				Describe(target), r.Stack.Name(), r.Stack.Name())
		}
		return f
	}
	if _, err := r.verifyProduction(ctx, target.Active, smokePath); err != nil {
		return &Failure{Op: op, Step: "verifying production", Err: err,
			State: "rolled back but production does not answer healthily: " + Describe(target)}
	}
	r.logf("rolled back: %s", Describe(target))
	return nil
}

// Retire scales the idle color to zero instances, keeping its version and maxSize.
func (r *Releaser) Retire(ctx context.Context) error {
	r.begin()
	cur, err := r.readApp(ctx)
	if err != nil {
		return fmt.Errorf("retire: %w", err)
	}
	idle := cur.Idle()
	r.logf("retire %s on stack %s: %s", idle, r.Stack.Name(), Describe(cur))
	if cur.CanaryWeight > 0 {
		return fmt.Errorf("retire: stack %q sends %d%% of traffic to %s (canary in progress); finish or roll back first",
			r.Stack.Name(), cur.CanaryWeight, idle)
	}
	f := cur.Fleet(idle)
	if f.Capacity.IsZero() {
		r.logf("%s already has no instances: nothing to do", idle)
		return nil
	}
	target := cur
	target.SetFleet(idle, Fleet{Version: f.Version, Capacity: Capacity{Max: f.Capacity.Max}})
	title := fmt.Sprintf("scale %s to zero", idle)
	if r.DryRun {
		r.printPlan(title, cur, target)
		return nil
	}
	r.applied = cur
	r.logf("%s", title)
	if err := r.apply(ctx, cur, target); err != nil {
		f := &Failure{Op: fmt.Sprintf("retire on stack %q", r.Stack.Name()), Step: title, Err: err}
		if errors.Is(err, ErrConcurrentUpdate) {
			f.State = r.keepApplied(ctx, "the refused update changed nothing")
		} else {
			f.State = fmt.Sprintf("%s may be partly scaled down; production stays on %s; config now says %s",
				idle, cur.Active, Describe(target))
		}
		return f
	}
	r.logf("retired %s: %s", idle, Describe(target))
	return nil
}

// Status is the release state of a stack: the config and what the last update deployed.
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
	// Drift lists differences between the config and the outputs of the last update, e.g.
	// after a config change that was never applied.
	Drift []string `json:"drift,omitempty"`
}

// Status reads the config and the outputs of the last update.
func (r *Releaser) Status(ctx context.Context) (*Status, error) {
	app, err := r.Stack.App(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: stack %q: reading config: %w", r.Stack.Name(), err)
	}
	st := &Status{Stack: r.Stack.Name(), ActiveColor: app.Active, IdleColor: app.Idle(),
		CanaryWeight: app.CanaryWeight, Blue: app.Blue, Green: app.Green}
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("status: stack %q: reading outputs: %w", r.Stack.Name(), err)
	}
	if len(out) == 0 {
		st.Drift = append(st.Drift, "the stack has no outputs: it was never deployed")
		return st, nil
	}
	st.TestURL = out.String(OutTestURL)
	st.ProductionURL, _ = out.ProductionURL()
	st.SiteURL = out.String(OutSiteURL)
	check := func(name, want string) {
		if got := out.String(name); got != want {
			st.Drift = append(st.Drift, fmt.Sprintf("config says %s %q, last update deployed %q", name, want, got))
		}
	}
	check(OutActiveColor, string(app.Active))
	check(OutBlueVersion, app.Blue.Version)
	check(OutGreenVersion, app.Green.Version)
	slices.Sort(st.Drift)
	return st, nil
}
