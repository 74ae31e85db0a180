package edge

import (
	"encoding/json"
	"strings"
	"testing"
)

const (
	testBucketARN = "arn:aws:s3:::webstack-prod-site-abc"
	testDistARN   = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
)

func decodePolicy(t *testing.T, raw string) policyDocument {
	t.Helper()
	var doc policyDocument
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, raw)
	}
	return doc
}

func TestFrontendBucketPolicy(t *testing.T) {
	raw, err := FrontendBucketPolicy(testBucketARN, testDistARN)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodePolicy(t, raw)
	if doc.Version != "2012-10-17" || len(doc.Statement) != 2 {
		t.Fatalf("policy: version %q with %d statements, want 2012-10-17 with 2:\n%s", doc.Version, len(doc.Statement), raw)
	}
	var allows, denies []policyStatement
	for _, s := range doc.Statement {
		switch s.Effect {
		case "Allow":
			allows = append(allows, s)
		case "Deny":
			denies = append(denies, s)
		default:
			t.Errorf("statement %s: effect %q", s.Sid, s.Effect)
		}
	}
	// Only CloudFront, only reads, only for this distribution.
	if len(allows) != 1 {
		t.Fatalf("%d allow statements, want 1 (CloudFront only):\n%s", len(allows), raw)
	}
	a := allows[0]
	if p, ok := a.Principal.(map[string]any); !ok || len(p) != 1 || p["Service"] != "cloudfront.amazonaws.com" {
		t.Errorf("allow principal %v, want only {Service: cloudfront.amazonaws.com}", a.Principal)
	}
	if a.Action != "s3:GetObject" {
		t.Errorf("allow action %v, want s3:GetObject only", a.Action)
	}
	if a.Resource != testBucketARN+"/*" {
		t.Errorf("allow resource %v, want the bucket's objects %s/*", a.Resource, testBucketARN)
	}
	if got := a.Condition["StringEquals"]["AWS:SourceArn"]; got != testDistARN || len(a.Condition) != 1 {
		t.Errorf("allow condition %v, want only StringEquals AWS:SourceArn = %s", a.Condition, testDistARN)
	}
	// TLS only, for everyone, on the bucket and its objects.
	if len(denies) != 1 {
		t.Fatalf("%d deny statements, want 1 (insecure transport):\n%s", len(denies), raw)
	}
	assertDenyInsecureTransport(t, denies[0], testBucketARN)
	if strings.Contains(raw, "s3:PutObject") || strings.Contains(raw, "s3:DeleteObject") {
		t.Errorf("policy grants writes:\n%s", raw)
	}
}

func assertDenyInsecureTransport(t *testing.T, d policyStatement, bucketARN string) {
	t.Helper()
	if d.Principal != "*" || d.Action != "s3:*" {
		t.Errorf("deny statement principal %v action %v, want * and s3:*", d.Principal, d.Action)
	}
	res, _ := d.Resource.([]any)
	if len(res) != 2 || res[0] != bucketARN || res[1] != bucketARN+"/*" {
		t.Errorf("deny resources %v, want the bucket and its objects", d.Resource)
	}
	if got := d.Condition["Bool"]["aws:SecureTransport"]; got != "false" {
		t.Errorf("deny condition %v, want Bool aws:SecureTransport = false", d.Condition)
	}
}

func TestLogBucketPolicy(t *testing.T) {
	const logARN = "arn:aws:s3:::webstack-prod-cflogs-abc"
	raw, err := LogBucketPolicy(logARN)
	if err != nil {
		t.Fatal(err)
	}
	doc := decodePolicy(t, raw)
	if len(doc.Statement) != 1 || doc.Statement[0].Effect != "Deny" {
		t.Fatalf("CloudFront log bucket policy should only deny insecure transport (CloudFront writes through the ACL):\n%s", raw)
	}
	assertDenyInsecureTransport(t, doc.Statement[0], logARN)
}

