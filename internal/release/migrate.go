package release

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/webstack/webstack/contract"
)

// Migration is the kind of schema change a release's migration makes (docs/release.md,
// "Expand and contract").
type Migration string

const (
	// Expand adds what the new version needs and keeps everything the live (and any older
	// warm) version reads: the default.
	Expand Migration = "expand"
	// Contract removes what only older versions read. It is allowed only when no older version
	// can take traffic (the idle color is retired), and a rollback to the version it replaced
	// is refused afterwards.
	Contract Migration = "contract"
)

// ParseMigration reads --migration.
func ParseMigration(s string) (Migration, error) {
	switch m := Migration(s); m {
	case "", Expand:
		return Expand, nil
	case Contract:
		return Contract, nil
	}
	return "", fmt.Errorf("--migration %q: must be %q or %q", s, Expand, Contract)
}

// Runner starts and drives the migration runner: one EC2 instance launched from the stack's
// launch template (output migrateLaunchTemplateId), driven with SSM Run Command. AWSCloud
// implements it; the tests use fakes.
type Runner interface {
	// LaunchRunner runs one instance from the launch template in one of the subnets, with the
	// tags, and returns its ID.
	LaunchRunner(ctx context.Context, launchTemplateID string, subnetIDs []string, tags map[string]string) (string, error)
	// RunnerOnline reports whether the instance is an SSM managed node that is online.
	RunnerOnline(ctx context.Context, instanceID string) (bool, error)
	// SendRunnerCommand runs a shell command on the instance (AWS-RunShellScript) for at most
	// timeout, its output going to the log group too, and returns the command's ID.
	SendRunnerCommand(ctx context.Context, instanceID, command, logGroup string, timeout time.Duration) (string, error)
	// RunnerCommand returns the command's state on the instance.
	RunnerCommand(ctx context.Context, commandID, instanceID string) (CommandState, error)
	// RunnerOutput returns the command's whole output (stdout, then stderr) from the log group.
	RunnerOutput(ctx context.Context, logGroup, commandID, instanceID string) (string, error)
	// TerminateRunners terminates the instance with the ID, or with "" every instance whose
	// RunnerTag is launchTemplateID that is not terminated yet, and returns the IDs it
	// terminated.
	TerminateRunners(ctx context.Context, launchTemplateID, instanceID string) ([]string, error)
}

// CommandState is an SSM command invocation's state.
type CommandState struct {
	// Done is set once the invocation ended (Success, Failed, TimedOut, Cancelled).
	Done bool
	// Status is SSM's status ("Success", "Failed", "TimedOut", ...), with its details.
	Status string
	// ExitCode is the command's exit status; -1 while it runs or when it never ran.
	ExitCode int
	// Output is what GetCommandInvocation returns: the first 24,000 characters of stdout and
	// 8,000 of stderr. The log group holds all of it.
	Output string
}

// Tags of a migration runner instance: the stack's launch template it was launched from (what
// `deploy recover` terminates a leftover runner by) and the release.
const (
	RunnerTag        = "webstack:migration-runner"
	RunnerReleaseTag = "webstack:release"
)

// How long the migration step waits: for the runner to be an SSM managed node (boot and agent
// registration take tens of seconds to a few minutes), and for the command (the runner's setup,
// the user, the team's migration).
const (
	RunnerOnlineWait = 5 * time.Minute
	MigrationTimeout = 15 * time.Minute
)

// migrationAllowance is what a release's time budget counts for the migration step.
const migrationAllowance = RunnerOnlineWait + MigrationTimeout + time.Minute

// checkContract refuses, before anything changes, a contract release while an older version can
// still take traffic: a warm idle color is what a rollback (or a failure's flip back) would make
// live on a schema that no longer has what it reads.
func checkContract(prev App, stack string, m Migration) error {
	if m != Contract {
		return nil
	}
	idle := prev.Idle()
	if runs(prev, idle) {
		return fmt.Errorf("a contract migration removes what older versions read, and the idle color %s still runs %s, which a rollback would make live on the contracted schema: "+
			"run `deploy retire -s %s` first (it stops %s), then release with --migration contract; nothing was changed",
			idle, prev.Fleet(idle).Version, stack, idle)
	}
	return nil
}

