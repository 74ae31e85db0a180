package release

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/webstack/webstack/contract"
)

// release runs a release on the harness with a short watch.
func (h *harness) release(t *testing.T, version string, m Migration) error {
	t.Helper()
	_, err := h.r.Release(context.Background(), Options{Version: version, Watch: 20 * time.Second, Migration: m})
	return err
}

func TestMigrationRunsFirstAndAlwaysTerminates(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	upsAtCommand := -1
	h.runner.onCommand = func() {
		h.stack.mu.Lock()
		upsAtCommand = h.stack.ups
		h.stack.mu.Unlock()
	}
	if err := h.release(t, "1.5.0", ""); err != nil {
		t.Fatalf("release: %v\n%s", err, h.out)
	}
	if upsAtCommand != 0 {
		t.Errorf("the migration ran after %d ups: it must run before the stack changes", upsAtCommand)
	}
	if got := h.runner.commands; len(got) != 1 || got[0] != "webstack-migrate 1.5.0" {
		t.Errorf("commands %v", got)
	}
	if tags := h.runner.tags[0]; tags[RunnerTag] != fakeLaunchTemplate || tags[RunnerReleaseTag] != "1.5.0" {
		t.Errorf("runner tags %v", tags)
	}
	if left := h.runner.runningRunners(); len(left) > 0 {
		t.Errorf("runners left running: %v", left)
	}
	for _, want := range []string{"  | webstack-migrate: the migration of 1.5.0 succeeded", "runner i-runner1 terminated"} {
		if !strings.Contains(h.out.String(), want) {
			t.Errorf("release log lacks %q:\n%s", want, h.out)
		}
	}
	// An expand release leaves no contract record in the stack file.
	if _, ok := h.stack.cfg.Object()["contract"]; ok {
		t.Errorf("an expand release wrote a contract record: %v", h.stack.cfg.Object()["contract"])
	}
}

func TestFailedMigrationStopsBeforeAnyChange(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	// Make green warm on 1.5.0 first: a failed migration must leave it so.
	if err := h.release(t, "1.5.0", ""); err != nil {
		t.Fatal(err)
	}
	before, ups := h.stack.deployed, h.stack.ups
	h.runner.failing["1.6.0"] = 1
	n := &recorder{}
	h.r.Notify = n
	err := h.release(t, "1.6.0", "")
	var f *Failure
	if !errors.As(err, &f) || !strings.HasPrefix(f.Step, "migration step") || !strings.Contains(f.State, "nothing in the stack was changed") {
		t.Fatalf("release with a failing migration: %v", err)
	}
	if !strings.Contains(err.Error(), "exit status 1") || !strings.Contains(err.Error(), "log group "+fakeMigrationLogs) {
		t.Errorf("the failure does not say the exit status and where the output is: %v", err)
	}
	if h.stack.ups != ups || Describe(h.stack.deployed) != Describe(before) {
		t.Errorf("a failed migration changed the stack: %d ups, %s (was %s)", h.stack.ups-ups, Describe(h.stack.deployed), Describe(before))
	}
	if h.stack.tags[LockTag] != "" {
		t.Errorf("the lock is still held after the failed migration")
	}
	if left := h.runner.runningRunners(); len(left) > 0 {
		t.Errorf("runners left running after a failed migration: %v", left)
	}
	if !strings.Contains(h.out.String(), "  | ERROR: Migration V7__drop_name.sql failed") {
		t.Errorf("the failed migration's output is not in the release log:\n%s", h.out)
	}
	if msgs := strings.Join(n.msgs, "\n"); !strings.Contains(msgs, "release 1.6.0 FAILED") {
		t.Errorf("notifications %v", n.msgs)
	}
}

func TestMigrationOutputFallsBackToSSM(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.runner.logsErr = errors.New("AccessDeniedException")
	if err := h.release(t, "1.5.0", ""); err != nil {
		t.Fatal(err)
	}
	if out := h.out.String(); !strings.Contains(out, "could not be read: AccessDeniedException") || !strings.Contains(out, "  | ok (truncated)") {
		t.Errorf("release log:\n%s", out)
	}
}

// TestMigrationOutputWaitsForTheLogs: a log copy shorter than SSM's is still arriving; the
// release log waits for it instead of printing the head alone.
func TestMigrationOutputWaitsForTheLogs(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.runner.ssmOutput = "webstack-migrate: ensuring the database user 'webstack_app'\nwebstack-migrate: the migration of 1.5.0 succ"
	h.runner.shortLogs = 2
	if err := h.release(t, "1.5.0", ""); err != nil {
		t.Fatal(err)
	}
	if out := h.out.String(); !strings.Contains(out, "  | webstack-migrate: the migration of 1.5.0 succeeded") {
		t.Errorf("release log:\n%s", out)
	}
}

func TestRunnerNeverOnline(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.runner.onlineAfter = 1 << 30
	err := h.release(t, "1.5.0", "")
	if err == nil || !strings.Contains(err.Error(), "did not become an online SSM managed node") {
		t.Fatalf("release with a runner that never reaches SSM: %v", err)
	}
	if left := h.runner.runningRunners(); len(left) > 0 || h.stack.ups != 0 {
		t.Errorf("runners left %v, ups %d", left, h.stack.ups)
	}
}

