// Package policy holds webstack's built-in security and reliability checks and the engine that
// runs them over what a mock run registered (a *mockaws.Result). Each check implements one
// control listed in docs/checks.md: an AWS Security Hub FSBP control where one exists (its ID is the
// check's ID), a Well-Architected reliability practice, or a webstack rule.
//
// A check applies to the resources of its types. For each such resource it passes, fails, or
// (rarely) does not apply to that one resource. A failure becomes an exception, not a failure,
// when the stack's config deliberately relaxed the control: a tier key registered through
// contract.CheckOptions.Exceptions, a reviewed waiver (webstack:checks.waive.<id>), or a
// production-only check in a stack whose profile is nonproduction (webstack:checks.profile). A
// check with no resource to judge is "not applicable" and is listed as such, never counted as
// passed.
package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Severity is a check's severity, as Security Hub grades the control.
type Severity string

// Severities.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Scope says in which stacks a check is required.
type Scope string

// Scopes.
const (
	// AllStacks checks must pass in every stack.
	AllStacks Scope = "all"
	// ProductionOnly checks must pass in production; in a nonproduction stack a failure is an
	// exception naming webstack:checks.profile.
	ProductionOnly Scope = "production"
)

// Check is one built-in check.
type Check struct {
	// ID is the control the check implements (FSBP "EC2.8", Well-Architected
	// "REL10-BP01/nat", webstack "webstack/protect"); unique among the checks.
	ID string
	// Title says what a passing resource looks like.
	Title    string
	Severity Severity
	Scope    Scope
	// Standard names where the control comes from.
	Standard string
	// Types are the resource type tokens the check judges.
	Types []string
	// Eval judges one resource of one of Types.
	Eval func(s *Stack, r *mockaws.Resource) Verdict
	// Findings, instead of Eval, judges the stack as a whole: it returns one verdict per
	// finding, each on the resource it concerns (for findings about the config, the resource
	// that carries the value). Optional; a check has Eval or Findings.
	Findings func(s *Stack) []Finding
}

// Finding is one verdict of a Findings check on one resource.
type Finding struct {
	Resource *mockaws.Resource
	Verdict  Verdict
}

// Standards.
const (
	FSBP            = "AWS FSBP"
	NIST            = "NIST 800-53 (Security Hub)"
	WellArchitected = "Well-Architected"
	Webstack        = "webstack"
)

// Verdict is a check's judgement of one resource.
type Verdict struct {
	outcome outcome
	msg     string
}

type outcome int

const (
	outPass outcome = iota
	outFail
	outSkip
)

// ok is a passing verdict.
func ok(format string, args ...any) Verdict {
	return Verdict{outPass, fmt.Sprintf(format, args...)}
}

// bad is a failing verdict: the message names the field and the value found.
func bad(format string, args ...any) Verdict {
	return Verdict{outFail, fmt.Sprintf(format, args...)}
}

// skip says the check does not apply to this one resource (e.g. RDS.5 on a read replica).
func skip(format string, args ...any) Verdict {
	return Verdict{outSkip, fmt.Sprintf(format, args...)}
}

// Status is the result of a check on one resource.
type Status string

// Statuses.
const (
	Passed    Status = "passed"
	Failed    Status = "failed"
	Exception Status = "exception"
)

// Result is one check's result on one resource.
type Result struct {
	Check *Check
	// Resource is the resource's URN; Name and Type name it for people.
	Resource, Name, Type string
	Status               Status
	// Message says what was found: for a failure or an exception, the field and its value.
	Message string
	// Exception is the full config key that relaxed the control, for Status Exception.
	Exception string
}

// Report is the outcome of every check on one stack.
type Report struct {
	// Results are sorted by check ID, then resource URN.
	Results []Result
	// NotApplicable lists, sorted, the IDs of checks that judged no resource in the stack.
	NotApplicable []string
}

// Counts returns how many results passed, failed and were exceptions.
func (r *Report) Counts() (passed, failed, exceptions int) {
	for _, res := range r.Results {
		switch res.Status {
		case Passed:
			passed++
		case Failed:
			failed++
		case Exception:
			exceptions++
		}
	}
	return
}

// Failed reports whether any check failed (exceptions do not fail a stack).
func (r *Report) Failed() bool {
	_, f, _ := r.Counts()
	return f > 0
}

var catalog = map[string]*Check{}

// register adds checks to the catalog; each file of the package registers its service's.
func register(checks ...*Check) {
	for _, c := range checks {
		if _, dup := catalog[c.ID]; dup {
			panic("policy: duplicate check " + c.ID)
		}
		catalog[c.ID] = c
	}
}

// Checks returns every built-in check, sorted by ID.
func Checks() []*Check {
	out := make([]*Check, 0, len(catalog))
	for _, c := range catalog {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return Less(out[i].ID, out[j].ID) })
	return out
}

