package release

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/webstack/webstack/contract"
)

// CapacityWait is how long an `up` that changes a color's sizes may wait for its instances to
// pass the health checks: the fleet's waitForCapacityTimeout (compute.CapacityTimeout; a test
// holds them equal). A release's time budget counts it for each such `up`.
const CapacityWait = 15 * time.Minute

// stepAllowance is what a release's time budget counts for a step that waits for nothing but
// the engine and the listeners: a smoke test, a canary or flip update, a restore's first step.
const stepAllowance = 2 * time.Minute

// releasePlan is every config a release will apply, worked out and checked before the first.
type releasePlan struct {
	prev, cleared, deployed, flipped App
	live, idle                       contract.Color
	warm                             bool // the idle color runs a version: scale it to zero first
	canary                           []App
	watch                            time.Duration
	// contract is the record a contract release writes once its migration ran; nil otherwise.
	contract *ContractRecord
}

// Release deploys o.Version to the idle color from zero instances, smoke-tests it through
// CloudFront with the release-check secret, steps through the canary weights (each baked
// against the error rate of production requests and the new color's alarms), flips the live
// color with a targeted update of the listeners, and watches production. A failure before the
// flip restores what was deployed; at or after the flip it flips back and stops the rejected
// version. The returned error is then a *Failure.
func (r *Releaser) Release(ctx context.Context, o Options) (*Summary, error) {
	if err := ValidateVersion(o.Version); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if err := validateCanary(o.Canary); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if o.Migration == "" {
		o.Migration = Expand
	}
	if _, err := ParseMigration(string(o.Migration)); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	prev, out, unlock, err := r.begin(ctx, fmt.Sprintf("release %s", o.Version), false)
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
	if err := checkContract(prev, name, o.Migration); err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	p, err := r.plan(ctx, prev, out, &o)
	if err != nil {
		return nil, fmt.Errorf("release: %w", err)
	}
	if r.DryRun {
		r.printReleasePlan(p, o)
		sum.NoOp = true
		return sum, nil
	}
	return r.run(ctx, p, o, out, sum)
}

// plan works out the configs a release applies and refuses, before anything changes, a release
// that could not end well: an invalid config, a new color smaller than the live one, alarms
// that cannot fire within the watch, credentials that would expire before a failure could be
// undone, or a stack file that would change more than the release.
func (r *Releaser) plan(ctx context.Context, prev App, out Outputs, o *Options) (*releasePlan, error) {
	p := &releasePlan{prev: prev, live: prev.Active, idle: prev.Idle(), warm: runs(prev, prev.Idle())}
	idleCap, liveCap := prev.Fleet(p.idle).Capacity, prev.Fleet(p.live).Capacity
	if idleCap.Desired == 0 {
		return nil, fmt.Errorf("the idle color %s has no capacity to run %s (webstack:app.%s.desiredCapacity is 0): give it sizes first", p.idle, o.Version, p.idle)
	}
	if runs(prev, p.live) && (idleCap.Desired < liveCap.Desired || idleCap.Min < liveCap.Min) {
		return nil, fmt.Errorf("the flip would move production from %d instances (%s, %s) to %d (%s, %s): give webstack:app.%s at least the live color's minSize %d and desiredCapacity %d and apply it with `deploy up` first",
			liveCap.Desired, p.live, liveCap, idleCap.Desired, p.idle, idleCap, p.idle, liveCap.Min, liveCap.Desired)
	}
	// A warm idle color is scaled to zero first, so that every instance that is checked and
	// promoted was launched with the new version: an in-place update would be checked on the
	// old instances while an instance refresh mixed the new ones in.
	p.cleared = prev
	p.cleared.SetFleet(p.idle, contract.Fleet{Capacity: idleCap})
	p.deployed = p.cleared
	p.deployed.SetFleet(p.idle, contract.Fleet{Version: o.Version, Capacity: idleCap})
	p.flipped = p.deployed
	p.flipped.Active, p.flipped.CanaryWeight = p.idle, 0
	if len(o.Canary) > 0 && !runs(prev, p.live) {
		// The first release has nothing to split production with: production answers the
		// no-release 503 until the flip.
		r.logf("no release is live yet: the canary steps %v are skipped, production moves at the flip", o.Canary)
		o.Canary = nil
	}
	p.withContract(o.Version, o.Migration)
	for _, w := range o.Canary {
		c := p.deployed
		c.CanaryWeight = w
		p.canary = append(p.canary, c)
	}
	for _, a := range append([]App{p.cleared, p.deployed, p.flipped}, p.canary...) {
		if err := a.Validate(); err != nil {
			return nil, fmt.Errorf("planned config is invalid: %w", err)
		}
	}
	if err := r.planTimes(ctx, p, out, *o); err != nil {
		return nil, err
	}
	r.logf("checking that %s changes nothing but the release (pulumi preview)", StackFile(r.Stack.Name()))
	changes, err := r.Stack.Preview(ctx)
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		if len(changes) > 10 {
			changes = append(changes[:10], fmt.Sprintf("… and %d more", len(changes)-10))
		}
		return nil, fmt.Errorf("%s would change %d resource(s) besides the release:\n  %s\n"+
			"a release applies only the release state: apply these with `deploy up -s %s` first, or check out the commit that is deployed; nothing was changed",
			StackFile(r.Stack.Name()), len(changes), strings.Join(changes, "\n  "), r.Stack.Name())
	}
	return p, nil
}

