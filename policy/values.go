package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/webstack/webstack/internal/plain"
	"github.com/webstack/webstack/mockaws"
)

// The plain-value readers the checks share with the AZ-loss analysis (package internal/plain).
var (
	str  = plain.Str
	list = plain.List
	strs = plain.Strs
	obj  = plain.Obj
	show = plain.Show
)

// in returns a resource's input at a dotted path ("metadataOptions.httpTokens"), as plain data;
// nil when absent.
func in(r *mockaws.Resource, path string) any {
	return r.Input(anyPath(strings.Split(path, "."))...)
}

// field renders "path is value" for messages.
func field(r *mockaws.Resource, path string) string {
	return fmt.Sprintf("%s is %s", path, show(in(r, path)))
}

// isTrue reports whether a value is true: a bool, or the string "true" that launch template
// block devices and network interfaces use.
func isTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// isFalse reports whether a value is explicitly false.
func isFalse(v any) bool {
	switch v := v.(type) {
	case bool:
		return !v
	case string:
		return strings.EqualFold(v, "false")
	}
	return false
}

// num returns a value as a number.
func num(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case string:
		var f float64
		if _, err := fmt.Sscanf(v, "%g", &f); err == nil {
			return f, true
		}
	}
	return 0, false
}

// known reports whether a value is known at plan time.
func known(v any) bool {
	s, ok := v.(string)
	return !ok || (s != mockaws.Unknown && s != mockaws.Secret)
}

// statement is one statement of an IAM-style policy document.
type statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    []string
	NotAction []string
	Resource  []string
	Condition map[string]any
}

// parsePolicy parses a policy document held as JSON text (or already as an object).
func parsePolicy(v any) ([]statement, error) {
	var doc map[string]any
	switch v := v.(type) {
	case string:
		if err := json.Unmarshal([]byte(v), &doc); err != nil {
			return nil, fmt.Errorf("policy is not valid JSON: %v", err)
		}
	case map[string]any:
		doc = v
	default:
		return nil, fmt.Errorf("policy is %s", show(v))
	}
	var out []statement
	for _, raw := range list(doc["Statement"]) {
		m := obj(raw)
		if m == nil {
			continue
		}
		out = append(out, statement{
			Sid:       str(m["Sid"]),
			Effect:    str(m["Effect"]),
			Principal: m["Principal"],
			Action:    strs(m["Action"]),
			NotAction: strs(m["NotAction"]),
			Resource:  strs(m["Resource"]),
			Condition: obj(m["Condition"]),
		})
	}
	return out, nil
}

// describe names a statement in a message.
func (st statement) describe(i int) string {
	if st.Sid != "" {
		return fmt.Sprintf("statement %d (%q)", i, st.Sid)
	}
	return fmt.Sprintf("statement %d", i)
}

// publicPrincipal reports whether a statement's principal is everyone ("*" or {"AWS": "*"}).
func (st statement) publicPrincipal() bool {
	switch p := st.Principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		for _, v := range strs(p["AWS"]) {
			if v == "*" {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
