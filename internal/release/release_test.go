package release

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func fleet(v string, min, desired, max int) Fleet {
	return Fleet{Version: v, Capacity: Capacity{Min: min, Desired: desired, Max: max}}
}

func sameRelease(t *testing.T, got, want App) {
	t.Helper()
	if got.Active != want.Active || got.CanaryWeight != want.CanaryWeight || got.Blue != want.Blue || got.Green != want.Green {
		t.Errorf("config = %s, want %s", Describe(got), Describe(want))
	}
}

func TestReleaseHappyPathWithCanary(t *testing.T) {
	h := newHarness(liveBlue())
	sum, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10, 50}, Bake: 30 * time.Second})
	if err != nil {
		t.Fatalf("Release: %v\n%s", err, h.out)
	}
	want := liveBlue()
	want.Active = Green
	want.Green = fleet("1.5.0", 2, 2, 4)
	sameRelease(t, h.stack.cfg, want)
	sameRelease(t, h.stack.deployed, want)
	if h.stack.ups != 4 { // deploy, canary 10, canary 50, flip
		t.Errorf("ups = %d, want 4\n%s", h.stack.ups, h.out)
	}
	if h.probe.calls[0] != testURL {
		t.Errorf("first probe = %q, want the test listener %q", h.probe.calls[0], testURL)
	}
	if last := h.probe.calls[len(h.probe.calls)-1]; last != prodURL {
		t.Errorf("last probe = %q, want production %q", last, prodURL)
	}
	// 30 s bake at a 10 s interval: checks at 0, 10, 20, 30 s per weight.
	if n := strings.Count(strings.Join(h.probe.calls, " "), prodURL); n != 2*4+1 {
		t.Errorf("production probes = %d, want 9: %v", n, h.probe.calls)
	}
	if sum.From != Blue || sum.To != Green || sum.Previous != fleet("1.4.2", 2, 2, 4) || sum.ProductionURL != prodURL || sum.NoOp {
		t.Errorf("summary = %+v", sum)
	}
	if len(sum.Steps) != 6 {
		t.Errorf("steps = %d, want 6 (deploy, smoke, 2 canaries, flip, verify): %+v", len(sum.Steps), sum.Steps)
	}
	// Untouched fields survive the round trip.
	obj := h.stack.cfg.Object()
	if obj["instanceType"] != "t4g.small" || !reflect.DeepEqual(obj["testListenerCidrs"], []any{"203.0.113.0/24"}) {
		t.Errorf("unmanaged fields changed: %v", obj)
	}
	for _, s := range []string{"set webstack:app.green.version: \"\" -> \"1.5.0\"", "set webstack:app.activeColor: \"blue\" -> \"green\"", "s] "} {
		if !strings.Contains(h.out.String(), s) {
			t.Errorf("progress lacks %q:\n%s", s, h.out)
		}
	}
}

