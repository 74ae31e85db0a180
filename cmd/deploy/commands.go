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
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/webstack/webstack/internal/release"
)

const usage = `deploy: blue/green releases of a webstack stack through the Pulumi Automation API.

Usage:
  deploy status   -s STACK [--json]
  deploy release  -s STACK --version V [--canary 10,50] [--bake 5m] [--smoke-path PATH]
                  [--smoke-timeout 5m] [--yes] [--dry-run]
  deploy rollback -s STACK [--smoke-path PATH] [--yes] [--dry-run]
  deploy retire   -s STACK [--yes] [--dry-run]

Commands:
  status    Show the live and idle colors, their versions and capacities, the test and
            production URLs, and any drift between the config and the last update.
  release   Deploy version V to the idle color with the live color's capacity, pulumi up
            (which returns when the new instances pass the ALB health check), smoke-test the
            idle color through testUrl, step through the canary weights holding each for
            --bake, flip activeColor, pulumi up, and verify production through apiUrl.
            A failure before the flip restores the previous config and runs up; a failure
            after the flip flips back. The exit status is then 1 and the message says what
            failed and what state the stack is in.
  rollback  Flip production back to the idle color (refused when it has no capacity or no
            version). During a canary, set the canary weight back to 0 instead.
  retire    Scale the idle color to zero instances after a successful release.

Every command that changes the stack asks for confirmation unless --yes is given, and
--dry-run prints the config changes (webstack:app.*) without applying them. A stack locked
by another update is reported, not retried.

Flags common to all commands:
  -s, --stack STACK  stack name (prod, dev, test); required
  --cwd DIR          directory of Pulumi.yaml (default ".")
  -q, --quiet        do not stream the engine's output of pulumi up

Environment: the Pulumi CLI on PATH, PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN, the stack's
secrets passphrase or KMS access, and AWS credentials, as for pulumi up.
`

// env is what run needs from the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// open selects the stack; tests replace it.
	open func(ctx context.Context, stack, dir string, progress io.Writer) (release.Stack, error)
}

// openStack selects an existing stack of the Pulumi program in dir with the Automation API.
func openStack(ctx context.Context, stack, dir string, progress io.Writer) (release.Stack, error) {
	s, err := auto.SelectStackLocalSource(ctx, stack, dir)
	if err != nil {
		if auto.IsSelectStack404Error(err) {
			return nil, fmt.Errorf("stack %q does not exist in the backend (pulumi stack ls)", stack)
		}
		return nil, fmt.Errorf("selecting stack %q in %s: %w", stack, dir, err)
	}
	return &release.AutoStack{Stack: s, Progress: progress}, nil
}

type common struct {
	stack  string
	cwd    string
	quiet  bool
	yes    bool
	dryRun bool
}

func newFlags(name string, c *common, mutating bool, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("deploy "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.stack, "s", "", "stack name (prod, dev, test); required")
	fs.StringVar(&c.stack, "stack", "", "stack name; same as -s")
	fs.StringVar(&c.cwd, "cwd", ".", "directory of Pulumi.yaml")
	fs.BoolVar(&c.quiet, "q", false, "do not stream the engine's output")
	fs.BoolVar(&c.quiet, "quiet", false, "same as -q")
	if mutating {
		fs.BoolVar(&c.yes, "yes", false, "do not ask for confirmation")
		fs.BoolVar(&c.dryRun, "dry-run", false, "print the config changes without applying them")
	}
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
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
		err = runRollback(ctx, rest, e)
	case "retire":
		err = runRetire(ctx, rest, e)
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
		fmt.Fprintf(e.stderr, "deploy %s: %v\nrun `deploy -h` for usage\n", cmd, err)
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

func (c *common) releaser(ctx context.Context, e env) (*release.Releaser, error) {
	var progress io.Writer
	if !c.quiet {
		progress = e.stdout
	}
	st, err := e.open(ctx, c.stack, c.cwd, progress)
	if err != nil {
		return nil, err
	}
	return &release.Releaser{Stack: st, Out: e.stdout, DryRun: c.dryRun}, nil
}

// confirm shows the plan (a dry run) and asks before a change, unless --yes or --dry-run.
func (c *common) confirm(e env, r *release.Releaser, plan func() error) error {
	if c.yes || c.dryRun {
		return nil
	}
	if f, ok := e.stdin.(*os.File); !ok || !isTerminal(f) {
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

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func runStatus(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("status", &c, false, e.stderr)
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
	fleet := func(c release.Color) release.Fleet {
		if c == release.Green {
			return st.Green
		}
		return st.Blue
	}
	fmt.Fprintf(w, "stack %s\n", st.Stack)
	fmt.Fprintf(w, "  live:   %-5s %s\n", st.ActiveColor, fleet(st.ActiveColor))
	fmt.Fprintf(w, "  idle:   %-5s %s\n", st.IdleColor, fleet(st.IdleColor))
	fmt.Fprintf(w, "  canary: %d%% of production traffic to %s\n", st.CanaryWeight, st.IdleColor)
	for _, u := range []struct{ name, url string }{
		{"test URL (idle color)", st.TestURL}, {"production URL", st.ProductionURL}, {"site URL", st.SiteURL},
	} {
		if u.url != "" {
			fmt.Fprintf(w, "  %-22s %s\n", u.name+":", u.url)
		}
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
	fs := newFlags("release", &c, true, e.stderr)
	version := fs.String("version", "", "application version (image tag) to release; required")
	canary := fs.String("canary", "", "comma-separated increasing canary weights, e.g. 10,50")
	bake := fs.Duration("bake", 5*time.Minute, "how long each canary weight is held and checked")
	smokePath := fs.String("smoke-path", release.DefaultSmokePath, "path probed through the test and production URLs")
	smokeTimeout := fs.Duration("smoke-timeout", 5*time.Minute, "deadline of each smoke test or production check (retried until then)")
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
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	r.Probe = release.HTTPProber{Timeout: *smokeTimeout}
	o := release.Options{Version: *version, Canary: weights, Bake: *bake, SmokePath: *smokePath}
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
	fmt.Fprintf(w, "               `deploy rollback -s %s` flips back; `deploy retire -s %s` scales it to zero\n", s.Stack, s.Stack)
	for _, st := range s.Steps {
		fmt.Fprintf(w, "  %-60s %s\n", st.Name, st.Duration.Round(100*time.Millisecond))
	}
	fmt.Fprintf(w, "  %-60s %s\n", "total", s.Total.Round(100*time.Millisecond))
}

func runRollback(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("rollback", &c, true, e.stderr)
	smokePath := fs.String("smoke-path", release.DefaultSmokePath, "path probed through the production URL")
	smokeTimeout := fs.Duration("smoke-timeout", 5*time.Minute, "deadline of the production check")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	r.Probe = release.HTTPProber{Timeout: *smokeTimeout}
	if err := c.confirm(e, r, func() error { return r.Rollback(ctx, *smokePath) }); err != nil {
		return err
	}
	return r.Rollback(ctx, *smokePath)
}

func runRetire(ctx context.Context, args []string, e env) error {
	var c common
	fs := newFlags("retire", &c, true, e.stderr)
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	r, err := c.releaser(ctx, e)
	if err != nil {
		return err
	}
	if err := c.confirm(e, r, func() error { return r.Retire(ctx) }); err != nil {
		return err
	}
	return r.Retire(ctx)
}