// MetricDelay is how long after the fact an alarm can see a minute of load balancer metrics:
// Application Load Balancers publish to CloudWatch every 60 seconds, the data points land a
// minute or two later, and alarms evaluate once a minute.
const MetricDelay = 3 * time.Minute

// planTimes sets how long production is watched after the flip (by default the new color's
// longest alarm window, so that each of its alarms can fire), warns about bakes too short for
// the alarms, and refuses a release that could outlast the AWS credentials: a failure found
// after they expired could not be undone.
func (r *Releaser) planTimes(ctx context.Context, p *releasePlan, out Outputs, o Options) error {
	p.watch = o.Watch
	if r.Cloud == nil {
		if p.watch <= 0 {
			p.watch = time.Minute
		}
		return nil
	}
	prefix, err := out.need(contract.OutAlarmNamePrefix)
	if err != nil {
		return err
	}
	window, err := r.Cloud.AlarmWindow(ctx, prefix+"-"+string(p.idle)+"-")
	if err != nil {
		return err
	}
	// An alarm fires only once CloudWatch has the whole window's data points: the load
	// balancer publishes its metrics every minute and they arrive late, so the watch lasts
	// the window and MetricDelay more.
	needed := window + MetricDelay
	if p.watch <= 0 {
		p.watch = max(time.Minute, needed)
	}
	if p.watch < needed {
		r.logf("warning: --watch %s is shorter than the longest alarm window of %s (%s) and the metrics' delay (%s): an alarm that needs all of it cannot fire while production is watched", p.watch, p.idle, window, MetricDelay)
	}
	if len(o.Canary) > 0 && o.Bake < needed {
		r.logf("warning: --bake %s is shorter than the longest alarm window of %s (%s) and the metrics' delay (%s): such an alarm cannot fire during a canary step", o.Bake, p.idle, window, MetricDelay)
	}
	// The longest a release can take and still undo a failure: the deploy may wait
	// CapacityWait for its instances, every other step stepAllowance (scaling a warm color to
	// zero waits for no instance), plus every bake and the watch; a failure at the end of the
	// watch then needs the flip back and the rejected version stopped. A failure before the
	// flip costs at most a second capacity wait for the restore, less than going on.
	// The clean-checkout preview runs after this budget is taken: one more step.
	// The migration step comes first; its failure needs no undo, but everything after it
	// still does.
	worst := migrationAllowance + stepAllowance + CapacityWait + stepAllowance + time.Duration(len(o.Canary))*(o.Bake+stepAllowance) + stepAllowance + p.watch + 2*stepAllowance
	if p.warm {
		worst += stepAllowance
	}
	worst = max(worst, 2*CapacityWait+stepAllowance)
	expires, err := r.Cloud.CredentialsExpire(ctx)
	if err != nil {
		return err
	}
	if !expires.IsZero() {
		if left := expires.Sub(r.now()); left < worst {
			return fmt.Errorf("the AWS credentials expire in %s, and this release can take up to %s and still need them to undo a failure "+
				"(%d canary steps of %s, a %s watch, and up to %s for the new instances): use a longer session (AWS_SESSION_SECONDS in CI, "+
				"within the role's MaxSessionDuration), or fewer or shorter canary steps", left.Round(time.Minute), worst.Round(time.Minute),
				len(o.Canary), o.Bake, p.watch, CapacityWait)
		}
	}
	return nil
}

