package stack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// validApp is a webstack:app object that passes every rule.
func validApp() map[string]any {
	return map[string]any{
		"port":                8080,
		"healthCheckPath":     "/actuator/health",
		"instanceType":        "t4g.small",
		"activeColor":         "blue",
		"canaryWeight":        0,
		"testListenerPort":    9000,
		"testListenerCidrs":   []any{"203.0.113.0/24"},
		"deregistrationDelay": 30,
		"minActiveCapacity":   2,
		"blue":                map[string]any{"version": "1.4.2", "minSize": 2, "desiredCapacity": 2, "maxSize": 4},
		"green":               map[string]any{"version": "", "minSize": 0, "desiredCapacity": 0, "maxSize": 4},
	}
}

func loadApp(t *testing.T, app map[string]any) (*Config, error) {
	t.Helper()
	raw, err := json.Marshal(app)
	if err != nil {
		t.Fatal(err)
	}
	return LoadConfig("webstack", "prod", map[string]string{"webstack:app": string(raw)})
}

func TestAppConfigValid(t *testing.T) {
	cfg, err := loadApp(t, validApp())
	if err != nil {
		t.Fatalf("valid app config rejected: %v", err)
	}
	if cfg.App.IdleColor() != "green" || cfg.App.Blue.Version != "1.4.2" || cfg.App.IdleTimeout != 60 || cfg.AppProfile() != "prod" {
		t.Errorf("parsed app config = %+v", cfg.App)
	}
	// Access logs are kept past the stack unless a stack file says otherwise; the shortest
	// grace period is accepted.
	if !cfg.App.RetainAccessLogs || cfg.App.HealthCheckGracePeriod != 240 {
		t.Errorf("retainAccessLogs %v, healthCheckGracePeriod %d; want the defaults true and 240", cfg.App.RetainAccessLogs, cfg.App.HealthCheckGracePeriod)
	}
	app0 := validApp()
	app0["healthCheckGracePeriod"] = 60
	app0["retainAccessLogs"] = false
	if cfg, err := loadApp(t, app0); err != nil || cfg.App.RetainAccessLogs || cfg.App.HealthCheckGracePeriod != 60 {
		t.Errorf("retainAccessLogs false and a 60 s grace period: %v, %+v", err, cfg)
	}
	// A canary with an idle color that has capacity, and a flip, are fine.
	app := validApp()
	app["green"] = map[string]any{"version": "1.5.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	app["canaryWeight"] = 10
	if _, err := loadApp(t, app); err != nil {
		t.Errorf("canary rejected: %v", err)
	}
	app["activeColor"] = "green"
	app["canaryWeight"] = 0
	if _, err := loadApp(t, app); err != nil {
		t.Errorf("flip rejected: %v", err)
	}

	// No release yet: neither color has a version, and both carry the sizes they run once
	// released. A version-less color with sizes is valid; it runs nothing.
	app = validApp()
	app["blue"] = map[string]any{"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	app["green"] = map[string]any{"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	cfg, err = loadApp(t, app)
	if err != nil {
		t.Fatalf("no-release state rejected: %v", err)
	}
	if cfg.App.Blue.Running() || cfg.App.Green.Running() {
		t.Errorf("a color without a version counts as running: %+v", cfg.App)
	}
	// The first release deploys to the idle color while the active one still has none.
	app["green"] = map[string]any{"version": "1.0.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
	if _, err := loadApp(t, app); err != nil {
		t.Errorf("first release to the idle color rejected: %v", err)
	}
}

// TestAppConfigRules breaks one rule per case and expects exactly its message.
func TestAppConfigRules(t *testing.T) {
	set := func(kv ...any) func(map[string]any) {
		return func(app map[string]any) {
			for i := 0; i+1 < len(kv); i += 2 {
				app[kv[i].(string)] = kv[i+1]
			}
		}
	}
	color := func(c string, kv ...any) func(map[string]any) {
		return func(app map[string]any) {
			m := app[c].(map[string]any)
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
		}
	}
	const f = "Pulumi.prod.yaml: webstack:app"
	cases := []struct {
		name   string
		mutate func(map[string]any)
		want   string
	}{
		{"active color name", set("activeColor", "purple"),
			f + `.activeColor: "purple" must be "blue" or "green"`},
		{"canary range", set("canaryWeight", 101),
			f + `.canaryWeight: 101 must be between 0 and 100 (the percentage of production traffic sent to the idle color)`},
		{"canary needs an idle version", set("canaryWeight", 10),
			f + `.canaryWeight: 10 sends production traffic to the idle color "green", which has no version (webstack:app.green.version is "")`},
		{"canary needs idle capacity", func(app map[string]any) {
			app["canaryWeight"] = 10
			app["green"] = map[string]any{"version": "1.5.0", "minSize": 0, "desiredCapacity": 0, "maxSize": 4}
		}, f + `.canaryWeight: 10 sends production traffic to the idle color "green", which has no instances (webstack:app.green.desiredCapacity is 0)`},
		{"canary needs a released active color", func(app map[string]any) {
			app["canaryWeight"] = 10
			app["blue"] = map[string]any{"version": "", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
			app["green"] = map[string]any{"version": "1.5.0", "minSize": 2, "desiredCapacity": 2, "maxSize": 4}
		}, f + `.canaryWeight: 10 splits production traffic, but the active color "blue" has no version (webstack:app.blue.version is ""): there is no release to split it with`},
		{"port range", set("port", 70000),
			f + `.port: 70000 is not a TCP port (1 to 65535)`},
		{"test port range", set("testListenerPort", 0),
			f + `.testListenerPort: 0 is not a TCP port (1 to 65535)`},
		{"test port distinct from production", set("testListenerPort", 443),
			f + `.testListenerPort: 443 is a production listener port (80, 443); the test listener needs a port of its own, e.g. 9000`},
		{"health check path", set("healthCheckPath", "actuator/health"),
			f + `.healthCheckPath: "actuator/health" must be an absolute URL path such as "/actuator/health" (no query, no spaces, at most 1024 characters)`},
		{"instance type arm64", set("instanceType", "t3.small"),
			f + `.instanceType: "t3.small" is not an arm64 (Graviton) instance type such as "t4g.small"; the fleet runs Amazon Linux 2023 for arm64`},
		{"test cidrs required", set("testListenerCidrs", []any{}),
			f + `.testListenerCidrs: [] must list at least one deploy network (CIDR) allowed to reach the test listener`},
		{"test cidr whole internet", set("testListenerCidrs", []any{"0.0.0.0/0"}),
			f + `.testListenerCidrs[0]: "0.0.0.0/0" would open the test listener to the whole internet; list your deploy networks instead`},
		{"test cidr whole internet v6", set("testListenerCidrs", []any{"203.0.113.0/24", "::/0"}),
			f + `.testListenerCidrs[1]: "::/0" would open the test listener to the whole internet; list your deploy networks instead`},
		{"test cidr invalid", set("testListenerCidrs", []any{"203.0.113.0/33"}),
			f + `.testListenerCidrs[0]: "203.0.113.0/33" is not a valid CIDR`},
		{"test cidr host bits", set("testListenerCidrs", []any{"203.0.113.7/24"}),
			f + `.testListenerCidrs[0]: "203.0.113.7/24" has host bits set; the network address is "203.0.113.0/24"`},
		{"test cidr duplicate", set("testListenerCidrs", []any{"203.0.113.0/24", "203.0.113.0/24"}),
			f + `.testListenerCidrs[1]: "203.0.113.0/24" is listed twice`},
		{"deregistration delay", set("deregistrationDelay", 4000),
			f + `.deregistrationDelay: 4000 must be between 0 and 3600 seconds`},
		{"grace period", set("healthCheckGracePeriod", -1),
			f + `.healthCheckGracePeriod: -1 must be between 60 and 7200 seconds`},
		{"grace period too long", set("healthCheckGracePeriod", 7201),
			f + `.healthCheckGracePeriod: 7201 must be between 60 and 7200 seconds`},
		// 0 is what Auto Scaling accepts, and what would replace every booting instance.
		{"grace period 0", set("healthCheckGracePeriod", 0),
			f + `.healthCheckGracePeriod: 0 is too short: Auto Scaling would replace each new instance on its first failed health check, before Docker and ` +
				`the application have started (instances register before their user data finishes); use at least 60 seconds (default 240)`},
		{"grace period under a minute", set("healthCheckGracePeriod", 30),
			f + `.healthCheckGracePeriod: 30 is too short: Auto Scaling would replace each new instance on its first failed health check, before Docker and ` +
				`the application have started (instances register before their user data finishes); use at least 60 seconds (default 240)`},
		{"idle timeout", set("idleTimeout", 0),
			f + `.idleTimeout: 0 must be between 1 and 4000 seconds (what an ALB accepts)`},
		{"access log retention", set("accessLogRetentionDays", 0),
			f + `.accessLogRetentionDays: 0 must be between 1 and 3650 days`},
		{"image retention", set("imageRetentionCount", 0),
			f + `.imageRetentionCount: 0 must be between 1 and 1000 images`},
		{"profile", set("profile", "prod profile"),
			f + `.profile: "prod profile" must be one or more profile names separated by commas (letters, digits, '_', '-')`},
		{"min active capacity", set("minActiveCapacity", 0),
			f + `.minActiveCapacity: 0 must be at least 1: the active color always serves production traffic`},
		{"active color capacity (prod: 2)", color("blue", "minSize", 1),
			f + `.blue.minSize: 1 is below minActiveCapacity 2: the active color "blue" must keep at least 2 instance(s)`},
		{"negative min", color("green", "minSize", -1),
			f + `.green.minSize: -1 must not be negative`},
		{"min above desired", color("blue", "minSize", 3),
			f + `.blue.desiredCapacity: 2 is below minSize 3 (sizes must satisfy 0 <= minSize <= desiredCapacity <= maxSize)`},
		{"desired above max", color("blue", "desiredCapacity", 5),
			f + `.blue.maxSize: 4 is below desiredCapacity 5 (sizes must satisfy 0 <= minSize <= desiredCapacity <= maxSize)`},
		{"version is an image tag", color("blue", "version", "1.4.2 beta"),
			f + `.blue.version: "1.4.2 beta" is not a valid image tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')`},
		{"version must be a string", color("blue", "version", 1.5),
			f + `.blue.version: 1.5 must be a string (put it in quotes)`},
		{"unknown key", set("testListenerCidr", []any{}),
			f + `.testListenerCidr: unknown key (did you mean "testListenerCidrs"?)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := validApp()
			tc.mutate(app)
			_, err := loadApp(t, app)
			if err == nil {
				t.Fatalf("accepted %v", app)
			}
			if err.Error() != tc.want {
				t.Errorf("error =\n  %s\nwant\n  %s", err, tc.want)
			}
		})
	}
}

// TestReleaseCheckPath: every release check requests one path through CloudFront, so it must be
// under the API path (anything else is answered by the frontend bucket's index.html, 200 for
// any version). The default is the health check path as the application sees it there.
func TestReleaseCheckPath(t *testing.T) {
	for _, tc := range []struct {
		health, custom, want string
	}{
		{"/actuator/health", "", "/api/actuator/health"},
		{"/api/actuator/health", "", "/api/actuator/health"}, // an application served under /api
		{"/apiary/health", "", "/api/apiary/health"},
		{"/actuator/health", "/api/version", "/api/version"},
	} {
		app := validApp()
		app["healthCheckPath"] = tc.health
		if tc.custom != "" {
			app["releaseCheckPath"] = tc.custom
		}
		cfg, err := loadApp(t, app)
		if err != nil {
			t.Errorf("%+v: %v", tc, err)
			continue
		}
		if got := cfg.ReleaseCheckPath(); got != tc.want {
			t.Errorf("health %q, releaseCheckPath %q: got %q, want %q", tc.health, tc.custom, got, tc.want)
		}
	}
	const f = "Pulumi.prod.yaml: webstack:app.releaseCheckPath: "
	for custom, want := range map[string]string{
		"/actuator/health": f + `"/actuator/health" is not under the API path "/api/" (webstack:edge.apiPathPattern "/api/*"): CloudFront would answer it from the frontend bucket, never from the application`,
		"api/health":       f + `"api/health" must be an absolute URL path such as "/api/actuator/health" (no query, no spaces)`,
		"/api/health?x=1":  f + `"/api/health?x=1" must be an absolute URL path such as "/api/actuator/health" (no query, no spaces)`,
	} {
		app := validApp()
		app["releaseCheckPath"] = custom
		_, err := loadApp(t, app)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("releaseCheckPath %q: %v\nwant %s", custom, err, want)
		}
	}
}

// TestAppSettingsRules breaks one rule of webstack:app.settings per case and expects its
// message, naming the file, the full key and (unless it may be a secret) the value.
func TestAppSettingsRules(t *testing.T) {
	const f = "Pulumi.prod.yaml: webstack:app.settings"
	many := map[string]any{}
	for i := 0; i <= maxSettings; i++ {
		many[fmt.Sprintf("S%03d", i)] = "x"
	}
	long := map[string]any{}
	for i := 0; i < 70; i++ {
		long[fmt.Sprintf("S%02d_%s", i, strings.Repeat("N", 58))] = "x"
	}
	cases := []struct {
		name     string
		settings any
		want     string
	}{
		{"not an object", "FEATURE_X=on", f + `: "FEATURE_X=on" must be an object`},
		{"value not a string", map[string]any{"POOL_SIZE": 10}, f + `.POOL_SIZE: 10 must be a string (put it in quotes)`},
		{"lower case name", map[string]any{"feature_x": "on"},
			f + `.feature_x: "feature_x" is not a setting name: upper-case letters, digits and '_', not starting with a digit, at most 64 characters (it becomes an environment variable)`},
		{"name with a hyphen", map[string]any{"FEATURE-X": "on"}, f + `.FEATURE-X: "FEATURE-X" is not a setting name`},
		{"name starting with a digit", map[string]any{"1X": "on"}, f + `.1X: "1X" is not a setting name`},
		{"generated name", map[string]any{"DB_WRITER_HOST": "localhost"}, f + `.DB_WRITER_HOST: "DB_WRITER_HOST" is a setting the program writes itself`},
		{"the fleet's own variable", map[string]any{"SERVER_PORT": "9090"}, f + `.SERVER_PORT: "SERVER_PORT" is a setting the program writes itself`},
		{"the uploads helper's", map[string]any{"UPLOADS_BUCKET": "mine"}, f + `.UPLOADS_BUCKET: "UPLOADS_BUCKET" is a setting the program writes itself`},
		{"empty value", map[string]any{"FEATURE_X": ""}, f + `.FEATURE_X: "" is empty: Parameter Store refuses an empty value (remove the setting, or give it a value)`},
		{"too long", map[string]any{"BIG": strings.Repeat("x", 4097)}, f + `.BIG: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… is 4097 characters, more than the 4096 of a Standard parameter`},
		{"line break", map[string]any{"GREETING": "hello\nSERVER_PORT=1"},
			f + `.GREETING: "hello\nSERVER_PORT=1" contains a line break, tab or other control character: each setting is one line of the container's environment file`},
		{"tab", map[string]any{"GREETING": "a\tb"}, f + `.GREETING: "a\tb" contains a line break`},
		{"aws access key", map[string]any{"S3_KEY_ID": "AKIAIOSFODNN7EXAMPLE"}, f + `.S3_KEY_ID: the value looks like an AWS access key ID (not shown here)`},
		{"url with a password", map[string]any{"BROKER_URL": "amqp://app:hunter2@mq.internal:5672"}, f + `.BROKER_URL: the value looks like a URL with a password (not shown here)`},
		{"private key", map[string]any{"SIGNING": "-----BEGIN RSA PRIVATE KEY-----MIIE"}, f + `.SIGNING: the value looks like a private key (not shown here)`},
		{"slack webhook", map[string]any{"ALERTS": "https://hooks.slack.com/services/T000/B000/XXXX"}, f + `.ALERTS: the value looks like a Slack webhook URL (not shown here)`},
		{"secret name", map[string]any{"PAYMENT_API_KEY": "abc123"},
			f + `.PAYMENT_API_KEY: "PAYMENT_API_KEY" names a secret, and settings are plain text in Parameter Store, in previews and on every instance: put the secret in Secrets Manager and set its ARN instead, as PAYMENT_API_KEY_ARN`},
		{"password name", map[string]any{"SMTP_PASSWORD": "abc"}, f + `.SMTP_PASSWORD: "SMTP_PASSWORD" names a secret`},
		{"too many", many, f + `: 101 settings are more than 100`},
		{"manifest too long", long, f + `: the settings' names make a manifest (_manifest) of`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := validApp()
			app["settings"] = tc.settings
			_, err := loadApp(t, app)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("settings %.80v:\n  got  %v\n  want %s…", tc.settings, err, tc.want)
			}
			if err != nil && strings.Contains(tc.want, "not shown here") {
				for _, v := range tc.settings.(map[string]any) {
					if strings.Contains(err.Error(), v.(string)) {
						t.Errorf("the error shows the value it says may be a secret: %v", err)
					}
				}
			}
		})
	}

	// What a team sets: feature flags, URLs without credentials, a secret's ARN under a
	// secret's name.
	app := validApp()
	app["settings"] = map[string]any{
		"FEATURE_NEW_CHECKOUT": "true",
		"PAYMENT_API_URL":      "https://api.payments.example.com/v2",
		"PAYMENT_API_KEY_ARN":  "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:payment-key-AbCdEf",
		"SESSION_SECRET":       "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:session-AbCdEf",
		"GREETING":             "Hello, world = 1",
		"JAVA_TOOL_OPTIONS":    "-Xmx512m -XX:+UseG1GC",
	}
	cfg, err := loadApp(t, app)
	if err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
	if len(cfg.App.Settings) != 6 || cfg.App.Settings["GREETING"] != "Hello, world = 1" {
		t.Errorf("settings = %v", cfg.App.Settings)
	}
}

// TestSettingsPathNames: a project name Parameter Store refuses at the start of a path (aws…,
// ssm…, any case) is refused before anything is registered, naming Pulumi.yaml's name.
func TestSettingsPathNames(t *testing.T) {
	raw, _ := json.Marshal(validApp())
	for project, want := range map[string]string{
		"aws-shop": `Pulumi.yaml: name: "aws-shop": the project name starts the app settings' path /aws-shop/prod/app, and Parameter Store refuses every parameter name that begins with "aws" or "ssm" (any case); rename the project`,
		"SSMapp":   `Pulumi.yaml: name: "SSMapp": the project name starts the app settings' path /SSMapp/prod/app, and Parameter Store refuses`,
		"web@shop": `Pulumi.yaml: name: "web@shop": the project name starts the app settings' path /web@shop/prod/app, and Parameter Store accepts only letters, digits, '.', '-' and '_' in it`,
	} {
		_, err := LoadConfig(project, "prod", map[string]string{"webstack:app": string(raw)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("project %q: %v\nwant %s", project, err, want)
		}
	}
	if _, err := LoadConfig("awesome", "prod", map[string]string{"webstack:app": string(raw)}); err != nil {
		t.Errorf("project \"awesome\" (not aws…) refused: %v", err)
	}
}
