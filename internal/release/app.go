// Package release drives webstack's blue/green releases: a release is a sequence of changes to
// the stack config object webstack:app followed by `pulumi up`, with smoke tests, optional
// canary steps, a flip of the active color and automatic recovery when a step fails.
//
// The package talks to the stack through the small Stack interface, so the state machine is
// tested with a fake stack; AutoStack implements it on Pulumi's Automation API.
package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"

	"github.com/webstack/webstack/contract"
)

// AppKey is the stack config key of the release model (docs/release.md, "The release state and the sizes").
const AppKey = "webstack:app"

// App is the release-relevant part of the webstack:app config object. Fields the release tool
// does not manage (port, health check path, instance type ...) are kept untouched in raw and
// written back as they were.
type App struct {
	Active       contract.Color
	CanaryWeight int
	Blue         contract.Fleet
	Green        contract.Fleet
	// Contract is webstack:app.contract: the release tool's record of the last contract
	// migration (migrate.go).
	Contract ContractRecord
	// Migrate is webstack:app.migrate, the migration command; the release tool only reads it.
	Migrate string

	raw map[string]any
}

// ContractRecord is webstack:app.contract: Version's release ran the last contract migration,
// when Replaced was live; while Replaced is set, a rollback to it is refused.
type ContractRecord struct {
	Version  string
	Replaced string
}

// Fleet returns the fleet of color c.
func (a App) Fleet(c contract.Color) contract.Fleet {
	if c == contract.Green {
		return a.Green
	}
	return a.Blue
}

// SetFleet replaces the fleet of color c.
func (a *App) SetFleet(c contract.Color, f contract.Fleet) {
	if c == contract.Green {
		a.Green = f
	} else {
		a.Blue = f
	}
}

// Idle returns the color that does not serve production (except a canary share).
func (a App) Idle() contract.Color { return a.Active.Other() }

// ParseApp reads the JSON form of webstack:app, as `pulumi config get webstack:app` prints it.
// Capacities must be integers and versions strings; every problem is reported.
func ParseApp(data []byte) (App, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return App{}, fmt.Errorf("%s: not a config object: %w", AppKey, err)
	}
	if raw == nil {
		return App{}, fmt.Errorf("%s: not a config object: %q", AppKey, string(data))
	}
	a := App{raw: raw}
	var errs []error
	switch v := raw["activeColor"].(type) {
	case string:
		a.Active = contract.Color(v)
		if a.Active != contract.Blue && a.Active != contract.Green {
			errs = append(errs, fmt.Errorf("%s.activeColor: %q is not blue or green", AppKey, v))
		}
	case nil:
		errs = append(errs, fmt.Errorf("%s.activeColor is not set", AppKey))
	default:
		errs = append(errs, fmt.Errorf("%s.activeColor: %v is not blue or green", AppKey, v))
	}
	if w, ok := raw["canaryWeight"]; ok {
		n, err := intValue(AppKey+".canaryWeight", w)
		errs = append(errs, err)
		a.CanaryWeight = n
	}
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		f, err := parseFleet(c, raw[string(c)])
		errs = append(errs, err)
		a.SetFleet(c, f)
	}
	if m, ok := raw["migrate"].(string); ok {
		a.Migrate = m
	}
	if c, ok := raw["contract"].(map[string]any); ok {
		a.Contract.Version, _ = c["version"].(string)
		a.Contract.Replaced, _ = c["replaced"].(string)
	}
	if err := errors.Join(errs...); err != nil {
		return App{}, err
	}
	return a, nil
}

func parseFleet(c contract.Color, v any) (contract.Fleet, error) {
	key := AppKey + "." + string(c)
	if v == nil {
		return contract.Fleet{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return contract.Fleet{}, fmt.Errorf("%s: %v is not an object", key, v)
	}
	var f contract.Fleet
	var errs []error
	switch ver := m["version"].(type) {
	case nil:
	case string:
		f.Version = ver
	default:
		errs = append(errs, fmt.Errorf("%s.version: %v is a %T, not a string (quote it in the stack file)", key, ver, ver))
	}
	for _, field := range []struct {
		name string
		dst  *int
	}{{"minSize", &f.Capacity.Min}, {"desiredCapacity", &f.Capacity.Desired}, {"maxSize", &f.Capacity.Max}} {
		if x, ok := m[field.name]; ok {
			n, err := intValue(key+"."+field.name, x)
			errs = append(errs, err)
			*field.dst = n
		}
	}
	return f, errors.Join(errs...)
}

func intValue(key string, v any) (int, error) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%s: %q is not an integer", key, n.String())
		}
		return int(i), nil
	case float64:
		if n != math.Trunc(n) {
			return 0, fmt.Errorf("%s: %v is not an integer", key, n)
		}
		return int(n), nil
	case int:
		return n, nil
	default:
		return 0, fmt.Errorf("%s: %v is not an integer", key, v)
	}
}

// Object returns webstack:app as a config object: the fields the tool does not manage as they
// were read, the managed ones from a.
func (a App) Object() map[string]any {
	obj := maps.Clone(a.raw)
	if obj == nil {
		obj = map[string]any{}
	}
	obj["activeColor"] = string(a.Active)
	obj["canaryWeight"] = a.CanaryWeight
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		fleet := map[string]any{}
		if old, ok := obj[string(c)].(map[string]any); ok {
			fleet = maps.Clone(old)
		}
		f := a.Fleet(c)
		fleet["version"] = f.Version
		fleet["minSize"] = f.Capacity.Min
		fleet["desiredCapacity"] = f.Capacity.Desired
		fleet["maxSize"] = f.Capacity.Max
		obj[string(c)] = fleet
	}
	// The record appears in the stack file with the first contract migration, not before.
	if _, had := obj["contract"]; had || a.Contract != (ContractRecord{}) {
		obj["contract"] = map[string]any{"version": a.Contract.Version, "replaced": a.Contract.Replaced}
	}
	return obj
}

