package stack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
)

// configError is one problem with one config value. Its message names the stack file, the
// full key and, where there is one, the offending value, so that a user can find and fix it
// without reading the program.
type configError struct {
	File string
	Key  string
	Msg  string
}

func (e *configError) Error() string { return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg) }

// problems collects every config problem of a run, so that all of them are reported together.
type problems struct {
	file string
	errs []error
}

func (p *problems) add(key, format string, args ...any) {
	p.errs = append(p.errs, &configError{File: p.file, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// quote renders a config value the way it would be written in YAML, for error messages.
func quote(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case nil:
		return "null"
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
}

// decodeJSON parses one raw config value. Structured config arrives from the engine as JSON
// text; numbers are kept as json.Number so that integers are checked exactly.
func decodeJSON(raw string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after the value")
	}
	return v, nil
}

// bind copies a decoded config value into dst, a pointer to a struct whose fields carry
// `key:"name"` tags. Fields absent from the value keep what dst already holds (the
// defaults). Every type mismatch and every unknown key is recorded under its full key; bind
// never stops at the first problem and never panics on user input.
func bind(p *problems, key string, v any, dst any) {
	bindValue(p, key, v, reflect.ValueOf(dst).Elem())
}

// bindValue binds v into dst by dst's kind, recording every problem under key.
func bindValue(p *problems, key string, v any, dst reflect.Value) {
	switch dst.Kind() {
	case reflect.Struct:
		bindStruct(p, key, v, dst)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			p.add(key, "%s must be a string (put it in quotes)", quote(v))
			return
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			p.add(key, "%s must be true or false", quote(v))
			return
		}
		dst.SetBool(b)
	case reflect.Int:
		bindInt(p, key, v, dst)
	case reflect.Slice:
		bindSlice(p, key, v, dst)
	case reflect.Map:
		bindMap(p, key, v, dst)
	default:
		// A programming error, not a user error: every config field type is handled above.
		p.add(key, "internal error: unsupported config field type %s", dst.Type())
	}
}

// bindStruct binds an object into a struct field by field, in key order; an unknown key is
// recorded with a suggestion.
func bindStruct(p *problems, key string, v any, dst reflect.Value) {
	obj, ok := v.(map[string]any)
	if !ok {
		p.add(key, "%s must be an object with the keys %s", quote(v), strings.Join(structKeys(dst.Type()), ", "))
		return
	}
	fields := map[string]reflect.Value{}
	for i := 0; i < dst.NumField(); i++ {
		if name := dst.Type().Field(i).Tag.Get("key"); name != "" {
			fields[name] = dst.Field(i)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		field, known := fields[name]
		if !known {
			p.add(key+"."+name, "unknown key%s", suggest(name, structKeys(dst.Type())))
			continue
		}
		bindValue(p, key+"."+name, obj[name], field)
	}
}

// bindInt binds a whole number that fits in 32 bits.
func bindInt(p *problems, key string, v any, dst reflect.Value) {
	n, ok := v.(json.Number)
	if !ok {
		p.add(key, "%s must be a whole number", quote(v))
		return
	}
	i, err := n.Int64()
	if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
		p.add(key, "%s must be a whole number", n.String())
		return
	}
	dst.SetInt(i)
}

// bindSlice binds a list item by item, each under key[i].
func bindSlice(p *problems, key string, v any, dst reflect.Value) {
	list, ok := v.([]any)
	if !ok {
		p.add(key, "%s must be a list", quote(v))
		return
	}
	out := reflect.MakeSlice(dst.Type(), len(list), len(list))
	for i, item := range list {
		bindValue(p, fmt.Sprintf("%s[%d]", key, i), item, out.Index(i))
	}
	dst.Set(out)
}

// bindMap binds a string-keyed map (e.g. webstack:checks.waive): each entry is bound like a
// field, so that a bad value is reported under its full key.
func bindMap(p *problems, key string, v any, dst reflect.Value) {
	obj, ok := v.(map[string]any)
	if !ok || dst.Type().Key().Kind() != reflect.String {
		p.add(key, "%s must be an object", quote(v))
		return
	}
	out := reflect.MakeMapWithSize(dst.Type(), len(obj))
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		elem := reflect.New(dst.Type().Elem()).Elem()
		bindValue(p, key+"."+name, obj[name], elem)
		out.SetMapIndex(reflect.ValueOf(name).Convert(dst.Type().Key()), elem)
	}
	dst.Set(out)
}

// structKeys lists the config keys a struct accepts, in declaration order.
func structKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		if name := t.Field(i).Tag.Get("key"); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

// suggest returns ` (did you mean "x"?)` when a known key is a likely typo of name, and a
// list of the valid keys otherwise.
func suggest(name string, known []string) string {
	if best := closest(name, known); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return fmt.Sprintf(" (valid keys: %s)", strings.Join(known, ", "))
}

// closest returns the known name that name is most likely a typo of, or "" when none is near
// enough: the first with the fewest edits (ignoring case), if that is at most a third of its
// length, and never fewer than two. Every "did you mean" of the config (keys, check IDs) uses
// it, so they all judge a typo alike.
func closest(name string, known []string) string {
	best, bestDist := "", math.MaxInt
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best != "" && bestDist <= max(2, len(best)/3) {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
