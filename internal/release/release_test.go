package release

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/webstack/webstack/contract"
)

func fleet(v string, min, desired, max int) contract.Fleet {
	return contract.Fleet{Version: v, Capacity: contract.Capacity{Min: min, Desired: desired, Max: max}}
}

func sameRelease(t *testing.T, got, want App) {
	t.Helper()
	if got.Active != want.Active || got.CanaryWeight != want.CanaryWeight || got.Blue != want.Blue || got.Green != want.Green {
		t.Errorf("config = %s, want %s", Describe(got), Describe(want))
	}
}

func TestReleaseHappyPathWithCanary(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	sum, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10, 50}, Bake: 30 * time.Second, Watch: 20 * time.Second})
	if err != nil {
		t.Fatalf("Release: %v\n%s", err, h.out)
	}
	want := liveBlue()
	want.Active = contract.Green
	want.Green = fleet("1.5.0", 2, 2, 4)
	sameRelease(t, h.stack.cfg, want)
	sameRelease(t, h.stack.deployed, want)
	// deploy (compute), canary 10 and 50 (listeners), flip (listeners).
	if h.stack.ups != 4 {
		t.Errorf("ups = %d, want 4\n%s", h.stack.ups, h.out)
	}
	for i, targets := range h.stack.targets[1:] {
		for _, u := range targets {
			if !strings.Contains(u, "$aws:lb/listener") && !strings.Contains(u, "MetricAlarm") {
				t.Errorf("up %d (a canary step or the flip) targets %s: only listeners, rules and the load balancer's alarms may change", i+2, u)
			}
		}
	}
	if sum.From != contract.Blue || sum.To != contract.Green || sum.Previous != fleet("1.4.2", 2, 2, 4) || sum.ProductionURL != h.stack.srv.URL+checkPath || sum.NoOp || sum.Flip <= 0 {
		t.Errorf("summary = %+v", sum)
	}
	if len(sum.Steps) != 7 || !strings.HasPrefix(sum.Steps[0].Name, "migration step") {
		t.Errorf("steps = %d, want 7 (migration, deploy, smoke, 2 canaries, flip, verify): %+v", len(sum.Steps), sum.Steps)
	}
	// Untouched fields survive the round trip.
	obj := h.stack.cfg.Object()
	if obj["instanceType"] != "t4g.small" || !reflect.DeepEqual(obj["testListenerCidrs"], []any{"203.0.113.0/24"}) {
		t.Errorf("unmanaged fields changed: %v", obj)
	}
	for _, s := range []string{"set webstack:app.green.version: \"\" -> \"1.5.0\"", "set webstack:app.activeColor: \"blue\" -> \"green\"", "flip took", "answered by 1.5.0×"} {
		if !strings.Contains(h.out.String(), s) {
			t.Errorf("progress lacks %q:\n%s", s, h.out)
		}
	}
	if h.stack.tags[LockTag] != "" {
		t.Errorf("the release lock is still held after the release: %s", h.stack.tags[LockTag])
	}
}

// TestReleaseScalesAWarmIdleColorFromZero: defect 1. A warm idle color is scaled to zero before
// the new version is deployed, so that the smoke test and the flip judge only instances that
// run the new version; an in-place update would have been checked on the old instances.
func TestReleaseScalesAWarmIdleColorFromZero(t *testing.T) {
	warm := liveBlue()
	warm.Green = fleet("1.3.0", 2, 2, 4)
	h := newHarness(warm)
	defer h.stack.close()
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0"}); err != nil {
		t.Fatalf("Release: %v\n%s", err, h.out)
	}
	want := []string{
		"set blue live on 1.4.2 (capacity 2/2/4); green idle on no version (capacity 2/2/4)",
		"up ok",
		"set blue live on 1.4.2 (capacity 2/2/4); green idle on 1.5.0 (capacity 2/2/4)",
		"up ok",
	}
	if got := h.stack.events[:4]; !reflect.DeepEqual(got, want) {
		t.Errorf("first steps %q\nwant %q", got, want)
	}
}

