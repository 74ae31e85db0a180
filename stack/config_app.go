package stack

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
)

// AppConfig is `webstack:app`: the application tier (ALB, blue and green fleets, ECR) and the
// blue/green release state. A release is a sequence of changes to this object plus `pulumi up`
// (see docs/compute.md); the release tool (cmd/deploy) writes activeColor, canaryWeight and
// each color's version and capacity with `pulumi config set --path`, so those key names are a
// contract.
type AppConfig struct {
	// Port is the TCP port (1 to 65535) the application listens on, on the instance (host
	// networking).
	Port int `key:"port"`
	// HealthCheckPath is the path the ALB health check requests; it must answer 200. It should
	// be a liveness endpoint that checks no external dependency (Spring Boot:
	// /actuator/health/liveness): Auto Scaling replaces every instance whose health check fails,
	// so a check that includes the database or Redis turns their outage into the replacement of
	// the whole fleet.
	HealthCheckPath string `key:"healthCheckPath"`
	// ReleaseCheckPath is the one path every release check requests (smoke test, canary,
	// production check), through CloudFront: it must be under the API path
	// (webstack:edge.apiPathPattern), and the application must answer it with 200 and its
	// version in the X-App-Version header. Empty (the default) means the API's base path
	// followed by healthCheckPath ("/api/actuator/health").
	ReleaseCheckPath string `key:"releaseCheckPath"`
	// InstanceType is the fleet's EC2 instance type; an arm64 (Graviton) type.
	InstanceType string `key:"instanceType"`
	// ActiveColor is the color that serves production traffic: blue or green.
	ActiveColor string `key:"activeColor"`
	// CanaryWeight is the percentage (0 to 100) of production traffic sent to the idle color.
	CanaryWeight int `key:"canaryWeight"`
	// TestListenerPort is the ALB port of the test listener, which forwards to the idle color.
	TestListenerPort int `key:"testListenerPort"`
	// TestListenerCIDRs are the networks allowed to reach the test listener: people testing
	// the idle color by hand (the release tool goes through CloudFront instead). A stack must set
	// them: IPv4 CIDRs without host bits, at most 5 (CloudFront's origin-facing prefix list
	// takes 55 of the ALB security group's 60 rules), never 0.0.0.0/0.
	TestListenerCIDRs []string `key:"testListenerCidrs"`
	// DeregistrationDelay is how long (seconds, 0 to 3600; AWS's default is 300) the ALB drains
	// a target before removing it.
	DeregistrationDelay int `key:"deregistrationDelay"`
	// MinActiveCapacity is the fewest instances the active color may be configured with
	// (its minSize): 2 in prod, so that the live fleet survives an instance or AZ loss.
	MinActiveCapacity int `key:"minActiveCapacity"`
	// DeletionProtection turns on the ALB's deletion protection and keeps the ECR repository
	// from being deleted while it holds images. It has no say over the access logs
	// (RetainAccessLogs).
	DeletionProtection bool `key:"deletionProtection"`
	// AccessLogs writes the ALB's access logs to an S3 bucket of the stack (ELB.5).
	AccessLogs bool `key:"accessLogs"`
	// RetainAccessLogs keeps the access log bucket, its logs and its settings in the account
	// when the stack is destroyed or access logs are turned off (every resource of the bucket
	// is retainOnDelete, the bucket is not force-destroyed). false deletes the logs with the
	// stack. Only meaningful with AccessLogs.
	RetainAccessLogs bool `key:"retainAccessLogs"`
	// AccessLogRetentionDays is how long access logs are kept, in days.
	AccessLogRetentionDays int `key:"accessLogRetentionDays"`
	// LogRetentionDays is how long the application's output (both colors' containers) is
	// kept in CloudWatch Logs; a retention CloudWatch Logs accepts.
	LogRetentionDays int `key:"logRetentionDays"`
	// HealthCheckGracePeriod is how long (seconds) Auto Scaling ignores the ALB health of a
	// new instance while it boots, installs Docker, pulls the image and starts the
	// application: 60 to 7200 (0, which Auto Scaling accepts, would replace every booting
	// instance before it could answer). The unhealthy-host alarms wait that long and two minutes
	// more before they page.
	HealthCheckGracePeriod int `key:"healthCheckGracePeriod"`
	// IdleTimeout is the ALB's connection idle timeout in seconds; the fleet sets the
	// application server's keep-alive to this plus 15 seconds.
	IdleTimeout int `key:"idleTimeout"`
	// ImageRetentionCount is how many images the ECR lifecycle policy keeps, newest first,
	// besides the colors' versions (never expired).
	ImageRetentionCount int `key:"imageRetentionCount"`
	// Profile is the application's active profile (SPRING_PROFILES_ACTIVE); empty means the
	// stack name.
	Profile string `key:"profile"`
	// Settings are the team's own application settings, NAME: value, which the containers
	// receive as environment variables besides the generated ones (the data tier's endpoints,
	// DB_USER, the secrets' ARNs; docs/compute.md). Each is a String parameter under
	// /<project>/<stack>/app/ in Parameter Store, read by every instance at boot and at every
	// restart of the application. Names are upper case ([A-Z_][A-Z0-9_]*, at most 64), none a
	// generated name; values are non-empty single lines of at most 4096 characters, and never
	// secrets: values that look like credentials, and names that say PASSWORD, SECRET, TOKEN or
	// API_KEY, are refused. Put a secret in Secrets Manager and set its ARN (e.g.
	// PAYMENT_API_KEY_ARN).
	Settings map[string]string `key:"settings"`
	// Blue is the blue fleet.
	Blue ColorConfig `key:"blue"`
	// Green is the green fleet.
	Green ColorConfig `key:"green"`
	// Migrate is the migration command every release runs once, before any instance of the
	// new version starts: the words after the image in `docker run --rm <repository>:<new
	// version> <migrate>` (e.g. "flyway -connectRetries=10 migrate"), run by the migration
	// runner inside the VPC with DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD (the
	// master user's) in its environment. Words of letters, digits and `_ . / : = , @ + -`
	// separated by single spaces, at most 1024 characters: no quotes, no shell. Empty runs no
	// migration; the runner still maintains the application's database user.
	Migrate string `key:"migrate"`
	// Contract is the release tool's record of the last contract migration
	// (`deploy release --migration contract`); never edit it by hand.
	Contract ContractConfig `key:"contract"`
}

