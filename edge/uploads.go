package edge

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
)

// --- Uploads bucket --------------------------------------------------------------------------

// Defaults and bounds of UploadsArgs, which the stack's config uses too.
const (
	// DefaultUploadsPathPattern is the cache behavior CloudFront serves uploads under.
	DefaultUploadsPathPattern = "/uploads/*"
	// DefaultIncompleteUploadDays is how long S3 keeps the parts of a multipart upload that was
	// never completed or aborted.
	DefaultIncompleteUploadDays = 7
	// MaxIncompleteUploadDays and MaxNoncurrentVersionDays bound the lifecycle's days: a
	// year, past which parts or old versions are kept by mistake, not by intent.
	MaxIncompleteUploadDays  = 365
	MaxNoncurrentVersionDays = 365
	// MaxCORSRules is how many rules one bucket's CORS configuration holds (S3 User Guide,
	// "CORS configuration": "You can add up to 100 rules to the configuration").
	MaxCORSRules = 100
	// uploadsOriginID is the uploads bucket's origin in the distribution.
	uploadsOriginID = "uploads-bucket"
	// corsMaxAgeSeconds is how long a browser may cache a preflight answer.
	corsMaxAgeSeconds = 3000
)

// CORSUploadHeaders are the request headers a browser may send with a presigned PUT: the
// object's content type, cache and disposition headers the presigner signed, and any x-amz-*
// header (checksums, metadata). S3 accepts one "*" in an allowed header.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html
var CORSUploadHeaders = []string{"content-type", "cache-control", "content-disposition", "x-amz-*"}

// UploadsArgs configures Uploads. Its zero values are the secure choices.
type UploadsArgs struct {
	// PathPattern is the distribution's cache behavior for uploads, "/<prefix>/*". Objects are
	// stored under the same key prefix without the leading slash (KeyPrefix): CloudFront sends
	// the request path to S3 unchanged and the origin has no origin path, so
	// https://<site>/uploads/a.png reads the object "uploads/a.png". Optional. Defaults to
	// DefaultUploadsPathPattern.
	PathPattern string
	// CORSOrigins are the browser origins ("https://www.example.com") that may PUT objects
	// with presigned URLs directly to the bucket. Optional. Defaults to none: no CORS
	// configuration, so no browser page may upload (a server may).
	CORSOrigins []string
	// IncompleteUploadDays is how long the parts of an unfinished multipart upload are kept,
	// 1 to MaxIncompleteUploadDays. Optional. Defaults to DefaultIncompleteUploadDays.
	IncompleteUploadDays int
	// NoncurrentVersionDays is how long a replaced or deleted object version is kept, 1 to
	// MaxNoncurrentVersionDays. Optional. Defaults to DefaultNoncurrentVersionDays.
	NoncurrentVersionDays int
	// DisableProtect leaves the bucket and its key without Pulumi's protect and retain on
	// delete, and lets a destroy delete a non-empty bucket. Optional. Default: false, protected
	// and retained.
	DisableProtect bool
}

func (a *UploadsArgs) withDefaults() UploadsArgs {
	out := *a
	if out.PathPattern == "" {
		out.PathPattern = DefaultUploadsPathPattern
	}
	if out.IncompleteUploadDays == 0 {
		out.IncompleteUploadDays = DefaultIncompleteUploadDays
	}
	if out.NoncurrentVersionDays == 0 {
		out.NoncurrentVersionDays = DefaultNoncurrentVersionDays
	}
	return out
}

