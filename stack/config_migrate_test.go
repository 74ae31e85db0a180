package stack

import (
	"strings"
	"testing"
)

func TestMigrationConfig(t *testing.T) {
	ok := validApp()
	ok["migrate"] = "flyway -connectRetries=10 -locations=filesystem:/flyway/sql migrate"
	ok["contract"] = map[string]any{"version": "1.5.0", "replaced": "1.4.2"}
	cfg, err := loadApp(t, ok)
	if err != nil {
		t.Fatalf("valid migration config rejected: %v", err)
	}
	if cfg.App.Migrate == "" || cfg.App.Contract.Version != "1.5.0" || cfg.App.Contract.Replaced != "1.4.2" {
		t.Errorf("parsed %q %+v", cfg.App.Migrate, cfg.App.Contract)
	}
	for _, tc := range []struct {
		name string
		set  func(map[string]any)
		want string
	}{
		{"a shell", func(a map[string]any) { a["migrate"] = "sh -c 'flyway migrate'" }, `webstack:app.migrate: "sh -c 'flyway migrate'" must be the words`},
		{"expansion", func(a map[string]any) { a["migrate"] = "flyway migrate $DB_PASSWORD" }, "webstack:app.migrate"},
		{"two spaces", func(a map[string]any) { a["migrate"] = "flyway  migrate" }, "webstack:app.migrate"},
		{"too long", func(a map[string]any) { a["migrate"] = strings.Repeat("a", 1025) }, "at most 1024 characters"},
		{"bad record", func(a map[string]any) { a["contract"] = map[string]any{"version": "1.5 0"} }, `webstack:app.contract.version: "1.5 0" is not a valid image tag`},
		{"replaced alone", func(a map[string]any) { a["contract"] = map[string]any{"replaced": "1.4.2"} }, `webstack:app.contract.replaced: "1.4.2" is set without`},
	} {
		app := validApp()
		tc.set(app)
		_, err := loadApp(t, app)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "Pulumi.prod.yaml") {
			t.Errorf("%s: %v, want an error naming Pulumi.prod.yaml and %q", tc.name, err, tc.want)
		}
	}
}
