package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Readers of the plain values in a Resource's inputs and state (maps, lists, strings and
// float64 numbers, as mockaws.Plain makes them). Each returns the zero value when the key is
// absent or of another type, so the diagram degrades instead of failing on a shape it does not
// expect.

// asMap is v as an object, or nil.
func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// list is m[key] as a list, or nil.
func list(m map[string]any, key string) []any {
	l, _ := m[key].([]any)
	return l
}

// str is m[key] as a string, or "".
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// num is m[key] as a whole number (from a number or a numeric string), or 0.
func num(m map[string]any, key string) int {
	switch v := m[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// strs is the strings of the list m[key].
func strs(m map[string]any, key string) []string {
	var out []string
	for _, v := range list(m, key) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// tag reads a tag from a resource's tags input (a map, or a list of key/value objects as on
// an Auto Scaling group), falling back to the provider's tagsAll.
func tag(r *Resource, key string) string {
	switch tags := r.Inputs["tags"].(type) {
	case map[string]any:
		if v := str(tags, key); v != "" {
			return v
		}
	case []any:
		for _, t := range tags {
			if m := asMap(t); str(m, "key") == key {
				return str(m, "value")
			}
		}
	}
	return str(asMap(r.State["tagsAll"]), key)
}

// nameTag is a resource's Name tag, or its Pulumi name.
func nameTag(r *Resource) string {
	if n := tag(r, "Name"); n != "" {
		return n
	}
	return r.Name
}

// nameOf is the name a resource is known by in AWS when the program chose it (identifier,
// replicationGroupId, name, dashboardName), else its Name tag or Pulumi name.
func nameOf(r *Resource) string {
	for _, key := range []string{"identifier", "replicationGroupId", "dashboardName", "name"} {
		if v := str(r.Inputs, key); v != "" {
			return v
		}
	}
	return nameTag(r)
}

// role is a resource's name without its parent component's prefix: "production" for the
// listener "app-alb-production" under the component "app-alb".
func role(r *Resource, byURN map[string]*Resource) string {
	if parent := byURN[r.Parent]; parent != nil {
		if rest, ok := strings.CutPrefix(r.Name, parent.Name+"-"); ok && rest != "" {
			return rest
		}
	}
	return r.Name
}

// refersTo reports whether ref names r: its ID, ARN or name.
func refersTo(r *Resource, ref string) bool {
	if ref == "" {
		return false
	}
	return ref == r.ID || ref == str(r.State, "arn") || ref == str(r.State, "name") || ref == str(r.Inputs, "name")
}

// normalizeDNS makes two spellings of one DNS name compare equal.
func normalizeDNS(name string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
}

// plural counts a noun: "1 rule", "4 rules".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// uniq drops the repeats of a sorted list.
func uniq(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// sortedKeys is the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortedInts is the members of a set of numbers in order.
func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