// TestChecksJudgeErrorRates: defect 2. A version answering 500 to one request in ten fails the
// smoke test, and the release restores what was deployed.
func TestChecksJudgeErrorRates(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.fail[contract.Green] = 10
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "smoke-testing green") || !strings.Contains(err.Error(), "requests failed, more than") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	sameRelease(t, h.stack.deployed, liveBlue())
	if !strings.Contains(f.State, "restored and applied") {
		t.Errorf("state = %q", f.State)
	}
}

// TestCanaryAndProductionChecksJudgeErrorRates: the same measure holds for a canary step and
// for the production check after the flip (which flips back).
func TestCanaryAndProductionChecksJudgeErrorRates(t *testing.T) {
	t.Run("canary", func(t *testing.T) {
		h := newHarness(liveBlue())
		defer h.stack.close()
		// Green passes its smoke test, then fails under production traffic.
		h.stack.upErr = func(cfg App, _ int) error {
			if cfg.CanaryWeight > 0 {
				h.stack.fail[contract.Green] = 1
			}
			return nil
		}
		_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{50}, Bake: 20 * time.Second})
		var f *Failure
		if !errors.As(err, &f) || !strings.Contains(f.Step, "canary 50%") {
			t.Fatalf("err = %v\n%s", err, h.out)
		}
		if h.stack.deployed.Active != contract.Blue || h.stack.deployed.CanaryWeight != 0 {
			t.Errorf("after the failed canary: %s", Describe(h.stack.deployed))
		}
	})
	t.Run("after the flip", func(t *testing.T) {
		h := newHarness(liveBlue())
		defer h.stack.close()
		h.stack.upErr = func(cfg App, _ int) error {
			if cfg.Active == contract.Green {
				h.stack.fail[contract.Green] = 5
			}
			return nil
		}
		_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Watch: 30 * time.Second})
		var f *Failure
		if !errors.As(err, &f) || !strings.Contains(f.Step, "verifying production") || !strings.Contains(f.State, "flipped back, production is on blue") {
			t.Fatalf("err = %v\n%s", err, h.out)
		}
		if h.stack.deployed.Active != contract.Blue {
			t.Errorf("after flipping back: %s", Describe(h.stack.deployed))
		}
	})
}

// TestAlarmsFailABake: an alarm of the new color in ALARM fails the canary step.
func TestAlarmsFailABake(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.cloud.alarms = []string{"webstack-prod-green-p99-latency", "webstack-prod-blue-target-5xx"}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}, Bake: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "alarms of green in ALARM: webstack-prod-green-p99-latency") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "blue-target-5xx") {
		t.Errorf("the live color's alarm was held against the new one: %v", err)
	}
}

// TestOnePathForEveryCheck: defect 3. The smoke test and the production checks send the same
// path (the release check URL); only the release-check secret tells the smoke test's requests
// apart.
func TestOnePathForEveryCheck(t *testing.T) {
	var smoke, prod []string
	h := newHarness(liveBlue())
	defer h.stack.close()
	inner := h.stack.srv.Config.Handler
	h.stack.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(contract.ReleaseCheckHeader) != "" {
			smoke = append(smoke, r.URL.Path)
		} else {
			prod = append(prod, r.URL.Path)
		}
		inner.ServeHTTP(w, r)
	})
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}, Bake: 10 * time.Second}); err != nil {
		t.Fatalf("Release: %v\n%s", err, h.out)
	}
	if len(smoke) == 0 || len(prod) == 0 {
		t.Fatalf("smoke requests %d, production requests %d", len(smoke), len(prod))
	}
	for _, p := range append(smoke, prod...) {
		if p != checkPath {
			t.Errorf("a check requested %s; every check uses %s", p, checkPath)
		}
	}
}

