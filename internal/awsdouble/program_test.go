package awsdouble_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/webstack/webstack/internal/awsdouble"
	"github.com/webstack/webstack/stack"
)

// TestRealProgramUp runs the real webstack program (stack.Program) with the real dev stack file
// under the real engine against the double: every resource the program registers goes through
// the plugin, the World's rules and state functions; the outputs are what deploy jobs read.
func TestRealProgramUp(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test: skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	e := awsdouble.Start(ctx, t, "../..", "dev", nil)
	s, sf := e.Stack, e.Files
	var log strings.Builder
	res, err := s.Up(ctx, progress(&log)...)
	if err != nil {
		t.Fatalf("up: %v\n%s", err, tail(log.String(), 6000))
	}
	t.Logf("up: %v", *res.Summary.ResourceChanges)
	for _, name := range stack.OutputNames {
		if _, ok := res.Outputs[name]; !ok {
			t.Errorf("output %s missing", name)
		}
	}
	// A second up with nothing changed changes nothing.
	log.Reset()
	res, err = s.Up(ctx, progress(&log)...)
	if err != nil {
		t.Fatalf("second up: %v\n%s", err, tail(log.String(), 6000))
	}
	// (The program's stack reference to its own outputs is a read, not a change.)
	changes := *res.Summary.ResourceChanges
	delete(changes, "read")
	if len(changes) != 1 || changes["same"] == 0 {
		t.Errorf("second up with no change: %v\n%s", changes, tail(log.String(), 3000))
	}

	// A plain `pulumi up` of a stale file (it says green is live; the stack runs blue) is
	// refused by the program, which reads the stack's own outputs through the real engine's
	// stack reference, and changes nothing.
	stale := sf.Values["webstack:app"]
	var app map[string]any
	if err := json.Unmarshal([]byte(stale), &app); err != nil {
		t.Fatal(err)
	}
	app["activeColor"] = "green"
	raw, _ := json.Marshal(app)
	if err := s.SetConfig(ctx, "webstack:app", auto.ConfigValue{Value: string(raw)}); err != nil {
		t.Fatal(err)
	}
	log.Reset()
	_, err = s.Up(ctx, progress(&log)...)
	if err == nil || !strings.Contains(log.String(), `webstack:app.activeColor: "green" is not what is deployed ("blue")`) {
		t.Errorf("up of a stale file outside cmd/deploy: %v\n%s", err, tail(log.String(), 3000))
	}
	if out, err := s.Outputs(ctx); err != nil || out["activeColor"].Value != "blue" {
		t.Errorf("after the refused up: activeColor %v, %v", out["activeColor"].Value, err)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
