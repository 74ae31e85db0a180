// Command deploy runs webstack's blue/green releases through Pulumi's Automation API:
// status, release, rollback and retire. Run `deploy -h` for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, open: openStack})
	stop()
	os.Exit(code)
}