func (r *Releaser) printReleasePlan(p *releasePlan, o Options) {
	what := "ensure the app's database user " + contract.AppDatabaseUser
	if p.prev.Migrate != "" {
		what += ", then run " + p.prev.Migrate + " with " + o.Version + "'s image"
	}
	r.logf("dry run: migration step (%s) on a runner instance: %s", o.Migration, what)
	if p.contract != nil {
		r.logf("  then record the contract: %s.contract %s (a rollback to %s is refused afterwards)", AppKey, formatContract(*p.contract), orNone(p.contract.Replaced))
	}
	step := p.prev
	if p.warm {
		r.printPlan(fmt.Sprintf("scale %s (warm on %s) to zero,", p.idle, p.prev.Fleet(p.idle).Version), p.prev, p.cleared)
		step = p.cleared
	}
	r.printPlan(fmt.Sprintf("deploy %s to %s,", o.Version, p.idle), step, p.deployed)
	step = p.deployed
	for _, c := range p.canary {
		r.printPlan(fmt.Sprintf("canary %d%% (bake %s)", c.CanaryWeight, o.Bake), step, c)
		step = c
	}
	r.printPlan(fmt.Sprintf("flip to %s, then watch production for %s", p.idle, p.watch), step, p.flipped)
}

// run carries out a checked plan, and restores or flips back at the first failure.
func (r *Releaser) run(ctx context.Context, p *releasePlan, o Options, out Outputs, sum *Summary) (*Summary, error) {
	r.notify(ctx, "release %s started: %s", o.Version, Describe(p.prev))
	x := &releaseRun{r: r, p: p, o: o, out: out, applied: p.prev}
	// The migration runs before the stack changes at all: before the idle color is scaled to
	// zero and before any instance of the new version starts, so that no instance of it ever
	// runs on the schema before its migration, and a failure leaves everything as it was.
	if step, err := x.migrate(ctx); err != nil {
		f := &Failure{Op: fmt.Sprintf("release %q to stack %q", o.Version, sum.Stack), Step: step, Err: err,
			State: fmt.Sprintf("nothing in the stack was changed: %s; production stays on %s; the release lock is released. "+
				"An expand migration that failed half-way left only additions the live version does not read: fix it and release again", Describe(p.prev), p.live)}
		r.notify(ctx, "release %s FAILED: %v", o.Version, f)
		return nil, f
	}
	p.recordContract()
	fail := func(step string, cause error, afterFlip bool) (*Summary, error) {
		op := fmt.Sprintf("release %q to stack %q", o.Version, sum.Stack)
		var err error
		if afterFlip {
			err = r.flipBack(ctx, op, step, cause, x.applied, p.live, p.prev.Fleet(p.live).Version)
		} else {
			err = r.restore(ctx, op, step, cause, x.applied, p.prev)
		}
		r.notify(ctx, "release %s FAILED: %v", o.Version, err)
		return nil, err
	}

	check, step, err := x.deployAndSmokeTest(ctx)
	if err != nil {
		return fail(step, err, false)
	}
	prodURL, err := productionURL(out)
	if err != nil {
		return fail("preparing the production checks", err, false)
	}
	if step, err := x.canaries(ctx, prodURL, check); err != nil {
		return fail(step, err, false)
	}

	step = fmt.Sprintf("flipping production from %s to %s", p.live, p.idle)
	t0 := r.now()
	if err := r.timed(ctx, step, func() error { return x.stepTo(ctx, p.flipped, true) }); err != nil {
		return fail(step, err, true)
	}
	sum.Flip = r.now().Sub(t0)
	r.logf("  flip took %s", sum.Flip.Round(10*time.Millisecond))

	step = fmt.Sprintf("verifying production on %s (%s, then %s of watching)", p.idle, prodURL, p.watch)
	if err := r.timed(ctx, step, func() error { return r.watch(ctx, out, prodURL, p.idle, p.watch, nil, o.Version) }); err != nil {
		return fail(step, err, true)
	}
	sum.ProductionURL = prodURL
	sum.Steps = r.steps
	sum.Total = r.now().Sub(r.start)
	r.logf("released %s: %s", o.Version, Describe(p.flipped))
	r.notify(ctx, "release %s done in %s: %s", o.Version, sum.Total.Round(time.Second), Describe(p.flipped))
	return sum, nil
}

