package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"golang.org/x/term"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/release"
)

const usage = `deploy: blue/green releases of a webstack stack through the Pulumi Automation API.

Usage:
  deploy status   -s STACK [--json]
  deploy release  -s STACK --version V [--migration expand|contract] [--canary 10,50] [--bake 5m] [--watch 1m] [--yes] [--dry-run]
  deploy rollback -s STACK [--yes] [--dry-run]
  deploy retire   -s STACK [--yes] [--dry-run]
  deploy up       -s STACK [--yes] [--dry-run]
  deploy sync     -s STACK [--dry-run]
  deploy recover  -s STACK [--force] [--yes] [--dry-run]
  deploy unlock   -s STACK [--yes]

Commands:
  status    What is deployed (live and idle colors, versions, capacities), the URLs, any
            difference between the stack file and what is deployed, and who holds the stack.
  release   First the migration step: launch a one-off runner instance that creates the app's
            database user and runs webstack:app.migrate with V's image (its output in the
            release log); a failure stops the release with nothing changed. --migration
            contract (removing what older versions read) needs a retired idle color and makes
            a rollback to the version it replaced impossible. Then deploy version V to the
            idle color from zero instances and wait for them to pass
            the health checks, smoke-test it through CloudFront with the release-check
            secret (a sample of requests: error rate and version), step through the canary
            weights (each baked against the error rate of production requests and the new
            color's alarms), flip production with a targeted update of the listeners, and
            watch production. A failure before the flip restores what was deployed, at or
            after the flip it flips back; the exit status is then 1 and the message says
            what failed and what state the stack is in.
  rollback  Flip production back to the idle color while it is warm (a targeted update of
            the listeners, then a production check); during a canary, send all traffic back
            to the live color. Refused when there is nothing to roll back to.
  retire    Stop the idle color's instances after a successful release.
  up        pulumi up of the stack file as it is (infrastructure changes, the colors' sizes),
            refused when the file's release state (active color, canary weight, versions)
            differs from what is deployed: it never moves production.
  sync      Write the deployed release state into the stack file, keeping its sizes and
            every other setting: brings a stale checkout (from before a release) up to date.
            Changes nothing deployed.
  recover   Finish what a killed run (a cancelled CI job, a second Ctrl-C) could not: bring
            the stack back to the release state deployed when that run began (its lock
            recorded it), listeners first, cancel the update it left holding the stack, and
            check production. Takes over a lock of the same holder (CI run or user@host);
            --force takes over anyone's.
  unlock    Clear the release lock left by a run that was killed, changing nothing else.

Every command that changes the stack starts from what is deployed: it refuses when the stack
file's release state disagrees with it (pull, or run ` + "`deploy sync`" + `), and release, rollback
and retire also refuse sizes changed in the file but not yet applied (` + "`deploy up`" + ` applies them).
Each holds the stack for its whole run (a second operator is refused, naming the holder), asks
for confirmation unless --yes, and prints each step with how long it took. Run
` + "`deploy <command> -h`" + ` for a command's flags.

Environment: the Pulumi CLI on PATH, PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN, the stack's
secrets passphrase or KMS access, AWS credentials (as for pulumi up; the release also reads the
new color's CloudWatch alarms and the release-check secret, launches and terminates the
migration runner (EC2, SSM, CloudWatch Logs) and reads the webhook secret). Each release's
start, steps, result and any rollback are posted to the Slack- or Discord-compatible incoming
webhook whose URL is in the Secrets Manager secret of the stack output alertWebhookSecretArn
(webstack:alerts.webhookSecretArn), or to WEBSTACK_RELEASE_WEBHOOK, which overrides it.
`

// env is what run needs from the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// open selects the stack and the cloud behind it; tests replace it.
	open func(ctx context.Context, stack, dir string, progress io.Writer) (release.Stack, release.Cloud, error)
	// interactive reports whether stdin is a terminal a person answers at.
	interactive func() bool
}

// openStack selects an existing stack of the Pulumi program in dir with the Automation API, and
// the AWS account of its region.
func openStack(ctx context.Context, stack, dir string, progress io.Writer) (release.Stack, release.Cloud, error) {
	s, err := auto.SelectStackLocalSource(ctx, stack, dir)
	if err != nil {
		if auto.IsSelectStack404Error(err) {
			return nil, nil, fmt.Errorf("stack %q does not exist in the backend (pulumi stack ls)", stack)
		}
		return nil, nil, fmt.Errorf("selecting stack %q in %s: %w", stack, dir, err)
	}
	region := ""
	if v, err := s.GetConfig(ctx, "aws:region"); err == nil {
		region = v.Value
	}
	cloud, err := release.NewAWSCloud(ctx, region)
	if err != nil {
		return nil, nil, err
	}
	return &release.AutoStack{Stack: s, Progress: progress}, cloud, nil
}

