package contract

import (
	"fmt"
	"regexp"
)

// Color is one of the two fleets of a blue/green deployment.
type Color string

// The two colors.
const (
	Blue  Color = "blue"
	Green Color = "green"
)

// Other returns the color that is not c.
func (c Color) Other() Color {
	if c == Blue {
		return Green
	}
	return Blue
}

// Capacity is the Auto Scaling size of one color, as the OutBlueCapacity and OutGreenCapacity
// outputs hold it.
type Capacity struct {
	Min     int `json:"minSize"`
	Desired int `json:"desiredCapacity"`
	Max     int `json:"maxSize"`
}

// IsZero reports whether the color runs no instances.
func (c Capacity) IsZero() bool { return c.Desired == 0 && c.Min == 0 }

// String formats the capacity as min/desired/max.
func (c Capacity) String() string { return fmt.Sprintf("%d/%d/%d", c.Min, c.Desired, c.Max) }

// Fleet is what one color runs: an application version and a capacity.
type Fleet struct {
	Version  string   `json:"version"`
	Capacity Capacity `json:"capacity"`
}

// String describes the fleet for progress messages.
func (f Fleet) String() string {
	v := f.Version
	if v == "" {
		v = "(none)"
	}
	return fmt.Sprintf("version %s, capacity %s (min/desired/max)", v, f.Capacity)
}

// imageTag is the syntax of a container image tag (ECR's and Docker's), which is what an
// application version becomes.
var imageTag = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// IsImageTag reports whether v is a valid container image tag: letters, digits, '_', '.' and
// '-', not starting with '.' or '-', at most 128 characters.
func IsImageTag(v string) bool { return imageTag.MatchString(v) }

// EnvReleaseTool names the environment variable with which the release tool (cmd/deploy) runs
// its updates. Only such an update may change the release state (webstack:app.activeColor,
// canaryWeight and each color's version): cmd/deploy starts from what is deployed, checks the
// new version, and recovers a failure. Any other update (a plain `pulumi up`, a preview) must
// find the release state in the stack file equal to what is deployed, or a stale file would put
// an old color or version live with no check at all.
const EnvReleaseTool = "WEBSTACK_RELEASE_TOOL"

// ReleaseCheckHeader is the request header that routes a request through CloudFront to the
// idle color, when it carries the stack's release-check secret (the compute tier's production
// listener rule).
const ReleaseCheckHeader = "X-Webstack-Release-Check"
