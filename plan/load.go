// Package plan runs webstack's real program against the recording mock engine and renders
// what `pulumi up` would register: as text, as the JSON contract of docs/plan.md, or as a
// diagram. It reads Pulumi.yaml and Pulumi.<stack>.yaml with the Pulumi SDK's own loaders, so
// the config the program sees is the config the CLI would hand it.
package plan

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// StackFiles is the config of one stack as read from its files.
type StackFiles struct {
	Project string
	Stack   string
	// Values maps full config keys to raw values (structured values as JSON); secrets read
	// as "[secret]" since the plan never decrypts them.
	Values map[string]string
	// SecretKeys lists the keys whose values are secrets.
	SecretKeys []string
	// Images are the images the run treats as pushed to ECR, repository name to tags (a
	// repository that is not a key does not exist). Optional. Defaults to nil: the plan cannot
	// see the registry, so it assumes that every version the stack file runs is pushed, and
	// says so (Plan.AssumedImages). Tests set it to run the image guard against a registry.
	Images map[string][]string
}

// Load reads dir/Pulumi.yaml and dir/Pulumi.<stack>.yaml.
func Load(dir, stack string) (*StackFiles, error) {
	project, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, fmt.Sprintf("Pulumi.%s.yaml", stack))
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("stack %q: %w", stack, err)
	}
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, project, path)
	if err != nil {
		return nil, err
	}
	decrypted, err := ps.Config.Decrypt(config.NewBlindingDecrypter())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	sf := &StackFiles{Project: string(project.Name), Stack: stack, Values: map[string]string{}}
	for k, v := range decrypted {
		sf.Values[k.String()] = v
	}
	for _, k := range ps.Config.SecureKeys() {
		sf.SecretKeys = append(sf.SecretKeys, k.String())
	}
	sort.Strings(sf.SecretKeys)

	// Project-level defaults apply where the stack file is silent, as the CLI applies them.
	for name, decl := range project.Config {
		key := name
		if _, err := config.ParseKey(name); err != nil {
			key = string(project.Name) + ":" + name
		}
		if _, set := sf.Values[key]; set {
			continue
		}
		v := decl.Value
		if v == nil {
			v = decl.Default
		}
		if v == nil {
			continue
		}
		if s, ok := v.(string); ok {
			sf.Values[key] = s
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("config %s in Pulumi.yaml: %w", name, err)
		}
		sf.Values[key] = string(b)
	}
	return sf, nil
}

// WithSection returns a copy of the files with the structured config section key (e.g.
// "webstack:app") changed by mutate, as an edit of the stack file would change it; a section the
// file does not set starts empty. Tests use it to vary a real stack file (the release tool's
// changes to webstack:app, a tier losing its redundancy).
func (sf *StackFiles) WithSection(key string, mutate func(section map[string]any)) (*StackFiles, error) {
	section := map[string]any{}
	if raw, ok := sf.Values[key]; ok {
		if err := json.Unmarshal([]byte(raw), &section); err != nil {
			return nil, fmt.Errorf("%s in Pulumi.%s.yaml: %w", key, sf.Stack, err)
		}
	}
	mutate(section)
	raw, err := json.Marshal(section)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	out := *sf
	out.Values = make(map[string]string, len(sf.Values)+1)
	for k, v := range sf.Values {
		out.Values[k] = v
	}
	out.Values[key] = string(raw)
	return &out, nil
}
