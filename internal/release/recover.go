package release

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/webstack/webstack/contract"
)

// restore brings the stack back to prev after a failure before the flip. It runs even when
// ctx was cancelled (an interrupt, a cancelled CI job): stopping half-way is the worse state.
func (r *Releaser) restore(ctx context.Context, op, step string, cause error, applied, prev App) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, applied, "the refused update changed nothing")
		return f
	}
	r.restoring = true
	defer func() { r.restoring = false }()
	traffic := "production was not switched"
	if applied.Active != prev.Active || applied.CanaryWeight != prev.CanaryWeight {
		traffic = fmt.Sprintf("production traffic was taken back to %s", prev.Active)
	}
	to := restored(applied, prev)
	r.logf("%s failed: %v", step, cause)
	r.logf("restoring what was deployed: %s", Describe(to))
	if err := r.restoreTo(ctx, applied, to); err != nil {
		f.State = fmt.Sprintf("restoring failed too (%v); config now says: %s; "+
			"production may still send traffic to %s and the idle color may be partly updated: check `deploy status -s %s` and run `deploy recover -s %s`",
			err, Describe(to), applied.Idle(), r.Stack.Name(), r.Stack.Name())
		return f
	}
	f.State = "restored and applied: " + Describe(to) + "; " + traffic
	return f
}

// restored is the state a restore puts back: the release state before, except that a color
// which is not live afterwards and whose version the failed operation changed is stopped
// (version "", its sizes kept) rather than set back to its old version in place. An in-place
// version change of a running Auto Scaling group returns before the instance refresh has
// replaced its instances, so the color would serve a mix of the rejected and the old version,
// and a later rollback could make that mix live; stopping it also needs no capacity wait, so a
// restore stays quick. The next release starts that color from zero.
func restored(applied, before App) App {
	to := before
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		live := c == to.Active
		if !live && applied.Fleet(c).Version != before.Fleet(c).Version && before.Fleet(c).Version != "" {
			to.SetFleet(c, contract.Fleet{Capacity: before.Fleet(c).Capacity})
		}
	}
	return to
}

// restoreTo applies to, listeners first: a targeted update of the listeners takes production
// traffic back (a canary share, a flip) before the fleets change, so that no listener forwards
// to a color being scaled down; then an update of the compute tier restores the rest. Both
// run even when applied already says to: the step that failed may have changed part of the
// stack before it failed.
func (r *Releaser) restoreTo(ctx context.Context, applied, to App) error {
	traffic := applied
	traffic.Active, traffic.CanaryWeight = to.Active, to.CanaryWeight
	if traffic.Validate() == nil { // otherwise the fleets must change first: one update
		targets, err := r.targets(ctx, true)
		if err == nil {
			err = r.apply(ctx, applied, traffic, targets)
		}
		if err != nil {
			return fmt.Errorf("taking production traffic back to %s: %w", to.Active, err)
		}
		applied = traffic
	}
	targets, err := r.targets(ctx, false)
	if err == nil {
		err = r.apply(ctx, applied, to, targets)
	}
	return err
}

// flipBack makes live the active color again after a failure at or after the flip, checks that
// production answers with its version, then stops the rejected version (its instances' output
// stays in CloudWatch Logs), so that no later rollback can make it live again. Like restore,
// it runs even when ctx was cancelled.
func (r *Releaser) flipBack(ctx context.Context, op, step string, cause error, applied App, live contract.Color, liveVersion string) error {
	ctx = context.WithoutCancel(ctx)
	f := &Failure{Op: op, Step: step, Err: cause}
	if errors.Is(cause, ErrConcurrentUpdate) {
		f.State = r.keepApplied(ctx, applied, "the refused update changed nothing, production was not switched")
		return f
	}
	r.restoring = true
	defer func() { r.restoring = false }()
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
			"production may be served by either color: check `deploy status -s %s` and run `deploy recover -s %s`",
			live, err, Describe(back), r.Stack.Name(), r.Stack.Name())
		return f
	}
	r.logf("  flipped back in %s", r.now().Sub(t0).Round(10*time.Millisecond))
	checked := ""
	if out, err := r.Stack.Outputs(ctx); err == nil && liveVersion != "" {
		if u, err := productionURL(out); err == nil {
			s, err := r.checker(nil).Check(ctx, u, liveVersion)
			if err != nil {
				checked = fmt.Sprintf("; but production does not answer healthily on %s: %v", liveVersion, err)
			} else {
				r.logf("  production answers on %s again: %s", liveVersion, s)
			}
		}
	}
	rejected := back.Idle()
	stopped := back
	stopped.SetFleet(rejected, contract.Fleet{Capacity: back.Fleet(rejected).Capacity})
	what := fmt.Sprintf("stopping the rejected %s on %s", back.Fleet(rejected).Version, rejected)
	if err := r.timed(ctx, what, func() error {
		targets, err := r.targets(ctx, false)
		if err == nil {
			err = r.apply(ctx, back, stopped, targets)
		}
		return err
	}); err != nil {
		f.State = fmt.Sprintf("flipped back, production is on %s again%s; %s failed (%v): run `deploy retire -s %s` (rollback refuses a color whose alarms are in ALARM); %s",
			live, checked, what, err, r.Stack.Name(), Describe(back))
		return f
	}
	f.State = fmt.Sprintf("flipped back, production is on %s again%s; the rejected %s was stopped on %s (its output stays in CloudWatch Logs): %s",
		live, checked, back.Fleet(rejected).Version, rejected, Describe(stopped))
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

