package release

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Stack is what a release needs from a Pulumi stack. AutoStack implements it with the
// Automation API; the tests use a fake.
type Stack interface {
	// Name returns the stack name, e.g. prod.
	Name() string
	// App reads the webstack:app config object.
	App(ctx context.Context) (App, error)
	// SetApp writes the webstack:app config object (types intact).
	SetApp(ctx context.Context, app App) error
	// Up runs `pulumi up`. An update refused because another one holds the stack's lock
	// returns an error that wraps ErrConcurrentUpdate.
	Up(ctx context.Context) error
	// Outputs returns the stack outputs of the last update.
	Outputs(ctx context.Context) (Outputs, error)
}

// ErrConcurrentUpdate marks an update refused because another update holds the stack's lock.
// It is reported, never retried: the other update may be a release in progress.
var ErrConcurrentUpdate = errors.New("another update is in progress on this stack (the stack is locked)")

// Names of the stack outputs the release tool reads (DESIGN.md "Stack outputs").
const (
	OutActiveColor  = "activeColor"
	OutIdleColor    = "idleColor"
	OutBlueVersion  = "blueVersion"
	OutGreenVersion = "greenVersion"
	OutBlueAsgName  = "blueAsgName"
	OutGreenAsgName = "greenAsgName"
	OutTestURL      = "testUrl"
	OutAPIURL       = "apiUrl"
	OutALBDNSName   = "albDnsName"
	OutSiteURL      = "siteUrl"
)

// Outputs are stack outputs by name. Secret outputs are never put here in clear.
type Outputs map[string]any

// String returns output name as a string, or "" when it is absent or not a string.
func (o Outputs) String(name string) string {
	s, _ := o[name].(string)
	return s
}

// TestURL returns the base URL of the test listener, which serves the idle color.
func (o Outputs) TestURL() (string, error) {
	u := strings.TrimRight(o.String(OutTestURL), "/")
	if u == "" {
		return "", fmt.Errorf("stack output %q is missing", OutTestURL)
	}
	return u, nil
}

// ProductionURL returns the base URL that serves production API traffic: apiUrl, or
// http://<albDnsName> when the stack has no apiUrl.
func (o Outputs) ProductionURL() (string, error) {
	if u := o.String(OutAPIURL); u != "" {
		return strings.TrimRight(u, "/"), nil
	}
	if d := o.String(OutALBDNSName); d != "" {
		return "http://" + d, nil
	}
	return "", fmt.Errorf("stack outputs %q and %q are both missing", OutAPIURL, OutALBDNSName)
}

// joinURL appends an absolute path to a base URL.
func joinURL(base, path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return strings.TrimRight(base, "/") + path
}
