package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/release"
)

// memStack is an in-memory stack whose outputs point at one local HTTP server, which answers
// with the live color's version (or the idle one's with the release-check secret).
type memStack struct {
	mu            sync.Mutex
	cfg, deployed release.App
	tags          map[string]string
	url           string
	ups           int
	failUp        error
	neverDeployed bool
	// webhook is the value of the secret the output alertWebhookSecretArn names ("" for no
	// such output); migrations counts the migration steps run.
	webhook    string
	migrations int
}

func (m *memStack) Name() string { return "prod" }
func (m *memStack) App(context.Context) (release.App, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg, nil
}
func (m *memStack) SetApp(_ context.Context, a release.App) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cfg = a
	return nil
}
func (m *memStack) Up(context.Context, []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ups++
	if m.failUp != nil {
		return m.failUp
	}
	m.deployed = m.cfg
	return nil
}
func (m *memStack) Outputs(context.Context) (release.Outputs, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.neverDeployed {
		return release.Outputs{}, nil
	}
	d := m.deployed
	capacity := func(c contract.Capacity) map[string]any {
		return map[string]any{"minSize": float64(c.Min), "desiredCapacity": float64(c.Desired), "maxSize": float64(c.Max)}
	}
	return release.Outputs{"activeColor": string(d.Active), "idleColor": string(d.Idle()), "canaryWeight": float64(d.CanaryWeight),
		"blueVersion": d.Blue.Version, "greenVersion": d.Green.Version,
		"blueCapacity": capacity(d.Blue.Capacity), "greenCapacity": capacity(d.Green.Capacity),
		"testUrl": m.url, "siteUrl": m.url, "releaseCheckUrl": m.url + "/api/actuator/health",
		"releaseCheckParameter": "/webstack/prod/release-check", "alarmNamePrefix": "webstack-prod",
		"migrateLaunchTemplateId": "lt-0migrate", "migrateLogGroupName": "/webstack/prod/migrations", "appSubnetIds": []any{"subnet-a1"},
		contract.OutAlertWebhookSecretARN: map[bool]string{true: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:hook", false: ""}[m.webhook != ""]}, nil
}
func (m *memStack) URNs(context.Context) ([]string, error) {
	return []string{"urn:pulumi:prod::webstack::webstack:compute:Compute$webstack:compute:LoadBalancer$aws:lb/listener:Listener::app-alb-production"}, nil
}
func (m *memStack) Tag(_ context.Context, k string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tags[k], nil
}
func (m *memStack) SetTag(_ context.Context, k, v string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tags[k] = v
	return nil
}
func (m *memStack) RemoveTag(_ context.Context, k string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tags, k)
	return nil
}

func (m *memStack) Preview(context.Context) ([]string, error) { return nil, nil }
func (m *memStack) Cancel(context.Context) error              { return nil }

// memCloud plays CloudWatch, SSM and Secrets Manager, and a migration runner that succeeds.
type memCloud struct{ m *memStack }

func (memCloud) AlarmsInAlarm(context.Context, string) ([]string, error)    { return nil, nil }
func (memCloud) AlarmWindow(context.Context, string) (time.Duration, error) { return 0, nil }
func (memCloud) Parameter(context.Context, string) (string, error)          { return "s3cret", nil }
func (memCloud) CredentialsExpire(context.Context) (time.Time, error)       { return time.Time{}, nil }

func (c memCloud) SecretValue(context.Context, string) (string, error) { return c.m.webhook, nil }
func (memCloud) LaunchRunner(context.Context, string, []string, map[string]string) (string, error) {
	return "i-runner", nil
}
func (memCloud) RunnerOnline(context.Context, string) (bool, error) { return true, nil }
func (c memCloud) SendRunnerCommand(context.Context, string, string, string, time.Duration) (string, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	c.m.migrations++
	return "cmd-1", nil
}
func (memCloud) RunnerCommand(context.Context, string, string) (release.CommandState, error) {
	return release.CommandState{Done: true, Status: "Success"}, nil
}
func (memCloud) RunnerOutput(context.Context, string, string, string) (string, error) {
	return "webstack-migrate: no migration to run", nil
}
func (memCloud) TerminateRunners(context.Context, string, string) ([]string, error) { return nil, nil }

func newMem(t *testing.T) *memStack {
	t.Helper()
	m := &memStack{tags: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		c := m.deployed.Active
		if r.Header.Get(contract.ReleaseCheckHeader) == "s3cret" {
			c = m.deployed.Idle()
		}
		v := m.deployed.Fleet(c).Version
		m.mu.Unlock()
		w.Header().Set(release.VersionHeader, v)
	}))
	t.Cleanup(srv.Close)
	app, err := release.ParseApp([]byte(`{"activeColor": "blue",
		"blue": {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	m.cfg, m.deployed, m.url = app, app, srv.URL
	return m
}

func runWith(t *testing.T, m *memStack, args ...string) (int, string, string) {
	t.Helper()
	return runEnv(t, m, map[string]string{}, false, "", args...)
}

func runEnv(t *testing.T, m *memStack, vars map[string]string, interactive bool, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] },
		interactive: func() bool { return interactive },
		open: func(_ context.Context, stack, _ string, _ io.Writer) (release.Stack, release.Cloud, error) {
			if stack != "prod" {
				return nil, nil, errors.New("stack " + stack + " does not exist")
			}
			return m, memCloud{m}, nil
		}}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

func TestHelpDocumentsEveryCommand(t *testing.T) {
	code, out, _ := runWith(t, nil, "-h")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, s := range []string{"deploy status", "deploy release", "deploy rollback", "deploy retire", "deploy up", "deploy sync", "deploy recover", "deploy unlock", "--dry-run", "--canary", "--bake", "--watch", "--yes", "WEBSTACK_RELEASE_WEBHOOK"} {
		if !strings.Contains(out, s) {
			t.Errorf("usage lacks %q", s)
		}
	}
}

// TestCommandHelpListsItsFlags: defect 8. `deploy <cmd> -h` documents that command's flags.
func TestCommandHelpListsItsFlags(t *testing.T) {
	for cmd, flags := range map[string][]string{
		"release":  {"-version", "-canary", "-bake", "-watch", "-samples", "-max-error-rate", "-yes", "-dry-run", "-s "},
		"rollback": {"-yes", "-dry-run", "-cwd"},
		"status":   {"-json", "-s "},
		"up":       {"-yes", "-dry-run"},
		"unlock":   {"-yes"},
		"sync":     {"-dry-run", "-s "},
		"recover":  {"-force", "-yes", "-dry-run"},
	} {
		code, _, errOut := runWith(t, newMem(t), cmd, "-h")
		if code != 0 {
			t.Errorf("%s -h: exit %d", cmd, code)
		}
		if !strings.Contains(errOut, "Usage: deploy "+cmd) {
			t.Errorf("%s -h lacks its synopsis:\n%s", cmd, errOut)
		}
		for _, f := range flags {
			if !strings.Contains(errOut, f) {
				t.Errorf("%s -h lacks %q:\n%s", cmd, f, errOut)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"deploy"}, `unknown command "deploy"`},
		{[]string{"release", "--version", "1.5.0"}, "-s STACK is required"},
		{[]string{"release", "-s", "prod"}, "--version is required"},
		{[]string{"release", "-s", "prod", "--version", "1.5.0", "--canary", "10,x"}, `"x" is not a whole percentage`},
		{[]string{"status", "-s", "prod", "extra"}, `unexpected argument "extra"`},
		{[]string{"retire", "-s", "prod", "--bogus"}, "flag provided but not defined: -bogus"},
		// 0 used to be read as the default 2 %: zero tolerance is a rate below 1/samples.
		{[]string{"release", "-s", "prod", "--version", "1.5.0", "--max-error-rate", "0"}, "--max-error-rate 0: must be above 0 and below 1"},
	} {
		code, _, errOut := runWith(t, newMem(t), tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestMutatingCommandsNeedYesWithoutTerminal(t *testing.T) {
	for _, args := range [][]string{
		{"release", "-s", "prod", "--version", "1.5.0"}, {"rollback", "-s", "prod"}, {"retire", "-s", "prod"}, {"up", "-s", "prod"},
	} {
		m := newMem(t)
		code, _, errOut := runWith(t, m, args...)
		if code != 1 || !strings.Contains(errOut, "refusing to change stack \"prod\" without --yes") || m.ups != 0 {
			t.Errorf("%q: exit %d, ups %d, stderr %q", args, code, m.ups, errOut)
		}
	}
}

// TestDevNullIsNotATerminal: defect 8. stdin from /dev/null (a character device) is not a
// terminal a person answers at.
func TestDevNullIsNotATerminal(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Errorf("%s is treated as a terminal", os.DevNull)
	}
}

func TestConfirmationAtATerminal(t *testing.T) {
	m := newMem(t)
	code, out, _ := runEnv(t, m, nil, true, "n\n", "release", "-s", "prod", "--version", "1.5.0", "-q")
	if code != 1 || m.ups != 0 || !strings.Contains(out, "apply these changes") {
		t.Errorf("answered no: exit %d, ups %d\n%s", code, m.ups, out)
	}
	code, _, errOut := runEnv(t, m, nil, true, "y\n", "release", "-s", "prod", "--version", "1.5.0", "-q", "--watch", "1ms")
	if code != 0 || m.deployed.Active != contract.Green {
		t.Errorf("answered yes: exit %d, %s\n%s", code, release.Describe(m.deployed), errOut)
	}
}

func TestReleaseDryRunAndReal(t *testing.T) {
	m := newMem(t)
	code, out, errOut := runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--dry-run")
	if code != 0 || m.ups != 0 || !strings.Contains(out, `webstack:app.green.version: "" -> "1.5.0"`) {
		t.Fatalf("dry run: exit %d ups %d\n%s%s", code, m.ups, out, errOut)
	}
	code, out, errOut = runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q", "--watch", "1ms")
	if code != 0 || m.deployed.Active != contract.Green {
		t.Fatalf("release: exit %d, deployed %s\n%s%s", code, release.Describe(m.deployed), out, errOut)
	}
	for _, s := range []string{"release summary", "live:        1.5.0 on green (was 1.4.2 on blue)", "deploy rollback -s prod", "flip "} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

func TestReleaseFailureExitsOneWithState(t *testing.T) {
	m := newMem(t)
	m.failUp = errors.New("pulumi up: exit status 255")
	code, _, errOut := runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q")
	if code != 1 || !strings.Contains(errOut, `deploy: release "1.5.0" to stack "prod" failed while deploying 1.5.0 to green`) ||
		!strings.Contains(errOut, "stack state: restoring failed too") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestStatusJSONAndTheLock(t *testing.T) {
	m := newMem(t)
	m.tags[release.LockTag] = `{"holder":"ci run 7","op":"release 1.5.0","token":"t"}`
	code, out, errOut := runWith(t, m, "status", "-s", "prod", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var st release.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if st.ActiveColor != contract.Blue || st.Blue.Version != "1.4.2" || st.Blue.Capacity.Desired != 2 || st.Lock == nil || st.Lock.Holder != "ci run 7" {
		t.Errorf("status = %+v", st)
	}
	code, out, _ = runWith(t, m, "status", "-s", "prod")
	if code != 0 || !strings.Contains(out, "live:   blue  version 1.4.2, capacity 2/2/4 (min/desired/max)") || !strings.Contains(out, "held by: ci run 7") {
		t.Errorf("text status:\n%s", out)
	}
	// A release is refused while the lock is held; unlock --yes clears it.
	code, _, errOut = runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q")
	if code != 1 || !strings.Contains(errOut, `held by ci run 7`) || m.ups != 0 {
		t.Errorf("release under a lock: exit %d, %d ups: %s", code, m.ups, errOut)
	}
	code, out, _ = runWith(t, m, "unlock", "-s", "prod", "--yes")
	if code != 0 || !strings.Contains(out, "lock cleared") || m.tags[release.LockTag] != "" {
		t.Errorf("unlock: exit %d\n%s", code, out)
	}
}

// TestSyncCommand: a stale file gets the deployed release state (a dry run only prints it), and
// a second sync has nothing to do.
func TestSyncCommand(t *testing.T) {
	m := newMem(t)
	m.deployed.Active = contract.Green
	m.deployed.Green.Version = "1.5.0"
	code, out, errOut := runWith(t, m, "sync", "-s", "prod", "--dry-run")
	if code != 0 || m.cfg.Active != contract.Blue || !strings.Contains(out, `would write the deployed release state into Pulumi.prod.yaml:
  webstack:app.activeColor: "blue" -> "green"
  webstack:app.green.version: "" -> "1.5.0"`) {
		t.Fatalf("dry run: exit %d, file %s\n%s%s", code, release.Describe(m.cfg), out, errOut)
	}
	code, out, errOut = runWith(t, m, "sync", "-s", "prod")
	if code != 0 || m.cfg.Active != contract.Green || m.cfg.Green.Version != "1.5.0" || m.ups != 0 {
		t.Fatalf("sync: exit %d, file %s, %d ups\n%s%s", code, release.Describe(m.cfg), m.ups, out, errOut)
	}
	if code, out, _ = runWith(t, m, "sync", "-s", "prod"); code != 0 || !strings.Contains(out, "already holds the deployed release state") {
		t.Errorf("second sync: exit %d\n%s", code, out)
	}
	// A stack that was never deployed (a pull request's preview before the first up) has
	// nothing to sync, and that is not an error.
	m.neverDeployed = true
	if code, out, errOut = runWith(t, m, "sync", "-s", "prod"); code != 0 || !strings.Contains(out, "stack prod was never deployed: nothing to sync") {
		t.Errorf("sync before the first up: exit %d\n%s%s", code, out, errOut)
	}
}

// TestRecoverCommand: a lock left by a killed run of the same holder is taken over and the
// release state it recorded restored; a lock of another holder needs --force.
func TestRecoverCommand(t *testing.T) {
	m := newMem(t)
	m.deployed.Green.Version, m.deployed.CanaryWeight = "1.5.0", 50
	m.cfg = m.deployed
	lock := `{"holder":"https://github.com/acme/shop/actions/runs/9","op":"release 1.5.0","token":"k",` +
		`"before":{"activeColor":"blue","canaryWeight":0,"blueVersion":"1.4.2","greenVersion":""}}`
	m.tags[release.LockTag] = lock
	ci := map[string]string{"GITHUB_RUN_ID": "9", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop"}
	code, _, errOut := runEnv(t, m, map[string]string{}, false, "", "recover", "-s", "prod", "--yes", "-q")
	if code != 1 || !strings.Contains(errOut, "--force") || m.ups != 0 {
		t.Errorf("recover by another holder: exit %d, %d ups\n%s", code, m.ups, errOut)
	}
	code, out, errOut := runEnv(t, m, ci, false, "", "recover", "-s", "prod", "--yes", "-q")
	if code != 0 || !strings.Contains(out, "recovered: blue live on 1.4.2") || m.deployed.CanaryWeight != 0 || m.deployed.Green.Version != "" || m.tags[release.LockTag] != "" {
		t.Errorf("recover by the same CI run: exit %d, deployed %s\n%s%s", code, release.Describe(m.deployed), out, errOut)
	}
	code, out, _ = runEnv(t, m, ci, false, "", "recover", "-s", "prod", "--yes", "-q")
	if code != 0 || !strings.Contains(out, "nothing to recover") {
		t.Errorf("recover with no lock: exit %d\n%s", code, out)
	}
}

func TestWebhookGetsEveryStep(t *testing.T) {
	var mu sync.Mutex
	var got []string
	hook := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		got = append(got, body["text"])
		mu.Unlock()
		if body["text"] != body["content"] {
			t.Errorf("Slack's text and Discord's content differ: %v", body)
		}
	}))
	defer hook.Close()
	m := newMem(t)
	// The release posts with the default client, which does not trust the test server: the
	// notification fails, which must never fail the release.
	code, out, errOut := runEnv(t, m, map[string]string{"WEBSTACK_RELEASE_WEBHOOK": hook.URL}, false, "", "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q", "--watch", "1ms")
	if code != 0 {
		t.Fatalf("release with an unreachable webhook: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "notification not sent") || strings.Contains(out+errOut, hook.URL) {
		t.Errorf("the failed notification is not reported, or the webhook URL was printed:\n%s", out)
	}
	// With a client that trusts it, every step arrives.
	w := &release.Webhook{URL: hook.URL, Client: hook.Client()}
	for _, msg := range []string{"release 1.5.0 started", "release 1.5.0 done"} {
		if err := w.Notify(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0] != "release 1.5.0 started" {
		t.Errorf("webhook got %q", got)
	}
	if _, err := release.ParseWebhook("http://hooks.slack.com/x"); err == nil {
		t.Errorf("a plain-HTTP webhook was accepted")
	}
}

// TestSecondInterruptExits: defect 8. The first interrupt cancels the run (which restores);
// the second exits at once instead of being swallowed.
func TestSecondInterruptExits(t *testing.T) {
	sig := make(chan os.Signal, 2)
	var out bytes.Buffer
	cancelled, exited := make(chan struct{}), make(chan struct{})
	go handleInterrupts(sig, &out, func() { close(cancelled) }, func() { close(exited) })
	sig <- os.Interrupt
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the first interrupt did not cancel the run")
	}
	select {
	case <-exited:
		t.Fatal("the first interrupt exited")
	default:
	}
	// CI cancels a job with SIGINT, then SIGTERM: the SIGTERM must not abandon the restore.
	sig <- syscall.SIGTERM
	time.Sleep(100 * time.Millisecond)
	select {
	case <-exited:
		t.Fatal("a SIGTERM during the restore exited")
	default:
	}
	sig <- os.Interrupt
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the second interrupt was swallowed")
	}
	for _, want := range []string{"press Ctrl-C again to exit at once", "terminated ignored: still restoring", "run `deploy recover`"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q: %q", want, out.String())
		}
	}
}

// TestWebhookFromTheStackSecret: without WEBSTACK_RELEASE_WEBHOOK the release posts to the URL
// in the secret the stack output names; a secret that holds no https URL turns notifications
// off with a warning that never shows the value, and the release goes on.
func TestWebhookFromTheStackSecret(t *testing.T) {
	m := newMem(t)
	m.webhook = "hooks.example.invalid/T000/B000/s3cr3t-path"
	code, out, errOut := runEnv(t, m, map[string]string{}, false, "", "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q", "--watch", "1ms")
	if code != 0 {
		t.Fatalf("release: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "release notifications are off") || strings.Contains(out+errOut, "s3cr3t-path") {
		t.Errorf("a bad webhook secret is not reported, or its value was printed:\nstdout: %s\nstderr: %s", out, errOut)
	}
	if m.migrations != 1 {
		t.Errorf("%d migration steps, want 1", m.migrations)
	}
	// An https URL in the secret is used (the test server is not trusted by the default
	// client: the failed post is reported without the URL).
	m2 := newMem(t)
	m2.webhook = "https://127.0.0.1:1/hooks/s3cr3t-path"
	code, out, errOut = runEnv(t, m2, map[string]string{}, false, "", "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q", "--watch", "1ms")
	if code != 0 || !strings.Contains(out, "notification not sent") || strings.Contains(out+errOut, "s3cr3t-path") {
		t.Errorf("release with the secret's webhook: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

func TestReleaseMigrationFlag(t *testing.T) {
	m := newMem(t)
	code, _, errOut := runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--migration", "drop", "--yes")
	if code != 2 || !strings.Contains(errOut, `--migration "drop"`) {
		t.Errorf("--migration drop: exit %d, %s", code, errOut)
	}
	// Green is retired: a contract release is allowed and recorded.
	code, _, errOut = runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--migration", "contract", "--yes", "-q", "--watch", "1ms")
	if code != 0 || m.cfg.Contract.Version != "1.5.0" || m.cfg.Contract.Replaced != "1.4.2" {
		t.Errorf("contract release: exit %d, record %+v\n%s", code, m.cfg.Contract, errOut)
	}
	code, _, errOut = runWith(t, m, "rollback", "-s", "prod", "--yes", "-q")
	if code != 1 || !strings.Contains(errOut, "ran a contract migration") {
		t.Errorf("rollback across the contract: exit %d, %s", code, errOut)
	}
}