func (a *UploadsArgs) validate() error {
	var errs []error
	switch {
	case !apiPattern.MatchString(a.PathPattern):
		errs = append(errs, fmt.Errorf("uploads path pattern %q is not a fixed prefix followed by /*", a.PathPattern))
	case DotSegment(a.PathPattern) != "":
		errs = append(errs, fmt.Errorf("uploads path pattern %q has a %q segment, which no request path keeps", a.PathPattern, DotSegment(a.PathPattern)))
	}
	if a.IncompleteUploadDays < 1 || a.IncompleteUploadDays > MaxIncompleteUploadDays {
		errs = append(errs, fmt.Errorf("incomplete upload days %d is not between 1 and %d", a.IncompleteUploadDays, MaxIncompleteUploadDays))
	}
	if a.NoncurrentVersionDays < 1 || a.NoncurrentVersionDays > MaxNoncurrentVersionDays {
		errs = append(errs, fmt.Errorf("uploads noncurrent version days %d is not between 1 and %d", a.NoncurrentVersionDays, MaxNoncurrentVersionDays))
	}
	if len(a.CORSOrigins) > MaxCORSRules {
		errs = append(errs, fmt.Errorf("%d cors origins: S3 accepts at most %d", len(a.CORSOrigins), MaxCORSRules))
	}
	for _, o := range a.CORSOrigins {
		if err := CheckCORSOrigin(o, true); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// CheckCORSOrigin reports whether origin is a browser origin a CORS rule may name: https://
// and a host (with an optional port), no path, query, user or wildcard; with localhost,
// http://localhost:<port> too (a developer's machine).
func CheckCORSOrigin(origin string, localhost bool) error {
	u, err := url.Parse(origin)
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		return fmt.Errorf("cors origin %q is not an origin such as \"https://www.example.com\"", origin)
	case strings.Contains(origin, "*"):
		return fmt.Errorf("cors origin %q has a wildcard; name each origin", origin)
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(origin, "/"):
		return fmt.Errorf("cors origin %q has more than scheme, host and port; an origin has no path (browsers send \"%s://%s\")", origin, u.Scheme, u.Host)
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && u.Hostname() == "localhost" && u.Port() != "":
		if !localhost {
			return fmt.Errorf("cors origin %q is a developer's machine; allow it only in a stack that is not production", origin)
		}
		return nil
	}
	return fmt.Errorf("cors origin %q is not https:// (only http://localhost:<port> may be plain HTTP)", origin)
}

// UploadsKeyPrefix is the object key prefix of a path pattern: "/uploads/*" -> "uploads/".
func UploadsKeyPrefix(pattern string) string {
	return strings.TrimPrefix(APIPathPrefix(pattern), "/")
}

// Uploads is the private bucket the application writes user uploads to, under its own KMS
// key. NewUploads registers it before the compute tier (whose instance role is granted the
// bucket and the key); NewEdge then serves it under PathPattern and lets the distribution,
// and nothing else, read it (EdgeArgs.Uploads).
type Uploads struct {
	pulumi.ResourceState

	// BucketName is the bucket the application writes to and presigns PUTs for.
	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	BucketARN  pulumi.StringOutput `pulumi:"bucketArn"`
	// KeyARN is the uploads key: writers need kms:GenerateDataKey, readers kms:Decrypt.
	KeyARN pulumi.StringOutput `pulumi:"keyArn"`
	// PathPattern is the cache behavior uploads are served under, KeyPrefix the key prefix
	// of every object CloudFront can serve ("uploads/").
	PathPattern, KeyPrefix string

	name   string
	bucket *privateBucket
	key    *kms.Key
	args   UploadsArgs
}

// NewUploads registers the uploads bucket (BucketOwnerEnforced, public access blocked,
// versioned, lifecycle for unfinished multipart uploads and old versions), its customer
// managed key, its default encryption (SSE-KMS with an S3 Bucket Key) and, with CORSOrigins,
// its CORS configuration. Nothing here names the distribution: the bucket policy and the
// key's CloudFront statement come with NewEdge.
func NewUploads(ctx *pulumi.Context, name string, args *UploadsArgs, opts ...pulumi.ResourceOption) (*Uploads, error) {
	if args == nil {
		args = &UploadsArgs{}
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("edge: uploads: %w", err)
	}
	u := &Uploads{PathPattern: a.PathPattern, KeyPrefix: UploadsKeyPrefix(a.PathPattern), name: name, args: a}
	if err := ctx.RegisterComponentResource(contract.TypeEdgeUploads, name, u, opts...); err != nil {
		return nil, err
	}
	parent := []pulumi.ResourceOption{pulumi.Parent(u)}
	if err := u.register(ctx, name, parent); err != nil {
		return nil, fmt.Errorf("edge: uploads: %w", err)
	}
	u.BucketName, u.BucketARN, u.KeyARN = u.bucket.bucket.Bucket, u.bucket.bucket.Arn, u.key.Arn
	if err := ctx.RegisterResourceOutputs(u, pulumi.Map{
		"bucketName": u.BucketName,
		"bucketArn":  u.BucketARN,
		"keyArn":     u.KeyARN,
	}); err != nil {
		return nil, err
	}
	return u, nil
}

// register registers the bucket, the key and the bucket's encryption and CORS.
func (u *Uploads) register(ctx *pulumi.Context, name string, opts []pulumi.ResourceOption) error {
	a := u.args
	// One rule with an empty filter: S3 refuses AbortIncompleteMultipartUpload in a rule
	// filtered by tags ("AbortIncompleteMultipartUpload cannot be specified with Tags": an
	// upload in progress has no tags yet).
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
	lifecycle := s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("abort-incomplete-uploads-expire-noncurrent-versions"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(a.IncompleteUploadDays),
		},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(a.NoncurrentVersionDays),
		},
	}}
	// Uploads are the users' data, the one thing here that cannot be rebuilt: a protected
	// stack also retains the bucket if it ever leaves the program.
	keep := withOpts(opts, pulumi.RetainOnDelete(!a.DisableProtect))
	bucket, err := newPrivateBucket(ctx, name+"-bucket", bucketArgs{
		role: "uploads", ownership: "BucketOwnerEnforced", versioning: true, lifecycle: lifecycle, protect: !a.DisableProtect,
	}, keep...)
	if err != nil {
		return err
	}
	u.bucket = bucket
	// No policy here: AWS gives a new key its default policy (the account's IAM policies
	// decide who uses it), which is what the instance role's grant needs; NewEdge replaces it
	// with uploadsKeyPolicy once the distribution exists (kms.KeyPolicy).
	u.key, err = kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("%s-%s: encrypts the uploads bucket", ctx.Project(), ctx.Stack()),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(keyDeletionWindowDays),
	}, withOpts(keep, pulumi.Protect(!a.DisableProtect))...)
	if err != nil {
		return fmt.Errorf("uploads key: %w", err)
	}
	if _, err := kms.NewAlias(ctx, name+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String(UploadsKeyAlias(ctx.Project(), ctx.Stack())),
		TargetKeyId: u.key.KeyId,
	}, opts...); err != nil {
		return fmt.Errorf("uploads key alias: %w", err)
	}
	if err := bucket.encrypt(ctx, u.key.Arn, opts...); err != nil {
		return err
	}
	if len(a.CORSOrigins) > 0 {
		if _, err := s3.NewBucketCorsConfigurationV2(ctx, name+"-bucket-cors", &s3.BucketCorsConfigurationV2Args{
			Bucket:    bucket.bucket.ID(),
			CorsRules: UploadsCORSRules(a.CORSOrigins),
		}, opts...); err != nil {
			return fmt.Errorf("uploads bucket cors: %w", err)
		}
	}
	return nil
}

