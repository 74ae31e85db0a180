package mockaws

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)

// Secret is how a secret value is shown anywhere outside the engine.
const Secret = "[secret]"

// Unknown is how a value that is not known until apply is shown.
const Unknown = "[unknown]"

// Result is everything one mock run registered and exported.
type Result struct {
	Project, Stack string
	// Resources are sorted by URN.
	Resources []*Resource
	// Outputs are the stack outputs as plain values; secrets are Secret.
	Outputs map[string]any
	// Calls are the provider functions the program called.
	Calls []string
}

// Options configure a mock run.
type Options struct {
	// Config holds the stack config: full keys to raw values, structured values as JSON.
	Config map[string]string
	// SecretKeys lists the config keys that are secrets.
	SecretKeys []string
	// Region is the region the mock answers for. Required.
	Region string
	// AZCount is how many AZs the region has. Optional. Defaults to 4.
	AZCount int
	// Images are the images pushed to ECR, repository name to tags (see Engine.Images).
	// Optional. Defaults to nil: every image looked up is assumed pushed.
	Images map[string][]string
	// Update runs the program as `pulumi up` runs it (ctx.DryRun() false). Optional. Defaults
	// to false: a run is a preview, as `pulumi preview` and the offline plan are.
	Update bool
}

// Run runs program against a fresh engine and returns what it registered and exported.
func Run(project, stack string, opts Options, program pulumi.RunFunc) (*Result, error) {
	e := New(project, stack, opts.Region)
	if opts.AZCount > 0 {
		e.AZCount = opts.AZCount
	}
	e.Images = opts.Images
	var exports map[string]pulumi.Input
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		exports = ctx.GetCurrentExportMap()
		return nil
	}, pulumi.WithMocks(project, stack, e), func(info *pulumi.RunInfo) {
		info.Config = opts.Config
		info.ConfigSecretKeys = opts.SecretKeys
		info.DryRun = !opts.Update
	})
	if err != nil {
		return nil, err
	}
	// Awaited after the run, not with ApplyT inside it: RunErr does not wait for applies on
	// outputs made from plain values (pulumi.String), so those exports went missing at random.
	outputs := map[string]any{}
	for name, v := range exports {
		r, err := internals.UnsafeAwaitOutput(context.Background(), pulumi.ToOutput(v))
		switch {
		case err != nil:
			return nil, fmt.Errorf("stack output %s: %w", name, err)
		case r.Secret:
			outputs[name] = Secret
		case !r.Known:
			outputs[name] = Unknown
		default:
			outputs[name] = plainGo(r.Value)
		}
	}
	return &Result{
		Project:   project,
		Stack:     stack,
		Resources: e.Resources(),
		Outputs:   outputs,
		Calls:     e.Calls(),
	}, nil
}

// plainGo turns a resolved Go output value into JSON-friendly data.
func plainGo(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Sprint(v)
	}
	return out
}

// Plain turns a property value into plain data for printing and assertions: secrets become
// Secret, unknowns Unknown, resource references their URN. Object keys come out sorted when
// marshalled.
func Plain(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsSecret():
		return Secret
	case v.IsComputed():
		return Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			return Secret
		}
		if !o.Known {
			return Unknown
		}
		return Plain(o.Element)
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, x := range arr {
			out[i] = Plain(x)
		}
		return out
	case v.IsObject():
		return PlainMap(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsAsset():
		a := v.AssetValue()
		if a.IsText() {
			return a.Text
		}
		return "[asset " + a.Path + a.URI + "]"
	case v.IsArchive():
		return "[archive]"
	}
	return fmt.Sprint(v)
}

// PlainMap applies Plain to every value of a property map.
func PlainMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[string(k)] = Plain(v)
	}
	return out
}

// ByType returns the resources of one type, sorted by URN.
func (r *Result) ByType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the resource of a type with a name, or nil.
func (r *Result) Find(typ, name string) *Resource {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	return nil
}

// ByURN returns the resource with a URN, or nil.
func (r *Result) ByURN(urn string) *Resource {
	for _, res := range r.Resources {
		if res.URN == urn {
			return res
		}
	}
	return nil
}

// Input returns a resource's input at a path of keys and array indexes
// ("metadataOptions", "httpTokens"), as plain data; nil when absent.
func (res *Resource) Input(path ...any) any {
	return walk(PlainMap(res.Inputs), path)
}

// Output returns a resource's provider state at a path, as plain data; nil when absent.
func (res *Resource) Output(path ...any) any {
	return walk(PlainMap(res.State), path)
}

func walk(v any, path []any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k < 0 || k >= len(a) {
				return nil
			}
			v = a[k]
		default:
			return nil
		}
	}
	return v
}

// Counts returns how many resources of each type were registered.
func (r *Result) Counts() map[string]int {
	out := map[string]int{}
	for _, res := range r.Resources {
		out[res.Type]++
	}
	return out
}

// SortedTypes returns the registered types, sorted.
func (r *Result) SortedTypes() []string {
	var out []string
	for t := range r.Counts() {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
