package mockaws

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// Account and region facts the mock answers with.
const (
	AccountID = "123456789012"
	Partition = "aws"
)

// Resource is one registered resource as the engine saw it.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Custom bool
	// Parent is the parent's URN, or "" for a resource parented to the stack.
	Parent string
	// Dependencies are the URNs the resource depends on (explicit and through its inputs).
	Dependencies []string
	// Provider is the provider reference ("<urn>::<id>"), or "" for the default provider.
	Provider            string
	Protect             bool
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	IgnoreChanges       []string
	ReplaceOnChanges    []string
	AdditionalSecrets   []string
	Aliases             int
	// Inputs are the inputs as registered, secrets still marked.
	Inputs resource.PropertyMap
	// ID and State are what the mock provider answered.
	ID    string
	State resource.PropertyMap
}

// Engine is a pulumi.MockResourceMonitor that records what the program registers.
type Engine struct {
	// Region answers getRegion and shapes ARNs and AZ names. Required.
	Region string
	// AZCount is how many availability zones the region has. Optional. Defaults to 4.
	AZCount int
	// Images are the images pushed to the account's ECR repositories: repository name to
	// tags. getImage answers from them; a repository that is not a key does not exist.
	// Optional. Defaults to nil: the mock cannot see a registry, so every image looked up is
	// assumed pushed.
	Images map[string][]string
	// Live says the engine records resources as they are created, as a provider double does,
	// rather than as a program registers them: then everything recorded was created before the
	// resource a rule judges, and ordering rules need no dependency path (see dependsOn).
	Live bool
	// Deployed are the stack's outputs as its last update left them: what a stack reference
	// to the stack itself reads (the program compares its release state with them). Optional.
	// Defaults to none: a stack never deployed.
	Deployed map[string]any

	project, stack string

	mu        sync.Mutex
	resources []*Resource
	calls     []string
	// judging serializes judging and recording a registration, so that a cross-resource rule
	// (a quota, an overlap) sees every resource registered before the one it judges even when
	// the program registers concurrently.
	judging sync.Mutex
}

// New returns an engine for a project's stack in a region.
func New(project, stack, region string) *Engine {
	return &Engine{Region: region, AZCount: 4, project: project, stack: stack}
}

// Resources returns every registered resource, sorted by URN.
func (e *Engine) Resources() []*Resource {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := append([]*Resource(nil), e.resources...)
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Calls returns the tokens of every provider function the program called, in call order.
func (e *Engine) Calls() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.calls...)
}

// readStackReference answers a stack reference to this engine's own stack with Deployed, and to
// any other stack with an error: the program references no other stack. Its own stack is named
// as a DIY backend's project layout takes it: bare, or organization/project/stack.
func (e *Engine) readStackReference(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	name := args.Inputs["name"]
	want := fmt.Sprintf("organization/%s/%s", e.project, e.stack)
	if !name.IsString() || (name.StringValue() != want && name.StringValue() != e.stack) {
		return "", nil, fmt.Errorf("mockaws: stack reference to %v: the mock knows only its own stack %s", name, want)
	}
	outputs := resource.NewPropertyMapFromMap(e.Deployed)
	return want, resource.PropertyMap{
		"name":              name,
		"outputs":           resource.NewProperty(outputs),
		"secretOutputNames": resource.NewProperty([]resource.PropertyValue{}),
	}, nil
}

// NewResource implements pulumi.MockResourceMonitor.
func (e *Engine) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	// A stack reference is answered by the engine itself (it reads the backend): never a
	// resource of the account.
	if args.TypeToken == contract.TypeStackReference && args.ReadRPC != nil {
		return e.readStackReference(args)
	}
	r := &Resource{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Provider: args.Provider,
		Inputs:   args.Inputs,
	}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Dependencies = append([]string(nil), rpc.GetDependencies()...)
		sort.Strings(r.Dependencies)
		r.Protect = rpc.GetProtect()
		r.RetainOnDelete = rpc.GetRetainOnDelete()
		r.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		r.IgnoreChanges = rpc.GetIgnoreChanges()
		r.ReplaceOnChanges = rpc.GetReplaceOnChanges()
		r.AdditionalSecrets = rpc.GetAdditionalSecretOutputs()
		r.Aliases = len(rpc.GetAliases())
	}
	r.URN = e.urn(r.Parent, r.Type, r.Name)
	if !r.Custom {
		// Component resources have no provider state.
		e.record(r)
		return "", resource.PropertyMap{}, nil
	}
	id, state, err := e.create(r)
	if err != nil {
		return "", nil, fmt.Errorf("mockaws: %s %q: %w", r.Type, r.Name, err)
	}
	return id, state, nil
}

// create judges, names and records a custom resource: the rules judge it against what exists
// (a refused one gets no ID and no state, as AWS creates nothing), then it gets its physical
// ID and its provider state.
func (e *Engine) create(r *Resource) (string, resource.PropertyMap, error) {
	if _, known := awsTypes[r.Type]; strings.HasPrefix(r.Type, "aws:") && !known {
		return "", nil, fmt.Errorf("resource type %s is not in awsTypes (mockaws/taggable.go); add it, and its SDK type to sdkTypes in taggable_test.go", r.Type)
	}
	e.judging.Lock()
	defer e.judging.Unlock()
	if err := e.CheckCreate(r); err != nil {
		return "", nil, err
	}
	r.ID = e.physicalID(r)
	state, err := e.state(r)
	if err != nil {
		return "", nil, err
	}
	r.State = state
	e.record(r)
	return r.ID, state, nil
}

func (e *Engine) record(r *Resource) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.resources = append(e.resources, r)
}

// urn computes the URN the mock monitor gives a resource, so that parents and dependencies
// (which the monitor reports as URNs) can be matched to recorded resources.
func (e *Engine) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(e.stack), tokens.PackageName(e.project), parentType, tokens.Type(typ), name))
}

// hash returns n hex digits derived from s: stable across runs, so the plan is deterministic.
func hash(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}

// module returns the provider module of a type token: "aws:ec2/vpc:Vpc" -> "ec2".
func module(typ string) string {
	parts := strings.Split(typ, ":")
	if len(parts) != 3 {
		return ""
	}
	mod, _, _ := strings.Cut(parts[1], "/")
	return mod
}

// Call implements pulumi.MockResourceMonitor: it answers provider functions.
func (e *Engine) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	e.mu.Lock()
	e.calls = append(e.calls, args.Token)
	e.mu.Unlock()
	fn, ok := functions[args.Token]
	if !ok {
		return nil, fmt.Errorf("mockaws: provider function %s is not mocked; add it to mockaws/functions.go", args.Token)
	}
	return fn(e, args.Args)
}
