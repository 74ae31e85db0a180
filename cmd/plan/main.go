// Command plan shows, without an AWS account or the Pulumi CLI, what `pulumi up` would build
// for a stack: it runs the real webstack program against a mock AWS and prints a summary (resources,
// checks passed, failed and excepted, the AZ-loss verdict), every failed check and exception,
// then the resources with their key settings, counts by type, the stack outputs and what losing
// an AZ does; or draws the stack's architecture as a Mermaid flowchart.
//
// Usage:
//
//	go run ./cmd/plan -s dev                   # text: summary, failures and exceptions first
//	go run ./cmd/plan -s dev -v                # the same, with a line for every passed check
//	go run ./cmd/plan -s prod -format json     # the JSON contract
//	go run ./cmd/plan -s prod -format mermaid  # the architecture diagram (docs/architecture.md)
//	go run ./cmd/plan -s prod -check           # exit 3 when a built-in check fails
//	go run ./cmd/plan -list-checks             # the built-in checks as a Markdown table
//
// It reads Pulumi.yaml and Pulumi.<stack>.yaml from the working directory (or -C DIR). A config
// error exits 1 with the message on stderr; with -check, a failed check exits 3.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/policy"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stackName := fs.String("s", "", "stack `name` (reads Pulumi.<name>.yaml); required")
	format := fs.String("format", "text", "output `format`: text, json or mermaid (the architecture diagram)")
	dir := fs.String("C", ".", "project `directory` holding Pulumi.yaml")
	check := fs.Bool("check", false, "exit 3 when a built-in check fails (exceptions do not fail)")
	listChecks := fs.Bool("list-checks", false, "print the built-in checks as a Markdown table and exit")
	verbose := fs.Bool("v", false, "text format: list every passed check too (by default only counted)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: plan -s STACK [-format text|json|mermaid] [-v] [-check] [-C DIR]\n       plan -list-checks\n\n")
		fmt.Fprintf(stderr, "Shows what `pulumi up -s STACK` would register, offline, against a mock AWS.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *listChecks && fs.NArg() == 0 {
		_, err := io.WriteString(stdout, policy.MarkdownTable())
		if err != nil {
			return 1
		}
		return 0
	}
	if *stackName == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *format != "text" && *format != "json" && *format != "mermaid" {
		fmt.Fprintf(stderr, "plan: unknown format %q (text, json or mermaid)\n", *format)
		return 2
	}
	p, _, err := plan.Run(*dir, *stackName)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	switch *format {
	case "json":
		err = p.JSON(stdout)
	case "mermaid":
		err = p.Mermaid(stdout)
	default:
		if *verbose {
			err = p.VerboseText(stdout)
		} else {
			err = p.Text(stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	if *check {
		if failed := p.FailedChecks(); len(failed) > 0 {
			for _, c := range failed {
				fmt.Fprintf(stderr, "plan: check %s failed: %s\n", c.ID, c.Message)
			}
			return 3
		}
	}
	return 0
}