type common struct {
	stack    string
	cwd      string
	quiet    bool
	yes      bool
	dryRun   bool
	mutating bool
}

// newFlags returns a command's flag set: -h prints the command's synopsis and every flag.
func newFlags(name, synopsis string, c *common, mutating bool, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("deploy "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.stack, "s", "", "stack name (prod, dev, test); required")
	fs.StringVar(&c.stack, "stack", "", "stack name; same as -s")
	fs.StringVar(&c.cwd, "cwd", ".", "directory of Pulumi.yaml")
	fs.BoolVar(&c.quiet, "q", false, "do not stream the engine's output")
	fs.BoolVar(&c.quiet, "quiet", false, "same as -q")
	c.mutating = mutating
	if mutating {
		fs.BoolVar(&c.yes, "yes", false, "do not ask for confirmation")
		fs.BoolVar(&c.dryRun, "dry-run", false, "print the config changes without applying them")
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: deploy %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// run executes one command and returns the exit status: 0 success, 1 failure, 2 usage error.
func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return 0
	case "status":
		err = runStatus(ctx, rest, e)
	case "release":
		err = runRelease(ctx, rest, e)
	case "rollback":
		err = runSimple(ctx, "rollback", rest, e, func(r *release.Releaser) error { return r.Rollback(ctx) })
	case "retire":
		err = runSimple(ctx, "retire", rest, e, func(r *release.Releaser) error { return r.Retire(ctx) })
	case "up":
		err = runSimple(ctx, "up", rest, e, func(r *release.Releaser) error { return r.Up(ctx) })
	case "sync":
		err = runSync(ctx, rest, e)
	case "recover":
		err = runRecover(ctx, rest, e)
	case "unlock":
		err = runUnlock(ctx, rest, e)
	default:
		fmt.Fprintf(e.stderr, "deploy: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(e.stderr, "deploy %s: %v\nrun `deploy %s -h` for its flags\n", cmd, err, cmd)
		return 2
	default:
		fmt.Fprintf(e.stderr, "deploy: %v\n", err)
		return 1
	}
}

type usageError struct{ error }

func parse(fs *flag.FlagSet, c *common, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	if c.stack == "" {
		return usageError{errors.New("-s STACK is required")}
	}
	return nil
}

// holder names who runs the command, for the release lock: the CI run, or user@host.
func holder(getenv func(string) string) string {
	if run := getenv("GITHUB_RUN_ID"); run != "" {
		return fmt.Sprintf("%s/%s/actions/runs/%s", getenv("GITHUB_SERVER_URL"), getenv("GITHUB_REPOSITORY"), run)
	}
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ := os.Hostname()
	return name + "@" + host
}

func (c *common) releaser(ctx context.Context, e env) (*release.Releaser, error) {
	var progress io.Writer
	if !c.quiet {
		progress = e.stdout
	}
	st, cloud, err := e.open(ctx, c.stack, c.cwd, progress)
	if err != nil {
		return nil, err
	}
	r := &release.Releaser{Stack: st, Cloud: cloud, Out: e.stdout, DryRun: c.dryRun, Holder: holder(e.getenv)}
	if runner, ok := cloud.(release.Runner); ok {
		r.Runner = runner
	}
	if raw := e.getenv("WEBSTACK_RELEASE_WEBHOOK"); raw != "" {
		hook, err := release.ParseWebhook(raw)
		if err != nil {
			return nil, fmt.Errorf("WEBSTACK_RELEASE_WEBHOOK: %w", err)
		}
		r.Notify = hook
	} else if c.mutating {
		r.Notify = stackWebhook(ctx, st, cloud, e.stderr)
	}
	return r, nil
}

// stackWebhook returns the webhook whose URL is in the secret the stack output
// alertWebhookSecretArn names, or nil when there is none. A webhook that cannot be read turns
// the notifications off with a warning, never the release: the URL is a credential and is never
// printed.
func stackWebhook(ctx context.Context, st release.Stack, cloud release.Cloud, warn io.Writer) release.Notifier {
	out, err := st.Outputs(ctx)
	if err != nil {
		return nil
	}
	arn := out.String(contract.OutAlertWebhookSecretARN)
	if arn == "" {
		return nil
	}
	secrets, ok := cloud.(release.SecretReader)
	if !ok {
		return nil
	}
	raw, err := secrets.SecretValue(ctx, arn)
	if err == nil {
		var hook *release.Webhook
		if hook, err = release.ParseWebhook(strings.TrimSpace(raw)); err == nil {
			return hook
		}
	}
	fmt.Fprintf(warn, "deploy: release notifications are off: the webhook secret %s: %v\n", arn, err)
	return nil
}

// confirm shows the plan (a dry run) and asks before a change, unless --yes or --dry-run. It
// refuses without a person at a terminal to answer: a CI job passes --yes.
func (c *common) confirm(e env, r *release.Releaser, plan func() error) error {
	if c.yes || c.dryRun {
		return nil
	}
	if !e.interactive() {
		return fmt.Errorf("refusing to change stack %q without --yes: stdin is not a terminal", c.stack)
	}
	r.DryRun = true
	err := plan()
	r.DryRun = false
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "apply these changes to stack %q? [y/N] ", c.stack)
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return errors.New("cancelled: nothing was changed")
	}
	return nil
}