// Validate checks the invariants the program also enforces, so that the tool refuses a change
// before it reaches `pulumi up`.
func (a App) Validate() error {
	var errs []error
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		f := a.Fleet(c)
		key := AppKey + "." + string(c)
		if f.Capacity.Min < 0 || f.Capacity.Min > f.Capacity.Desired || f.Capacity.Desired > f.Capacity.Max {
			errs = append(errs, fmt.Errorf("%s: capacity %s must satisfy 0 <= minSize <= desiredCapacity <= maxSize", key, f.Capacity))
		}
	}
	if a.Fleet(a.Active).Capacity.Desired == 0 {
		errs = append(errs, fmt.Errorf("%s.activeColor: active color %q has no capacity", AppKey, a.Active))
	}
	if min := a.minActiveCapacity(); a.Fleet(a.Active).Capacity.Min < min {
		errs = append(errs, fmt.Errorf("%s.%s.minSize: %d is below %s.minActiveCapacity %d: the program refuses an active color this small",
			AppKey, a.Active, a.Fleet(a.Active).Capacity.Min, AppKey, min))
	}
	if a.CanaryWeight < 0 || a.CanaryWeight > 100 {
		errs = append(errs, fmt.Errorf("%s.canaryWeight: %d is not between 0 and 100", AppKey, a.CanaryWeight))
	}
	// A color without a version runs no instances whatever its capacity (the sizes it runs
	// once released); neither color having one is the state before the first release.
	if a.CanaryWeight > 0 && (a.Fleet(a.Idle()).Capacity.Desired == 0 || a.Fleet(a.Idle()).Version == "") {
		errs = append(errs, fmt.Errorf("%s.canaryWeight: %d needs capacity and a version on idle color %q", AppKey, a.CanaryWeight, a.Idle()))
	}
	if a.CanaryWeight > 0 && a.Fleet(a.Active).Version == "" {
		errs = append(errs, fmt.Errorf("%s.canaryWeight: %d needs a version on active color %q", AppKey, a.CanaryWeight, a.Active))
	}
	return errors.Join(errs...)
}

// minActiveCapacity is webstack:app.minActiveCapacity, 1 (the program's default) when unset or
// not a number (the program reports that).
func (a App) minActiveCapacity() int {
	v, ok := a.raw["minActiveCapacity"]
	if !ok {
		return 1
	}
	n, err := intValue("minActiveCapacity", v)
	if err != nil {
		return 1
	}
	return n
}

// ValidateVersion checks that v can be used as an application version (an image tag).
func ValidateVersion(v string) error {
	if v == "" {
		return errors.New("version is empty")
	}
	if !contract.IsImageTag(v) {
		return fmt.Errorf("version %q is not a valid image tag (letters, digits, '_', '.', '-'; at most 128)", v)
	}
	// `pulumi config set --path` would store these as a number or a boolean. This tool writes
	// the object with types intact, but a later hand edit would not, so refuse them outright.
	if _, err := strconv.ParseInt(v, 10, 64); err == nil {
		return fmt.Errorf("version %q is purely numeric; path config would store it as a number: use e.g. %q", v, v+".0.0")
	}
	if v == "true" || v == "false" {
		return fmt.Errorf("version %q would be stored as a boolean", v)
	}
	return nil
}

// Change is one config value that differs between two App values.
type Change struct {
	Key      string // full path, e.g. webstack:app.green.version
	Old, New any
}

// String formats the change as `key: old -> new`.
func (c Change) String() string {
	return fmt.Sprintf("%s: %s -> %s", c.Key, formatValue(c.Old), formatValue(c.New))
}

func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "(unset)"
	case string:
		return strconv.Quote(x)
	default:
		return fmt.Sprint(x)
	}
}

// Diff lists the managed values that differ between from and to, in a stable order: the
// release state (ReleaseDiff) and the sizes (SizeDiff).
func Diff(from, to App) []Change {
	return append(ReleaseDiff(from, to), SizeDiff(from, to)...)
}

// ReleaseDiff lists the differences in the release state: the active color, the canary weight
// and each color's version. Only the release tool changes these (release, rollback, retire);
// a stack file that disagrees on them with what is deployed is stale.
func ReleaseDiff(from, to App) []Change {
	var out []Change
	add := changes(&out)
	add("activeColor", string(from.Active), string(to.Active))
	add("canaryWeight", from.CanaryWeight, to.CanaryWeight)
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		add(string(c)+".version", from.Fleet(c).Version, to.Fleet(c).Version)
	}
	return out
}

// SizeDiff lists the differences in the colors' sizes. People change these in the stack file
// and `deploy up` applies them; the release tool never does.
func SizeDiff(from, to App) []Change {
	var out []Change
	add := changes(&out)
	for _, c := range []contract.Color{contract.Blue, contract.Green} {
		f, t := from.Fleet(c).Capacity, to.Fleet(c).Capacity
		add(string(c)+".minSize", f.Min, t.Min)
		add(string(c)+".desiredCapacity", f.Desired, t.Desired)
		add(string(c)+".maxSize", f.Max, t.Max)
	}
	return out
}

func changes(out *[]Change) func(key string, o, n any) {
	return func(key string, o, n any) {
		if o != n {
			*out = append(*out, Change{Key: AppKey + "." + key, Old: o, New: n})
		}
	}
}

// Keys returns the keys of the changes, for tests and summaries.
func Keys(cs []Change) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, c.Key)
	}
	slices.Sort(out)
	return out
}
