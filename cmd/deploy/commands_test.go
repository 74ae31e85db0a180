package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/webstack/webstack/internal/release"
)

// memStack is an in-memory stack whose outputs point at one local HTTP server.
type memStack struct {
	cfg, deployed release.App
	url           string
	ups           int
	failUp        error
}

func (m *memStack) Name() string                                  { return "prod" }
func (m *memStack) App(context.Context) (release.App, error)      { return m.cfg, nil }
func (m *memStack) SetApp(_ context.Context, a release.App) error { m.cfg = a; return nil }
func (m *memStack) Up(context.Context) error {
	m.ups++
	if m.failUp != nil {
		return m.failUp
	}
	m.deployed = m.cfg
	return nil
}
func (m *memStack) Outputs(context.Context) (release.Outputs, error) {
	return release.Outputs{"activeColor": string(m.deployed.Active), "idleColor": string(m.deployed.Idle()),
		"blueVersion": m.deployed.Blue.Version, "greenVersion": m.deployed.Green.Version,
		"testUrl": m.url, "apiUrl": m.url}, nil
}

func newMem(t *testing.T) *memStack {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/actuator/health" {
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	app, err := release.ParseApp([]byte(`{"activeColor": "blue",
		"blue": {"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green": {"version": "", "minSize": 0, "desiredCapacity": 0, "maxSize": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	return &memStack{cfg: app, deployed: app, url: srv.URL}
}

func runWith(t *testing.T, m *memStack, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		open: func(_ context.Context, stack, _ string, _ io.Writer) (release.Stack, error) {
			if stack != "prod" {
				return nil, errors.New("stack " + stack + " does not exist")
			}
			return m, nil
		}}
	code := run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

func TestHelpDocumentsEveryCommand(t *testing.T) {
	code, out, _ := runWith(t, nil, "-h")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, s := range []string{"deploy status", "deploy release", "deploy rollback", "deploy retire", "--dry-run", "--canary", "--bake", "--smoke-path", "--yes"} {
		if !strings.Contains(out, s) {
			t.Errorf("usage lacks %q", s)
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
	} {
		code, _, errOut := runWith(t, newMem(t), tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestMutatingCommandsNeedYesWithoutTerminal(t *testing.T) {
	for _, args := range [][]string{
		{"release", "-s", "prod", "--version", "1.5.0"}, {"rollback", "-s", "prod"}, {"retire", "-s", "prod"},
	} {
		m := newMem(t)
		code, _, errOut := runWith(t, m, args...)
		if code != 1 || !strings.Contains(errOut, "refusing to change stack \"prod\" without --yes") || m.ups != 0 {
			t.Errorf("%q: exit %d, ups %d, stderr %q", args, code, m.ups, errOut)
		}
	}
}

func TestReleaseDryRunAndReal(t *testing.T) {
	m := newMem(t)
	code, out, errOut := runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--dry-run")
	if code != 0 || m.ups != 0 || !strings.Contains(out, `webstack:app.green.version: "" -> "1.5.0"`) {
		t.Fatalf("dry run: exit %d ups %d\n%s%s", code, m.ups, out, errOut)
	}
	code, out, errOut = runWith(t, m, "release", "-s", "prod", "--version", "1.5.0", "--yes", "-q")
	if code != 0 || m.deployed.Active != release.Green {
		t.Fatalf("release: exit %d, deployed %s\n%s%s", code, release.Describe(m.deployed), out, errOut)
	}
	for _, s := range []string{"release summary", "live:        1.5.0 on green (was 1.4.2 on blue)", "deploy rollback -s prod"} {
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
		!strings.Contains(errOut, "stack state: restoring the previous config failed too") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

func TestStatusJSON(t *testing.T) {
	m := newMem(t)
	code, out, errOut := runWith(t, m, "status", "-s", "prod", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var st release.Status
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if st.ActiveColor != release.Blue || st.Blue.Version != "1.4.2" || st.Blue.Capacity.Desired != 2 || st.ProductionURL != m.url {
		t.Errorf("status = %+v", st)
	}
	code, out, _ = runWith(t, m, "status", "-s", "prod")
	if code != 0 || !strings.Contains(out, "live:   blue  version 1.4.2, capacity 2/2/4 (min/desired/max)") {
		t.Errorf("text status:\n%s", out)
	}
}