// Recover finishes the work of an operation that was killed before it could restore the stack
// (a CI job cancelled or timed out, a second Ctrl-C, kill -9): it brings the stack back to the
// release state deployed when that operation began, which its lock recorded, listeners first,
// and checks production. It takes over a lock held by the same holder (the same CI run, or
// user@host), or any lock with force. A `pulumi up` the killed run left holding the stack is
// cancelled. It returns what it did.
func (r *Releaser) Recover(ctx context.Context, force bool) (string, error) {
	name := r.Stack.Name()
	r.start, r.steps = r.now(), nil
	l, err := readLock(ctx, r.Stack)
	if err != nil {
		return "", fmt.Errorf("recover: %w", err)
	}
	if l != nil && l.Holder != r.holder() && !force {
		return "", fmt.Errorf("recover: stack %q is held by %s (%s, since %s), not by %s: if that run is no longer running, run `deploy recover -s %s --force`",
			name, l.Holder, l.Op, l.Since.UTC().Format(time.RFC3339), r.holder(), name)
	}
	// A killed release may have left its migration runner running (with the master secret):
	// terminated whatever else there is to do. Not while another run holds the stack: its
	// runner may be at work. Without a lock no release runs: every release holds it.
	runners := ""
	if !r.DryRun {
		runners = r.terminateLeftoverRunners(ctx)
	}
	if l == nil {
		what, err := r.recoverUnlocked(ctx)
		return what + runners, err
	}
	if l.Before == nil || l.Op == "up" {
		// `deploy up` changes no release state: what a killed one leaves is a half-applied
		// update of the stack file's infrastructure, which only the next `deploy up` finishes.
		if r.DryRun {
			return fmt.Sprintf("would clear the lock of %q (it changed no release state)", l.Op), nil
		}
		r.cancelPulumi(ctx)
		if err := r.Stack.RemoveTag(ctx, LockTag); err != nil {
			return "", fmt.Errorf("recover: %w", err)
		}
		return fmt.Sprintf("%q changes no release state: the lock is cleared; if it was killed, run `deploy up -s %s` again to finish its update", l.Op, name) + runners, nil
	}
	file, err := r.Stack.App(ctx)
	if err != nil {
		return "", fmt.Errorf("recover: stack %q: reading config: %w", name, err)
	}
	target := restored(file, file.WithState(*l.Before))
	if err := target.Validate(); err != nil {
		return "", fmt.Errorf("recover: the release state before %q does not fit %s: %w", l.Op, StackFile(name), err)
	}
	r.logf("recover stack %s after %q (held by %s since %s): back to %s", name, l.Op, l.Holder, l.Since.UTC().Format(time.RFC3339), Describe(target))
	if r.DryRun {
		r.printPlan("recover", file, target)
		return "dry run: nothing was changed", nil
	}
	r.held = takeOver(r.Stack, *l)
	defer r.unlock(ctx)()
	r.restoring = true
	defer func() { r.restoring = false }()
	ctx = context.WithoutCancel(ctx)
	err = r.timed(ctx, "restoring the release state before "+l.Op, func() error { return r.restoreTo(ctx, file, target) })
	if errors.Is(err, ErrConcurrentUpdate) {
		// The killed run's own `pulumi up` still holds the stack.
		r.cancelPulumi(ctx)
		if err = r.Stack.SetApp(ctx, file); err == nil {
			err = r.timed(ctx, "restoring the release state before "+l.Op+" (again)", func() error { return r.restoreTo(ctx, file, target) })
		}
	}
	if err != nil {
		return "", &Failure{Op: "recover of stack " + name, Step: "restoring " + Describe(target), Err: err,
			State: "unknown: run `deploy status -s " + name + "`, then `deploy recover -s " + name + "` again"}
	}
	what := "recovered: " + Describe(target)
	if v := target.Fleet(target.Active).Version; v != "" {
		if out, err := r.Stack.Outputs(ctx); err == nil {
			if u, err := productionURL(out); err == nil {
				if s, err := r.checker(nil).Check(ctx, u, v); err != nil {
					what += fmt.Sprintf("; but production does not answer healthily on %s: %v", v, err)
				} else {
					r.logf("  production answers on %s: %s", v, s)
				}
			}
		}
	}
	what += runners
	r.notify(ctx, "%s", what)
	return what, nil
}

// recoverUnlocked is Recover when no lock is found: nothing says what a killed run began from.
// It changes nothing, but a canary still in progress is named, since a run killed during a bake
// whose lock was lost (a `pulumi up` outside cmd/deploy on Pulumi Cloud replaces the stack's
// tags) would leave it so, and `deploy rollback` ends it.
func (r *Releaser) recoverUnlocked(ctx context.Context) (string, error) {
	name := r.Stack.Name()
	what := fmt.Sprintf("stack %s is not held: nothing to recover", name)
	out, err := r.Stack.Outputs(ctx)
	if err != nil || len(out) == 0 {
		return what, nil
	}
	deployed, err := out.Deployed()
	if err != nil || deployed.CanaryWeight == 0 {
		return what, nil
	}
	return fmt.Sprintf("%s, but a %d%% canary to %s is deployed with no release running: if no release holds it, "+
		"`deploy rollback -s %s` sends all traffic back to %s", what, deployed.CanaryWeight, deployed.Idle(), name, deployed.Active), nil
}

// cancelPulumi cancels an update the killed run left holding the stack; none in progress is
// not an error worth more than a line.
func (r *Releaser) cancelPulumi(ctx context.Context) {
	if err := r.Stack.Cancel(ctx); err != nil {
		r.logf("  pulumi cancel: %v", err)
	} else {
		r.logf("  cancelled the update the killed run left holding the stack")
	}
}
