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

	"github.com/webstack/webstack/contract"
)

// Releaser runs releases, rollbacks, retirements and infrastructure updates against one stack,
// one at a time (the release lock), starting from what is deployed, and reports every step
// with how long it took to Out (and to Notify).
type Releaser struct {
	// Stack is the stack to change. Required.
	Stack Stack
	// Cloud reads the new color's alarms, the release-check secret and when the credentials
	// expire. Required unless DryRun.
	Cloud Cloud
	// Client sends the checks' requests. Optional. Defaults to a client with a 10 s timeout.
	Client *http.Client
	// Out receives progress. Optional. Defaults to io.Discard.
	Out io.Writer
	// Notify receives the release's start, steps, result and any rollback. Optional.
	Notify Notifier
	// Runner launches and drives the migration runner of each release (migrate.go). Required
	// for a release unless DryRun.
	Runner Runner
	// PollInterval is the pause between reads of the migration runner's state. Optional.
	// Defaults to 5 s.
	PollInterval time.Duration
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
	held  *held
	// restoring is set while a step puts production back: it reclaims a lock that is gone.
	restoring bool
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
	// release is done; a failure flips back. Optional. Defaults to the longest alarm window of
	// the new color's alarms plus MetricDelay, so that every one of them can fire.
	Watch time.Duration
	// Migration declares the release's migration: Expand (the default) or Contract.
	Migration Migration
}

// Summary describes a finished release.
type Summary struct {
	Stack         string
	Version       string
	From, To      contract.Color // live color before and after
	Previous      contract.Fleet // what From runs; kept warm for rollback
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
// outputs. The lock then records the release state deployed at the start, for `deploy recover`.
func (r *Releaser) begin(ctx context.Context, op string, sizes bool) (App, Outputs, func(), error) {
	r.start, r.steps, r.held = r.now(), nil, nil
	unlock := func() {}
	if !r.DryRun {
		settle := func(ctx context.Context) error {
			d := r.LockSettle
			if d <= 0 {
				d = 2 * time.Second
			}
			return r.sleep(ctx, d)
		}
		h, err := acquire(ctx, r.Stack, r.holder(), op, r.now(), settle)
		if err != nil {
			return App{}, nil, nil, err
		}
		r.held = h
		unlock = r.unlock(ctx)
	}
	app, out, err := r.current(ctx, sizes)
	if err == nil && r.held != nil {
		err = r.held.record(ctx, app.State())
	}
	if err != nil {
		unlock()
		return App{}, nil, nil, err
	}
	return app, out, unlock, nil
}

// holder names this process in the lock.
func (r *Releaser) holder() string {
	if r.Holder == "" {
		return "deploy"
	}
	return r.Holder
}

// unlock returns the function that releases the lock this process holds, even after ctx was
// cancelled.
func (r *Releaser) unlock(ctx context.Context) func() {
	return func() {
		if r.held == nil {
			return
		}
		if err := r.held.release(context.WithoutCancel(ctx)); err != nil {
			r.logf("the release lock was not removed: %v; clear it with `deploy unlock -s %s`", err, r.Stack.Name())
		}
		r.held = nil
	}
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

// apply writes app as the stack config and updates the stack (only targets, when given), after
// checking that this process still holds the release lock.
func (r *Releaser) apply(ctx context.Context, from, app App, targets []string) error {
	if r.held != nil {
		if r.restoring {
			retaken, err := r.held.reclaim(ctx)
			if err != nil {
				return fmt.Errorf("before changing the stack: %w", err)
			}
			if retaken {
				r.logf("  the release lock had been removed (a `pulumi up` outside cmd/deploy replaces the stack's tags, or `deploy unlock`): taken again to put production back")
			}
		} else if err := r.held.verify(ctx); err != nil {
			return fmt.Errorf("before changing the stack: %w", err)
		}
	}
	for _, c := range Diff(from, app) {
		r.logf("  set %s", c)
	}
	if from.Contract != app.Contract {
		r.logf("  set %s.contract: %s -> %s", AppKey, formatContract(from.Contract), formatContract(app.Contract))
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
const computeComponent = contract.TypeCompute + "$"

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
		if listenersOnly && !strings.Contains(u, "$"+contract.TypeLBListener+"::") && !strings.Contains(u, "$"+contract.TypeLBListenerRule+"::") &&
			!(strings.Contains(u, contract.TypeComputeLoadBalancer+"$") && strings.Contains(u, "$"+contract.TypeCloudWatchMetricAlarm+"::")) {
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
func runs(a App, c contract.Color) bool {
	f := a.Fleet(c)
	return f.Version != "" && f.Capacity.Desired > 0
}

// releaseCheck returns the URL and header that reach the idle color through CloudFront: the
// release-check path with the stack's release-check secret.
func (r *Releaser) releaseCheck(ctx context.Context, out Outputs) (string, http.Header, error) {
	u, err := out.need(contract.OutReleaseCheckURL)
	if err != nil {
		return "", nil, err
	}
	param, err := out.need(contract.OutReleaseCheckParameter)
	if err != nil {
		return "", nil, err
	}
	secret, err := r.Cloud.Parameter(ctx, param)
	if err != nil {
		return "", nil, fmt.Errorf("reading the release-check secret: %w", err)
	}
	return u, http.Header{contract.ReleaseCheckHeader: {secret}}, nil
}

// productionURL is the release-check path through CloudFront without the secret: what viewers
// get.
func productionURL(out Outputs) (string, error) { return out.need(contract.OutReleaseCheckURL) }

// alarms fails when any alarm of color c is in ALARM.
func (r *Releaser) alarms(ctx context.Context, out Outputs, c contract.Color) error {
	prefix, err := out.need(contract.OutAlarmNamePrefix)
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