// contractRefusal is the error of a rollback to the version a contract migration replaced.
func contractRefusal(cur App, stack string) error {
	c, to := cur.Contract, cur.Idle()
	if c.Replaced == "" || cur.CanaryWeight > 0 || cur.Fleet(to).Version != c.Replaced {
		return nil
	}
	return fmt.Errorf("rollback: refusing to make %s live on %s: the release of %s ran a contract migration (webstack:app.contract), "+
		"which removed what %s may still read. A rollback only moves traffic, it never rolls the database back, so what was dropped cannot come back by flipping: "+
		"roll forward with a release of a fixed version (`deploy release -s %s --version <fixed>`); if %s is known to work on the contracted schema, "+
		"release it again (`deploy release -s %s --version %s`), which checks it before it takes traffic; nothing was changed",
		to, c.Replaced, c.Version, c.Replaced, stack, c.Replaced, stack, c.Replaced)
}

// withContract returns the planned configs' contract records: a contract release records itself
// and the version it replaces; any other release clears Replaced once it is live (the idle color
// then runs a version from after the contract).
func (p *releasePlan) withContract(version string, m Migration) {
	if m == Contract {
		rec := ContractRecord{Version: version, Replaced: p.prev.Fleet(p.live).Version}
		p.contract = &rec
		return
	}
	p.flipped.Contract.Replaced = ""
}

// recordContract writes the contract record into every config from now on, the restore's
// target too: once the contract migration ran, the schema is contracted whatever happens next.
func (p *releasePlan) recordContract() {
	if p.contract == nil {
		return
	}
	for _, a := range append([]*App{&p.prev, &p.cleared, &p.deployed, &p.flipped}, ptrs(p.canary)...) {
		a.Contract = *p.contract
	}
}

func ptrs(as []App) []*App {
	out := make([]*App, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out
}

// migrate runs the release's migration step: it launches the runner, waits for it to be an SSM
// managed node, runs `webstack-migrate <version>` (the app's database user, then
// webstack:app.migrate with the new image), prints the whole output into the release log, and
// always terminates the runner. It changes nothing in the stack: a failure leaves production
// and the idle color as they were.
func (x *releaseRun) migrate(ctx context.Context) (string, error) {
	r, o := x.r, x.o
	what := "ensuring the app's database user " + contract.AppDatabaseUser
	if x.p.prev.Migrate != "" {
		what += " and running the migration (" + x.p.prev.Migrate + ")"
	}
	step := fmt.Sprintf("migration step (%s) with %s: %s on a runner instance", o.Migration, o.Version, what)
	if r.Runner == nil {
		return step, errors.New("no migration runner: the release tool was started without AWS access to EC2 and SSM")
	}
	lt, err := x.out.need(contract.OutMigrateLaunchTemplateID)
	if err != nil {
		return step, err
	}
	group, err := x.out.need(contract.OutMigrateLogGroupName)
	if err != nil {
		return step, err
	}
	subnets := x.out.Strings(contract.OutAppSubnetIDs)
	if len(subnets) == 0 {
		return step, fmt.Errorf("stack output %q is empty: run `deploy up`", contract.OutAppSubnetIDs)
	}
	err = r.timed(ctx, step, func() error {
		id, err := r.Runner.LaunchRunner(ctx, lt, subnets, map[string]string{RunnerTag: lt, RunnerReleaseTag: o.Version, "Name": r.Stack.Name() + "-migrate-" + o.Version})
		if err != nil {
			return fmt.Errorf("launching the runner from %s: %w", lt, err)
		}
		r.logf("  runner %s launched from %s", id, lt)
		defer r.terminateRunner(ctx, lt, id)
		if err := r.waitOnline(ctx, id); err != nil {
			return err
		}
		cmd, err := r.Runner.SendRunnerCommand(ctx, id, "webstack-migrate "+o.Version, group, MigrationTimeout)
		if err != nil {
			return fmt.Errorf("sending the migration command to %s: %w", id, err)
		}
		st, err := r.waitCommand(ctx, cmd, id)
		r.printOutput(ctx, group, cmd, id, st)
		if err != nil {
			return err
		}
		if st.Status != "Success" || st.ExitCode != 0 {
			return fmt.Errorf("the migration step failed on %s (%s, exit status %d): its output is above, and whole in log group %s, stream %s/%s/aws-runShellScript/stdout",
				id, st.Status, st.ExitCode, group, cmd, id)
		}
		return nil
	})
	return step, err
}

// terminateRunner terminates the runner, even after ctx was cancelled; a failure is reported
// with what to do (`deploy recover` terminates leftover runners, and each one stops itself).
func (r *Releaser) terminateRunner(ctx context.Context, lt, id string) {
	if _, err := r.Runner.TerminateRunners(context.WithoutCancel(ctx), lt, id); err != nil {
		r.logf("  the runner %s was not terminated (%v): `deploy recover -s %s` terminates it; it also stops itself two hours after its launch",
			id, err, r.Stack.Name())
		return
	}
	r.logf("  runner %s terminated", id)
}

func (r *Releaser) pollInterval() time.Duration {
	if r.PollInterval > 0 {
		return r.PollInterval
	}
	return 5 * time.Second
}

// waitOnline waits for the runner to be an online SSM managed node.
func (r *Releaser) waitOnline(ctx context.Context, id string) error {
	deadline := r.now().Add(RunnerOnlineWait)
	for {
		ok, err := r.Runner.RunnerOnline(ctx, id)
		if err != nil {
			return fmt.Errorf("reading whether runner %s is an SSM managed node: %w", id, err)
		}
		if ok {
			return nil
		}
		if r.now().After(deadline) {
			return fmt.Errorf("runner %s did not become an online SSM managed node within %s: the app subnets must reach SSM (a NAT gateway or the interface endpoints), "+
				"and its role carries AmazonSSMManagedInstanceCore", id, RunnerOnlineWait)
		}
		if err := r.sleep(ctx, r.pollInterval()); err != nil {
			return err
		}
	}
}

// waitCommand waits for the command to end on the runner. An invocation SSM does not know yet
// (it appears a moment after SendCommand) is waited for like one that runs.
func (r *Releaser) waitCommand(ctx context.Context, cmd, id string) (CommandState, error) {
	deadline := r.now().Add(MigrationTimeout + time.Minute)
	for {
		st, err := r.Runner.RunnerCommand(ctx, cmd, id)
		if err == nil && st.Done {
			return st, nil
		}
		if r.now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("still %s", st.Status)
			}
			return st, fmt.Errorf("the migration command %s on %s did not end within %s: %w", cmd, id, MigrationTimeout+time.Minute, err)
		}
		if err := r.sleep(ctx, r.pollInterval()); err != nil {
			return st, err
		}
	}
}

