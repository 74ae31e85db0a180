package compute

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// settingsScript extracts webstack-settings from the rendered user data, with /etc/webstack
// moved to dir so that it can run here.
func settingsScript(t *testing.T, dir string) string {
	t.Helper()
	ud, err := goldenUserData().Render()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<<'WEBSTACK_SETTINGS'\n(.*?)\nWEBSTACK_SETTINGS\n`).FindStringSubmatch(ud)
	if m == nil {
		t.Fatal("no webstack-settings script in the user data")
	}
	env := regexp.MustCompile(`(?s)<<'WEBSTACK_ENV'\n(.*?)\nWEBSTACK_ENV\n`).FindStringSubmatch(ud)
	if err := os.WriteFile(filepath.Join(dir, "builtin.env"), []byte(env[1]+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(m[1], "/etc/webstack", dir)
}

// fakeAWS puts an `aws` on PATH that answers get-parameters-by-path with the given parameters
// as the CLI's text output does (one "name<TAB>value" line each) and records its arguments.
func fakeAWS(t *testing.T, dir string, params map[string]string) string {
	t.Helper()
	var lines []string
	for name, value := range params {
		lines = append(lines, name+"\t"+value)
	}
	sort.Strings(lines)
	if err := os.WriteFile(filepath.Join(dir, "answer"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin")
	script := "#!/bin/bash\necho \"$*\" >> " + dir + "/calls\ncat " + dir + "/answer\n"
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestSettingsScript runs the instances' webstack-settings against a fake CLI: it writes the
// settings the manifest names after the fleet's own variables, agrees with SettingsManifest's
// digest, never lets a setting override a built-in variable, and waits, then fails, without a
// manifest.
func TestSettingsScript(t *testing.T) {
	for _, tool := range []string{"bash", "sha256sum", "grep", "sort", "mktemp"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	settings := map[string]string{
		"DB_WRITER_HOST": "webstack-prod-db.c1.ap-northeast-2.rds.amazonaws.com",
		"DB_PORT":        "3306",
		"DB_PORT2":       "a value with spaces = and signs",
		"FEATURE_X":      "on",
	}
	run := func(t *testing.T, params map[string]string, wait string) (string, string, error) {
		dir := t.TempDir()
		script := settingsScript(t, dir)
		bin := fakeAWS(t, dir, params)
		cmd := exec.Command("bash", "-c", script, "webstack-settings", wait)
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		env, _ := os.ReadFile(filepath.Join(dir, "app.env"))
		calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
		if err == nil && !strings.Contains(string(calls), "ssm get-parameters-by-path --region ap-northeast-2 --path /webstack/prod/app --recursive --with-decryption") {
			t.Errorf("the script called %q", calls)
		}
		return string(env), string(out), err
	}
	params := map[string]string{"/webstack/prod/app/" + ManifestName: SettingsManifest(settings)}
	for k, v := range settings {
		params["/webstack/prod/app/"+k] = v
	}
	params["/webstack/prod/app/SERVER_PORT"] = "1" // never overrides the fleet's own

	t.Run("complete", func(t *testing.T) {
		env, out, err := run(t, params, "5")
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		for _, want := range []string{"APP_COLOR=green\n", "SERVER_PORT=8080\n", "DB_PORT=3306\n", "DB_PORT2=a value with spaces = and signs\n", "FEATURE_X=on\n"} {
			if !strings.Contains(env, want) {
				t.Errorf("app.env lacks %q:\n%s", want, env)
			}
		}
		if strings.Contains(env, "SERVER_PORT=1\n") || strings.Contains(env, ManifestName) {
			t.Errorf("app.env holds a setting it must not:\n%s", env)
		}
	})
	t.Run("no manifest", func(t *testing.T) {
		p := map[string]string{}
		for k, v := range params {
			if !strings.HasSuffix(k, ManifestName) {
				p[k] = v
			}
		}
		if _, out, err := run(t, p, "1"); err == nil || !strings.Contains(out, "missing: _manifest") {
			t.Errorf("the script succeeded without a manifest (%v): %s", err, out)
		}
	})
	t.Run("missing setting", func(t *testing.T) {
		p := map[string]string{}
		for k, v := range params {
			if !strings.HasSuffix(k, "/FEATURE_X") {
				p[k] = v
			}
		}
		if _, out, err := run(t, p, "1"); err == nil || !strings.Contains(out, "missing: FEATURE_X") {
			t.Errorf("the script succeeded without a setting the manifest names (%v): %s", err, out)
		}
	})
	t.Run("changed outside Pulumi", func(t *testing.T) {
		p := map[string]string{}
		for k, v := range params {
			p[k] = v
		}
		p["/webstack/prod/app/FEATURE_X"] = "off"
		env, out, err := run(t, p, "1")
		if err != nil || !strings.Contains(out, "do not match their manifest") || !strings.Contains(env, "FEATURE_X=off\n") {
			t.Errorf("a digest that never matches must be used as read with a warning: %v, %s, %s", err, out, env)
		}
	})
}

func TestSettingsManifest(t *testing.T) {
	got := SettingsManifest(map[string]string{"B": "2", "A": "1"})
	if !strings.HasPrefix(got, "v1 sha256=") || !strings.HasSuffix(got, " names=A,B") || len(got) != ManifestLength([]string{"A", "B"}) {
		t.Errorf("SettingsManifest = %q", got)
	}
	if SettingsPath("webstack", "prod") != "/webstack/prod/app" {
		t.Errorf("SettingsPath = %q", SettingsPath("webstack", "prod"))
	}
}