func TestAccessLogBucketPolicy(t *testing.T) {
	const logARN = "arn:aws:s3:::webstack-prod-s3access-abc"
	raw, err := AccessLogBucketPolicy(logARN, testBucketARN, "111122223333")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AccessLogBucketPolicy(logARN, testBucketARN, ""); err == nil {
		t.Error("an access-log bucket policy without the account id: no error")
	}
	doc := decodePolicy(t, raw)
	if len(doc.Statement) != 2 || doc.Statement[0].Effect != "Allow" || doc.Statement[1].Effect != "Deny" {
		t.Fatalf("access log bucket policy should allow S3 access logs and deny insecure transport:\n%s", raw)
	}
	a := doc.Statement[0]
	if p, _ := a.Principal.(map[string]any); p["Service"] != "logging.s3.amazonaws.com" || a.Action != "s3:PutObject" ||
		a.Resource != logARN+"/s3-access/site/*" || a.Condition["ArnLike"]["aws:SourceArn"] != testBucketARN {
		t.Errorf("access-log statement %+v, want logging.s3.amazonaws.com PutObject under s3-access/site/ from the frontend bucket only", a)
	}
	// The S3 user guide's example pairs the bucket with its account (a bucket ARN names none).
	if a.Condition["StringEquals"]["aws:SourceAccount"] != "111122223333" || len(a.Condition) != 2 {
		t.Errorf("access-log statement conditions %v, want ArnLike aws:SourceArn and StringEquals aws:SourceAccount", a.Condition)
	}
	assertDenyInsecureTransport(t, doc.Statement[1], logARN)
}

func TestEdgeKeyPolicy(t *testing.T) {
	for _, logs := range []bool{false, true} {
		raw, err := EdgeKeyPolicy(testDistARN, logs)
		if err != nil {
			t.Fatal(err)
		}
		doc := decodePolicy(t, raw)
		want := 2
		if logs {
			want = 3
		}
		if len(doc.Statement) != want {
			t.Fatalf("logs=%v: %d statements, want %d:\n%s", logs, len(doc.Statement), want, raw)
		}
		root := doc.Statement[0]
		if p, _ := root.Principal.(map[string]any); p["AWS"] != "arn:aws:iam::123456789012:root" || root.Action != "kms:*" || root.Condition != nil {
			t.Errorf("first statement %+v, want the account root administering the key (delegation to IAM)", root)
		}
		oac := doc.Statement[1]
		if p, _ := oac.Principal.(map[string]any); len(p) != 1 || p["Service"] != "cloudfront.amazonaws.com" || oac.Action != "kms:Decrypt" ||
			oac.Condition["StringEquals"]["AWS:SourceArn"] != testDistARN || len(oac.Condition) != 1 {
			t.Errorf("OAC statement %+v, want cloudfront.amazonaws.com kms:Decrypt for %s only", oac, testDistARN)
		}
		if logs {
			d := doc.Statement[2]
			acts, _ := d.Action.([]any)
			if p, _ := d.Principal.(map[string]any); p["Service"] != "delivery.logs.amazonaws.com" || len(acts) != 2 || acts[0] != "kms:GenerateDataKey*" || acts[1] != "kms:Decrypt" {
				t.Errorf("log delivery statement %+v, want delivery.logs.amazonaws.com kms:GenerateDataKey* and kms:Decrypt (S3 Bucket Key)", d)
			}
			// Unconditioned, as the CloudFront guide gives it: legacy standard-log delivery
			// documents no condition key, and one it does not send would stop delivery.
			if d.Condition != nil {
				t.Errorf("log delivery statement has condition %v; CloudFront's legacy log delivery documents none", d.Condition)
			}
		}
		if strings.Contains(raw, `"Principal":"*"`) {
			t.Errorf("key policy grants everyone:\n%s", raw)
		}
	}
	if _, err := EdgeKeyPolicy("E2EXAMPLE", false); err == nil {
		t.Error("a distribution ID instead of its ARN was accepted")
	}
}

func TestKeyAlias(t *testing.T) {
	for project, want := range map[string]string{"webstack": "alias/webstack-prod-edge", "web.stack": "alias/web-stack-prod-edge"} {
		if got := KeyAlias(project, "prod"); got != want {
			t.Errorf("KeyAlias(%q, prod) = %q, want %q", project, got, want)
		}
	}
}

func TestBucketPrefix(t *testing.T) {
	for _, tc := range []struct{ project, stack, role, want string }{
		{"webstack", "prod", "site", "webstack-prod-site-"},
		{"WebStack", "Dev_1", "cflogs", "webstack-dev-1-cflogs-"},
		{"a-very-long-project-name", "a-very-long-stack-name", "cflogs", "a-very-long-project-name-a-very-long-"},
	} {
		got := bucketPrefix(tc.project, tc.stack, tc.role)
		if got != tc.want {
			t.Errorf("bucketPrefix(%q, %q, %q) = %q, want %q", tc.project, tc.stack, tc.role, got, tc.want)
		}
		// S3 appends 26 characters; bucket names are at most 63.
		if len(got)+26 > 63 {
			t.Errorf("bucketPrefix(%q, %q, %q) = %q leaves no room for S3's suffix", tc.project, tc.stack, tc.role, got)
		}
	}
}