// UploadsCORSRules is the bucket's one CORS rule: the origins may PUT (presigned uploads, no
// POST forms, no reads: reads go through CloudFront on the site's own origin) with
// CORSUploadHeaders, and read the ETag (which a browser's multipart upload needs to complete).
func UploadsCORSRules(origins []string) s3.BucketCorsConfigurationV2CorsRuleArray {
	return s3.BucketCorsConfigurationV2CorsRuleArray{&s3.BucketCorsConfigurationV2CorsRuleArgs{
		Id:             pulumi.String("presigned-browser-uploads"),
		AllowedMethods: pulumi.ToStringArray([]string{"PUT"}),
		AllowedOrigins: pulumi.ToStringArray(origins),
		AllowedHeaders: pulumi.ToStringArray(CORSUploadHeaders),
		ExposeHeaders:  pulumi.ToStringArray([]string{"ETag"}),
		MaxAgeSeconds:  pulumi.Int(corsMaxAgeSeconds),
	}}
}

// UploadsKeyAlias is the alias of a stack's uploads key, "alias/<project>-<stack>-uploads".
func UploadsKeyAlias(project, stack string) string {
	return strings.TrimSuffix(KeyAlias(project, stack), "-edge") + "-uploads"
}

// --- Serving uploads through the distribution ------------------------------------------------

// uploadsOrigin is the uploads bucket's origin: its REST endpoint through the origin access
// control, no origin path (request paths are object keys, KeyPrefix included).
func (u *Uploads) origin(oac *cloudfront.OriginAccessControl) *cloudfront.DistributionOriginArgs {
	return &cloudfront.DistributionOriginArgs{
		OriginId:              pulumi.String(uploadsOriginID),
		DomainName:            u.bucket.bucket.BucketRegionalDomainName,
		OriginAccessControlId: oac.ID(),
	}
}