// TestReleaseRefusesAStaleStackFile: defect 4. With the stack file saying blue is live and the
// stack running green, the release changes nothing and names the difference.
func TestReleaseRefusesAStaleStackFile(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	running := liveBlue()
	running.Active = contract.Green
	running.Green = fleet("1.5.0", 2, 2, 4)
	h.stack.deployed = running
	_, err := h.r.Release(context.Background(), Options{Version: "1.6.0"})
	for _, s := range []string{"the release state in Pulumi.prod.yaml is not what is deployed", "deploy sync -s prod",
		`webstack:app.activeColor: the stack file says "blue", the stack runs "green"`,
		`webstack:app.green.version: the stack file says "", the stack runs "1.5.0"`} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("err = %v, want %q", err, s)
		}
	}
	if h.stack.ups != 0 || h.stack.sets != 0 {
		t.Errorf("a stale file changed the stack: %d ups, %d sets", h.stack.ups, h.stack.sets)
	}
	if err := h.r.Rollback(context.Background()); err == nil || !strings.Contains(err.Error(), "is not what is deployed") {
		t.Errorf("rollback from a stale file: %v", err)
	}
}

// TestReleaseNeedsSizeChangesAppliedFirst: a release changes only the release state, so a
// size change waiting in the stack file is refused (apply it with `deploy up`), never applied
// half-way through a release.
func TestReleaseNeedsSizeChangesAppliedFirst(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.cfg.Blue = fleet("1.4.2", 2, 3, 6)
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	for _, s := range []string{"holds size changes that were never applied", "webstack:app.blue.desiredCapacity: the stack file says 3, the stack runs 2", "deploy up -s prod"} {
		if err == nil || !strings.Contains(err.Error(), s) {
			t.Errorf("err = %v, want %q", err, s)
		}
	}
	if h.stack.ups != 0 {
		t.Errorf("%d ups", h.stack.ups)
	}
}