// releaseRun is a release under way: the plan it carries out and the config last applied,
// from which a failure restores or flips back.
type releaseRun struct {
	r       *Releaser
	p       *releasePlan
	o       Options
	out     Outputs
	applied App
}

// stepTo applies to (only the listeners when listenersOnly) and records it as applied.
func (x *releaseRun) stepTo(ctx context.Context, to App, listenersOnly bool) error {
	targets, err := x.r.targets(ctx, listenersOnly)
	if err != nil {
		return err
	}
	if err := x.r.apply(ctx, x.applied, to, targets); err != nil {
		return err
	}
	x.applied = to
	return nil
}

// deployAndSmokeTest scales a warm idle color to zero, deploys the version to it, and
// smoke-tests it through CloudFront with the release-check secret. It returns how the new
// color is reached on its own, or the step that failed and why.
func (x *releaseRun) deployAndSmokeTest(ctx context.Context) (*colorCheck, string, error) {
	r, p, o := x.r, x.p, x.o
	if p.warm {
		step := fmt.Sprintf("scaling %s (warm on %s) to zero, so that only new instances run %s", p.idle, p.prev.Fleet(p.idle).Version, o.Version)
		if err := r.timed(ctx, step, func() error { return x.stepTo(ctx, p.cleared, false) }); err != nil {
			return nil, step, err
		}
	}
	step := fmt.Sprintf("deploying %s to %s (%s) and waiting for its instances to pass the health checks", o.Version, p.idle, p.deployed.Fleet(p.idle).Capacity)
	if err := r.timed(ctx, step, func() error { return x.stepTo(ctx, p.deployed, false) }); err != nil {
		return nil, step, err
	}
	checkURL, header, err := r.releaseCheck(ctx, x.out)
	if err != nil {
		return nil, "preparing the smoke test", err
	}
	step = fmt.Sprintf("smoke-testing %s through CloudFront (%s with the release-check secret)", p.idle, checkURL)
	if err := r.timed(ctx, step, func() error {
		s, err := r.checker(header).Check(ctx, checkURL, o.Version)
		if s != nil {
			r.logf("  %s", s)
		}
		return err
	}); err != nil {
		return nil, step, err
	}
	return &colorCheck{checkURL, header, o.Version}, "", nil
}

// canaries steps through the canary weights, baking each against production at prodURL and
// the new color reached through check. It returns the step that failed and why.
func (x *releaseRun) canaries(ctx context.Context, prodURL string, check *colorCheck) (string, error) {
	r, p, o := x.r, x.p, x.o
	for _, c := range p.canary {
		step := fmt.Sprintf("canary %d%% of production to %s, baking %s", c.CanaryWeight, p.idle, o.Bake)
		if err := r.timed(ctx, step, func() error {
			if err := x.stepTo(ctx, c, true); err != nil {
				return err
			}
			return r.watch(ctx, x.out, prodURL, p.idle, o.Bake, check, p.prev.Fleet(p.live).Version, o.Version)
		}); err != nil {
			return step, err
		}
	}
	return "", nil
}

// colorCheck is the new color reached on its own during a canary: the release-check path with
// its secret. A canary's share of production is too small for production's error rate to show
// a bad version (15 % failing at a 10 % share is 1.5 % overall, and a failed answer may carry no
// version to blame), so each bake also judges the new color by itself.
type colorCheck struct {
	url     string
	header  http.Header
	version string
}

// watch checks production at every interval for d (at least once), the new color by itself
// when direct is set, and the alarms of color c: every sample must pass and answer with one of
// want, and no alarm of c may be in ALARM.
func (r *Releaser) watch(ctx context.Context, out Outputs, url string, c contract.Color, d time.Duration, direct *colorCheck, want ...string) error {
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
		if direct != nil {
			s, err := r.checker(direct.header).Check(ctx, direct.url, direct.version)
			if s != nil {
				r.logf("  %s alone: %s", c, s)
			}
			if err != nil {
				return fmt.Errorf("check of %s alone: %w", c, err)
			}
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
