package release

import (
	"errors"
	"testing"
)

func TestShortErrorDropsStdout(t *testing.T) {
	cause := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: Updating (prod)\n 100 lines of progress\nstderr: error: the stack is currently locked by 1 lock(s)\n")
	got := shortError(cause)
	if want := "failed to run update: exit status 255: error: the stack is currently locked by 1 lock(s)"; got.Error() != want {
		t.Errorf("shortError = %q, want %q", got, want)
	}
	if !errors.Is(got, cause) {
		t.Error("shortError does not wrap its cause")
	}
	plain := errors.New("no stderr here")
	if shortError(plain) != plain {
		t.Error("an error without stderr must pass through")
	}
}
