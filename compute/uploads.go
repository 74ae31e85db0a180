package compute

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// UploadsActions are what the application does with the uploads bucket's objects: write
// them (also by a presigned PUT, which S3 runs with the signer's permissions), read them,
// and abort a multipart upload it gives up on. No s3:ListBucket, no s3:DeleteObject: the
// application lists nothing and objects are immutable (versioning keeps replaced ones for the
// lifecycle's days).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
var UploadsActions = []string{"s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"}

// UploadsKeyActions are what SSE-KMS asks of a writer and a reader: a data key to encrypt a
// new object (kms:GenerateDataKey), and kms:Decrypt to read one and to complete a multipart
// upload.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys
var UploadsKeyActions = []string{"kms:GenerateDataKey", "kms:Decrypt"}

// UploadsGrant is the uploads bucket and its key, both required.
type UploadsGrant struct {
	BucketARN, KeyARN pulumi.StringInput
}

// uploadsGrant is the grant of a bucket and key, nil when either is unset.
func uploadsGrant(bucketARN, keyARN pulumi.StringInput) *UploadsGrant {
	if bucketARN == nil || keyARN == nil {
		return nil
	}
	return &UploadsGrant{BucketARN: bucketARN, KeyARN: keyARN}
}

// register registers the role's uploads policy. The key's policy delegates to the account's
// IAM policies (its root statement), so this grant is enough for the key too.
func (g *UploadsGrant) register(ctx *pulumi.Context, name string, role pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	policy := pulumi.All(g.BucketARN, g.KeyARN).ApplyT(func(v []any) (string, error) {
		return UploadsPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{Role: role, Policy: policy}, opts...); err != nil {
		return fmt.Errorf("compute: instance role uploads policy: %w", err)
	}
	return nil
}

// UploadsPolicy is the instance role's uploads policy: UploadsActions on the bucket's objects
// and UploadsKeyActions on its key, nothing else.
func UploadsPolicy(bucketARN, keyARN string) (string, error) {
	for _, a := range []string{bucketARN, keyARN} {
		if !strings.HasPrefix(a, "arn:") || strings.ContainsAny(a, "*?") {
			return "", fmt.Errorf("compute: instance role: uploads ARN %q is not an ARN without wildcards", a)
		}
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "WriteAndReadUploads", "Effect": "Allow", "Action": UploadsActions, "Resource": bucketARN + "/*"},
			{"Sid": "UseUploadsKey", "Effect": "Allow", "Action": UploadsKeyActions, "Resource": keyARN},
		},
	})
	return string(b), err
}
