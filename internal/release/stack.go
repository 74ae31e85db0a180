package release

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/webstack/webstack/contract"
)

// Stack is what a release needs from a Pulumi stack. AutoStack implements it with the
// Automation API; the tests use a fake.
type Stack interface {
	// Name returns the stack name, e.g. prod.
	Name() string
	// App reads the webstack:app config object from the stack file.
	App(ctx context.Context) (App, error)
	// SetApp writes the webstack:app config object (types intact).
	SetApp(ctx context.Context, app App) error
	// Up runs `pulumi up`; with targets, only those resources (URNs) are updated. An update
	// refused because another one holds the stack's lock returns an error that wraps
	// ErrConcurrentUpdate.
	Up(ctx context.Context, targets []string) error
	// Preview runs `pulumi preview` of the stack file as it is and describes each resource
	// it would change (create, update, replace, delete), e.g. "update app-alb-blue-tg
	// (aws:lb/targetGroup:TargetGroup)"; none when the file is what is deployed.
	Preview(ctx context.Context) ([]string, error)
	// Cancel cancels the stack's update in progress (`pulumi cancel`): the lock a killed
	// update left behind.
	Cancel(ctx context.Context) error
	// Outputs returns the stack outputs of the last update.
	Outputs(ctx context.Context) (Outputs, error)
	// URNs returns the URNs of every resource the last update left in the stack's state.
	URNs(ctx context.Context) ([]string, error)
	// Tag returns a stack tag's value ("" when it is not set); SetTag sets one and RemoveTag
	// removes one. The release lock is a stack tag (lock.go).
	Tag(ctx context.Context, key string) (string, error)
	SetTag(ctx context.Context, key, value string) error
	RemoveTag(ctx context.Context, key string) error
}

// ErrConcurrentUpdate marks an update refused because another update holds the stack's lock.
// It is reported, never retried: the other update may be a release in progress.
var ErrConcurrentUpdate = errors.New("another update is in progress on this stack (the stack is locked)")

// Outputs are stack outputs by name. Secret outputs are never put here in clear.
type Outputs map[string]any

// String returns output name as a string, or "" when it is absent or not a string.
func (o Outputs) String(name string) string {
	s, _ := o[name].(string)
	return s
}

// Strings returns output name as a list of strings (a list output), or nil.
func (o Outputs) Strings(name string) []string {
	var out []string
	list, _ := o[name].([]any)
	for _, v := range list {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	if ss, ok := o[name].([]string); ok {
		out = append(out, ss...)
	}
	return out
}

// need returns a string output, or an error naming it when it is missing.
func (o Outputs) need(name string) (string, error) {
	if v := o.String(name); v != "" {
		return v, nil
	}
	return "", fmt.Errorf("stack output %q is missing: the stack was last updated by an older webstack or never deployed; run `deploy up`", name)
}

// Deployed is the release state the last update deployed, read from the stack outputs: which
// color is live, the canary weight, and each color's version and capacity.
func (o Outputs) Deployed() (App, error) {
	var a App
	var errs []error
	active, err := o.need(contract.OutActiveColor)
	errs = append(errs, err)
	a.Active = contract.Color(active)
	if w, ok := o[contract.OutCanaryWeight]; ok {
		n, err := intValue(contract.OutCanaryWeight, jsonNumber(w))
		errs = append(errs, err)
		a.CanaryWeight = n
	} else {
		errs = append(errs, fmt.Errorf("stack output %q is missing: run `deploy up`", contract.OutCanaryWeight))
	}
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		f := contract.Fleet{Version: o.String(contract.OutVersion(c))}
		capName := contract.OutCapacity(c)
		raw, ok := o[capName]
		if !ok {
			errs = append(errs, fmt.Errorf("stack output %q is missing: run `deploy up`", capName))
		} else {
			b, _ := json.Marshal(raw)
			if err := json.Unmarshal(b, &f.Capacity); err != nil {
				errs = append(errs, fmt.Errorf("stack output %q: %v", capName, err))
			}
		}
		a.SetFleet(c, f)
	}
	return a, errors.Join(errs...)
}

func jsonNumber(v any) any {
	if f, ok := v.(float64); ok {
		return f
	}
	return v
}
