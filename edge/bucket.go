package edge

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// bucketArgs shape one private bucket.
type bucketArgs struct {
	// role names the bucket ("site", "logs").
	role string
	// ownership is BucketOwnerEnforced (ACLs disabled, S3.12) except for the CloudFront log
	// bucket, which needs ACLs (BucketOwnerPreferred).
	ownership string
	// versioning turns object versioning on.
	versioning bool
	// lifecycle are the bucket's lifecycle rules (S3.13).
	lifecycle s3.BucketLifecycleConfigurationV2RuleArray
	protect   bool
}

// privateBucket is a BucketV2 with its separate configuration resources (the V2 API of
// pulumi-aws v6: the bucket's inline acl, versioning, encryption, logging and lifecycle
// arguments are deprecated).
type privateBucket struct {
	// name is the bucket's resource name, the prefix of its companions' names.
	name   string
	bucket *s3.BucketV2
	// ready are the resources that must exist before the bucket is used or gets a policy.
	ready []pulumi.Resource
}

// newPrivateBucket registers a bucket that nobody outside the account can reach: ownership
// controls, all four public access blocks (S3.8), versioning when asked, lifecycle rules. Its
// default encryption comes separately (encrypt), because the frontend and CloudFront log
// buckets use a key whose policy names the distribution, which is created after the buckets.
func newPrivateBucket(ctx *pulumi.Context, name string, a bucketArgs, opts ...pulumi.ResourceOption) (*privateBucket, error) {
	prefix := bucketPrefix(ctx.Project(), ctx.Stack(), a.role)
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		BucketPrefix: pulumi.String(prefix),
		// A protected stack keeps its objects; an unprotected one (dev) can be destroyed
		// without emptying the bucket by hand first.
		ForceDestroy: pulumi.Bool(!a.protect),
		Tags:         pulumi.StringMap{"Name": pulumi.String(prefix[:len(prefix)-1])},
	}, withOpts(opts, pulumi.Protect(a.protect))...)
	if err != nil {
		return nil, fmt.Errorf("bucket %s: %w", a.role, err)
	}
	child := opts
	b := &privateBucket{name: name, bucket: bucket}

	ownership, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(a.ownership)},
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("bucket %s ownership controls: %w", a.role, err)
	}
	block, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return nil, fmt.Errorf("bucket %s public access block: %w", a.role, err)
	}
	b.ready = append(b.ready, ownership, block)
	if a.versioning {
		v, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
			Bucket: bucket.ID(),
			VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{
				Status: pulumi.String("Enabled"),
			},
		}, child...)
		if err != nil {
			return nil, fmt.Errorf("bucket %s versioning: %w", a.role, err)
		}
		b.ready = append(b.ready, v)
	}
	if len(a.lifecycle) > 0 {
		// Lifecycle rules on noncurrent versions need versioning configured first.
		lc, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
			Bucket: bucket.ID(),
			Rules:  a.lifecycle,
		}, withOpts(child, pulumi.DependsOn(b.ready))...)
		if err != nil {
			return nil, fmt.Errorf("bucket %s lifecycle: %w", a.role, err)
		}
		b.ready = append(b.ready, lc)
	}
	return b, nil
}

// encrypt registers the bucket's default encryption: SSE-KMS under key, with an S3 Bucket Key
// (one data key per bucket for a while instead of a KMS request per object, which cuts KMS
// requests and their cost), or SSE-S3 (AES256) when key is nil, for the buckets whose writers
// accept nothing else. Objects written before keep the encryption they were written with.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
func (b *privateBucket) encrypt(ctx *pulumi.Context, key pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	def := &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
		SseAlgorithm: pulumi.String("AES256"),
	}
	rule := &s3.BucketServerSideEncryptionConfigurationV2RuleArgs{ApplyServerSideEncryptionByDefault: def}
	if key != nil {
		def.SseAlgorithm = pulumi.String("aws:kms")
		def.KmsMasterKeyId = key
		rule.BucketKeyEnabled = pulumi.Bool(true)
	}
	sse, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, b.name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.bucket.ID(),
		Rules:  s3.BucketServerSideEncryptionConfigurationV2RuleArray{rule},
	}, opts...)
	if err != nil {
		return fmt.Errorf("bucket %s encryption: %w", b.name, err)
	}
	b.ready = append(b.ready, sse)
	return nil
}

// bucketPrefix is "<project>-<stack>-<role>-", lower case and short enough to leave S3 room
// for the unique suffix it appends (bucket names are at most 63 characters).
func bucketPrefix(project, stack, role string) string {
	p := sanitizeBucketName(fmt.Sprintf("%s-%s-%s", project, stack, role))
	if len(p) > 36 {
		p = p[:36]
	}
	return p + "-"
}

