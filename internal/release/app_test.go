package release

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
)

func TestParseAppRejectsBadValues(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"blue": {}}`, "webstack:app.activeColor is not set"},
		{`{"activeColor": "red"}`, `webstack:app.activeColor: "red" is not blue or green`},
		{`{"activeColor": "blue", "blue": {"version": 150}}`, "webstack:app.blue.version: 150 is a json.Number, not a string"},
		{`{"activeColor": "blue", "green": {"minSize": 1.5}}`, `webstack:app.green.minSize: "1.5" is not an integer`},
		{`{"activeColor": "blue", "green": {"maxSize": "4"}}`, "webstack:app.green.maxSize: 4 is not an integer"},
		{`{"activeColor": "blue", "canaryWeight": true}`, "webstack:app.canaryWeight: true is not an integer"},
		{`"blue"`, "not a config object"},
	} {
		_, err := ParseApp([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseApp(%s) = %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestParseAppReportsAllProblems(t *testing.T) {
	_, err := ParseApp([]byte(`{"activeColor": "red", "blue": {"version": 1}, "green": {"maxSize": "x"}}`))
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("want 3 problems, got %v", err)
	}
}

func TestObjectRoundTrip(t *testing.T) {
	a := liveBlue()
	b, err := json.Marshal(a.Object())
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseApp(b)
	if err != nil {
		t.Fatal(err)
	}
	sameRelease(t, back, a)
	if !strings.Contains(string(b), `"deregistrationDelay":30`) || !strings.Contains(string(b), `"version":"1.4.2"`) {
		t.Errorf("object = %s", b)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		mut  func(*App)
		want string
	}{
		{func(a *App) { a.Active = contract.Green; a.Green.Capacity = contract.Capacity{} }, `active color "green" has no capacity`},
		{func(a *App) { a.CanaryWeight = 10 }, `needs capacity and a version on idle color "green"`},
		{func(a *App) { a.CanaryWeight = 10; a.Green = fleet("", 2, 2, 4) }, `needs capacity and a version on idle color "green"`},
		{func(a *App) { a.CanaryWeight = 10; a.Green = fleet("1.5.0", 2, 2, 4); a.Blue.Version = "" }, `needs a version on active color "blue"`},
		{func(a *App) { a.CanaryWeight = 101 }, "101 is not between 0 and 100"},
		{func(a *App) { a.Blue.Capacity.Desired = 5 }, "0 <= minSize <= desiredCapacity <= maxSize"},
	} {
		a := liveBlue()
		tc.mut(&a)
		if err := a.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want %q", Describe(a), err, tc.want)
		}
	}
	if err := liveBlue().Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	// No release yet: both colors carry the sizes they run once released, neither has a
	// version; the first release starts from there.
	noRelease := liveBlue()
	noRelease.Blue.Version = ""
	noRelease.Green = fleet("", 2, 2, 4)
	if err := noRelease.Validate(); err != nil {
		t.Errorf("no-release config: %v", err)
	}
}

func TestStackFile(t *testing.T) {
	for stack, want := range map[string]string{"prod": "Pulumi.prod.yaml", "acme/prod": "Pulumi.prod.yaml", "acme/webstack/dev": "Pulumi.dev.yaml"} {
		if got := StackFile(stack); got != want {
			t.Errorf("StackFile(%q) = %q, want %q", stack, got, want)
		}
	}
}