// isTerminal reports whether f is a terminal (/dev/null is a character device, not one).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func runStatus(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("status", "-s STACK [--json]", &c, false, e.stderr)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	c.quiet = true
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	printStatus(e.stdout, st)
	return nil
}

func printStatus(w io.Writer, st *release.Status) {
	fleet := func(c contract.Color) contract.Fleet {
		if c == contract.Green {
			return st.Green
		}
		return st.Blue
	}
	fmt.Fprintf(w, "stack %s (as deployed)\n", st.Stack)
	fmt.Fprintf(w, "  live:   %-5s %s\n", st.ActiveColor, fleet(st.ActiveColor))
	fmt.Fprintf(w, "  idle:   %-5s %s\n", st.IdleColor, fleet(st.IdleColor))
	fmt.Fprintf(w, "  canary: %d%% of production traffic to %s\n", st.CanaryWeight, st.IdleColor)
	for _, u := range []struct{ name, url string }{
		{"test URL (idle color)", st.TestURL}, {"release check URL", st.ProductionURL}, {"site URL", st.SiteURL},
	} {
		if u.url != "" {
			fmt.Fprintf(w, "  %-22s %s\n", u.name+":", u.url)
		}
	}
	if st.Lock != nil {
		fmt.Fprintf(w, "  held by: %s (%s, since %s)\n", st.Lock.Holder, st.Lock.Op, st.Lock.Since.UTC().Format(time.RFC3339))
	}
	for _, d := range st.Drift {
		fmt.Fprintf(w, "  drift: %s\n", d)
	}
}

func parseCanary(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("--canary %q: %q is not a whole percentage", s, f)
		}
		out = append(out, n)
	}
	return out, nil
}

func runRelease(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("release", "-s STACK --version V [flags]", &c, true, e.stderr)
	version := fs.String("version", "", "application version (image tag) to release; required")
	canary := fs.String("canary", "", "comma-separated increasing canary weights (1-99), e.g. 10,50")
	bake := fs.Duration("bake", 5*time.Minute, "how long each canary weight is held and checked")
	watch := fs.Duration("watch", 0, "how long production is watched after the flip (default: the new color's longest alarm window plus 3m of metric delay)")
	samples := fs.Int("samples", 50, "requests in each check")
	maxErrors := fs.Float64("max-error-rate", 0.02, "share of failed requests a check tolerates, above 0 and below 1 (below 1/samples: none)")
	migration := fs.String("migration", string(release.Expand), "the release's migration: expand (the live version keeps working on the new schema) or contract (removes what older versions read; needs a retired idle color, and no rollback to the version it replaces)")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	if *version == "" {
		return usageError{errors.New("--version is required")}
	}
	weights, err := parseCanary(*canary)
	if err != nil {
		return usageError{err}
	}
	kind, err := release.ParseMigration(*migration)
	if err != nil {
		return usageError{err}
	}
	if *samples < 1 {
		return usageError{fmt.Errorf("--samples %d: must be at least 1", *samples)}
	}
	if *maxErrors <= 0 || *maxErrors >= 1 {
		return usageError{fmt.Errorf("--max-error-rate %v: must be above 0 and below 1 (a rate below 1/--samples tolerates no failure, e.g. 0.001)", *maxErrors)}
	}
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	r.Samples, r.MaxErrorRate = *samples, *maxErrors
	o := release.Options{Version: *version, Canary: weights, Bake: *bake, Watch: *watch, Migration: kind}
	if err := c.confirm(e, r, func() error { _, err := r.Release(ctx, o); return err }); err != nil {
		return err
	}
	sum, err := r.Release(ctx, o)
	if err != nil {
		return err
	}
	if !c.dryRun && !sum.NoOp {
		printSummary(e.stdout, sum)
	}
	return nil
}

