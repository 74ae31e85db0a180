// Command deploy runs webstack's blue/green releases through Pulumi's Automation API: status,
// release, rollback, retire, up and unlock. Run `deploy -h` for usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	interrupts(os.Stderr, cancel, func() { os.Exit(130) })
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, open: openStack,
		interactive: func() bool { return isTerminal(os.Stdin) }})
	cancel()
	os.Exit(code)
}

// interrupts makes the first interrupt (Ctrl-C, SIGTERM) cancel the run, which then restores
// or flips back and says so, and a second one exit at once, leaving the stack as it is.
func interrupts(w io.Writer, cancel func(), exit func()) chan<- os.Signal {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go handleInterrupts(sig, w, cancel, exit)
	return sig
}

func handleInterrupts(sig <-chan os.Signal, w io.Writer, cancel func(), exit func()) {
	<-sig
	fmt.Fprintln(w, "deploy: interrupted: stopping the current step and restoring the stack; interrupt again to exit at once (the stack is then left as it is: check `deploy status`)")
	cancel()
	<-sig
	fmt.Fprintln(w, "deploy: interrupted again: exiting without restoring")
	exit()
}
