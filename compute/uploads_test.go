package compute

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestUploadsPolicy(t *testing.T) {
	const bucket, key = "arn:aws:s3:::webstack-prod-uploads-1", "arn:aws:kms:ap-northeast-2:123456789012:key/abc"
	raw, err := UploadsPolicy(bucket, key)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Effect   string
			Action   []string
			Resource string
		}
	}
	if err := json.Unmarshal([]byte(raw), &doc); err != nil || len(doc.Statement) != 2 {
		t.Fatalf("policy %s: %v", raw, err)
	}
	objects, kms := doc.Statement[0], doc.Statement[1]
	if objects.Resource != bucket+"/*" || strings.Join(objects.Action, " ") != "s3:PutObject s3:GetObject s3:AbortMultipartUpload" {
		t.Errorf("objects statement %+v", objects)
	}
	if kms.Resource != key || strings.Join(kms.Action, " ") != "kms:GenerateDataKey kms:Decrypt" {
		t.Errorf("key statement %+v", kms)
	}
	for _, bad := range [][2]string{{"*", key}, {bucket, "arn:aws:kms:*:*:key/*"}, {"webstack-prod-uploads-1", key}} {
		if _, err := UploadsPolicy(bad[0], bad[1]); err == nil {
			t.Errorf("UploadsPolicy(%q, %q) accepted", bad[0], bad[1])
		}
	}
	if uploadsGrant(nil, nil) != nil {
		t.Error("a grant without a bucket")
	}
}
