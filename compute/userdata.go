package compute

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
)

//go:embed userdata.sh.tmpl
var userDataTemplate string

var userData = template.Must(template.New("userdata").Parse(userDataTemplate))

// UserData is what the fleet's user data script is rendered from.
type UserData struct {
	// Color is the fleet's color.
	Color Color
	// Version is the image tag the color runs; empty renders a script that refuses to start
	// (a color without a version has no instances).
	Version string
	// Repository is the ECR repository URL, "<registry host>/<name>".
	Repository string
	// Region is the stack's region, for the ECR login.
	Region string
	// Port is the application's port.
	Port int
	// Profile is the application's active profile (SPRING_PROFILES_ACTIVE). Optional.
	Profile string
	// KeepAliveTimeout is the application server's keep-alive timeout in seconds; it must
	// exceed the ALB's idle timeout.
	KeepAliveTimeout int
	// Environment is extra container environment (the data tier's endpoints and secret ARNs).
	// Optional. Names must not collide with BuiltinEnvironment.
	Environment map[string]string
	// LogGroup is the CloudWatch Logs group the container's output goes to, one stream per
	// instance. Optional. Defaults to none: the output stays in the instance's journal.
	LogGroup string
}

// logGroupName is what CloudWatch Logs accepts as a group name; nothing in it needs quoting
// in the unit file.
var logGroupName = regexp.MustCompile(`^[A-Za-z0-9_/.#-]{1,512}$`)

// EnvVar is one variable of the container's environment.
type EnvVar struct{ Name, Value string }

// BuiltinEnvironment names the variables the fleet always sets; Environment may not override
// them.
var BuiltinEnvironment = []string{
	"APP_COLOR", "APP_VERSION", "AWS_DEFAULT_REGION", "AWS_REGION", "SERVER_PORT",
	"SERVER_TOMCAT_KEEPALIVETIMEOUT", "SPRING_PROFILES_ACTIVE",
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Render returns the user data script.
func (u UserData) Render() (string, error) {
	if err := validColor(u.Color); err != nil {
		return "", err
	}
	env, err := u.environment()
	if err != nil {
		return "", err
	}
	if u.LogGroup != "" && !logGroupName.MatchString(u.LogGroup) {
		return "", fmt.Errorf("log group %q is not a CloudWatch Logs group name", u.LogGroup)
	}
	registry, _, ok := strings.Cut(u.Repository, "/")
	if !ok || registry == "" {
		return "", fmt.Errorf("repository %q is not a repository URL", u.Repository)
	}
	image := ""
	if u.Version != "" {
		image = u.Repository + ":" + u.Version
	}
	var b bytes.Buffer
	err = userData.Execute(&b, struct {
		UserData
		Image, Registry string
		Environment     []EnvVar
	}{u, image, registry, env})
	return b.String(), err
}

// environment returns the container's variables sorted by name: the built-in ones and the
// extra ones.
func (u UserData) environment() ([]EnvVar, error) {
	env := map[string]string{
		"APP_COLOR":          string(u.Color),
		"APP_VERSION":        u.Version,
		"AWS_REGION":         u.Region,
		"AWS_DEFAULT_REGION": u.Region,
		"SERVER_PORT":        fmt.Sprint(u.Port),
	}
	if u.KeepAliveTimeout > 0 {
		// Spring Boot's relaxed binding of server.tomcat.keep-alive-timeout.
		env["SERVER_TOMCAT_KEEPALIVETIMEOUT"] = fmt.Sprintf("%ds", u.KeepAliveTimeout)
	}
	if u.Profile != "" {
		env["SPRING_PROFILES_ACTIVE"] = u.Profile
	}
	var errs []error
	for name, value := range u.Environment {
		switch {
		case !envName.MatchString(name):
			errs = append(errs, fmt.Errorf("environment variable name %q is not a shell variable name", name))
		case slices.Contains(BuiltinEnvironment, name):
			errs = append(errs, fmt.Errorf("environment variable %s is set by the fleet itself", name))
		case strings.ContainsAny(value, "\r\n\x00"):
			errs = append(errs, fmt.Errorf("environment variable %s: value contains a line break or NUL", name))
		default:
			env[name] = value
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]EnvVar, 0, len(env))
	for name, value := range env {
		out = append(out, EnvVar{name, value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
