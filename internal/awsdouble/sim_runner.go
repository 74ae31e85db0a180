package awsdouble

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/webstack/webstack/internal/release"
)

// runners simulates the release tool's migration runner: RunInstances from a launch template
// the program created, the instance an online SSM managed node RunnerBootSeconds later, and
// `webstack-migrate VERSION` ending MigrationSeconds after it was sent, with the exit status
// SetMigrationFault gave VERSION (0 otherwise) and its output in the "log group".
type runners struct {
	mu        sync.Mutex
	instances map[string]*runnerInstance
	commands  map[string]*runnerCommand
	faults    map[string]int
	next      int
}

type runnerInstance struct {
	lt         string
	tags       map[string]string
	launched   time.Time
	terminated bool
}

type runnerCommand struct {
	instance, group, version string
	sent                     time.Time
}

// Runner timings, in AWS seconds (scaled like the rest of the simulation).
const (
	RunnerBootSeconds = 40
	MigrationSeconds  = 20
)

// SetMigrationFault makes the migration of version exit with status code (0: succeed).
func (s *Sim) SetMigrationFault(version string, code int) {
	s.runners.mu.Lock()
	defer s.runners.mu.Unlock()
	s.runners.faults[version] = code
}

// RunningRunners returns the IDs of the migration runners not terminated.
func (s *Sim) RunningRunners() []string {
	s.runners.mu.Lock()
	defer s.runners.mu.Unlock()
	var out []string
	for id, i := range s.runners.instances {
		if !i.terminated {
			out = append(out, id)
		}
	}
	return out
}

// Runners counts the migration runners launched so far.
func (s *Sim) Runners() int {
	s.runners.mu.Lock()
	defer s.runners.mu.Unlock()
	return len(s.runners.instances)
}

// Runner is the release tool's view of EC2, SSM and CloudWatch Logs for the migration runner.
func (e *Env) Runner() *Runner { return &Runner{s: e.Sim} }

// Runner implements release.Runner on the Sim.
type Runner struct{ s *Sim }

var _ release.Runner = (*Runner)(nil)

// LaunchRunner refuses a launch template the program did not create, or one that is not the
// migration runner's (its user data installs webstack-migrate), as EC2 would run it anyway but
// the step would then fail.
func (r *Runner) LaunchRunner(_ context.Context, lt string, subnets []string, tags map[string]string) (string, error) {
	found := false
	for _, res := range r.s.w.Engine.Registered(typeLaunchTemplate, nil) {
		if res.ID != lt {
			continue
		}
		ud, _ := base64.StdEncoding.DecodeString(str(in(res, "userData")))
		found = strings.Contains(string(ud), "/usr/local/bin/webstack-migrate")
	}
	if !found {
		return "", fmt.Errorf("InvalidLaunchTemplateId.NotFound: the launch template %s is not the migration runner's", lt)
	}
	if len(subnets) == 0 {
		return "", fmt.Errorf("MissingParameter: a subnet is required")
	}
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.next++
	id := fmt.Sprintf("i-0runner%05d", rs.next)
	rs.instances[id] = &runnerInstance{lt: lt, tags: tags, launched: time.Now()}
	r.s.logf("runner %s launched from %s", id, lt)
	return id, nil
}

// RunnerOnline reports the instance online RunnerBootSeconds after its launch, until it is
// terminated.
func (r *Runner) RunnerOnline(_ context.Context, id string) (bool, error) {
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	i := rs.instances[id]
	if i == nil {
		return false, nil
	}
	return !i.terminated && time.Since(i.launched) >= r.s.d(RunnerBootSeconds), nil
}

// SendRunnerCommand accepts only `webstack-migrate VERSION` on an online runner.
func (r *Runner) SendRunnerCommand(ctx context.Context, id, command, group string, _ time.Duration) (string, error) {
	if ok, _ := r.RunnerOnline(ctx, id); !ok {
		return "", fmt.Errorf("InvalidInstanceId: instance %s is not in a valid state for account", id)
	}
	version, ok := strings.CutPrefix(command, "webstack-migrate ")
	if !ok || group == "" {
		return "", fmt.Errorf("the double runs only `webstack-migrate VERSION` with a log group, not %q", command)
	}
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	cmd := fmt.Sprintf("cmd-%d", len(rs.commands)+1)
	rs.commands[cmd] = &runnerCommand{instance: id, group: group, version: version, sent: time.Now()}
	return cmd, nil
}

// RunnerCommand ends the command MigrationSeconds after it was sent.
func (r *Runner) RunnerCommand(_ context.Context, cmd, id string) (release.CommandState, error) {
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c := rs.commands[cmd]
	if c == nil || c.instance != id {
		return release.CommandState{ExitCode: -1}, fmt.Errorf("InvocationDoesNotExist")
	}
	if time.Since(c.sent) < r.s.d(MigrationSeconds) {
		return release.CommandState{Status: "InProgress", ExitCode: -1}, nil
	}
	if code := rs.faults[c.version]; code != 0 {
		return release.CommandState{Done: true, Status: "Failed", ExitCode: code, Output: migrationOutput(c.version, code)[:40]}, nil
	}
	return release.CommandState{Done: true, Status: "Success", Output: migrationOutput(c.version, 0)[:40]}, nil
}

// RunnerOutput returns the command's whole output.
func (r *Runner) RunnerOutput(_ context.Context, group, cmd, id string) (string, error) {
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c := rs.commands[cmd]
	if c == nil || c.group != group || c.instance != id {
		return "", fmt.Errorf("ResourceNotFoundException: The specified log stream does not exist")
	}
	return migrationOutput(c.version, rs.faults[c.version]), nil
}

func migrationOutput(version string, code int) string {
	out := "webstack-migrate: ensuring the database user 'webstack_app' (IAM authentication, TLS only, DML on `app`)\n" +
		"webstack-migrate: running the migration with " + version + "\n"
	if code != 0 {
		return out + "ERROR: Migration of " + version + " failed: Table 'users' has no column 'name'\n" +
			fmt.Sprintf("webstack-migrate: the migration of %s exited with status %d\n", version, code)
	}
	return out + "webstack-migrate: the migration of " + version + " succeeded\n"
}

// TerminateRunners terminates the instance, or every runner of the launch template.
func (r *Runner) TerminateRunners(_ context.Context, lt, id string) ([]string, error) {
	rs := r.s.runners
	rs.mu.Lock()
	defer rs.mu.Unlock()
	var out []string
	for rid, i := range rs.instances {
		if !i.terminated && (rid == id || (id == "" && i.tags[release.RunnerTag] == lt)) {
			i.terminated = true
			out = append(out, rid)
		}
	}
	return out, nil
}