func printSummary(w io.Writer, s *release.Summary) {
	fmt.Fprintf(w, "\nrelease summary\n")
	fmt.Fprintf(w, "  stack:       %s\n", s.Stack)
	fmt.Fprintf(w, "  live:        %s on %s (was %s on %s)\n", s.Version, s.To, s.Previous.Version, s.From)
	fmt.Fprintf(w, "  production:  %s\n", s.ProductionURL)
	fmt.Fprintf(w, "  kept warm:   %s, %s\n", s.From, s.Previous)
	fmt.Fprintf(w, "               `deploy rollback -s %s` flips back; `deploy retire -s %s` stops it\n", s.Stack, s.Stack)
	for _, st := range s.Steps {
		fmt.Fprintf(w, "  %-70s %s\n", st.Name, st.Duration.Round(100*time.Millisecond))
	}
	fmt.Fprintf(w, "  %-70s %s\n", "flip", s.Flip.Round(10*time.Millisecond))
	fmt.Fprintf(w, "  %-70s %s\n", "total", s.Total.Round(100*time.Millisecond))
}

// runSimple runs a command that takes only the common flags.
func runSimple(ctx context.Context, name string, args []string, e env, do func(*release.Releaser) error) error {
	var c common
	fs := newFlags(name, "-s STACK [--yes] [--dry-run]", &c, true, e.stderr)
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	if err := c.confirm(e, r, func() error { return do(r) }); err != nil {
		return err
	}
	return do(r)
}

func runSync(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("sync", "-s STACK [--dry-run]", &c, false, e.stderr)
	fs.BoolVar(&c.dryRun, "dry-run", false, "print the changes without writing the stack file")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	c.quiet = true
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	r.DryRun = c.dryRun
	changes, err := r.Sync(ctx)
	if errors.Is(err, release.ErrNeverDeployed) {
		fmt.Fprintf(e.stdout, "stack %s was never deployed: nothing to sync (its first up applies %s as it is)\n", c.stack, release.StackFile(c.stack))
		return nil
	}
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		fmt.Fprintf(e.stdout, "%s already holds the deployed release state\n", release.StackFile(c.stack))
		return nil
	}
	verb := "wrote"
	if c.dryRun {
		verb = "would write"
	}
	fmt.Fprintf(e.stdout, "%s the deployed release state into %s:\n", verb, release.StackFile(c.stack))
	for _, ch := range changes {
		fmt.Fprintf(e.stdout, "  %s\n", ch)
	}
	return nil
}

func runRecover(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("recover", "-s STACK [--force] [--yes] [--dry-run]", &c, true, e.stderr)
	force := fs.Bool("force", false, "take over a lock held by another holder (only when that run is no longer running)")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	if err := c.confirm(e, r, func() error { _, err := r.Recover(ctx, *force); return err }); err != nil {
		return err
	}
	what, err := r.Recover(ctx, *force)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, what)
	return nil
}

func runUnlock(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("unlock", "-s STACK [--yes]", &c, true, e.stderr)
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	c.quiet = true
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	r.DryRun = true
	l, err := r.Unlock(ctx)
	if err != nil {
		return err
	}
	if l == nil {
		fmt.Fprintf(e.stdout, "stack %s is not held\n", c.stack)
		return nil
	}
	fmt.Fprintf(e.stdout, "stack %s is held by %s (%s, since %s)\n", c.stack, l.Holder, l.Op, l.Since.UTC().Format(time.RFC3339))
	if c.dryRun {
		return nil
	}
	if !c.yes {
		if !e.interactive() {
			return fmt.Errorf("refusing to clear the lock of stack %q without --yes: stdin is not a terminal", c.stack)
		}
		fmt.Fprintf(e.stdout, "clear it? only if that run is no longer running [y/N] ")
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return errors.New("cancelled: the lock stays")
		}
	}
	r.DryRun = false
	if _, err := r.Unlock(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "lock cleared\n")
	return nil
}
