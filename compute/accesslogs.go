package compute

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AccessLogPrefix is the key prefix of the ALB's access logs in their bucket.
const AccessLogPrefix = "alb"

// AccessLogNoncurrentDays is how long (days) the versioned access log bucket keeps a log
// object's version after it expired or was deleted.
const AccessLogNoncurrentDays = 7

// accessLogBucket is the S3 bucket the ALB writes its access logs to (ELB.5).
type accessLogBucket struct {
	name   pulumi.StringOutput
	policy *s3.BucketPolicy
}

// newAccessLogBucket registers a private, SSE-S3 encrypted, versioned bucket whose policy lets
// Elastic Load Balancing write the ALB's logs, and whose lifecycle expires them. Only SSE-S3
// works for ALB access logs (aws/aws-cdk#21947), so the bucket does not use KMS.
//
// Unless DeleteAccessLogs, the bucket and every resource that configures it are retainOnDelete: a
// `pulumi destroy`, a replacement or turning access logs off leaves the bucket, its logs and its
// settings (private, owner-enforced, encrypted, versioned, TLS-only, still expiring its logs) in
// the account, and the bucket refuses to be emptied by Pulumi. The ALB's deletion protection has
// no say in it: prod turns that off to destroy the stack, which must not take the audit
// evidence with it. With DeleteAccessLogs the bucket is force-destroyed with the stack.
// Versioning (S3.14) keeps a deleted or expired log for AccessLogNoncurrentDays; logs are
// written once and never overwritten, so it costs only those days of storage.
func newAccessLogBucket(ctx *pulumi.Context, name string, a *LoadBalancerArgs, parent pulumi.ResourceOrInvokeOption) (*accessLogBucket, error) {
	retain := pulumi.RetainOnDelete(!a.DeleteAccessLogs)
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(a.DeleteAccessLogs),
		Tags:         pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-alb-logs", ctx.Project(), ctx.Stack())},
	}, parent, retain)
	if err != nil {
		return nil, accessLogError("bucket", err)
	}
	// A BucketV2's ID is its name.
	bucketName := bucket.ID().ToStringOutput()
	if err := accessLogBucketSettings(ctx, name, bucketName, a, parent, retain); err != nil {
		return nil, err
	}
	// Regions older than August 2022 deliver as the regional ELB account, newer ones as the
	// log delivery service; granting both keeps the policy right in either kind of region.
	elbAccount, err := elb.GetServiceAccount(ctx, &elb.GetServiceAccountArgs{}, parent)
	if err != nil {
		return nil, accessLogError("elb service account", err)
	}
	bp, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucketName,
		Policy: accessLogPolicy(bucketName, elbAccount.Arn, a),
	}, parent, retain)
	if err != nil {
		return nil, accessLogError("bucket policy", err)
	}
	return &accessLogBucket{name: bucketName, policy: bp}, nil
}

// accessLogBucketSettings registers the access log bucket's settings, in this order: public
// access block, ownership controls, SSE-S3 encryption, versioning and the lifecycle that
// expires the logs.
func accessLogBucketSettings(ctx *pulumi.Context, name string, bucketName pulumi.StringOutput, a *LoadBalancerArgs, parent pulumi.ResourceOrInvokeOption, retain pulumi.ResourceOption) error {
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucketName,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent, retain); err != nil {
		return accessLogError("public access block", err)
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucketName,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent, retain); err != nil {
		return accessLogError("ownership controls", err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucketName,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm: pulumi.String("AES256"),
				},
			},
		},
	}, parent, retain); err != nil {
		return accessLogError("encryption", err)
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket: bucketName,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{
			Status: pulumi.String("Enabled"),
		},
	}, parent, retain)
	if err != nil {
		return accessLogError("versioning", err)
	}
	// Lifecycle rules on noncurrent versions need versioning configured first.
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucketName,
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{
			&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id:         pulumi.String("expire-access-logs"),
				Status:     pulumi.String("Enabled"),
				Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(AccessLogPrefix + "/")},
				Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.AccessLogRetentionDays)},
				NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
					NoncurrentDays: pulumi.Int(AccessLogNoncurrentDays),
				},
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
					DaysAfterInitiation: pulumi.Int(1),
				},
			},
		},
	}, parent, retain, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return accessLogError("lifecycle", err)
	}

	return nil
}

// accessLogPolicy is the access log bucket's policy: Elastic Load Balancing may write the logs
// (as the regional ELB account elbAccount or as the log delivery service) and every request
// without TLS is denied.
func accessLogPolicy(bucketName pulumi.StringOutput, elbAccount string, a *LoadBalancerArgs) pulumi.StringOutput {
	return bucketName.ApplyT(func(b string) (string, error) {
		bucketARN := fmt.Sprintf("arn:%s:s3:::%s", a.Partition, b)
		logs := fmt.Sprintf("%s/%s/AWSLogs/%s/*", bucketARN, AccessLogPrefix, a.AccountID)
		doc, err := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				{"Sid": "ElbAccount", "Effect": "Allow", "Principal": map[string]any{"AWS": elbAccount},
					"Action": "s3:PutObject", "Resource": logs},
				{"Sid": "ElbLogDelivery", "Effect": "Allow", "Principal": map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
					"Action": "s3:PutObject", "Resource": logs},
				{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
					"Resource":  []string{bucketARN, bucketARN + "/*"},
					"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}},
			},
		})
		return string(doc), err
	}).(pulumi.StringOutput)
}

// accessLogError wraps an error registering the access log bucket's part what.
func accessLogError(what string, err error) error {
	return fmt.Errorf("compute: access log %s: %w", what, err)
}