// TestReleaseKeepsTheStackFileSizes: the new color runs the sizes the file gives it, and an
// idle color too small to be the active one is refused before anything changes.
func TestReleaseKeepsTheStackFileSizes(t *testing.T) {
	app := liveBlue()
	app.Green = fleet("", 3, 3, 5)
	h := newHarness(app)
	defer h.stack.close()
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0"}); err != nil {
		t.Fatal(err)
	}
	if d := h.stack.deployed; d.Green != fleet("1.5.0", 3, 3, 5) || d.Blue != fleet("1.4.2", 2, 2, 4) {
		t.Errorf("after the release: %s", Describe(d))
	}

	// The first release (nothing live to compare with): the program's minActiveCapacity.
	small, err := ParseApp([]byte(`{"activeColor": "blue", "minActiveCapacity": 2,
		"blue": {"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 1, "desiredCapacity": 1, "maxSize": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(small)
	defer h2.stack.close()
	_, err = h2.r.Release(context.Background(), Options{Version: "1.5.0"})
	if err == nil || !strings.Contains(err.Error(), "webstack:app.green.minSize: 1 is below webstack:app.minActiveCapacity 2") || h2.stack.ups != 0 {
		t.Errorf("release to a small idle color: %v, %d ups", err, h2.stack.ups)
	}
}

// TestSyncWritesTheDeployedReleaseState: `deploy sync` brings a stale file up to what is
// deployed, keeps the file's sizes, changes nothing deployed, and waits for a held stack.
func TestSyncWritesTheDeployedReleaseState(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	running := liveBlue()
	running.Active = contract.Green
	running.Green = fleet("1.5.0", 2, 2, 4)
	h.stack.deployed = running
	h.stack.cfg.Blue.Capacity.Max = 6 // a size change of the file, not yet applied
	h.stack.tags[LockTag] = `{"holder":"ci","op":"release 1.6.0","token":"t"}`
	if _, err := h.r.Sync(context.Background()); err == nil || !strings.Contains(err.Error(), "held by ci") || h.stack.sets != 0 {
		t.Errorf("sync of a held stack: %v, %d sets", err, h.stack.sets)
	}
	delete(h.stack.tags, LockTag)
	changes, err := h.r.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := Keys(changes); strings.Join(got, " ") != "webstack:app.activeColor webstack:app.green.version" {
		t.Errorf("changes = %v", got)
	}
	want := running
	want.Blue.Capacity.Max = 6
	sameRelease(t, h.stack.cfg, want)
	if h.stack.ups != 0 {
		t.Errorf("sync ran %d ups", h.stack.ups)
	}
	if changes, err := h.r.Sync(context.Background()); err != nil || len(changes) != 0 {
		t.Errorf("a second sync: %v, %v", changes, err)
	}
	// Now the file agrees on the release state: up applies its size change.
	if err := h.r.Up(context.Background()); err != nil || h.stack.deployed.Blue.Capacity.Max != 6 {
		t.Errorf("up after sync: %v, deployed %s", err, Describe(h.stack.deployed))
	}
}

// TestOneReleaseAtATime: defect 7. While a release holds the stack, a second operator's
// rollback is refused with who holds it and how to clear a stale lock.
func TestOneReleaseAtATime(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	second := &Releaser{Stack: h.stack, Cloud: h.cloud, Runner: h.runner, Client: h.stack.srv.Client(), Holder: "bob@laptop", Now: h.r.Now, Sleep: h.r.Sleep}
	var rollbackErr error
	h.stack.upErr = func(cfg App, n int) error {
		if n == 2 { // the first canary step: the release holds the stack
			rollbackErr = second.Rollback(context.Background())
		}
		return nil
	}
	h.r.Holder = "ci run 42"
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}, Bake: 10 * time.Second}); err != nil {
		t.Fatalf("Release: %v", err)
	}
	var locked *ErrLocked
	if !errors.As(rollbackErr, &locked) || locked.Lock.Holder != "ci run 42" || !strings.Contains(rollbackErr.Error(), "deploy unlock -s prod") {
		t.Fatalf("rollback during the release: %v", rollbackErr)
	}
	if h.stack.deployed.Active != contract.Green {
		t.Errorf("the release did not complete: %s", Describe(h.stack.deployed))
	}
	// A lock left by a killed run is cleared with Unlock.
	h.stack.tags[LockTag] = `{"holder":"killed","op":"release 9.9.9","token":"x"}`
	if err := second.Retire(context.Background()); !errors.As(err, &locked) {
		t.Fatalf("retire under a stale lock: %v", err)
	}
	if l, err := second.Unlock(context.Background()); err != nil || l.Holder != "killed" || h.stack.tags[LockTag] != "" {
		t.Fatalf("unlock: %v, %+v, tag %q", err, l, h.stack.tags[LockTag])
	}
}

func TestFirstReleaseFromNothing(t *testing.T) {
	none := liveBlue()
	none.Blue.Version = ""
	h := newHarness(none)
	defer h.stack.close()
	if err := h.r.Rollback(context.Background()); err == nil || !strings.Contains(err.Error(), "nothing to roll back to") {
		t.Errorf("rollback with nothing deployed: %v", err)
	}
	// CI releases with a canary; the first release has nothing to split with and skips it.
	if _, err := h.r.Release(context.Background(), Options{Version: "1.0.0", Canary: []int{10, 50}, Bake: time.Minute}); err != nil {
		t.Fatalf("first release: %v\n%s", err, h.out)
	}
	if !strings.Contains(h.out.String(), "canary steps [10 50] are skipped") || h.stack.ups != 2 {
		t.Errorf("first release with a canary: %d ups\n%s", h.stack.ups, h.out)
	}
	if d := h.stack.deployed; d.Active != contract.Green || d.Green != fleet("1.0.0", 2, 2, 4) || d.Blue.Version != "" {
		t.Errorf("after the first release: %s", Describe(d))
	}
	if err := h.r.Rollback(context.Background()); err == nil || !strings.Contains(err.Error(), "the idle color blue is not warm") {
		t.Errorf("rollback after the first release: %v", err)
	}
}

func TestReleaseRejectsBadVersions(t *testing.T) {
	for _, v := range []string{"", "1.5 0", "42", "0123", "true", "-rc1", "v1/2", strings.Repeat("a", 129)} {
		h := newHarness(liveBlue())
		_, err := h.r.Release(context.Background(), Options{Version: v})
		h.stack.close()
		if err == nil {
			t.Errorf("version %q: no error", v)
			continue
		}
		if v != "" && !strings.Contains(err.Error(), `"`+v) {
			t.Errorf("version %q: error does not quote it: %v", v, err)
		}
		if h.stack.sets != 0 || h.stack.ups != 0 {
			t.Errorf("version %q: stack was touched (%d sets, %d ups)", v, h.stack.sets, h.stack.ups)
		}
	}
}