// ColorConfig is one color's fleet: `webstack:app.blue` or `webstack:app.green`.
type ColorConfig struct {
	// Version is the image tag the color runs, a string ("1.4.2"; quote it in YAML, and set it
	// with `pulumi config set --path --type string`); empty for a color with no
	// release, which runs no instances whatever its sizes. Neither color having a version is
	// the state of a stack before its first release: `up` builds everything, no instance
	// starts, and production answers a fixed 503.
	Version string `key:"version"`
	// MinSize is the fewest instances of the color's Auto Scaling group once it has a version
	// (without one it is held at 0 instances); 0 <= minSize <= desiredCapacity <= maxSize, and
	// the active color's at least webstack:app.minActiveCapacity.
	MinSize int `key:"minSize"`
	// DesiredCapacity is how many instances the color runs once it has a version.
	DesiredCapacity int `key:"desiredCapacity"`
	// MaxSize is the most instances of the color's Auto Scaling group (kept without a version).
	MaxSize int `key:"maxSize"`
}

// Running reports whether the color runs instances: it has a version and a desired capacity
// above 0.
func (c ColorConfig) Running() bool { return c.Version != "" && c.DesiredCapacity > 0 }

// The two colors of a blue/green deployment, as the config spells them (contract.Color).
const (
	ColorBlue  = string(contract.Blue)
	ColorGreen = string(contract.Green)
)

// IdleColor returns the color that is not active.
func (a *AppConfig) IdleColor() string {
	if a.ActiveColor == ColorGreen {
		return ColorBlue
	}
	return ColorGreen
}

// Color returns the config of color c.
func (a *AppConfig) Color(c string) ColorConfig {
	if c == ColorGreen {
		return a.Green
	}
	return a.Blue
}

