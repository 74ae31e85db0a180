package release

import (
	"testing"
	"time"
)

// Credentials handed over in the environment (CI's OIDC step) carry no expiry the SDK can see;
// AWS_CREDENTIAL_EXPIRATION says it.
func TestExpirationFromEnv(t *testing.T) {
	if got, err := expirationFromEnv(""); err != nil || !got.IsZero() {
		t.Errorf("unset: %v, %v", got, err)
	}
	want := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	if got, err := expirationFromEnv("2026-12-01T10:30:00Z"); err != nil || !got.Equal(want) {
		t.Errorf("RFC 3339: %v, %v", got, err)
	}
	if got, err := expirationFromEnv(`"2026-12-01T10:30:00.000Z"`); err != nil || !got.Equal(want) {
		t.Errorf("configure-aws-credentials' aws-expiration output: %v, %v", got, err)
	}
	if _, err := expirationFromEnv("in an hour"); err == nil {
		t.Error("a value that is no time was accepted")
	}
}