func sanitizeBucketName(s string) string {
	out := make([]byte, 0, len(s))
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			out = append(out, c)
		case c >= 'A' && c <= 'Z':
			out = append(out, c+'a'-'A')
		default:
			out = append(out, '-')
		}
	}
	return string(out)
}

// policyDocument is an IAM policy document.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    any                          `json:"Action"`
	Resource  any                          `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// denyInsecureTransport is the statement of every bucket policy here (S3.5): no request
// without TLS, whoever makes it.
func denyInsecureTransport(bucketARN string) policyStatement {
	return policyStatement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: "*",
		Action:    "s3:*",
		Resource:  []string{bucketARN, bucketARN + "/*"},
		Condition: map[string]map[string]string{"Bool": {"aws:SecureTransport": "false"}},
	}
}

// FrontendBucketPolicy is the frontend bucket's policy: CloudFront may read objects, and only
// on behalf of this one distribution (its origin access control signs the requests); nothing
// reaches the bucket without TLS. No other principal is allowed anything. The policy names
// the distribution, so it is created after it.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
func FrontendBucketPolicy(bucketARN, distributionARN string) (string, error) {
	doc := policyDocument{Version: "2012-10-17", Statement: []policyStatement{
		{
			Sid:       "AllowCloudFrontReadThroughOAC",
			Effect:    "Allow",
			Principal: map[string]string{"Service": "cloudfront.amazonaws.com"},
			Action:    "s3:GetObject",
			Resource:  bucketARN + "/*",
			Condition: map[string]map[string]string{"StringEquals": {"AWS:SourceArn": distributionARN}},
		},
		denyInsecureTransport(bucketARN),
	}}
	b, err := json.Marshal(doc)
	return string(b), err
}

// s3AccessLogPrefix is where the frontend bucket's server access logs go in the access-log
// bucket.
const s3AccessLogPrefix = "s3-access/site/"

// s3UploadsAccessLogPrefix is where the uploads bucket's server access logs go.
const s3UploadsAccessLogPrefix = "s3-access/uploads/"

// LogBucketPolicy is the CloudFront log bucket's policy: nothing reaches the bucket without
// TLS. CloudFront's log delivery writes through the bucket ACL, not the policy.
func LogBucketPolicy(bucketARN string) (string, error) {
	b, err := json.Marshal(policyDocument{Version: "2012-10-17", Statement: []policyStatement{denyInsecureTransport(bucketARN)}})
	return string(b), err
}

// AccessLogBucketPolicy is the access-log bucket's policy: S3 server access logs of the
// frontend bucket (and of no other bucket) in this account may be written under
// s3AccessLogPrefix, and nothing reaches the bucket without TLS. With BucketOwnerEnforced the
// policy is the only way to let the logging service write. The grant carries both conditions
// of the S3 user guide's example: aws:SourceArn, the source bucket, and aws:SourceAccount, the
// account it must belong to (accountID), since a bucket's ARN names no account; together they
// keep the logging service from writing here on behalf of anyone else (the confused deputy).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
//
// uploadsBucketARN, if given, is the uploads bucket, whose logs go under
// s3UploadsAccessLogPrefix with a statement of their own: each source bucket may write under
// its own prefix only.
func AccessLogBucketPolicy(bucketARN, siteBucketARN, accountID string, uploadsBucketARN ...string) (string, error) {
	if accountID == "" {
		return "", fmt.Errorf("access log bucket policy for %s: the account id is required", bucketARN)
	}
	grant := func(sid, prefix, source string) policyStatement {
		return policyStatement{
			Sid:       sid,
			Effect:    "Allow",
			Principal: map[string]string{"Service": "logging.s3.amazonaws.com"},
			Action:    "s3:PutObject",
			Resource:  bucketARN + "/" + prefix + "*",
			Condition: map[string]map[string]string{
				"ArnLike":      {"aws:SourceArn": source},
				"StringEquals": {"aws:SourceAccount": accountID},
			},
		}
	}
	statements := []policyStatement{grant("AllowS3ServerAccessLogs", s3AccessLogPrefix, siteBucketARN)}
	for _, arn := range uploadsBucketARN {
		statements = append(statements, grant("AllowS3ServerAccessLogsOfUploads", s3UploadsAccessLogPrefix, arn))
	}
	b, err := json.Marshal(policyDocument{Version: "2012-10-17", Statement: append(statements, denyInsecureTransport(bucketARN))})
	return string(b), err
}

// withOpts returns opts followed by more, without sharing opts' backing array.
func withOpts(opts []pulumi.ResourceOption, more ...pulumi.ResourceOption) []pulumi.ResourceOption {
	return append(append([]pulumi.ResourceOption(nil), opts...), more...)
}