// printOutput prints the command's whole output into the release log, from the log group; when
// that cannot be read, the part SSM returns.
// outputSettle and outputSettleReads bound the wait for the output's last log events.
const (
	outputSettle      = 5 * time.Second
	outputSettleReads = 3
)

func (r *Releaser) printOutput(ctx context.Context, group, cmd, id string, st CommandState) {
	text, err := r.Runner.RunnerOutput(context.WithoutCancel(ctx), group, cmd, id)
	// The agent may still be uploading the output when the command's status is final: a log
	// copy shorter than SSM's own (at most its first 24,000 characters) is still arriving.
	for i := 0; err == nil && len(text) < len(st.Output) && i < outputSettleReads; i++ {
		if r.sleep(context.WithoutCancel(ctx), outputSettle) != nil {
			break
		}
		text, err = r.Runner.RunnerOutput(context.WithoutCancel(ctx), group, cmd, id)
	}
	if err == nil && len(text) < len(st.Output) {
		r.logf("  (log group %s holds less of the output than SSM; SSM's first 24,000 characters follow)", group)
		text = ""
	}
	if err != nil || text == "" {
		if err != nil {
			r.logf("  (the output in log group %s could not be read: %v; SSM's first 24,000 characters follow)", group, err)
		}
		text = st.Output
	}
	r.logf("  output of the migration step (log group %s, streams %s/%s/…):", group, cmd, id)
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(r.out(), "  | %s\n", line)
	}
}

// terminateLeftoverRunners terminates every runner a killed release left running: `deploy
// recover`.
func (r *Releaser) terminateLeftoverRunners(ctx context.Context) string {
	if r.Runner == nil {
		return ""
	}
	out, err := r.Stack.Outputs(ctx)
	if err != nil {
		return ""
	}
	lt := out.String(contract.OutMigrateLaunchTemplateID)
	if lt == "" {
		return ""
	}
	ids, err := r.Runner.TerminateRunners(context.WithoutCancel(ctx), lt, "")
	switch {
	case err != nil:
		return fmt.Sprintf("; leftover migration runners were not terminated (%v): terminate the instances tagged %s=%s", err, RunnerTag, lt)
	case len(ids) > 0:
		r.logf("  terminated the leftover migration runner(s) %s", strings.Join(ids, ", "))
		return "; terminated the leftover migration runner(s) " + strings.Join(ids, ", ")
	}
	return ""
}

func formatContract(c ContractRecord) string {
	if c == (ContractRecord{}) {
		return "(none)"
	}
	return fmt.Sprintf("{version: %q, replaced: %q}", c.Version, c.Replaced)
}
