package plan

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/go-multierror"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/policy"
	"github.com/webstack/webstack/resilience"
	"github.com/webstack/webstack/stack"
)

// Plan is what one stack would register, in the JSON shape of docs/plan.md's contract.
type Plan struct {
	Project   string         `json:"project"`
	Stack     string         `json:"stack"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
	Checks    []Check        `json:"checks"`
	// ChecksNotApplicable lists the built-in checks that found no resource of their types in
	// the stack: they neither passed nor failed.
	ChecksNotApplicable []string `json:"checksNotApplicable"`

	// AssumedImages are the images the plan assumed pushed, "<repository>:<tag> (<color>)":
	// the image guard looks up the version of every color that runs instances, and the
	// offline plan cannot see ECR. Empty when no color runs a version, or when the run was
	// given the registry's images (StackFiles.Images). Not part of the JSON contract.
	AssumedImages []string `json:"-"`

	// AZLoss is what losing each availability zone does to the stack (package resilience),
	// shown in the text view; nil when the analysis could not run (AZLossErr says why). Not part
	// of the JSON contract.
	AZLoss    *resilience.Report `json:"-"`
	AZLossErr error              `json:"-"`
}

// Resource is one registered resource.
type Resource struct {
	URN          string         `json:"urn"`
	Type         string         `json:"type"`
	Name         string         `json:"name"`
	Custom       bool           `json:"custom"`
	Parent       string         `json:"parent"`
	Dependencies []string       `json:"dependencies"`
	Protect      bool           `json:"protect"`
	Inputs       map[string]any `json:"inputs"`
	ID           string         `json:"id"`
	State        map[string]any `json:"state"`
}

// Check is the result of one built-in check on one resource. Passed is false for a failure and
// for an exception; Exception names the config key that deliberately relaxed the control.
type Check struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Resource  string `json:"resource"`
	Passed    bool   `json:"passed"`
	Message   string `json:"message"`
	Exception string `json:"exception,omitempty"`
}

// Run reads the stack's files from dir and runs the real program against the mock engine.
// A config error comes back as the program's error, naming the stack file, key and value.
func Run(dir, stackName string) (*Plan, *mockaws.Result, error) {
	sf, err := Load(dir, stackName)
	if err != nil {
		return nil, nil, err
	}
	return RunFiles(sf)
}

// RunFiles runs the program with config already read (tests use it to vary a stack file).
func RunFiles(sf *StackFiles) (*Plan, *mockaws.Result, error) {
	region := sf.Values["aws:region"]
	if region == "" {
		region = stack.DefaultRegion
	}
	res, err := mockaws.Run(sf.Project, sf.Stack, mockaws.Options{
		Config:     sf.Values,
		SecretKeys: sf.SecretKeys,
		Region:     region,
		Images:     sf.Images,
	}, func(ctx *pulumi.Context) error { return stack.Run(ctx, sf.Values) })
	if err != nil {
		return nil, nil, unwrapRunError(err)
	}
	cfg, err := stack.LoadConfig(sf.Project, sf.Stack, sf.Values)
	if err != nil {
		return nil, nil, err
	}
	p := FromResult(res)
	if sf.Images == nil {
		for _, color := range []string{stack.ColorBlue, stack.ColorGreen} {
			if c := cfg.App.Color(color); c.Running() {
				p.AssumedImages = append(p.AssumedImages, fmt.Sprintf("%s:%s (%s)", stack.RepositoryName(cfg.Project, cfg.Stack), c.Version, color))
			}
		}
	}
	p.SetChecks(policy.Evaluate(res, cfg.CheckOptions()))
	p.AZLoss, p.AZLossErr = resilience.Analyze(res)
	return p, res, nil
}

// SetChecks fills the plan's checks from a policy report, in the report's order (check ID,
// then resource URN).
func (p *Plan) SetChecks(rep *policy.Report) {
	p.Checks = make([]Check, 0, len(rep.Results))
	for _, r := range rep.Results {
		p.Checks = append(p.Checks, Check{
			ID:        r.Check.ID,
			Title:     r.Check.Title,
			Resource:  r.Resource,
			Passed:    r.Status == policy.Passed,
			Message:   r.Message,
			Exception: r.Exception,
		})
	}
	p.ChecksNotApplicable = append([]string{}, rep.NotApplicable...)
}

// FailedChecks returns the checks that failed without an exception.
func (p *Plan) FailedChecks() []Check {
	var out []Check
	for _, c := range p.Checks {
		if !c.Passed && c.Exception == "" {
			out = append(out, c)
		}
	}
	return out
}

// FromResult converts a mock run into the plan contract.
func FromResult(res *mockaws.Result) *Plan {
	p := &Plan{Project: res.Project, Stack: res.Stack, Outputs: res.Outputs, Checks: []Check{}, ChecksNotApplicable: []string{}}
	if p.Outputs == nil {
		p.Outputs = map[string]any{}
	}
	for _, r := range res.Resources {
		p.Resources = append(p.Resources, Resource{
			URN:          r.URN,
			Type:         r.Type,
			Name:         r.Name,
			Custom:       r.Custom,
			Parent:       parentURN(r.Parent),
			Dependencies: nonNil(r.Dependencies),
			Protect:      r.Protect,
			Inputs:       plainMap(r.Inputs),
			ID:           r.ID,
			State:        plainMap(r.State),
		})
	}
	return p
}

// parentURN hides the root stack resource, which the mock engine never registers.
func parentURN(urn string) string {
	if strings.Contains(urn, "::pulumi:pulumi:Stack::") {
		return ""
	}
	return urn
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func plainMap(m resource.PropertyMap) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return mockaws.PlainMap(m)
}

// unwrapRunError strips the SDK's one-element multierror wrapper, so that a config error reads
// exactly as the program wrote it.
func unwrapRunError(err error) error {
	var me *multierror.Error
	if errors.As(err, &me) && len(me.Errors) == 1 {
		return me.Errors[0]
	}
	return err
}
