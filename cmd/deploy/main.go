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
// or flips back and says so, and a second Ctrl-C exit at once, leaving the stack as it is. A
// SIGTERM after the first signal is ignored: that is how CI cancels a job (SIGINT, then SIGTERM
// seconds later), and exiting then would abandon the restore; the workflows run
// `deploy recover` after a cancelled job for what the restore could not finish.
func interrupts(w io.Writer, cancel func(), exit func()) chan<- os.Signal {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go handleInterrupts(sig, w, cancel, exit)
	return sig
}

func handleInterrupts(sig <-chan os.Signal, w io.Writer, cancel func(), exit func()) {
	<-sig
	fmt.Fprintln(w, "deploy: interrupted: stopping the current step and restoring the stack; press Ctrl-C again to exit at once (the stack is then left as it is: `deploy recover` finishes the restore)")
	cancel()
	for s := range sig {
		if s == os.Interrupt {
			fmt.Fprintln(w, "deploy: interrupted again: exiting without restoring; run `deploy recover` to bring the stack back")
			exit()
			return
		}
		fmt.Fprintf(w, "deploy: %v ignored: still restoring the stack (Ctrl-C exits at once)\n", s)
	}
}
