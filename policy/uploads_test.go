package policy_test

import (
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/policy"
)

// TestUploadsBucketChecks: the bucket checks judge the uploads bucket of the prod stack like
// every other bucket; each companion taken away fails its check there.
func TestUploadsBucketChecks(t *testing.T) {
	_, res, err := plan.Run("..", "prod")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ drop, check, msg string }{
		{"uploads-bucket-public-access-block", "S3.8", "no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock has bucket"},
		{"uploads-bucket-policy", "S3.5", "nothing denies aws:SecureTransport = false"},
		{"uploads-bucket-ownership", "S3.12", "no aws:s3/bucketOwnershipControls:BucketOwnershipControls has bucket"},
		{"uploads-bucket-lifecycle", "S3.13", "no aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2 has bucket"},
		{"uploads-bucket-versioning", "S3.14", "no aws:s3/bucketVersioningV2:BucketVersioningV2 has bucket"},
		{"uploads-bucket-encryption", "S3.17", "so S3 applies SSE-S3"},
		{"uploads-bucket-access-logs", "S3.9", "no aws:s3/bucketLoggingV2:BucketLoggingV2 has bucket"},
		{"uploads-key-policy", "webstack/s3-kms-access", "key uploads-key: policy is not set"},
	} {
		t.Run(tc.check, func(t *testing.T) {
			broken := &mockaws.Result{Project: res.Project, Stack: res.Stack, Outputs: res.Outputs}
			for _, r := range res.Resources {
				if r.Name != tc.drop {
					broken.Resources = append(broken.Resources, r)
				}
			}
			if len(broken.Resources) == len(res.Resources) {
				t.Fatalf("no resource %s in prod", tc.drop)
			}
			rep := policy.Evaluate(broken, contract.CheckOptions{Profile: contract.Production})
			for _, r := range rep.Results {
				if r.Check.ID == tc.check && r.Name == contract.EdgeUploadsBucket {
					if r.Status != policy.Failed || !strings.Contains(r.Message, tc.msg) {
						t.Errorf("without %s, %s on the uploads bucket: %s %s, want failed with %q", tc.drop, tc.check, r.Status, r.Message, tc.msg)
					}
					return
				}
			}
			t.Errorf("%s judged no uploads bucket", tc.check)
		})
	}
}
