package stack

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The config reference (docs/config.md) and the config descriptions of Pulumi.yaml are
// generated from one model: the config structs of this package. A field's `key` tag is its key,
// its Go doc comment its documentation, and DefaultConfig() its default. TestConfigReference
// (configdoc_test.go) reads the doc comments from this package's source and fails when either
// file is stale; `go test ./stack -run TestConfigReference -update` rewrites both.

// ConfigSetting is one leaf key of the config reference.
type ConfigSetting struct {
	// Key is the full key, e.g. "webstack:network.cidr".
	Key string
	// Type is the YAML type a stack file writes: string, integer, boolean, list of strings or
	// map of strings.
	Type string
	// Default is the value where a stack file is silent, as YAML would write it ("" for an
	// empty string, "none" for an unset list).
	Default string
	// Doc is the field's doc comment, rewritten for a reader of the stack file.
	Doc string
}

// ConfigSection is one structured key under the namespace, e.g. `webstack:network`.
type ConfigSection struct {
	// Key is the full key of the section, e.g. "webstack:network".
	Key string
	// Doc is what the section configures, from its struct's doc comment.
	Doc      string
	Settings []ConfigSetting
}

// ConfigReference walks DefaultConfig() by its `key` tags and returns every section and setting
// in declaration order. docs holds the doc comments of the config types ("NetworkConfig") and
// their fields ("NetworkConfig.CIDR"); a type or field without one is returned in missing.
func ConfigReference(docs map[string]string) (sections []ConfigSection, missing []string) {
	c := DefaultConfig()
	v, t := reflect.ValueOf(c), reflect.TypeOf(c)
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("key")
		if name == "" {
			continue
		}
		s := ConfigSection{Key: Namespace + ":" + name, Doc: sectionDoc(docs[f.Type.Name()])}
		if s.Doc == "" {
			missing = append(missing, f.Type.Name())
		}
		missing = append(missing, settings(&s.Settings, s.Key, v.Field(i), docs)...)
		sections = append(sections, s)
	}
	return sections, missing
}

// settings appends the leaf settings of the struct value v (at key) to out.
func settings(out *[]ConfigSetting, key string, v reflect.Value, docs map[string]string) (missing []string) {
	t := v.Type()
	keys := map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		if k := t.Field(i).Tag.Get("key"); k != "" {
			keys[t.Field(i).Name] = k
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := f.Tag.Get("key")
		if name == "" {
			continue
		}
		full := key + "." + name
		if f.Type.Kind() == reflect.Struct {
			missing = append(missing, settings(out, full, v.Field(i), docs)...)
			continue
		}
		doc := docs[t.Name()+"."+f.Name]
		if doc == "" {
			missing = append(missing, t.Name()+"."+f.Name)
		}
		*out = append(*out, ConfigSetting{Key: full, Type: yamlType(f.Type), Default: yamlValue(v.Field(i)), Doc: fieldDoc(f.Name, doc, keys)})
	}
	return missing
}

func yamlType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice:
		return "list of " + yamlType(t.Elem()) + "s"
	case reflect.Map:
		return "map of " + yamlType(t.Elem()) + "s"
	}
	panic(fmt.Sprintf("config reference: no YAML type for %s", t))
}

func yamlValue(v reflect.Value) string {
	switch {
	case v.Kind() == reflect.String && v.String() == "":
		return `""`
	case v.Kind() == reflect.String:
		return v.String()
	case (v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil():
		return "none"
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sectionDoc turns "NetworkConfig is `webstack:network`: the VPC and its subnets." into "The
// VPC and its subnets."
func sectionDoc(doc string) string {
	if _, rest, ok := strings.Cut(doc, "`: "); ok {
		return capitalize(strings.Join(strings.Fields(rest), " "))
	}
	return ""
}

// goName matches an exported Go identifier.
var goName = regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*\b`)

// fieldDoc turns a field's Go doc comment into the doc of its key: "CIDR is the VPC's range"
// becomes "The VPC's range", and the Go names of sibling fields become their keys (mixed-case
// names only: "WAF" in a sentence means the firewall, not the waf key).
func fieldDoc(name, doc string, keys map[string]string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if rest, ok := strings.CutPrefix(doc, name+" "); ok {
		for _, verb := range []string{"is ", "are "} {
			rest = strings.TrimPrefix(rest, verb)
		}
		doc = capitalize(rest)
	}
	return goName.ReplaceAllStringFunc(doc, func(w string) string {
		if k, ok := keys[w]; ok && strings.ToUpper(w) != w {
			return "`" + k + "`"
		}
		return w
	})
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// ConfigReferenceMarkdown renders the reference tables of docs/config.md.
func ConfigReferenceMarkdown(sections []ConfigSection) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## `aws:region`\n\nThe AWS region of the stack. Default `%s`.\n", DefaultRegion)
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## `%s`\n\n%s\n\n| key | type | default | meaning and rules |\n|---|---|---|---|\n", s.Key, s.Doc)
		for _, k := range s.Settings {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.Key, k.Type, markdownValue(k.Default), strings.ReplaceAll(k.Doc, "|", `\|`))
		}
	}
	return b.String()
}

func markdownValue(v string) string {
	if v == "none" {
		return v
	}
	return "`" + strings.ReplaceAll(v, "|", `\|`) + "`"
}

// PulumiYAMLConfig renders the `config:` block of Pulumi.yaml: per section, what it configures
// and its keys with their defaults, pointing at docs/config.md for the rules.
func PulumiYAMLConfig(sections []ConfigSection) string {
	var b strings.Builder
	b.WriteString("config:\n")
	for _, s := range sections {
		name := strings.TrimPrefix(s.Key, Namespace+":")
		words := []string{"Object.", s.Doc, "Every key, its rules and its default: docs/config.md. Keys:"}
		for i, k := range s.Settings {
			def := k.Default
			if len(def) > 40 {
				def = "see docs/config.md"
			}
			sep := ","
			if i == len(s.Settings)-1 {
				sep = "."
			}
			words = append(words, strings.TrimPrefix(k.Key, s.Key+".")+" (default "+def+")"+sep)
		}
		fmt.Fprintf(&b, "  %s:\n    description: >-\n%s", name, wrap(strings.Join(words, " "), "      ", 110))
	}
	return b.String()
}

// wrap breaks text into lines of at most width characters (a longer word stands alone), each
// with indent.
func wrap(text, indent string, width int) string {
	var b, line strings.Builder
	for _, w := range strings.Fields(text) {
		if line.Len() > 0 && len(indent)+line.Len()+1+len(w) > width {
			b.WriteString(indent + line.String() + "\n")
			line.Reset()
		}
		if line.Len() > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(w)
	}
	if line.Len() > 0 {
		b.WriteString(indent + line.String() + "\n")
	}
	return b.String()
}
