package compute

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func goldenUserData() UserData {
	return UserData{
		Color:            Green,
		Version:          "1.5.0",
		Repository:       "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod",
		Region:           "ap-northeast-2",
		Port:             8080,
		Profile:          "prod",
		KeepAliveTimeout: 75,
		SettingsPath:     "/webstack/prod/app",
		LogGroup:         "/webstack/prod/app",
	}
}

func TestUserDataGolden(t *testing.T) {
	cases := map[string]UserData{
		"userdata.golden": goldenUserData(),
		"userdata-empty.golden": {
			Color: Blue, Repository: "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-dev",
			Region: "ap-northeast-2", Port: 8080,
		},
	}
	for file, u := range cases {
		t.Run(file, func(t *testing.T) {
			got, err := u.Render()
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			path := filepath.Join("testdata", file)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./compute -run TestUserDataGolden -update` to create it)", err)
			}
			if got != string(want) {
				t.Errorf("user data differs from %s (rerun with -update if the change is intended):\n%s", path, got)
			}
		})
	}
}

func TestUserDataContent(t *testing.T) {
	got, err := goldenUserData().Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"dnf install -y docker",
		"aws ecr get-login-password --region ap-northeast-2 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com\n",
		"--network host",
		"Restart=always",
		"123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod:1.5.0",
		"\nSERVER_PORT=8080\n",
		"\nSPRING_PROFILES_ACTIVE=prod\n",
		"\nAPP_COLOR=green\n",
		// The settings: read from Parameter Store, on exactly the granted path, paged by the
		// CLI, waiting for the manifest; at boot and before every start.
		"aws ssm get-parameters-by-path --region ap-northeast-2 --path \"$path\" --recursive --with-decryption",
		"\npath=/webstack/prod/app\n",
		"\nwait_s=${1:-180}\n",
		"_manifest) manifest=$value ;;",
		"LC_ALL=C sort | sha256sum",
		"\n/usr/local/bin/webstack-settings\n",
		"ExecStartPre=/usr/local/bin/webstack-settings 60\n",
		"systemctl enable --now webstack-app.service",
		// A restart needs the registry only if the image is not on the instance.
		"ExecStartPre=-/usr/local/bin/webstack-ecr-login\n",
		"ExecStartPre=/bin/sh -c '/usr/bin/docker pull 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod:1.5.0 || " +
			"/usr/bin/docker image inspect 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod:1.5.0 >/dev/null'\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("user data lacks %q", want)
		}
	}
	empty, err := UserData{Color: Blue, Repository: "r.example/x", Region: "r", Port: 1}.Render()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(empty, "docker run") || !strings.Contains(empty, "exit 1") {
		t.Errorf("user data of a color without a version must refuse to start, got:\n%s", empty)
	}
}

func TestUserDataRejectsBadSettingsPath(t *testing.T) {
	for _, path := range []string{"", "webstack/prod/app", "/webstack/prod/app/", "/webstack prod/app", "/webstack/$(reboot)/app"} {
		u := goldenUserData()
		u.SettingsPath = path
		if _, err := u.Render(); err == nil {
			t.Errorf("Render accepted settings path %q", path)
		}
	}
	u := goldenUserData()
	u.Repository = "no-registry"
	if _, err := u.Render(); err == nil {
		t.Error("Render accepted a repository URL without a registry host")
	}
}
