package release

// The ways the adversarial review of the release tool found to put a bad or old version live,
// or leave production half-switched; each test failed before its fix.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/webstack/webstack/contract"
)

// After a release that failed after the flip, the rejected version is stopped, so that a later
// `deploy rollback` (what an on-call runs when errors show) cannot make it live again.
func TestFlipBackStopsTheRejectedVersion(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	// 1.5.0 passes the health path, but its own alarm fires once it serves production.
	h.stack.upErr = func(a App, _ int) error {
		if a.Active == contract.Green {
			h.cloud.mu.Lock()
			h.cloud.alarms = []string{"webstack-prod-green-target-5xx"}
			h.cloud.mu.Unlock()
		}
		return nil
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Watch: 20 * time.Second})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "flipped back") || !strings.Contains(f.State, "the rejected 1.5.0 was stopped on green") {
		t.Fatalf("release: %v\n%s", err, h.out)
	}
	if d := h.stack.deployed; d.Active != contract.Blue || d.Green.Version != "" {
		t.Errorf("after the flip-back: %s; want blue live and green stopped", Describe(d))
	}
	h.stack.upErr = nil
	if err := h.r.Rollback(context.Background()); err == nil || !strings.Contains(err.Error(), "nothing to roll back to") {
		t.Errorf("rollback after a rejected release: %v", err)
	}
	if h.stack.deployed.Active != contract.Blue {
		t.Errorf("rollback made the rejected color live: %s", Describe(h.stack.deployed))
	}
}

// Rollback refuses a color whose alarms are in ALARM (a rejected version that could not be
// stopped, or a color gone bad while idle).
func TestRollbackRefusesAColorInAlarm(t *testing.T) {
	a := liveBlue()
	a.Active = contract.Green
	a.Green = fleet("1.5.0", 2, 2, 4)
	h := newHarness(a)
	defer h.stack.close()
	h.cloud.alarms = []string{"webstack-prod-blue-unhealthy-hosts"}
	err := h.r.Rollback(context.Background())
	if err == nil || !strings.Contains(err.Error(), "refusing to make blue live: alarms of blue in ALARM: webstack-prod-blue-unhealthy-hosts") {
		t.Errorf("rollback onto a color in ALARM: %v", err)
	}
	if h.stack.ups != 0 || h.stack.deployed.Active != contract.Green {
		t.Errorf("%d ups, %s", h.stack.ups, Describe(h.stack.deployed))
	}
}

// The flip never moves production onto fewer instances than it runs on.
func TestReleaseRefusesASmallerFleet(t *testing.T) {
	a := liveBlue()
	a.Blue = fleet("1.4.2", 6, 6, 12) // scaled up with `deploy up` for the season
	h := newHarness(a)
	defer h.stack.close()
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}, Bake: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "the flip would move production from 6 instances (blue, 6/6/12) to 2 (green, 2/2/4)") ||
		!strings.Contains(err.Error(), "webstack:app.green at least the live color's minSize 6 and desiredCapacity 6") {
		t.Errorf("release onto a third of the fleet: %v", err)
	}
	if h.stack.ups != 0 || h.stack.sets != 0 {
		t.Errorf("%d ups, %d sets", h.stack.ups, h.stack.sets)
	}
}

// A release that could outlast the AWS credentials is refused before it starts: a failure found
// after they expired (a canary's alarm) could not be undone.
func TestReleaseRefusesToOutlastTheCredentials(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.cloud.expires = h.r.now().Add(time.Hour)
	o := Options{Version: "1.5.0", Canary: []int{10, 50}, Bake: 30 * time.Minute}
	_, err := h.r.Release(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "the AWS credentials expire in 1h0m0s, and this release can take up to 1h53m0s") {
		t.Fatalf("release longer than the session: %v", err)
	}
	if h.stack.ups != 0 {
		t.Errorf("%d ups", h.stack.ups)
	}
	o.Bake = 5 * time.Minute
	h.cloud.expires = h.r.now().Add(3 * time.Hour)
	if _, err := h.r.Release(context.Background(), o); err != nil {
		t.Errorf("release well within the session: %v", err)
	}
}

// Production is watched after the flip for as long as the new color's slowest alarm needs, and
// a shorter watch or bake is called out.
func TestWatchLastsTheAlarmWindow(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.cloud.window = 10 * time.Minute
	sum, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	if err != nil {
		t.Fatal(err)
	}
	last := sum.Steps[len(sum.Steps)-1]
	if !strings.Contains(last.Name, "then 13m0s of watching") || last.Duration < 13*time.Minute {
		t.Errorf("watch step %q took %s; want the 10-minute alarm window and the metrics' 3-minute delay", last.Name, last.Duration)
	}

	a := liveBlue()
	a.Active, a.Green = contract.Green, fleet("1.5.0", 2, 2, 4)
	h2 := newHarness(a)
	defer h2.stack.close()
	h2.cloud.window = 10 * time.Minute
	if _, err := h2.r.Release(context.Background(), Options{Version: "1.6.0", Canary: []int{10}, Bake: time.Minute, Watch: time.Minute}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"warning: --watch 1m0s is shorter than the longest alarm window of blue (10m0s)", "warning: --bake 1m0s is shorter"} {
		if !strings.Contains(h2.out.String(), want) {
			t.Errorf("progress lacks %q", want)
		}
	}
}

