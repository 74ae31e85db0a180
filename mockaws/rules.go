package mockaws

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/internal/plain"
)

// A Rule is one constraint AWS, or the provider before it calls AWS, enforces on a resource: a
// combination it refuses, a value out of range or of the wrong form, an engine version or
// family it does not offer, a quota the program can approach, a region rule. The engine checks
// every rule of a resource's type before it answers the registration and refuses it with the
// rule's error, so that a program AWS would refuse fails here the way it would fail at
// `pulumi up`, not 20 minutes into one.
//
// Each rule's doc comment (at its declaration) says the condition, AWS's error text as AWS
// reports it, and where that comes from. Every rule has a test that registers the refused
// combination and expects the refusal (TestRulesAreTested holds that).
type Rule struct {
	// ID names the rule: "<service>/<what>", e.g. "rds/replica-of-managed-password".
	ID string
	// Type is the resource type token the rule judges.
	Type string
	// Source cites the rule: an AWS documentation page, an API reference, an SDK doc comment
	// or a provider / module tracker issue.
	Source string
	// Create judges a resource about to be created: it returns the error AWS would answer, or
	// nil. e holds every resource registered before r (a cross-resource rule looks up the
	// others there). Optional when Update is set.
	Create func(e *Engine, r *Resource) error
	// Update judges an update of old to r, for rules AWS enforces only on a change (e.g. a
	// setting that cannot change without ApplyImmediately). Optional. The mock engine only
	// creates, so it never calls Update; a provider double that updates does.
	Update func(e *Engine, old, r *Resource) error
}

// APIError is an error as AWS reports it through the provider: the operation that failed, the
// AWS error code and AWS's message.
type APIError struct {
	// Operation is what the provider was doing, e.g. "creating RDS DB Instance (read replica)".
	Operation string
	// API is the service and action, e.g. "RDS: CreateDBInstanceReadReplica".
	API string
	// Code is AWS's error code, e.g. "InvalidParameterCombination".
	Code string
	// Message is AWS's message.
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: operation error %s, https response error StatusCode: 400, api error %s: %s", e.Operation, e.API, e.Code, e.Message)
}

// ProviderError is an error the provider reports before it calls AWS: the schema validation of
// an argument, or a combination of arguments it knows AWS refuses.
type ProviderError struct {
	// Message is the provider's message, e.g. `expected retention_in_days to be one of [...]`.
	Message string
}

func (e *ProviderError) Error() string { return e.Message }

// apiErr returns an APIError.
func apiErr(operation, api, code, format string, args ...any) error {
	return &APIError{Operation: operation, API: api, Code: code, Message: fmt.Sprintf(format, args...)}
}

// providerErr returns a ProviderError.
func providerErr(format string, args ...any) error {
	return &ProviderError{Message: fmt.Sprintf(format, args...)}
}

// RuleError is a registration a rule refused.
type RuleError struct {
	Rule *Rule
	Err  error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("%v [mockaws rule %s; %s]", e.Err, e.Rule.ID, e.Rule.Source)
}

func (e *RuleError) Unwrap() error { return e.Err }

// rules holds every rule by resource type; each tier's file contributes its own list.
var rules = indexRules(networkRules, dataRules, computeRules, edgeRules, monitoringRules, settingsRules)

func indexRules(lists ...[]Rule) map[string][]*Rule {
	out := map[string][]*Rule{}
	seen := map[string]bool{}
	for _, list := range lists {
		for i := range list {
			r := &list[i]
			switch {
			case r.ID == "" || r.Type == "" || r.Source == "":
				panic(fmt.Sprintf("mockaws: rule %q needs an ID, a type and a source", r.ID))
			case r.Create == nil && r.Update == nil:
				panic("mockaws: rule " + r.ID + " judges nothing")
			case seen[r.ID]:
				panic("mockaws: duplicate rule " + r.ID)
			}
			seen[r.ID] = true
			out[r.Type] = append(out[r.Type], r)
		}
	}
	return out
}

// Rules returns every rule, sorted by ID.
func Rules() []*Rule {
	var out []*Rule
	for _, list := range rules {
		out = append(out, list...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// CheckCreate runs the create rules of r's type against what e holds and returns the first
// refusal, as a *RuleError.
func (e *Engine) CheckCreate(r *Resource) error {
	for _, rule := range rules[r.Type] {
		if rule.Create == nil {
			continue
		}
		if err := rule.Create(e, r); err != nil {
			return &RuleError{Rule: rule, Err: err}
		}
	}
	return nil
}

// CheckUpdate runs the update rules of r's type on a change from old to r.
func (e *Engine) CheckUpdate(old, r *Resource) error {
	for _, rule := range rules[r.Type] {
		if rule.Update == nil {
			continue
		}
		if err := rule.Update(e, old, r); err != nil {
			return &RuleError{Rule: rule, Err: err}
		}
	}
	return nil
}

// Registered returns the resources registered so far whose type is typ and for which match
// (optional) holds, in registration order.
func (e *Engine) Registered(typ string, match func(*Resource) bool) []*Resource {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []*Resource
	for _, r := range e.resources {
		if r.Type == typ && (match == nil || match(r)) {
			out = append(out, r)
		}
	}
	return out
}

// byRef returns the registered resource of type typ that a reference (a physical ID, an ARN,
// a name or an identifier, as one resource's input holds another's) points at, or nil.
func (e *Engine) byRef(typ, ref string) *Resource {
	if ref == "" {
		return nil
	}
	found := e.Registered(typ, func(r *Resource) bool {
		if r.ID == ref {
			return true
		}
		for _, k := range []string{"arn", "name", "identifier", "bucket", "id"} {
			if str(r.State, k) == ref {
				return true
			}
		}
		return false
	})
	if len(found) == 0 {
		return nil
	}
	return found[0]
}

// Readers of a resource's inputs for the rules. Each returns the zero value where the input is
// absent, unknown or of another type: a rule judges what is there.

// inStr returns the string input at a path.
func (r *Resource) inStr(path ...any) string { return plain.Str(r.Input(path...)) }

// inNum returns the numeric input at a path, and whether it is set.
func (r *Resource) inNum(path ...any) (float64, bool) {
	n, ok := r.Input(path...).(float64)
	return n, ok
}

// inBool returns the bool input at a path (false when unset).
func (r *Resource) inBool(path ...any) bool {
	b, _ := r.Input(path...).(bool)
	return b
}

// inList returns the list input at a path.
func (r *Resource) inList(path ...any) []any { return plain.List(r.Input(path...)) }

// has reports whether an input is set to something other than null or "".
func (r *Resource) has(path ...any) bool {
	switch v := r.Input(path...).(type) {
	case nil:
		return false
	case string:
		return v != ""
	default:
		return true
	}
}

// secretStr returns a string input with its secret wrapper removed. A rule that judges a
// secret value (a password's characters) reads it here and never puts it in its error.
func (r *Resource) secretStr(key string) string {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	if u, ok := unwrap(v); ok && u.IsString() {
		return u.StringValue()
	}
	return ""
}

// quotedList renders values as the provider lists them in its messages: [a b c].
func quotedList[T any](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = fmt.Sprint(v)
	}
	return "[" + strings.Join(s, " ") + "]"
}
