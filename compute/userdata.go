package compute

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
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
	// SettingsPath is the Parameter Store path of the app's settings (SettingsPath), which the
	// instance reads at boot and before every start of the container (webstack-settings).
	// Required with a Version.
	SettingsPath string
	// LogGroup is the CloudWatch Logs group the container's output goes to, one stream per
	// instance. Optional. Defaults to none: the output stays in the instance's journal.
	LogGroup string
}

// logGroupName is what CloudWatch Logs accepts as a group name; nothing in it needs quoting
// in the unit file.
var logGroupName = regexp.MustCompile(`^[A-Za-z0-9_/.#-]{1,512}$`)

// EnvVar is one variable of the container's environment.
type EnvVar struct{ Name, Value string }

// BuiltinEnvironment names the variables the fleet always sets; no setting may be named like
// one (webstack-settings ignores such a setting on the instance).
var BuiltinEnvironment = []string{
	"APP_COLOR", "APP_VERSION", "AWS_DEFAULT_REGION", "AWS_REGION", "SERVER_PORT",
	"SERVER_TOMCAT_KEEPALIVETIMEOUT", "SPRING_PROFILES_ACTIVE",
}

// Render returns the user data script.
func (u UserData) Render() (string, error) {
	if err := validColor(u.Color); err != nil {
		return "", err
	}
	env := u.environment()
	if u.Version != "" && !settingsPath.MatchString(u.SettingsPath) {
		return "", fmt.Errorf("settings path %q is not a Parameter Store path such as \"/webstack/prod/app\"", u.SettingsPath)
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
	err := userData.Execute(&b, struct {
		UserData
		Image, Registry string
		Environment     []EnvVar
		ManifestName    string
		SettingsWait    int
	}{u, image, registry, env, ManifestName, SettingsWaitSeconds})
	return b.String(), err
}

// environment returns the variables the fleet sets itself (BuiltinEnvironment), sorted by
// name; the app's settings join them on the instance.
func (u UserData) environment() []EnvVar {
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
	out := make([]EnvVar, 0, len(env))
	for name, value := range env {
		out = append(out, EnvVar{name, value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