func TestReleaseUnhealthyIdleRestores(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.upErr = failWhen(func(a App) bool { return a.Green.Version == "1.5.0" }, errUnhealthy)
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !errors.Is(err, errUnhealthy) || !strings.Contains(f.Step, "deploying 1.5.0 to green") {
		t.Fatalf("err = %v", err)
	}
	sameRelease(t, h.stack.cfg, liveBlue())
}

func TestReleaseFlipFailureFlipsBack(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	flips := 0
	h.stack.upErr = func(a App, _ int) error {
		if a.Active == contract.Green {
			flips++
			if flips == 1 {
				return errors.New("listener update failed")
			}
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "flipping production") || !strings.Contains(f.State, "flipped back") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	if h.stack.cfg.Active != contract.Blue {
		t.Errorf("config after flip-back: %s", Describe(h.stack.cfg))
	}
}

// TestReleaseInterruptedStillRestores: an interrupt during a step (a cancelled context) still
// restores what was deployed, with a context of its own.
func TestReleaseInterruptedStillRestores(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	ctx, cancel := context.WithCancel(context.Background())
	h.stack.upErr = func(a App, n int) error {
		if n == 1 {
			cancel()
			return context.Canceled
		}
		return nil
	}
	_, err := h.r.Release(ctx, Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "restored and applied") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	sameRelease(t, h.stack.deployed, liveBlue())
	if h.stack.tags[LockTag] != "" {
		t.Errorf("the lock survived the interrupt")
	}
}

func TestReleaseConcurrentUpdateIsReportedNotRetried(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.upErr = func(App, int) error { return lockedErr() }
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	if !errors.Is(err, ErrConcurrentUpdate) || !strings.Contains(err.Error(), "not retried") || h.stack.ups != 1 {
		t.Fatalf("err = %v after %d ups", err, h.stack.ups)
	}
	sameRelease(t, h.stack.cfg, liveBlue())
}

func TestReleaseRefusesCanaryInProgressAndBadOptions(t *testing.T) {
	canary := liveBlue()
	canary.Green = fleet("1.5.0", 2, 2, 4)
	canary.CanaryWeight = 10
	h := newHarness(canary)
	defer h.stack.close()
	if _, err := h.r.Release(context.Background(), Options{Version: "1.6.0"}); err == nil || !strings.Contains(err.Error(), "canary is in progress") {
		t.Errorf("release during a canary: %v", err)
	}
	for _, ws := range [][]int{{0}, {100}, {50, 10}} {
		if _, err := h.r.Release(context.Background(), Options{Version: "1.6.0", Canary: ws}); err == nil {
			t.Errorf("canary %v accepted", ws)
		}
	}
}

func TestReleaseAlreadyLiveIsNoOp(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	sum, err := h.r.Release(context.Background(), Options{Version: "1.4.2"})
	if err != nil || !sum.NoOp || h.stack.ups != 0 {
		t.Fatalf("sum = %+v, err = %v, ups = %d", sum, err, h.stack.ups)
	}
}

func TestReleaseDryRunChangesNothing(t *testing.T) {
	warm := liveBlue()
	warm.Green = fleet("1.3.0", 2, 2, 4)
	h := newHarness(warm)
	defer h.stack.close()
	h.r.DryRun = true
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}}); err != nil {
		t.Fatal(err)
	}
	if h.stack.ups != 0 || h.stack.sets != 0 || len(h.stack.tags) != 0 {
		t.Errorf("dry run changed the stack: %d ups, %d sets, tags %v", h.stack.ups, h.stack.sets, h.stack.tags)
	}
	for _, s := range []string{"scale green (warm on 1.3.0) to zero", "webstack:app.green.version: \"1.3.0\" -> \"\"", "flip to green"} {
		if !strings.Contains(h.out.String(), s) {
			t.Errorf("dry run lacks %q:\n%s", s, h.out)
		}
	}
}

