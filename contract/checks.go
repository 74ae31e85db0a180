package contract

import "fmt"

// Profiles of webstack:checks.profile.
const (
	Production    = "production"
	NonProduction = "nonproduction"
)

// Config keys the checks name in exceptions.
const (
	ProfileKey = "webstack:checks.profile"
	WaiveKey   = "webstack:checks.waive"
)

// CheckOptions says what a stack's config declares about the built-in checks: what the
// config layer hands to the checks, without either importing the other.
type CheckOptions struct {
	// Profile is Production (the default when empty) or NonProduction.
	Profile string
	// Waivers map check IDs to the reason a reviewed relaxation was accepted
	// (webstack:checks.waive).
	Waivers map[string]string
	// Exceptions are the relaxations the tiers' config keys make.
	Exceptions []Relaxation
	// Placeholders are the config values that still hold documentation placeholders
	// (webstack/placeholders reports each).
	Placeholders []Placeholder
}

// Relaxation says that a config key deliberately relaxed a control on resources of a type: a
// failure of check Check on such a resource is reported as an exception naming Key. The
// config registers one only when its value actually relaxes the control.
type Relaxation struct {
	// Check is the check ID ("RDS.8"), one of CheckIDs. Required.
	Check string
	// Type limits the relaxation to one resource type token. Optional: empty means every type
	// the check judges.
	Type string
	// Name limits the relaxation to the resource of that name. Optional: empty means every
	// resource of Type.
	Name string
	// NamePrefix limits the relaxation to the resources whose names start with it (a tier's
	// resources of one kind, e.g. "db-" for the database's log groups). Optional.
	NamePrefix string
	// Key is the full config key that relaxed the control
	// ("webstack:database.deletionProtection", or
	// "webstack:database.exceptions.deletionProtection" on a production data tier). Required.
	Key string
	// Reason is the reviewed reason, where the key is an exception a production tier must
	// explain (webstack:database.exceptions.*). Optional.
	Reason string
}

// Placeholder is a config value that still holds documentation: an example domain, a
// documentation address range, an address at an example domain. The committed stack files carry
// such values where a team must put its own (its domain, its deploy networks, its on-call list);
// a stack that still holds one is not ready to deploy.
type Placeholder struct {
	// Key is the full config key, e.g. "webstack:edge.domain" or
	// "webstack:app.testListenerCidrs[0]".
	Key string
	// Value is the value found there.
	Value string
	// Why says what kind of placeholder it is, e.g. "an RFC 2606 example domain".
	Why string
}

// String renders a placeholder for a message.
func (p Placeholder) String() string { return fmt.Sprintf("%s: %q is %s", p.Key, p.Value, p.Why) }
