package mockaws

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The engine as a provider double: the operations a Pulumi provider plugin performs, on the
// same registry, rules and state functions the mock monitor uses. A plugin process forwards
// the real engine's Create, Update, Delete, Read and Invoke calls here (internal/awsdouble), so
// the real Pulumi CLI running the real program gets the answers, and the refusals, the mock
// gives.

// Create creates r as the provider would: the rules judge it against what exists, and it gets
// a physical ID and its provider state. r.URN, r.Type, r.Name, r.Inputs and r.Provider are
// given by the caller.
func (e *Engine) Create(r *Resource) (string, resource.PropertyMap, error) {
	r.Custom = true
	if e.Find(r.URN) != nil {
		return "", nil, fmt.Errorf("mockaws: %s already exists", r.URN)
	}
	return e.create(r)
}

// Update changes the inputs of the resource with urn to news: the update rules judge the
// change and the create rules the new inputs (AWS validates a modification as it validates a
// creation), against everything else that exists. It returns the resource as it now is; its ID
// stays. On a refusal nothing changes.
func (e *Engine) Update(urn string, news resource.PropertyMap) (*Resource, error) {
	old := e.Find(urn)
	if old == nil {
		return nil, fmt.Errorf("mockaws: %s does not exist", urn)
	}
	next := *old
	next.Inputs = news
	e.judging.Lock()
	defer e.judging.Unlock()
	e.remove(urn)
	err := e.CheckUpdate(old, &next)
	if err == nil {
		err = e.CheckCreate(&next)
	}
	if err != nil {
		e.record(old)
		return nil, err
	}
	state, err := e.state(&next)
	if err != nil {
		e.record(old)
		return nil, err
	}
	next.State = state
	e.record(&next)
	return &next, nil
}

// Delete removes the resource with urn; deleting one that does not exist is not an error (the
// provider treats a resource already gone as deleted).
func (e *Engine) Delete(urn string) { e.remove(urn) }

// Find returns the resource with urn, or nil.
func (e *Engine) Find(urn string) *Resource {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range e.resources {
		if r.URN == urn {
			return r
		}
	}
	return nil
}

// Put records r as it is, without judging it: a provider resource whose configuration the
// double learns from the engine, so that the state functions find its region and default tags.
func (e *Engine) Put(r *Resource) {
	e.remove(r.URN)
	e.record(r)
}

func (e *Engine) remove(urn string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resources = slices.DeleteFunc(e.resources, func(r *Resource) bool { return r.URN == urn })
}

// Invoke answers a provider function as the mock monitor does.
func (e *Engine) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	e.mu.Lock()
	e.calls = append(e.calls, token)
	e.mu.Unlock()
	fn, ok := functions[token]
	if !ok {
		return nil, fmt.Errorf("mockaws: provider function %s is not mocked; add it to mockaws/functions.go", token)
	}
	return fn(e, args)
}