func TestRollbackFlipsBackAndVerifies(t *testing.T) {
	after := liveBlue()
	after.Active = contract.Green
	after.Green = fleet("1.5.0", 2, 2, 4)
	h := newHarness(after)
	defer h.stack.close()
	if err := h.r.Rollback(context.Background()); err != nil {
		t.Fatalf("Rollback: %v\n%s", err, h.out)
	}
	if h.stack.deployed.Active != contract.Blue || h.stack.ups != 1 || !strings.Contains(h.out.String(), "rollback took") {
		t.Errorf("after rollback: %s, %d ups\n%s", Describe(h.stack.deployed), h.stack.ups, h.out)
	}
	for _, u := range h.stack.targets[0] {
		if !strings.Contains(u, "$aws:lb/listener") && !strings.Contains(u, "MetricAlarm") {
			t.Errorf("rollback targets %s", u)
		}
	}
}

func TestRollbackDuringCanaryCancelsIt(t *testing.T) {
	canary := liveBlue()
	canary.Green = fleet("1.5.0", 2, 2, 4)
	canary.CanaryWeight = 10
	h := newHarness(canary)
	defer h.stack.close()
	if err := h.r.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := h.stack.deployed; d.Active != contract.Blue || d.CanaryWeight != 0 {
		t.Errorf("after rollback: %s", Describe(d))
	}
}

func TestRetireStopsTheIdleColor(t *testing.T) {
	after := liveBlue()
	after.Active = contract.Green
	after.Green = fleet("1.5.0", 2, 2, 4)
	h := newHarness(after)
	defer h.stack.close()
	if err := h.r.Retire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := h.stack.deployed; d.Blue != fleet("", 2, 2, 4) || d.Active != contract.Green {
		t.Errorf("after retire: %s", Describe(d))
	}
	if err := h.r.Retire(context.Background()); err != nil || h.stack.ups != 1 {
		t.Errorf("a second retire: %v, %d ups", err, h.stack.ups)
	}
}

// TestUpKeepsTheReleaseState: defect 5's command. `deploy up` applies the whole stack file only
// when its release state is what runs, so an infrastructure change never moves production.
func TestUpKeepsTheReleaseState(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	if err := h.r.Up(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h.stack.ups != 1 || len(h.stack.targets[0]) != 0 {
		t.Errorf("up: %d ups, targets %v; want one whole-stack up", h.stack.ups, h.stack.targets)
	}
	stale := liveBlue()
	stale.Active = contract.Green
	stale.Green = fleet("1.5.0", 2, 2, 4)
	h.stack.deployed = stale
	if err := h.r.Up(context.Background()); err == nil || !strings.Contains(err.Error(), "is not what is deployed") || h.stack.ups != 1 {
		t.Errorf("up from a stale file: %v (%d ups)", err, h.stack.ups)
	}
}

func TestStatusReportsDriftAndTheLock(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.cfg.Green = fleet("1.5.0", 2, 2, 4)
	h.stack.tags[LockTag] = `{"holder":"ci","op":"release 1.5.0","token":"t"}`
	st, err := h.r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Drift) != 1 || !strings.Contains(st.Drift[0], `green.version: the stack file says "1.5.0", the stack runs ""`) {
		t.Errorf("drift = %q", st.Drift)
	}
	if st.Lock == nil || st.Lock.Holder != "ci" || st.ActiveColor != contract.Blue || st.Green.Version != "" {
		t.Errorf("status = %+v", st)
	}
}
