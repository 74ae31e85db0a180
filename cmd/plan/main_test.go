package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/webstack/webstack/policy"
)

func TestListChecks(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-list-checks"}, &out, &errb); code != 0 {
		t.Fatalf("-list-checks exited %d: %s", code, errb.String())
	}
	if out.String() != policy.MarkdownTable() {
		t.Errorf("-list-checks printed something other than policy.MarkdownTable()")
	}
}

func TestCheckFlagOnProd(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"-s", "prod", "-check", "-C", "../.."}, &out, &errb); code != 0 {
		t.Fatalf("-s prod -check exited %d, want 0: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "\nChecks: ") || !strings.Contains(out.String(), " passed, 0 failed, 0 exceptions") {
		t.Errorf("text view has no checks summary line:\n%s", out.String())
	}
}