func TestContractGuardAndRollbackRefusal(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	ctx := context.Background()
	if err := h.release(t, "1.5.0", ""); err != nil {
		t.Fatal(err)
	}
	// Blue is warm on 1.4.2: a contract would leave it one rollback away from production.
	launched := len(h.runner.launched)
	err := h.release(t, "1.6.0", Contract)
	if err == nil || !strings.Contains(err.Error(), "idle color blue still runs 1.4.2") || !strings.Contains(err.Error(), "deploy retire -s prod") {
		t.Fatalf("contract with a warm idle color: %v", err)
	}
	if len(h.runner.launched) != launched {
		t.Errorf("a refused contract release launched a runner")
	}
	if err := h.r.Retire(ctx); err != nil {
		t.Fatal(err)
	}
	if err := h.release(t, "1.6.0", Contract); err != nil {
		t.Fatalf("contract after retire: %v\n%s", err, h.out)
	}
	if c := h.stack.cfg.Contract; c != (ContractRecord{Version: "1.6.0", Replaced: "1.5.0"}) {
		t.Errorf("contract record %+v, want 1.6.0 replacing 1.5.0", c)
	}
	if obj := h.stack.cfg.Object()["contract"].(map[string]any); obj["version"] != "1.6.0" || obj["replaced"] != "1.5.0" {
		t.Errorf("webstack:app.contract in the stack file: %v", obj)
	}
	// Green is warm on 1.5.0, from before the contract: no rollback to it.
	ups := h.stack.ups
	err = h.r.Rollback(ctx)
	if err == nil || !strings.Contains(err.Error(), "ran a contract migration") || !strings.Contains(err.Error(), "roll forward") {
		t.Fatalf("rollback across the contract: %v", err)
	}
	if h.stack.ups != ups || h.stack.deployed.Active != contract.Blue {
		t.Errorf("the refused rollback changed the stack: %s", Describe(h.stack.deployed))
	}
	// An expand release after it makes a rollback to the contract's version fine again.
	if err := h.release(t, "1.7.0", Expand); err != nil {
		t.Fatal(err)
	}
	if c := h.stack.cfg.Contract; c != (ContractRecord{Version: "1.6.0"}) {
		t.Errorf("after the next release the record is %+v, want only the version", c)
	}
	if err := h.r.Rollback(ctx); err != nil {
		t.Fatalf("rollback to the contract's own version: %v", err)
	}
	if d := h.stack.deployed; d.Fleet(d.Active).Version != "1.6.0" {
		t.Errorf("after the rollback: %s", Describe(d))
	}
}

func TestFailedContractReleaseKeepsTheRecord(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	h.stack.upErr = failWhen(func(a App) bool { return a.Green.Version == "1.5.0" }, errUnhealthy)
	err := h.release(t, "1.5.0", Contract)
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.State, "restored") {
		t.Fatalf("contract release failing at the deploy: %v", err)
	}
	// The contract migration ran: the schema is contracted whatever the deploy did.
	if c := h.stack.cfg.Contract; c.Version != "1.5.0" || c.Replaced != "1.4.2" {
		t.Errorf("record after the restore %+v", c)
	}
}

func TestRecoverTerminatesALeftoverRunner(t *testing.T) {
	h := newHarness(liveBlue())
	defer h.stack.close()
	ctx := context.Background()
	id, _ := h.runner.LaunchRunner(ctx, fakeLaunchTemplate, []string{"subnet-a1"}, map[string]string{RunnerTag: fakeLaunchTemplate})
	// Another operator's release holds the stack: its runner may be at work, and stays.
	h.stack.tags[LockTag] = `{"holder":"alice@laptop","op":"release 1.5.0","token":"k"}`
	if _, err := h.r.Recover(ctx, false); err == nil || len(h.runner.runningRunners()) != 1 {
		t.Fatalf("recover of another holder's stack: %v, runners %v", err, h.runner.runningRunners())
	}
	delete(h.stack.tags, LockTag)
	what, err := h.r.Recover(ctx, false)
	if err != nil || !strings.Contains(what, "terminated the leftover migration runner(s) "+id) {
		t.Fatalf("recover: %q, %v", what, err)
	}
	if left := h.runner.runningRunners(); len(left) > 0 {
		t.Errorf("runners left: %v", left)
	}
}

func TestParseMigration(t *testing.T) {
	for in, want := range map[string]Migration{"": Expand, "expand": Expand, "contract": Contract} {
		if got, err := ParseMigration(in); err != nil || got != want {
			t.Errorf("ParseMigration(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseMigration("drop"); err == nil || !strings.Contains(err.Error(), `"drop"`) {
		t.Errorf("ParseMigration(drop): %v", err)
	}
}

// recorder is a Notifier that keeps every message.
type recorder struct{ msgs []string }

func (n *recorder) Notify(_ context.Context, msg string) error {
	n.msgs = append(n.msgs, msg)
	return nil
}
