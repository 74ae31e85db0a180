// Command plan shows, without an AWS account or the Pulumi CLI, what `pulumi up` would build
// for a stack: it runs the real webstack program against a mock AWS and prints the resources
// with their key settings, counts by type, the stack outputs and the built-in checks.
//
// Usage:
//
//	go run ./cmd/plan -s dev                # text
//	go run ./cmd/plan -s prod -format json  # the JSON contract of DESIGN.md
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
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stackName := fs.String("s", "", "stack `name` (reads Pulumi.<name>.yaml); required")
	format := fs.String("format", "text", "output `format`: text or json")
	dir := fs.String("C", ".", "project `directory` holding Pulumi.yaml")
	check := fs.Bool("check", false, "exit 3 when a built-in check fails")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: plan -s STACK [-format text|json] [-check] [-C DIR]\n\n")
		fmt.Fprintf(stderr, "Shows what `pulumi up -s STACK` would register, offline, against a mock AWS.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *stackName == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "plan: unknown format %q (text or json)\n", *format)
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
	default:
		err = p.Text(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	if *check {
		for _, c := range p.Checks {
			if !c.Passed && c.Exception == "" {
				return 3
			}
		}
	}
	return 0
}