// A canary that fails is taken back with a targeted update of the listeners before the new
// color is scaled down: no listener forwards to a draining target group.
func TestCanaryRestoreTakesTrafficBackFirst(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.upErr = func(a App, _ int) error {
		if a.CanaryWeight == 50 {
			h.cloud.mu.Lock()
			h.cloud.alarms = []string{"webstack-prod-green-target-5xx"}
			h.cloud.mu.Unlock()
		}
		return nil
	}
	if _, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{50}, Bake: time.Minute}); err == nil {
		t.Fatal("release passed")
	}
	n := len(h.stack.targets)
	restoreTraffic, restoreFleets := h.stack.targets[n-2], h.stack.targets[n-1]
	for _, u := range restoreTraffic {
		if strings.Contains(u, "autoscaling/group") {
			t.Errorf("the restore's first update changes a fleet: %v", restoreTraffic)
		}
	}
	hasASG := false
	for _, u := range restoreFleets {
		hasASG = hasASG || strings.Contains(u, "autoscaling/group")
	}
	if !hasASG {
		t.Errorf("the restore's second update does not scale the new color down: %v", restoreFleets)
	}
	if d := h.stack.deployed; d.CanaryWeight != 0 || d.Green.Version != "" {
		t.Errorf("after the restore: %s", Describe(d))
	}
}

