// Package plain reads the plain values a mock run records (mockaws.Plain: maps, lists,
// strings, float64 numbers and bools), for the packages that analyse a run: the built-in checks
// (policy) and the AZ-loss analysis (resilience). Every reader returns the zero value for an
// absent value or one of another type, so that an analysis judges what is there instead of
// panicking on a shape it did not expect.
package plain

import (
	"encoding/json"
	"fmt"
	"math"
)

// Str returns a value as a string, or "".
func Str(v any) string {
	s, _ := v.(string)
	return s
}

// List returns a value as a list (a lone value becomes a one-element list, nil an empty one).
func List(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// Strs returns the strings of a list value.
func Strs(v any) []string {
	var out []string
	for _, x := range List(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Obj returns a value as an object, or nil.
func Obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// Show renders a value for a message: strings quoted, an absent value as "not set", whole
// numbers without a fraction, anything else as JSON.
func Show(v any) string {
	switch v := v.(type) {
	case nil:
		return "not set"
	case string:
		return fmt.Sprintf("%q", v)
	case float64:
		if v == math.Trunc(v) {
			return fmt.Sprintf("%d", int64(v))
		}
		return fmt.Sprint(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}
