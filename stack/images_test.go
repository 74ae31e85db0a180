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
	// missing is the message for a version whose image the existing repository does not hold.
	missing := func(color, version string) string {
		return `Pulumi.prod.yaml: webstack:app.` + color + `.version: "` + version + `": the image ` + uri + `:` + version +
			` is not in the stack's ECR repository webstack-prod, so no ` + color + ` instance could start. If it was never pushed, push it (docker push ` +
			uri + `:` + version + `; the repository is the stack output ecrRepositoryUrl). If it was pushed before, the repository's lifecycle policy ` +
			`may have expired it (it keeps the newest webstack:app.imageRetentionCount images, now 30, besides the versions the stack file names), ` +
			`or it was deleted: build it again from the same source and push it under the same tag (an immutable tag can be pushed again once ` +
			`its image is gone)`
	}
	cases := []struct {
		name   string
		mutate func(map[string]any)
		images map[string][]string
		want   []string // every message the run must fail with; none: it must pass
	}{
		{"the live version is pushed", released, map[string][]string{"webstack-prod": {"1.4.2"}}, nil},
		// The repository exists: the provider's not-found is the image's, and the live color's
		// operator is told to push it, never to take the version away.
		{"the live version is not pushed", released, map[string][]string{"webstack-prod": {"1.4.1"}}, []string{
			missing("blue", "1.4.2") + `; blue is the live color: its running instances keep serving, but none can be replaced or added until ` +
				`the image is back, so push it rather than change this version`,
		}},
		{"the repository is empty", released, map[string][]string{"webstack-prod": {}}, []string{missing("blue", "1.4.2") + "; blue is the live color"}},
		{"a version on the very first up", released, nil, []string{
			`Pulumi.prod.yaml: webstack:app.blue.version: "1.4.2": the stack's ECR repository webstack-prod does not exist, so the image ` +
				uri + `:1.4.2 cannot be in it. Before the stack's first ` + "`pulumi up`" + ` that is expected: the first ` + "`up`" + ` creates the ` +
				`repository and must run no version (as the committed stack files do: webstack:app.blue.version and webstack:app.green.version ""); ` +
				`push the image to the stack output ecrRepositoryUrl, then release it. On a stack that is already deployed, keep the versions ` +
				`(removing them stops every instance): the repository was deleted outside Pulumi; create it again under the same name (aws ecr ` +
				`create-repository --repository-name webstack-prod --image-tag-mutability IMMUTABLE --encryption-configuration encryptionType=KMS), ` +
				"push the image, then run `pulumi refresh` and `pulumi up`",
		}},
		{"both colors' images missing are reported together", all(released, greenDeployed), map[string][]string{"webstack-prod": {}}, []string{
			missing("blue", "1.4.2") + "; blue is the live color",
			missing("green", "1.5.0") + ", or set a version that is pushed",
		}},
		// The review's case: a live stack, a new version not pushed yet to the idle color.
		{"only the new idle version is missing", all(released, greenDeployed), map[string][]string{"webstack-prod": {"1.4.2"}}, []string{
			missing("green", "1.5.0") + ", or set a version that is pushed",
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
			if n := strings.Count(err.Error(), "Pulumi.prod.yaml: "); n != len(tc.want) {
				t.Errorf("%d problems reported, want %d: %v", n, len(tc.want), err)
			}
			// Where the repository exists, nothing says it does not, and nothing tells the
			// operator to remove a version.
			if _, ok := tc.images["webstack-prod"]; ok {
				for _, bad := range []string{"does not exist", `version ""`, "no version"} {
					if strings.Contains(err.Error(), bad) {
						t.Errorf("the repository exists, but the error says %q: %v", bad, err)
					}
				}
			}
			// The repository is looked up once at most, and only after a not-found.
			if n := countCalls(e, getRepository); n != 1 {
				t.Errorf("%d repository lookups, want 1", n)
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

const getRepository = "aws:ecr/getRepository:getRepository"

func countCalls(e *mockaws.Engine, token string) int {
	n := 0
	for _, c := range e.Calls() {
		if c == token {
			n++
		}
	}
	return n
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
			if n := countCalls(e, getImage); n != tc.want {
				t.Errorf("%d image lookups, want %d", n, tc.want)
			}
			if n := countCalls(e, getRepository); n != 0 {
				t.Errorf("%d repository lookups though every image is pushed, want 0", n)
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
