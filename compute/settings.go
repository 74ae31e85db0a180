package compute

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The app's settings live in Parameter Store, not in the launch template: one String parameter
// per setting under SettingsPath, and a manifest written after all of them. The instances read
// them at boot and before every start of the container (userdata.sh.tmpl, webstack-settings),
// so the fleet depends on no resource that produces a setting's value (the database's replicas
// above all), and a changed setting reaches a running instance by a restart of the service.

// ManifestName is the last path segment of the manifest parameter: SettingsManifest's value,
// written after every setting. Not a variable name, so it never reaches the container.
const ManifestName = "_manifest"

// SettingsWaitSeconds is how long an instance waits at boot for a complete set of settings
// (the manifest and every setting it names) before its user data fails: well inside the
// default health check grace period (DefaultHealthCheckGracePeriod), so an instance that
// cannot read its settings is replaced rather than left serving without them.
const SettingsWaitSeconds = 180

// settingsPath is what SettingsPath returns and the user data accepts: absolute, sub-paths of
// the characters Parameter Store allows, nothing the shell would need quoted.
var settingsPath = regexp.MustCompile(`^(/[A-Za-z0-9_.-]+)+$`)

// SettingName is what a setting's name must be: an environment variable name in upper case,
// as the container receives it.
var SettingName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// SettingsPath is the Parameter Store path of a stack's app settings, "/<project>/<stack>/app":
// known before anything exists, so the launch template and the instance role name it without
// depending on any parameter.
func SettingsPath(project, stack string) string {
	return fmt.Sprintf("/%s/%s/app", project, stack)
}

// SettingsManifest is the manifest's value for the given settings (name to value):
// "v1 sha256=<hex> names=A,B,C", the names sorted and the digest the SHA-256 of every
// "NAME=value" line, sorted bytewise, each ending in a newline. webstack-settings computes the
// same digest over what it read (LC_ALL=C sort | sha256sum) and waits until they agree.
func SettingsManifest(settings map[string]string) string {
	names := make([]string, 0, len(settings))
	lines := make([]string, 0, len(settings))
	for name, value := range settings {
		names = append(names, name)
		lines = append(lines, name+"="+value)
	}
	slices.Sort(names)
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n") + "\n"))
	return fmt.Sprintf("v1 sha256=%s names=%s", hex.EncodeToString(sum[:]), strings.Join(names, ","))
}

// ManifestLength is the length of the manifest's value for settings with the given names,
// whatever their values: what Parameter Store's 4,096-character Standard tier limit applies to.
func ManifestLength(names []string) int {
	return len("v1 sha256=") + sha256.Size*2 + len(" names=") + len(strings.Join(names, ","))
}
