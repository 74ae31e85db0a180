package ec2host

import (
	"encoding/json"
	"testing"
)

// TestAssumeRolePolicy holds the trust policy to the document the tiers marshalled before it
// moved here: a changed byte would update every instance role.
func TestAssumeRolePolicy(t *testing.T) {
	want, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "ec2.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if AssumeRolePolicy != string(want) {
		t.Errorf("AssumeRolePolicy = %s, want %s", AssumeRolePolicy, want)
	}
}