// behavior is the cache behavior of PathPattern: GET and HEAD only (uploads never go through
// CloudFront), cached by the managed CachingOptimized policy, which honours the objects'
// Cache-Control (immutable keys are written with a year's max-age) and keeps no query string,
// header or cookie in the cache key; the site's security headers.
func (u *Uploads) behavior(headersID pulumi.IDOutput) *cloudfront.DistributionOrderedCacheBehaviorArgs {
	return &cloudfront.DistributionOrderedCacheBehaviorArgs{
		PathPattern:             pulumi.String(u.PathPattern),
		TargetOriginId:          pulumi.String(uploadsOriginID),
		ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
		AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD"}),
		CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
		Compress:                pulumi.Bool(true),
		CachePolicyId:           pulumi.String(CachingOptimizedPolicyID),
		ResponseHeadersPolicyId: headersID,
	}
}

// grantDistribution registers what names the distribution: the bucket policy (CloudFront reads
// through OAC for this distribution, TLS only) and the key policy (the account administers the
// key through IAM, CloudFront decrypts for this distribution). Both after the distribution.
func (u *Uploads) grantDistribution(ctx *pulumi.Context, dist *cloudfront.Distribution) error {
	name := u.name
	opts := []pulumi.ResourceOption{pulumi.Parent(u)}
	policy := pulumi.All(u.bucket.bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return UploadsBucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := s3.NewBucketPolicy(ctx, name+"-bucket-policy", &s3.BucketPolicyArgs{
		Bucket: u.bucket.bucket.ID(),
		Policy: policy,
	}, withOpts(opts, pulumi.DependsOn(append(append([]pulumi.Resource{}, u.bucket.ready...), dist)))...); err != nil {
		return fmt.Errorf("uploads bucket policy: %w", err)
	}
	keyPolicy := dist.Arn.ApplyT(UploadsKeyPolicy).(pulumi.StringOutput)
	if _, err := kms.NewKeyPolicy(ctx, name+"-key-policy", &kms.KeyPolicyArgs{
		KeyId:  u.key.KeyId,
		Policy: keyPolicy,
	}, opts...); err != nil {
		return fmt.Errorf("uploads key policy: %w", err)
	}
	return nil
}

// UploadsBucketPolicy is the uploads bucket's policy, the frontend bucket's statements
// (FrontendBucketPolicy): CloudFront may read objects on behalf of this one distribution,
// nothing reaches the bucket without TLS. The instance role is not named: in the same account
// its own IAM policy is enough, and a bucket policy naming a role created in the same `up` can
// be refused ("MalformedPolicy: Invalid principal in policy") until IAM has propagated it.
// There is no deny on a missing x-amz-server-side-encryption header either: the default
// encryption encrypts every object, and such a deny would make every browser PUT sign and send
// the header.
func UploadsBucketPolicy(bucketARN, distributionARN string) (string, error) {
	return FrontendBucketPolicy(bucketARN, distributionARN)
}

// UploadsKeyPolicy is the uploads key's policy for a distribution (its ARN): the account's
// root statement delegates the key to IAM (the instance role's kms:GenerateDataKey and
// kms:Decrypt are granted by its own policy), and CloudFront may decrypt for this distribution
// only, as EdgeKeyPolicy lets it for the frontend bucket.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#oac-permissions-sse-kms
func UploadsKeyPolicy(distributionARN string) (string, error) {
	parts := strings.SplitN(distributionARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[4] == "" {
		return "", fmt.Errorf("distribution ARN %q has no account", distributionARN)
	}
	b, err := json.Marshal(policyDocument{Version: "2012-10-17", Statement: []policyStatement{
		{
			Sid:       "AccountAdministersKey",
			Effect:    "Allow",
			Principal: map[string]string{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", parts[1], parts[4])},
			Action:    "kms:*",
			Resource:  "*",
		},
		{
			Sid:       "CloudFrontReadsUploadsThroughOAC",
			Effect:    "Allow",
			Principal: map[string]string{"Service": cloudFrontPrincipal},
			Action:    "kms:Decrypt",
			Resource:  "*",
			Condition: map[string]map[string]string{"StringEquals": {"AWS:SourceArn": distributionARN}},
		},
	}})
	return string(b), err
}
