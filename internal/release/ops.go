package release

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/webstack/webstack/contract"
)

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
	target, title, want, err := r.rollbackTarget(ctx, cur, out)
	if err != nil {
		return err
	}
	if err := target.Validate(); err != nil {
		return fmt.Errorf("rollback: the program would refuse the rolled-back config: %w; fix the sizes with `deploy up` first", err)
	}
	if r.DryRun {
		r.printPlan(title, cur, target)
		return nil
	}
	r.notify(ctx, "rollback started: %s", title)
	op := fmt.Sprintf("rollback of stack %q", name)
	if target.Active != cur.Active && r.Cloud != nil {
		if err := r.checkBeforeLive(ctx, out, target.Active, want); err != nil {
			return fmt.Errorf("rollback: refusing to make %s live: %w; nothing was changed; release the version you want instead", target.Active, err)
		}
	}
	took, err := r.applyRollback(ctx, op, title, cur, target)
	if err != nil {
		return err
	}
	r.logf("  rollback took %s", took.Round(10*time.Millisecond))
	if err := r.verifyProduction(ctx, out, want); err != nil {
		f := &Failure{Op: op, Step: "verifying production", Err: err, State: "rolled back but production does not answer healthily: " + Describe(target)}
		r.notify(ctx, "rollback: %v", f)
		return f
	}
	r.logf("rolled back: %s", Describe(target))
	r.notify(ctx, "rolled back in %s: %s", took.Round(time.Second), Describe(target))
	return nil
}

// rollbackTarget returns the release state a rollback of cur moves to, the step's title and
// the version production should then answer with: during a canary, all traffic back to the
// live color; otherwise the idle color made live, which must be warm and quiet.
func (r *Releaser) rollbackTarget(ctx context.Context, cur App, out Outputs) (target App, title, want string, err error) {
	target = cur
	if cur.CanaryWeight > 0 {
		target.CanaryWeight = 0
		title = fmt.Sprintf("cancel the %d%% canary, all traffic to %s", cur.CanaryWeight, cur.Active)
		return target, title, cur.Fleet(cur.Active).Version, nil
	}
	to := cur.Idle()
	if err := contractRefusal(cur, r.Stack.Name()); err != nil {
		return target, "", "", err
	}
	if !runs(cur, to) {
		what := "it runs no version"
		if cur.Fleet(to).Version != "" {
			what = "it has no instances"
		}
		return target, "", "", fmt.Errorf("rollback: nothing to roll back to on stack %q: the idle color %s is not warm (%s: it was retired, or no release has been made before the current one); release the version you want instead", r.Stack.Name(), to, what)
	}
	target.Active = to
	want = cur.Fleet(to).Version
	title = fmt.Sprintf("flip production from %s to %s (%s)", cur.Active, to, want)
	// A color whose alarms fire (a version a release rejected and could not stop) is no
	// place to send production.
	if r.Cloud != nil {
		if err := r.alarms(ctx, out, to); err != nil {
			return target, "", "", fmt.Errorf("rollback: refusing to make %s live: %w; release the version you want instead", to, err)
		}
	}
	return target, title, want, nil
}

// checkBeforeLive checks, through the release-check path, that every answer of color comes
// from version want: a color whose version changed in place would still serve a mix.
func (r *Releaser) checkBeforeLive(ctx context.Context, out Outputs, color contract.Color, want string) error {
	step := fmt.Sprintf("checking %s on %s before it takes production (the release-check path with its secret)", color, want)
	return r.timed(ctx, step, func() error {
		checkURL, header, err := r.releaseCheck(ctx, out)
		if err != nil {
			return err
		}
		s, err := r.checker(header).Check(ctx, checkURL, want)
		if s != nil {
			r.logf("  %s", s)
		}
		return err
	})
}

// applyRollback applies target with a targeted update and returns how long it took. When the
// update fails, the error is a *Failure that says what state the stack is left in.
func (r *Releaser) applyRollback(ctx context.Context, op, title string, cur, target App) (time.Duration, error) {
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
		name := r.Stack.Name()
		f := &Failure{Op: op, Step: title, Err: err}
		if errors.Is(err, ErrConcurrentUpdate) {
			f.State = r.keepApplied(context.WithoutCancel(ctx), cur, "the refused update changed nothing")
		} else if serr := r.Stack.SetApp(context.WithoutCancel(ctx), cur); serr != nil {
			f.State = fmt.Sprintf("unknown: the update may have partly applied, and resetting the config failed (%v): check `deploy status -s %s`", serr, name)
		} else {
			f.State = fmt.Sprintf("unknown: the update may have partly applied; the config is back to %s (what the stack's outputs say): check `deploy status -s %s` and run `deploy rollback` again", Describe(cur), name)
		}
		r.notify(ctx, "rollback FAILED: %v", f)
		return took, f
	}
	return took, nil
}

// verifyProduction checks that production answers healthily with version want.
func (r *Releaser) verifyProduction(ctx context.Context, out Outputs, want string) error {
	u, err := productionURL(out)
	if err != nil {
		return err
	}
	return r.timed(ctx, "verifying production on "+want, func() error {
		s, err := r.checker(nil).Check(ctx, u, want)
		if s != nil {
			r.logf("  %s", s)
		}
		return err
	})
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
	target.SetFleet(idle, contract.Fleet{Capacity: f.Capacity})
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
	synced := file.WithState(dep.State())
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
	Stack         string         `json:"stack"`
	ActiveColor   contract.Color `json:"activeColor"`
	IdleColor     contract.Color `json:"idleColor"`
	CanaryWeight  int            `json:"canaryWeight"`
	Blue          contract.Fleet `json:"blue"`
	Green         contract.Fleet `json:"green"`
	TestURL       string         `json:"testUrl,omitempty"`
	ProductionURL string         `json:"productionUrl,omitempty"`
	SiteURL       string         `json:"siteUrl,omitempty"`
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
	st.TestURL, st.ProductionURL, st.SiteURL = out.String(contract.OutTestURL), out.String(contract.OutReleaseCheckURL), out.String(contract.OutSiteURL)
	sort.Strings(st.Drift)
	return st, nil
}