func TestReleaseRejectsBadVersions(t *testing.T) {
	for _, v := range []string{"", "1.5 0", "42", "0123", "true", "-rc1", "v1/2", strings.Repeat("a", 129)} {
		h := newHarness(liveBlue())
		_, err := h.r.Release(context.Background(), Options{Version: v})
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

func TestReleaseAcceptsTagLikeVersions(t *testing.T) {
	for _, v := range []string{"1.5.0", "v2", "2024-06-01.3", "1.5.0-rc.1", "sha-3f2a9c1"} {
		if err := ValidateVersion(v); err != nil {
			t.Errorf("ValidateVersion(%q) = %v", v, err)
		}
	}
}

func TestReleaseUnhealthyIdleRestores(t *testing.T) {
	h := newHarness(liveBlue())
	h.stack.upErr = failWhen(func(a App) bool { return a.Green.Version == "1.5.0" }, errUnhealthy)
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("err = %v, want *Failure", err)
	}
	if !strings.Contains(f.Step, "deploying 1.5.0 to green") || !errors.Is(err, errUnhealthy) {
		t.Errorf("failure = %v", err)
	}
	if !strings.Contains(f.State, "previous config restored") {
		t.Errorf("state = %q", f.State)
	}
	sameRelease(t, h.stack.cfg, liveBlue())
	sameRelease(t, h.stack.deployed, liveBlue())
	if h.stack.ups != 2 {
		t.Errorf("ups = %d, want 2 (failed deploy, restore)", h.stack.ups)
	}
	if len(h.probe.calls) != 0 {
		t.Errorf("probed after a failed up: %v", h.probe.calls)
	}
}

func TestReleaseSmokeFailureRestores(t *testing.T) {
	h := newHarness(liveBlue())
	h.probe.fail = func(url string) error {
		if url == testURL {
			return errors.New("status 503 Service Unavailable")
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "smoke-testing green") {
		t.Fatalf("err = %v, want a smoke-test failure", err)
	}
	if !strings.Contains(err.Error(), "503") || !strings.Contains(f.State, "production was not switched") {
		t.Errorf("message lacks cause or state: %v", err)
	}
	sameRelease(t, h.stack.deployed, liveBlue())
	if h.stack.ups != 2 {
		t.Errorf("ups = %d, want 2 (deploy, restore)", h.stack.ups)
	}
}

func TestReleaseCanaryFailureRestores(t *testing.T) {
	h := newHarness(liveBlue())
	h.probe.fail = func(url string) error {
		if url == prodURL && h.stack.deployed.CanaryWeight == 50 {
			return errors.New("status 502 Bad Gateway")
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10, 50}, Bake: time.Minute})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "canary 50% to green") {
		t.Fatalf("err = %v, want a canary failure", err)
	}
	sameRelease(t, h.stack.cfg, liveBlue())
	sameRelease(t, h.stack.deployed, liveBlue())
	if h.stack.ups != 4 { // deploy, canary 10, canary 50, restore
		t.Errorf("ups = %d, want 4", h.stack.ups)
	}
}

func TestReleaseFlipFailureFlipsBack(t *testing.T) {
	h := newHarness(liveBlue())
	calls := 0
	h.stack.upErr = func(a App, _ int) error {
		if a.Active == Green {
			calls++
			if calls == 1 {
				return errors.New("listener update failed")
			}
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "flipping production from blue to green") {
		t.Fatalf("err = %v, want a flip failure", err)
	}
	want := liveBlue()
	want.Green = fleet("1.5.0", 2, 2, 4) // kept warm for inspection
	sameRelease(t, h.stack.deployed, want)
	sameRelease(t, h.stack.cfg, want)
	if !strings.Contains(f.State, "flipped back, production is on blue") || !strings.Contains(f.State, "deploy retire -s prod") {
		t.Errorf("state = %q", f.State)
	}
}

func TestReleaseVerifyFailureFlipsBack(t *testing.T) {
	h := newHarness(liveBlue())
	h.probe.fail = func(url string) error {
		if url == prodURL && h.stack.deployed.Active == Green {
			return errors.New("status 500")
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "verifying production on green") {
		t.Fatalf("err = %v, want a verify failure", err)
	}
	if h.stack.deployed.Active != Blue || h.stack.ups != 3 {
		t.Errorf("deployed %s after %d ups, want blue live after 3", Describe(h.stack.deployed), h.stack.ups)
	}
}

func TestReleaseInterruptedStillRestores(t *testing.T) {
	h := newHarness(liveBlue())
	ctx, cancel := context.WithCancel(context.Background())
	h.probe.fail = func(url string) error {
		cancel() // Ctrl-C during the smoke test
		return context.Canceled
	}
	h.stack.upErr = func(App, int) error { return nil }
	_, err := h.r.Release(ctx, Options{Version: "1.5.0"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the interruption", err)
	}
	sameRelease(t, h.stack.deployed, liveBlue())
	if h.stack.ups != 2 {
		t.Errorf("ups = %d, want 2 (deploy, restore despite the interrupt)", h.stack.ups)
	}
}

func TestReleaseRestoreFailureSaysStateIsUnknown(t *testing.T) {
	h := newHarness(liveBlue())
	h.stack.upErr = func(App, int) error { return errors.New("provider crashed") }
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "restoring the previous config failed too") ||
		!strings.Contains(f.State, "deploy status -s prod") {
		t.Fatalf("err = %v", err)
	}
}

func TestReleaseConcurrentUpdateIsReportedNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name    string
		failAt  func(App) bool
		ups     int
		applied App
	}{
		{"at deploy", func(a App) bool { return a.Green.Version == "1.5.0" && a.Active == Blue }, 1, liveBlue()},
		{"at flip", func(a App) bool { return a.Active == Green }, 2, func() App {
			a := liveBlue()
			a.Green = fleet("1.5.0", 2, 2, 4)
			return a
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(liveBlue())
			h.stack.upErr = failWhen(tc.failAt, lockedErr())
			_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
			if !errors.Is(err, ErrConcurrentUpdate) {
				t.Fatalf("err = %v, want ErrConcurrentUpdate", err)
			}
			if h.stack.ups != tc.ups {
				t.Errorf("ups = %d, want %d (no retry, no restore up)", h.stack.ups, tc.ups)
			}
			if !strings.Contains(err.Error(), "not retried") {
				t.Errorf("message does not say it was not retried: %v", err)
			}
			sameRelease(t, h.stack.cfg, tc.applied)
		})
	}
}

