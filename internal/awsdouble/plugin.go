package awsdouble

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Provider is the plugin: a pulumirpc.ResourceProviderServer for one package ("aws" or
// "random") that forwards every operation to the World at the URL in EnvWorld.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	// Package and Version are what the plugin says it is.
	Package, Version string
	// World is the World's base URL.
	World string
	// Client makes the calls. Optional. Defaults to a client without timeout: creating an
	// Auto Scaling group waits for its instances, as the real provider does.
	Client *http.Client

	mu     sync.Mutex
	config providerConfig
	ctx    context.Context
	stop   context.CancelFunc
}

// NewProvider returns the plugin of a package, reading the World's URL from the environment.
func NewProvider(pkg, version string) (*Provider, error) {
	world := os.Getenv(EnvWorld)
	if world == "" {
		return nil, fmt.Errorf("the webstack AWS double needs %s (the World's URL); it is a test double, not the real %s provider", EnvWorld, pkg)
	}
	if !strings.HasPrefix(world, "http://127.0.0.1:") {
		return nil, fmt.Errorf("%s=%q: the World must be on 127.0.0.1", EnvWorld, world)
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Provider{Package: pkg, Version: version, World: world, ctx: ctx, stop: stop}, nil
}

func (p *Provider) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return http.DefaultClient
}

// call posts req to the World's path and decodes its answer into resp. A refusal comes back
// as an error carrying the World's message; Cancel aborts calls in flight.
func (p *Provider) call(ctx context.Context, path string, req, resp any) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(p.ctx, cancel)
	defer stop()

	body, err := json.Marshal(req)
	if err != nil {
		return err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, p.World+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	res, err := p.client().Do(hr)
	if err != nil {
		if p.ctx.Err() != nil {
			return status.Error(codes.Canceled, "cancelled")
		}
		return fmt.Errorf("the AWS double's World at %s: %w", p.World, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		var ae apiError
		if json.Unmarshal(data, &ae) == nil && ae.Message != "" {
			return errors.New(ae.Message)
		}
		return fmt.Errorf("the AWS double's World answered %s: %s", res.Status, data)
	}
	if resp == nil {
		return nil
	}
	return json.Unmarshal(data, resp)
}

func (p *Provider) providerConfig() providerConfig {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.config
}

func toStruct(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, marshalOpts)
}

func fromStruct(s *structpb.Struct) (resource.PropertyMap, error) {
	return plugin.UnmarshalProperties(s, marshalOpts)
}

func fromStructProps(s *structpb.Struct) (props, error) {
	m, err := fromStruct(s)
	if err != nil {
		return nil, err
	}
	return encodeProps(m)
}

func toStructProps(p props) (*structpb.Struct, error) {
	m, err := decodeProps(p)
	if err != nil {
		return nil, err
	}
	return toStruct(m)
}

// GetPluginInfo says which version of the package this plugin stands in for.
func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: p.Version}, nil
}

// Handshake accepts secrets and resource references, as the real providers do.
func (p *Provider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// GetSchema returns an empty schema: a Go program needs none at run time.
func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: fmt.Sprintf(`{"name":%q,"version":%q}`, p.Package, p.Version)}, nil
}

// CheckConfig accepts the provider configuration as given.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports a changed configuration as an update of the provider.
func (p *Provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return diff(req.GetType(), req.GetOldInputs(), req.GetNews())
}

// Configure keeps the provider's configuration (region, default tags) for the calls to come.
func (p *Provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := fromStructProps(req.GetArgs())
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.config = providerConfig{URN: req.GetUrn(), Args: args}
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// Check accepts the inputs as given: the World's rules judge them when they are applied, as AWS
// does.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff compares the old and new inputs: a changed property is an update, or a replacement
// where AWS cannot change it in place (replaceOnChange).
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs()
	if olds == nil {
		olds = req.GetOlds()
	}
	resp, err := diff(req.GetType(), olds, req.GetNews())
	if err != nil {
		return nil, err
	}
	// Ignored properties never count as changes.
	resp.Diffs = without(resp.Diffs, req.GetIgnoreChanges())
	resp.Replaces = without(resp.Replaces, req.GetIgnoreChanges())
	if len(resp.Diffs) == 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_NONE
	}
	return resp, nil
}

func without(keys, drop []string) []string {
	var out []string
	for _, k := range keys {
		keep := true
		for _, d := range drop {
			if k == d || strings.HasPrefix(d, k+".") || strings.HasPrefix(d, k+"[") {
				keep = false
			}
		}
		if keep {
			out = append(out, k)
		}
	}
	return out
}

func diff(typ string, oldStruct, newStruct *structpb.Struct) (*pulumirpc.DiffResponse, error) {
	olds, err := fromStruct(oldStruct)
	if err != nil {
		return nil, err
	}
	news, err := fromStruct(newStruct)
	if err != nil {
		return nil, err
	}
	var changed, replaces []string
	for _, k := range changedKeys(olds, news) {
		changed = append(changed, k)
		if replaceOnChange(typ, k) {
			replaces = append(replaces, k)
		}
	}
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	if len(changed) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Diffs = changed
		resp.Replaces = replaces
	}
	return resp, nil
}

// Create forwards a creation to the World.
func (p *Provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := fromStructProps(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	var resp createResponse
	if err := p.call(ctx, "/create", createRequest{Provider: p.providerConfig(), URN: req.GetUrn(), Type: req.GetType(), Name: req.GetName(), Inputs: inputs}, &resp); err != nil {
		return nil, err
	}
	state, err := toStructProps(resp.State)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: resp.ID, Properties: state}, nil
}

// Update forwards an update to the World.
func (p *Provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	inputs, err := fromStructProps(req.GetNews())
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.UpdateResponse{Properties: req.GetNews()}, nil
	}
	var resp stateResponse
	if err := p.call(ctx, "/update", updateRequest{Provider: p.providerConfig(), URN: req.GetUrn(), Inputs: inputs}, &resp); err != nil {
		return nil, err
	}
	state, err := toStructProps(resp.State)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: state}, nil
}

// Read returns what the World holds for a resource, or nothing when it is gone.
func (p *Provider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	var resp stateResponse
	if err := p.call(ctx, "/read", urnRequest{URN: req.GetUrn()}, &resp); err != nil {
		return nil, err
	}
	if resp.Gone {
		return &pulumirpc.ReadResponse{}, nil
	}
	state, err := toStructProps(resp.State)
	if err != nil {
		return nil, err
	}
	inputs, err := toStructProps(resp.Inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: resp.ID, Properties: state, Inputs: inputs}, nil
}

// Delete forwards a deletion to the World.
func (p *Provider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	if err := p.call(ctx, "/delete", urnRequest{URN: req.GetUrn()}, nil); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Invoke forwards a provider function to the World.
func (p *Provider) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := fromStructProps(req.GetArgs())
	if err != nil {
		return nil, err
	}
	var resp invokeResponse
	if err := p.call(ctx, "/invoke", invokeRequest{Provider: p.providerConfig(), Token: req.GetTok(), Args: args}, &resp); err != nil {
		return nil, err
	}
	ret, err := toStructProps(resp.Return)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

// Cancel aborts every call in flight: the engine sends it when the user interrupts an update.
func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.stop()
	return &emptypb.Empty{}, nil
}
