package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// --- Frontend bucket -------------------------------------------------------------------------

// newSite registers the frontend bucket, its object events and the origin access control
// CloudFront reads it through. Its encryption and its policy name the distribution, so they
// come later (encryptBuckets, newSitePolicy).
func newSite(ctx *pulumi.Context, name string, a *EdgeArgs, opts ...pulumi.ResourceOption) (*privateBucket, *cloudfront.OriginAccessControl, error) {
	lifecycle := s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("expire-noncurrent-versions"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{},
		NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(a.NoncurrentVersionDays),
		},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(7),
		},
	}}
	site, err := newPrivateBucket(ctx, contract.Child(name, contract.RoleSiteBucket), bucketArgs{
		role: "site", ownership: "BucketOwnerEnforced", versioning: !a.DisableVersioning, lifecycle: lifecycle, protect: !a.DisableProtect,
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	// Object events to EventBridge (S3.11): uploads and deletions are visible to rules
	// (audit, cache invalidation) at no cost until a rule uses them.
	if _, err := s3.NewBucketNotification(ctx, name+"-site-events", &s3.BucketNotificationArgs{
		Bucket:      site.bucket.ID(),
		Eventbridge: pulumi.Bool(true),
	}, opts...); err != nil {
		return nil, nil, fmt.Errorf("frontend bucket notifications: %w", err)
	}

	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-oac", &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.Sprintf("%s-%s frontend bucket", ctx.Project(), ctx.Stack()),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("origin access control: %w", err)
	}
	return site, oac, nil
}

// newSitePolicy registers the frontend bucket's policy. It names the distribution, so it comes
// after it, and after the public access block so that the two never race.
func newSitePolicy(ctx *pulumi.Context, name string, site *privateBucket, dist *cloudfront.Distribution, opts ...pulumi.ResourceOption) error {
	policy := pulumi.All(site.bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return FrontendBucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := s3.NewBucketPolicy(ctx, name+"-site-policy", &s3.BucketPolicyArgs{
		Bucket: site.bucket.ID(),
		Policy: policy,
	}, withOpts(opts, pulumi.DependsOn(append(append([]pulumi.Resource{}, site.ready...), dist)))...); err != nil {
		return fmt.Errorf("frontend bucket policy: %w", err)
	}
	return nil
}
