package stack_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// The image guard: a color that runs instances must run an image that is in the stack's ECR
// repository, or the run stops before any tier resource is registered.

const getImage = "aws:ecr/getImage:getImage"

// withImages returns prod's files with webstack:app changed by mutate and the registry holding
// images (repository name to tags; nil: no repository at all).
func withImages(t *testing.T, mutate func(map[string]any), images map[string][]string) *plan.StackFiles {
	t.Helper()
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	if sf, err = sf.WithSection("webstack:app", mutate); err != nil {
		t.Fatal(err)
	}
	if images == nil {
		images = map[string][]string{}
	}
	sf.Images = images
	return sf
}

// runGuarded runs the program on sf against an engine holding sf.Images and returns the
// engine, even when the run fails.
func runGuarded(sf *plan.StackFiles) (*mockaws.Engine, error) {
	e := mockaws.New(sf.Project, sf.Stack, stack.DefaultRegion)
	e.Images = sf.Images
	// A preview: the guard runs there too, and prod's documentation placeholders stop an up.
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return stack.Run(ctx, sf.Values) },
		pulumi.WithMocks(sf.Project, sf.Stack, e), func(info *pulumi.RunInfo) { info.DryRun = true })
	return e, err
}

func TestImageGuard(t *testing.T) {
	const uri = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod"
	cases := []struct {
		name   string
		mutate func(map[string]any)
		images map[string][]string
		want   []string // every message the run must fail with; none: it must pass
	}{
		{"the live version is pushed", released, map[string][]string{"webstack-prod": {"1.4.2"}}, nil},
		{"the live version is not pushed", released, map[string][]string{"webstack-prod": {"1.4.1"}}, []string{
			`Pulumi.prod.yaml: webstack:app.blue.version: "1.4.2": the image ` + uri + `:1.4.2 is not in the stack's ECR repository webstack-prod, ` +
				`so no blue instance could start; push it first (docker push ` + uri + `:1.4.2; the repository is the stack output ecrRepositoryUrl), ` +
				`or set a version that is pushed`,
		}},
		{"a version on the very first up", released, nil, []string{
			`Pulumi.prod.yaml: webstack:app.blue.version: "1.4.2": the stack's ECR repository webstack-prod does not exist yet, so the image ` +
				uri + `:1.4.2 cannot be in it; do the first ` + "`pulumi up`" + ` with no version (webstack:app.blue.version and webstack:app.green.version both ""), ` +
				`push the image to the stack output ecrRepositoryUrl, then set the version`,
		}},
		{"both colors' images missing are reported together", all(released, greenDeployed), map[string][]string{"webstack-prod": {}}, []string{
			`webstack:app.blue.version: "1.4.2": the image ` + uri + `:1.4.2 is not in`,
			`webstack:app.green.version: "1.5.0": the image ` + uri + `:1.5.0 is not in`,
		}},
		{"only the new idle version is missing", all(released, greenDeployed), map[string][]string{"webstack-prod": {"1.4.2"}}, []string{
			`webstack:app.green.version: "1.5.0": the image ` + uri + `:1.5.0 is not in`,
		}},
		// A color scaled to zero keeps its version but pulls nothing: it is not looked up.
		{"a retired color's image is not needed", all(released, greenDeployed, fleet("green", "1.5.0", 0, 0, 4)),
			map[string][]string{"webstack-prod": {"1.4.2"}}, nil},
		{"no release looks nothing up", nil, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mutate := tc.mutate
			if mutate == nil {
				mutate = func(map[string]any) {}
			}
			e, err := runGuarded(withImages(t, mutate, tc.images))
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted; want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks\n  %s\ngot\n  %v", w, err)
				}
			}
			// Refused before any tier resource: only the provider is registered.
			for _, r := range e.Resources() {
				if !strings.HasPrefix(r.Type, "pulumi:providers:") {
					t.Errorf("%s %s registered before the image guard refused the run", r.Type, r.Name)
				}
			}
		})
	}
}

// TestImageGuardLookups: the guard looks up the version of each color that runs instances,
// in the stack's repository, and nothing when no color has a version.
func TestImageGuardLookups(t *testing.T) {
	for name, tc := range map[string]struct {
		mutate func(map[string]any)
		want   int
	}{
		"no release": {func(map[string]any) {}, 0},
		"blue live":  {released, 1},
		"both warm":  {all(released, greenDeployed), 2},
	} {
		t.Run(name, func(t *testing.T) {
			e, err := runGuarded(withImages(t, tc.mutate, map[string][]string{"webstack-prod": {"1.4.2", "1.5.0"}}))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range e.Calls() {
				if c == getImage {
					n++
				}
			}
			if n != tc.want {
				t.Errorf("%d image lookups, want %d", n, tc.want)
			}
		})
	}

	// Without an image set the offline plan assumes the stack file's running versions are
	// pushed, and says which.
	sf, err := plan.Load("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	if sf, err = sf.WithSection("webstack:app", all(released, greenDeployed)); err != nil {
		t.Fatal(err)
	}
	p, _, err := plan.RunFiles(sf)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(p.AssumedImages, ", "), "webstack-prod:1.4.2 (blue), webstack-prod:1.5.0 (green)"; got != want {
		t.Errorf("assumed images %q, want %q", got, want)
	}
	var text strings.Builder
	if err := p.Text(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "Images assumed pushed to ECR (the offline plan cannot see the registry") {
		t.Errorf("the text plan does not say which images it assumed pushed:\n%s", text.String()[:400])
	}
}
