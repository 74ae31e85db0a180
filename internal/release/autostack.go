package release

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/webstack/webstack/contract"
)

// AutoStack implements Stack with Pulumi's Automation API.
type AutoStack struct {
	// Stack is the selected stack. Required.
	Stack auto.Stack
	// Progress receives the engine's progress output of each `up`. Optional.
	Progress io.Writer
}

// Name returns the stack name.
func (s *AutoStack) Name() string { return s.Stack.Name() }

// App reads webstack:app with `pulumi config get --path webstack:app`.
func (s *AutoStack) App(ctx context.Context) (App, error) {
	v, err := s.Stack.GetConfigWithOptions(ctx, AppKey, &auto.ConfigOptions{Path: true})
	if err != nil {
		return App{}, fmt.Errorf("pulumi config get %s: %w", AppKey, shortError(err))
	}
	if v.Secret {
		return App{}, fmt.Errorf("%s is a secret; the release settings must be plain config", AppKey)
	}
	return ParseApp([]byte(v.Value))
}

// configValueJSON is one entry of `pulumi config --json`, the format `config set-all --json`
// reads.
type configValueJSON struct {
	Value       string `json:"value"`
	ObjectValue any    `json:"objectValue"`
	Secret      bool   `json:"secret"`
}

// SetApp writes the whole webstack:app object with `pulumi config set-all --json`, which keeps
// value types exactly: a version stays a string even when it looks like a number, unlike
// `pulumi config set --path`.
func (s *AutoStack) SetApp(ctx context.Context, app App) error {
	obj := app.Object()
	raw, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", AppKey, err)
	}
	doc, err := json.Marshal(map[string]configValueJSON{AppKey: {Value: string(raw), ObjectValue: obj}})
	if err != nil {
		return fmt.Errorf("encoding %s: %w", AppKey, err)
	}
	if err := s.Stack.SetAllConfigJson(ctx, string(doc), nil); err != nil {
		return fmt.Errorf("pulumi config set-all %s: %w", AppKey, shortError(err))
	}
	return nil
}

// asReleaseTool makes the workspace's commands run as the release tool's.
func (s *AutoStack) asReleaseTool() {
	s.Stack.Workspace().SetEnvVar(contract.EnvReleaseTool, "cmd/deploy")
}

// Up runs `pulumi up` (on targets only, when given) and marks a refusal because of the stack
// lock with ErrConcurrentUpdate.
func (s *AutoStack) Up(ctx context.Context, targets []string) error {
	s.asReleaseTool()
	opts := []optup.Option{}
	if s.Progress != nil {
		opts = append(opts, optup.ProgressStreams(s.Progress), optup.ErrorProgressStreams(s.Progress))
	}
	if len(targets) > 0 {
		opts = append(opts, optup.Target(targets))
	}
	_, err := s.Stack.Up(ctx, opts...)
	if err == nil {
		return nil
	}
	if auto.IsConcurrentUpdateError(err) {
		return fmt.Errorf("%w: %v", ErrConcurrentUpdate, shortError(err))
	}
	return shortError(err)
}

// Preview runs `pulumi preview` and lists the resources it would change.
func (s *AutoStack) Preview(ctx context.Context) ([]string, error) {
	s.asReleaseTool()
	ch := make(chan events.EngineEvent)
	var changes []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range ch {
			if e.ResourcePreEvent == nil {
				continue
			}
			m := e.ResourcePreEvent.Metadata
			switch m.Op {
			case apitype.OpSame, apitype.OpRead, apitype.OpRefresh:
				continue
			}
			name := m.URN
			if i := strings.LastIndex(name, "::"); i >= 0 {
				name = name[i+2:]
			}
			changes = append(changes, fmt.Sprintf("%s %s (%s)", m.Op, name, m.Type))
		}
	}()
	opts := []optpreview.Option{optpreview.EventStreams(ch)}
	if s.Progress != nil {
		opts = append(opts, optpreview.ProgressStreams(s.Progress), optpreview.ErrorProgressStreams(s.Progress))
	}
	_, err := s.Stack.Preview(ctx, opts...)
	if err != nil {
		// The stream is closed only when the CLI reached the end of it: a CLI that failed
		// before may never close it, so do not wait for the reader.
		return nil, fmt.Errorf("pulumi preview: %w", shortError(err))
	}
	<-done
	sort.Strings(changes)
	return changes, nil
}

// Cancel runs `pulumi cancel`.
func (s *AutoStack) Cancel(ctx context.Context) error {
	if err := s.Stack.Cancel(ctx); err != nil {
		return fmt.Errorf("pulumi cancel: %w", shortError(err))
	}
	return nil
}

// URNs returns the URNs of the resources in the stack's state (`pulumi stack export`).
func (s *AutoStack) URNs(ctx context.Context) ([]string, error) {
	dep, err := s.Stack.Export(ctx)
	if err != nil {
		return nil, fmt.Errorf("pulumi stack export: %w", shortError(err))
	}
	var d struct {
		Resources []struct {
			URN string `json:"urn"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return nil, fmt.Errorf("reading the exported deployment: %w", err)
	}
	out := make([]string, 0, len(d.Resources))
	for _, r := range d.Resources {
		out = append(out, r.URN)
	}
	return out, nil
}

// Tag returns a stack tag ("" when unset).
func (s *AutoStack) Tag(ctx context.Context, key string) (string, error) {
	v, err := s.Stack.GetTag(ctx, key)
	if err != nil {
		// A tag that is not set is an error from `pulumi stack tag get`.
		if strings.Contains(err.Error(), "not found") || strings.Contains(err.Error(), "does not exist") {
			return "", nil
		}
		return "", shortError(err)
	}
	return strings.TrimSpace(v), nil
}

// SetTag sets a stack tag.
func (s *AutoStack) SetTag(ctx context.Context, key, value string) error {
	if err := s.Stack.SetTag(ctx, key, value); err != nil {
		return shortError(err)
	}
	return nil
}

// RemoveTag removes a stack tag.
func (s *AutoStack) RemoveTag(ctx context.Context, key string) error {
	if err := s.Stack.RemoveTag(ctx, key); err != nil {
		return shortError(err)
	}
	return nil
}

// Outputs returns the outputs of the last update; secret outputs are replaced by "[secret]".
func (s *AutoStack) Outputs(ctx context.Context) (Outputs, error) {
	m, err := s.Stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("pulumi stack output: %w", shortError(err))
	}
	out := Outputs{}
	for k, v := range m {
		if v.Secret {
			out[k] = "[secret]"
			continue
		}
		out[k] = v.Value
	}
	return out, nil
}

// shortError keeps an Automation API error readable: its first line and the CLI's stderr,
// without the full stdout (the progress was already streamed).
func shortError(err error) error {
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	_, stderr, ok := strings.Cut(rest, "stderr: ")
	if !ok {
		return err
	}
	stderr = strings.TrimSpace(stderr)
	if stderr == "" {
		return &wrapped{msg: first, err: err}
	}
	return &wrapped{msg: first + ": " + stderr, err: err}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }

var _ Stack = (*AutoStack)(nil)