func TestReleaseRefusesCanaryInProgressAndBadOptions(t *testing.T) {
	canary := liveBlue()
	canary.Green = fleet("1.5.0", 2, 2, 4)
	canary.CanaryWeight = 10
	for _, tc := range []struct {
		app  App
		o    Options
		want string
	}{
		{canary, Options{Version: "1.6.0"}, "canaryWeight 10"},
		{liveBlue(), Options{Version: "1.5.0", Canary: []int{50, 10}}, "must increase"},
		{liveBlue(), Options{Version: "1.5.0", Canary: []int{0}}, "canary weight 0"},
		{liveBlue(), Options{Version: "1.5.0", SmokePath: "health"}, `smoke path "health"`},
	} {
		h := newHarness(tc.app)
		_, err := h.r.Release(context.Background(), tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.o, err, tc.want)
		}
		if h.stack.ups != 0 {
			t.Errorf("%+v: ran up", tc.o)
		}
	}
}

func TestReleaseAlreadyLiveIsNoOp(t *testing.T) {
	h := newHarness(liveBlue())
	sum, err := h.r.Release(context.Background(), Options{Version: "1.4.2"})
	if err != nil || !sum.NoOp || h.stack.ups != 0 {
		t.Fatalf("sum=%+v err=%v ups=%d", sum, err, h.stack.ups)
	}
}

func TestReleaseDryRunChangesNothing(t *testing.T) {
	h := newHarness(liveBlue())
	h.r.DryRun = true
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{25}}); err != nil {
		t.Fatal(err)
	}
	if h.stack.sets != 0 || h.stack.ups != 0 || len(h.probe.calls) != 0 {
		t.Errorf("dry run touched the stack: %d sets, %d ups, probes %v", h.stack.sets, h.stack.ups, h.probe.calls)
	}
	for _, s := range []string{
		`webstack:app.green.version: "" -> "1.5.0"`,
		`webstack:app.green.desiredCapacity: 0 -> 2`,
		`webstack:app.canaryWeight: 0 -> 25`,
		`webstack:app.canaryWeight: 25 -> 0`,
		`webstack:app.activeColor: "blue" -> "green"`,
	} {
		if !strings.Contains(h.out.String(), s) {
			t.Errorf("dry run output lacks %q:\n%s", s, h.out)
		}
	}
}

func releasedGreen() App {
	a := liveBlue()
	a.Active = Green
	a.Green = fleet("1.5.0", 2, 2, 4)
	return a
}

