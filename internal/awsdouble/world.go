package awsdouble

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// World is the AWS the plugins talk to: the mock engine's registry, rules and state functions
// behind a loopback HTTP API, with hooks that simulate what happens over time (Hooks).
type World struct {
	// Engine holds every resource the plugins created, as the mock engine records them.
	Engine *mockaws.Engine
	// Hooks, when set, are told of every change after the engine accepted it, and may hold an
	// operation (an Auto Scaling group waiting for capacity) or refuse it.
	Hooks Hooks

	srv  *http.Server
	ln   net.Listener
	mu   sync.Mutex // serializes changes, as one AWS account applies them
	done chan struct{}
}

// Hooks simulate behaviour beyond what the mock engine records.
type Hooks interface {
	// Created is called after r was created; an error makes the create fail (the resource
	// stays, as a half-created AWS resource does: the engine records nothing and a later up
	// retries).
	Created(ctx context.Context, r *mockaws.Resource) error
	// Updated is called after old became r.
	Updated(ctx context.Context, old, r *mockaws.Resource) error
	// Deleted is called before r is removed.
	Deleted(ctx context.Context, r *mockaws.Resource)
}

// NewWorld starts a World for a project's stack in a region, listening on 127.0.0.1.
func NewWorld(project, stack, region string) (*World, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	eng := mockaws.New(project, stack, region)
	// The engine creates in dependency order and the World records what it creates.
	eng.Live = true
	w := &World{Engine: eng, ln: ln, done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /create", w.handle(w.create))
	mux.HandleFunc("POST /update", w.handle(w.update))
	mux.HandleFunc("POST /delete", w.handle(w.delete))
	mux.HandleFunc("POST /read", w.handle(w.read))
	mux.HandleFunc("POST /invoke", w.handle(w.invoke))
	w.srv = &http.Server{Handler: mux}
	go func() {
		defer close(w.done)
		_ = w.srv.Serve(ln)
	}()
	return w, nil
}

// URL is what the plugins need in EnvWorld.
func (w *World) URL() string { return "http://" + w.ln.Addr().String() }

// Close stops the World's API.
func (w *World) Close() error {
	err := w.srv.Close()
	<-w.done
	return err
}

// handle decodes a request, runs op and encodes its answer; an error is a refusal.
func (w *World) handle(op func(ctx context.Context, body json.RawMessage) (any, error)) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		var body json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeJSON(rw, http.StatusBadRequest, apiError{Message: "bad request: " + err.Error()})
			return
		}
		resp, err := op(r.Context(), body)
		if err != nil {
			writeJSON(rw, http.StatusBadRequest, apiError{Message: err.Error()})
			return
		}
		writeJSON(rw, http.StatusOK, resp)
	}
}

func writeJSON(rw http.ResponseWriter, code int, v any) {
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(code)
	_ = json.NewEncoder(rw).Encode(v)
}

// provider records the configuration of the calling provider as a provider resource, so that
// the state functions find its region and default tags, and returns its reference.
func (w *World) provider(cfg providerConfig) (string, error) {
	if cfg.URN == "" {
		return "", nil
	}
	args, err := decodeProps(cfg.Args)
	if err != nil {
		return "", err
	}
	const id = "double"
	w.Engine.Put(&mockaws.Resource{URN: cfg.URN, Type: urnType(cfg.URN), Name: urnName(cfg.URN), Custom: true, ID: id, Inputs: args, State: args})
	return cfg.URN + "::" + id, nil
}

func (w *World) create(ctx context.Context, body json.RawMessage) (any, error) {
	var req createRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	inputs, err := decodeProps(req.Inputs)
	if err != nil {
		return nil, err
	}
	typ, name := req.Type, req.Name
	if typ == "" {
		typ, name = urnType(req.URN), urnName(req.URN)
	}
	r := &mockaws.Resource{URN: req.URN, Type: typ, Name: name, Inputs: inputs}
	w.mu.Lock()
	ref, err := w.provider(req.Provider)
	if err != nil {
		w.mu.Unlock()
		return nil, err
	}
	r.Provider = ref
	id, state, err := w.Engine.Create(r)
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	// The simulation runs outside the lock: an Auto Scaling group waiting for its capacity
	// does not hold up the other resources of the update.
	if w.Hooks != nil {
		if err := w.Hooks.Created(ctx, r); err != nil {
			return nil, err
		}
	}
	return w.answer(id, state)
}

func (w *World) update(ctx context.Context, body json.RawMessage) (any, error) {
	var req updateRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	inputs, err := decodeProps(req.Inputs)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	if _, err := w.provider(req.Provider); err != nil {
		w.mu.Unlock()
		return nil, err
	}
	old := w.Engine.Find(req.URN)
	if old == nil {
		w.mu.Unlock()
		return nil, fmt.Errorf("%s does not exist in the AWS double", req.URN)
	}
	r, err := w.Engine.Update(req.URN, inputs)
	if err == nil {
		bumpVersion(old, r)
	}
	w.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if w.Hooks != nil {
		if err := w.Hooks.Updated(ctx, old, r); err != nil {
			return nil, err
		}
	}
	return w.answer(r.ID, r.State)
}

// bumpVersion gives a launch template whose content changed its next version, as EC2 does: the
// mock's state function starts every template at version 1.
func bumpVersion(old, r *mockaws.Resource) {
	if r.Type != contract.TypeEC2LaunchTemplate {
		return
	}
	v, _ := old.Output("latestVersion").(float64)
	if len(changedKeys(old.Inputs, r.Inputs)) > 0 {
		v++
	}
	r.State["latestVersion"] = resource.NewProperty(v)
}

func (w *World) delete(ctx context.Context, body json.RawMessage) (any, error) {
	var req urnRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	if r := w.Engine.Find(req.URN); r != nil && w.Hooks != nil {
		w.Hooks.Deleted(ctx, r)
	}
	w.mu.Lock()
	w.Engine.Delete(req.URN)
	w.mu.Unlock()
	return struct{}{}, nil
}

func (w *World) read(_ context.Context, body json.RawMessage) (any, error) {
	var req urnRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	r := w.Engine.Find(req.URN)
	if r == nil {
		return stateResponse{Gone: true}, nil
	}
	state, err := encodeProps(r.State)
	if err != nil {
		return nil, err
	}
	inputs, err := encodeProps(r.Inputs)
	if err != nil {
		return nil, err
	}
	return stateResponse{ID: r.ID, State: state, Inputs: inputs}, nil
}

func (w *World) invoke(_ context.Context, body json.RawMessage) (any, error) {
	var req invokeRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, err
	}
	args, err := decodeProps(req.Args)
	if err != nil {
		return nil, err
	}
	if _, err := w.provider(req.Provider); err != nil {
		return nil, err
	}
	ret, err := w.Engine.Invoke(req.Token, args)
	if err != nil {
		return nil, err
	}
	out, err := encodeProps(ret)
	if err != nil {
		return nil, err
	}
	return invokeResponse{Return: out}, nil
}

func (w *World) answer(id string, state resource.PropertyMap) (any, error) {
	s, err := encodeProps(state)
	if err != nil {
		return nil, err
	}
	return createResponse{ID: id, State: s}, nil
}

// urnType and urnName take a URN apart: "urn:pulumi:stack::project::parent$type::name".
func urnType(urn string) string { return string(resource.URN(urn).Type()) }
func urnName(urn string) string { return resource.URN(urn).Name() }