// AppProfile returns the application's active profile: the configured one, else the stack name.
func (c *Config) AppProfile() string {
	if c.App.Profile != "" {
		return c.App.Profile
	}
	return c.Stack
}

func defaultAppConfig() AppConfig {
	return AppConfig{
		Port:                   8080,
		HealthCheckPath:        compute.DefaultHealthCheckPath,
		InstanceType:           compute.DefaultInstanceType,
		ActiveColor:            ColorBlue,
		CanaryWeight:           0,
		TestListenerPort:       9000,
		TestListenerCIDRs:      []string{},
		DeregistrationDelay:    compute.DefaultDeregistrationDelay,
		MinActiveCapacity:      1,
		DeletionProtection:     true,
		AccessLogs:             true,
		RetainAccessLogs:       true,
		AccessLogRetentionDays: compute.DefaultAccessLogRetentionDays,
		LogRetentionDays:       compute.DefaultAppLogRetentionDays,
		HealthCheckGracePeriod: compute.DefaultHealthCheckGracePeriod,
		IdleTimeout:            compute.DefaultIdleTimeout,
		ImageRetentionCount:    compute.DefaultImageRetentionCount,
		Settings:               map[string]string{},
		Blue:                   ColorConfig{MinSize: 1, DesiredCapacity: 1, MaxSize: 2},
		Green:                  ColorConfig{MinSize: 0, DesiredCapacity: 0, MaxSize: 2},
	}
}

// minHealthCheckGracePeriod is the shortest health check grace period (seconds) the fleet
// accepts. The fleet has no launch lifecycle hook: its instances register with the target
// groups as soon as they are InService and fail the health check until the application
// answers, so with a grace period shorter than the boot (Docker's installation alone takes tens
// of seconds) Auto Scaling replaces every new instance before it could ever answer. 0, which
// Auto Scaling accepts, is such a period.
const minHealthCheckGracePeriod = 60

// productionPorts are the ALB's production listener ports (HTTP, and HTTPS once the edge tier
// brings a certificate); the test listener needs a port of its own.
var productionPorts = []int{80, 443}