// Less orders check IDs naturally: "EC2.2" before "EC2.10", numbers compared as numbers.
func Less(a, b string) bool {
	for a != "" && b != "" {
		ra, rb := run(a), run(b)
		if ra != rb {
			da, db := isDigit(ra[0]), isDigit(rb[0])
			switch {
			case da && db:
				if len(ra) != len(rb) {
					return len(ra) < len(rb)
				}
				return ra < rb
			default:
				return ra < rb
			}
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return len(a) < len(b)
}

// run returns the leading run of digits, or of non-digits, of s.
func run(s string) string {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Lookup returns the check with an ID, or nil.
func Lookup(id string) *Check { return catalog[id] }

// Evaluate runs every check over the resources of a mock run.
func Evaluate(res *mockaws.Result, opts contract.CheckOptions) *Report {
	s := newStack(res)
	s.placeholders = opts.Placeholders
	rep := &Report{Results: []Result{}, NotApplicable: []string{}}
	for _, c := range Checks() {
		judged := 0
		for _, f := range c.findings(s) {
			r, v := f.Resource, f.Verdict
			if v.outcome == outSkip {
				continue
			}
			judged++
			result := Result{Check: c, Resource: r.URN, Name: r.Name, Type: r.Type, Status: Passed,
				Message: fmt.Sprintf("%s (%s): %s", r.Name, r.Type, v.msg)}
			if v.outcome == outFail {
				result.Status = Failed
				relax(&result, opts)
			}
			rep.Results = append(rep.Results, result)
		}
		if judged == 0 {
			rep.NotApplicable = append(rep.NotApplicable, c.ID)
		}
	}
	sort.SliceStable(rep.Results, func(i, j int) bool {
		a, b := rep.Results[i], rep.Results[j]
		if a.Check.ID != b.Check.ID {
			return Less(a.Check.ID, b.Check.ID)
		}
		return a.Resource < b.Resource
	})
	return rep
}

// findings returns the check's verdicts on the stack: Findings, or Eval on every resource of
// its types.
func (c *Check) findings(s *Stack) []Finding {
	if c.Findings != nil {
		return c.Findings(s)
	}
	var out []Finding
	for _, r := range s.ByType(c.Types...) {
		out = append(out, Finding{Resource: r, Verdict: c.Eval(s, r)})
	}
	return out
}

// relax turns a failure into an exception when the config deliberately relaxed the control.
// The most specific reason wins: a tier's key, then a waiver, then the profile.
func relax(r *Result, opts contract.CheckOptions) {
	for _, x := range opts.Exceptions {
		if x.Check == r.Check.ID && (x.Type == "" || x.Type == r.Type) && (x.Name == "" || x.Name == r.Name) &&
			strings.HasPrefix(r.Name, x.NamePrefix) && x.Key != "" {
			r.Status, r.Exception = Exception, x.Key
			r.Message += fmt.Sprintf(" (relaxed by %s)", x.Key)
			return
		}
	}
	if reason, ok := opts.Waivers[r.Check.ID]; ok {
		r.Status, r.Exception = Exception, contract.WaiveKey+"."+r.Check.ID
		r.Message += fmt.Sprintf(" (waived: %s)", reason)
		return
	}
	if r.Check.Scope == ProductionOnly && opts.Profile == contract.NonProduction {
		r.Status, r.Exception = Exception, contract.ProfileKey
		r.Message += " (required in production only; this stack's profile is nonproduction)"
	}
}

// Stack indexes the resources of a run for the checks' lookups.
type Stack struct {
	res   *mockaws.Result
	byRef map[string][]*mockaws.Resource
	// placeholders are Options.Placeholders, for webstack/placeholders.
	placeholders []contract.Placeholder
}

// NewStack indexes the resources of a run for lookups by reference, as the checks use it.
func NewStack(res *mockaws.Result) *Stack { return newStack(res) }

func newStack(res *mockaws.Result) *Stack {
	s := &Stack{res: res, byRef: map[string][]*mockaws.Resource{}}
	for _, r := range res.Resources {
		seen := map[string]bool{}
		for _, ref := range []any{r.ID, r.Output("arn"), r.Output("name"), r.Output("bucket"), r.Output("identifier"), r.Input("identifier"), r.Input("name"), r.Input("bucket")} {
			if v, ok := ref.(string); ok && v != "" && !seen[v] {
				seen[v] = true
				s.byRef[v] = append(s.byRef[v], r)
			}
		}
	}
	return s
}

// ByType returns the resources of the given types, sorted by URN.
func (s *Stack) ByType(types ...string) []*mockaws.Resource {
	var out []*mockaws.Resource
	for _, r := range s.res.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Ref resolves a reference (a physical ID, ARN or name, as one resource's input holds another's)
// to a resource of one of the given types, or nil.
func (s *Stack) Ref(v any, types ...string) *mockaws.Resource {
	ref, ok := v.(string)
	if !ok || ref == "" {
		return nil
	}
	for _, r := range s.byRef[ref] {
		for _, t := range types {
			if r.Type == t {
				return r
			}
		}
	}
	return nil
}

// Referring returns the resources of a type whose input at path refers to target (by ID,
// ARN or name), sorted by URN.
func (s *Stack) Referring(target *mockaws.Resource, typ string, path ...string) []*mockaws.Resource {
	var out []*mockaws.Resource
	for _, r := range s.ByType(typ) {
		if s.Ref(r.Input(anyPath(path)...), target.Type) == target {
			out = append(out, r)
		}
	}
	return out
}

func anyPath(path []string) []any {
	out := make([]any, len(path))
	for i, p := range path {
		out[i] = p
	}
	return out
}

// IDs returns every check ID, sorted.
func IDs() []string {
	var out []string
	for _, c := range Checks() {
		out = append(out, c.ID)
	}
	return out
}
