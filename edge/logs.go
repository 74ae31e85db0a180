package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// newLogBucket registers the bucket for CloudFront standard logs. It is the one bucket with
// ACLs enabled (gotcha 18): standard logs are written by the awslogsdelivery account through
// the bucket ACL, which BucketOwnerEnforced would reject (InvalidBucketAclWithObjectOwnership).
// BucketOwnerPreferred still makes the bucket owner own every delivered object. Objects
// expire after retentionDays.
//
// The bucket is always versioned (S3.14), so that a delivered log cannot be overwritten or
// deleted without a trace for noncurrentDays. Log objects are written once and never replaced,
// so the only noncurrent versions are those the expiry (or a deletion) leaves behind; they are
// removed noncurrentDays later. With Expiration.Days set, S3 also removes the delete markers
// that expiry leaves once they are the only version left.
//
// ownerID is the account's canonical user ID (s3.GetCanonicalUserId), which keeps
// FULL_CONTROL.
//
// The frontend bucket's server access logs (S3.9) go to the same bucket under
// s3AccessLogPrefix; site is the frontend bucket.
func newLogBucket(ctx *pulumi.Context, name, ownerID string, site *s3.BucketV2, retentionDays, noncurrentDays int, protect bool, opts ...pulumi.ResourceOption) (*privateBucket, error) {
	b, err := newPrivateBucket(ctx, name, bucketArgs{
		role:       "cflogs",
		ownership:  "BucketOwnerPreferred",
		versioning: true,
		lifecycle: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:         pulumi.String("expire-logs"),
				Status:     pulumi.String("Enabled"),
				Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(retentionDays)},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(noncurrentDays),
				},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
					DaysAfterInitiation: pulumi.Int(1),
				},
			},
		},
		protect: protect,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log bucket: %w", err)
	}
	// The ACL CloudFront would otherwise add by itself on first delivery; declaring it keeps
	// Pulumi from reverting it.
	acl, err := s3.NewBucketAclV2(ctx, name+"-acl", &s3.BucketAclV2Args{
		Bucket: b.bucket.ID(),
		AccessControlPolicy: &s3.BucketAclV2AccessControlPolicyArgs{
			Owner: &s3.BucketAclV2AccessControlPolicyOwnerArgs{Id: pulumi.String(ownerID)},
			Grants: s3.BucketAclV2AccessControlPolicyGrantArray{
				&s3.BucketAclV2AccessControlPolicyGrantArgs{
					Permission: pulumi.String("FULL_CONTROL"),
					Grantee: &s3.BucketAclV2AccessControlPolicyGrantGranteeArgs{
						Type: pulumi.String("CanonicalUser"), Id: pulumi.String(ownerID),
					},
				},
				&s3.BucketAclV2AccessControlPolicyGrantArgs{
					Permission: pulumi.String("FULL_CONTROL"),
					Grantee: &s3.BucketAclV2AccessControlPolicyGrantGranteeArgs{
						Type: pulumi.String("CanonicalUser"), Id: pulumi.String(cloudFrontLogDeliveryCanonicalID),
					},
				},
			},
		},
	}, withOpts(opts, pulumi.DependsOn(b.ready))...)
	if err != nil {
		return nil, fmt.Errorf("log bucket acl: %w", err)
	}
	policy := pulumi.All(b.bucket.Arn, site.Arn).ApplyT(func(v []any) (string, error) {
		return LogBucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	pol, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.bucket.ID(),
		Policy: policy,
	}, withOpts(opts, pulumi.DependsOn(b.ready))...)
	if err != nil {
		return nil, fmt.Errorf("log bucket policy: %w", err)
	}
	b.ready = append(b.ready, acl, pol)
	if _, err := s3.NewBucketLoggingV2(ctx, name+"-site-access-logs", &s3.BucketLoggingV2Args{
		Bucket:       site.ID(),
		TargetBucket: b.bucket.ID(),
		TargetPrefix: pulumi.String(s3AccessLogPrefix),
	}, withOpts(opts, pulumi.DependsOn(b.ready))...); err != nil {
		return nil, fmt.Errorf("frontend bucket access logging: %w", err)
	}
	return b, nil
}
