package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// logRetention is how long a log bucket keeps what is delivered to it.
type logRetention struct {
	// days is how long a log object is kept; noncurrentDays how long its version is kept
	// after it expired or was deleted.
	days, noncurrentDays int
}

// lifecycle returns the log buckets' lifecycle rules. The buckets are always versioned
// (S3.14), so that a delivered log cannot be overwritten or deleted without a trace for
// noncurrentDays. Log objects are written once and never replaced, so the only noncurrent
// versions are those the expiry (or a deletion) leaves behind; they are removed noncurrentDays
// later. With Expiration.Days set, S3 also removes the delete markers that expiry leaves once
// they are the only version left.
func (r logRetention) lifecycle() s3.BucketLifecycleConfigurationV2RuleArray {
	return s3.BucketLifecycleConfigurationV2RuleArray{
		&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(r.days)},
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(r.noncurrentDays),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(1),
			},
		},
	}
}

// newLogBucket registers the bucket for CloudFront standard logs. It is the one bucket with
// ACLs enabled: standard logs are written by the awslogsdelivery account through the bucket
// ACL, and CloudFront refuses a logging bucket whose Object Ownership is BucketOwnerEnforced
// ("The S3 bucket that you specified for CloudFront logs does not enable ACL access",
// aws/aws-cdk#25291). BucketOwnerPreferred still makes the bucket owner own every delivered
// object. Its encryption (SSE-KMS under the edge key) is registered after the key.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#AccessLogsBucketAndFileOwnership
//
// ownerID is the account's canonical user ID (s3.GetCanonicalUserId), which keeps
// FULL_CONTROL.
func newLogBucket(ctx *pulumi.Context, name, ownerID string, keep logRetention, protect bool, opts ...pulumi.ResourceOption) (*privateBucket, error) {
	b, err := newPrivateBucket(ctx, name, bucketArgs{
		role:       "cflogs",
		ownership:  "BucketOwnerPreferred",
		versioning: true,
		lifecycle:  keep.lifecycle(),
		protect:    protect,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log bucket: %w", err)
	}
	// The ACL CloudFront would otherwise add by itself on first delivery; declaring it keeps
	// Pulumi from reverting it. It needs the ownership controls first: a new bucket starts
	// BucketOwnerEnforced, which refuses ACLs.
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
	policy := b.bucket.Arn.ApplyT(LogBucketPolicy).(pulumi.StringOutput)
	pol, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.bucket.ID(),
		Policy: policy,
	}, withOpts(opts, pulumi.DependsOn(b.ready))...)
	if err != nil {
		return nil, fmt.Errorf("log bucket policy: %w", err)
	}
	b.ready = append(b.ready, acl, pol)
	return b, nil
}

// newAccessLogBucket registers the bucket for the frontend bucket's S3 server access logs
// (S3.9) and points the frontend bucket's logging at it. It stays on SSE-S3: S3 delivers
// server access logs only to buckets whose default encryption is SSE-S3 ("Default server-side
// encryption with AWS KMS keys (SSE-KMS) is not supported for server access logging
// destination buckets"), so it is a bucket of its own, apart from the CloudFront logs under
// the edge key. BucketOwnerEnforced: the bucket policy grants the logging service.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html
//
// loggingName is the BucketLoggingV2's resource name, kept from when the logs went to the
// CloudFront log bucket; accountID is the account's ID, for the policy's aws:SourceAccount.
func newAccessLogBucket(ctx *pulumi.Context, name, loggingName, accountID string, site *privateBucket, keep logRetention, protect bool, opts ...pulumi.ResourceOption) (*privateBucket, error) {
	b, err := newPrivateBucket(ctx, name, bucketArgs{
		role:       "s3access",
		ownership:  "BucketOwnerEnforced",
		versioning: true,
		lifecycle:  keep.lifecycle(),
		protect:    protect,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("access log bucket: %w", err)
	}
	if err := b.encrypt(ctx, nil, opts...); err != nil {
		return nil, fmt.Errorf("access log bucket: %w", err)
	}
	policy := pulumi.All(b.bucket.Arn, site.bucket.Arn).ApplyT(func(v []any) (string, error) {
		return AccessLogBucketPolicy(v[0].(string), v[1].(string), accountID)
	}).(pulumi.StringOutput)
	pol, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: b.bucket.ID(),
		Policy: policy,
	}, withOpts(opts, pulumi.DependsOn(b.ready))...)
	if err != nil {
		return nil, fmt.Errorf("access log bucket policy: %w", err)
	}
	b.ready = append(b.ready, pol)
	if _, err := s3.NewBucketLoggingV2(ctx, loggingName, &s3.BucketLoggingV2Args{
		Bucket:       site.bucket.ID(),
		TargetBucket: b.bucket.ID(),
		TargetPrefix: pulumi.String(s3AccessLogPrefix),
	}, withOpts(opts, pulumi.DependsOn(b.ready))...); err != nil {
		return nil, fmt.Errorf("frontend bucket access logging: %w", err)
	}
	return b, nil
}

// cloudFrontLogs is what the distribution and the outputs need of the CloudFront logs.
type cloudFrontLogs struct {
	// bucket is the standard-log bucket, nil without logs.
	bucket *privateBucket
	// bucketName is the bucket's name, "" without logs.
	bucketName pulumi.StringOutput
	// config is the distribution's logging config, nil without logs.
	config cloudfront.DistributionLoggingConfigPtrInput
	// ready is what the distribution must be created after: CloudFront checks the log
	// bucket's ownership controls and ACL when the distribution is created.
	ready []pulumi.Resource
}

// newLogs registers, unless EdgeArgs.DisableLogs, the CloudFront standard-log bucket and the frontend
// bucket's server access log bucket.
func newLogs(ctx *pulumi.Context, name string, a *EdgeArgs, site *privateBucket, opts ...pulumi.ResourceOption) (*cloudFrontLogs, error) {
	out := &cloudFrontLogs{bucketName: pulumi.String("").ToStringOutput()}
	if a.DisableLogs {
		return out, nil
	}
	keep := logRetention{days: a.LogRetentionDays, noncurrentDays: a.NoncurrentVersionDays}
	logs, err := newLogBucket(ctx, contract.Child(name, contract.RoleLogBucket), a.CanonicalUserID, keep, !a.DisableProtect, opts...)
	if err != nil {
		return nil, err
	}
	if _, err := newAccessLogBucket(ctx, contract.Child(name, contract.RoleAccessLogBucket), name+"-logs-site-access-logs", a.AccountID, site, keep, !a.DisableProtect, opts...); err != nil {
		return nil, err
	}
	out.bucket = logs
	out.bucketName = logs.bucket.Bucket
	out.ready = append(out.ready, logs.ready...)
	out.config = &cloudfront.DistributionLoggingConfigArgs{
		// Standard logs address the bucket by its global domain name.
		Bucket:         logs.bucket.BucketDomainName,
		Prefix:         pulumi.String("cloudfront/"),
		IncludeCookies: pulumi.Bool(false),
	}
	return out, nil
}
