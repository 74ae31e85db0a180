package stack_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
)

// TestAppSettingsParameters: in every stack, each generated setting and each of
// webstack:app.settings is a Standard String parameter under /<project>/<stack>/app with a
// readable (insecure) value, and the manifest comes after all of them and names them.
func TestAppSettingsParameters(t *testing.T) {
	for _, name := range []string{"prod", "dev", "test"} {
		t.Run(name, func(t *testing.T) {
			res := runApp(t, name, set("settings", map[string]any{"FEATURE_X": "on", "PAYMENT_API_URL": "https://pay.example.com/v2"}))
			path := "/webstack/" + name + "/app"
			if got := res.Outputs[contract.OutAppSettingsPath]; got != path {
				t.Errorf("appSettingsPath = %v, want %s", got, path)
			}
			values := map[string]string{}
			var urns []string
			var manifest string
			var manifestDeps []string
			for _, p := range res.ByType(contract.TypeSSMParameter) {
				n, _ := p.Input("name").(string)
				if !strings.HasPrefix(n, path+"/") {
					continue
				}
				if p.Input("type") != "String" || p.Input("tier") != "Standard" || p.Input("value") != nil {
					t.Errorf("%s: type %v, tier %v, value %v: want a Standard String with insecureValue", n, p.Input("type"), p.Input("tier"), p.Input("value"))
				}
				v, _ := p.Input("insecureValue").(string)
				if strings.HasSuffix(n, "/"+compute.ManifestName) {
					manifest, manifestDeps = v, p.Dependencies
					continue
				}
				values[strings.TrimPrefix(n, path+"/")] = v
				urns = append(urns, p.URN)
			}
			for _, want := range []string{"DB_WRITER_HOST", "DB_READER_HOSTS", "DB_USER", "DB_AUTH", "REDIS_HOST", "REDIS_READER_HOST", "FEATURE_X", "PAYMENT_API_URL"} {
				if values[want] == "" {
					t.Errorf("no setting %s (have %v)", want, values)
				}
			}
			if _, ok := values["DB_SECRET_ARN"]; ok {
				t.Error("the settings name the master secret")
			}
			if values["DB_USER"] != contract.AppDatabaseUser || values["FEATURE_X"] != "on" {
				t.Errorf("DB_USER %q, FEATURE_X %q", values["DB_USER"], values["FEATURE_X"])
			}
			if manifest != compute.SettingsManifest(values) {
				t.Errorf("manifest %q, want %q", manifest, compute.SettingsManifest(values))
			}
			for _, u := range urns {
				if !slices.Contains(manifestDeps, u) {
					t.Errorf("the manifest is not created after %s", u)
				}
			}
		})
	}
}
