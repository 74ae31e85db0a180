package release_test

// The release tool against the real webstack program (stack.Program) with the real dev stack
// file, under the real Pulumi CLI with a file backend, through the AWS double's plugins, in a
// World that behaves like ALB + Auto Scaling over time (internal/awsdouble): instances of a
// color run the version their launch template names and come up after a delay, an instance
// refresh replaces them gradually, a listener change moves all new requests at once, a bad
// version errors on a share of requests. One story of scenarios on one stack, as a team would
// live it.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/awsdouble"
	"github.com/webstack/webstack/internal/release"
)

// traffic is a client looping against production (the release check URL through CloudFront,
// without the secret) while a release runs, counting what it gets.
type traffic struct {
	mu       sync.Mutex
	sent     int
	failed   []string
	versions map[string]int
	stop     chan struct{}
	done     chan struct{}
}

func startTraffic(client *http.Client, url string) *traffic {
	tr := &traffic{versions: map[string]int{}, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(tr.done)
		for {
			select {
			case <-tr.stop:
				return
			default:
			}
			resp, err := client.Get(url)
			tr.mu.Lock()
			tr.sent++
			switch {
			case err != nil:
				tr.failed = append(tr.failed, err.Error())
			case resp.StatusCode != 200:
				tr.failed = append(tr.failed, resp.Status)
			default:
				tr.versions[resp.Header.Get(release.VersionHeader)]++
			}
			tr.mu.Unlock()
			if resp != nil {
				resp.Body.Close()
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return tr
}

func (tr *traffic) finish() (sent int, failed []string, versions map[string]int) {
	close(tr.stop)
	<-tr.done
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.sent, tr.failed, tr.versions
}

// notes is a Notifier that records every message and runs a hook on each.
type notes struct {
	mu   sync.Mutex
	msgs []string
	hook func(string)
}

func (n *notes) Notify(_ context.Context, msg string) error {
	n.mu.Lock()
	n.msgs = append(n.msgs, msg)
	hook := n.hook
	n.mu.Unlock()
	if hook != nil {
		hook(msg)
	}
	return nil
}

func TestEngineReleases(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test: skipped with -short")
	}
	// cmd/deploy runs its updates with contract.EnvReleaseTool set for the CLI, whose program
	// inherits it; the inline program runs in this process, so it is set here.
	t.Setenv(contract.EnvReleaseTool, "cmd/deploy")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	env := awsdouble.Start(ctx, t, "../..", "dev", nil)
	var progress, log strings.Builder
	as := &release.AutoStack{Stack: env.Stack, Progress: &progress}
	client := env.Sim.Client()
	n := &notes{}
	newReleaser := func(holder string) *release.Releaser {
		return &release.Releaser{Stack: as, Cloud: env.Cloud(), Runner: env.Runner(), PollInterval: 20 * time.Millisecond, Client: client, Out: &log, Notify: n, Holder: holder,
			BakeInterval: 200 * time.Millisecond, LockSettle: 50 * time.Millisecond, Samples: 40}
	}
	r := newReleaser("engine test")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("release log:\n%s\nengine output (tail):\n%s", &log, tail(progress.String(), 6000))
		}
	})
	step := func(name string) { t.Logf("--- %s", name); log.WriteString("\n--- " + name + "\n") }
	get := func(url string, header http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get(release.VersionHeader)
	}
	live := func(want string) {
		t.Helper()
		out, err := as.Outputs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		u := out.String(contract.OutReleaseCheckURL)
		for range 10 {
			if code, v := get(u, nil); code != 200 || v != want {
				t.Fatalf("production answers %d from %q, want 200 from %q", code, v, want)
			}
		}
	}

	step("first up from an empty account: no release yet")
	if err := as.Up(ctx, nil); err != nil {
		t.Fatalf("first up: %v\n%s", err, tail(progress.String(), 6000))
	}
	out, err := as.Outputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkURL := out.String(contract.OutReleaseCheckURL)
	if code, _ := get(checkURL, nil); code != http.StatusServiceUnavailable {
		t.Errorf("production with no release: %d, want the fixed 503", code)
	}
	if err := r.Rollback(ctx); err == nil || !strings.Contains(err.Error(), "nothing to roll back to") {
		t.Errorf("rollback with no release: %v", err)
	}

	step("first release from nothing")
	if _, err := r.Release(ctx, release.Options{Version: "1.0.0", Watch: time.Second}); err != nil {
		t.Fatalf("first release: %v", err)
	}
	live("1.0.0")

	step("a good release with a canary, under production traffic")
	tr := startTraffic(client, checkURL)
	sum, err := r.Release(ctx, release.Options{Version: "1.1.0", Canary: []int{50}, Bake: 2 * time.Second, Watch: time.Second})
	sent, failed, versions := tr.finish()
	if err != nil {
		t.Fatalf("release 1.1.0: %v", err)
	}
	live("1.1.0")
	t.Logf("production traffic during the release: %d requests, %d failed, versions %v", sent, len(failed), versions)
	if len(failed) > 0 {
		t.Errorf("%d of %d production requests failed during the release: %v", len(failed), sent, failed[:min(5, len(failed))])
	}
	for v := range versions {
		if v != "1.0.0" && v != "1.1.0" {
			t.Errorf("production was answered by %q during the release", v)
		}
	}
	if versions["1.1.0"] == 0 || versions["1.0.0"] == 0 {
		t.Errorf("production traffic saw versions %v: the canary and the flip should show both", versions)
	}
	t.Logf("flip of release 1.1.0 took %s", sum.Flip.Round(time.Millisecond))
	flipTime := sum.Flip

	step("a warm idle color: the version checked and promoted is the new one")
	st, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idle := st.IdleColor
	if fl := map[contract.Color]contract.Fleet{contract.Blue: st.Blue, contract.Green: st.Green}[idle]; fl.Version != "1.0.0" || fl.Capacity.Desired == 0 {
		t.Fatalf("before the warm release the idle color %s runs %s, want warm on 1.0.0", idle, fl)
	}
	tr = startTraffic(client, checkURL)
	if _, err := r.Release(ctx, release.Options{Version: "1.3.0", Watch: time.Second}); err != nil {
		t.Fatalf("release 1.3.0 onto the warm idle color: %v", err)
	}
	_, failed, versions = tr.finish()
	live("1.3.0")
	if versions["1.0.0"] > 0 {
		t.Errorf("the warm idle color's old version 1.0.0 answered production %d times", versions["1.0.0"])
	}
	if len(failed) > 0 {
		t.Errorf("%d production requests failed during the warm release: %v", len(failed), failed[:min(5, len(failed))])
	}
	for id, v := range env.Sim.Instances("app-" + string(idle) + "-asg") {
		if v != "1.3.0" {
			t.Errorf("instance %s of the new live color %s runs %s", id, idle, v)
		}
	}

	step("a migration that fails stops the release before anything changes")
	env.Sim.SetMigrationFault("1.3.5", 1)
	before, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Release(ctx, release.Options{Version: "1.3.5", Watch: time.Second})
	var mf *release.Failure
	if !errors.As(err, &mf) || !strings.HasPrefix(mf.Step, "migration step") || !strings.Contains(mf.State, "nothing in the stack was changed") {
		t.Fatalf("release with a failing migration: %v", err)
	}
	live("1.3.0")
	after, err := r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Blue != before.Blue || after.Green != before.Green || after.ActiveColor != before.ActiveColor || after.Lock != nil || len(after.Drift) > 0 {
		t.Errorf("after the failed migration: %+v, was %+v", after, before)
	}
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		for id, v := range env.Sim.Instances("app-" + string(c) + "-asg") {
			if v == "1.3.5" {
				t.Errorf("instance %s of %s runs 1.3.5, whose migration failed", id, c)
			}
		}
	}
	if left := env.Sim.RunningRunners(); len(left) > 0 {
		t.Errorf("migration runners left running: %v", left)
	}
	if !strings.Contains(log.String(), "  | ERROR: Migration of 1.3.5 failed") {
		t.Errorf("the failed migration's output is not in the release log")
	}

	step("a version erroring on 10% of requests is caught before any user sees it")
	env.Sim.SetFault("1.2.0", awsdouble.Fault{ErrorShare: 0.1})
	_, err = r.Release(ctx, release.Options{Version: "1.2.0", Watch: time.Second})
	var f *release.Failure
	if !errors.As(err, &f) || !strings.Contains(f.Step, "smoke-testing") || !strings.Contains(f.State, "restored") {
		t.Fatalf("release of the 10%% version: %v", err)
	}
	live("1.3.0")
	// The idle color ran 1.1.0 warm before the release changed it: it is left stopped, never set
	// back to 1.1.0 in place (an instance refresh would serve a mix that a rollback could make live).
	st, err = r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fl := map[contract.Color]contract.Fleet{contract.Blue: st.Blue, contract.Green: st.Green}[st.IdleColor]; fl.Version != "" {
		t.Errorf("after the restore the idle color %s runs %s, want it stopped", st.IdleColor, fl)
	}
	for id, v := range env.Sim.Instances("app-" + string(st.IdleColor) + "-asg") {
		t.Errorf("instance %s of the stopped idle color %s still runs %s", id, st.IdleColor, v)
	}
	if alarms := env.Sim.AlarmsInAlarm(""); len(alarms) > 0 {
		t.Errorf("the smoke test of a bad version put alarms in ALARM (test traffic must never page): %v", alarms)
	}

	step("a stale stack file is refused")
	stale, err := env.Files.WithSection("webstack:app", func(m map[string]any) {
		m["activeColor"] = "blue"
		m["blue"] = map[string]any{"version": "1.1.0", "minSize": 1, "desiredCapacity": 1, "maxSize": 2}
		m["green"] = map[string]any{"version": "1.0.0", "minSize": 1, "desiredCapacity": 1, "maxSize": 2}
	})
	if err != nil {
		t.Fatal(err)
	}
	current, err := as.App(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.SetConfig(ctx, stale); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Release(ctx, release.Options{Version: "1.4.0"}); err == nil || !strings.Contains(err.Error(), "is not what is deployed") {
		t.Errorf("release from a stale stack file: %v", err)
	}
	live("1.3.0")
	if err := as.SetApp(ctx, current); err != nil {
		t.Fatal(err)
	}

	step("a concurrent release is refused while the first one bakes")
	second := newReleaser("a second operator")
	var secondErr error
	var once sync.Once
	n.hook = func(msg string) {
		if strings.Contains(msg, "canary 50%") {
			once.Do(func() { _, secondErr = second.Release(ctx, release.Options{Version: "9.9.9"}) })
		}
	}
	if _, err := r.Release(ctx, release.Options{Version: "1.4.0", Canary: []int{50}, Bake: time.Second, Watch: time.Second}); err != nil {
		t.Fatalf("release 1.4.0: %v", err)
	}
	n.hook = nil
	var locked *release.ErrLocked
	if !errors.As(secondErr, &locked) || locked.Lock.Holder != "engine test" {
		t.Errorf("the second release during the bake: %v", secondErr)
	}
	live("1.4.0")

	step("a failure after the flip flips back")
	n.hook = func(msg string) {
		if strings.Contains(msg, "verifying production") {
			env.Sim.SetFault("1.5.0", awsdouble.Fault{ErrorShare: 0.5})
		}
	}
	_, err = r.Release(ctx, release.Options{Version: "1.5.0", Watch: time.Second})
	n.hook = nil
	if !errors.As(err, &f) || !strings.Contains(f.Step, "verifying production") || !strings.Contains(f.State, "flipped back, production is on") {
		t.Fatalf("release failing after the flip: %v", err)
	}
	live("1.4.0")

	step("an interrupt during a long step leaves the stack consistent")
	ictx, icancel := context.WithCancel(ctx)
	n.hook = func(msg string) {
		if strings.Contains(msg, "deploying 1.6.0") {
			go func() { time.Sleep(300 * time.Millisecond); icancel() }()
		}
	}
	_, err = r.Release(ictx, release.Options{Version: "1.6.0", Watch: time.Second})
	n.hook = nil
	icancel()
	if err == nil {
		t.Fatal("an interrupted release succeeded")
	}
	st, err = r.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Drift) > 0 || st.Lock != nil {
		t.Errorf("after the interrupt: drift %v, lock %v (%v)", st.Drift, st.Lock, err)
	}
	live("1.4.0")

	step("rollback to the warm previous version, timed")
	// Make the idle color warm on the previous version again: a release of 1.6.0 now.
	if _, err := r.Release(ctx, release.Options{Version: "1.6.0", Watch: time.Second}); err != nil {
		t.Fatalf("release 1.6.0: %v", err)
	}
	t0 := time.Now()
	if err := r.Rollback(ctx); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	rollbackTime := time.Since(t0)
	live("1.4.0")
	t.Logf("measured: flip %s (targeted update of the listeners), rollback %s (flip back and a production check)",
		flipTime.Round(time.Millisecond), rollbackTime.Round(time.Millisecond))

	step("a contract migration needs a retired idle color and refuses a later rollback")
	if _, err := r.Release(ctx, release.Options{Version: "1.7.0", Watch: time.Second, Migration: release.Contract}); err == nil || !strings.Contains(err.Error(), "deploy retire") {
		t.Fatalf("contract release with a warm idle color: %v", err)
	}
	if err := r.Retire(ctx); err != nil {
		t.Fatalf("retire: %v", err)
	}
	if _, err := r.Release(ctx, release.Options{Version: "1.7.0", Watch: time.Second, Migration: release.Contract}); err != nil {
		t.Fatalf("contract release 1.7.0: %v", err)
	}
	live("1.7.0")
	file, err := as.App(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if file.Contract != (release.ContractRecord{Version: "1.7.0", Replaced: "1.4.0"}) {
		t.Errorf("webstack:app.contract in the stack = %+v, want 1.7.0 replacing 1.4.0", file.Contract)
	}
	if err := r.Rollback(ctx); err == nil || !strings.Contains(err.Error(), "ran a contract migration") {
		t.Fatalf("rollback across the contract migration: %v", err)
	}
	live("1.7.0")
	if left := env.Sim.RunningRunners(); len(left) > 0 || env.Sim.Runners() == 0 {
		t.Errorf("migration runners: %d launched, %v left running", env.Sim.Runners(), left)
	}
	t.Logf("release log:\n%s", &log)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