func TestRollbackFlipsBack(t *testing.T) {
	h := newHarness(releasedGreen())
	if err := h.r.Rollback(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	want := releasedGreen()
	want.Active = Blue
	sameRelease(t, h.stack.deployed, want)
	if got := h.probe.calls; len(got) != 1 || got[0] != prodURL {
		t.Errorf("probes = %v, want one production check", got)
	}
}

func TestRollbackRefusesWithoutCapacityOrVersion(t *testing.T) {
	noVersion := releasedGreen()
	noVersion.Blue = fleet("", 0, 0, 4)
	retired := releasedGreen()
	retired.Blue = fleet("1.4.2", 0, 0, 4)
	for _, tc := range []struct {
		app  App
		want string
	}{
		{liveBlue(), `back to green: it has no capacity (min/desired/max 0/0/4)`},
		{retired, `back to blue: it has no capacity`},
	} {
		h := newHarness(tc.app)
		err := h.r.Rollback(context.Background(), "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", Describe(tc.app), err, tc.want)
		}
		if h.stack.sets != 0 || h.stack.ups != 0 {
			t.Errorf("%s: stack was touched", Describe(tc.app))
		}
	}
	// A color with capacity and no version is rejected as invalid config before anything.
	h := newHarness(releasedGreen())
	h.stack.cfg.Blue = fleet("", 2, 2, 4)
	if err := h.r.Rollback(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "no version") {
		t.Errorf("err = %v, want no version", err)
	}
}

func TestRollbackDuringCanaryCancelsIt(t *testing.T) {
	canary := liveBlue()
	canary.Green = fleet("1.5.0", 2, 2, 4)
	canary.CanaryWeight = 50
	h := newHarness(canary)
	if err := h.r.Rollback(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if h.stack.deployed.Active != Blue || h.stack.deployed.CanaryWeight != 0 {
		t.Errorf("deployed %s, want blue live without canary", Describe(h.stack.deployed))
	}
}

func TestRollbackFailures(t *testing.T) {
	h := newHarness(releasedGreen())
	h.stack.upErr = func(App, int) error { return lockedErr() }
	err := h.r.Rollback(context.Background(), "")
	if !errors.Is(err, ErrConcurrentUpdate) || h.stack.ups != 1 {
		t.Errorf("locked: err = %v after %d ups", err, h.stack.ups)
	}
	sameRelease(t, h.stack.cfg, releasedGreen())

	h = newHarness(releasedGreen())
	h.probe.fail = func(string) error { return errors.New("status 503") }
	err = h.r.Rollback(context.Background(), "")
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "production does not answer") {
		t.Errorf("verify: err = %v", err)
	}
}

func TestRetire(t *testing.T) {
	h := newHarness(releasedGreen())
	if err := h.r.Retire(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.stack.deployed.Blue; got != fleet("1.4.2", 0, 0, 4) {
		t.Errorf("blue = %v, want version kept and capacity 0/0/4", got)
	}
	if h.stack.deployed.Green != fleet("1.5.0", 2, 2, 4) {
		t.Errorf("green changed: %v", h.stack.deployed.Green)
	}
	// Already retired: nothing to do.
	ups := h.stack.ups
	if err := h.r.Retire(context.Background()); err != nil || h.stack.ups != ups {
		t.Errorf("second retire: err=%v ups %d -> %d", err, ups, h.stack.ups)
	}
	// Refused during a canary.
	canary := liveBlue()
	canary.Green = fleet("1.5.0", 2, 2, 4)
	canary.CanaryWeight = 10
	h = newHarness(canary)
	if err := h.r.Retire(context.Background()); err == nil || !strings.Contains(err.Error(), "canary in progress") {
		t.Errorf("err = %v", err)
	}
	// Dry run.
	h = newHarness(releasedGreen())
	h.r.DryRun = true
	if err := h.r.Retire(context.Background()); err != nil || h.stack.ups != 0 ||
		!strings.Contains(h.out.String(), "webstack:app.blue.desiredCapacity: 2 -> 0") {
		t.Errorf("dry run: err=%v ups=%d out:\n%s", err, h.stack.ups, h.out)
	}
}

func TestStatusReportsDrift(t *testing.T) {
	h := newHarness(liveBlue())
	h.stack.cfg.Green = fleet("1.5.0", 2, 2, 4) // set but never applied
	st, err := h.r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.ActiveColor != Blue || st.IdleColor != Green || st.ProductionURL != "https://site.example/api" || st.TestURL != "http://alb.example:9000" {
		t.Errorf("status = %+v", st)
	}
	if len(st.Drift) != 1 || !strings.Contains(st.Drift[0], `greenVersion "1.5.0", last update deployed ""`) {
		t.Errorf("drift = %q", st.Drift)
	}
}