var (
	// healthCheckPathPattern is what the ALB accepts as a health check path.
	healthCheckPathPattern = regexp.MustCompile(`^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$`)
	// profilePattern is a comma-separated list of profile names.
	profilePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$`)
)

// validate records every problem of the app settings under key: the fleet's own settings,
// then the release state.
func (a *AppConfig) validate(p *problems, key string) {
	a.validateFleet(p, key)
	a.validateRelease(p, key)
	a.validateMigration(p, key)
}

// validateFleet checks the settings of the fleet and of how the load balancer reaches it: ports,
// health check, instance type, test listener networks, timeouts, retention and profile.
func (a *AppConfig) validateFleet(p *problems, key string) {
	validPort := func(k string, port int) bool {
		if port < 1 || port > 65535 {
			p.add(k, "%d is not a TCP port (1 to 65535)", port)
			return false
		}
		return true
	}
	validPort(key+".port", a.Port)
	if validPort(key+".testListenerPort", a.TestListenerPort) {
		for _, prod := range productionPorts {
			if a.TestListenerPort == prod {
				p.add(key+".testListenerPort", "%d is a production listener port (80, 443); the test listener needs a port of its own, e.g. 9000", a.TestListenerPort)
			}
		}
	}
	if !healthCheckPathPattern.MatchString(a.HealthCheckPath) || len(a.HealthCheckPath) > 1024 {
		p.add(key+".healthCheckPath", "%s must be an absolute URL path such as \"/actuator/health\" (no query, no spaces, at most 1024 characters)", quote(a.HealthCheckPath))
	}
	if !armFamily.MatchString(a.InstanceType) {
		p.add(key+".instanceType", "%s is not an arm64 (Graviton) instance type such as \"t4g.small\"; the fleet runs Amazon Linux 2023 for arm64", quote(a.InstanceType))
	}
	validateDeployCIDRs(p, key+".testListenerCidrs", a.TestListenerCIDRs)
	if a.DeregistrationDelay < 0 || a.DeregistrationDelay > 3600 {
		p.add(key+".deregistrationDelay", "%d must be between 0 and 3600 seconds", a.DeregistrationDelay)
	}
	switch {
	case a.HealthCheckGracePeriod >= 0 && a.HealthCheckGracePeriod < minHealthCheckGracePeriod:
		p.add(key+".healthCheckGracePeriod", "%d is too short: Auto Scaling would replace each new instance on its first failed health check, before Docker and "+
			"the application have started (instances register before their user data finishes); use at least %d seconds (default %d)",
			a.HealthCheckGracePeriod, minHealthCheckGracePeriod, compute.DefaultHealthCheckGracePeriod)
	case a.HealthCheckGracePeriod < 0 || a.HealthCheckGracePeriod > compute.MaxHealthCheckGracePeriod:
		p.add(key+".healthCheckGracePeriod", "%d must be between %d and %d seconds", a.HealthCheckGracePeriod, minHealthCheckGracePeriod, compute.MaxHealthCheckGracePeriod)
	}
	if a.IdleTimeout < 1 || a.IdleTimeout > 4000 {
		p.add(key+".idleTimeout", "%d must be between 1 and 4000 seconds (what an ALB accepts)", a.IdleTimeout)
	}
	if a.AccessLogRetentionDays < 1 || a.AccessLogRetentionDays > 3650 {
		p.add(key+".accessLogRetentionDays", "%d must be between 1 and 3650 days", a.AccessLogRetentionDays)
	}
	validateLogRetention(p, key+".logRetentionDays", a.LogRetentionDays)
	if a.ImageRetentionCount < 1 || a.ImageRetentionCount > 1000 {
		p.add(key+".imageRetentionCount", "%d must be between 1 and 1000 images", a.ImageRetentionCount)
	}
	if a.Profile != "" && !profilePattern.MatchString(a.Profile) {
		p.add(key+".profile", "%s must be one or more profile names separated by commas (letters, digits, '_', '-')", quote(a.Profile))
	}
}

// validateRelease checks the release state: each color's version and sizes, the active color
// and the canary weight, then the rules that compare the colors.
func (a *AppConfig) validateRelease(p *problems, key string) {
	if a.MinActiveCapacity < 1 {
		p.add(key+".minActiveCapacity", "%d must be at least 1: the active color always serves production traffic", a.MinActiveCapacity)
	}

	colorsValid := true
	for _, c := range []string{ColorBlue, ColorGreen} {
		if !a.validateColor(p, key, c) {
			colorsValid = false
		}
	}

	activeValid := a.ActiveColor == ColorBlue || a.ActiveColor == ColorGreen
	if !activeValid {
		p.add(key+".activeColor", "%s must be %q or %q", quote(a.ActiveColor), ColorBlue, ColorGreen)
	}
	canaryValid := a.CanaryWeight >= 0 && a.CanaryWeight <= 100
	if !canaryValid {
		p.add(key+".canaryWeight", "%d must be between 0 and 100 (the percentage of production traffic sent to the idle color)", a.CanaryWeight)
	}
	if !activeValid || !colorsValid {
		// The rules below compare the colors; they would only repeat the problems above.
		return
	}
	active, idle := a.ActiveColor, a.IdleColor()
	if a.MinActiveCapacity >= 1 && a.Color(active).MinSize < a.MinActiveCapacity {
		p.add(fmt.Sprintf("%s.%s.minSize", key, active), "%d is below minActiveCapacity %d: the active color %q must keep at least %d instance(s)",
			a.Color(active).MinSize, a.MinActiveCapacity, active, a.MinActiveCapacity)
	}
	if canaryValid && a.CanaryWeight > 0 {
		switch {
		case a.Color(active).Version == "":
			p.add(key+".canaryWeight", "%d splits production traffic, but the active color %q has no version (%s.%s.version is \"\"): there is no release to split it with",
				a.CanaryWeight, active, key, active)
		case a.Color(idle).Version == "":
			p.add(key+".canaryWeight", "%d sends production traffic to the idle color %q, which has no version (%s.%s.version is \"\")",
				a.CanaryWeight, idle, key, idle)
		case a.Color(idle).DesiredCapacity == 0:
			p.add(key+".canaryWeight", "%d sends production traffic to the idle color %q, which has no instances (%s.%s.desiredCapacity is 0)",
				a.CanaryWeight, idle, key, idle)
		}
	}
}

// validateColor checks one color's version and sizes and reports whether they are usable.
func (a *AppConfig) validateColor(p *problems, key, color string) bool {
	c := a.Color(color)
	key = key + "." + color
	ok := true
	if c.MinSize < 0 {
		p.add(key+".minSize", "%d must not be negative", c.MinSize)
		ok = false
	}
	if c.DesiredCapacity < c.MinSize {
		p.add(key+".desiredCapacity", "%d is below minSize %d (sizes must satisfy 0 <= minSize <= desiredCapacity <= maxSize)", c.DesiredCapacity, c.MinSize)
		ok = false
	}
	if c.MaxSize < c.DesiredCapacity {
		p.add(key+".maxSize", "%d is below desiredCapacity %d (sizes must satisfy 0 <= minSize <= desiredCapacity <= maxSize)", c.MaxSize, c.DesiredCapacity)
		ok = false
	}
	switch {
	case hasProblem(p, key+".version"):
		// Already reported while binding (e.g. a number instead of a string).
		ok = false
	case c.Version != "" && !contract.IsImageTag(c.Version):
		p.add(key+".version", "%s is not a valid image tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')", quote(c.Version))
		ok = false
	}
	return ok
}

// hasProblem reports whether a problem was already recorded for key, so that a value the
// binder rejected is not reported a second time by a rule that sees its default.
func hasProblem(p *problems, key string) bool {
	for _, err := range p.errs {
		if ce, ok := err.(*configError); ok && ce.Key == key {
			return true
		}
	}
	return false
}

// validateDeployCIDRs checks the networks allowed to reach the test listener: at least one,
// each a valid CIDR, none the whole internet (IPv4 or IPv6), no duplicates.
func validateDeployCIDRs(p *problems, key string, cidrs []string) {
	if len(cidrs) == 0 {
		p.add(key, "[] must list at least one deploy network (CIDR) allowed to reach the test listener")
		return
	}
	validateCIDRList(p, key, cidrs, "would open the test listener to the whole internet; list your deploy networks instead")
}

// ReleaseCheckPath is the path every release check requests: webstack:app.releaseCheckPath, or
// healthCheckPath as the application sees it through CloudFront, which forwards the path
// unchanged: under the API's base path (/api + /actuator/health), or as it is when it already
// is under it (an application serving everything under /api).
func (c *Config) ReleaseCheckPath() string {
	if c.App.ReleaseCheckPath != "" {
		return c.App.ReleaseCheckPath
	}
	base := edge.APIBasePath(c.Edge.APIPathPattern)
	if strings.HasPrefix(c.App.HealthCheckPath, base+"/") {
		return c.App.HealthCheckPath
	}
	return base + c.App.HealthCheckPath
}

// validateReleaseCheckPath holds the release check path under the API: CloudFront sends every
// other path to the single-page app, whose index.html would answer 200 for any of them.
func (c *Config) validateReleaseCheckPath(p *problems) {
	key := Namespace + ":app.releaseCheckPath"
	if c.App.ReleaseCheckPath == "" && hasProblem(p, Namespace+":app.healthCheckPath") {
		return // derived from a path already reported
	}
	path := c.ReleaseCheckPath()
	base := edge.APIBasePath(c.Edge.APIPathPattern)
	switch {
	case c.App.ReleaseCheckPath != "" && (!healthCheckPathPattern.MatchString(path) || len(path) > 1024):
		p.add(key, "%s must be an absolute URL path such as \"/api/actuator/health\" (no query, no spaces)", quote(path))
	case !strings.HasPrefix(path, base+"/"):
		p.add(key, "%s is not under the API path %s (webstack:edge.apiPathPattern %s): CloudFront would answer it from the frontend bucket, never from the application",
			quote(path), quote(base+"/"), quote(c.Edge.APIPathPattern))
	}
}