// An operator who lost the lock to a slow writer (both read their own token back) stops before
// the first change: every update re-checks the lock.
func TestLostLockStopsBeforeAnyChange(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.upErr = nil
	ctx := context.Background()
	cur, _, unlock, err := h.r.begin(ctx, "release 1.5.0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	h.stack.tags[LockTag] = `{"holder":"CI run","op":"release 1.6.0","token":"theirs"}` // the slow write lands
	next := cur
	next.Green.Version = "1.5.0"
	err = h.r.apply(ctx, cur, next, nil)
	var locked *ErrLocked
	if !errors.As(err, &locked) || locked.Lock.Holder != "CI run" || h.stack.ups != 0 || h.stack.sets != 0 {
		t.Errorf("apply after losing the lock: %v, %d ups, %d sets", err, h.stack.ups, h.stack.sets)
	}
}

// A release from a checkout whose other settings are not what is deployed is refused before
// anything changes: its compute-wide updates would apply them to the live color too.
func TestReleaseRefusesChangesBesidesTheRelease(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	stale, err := ParseApp([]byte(`{
		"port": 8080, "healthCheckPath": "/health-of-an-old-checkout", "instanceType": "t4g.small",
		"activeColor": "blue", "canaryWeight": 0, "testListenerPort": 9000,
		"testListenerCidrs": ["203.0.113.0/24"], "deregistrationDelay": 30,
		"blue": {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	h.stack.cfg = stale
	_, err = h.r.Release(context.Background(), Options{Version: "1.5.0"})
	for _, want := range []string{"Pulumi.prod.yaml would change 1 resource(s) besides the release", "update app (webstack:app.healthCheckPath)", "deploy up -s prod"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("release from a checkout with other changes: %v, want %q", err, want)
		}
	}
	if h.stack.ups != 0 || h.stack.sets != 0 {
		t.Errorf("%d ups, %d sets", h.stack.ups, h.stack.sets)
	}
}

// Rollback refuses a config the program would refuse, instead of writing it and leaving the
// stack file saying production moved when it did not; a failed rollback update resets the file.
func TestRollbackNeverLeavesTheFileAhead(t *testing.T) {
	a, err := ParseApp([]byte(`{"minActiveCapacity": 2, "activeColor": "green", "canaryWeight": 0,
		"blue": {"version": "1.4.2", "minSize": 1, "desiredCapacity": 1, "maxSize": 4},
		"green": {"version": "1.5.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(a)
	defer h.stack.close()
	err = h.r.Rollback(context.Background())
	if err == nil || !strings.Contains(err.Error(), "the program would refuse the rolled-back config") || h.stack.sets != 0 || h.stack.ups != 0 {
		t.Errorf("rollback to a color below minActiveCapacity: %v, %d sets, %d ups", err, h.stack.sets, h.stack.ups)
	}

	b := liveBlue()
	b.Active, b.Green = contract.Green, fleet("1.5.0", 2, 2, 4)
	h2 := newHarness(b)
	defer h2.stack.close()
	h2.stack.upErr = func(App, int) error { return errors.New("pulumi up: exit status 255") }
	err = h2.r.Rollback(context.Background())
	if err == nil || h2.stack.cfg.Active != contract.Green {
		t.Errorf("failed rollback: %v; file now %s, want it back on green", err, Describe(h2.stack.cfg))
	}
	h2.stack.upErr = nil
	if err := h2.r.Rollback(context.Background()); err != nil || h2.stack.deployed.Active != contract.Blue {
		t.Errorf("rollback after the failed one: %v, %s", err, Describe(h2.stack.deployed))
	}
}

// `deploy recover` after a killed release (a cancelled CI job: SIGINT, SIGTERM, SIGKILL within
// 10 s, no time to restore): the lock recorded the release state before the release, and
// recover brings the stack back to it, listeners first, cancelling the update the killed run
// left holding the stack.
func TestRecoverAfterAKilledRelease(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	ctx := context.Background()
	h.r.Holder = "https://github.com/acme/shop/actions/runs/7"
	// What the killed run left: a 50 % canary deployed and in the file, its lock with the
	// release state before it, and its own `pulumi up` still holding the stack.
	h.stack.mu.Lock()
	h.stack.deployed.CanaryWeight, h.stack.deployed.Green = 50, fleet("1.5.0", 2, 2, 4)
	h.stack.cfg = h.stack.deployed
	h.stack.tags[LockTag] = `{"holder":"https://github.com/acme/shop/actions/runs/7","op":"release 1.5.0","token":"k",` +
		`"before":{"activeColor":"blue","canaryWeight":0,"blueVersion":"1.4.2","greenVersion":""}}`
	h.stack.stuck, h.stack.upErr = true, nil
	h.stack.mu.Unlock()

	other := *h.r
	other.Holder = "alice@laptop"
	if _, err := other.Recover(ctx, false); err == nil || !strings.Contains(err.Error(), "held by https://github.com/acme/shop/actions/runs/7") {
		t.Errorf("recover by another holder without --force: %v", err)
	}
	what, err := h.r.Recover(ctx, false)
	if err != nil {
		t.Fatalf("recover: %v\n%s", err, h.out)
	}
	if d := h.stack.deployed; d.CanaryWeight != 0 || d.Active != contract.Blue || d.Green.Version != "" || d.Blue.Version != "1.4.2" {
		t.Errorf("after recover: %s", Describe(d))
	}
	if h.stack.cancels != 1 || h.stack.tags[LockTag] != "" || !strings.Contains(what, "recovered: blue live on 1.4.2") {
		t.Errorf("cancels %d, lock %q, result %q", h.stack.cancels, h.stack.tags[LockTag], what)
	}
	if what, err := h.r.Recover(ctx, false); err != nil || !strings.Contains(what, "nothing to recover") {
		t.Errorf("a second recover: %q, %v", what, err)
	}
	// A lock that recorded no release state (a killed `deploy up`) is only cleared.
	h.stack.tags[LockTag] = `{"holder":"alice@laptop","op":"up","token":"u"}`
	if what, err := other.Recover(ctx, false); err != nil || !strings.Contains(what, "changes no release state") || h.stack.tags[LockTag] != "" {
		t.Errorf("recover of a killed up: %q, %v", what, err)
	}
	// Nor is one of a killed `deploy up` that recorded the release state: its half-applied
	// update is the stack file's infrastructure, which only `deploy up` finishes.
	ups := h.stack.ups
	h.stack.tags[LockTag] = `{"holder":"alice@laptop","op":"up","token":"u",` +
		`"before":{"activeColor":"blue","canaryWeight":0,"blueVersion":"1.4.2","greenVersion":""}}`
	if what, err := other.Recover(ctx, false); err != nil || !strings.Contains(what, "run `deploy up -s prod` again") || h.stack.tags[LockTag] != "" || h.stack.ups != ups {
		t.Errorf("recover of a killed up with a recorded state: %q, %v, %d ups", what, err, h.stack.ups-ups)
	}
}

// A lock that disappears during a release (on Pulumi Cloud, an update started outside
// cmd/deploy replaces the stack's tags) stops the release's next step, but never the restore:
// production goes back to what was checked, and the message says traffic was taken back.
func TestRestoreReclaimsALostLock(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.cloud.onAlarms = func() {
		h.stack.mu.Lock()
		defer h.stack.mu.Unlock()
		if h.stack.deployed.CanaryWeight == 50 {
			delete(h.stack.tags, LockTag) // someone's `pulumi up` replaced the tags
			h.cloud.alarms = []string{"webstack-prod-green-target-5xx"}
		}
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{50}, Bake: 10 * time.Second})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "restored and applied") || !strings.Contains(f.State, "production traffic was taken back to blue") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	if d := h.stack.deployed; d.CanaryWeight != 0 || d.Active != contract.Blue || d.Green.Version != "" {
		t.Errorf("after the restore: %s", Describe(d))
	}
	if !strings.Contains(h.out.String(), "taken again to put production back") || h.stack.tags[LockTag] != "" {
		t.Errorf("lock %q; log:\n%s", h.stack.tags[LockTag], h.out)
	}
	// A lock that someone else took is still obeyed, even by a restore.
	h2 := newHarness(liveBlue())
	defer h2.stack.close()
	h2.cloud.onAlarms = func() {
		h2.stack.mu.Lock()
		defer h2.stack.mu.Unlock()
		if h2.stack.deployed.CanaryWeight == 50 {
			h2.stack.tags[LockTag] = `{"holder":"bob@laptop","op":"rollback","token":"b"}`
			h2.cloud.alarms = []string{"webstack-prod-green-target-5xx"}
		}
	}
	_, err = h2.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{50}, Bake: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "restoring failed too") || !strings.Contains(err.Error(), "held by bob@laptop") {
		t.Errorf("restore under someone else's lock: %v", err)
	}
}

// A failed release whose idle color was warm on an older version stops that color instead of
// setting the old version back in place: an Auto Scaling group changed in place serves a mix of
// versions until its instance refresh ends, and a rollback could make the mix live.
func TestRestoreStopsAWarmIdleColor(t *testing.T) {
	warm := liveBlue()
	warm.Green = fleet("1.3.0", 2, 2, 4)
	h := newHarness(warm)
	defer h.stack.close()
	h.stack.fail[contract.Green] = 2
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0"})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "smoke-testing green") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	d := h.stack.deployed
	if d.Active != contract.Blue || d.Blue.Version != "1.4.2" || d.Green.Version != "" || d.Green.Capacity != warm.Green.Capacity {
		t.Errorf("after the restore: %s, want green stopped with its sizes", Describe(d))
	}
	if !strings.Contains(f.State, "production was not switched") {
		t.Errorf("state: %s", f.State)
	}
	// Nothing changed yet (the release failed before touching green): green stays warm.
	if got := restored(warm, warm); got.Green.Version != "1.3.0" {
		t.Errorf("restored(unchanged) stopped green: %s", Describe(got))
	}
}

// Rollback checks the color it is about to make live through the release-check path first: a
// color still serving another version on some instances (an in-place change whose instance
// refresh has not finished) is refused before production moves.
func TestRollbackChecksTheColorFirst(t *testing.T) {
	b := liveBlue()
	b.Active, b.Green = contract.Green, fleet("1.5.0", 2, 2, 4)
	h := newHarness(b)
	defer h.stack.close()
	inner := h.stack.srv.Config.Handler
	n := 0
	h.stack.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(contract.ReleaseCheckHeader) != "" {
			n++
			if n%3 == 0 {
				w.Header().Set(VersionHeader, "1.5.0") // an instance the refresh has not replaced
				fmt.Fprint(w, `{"status":"UP"}`)
				return
			}
		}
		inner.ServeHTTP(w, r)
	})
	err := h.r.Rollback(context.Background())
	if err == nil || !strings.Contains(err.Error(), "refusing to make blue live") || h.stack.deployed.Active != contract.Green || h.stack.ups != 0 {
		t.Fatalf("rollback onto a mixed color: %v; deployed %s, %d ups", err, Describe(h.stack.deployed), h.stack.ups)
	}
	h.stack.srv.Config.Handler = inner
	if err := h.r.Rollback(context.Background()); err != nil || h.stack.deployed.Active != contract.Blue {
		t.Errorf("rollback onto a color that answers only with its version: %v, %s", err, Describe(h.stack.deployed))
	}
}

// A canary's share of production is too small for production's error rate to show a bad
// version: green failing one request in six behind a 10 % share is under 2 % overall. Each bake
// also judges the new color alone, through the release-check path.
func TestCanaryJudgesTheNewColorAlone(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	ok := false
	h.cloud.onAlarms = func() {
		h.stack.mu.Lock()
		defer h.stack.mu.Unlock()
		if h.stack.deployed.CanaryWeight == 10 && !ok {
			ok = true
			h.stack.fail[contract.Green] = 6 // the new version degrades once it takes real traffic
		}
	}
	_, err := h.r.Release(context.Background(), Options{Version: "1.5.0", Canary: []int{10}, Bake: time.Minute})
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "canary 10%") || !strings.Contains(err.Error(), "check of green alone") {
		t.Fatalf("err = %v\n%s", err, h.out)
	}
	sameRelease(t, h.stack.deployed, liveBlue())
}
