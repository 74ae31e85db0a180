package edge

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KMS services that use the edge key, as their key policy statements name them.
const (
	// cloudFrontPrincipal reads the frontend bucket through the origin access control.
	cloudFrontPrincipal = "cloudfront.amazonaws.com"
	// logDeliveryPrincipal writes CloudFront standard logs.
	logDeliveryPrincipal = "delivery.logs.amazonaws.com"
)

// keyDeletionWindowDays is how long a deleted edge key can still be restored: the longest KMS
// allows, since objects encrypted under it cannot be read once it is gone.
const keyDeletionWindowDays = 30

// newBucketKey registers the customer managed key of the frontend and CloudFront log buckets
// (S3.17: SSE-KMS instead of SSE-S3), with yearly rotation (KMS.4) and an alias, and a key
// policy that lets the account's IAM policies manage and use it, CloudFront read the frontend
// bucket through OAC for this distribution only, and (with logs) CloudFront deliver standard
// logs.
//
// The policy names the distribution, so the key is created after it; nothing the distribution
// needs depends on the key (the buckets' encryption configurations are separate resources,
// registered after the key), so there is no cycle. This keeps the OAC grant as narrow as the
// bucket policy's (AWS:SourceArn is this distribution) instead of any distribution of the
// account, and one resource owns the whole policy.
func newBucketKey(ctx *pulumi.Context, name string, distributionARN pulumi.StringOutput, logs, protect bool, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	policy := distributionARN.ApplyT(func(arn string) (string, error) {
		return EdgeKeyPolicy(arn, logs)
	}).(pulumi.StringOutput)
	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("%s-%s: encrypts the frontend and CloudFront log buckets", ctx.Project(), ctx.Stack()),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(keyDeletionWindowDays),
		Policy:               policy,
	}, withOpts(opts, pulumi.Protect(protect))...)
	if err != nil {
		return nil, fmt.Errorf("bucket key: %w", err)
	}
	if _, err := kms.NewAlias(ctx, name+"-key-alias", &kms.AliasArgs{
		Name:        pulumi.String(KeyAlias(ctx.Project(), ctx.Stack())),
		TargetKeyId: key.KeyId,
	}, opts...); err != nil {
		return nil, fmt.Errorf("bucket key alias: %w", err)
	}
	return key, nil
}

// KeyAlias is the alias of a stack's edge key, "alias/<project>-<stack>-edge", with every
// character an alias name may not hold (anything but letters, digits, "/", "_" and "-")
// replaced by "-".
func KeyAlias(project, stack string) string {
	name := []byte(project + "-" + stack + "-edge")
	for i, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '/', c == '_', c == '-':
		default:
			name[i] = '-'
		}
	}
	return "alias/" + string(name)
}

// EdgeKeyPolicy is the edge key's policy for a distribution (its ARN). The account's root
// statement delegates the key to IAM, so that deploy roles get kms:GenerateDataKey and
// kms:Decrypt through their own policies and the account can never lock itself out.
//
// CloudFront reads SSE-KMS objects through OAC only with kms:Decrypt granted to
// cloudfront.amazonaws.com for the distribution (CloudFront developer guide, "Restricting
// access to an Amazon S3 origin", SSE-KMS; the guide's example also grants kms:Encrypt and
// kms:GenerateDataKey*, which only uploads through CloudFront need).
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#oac-permissions-sse-kms
//
// With logs, CloudFront's log delivery needs kms:GenerateDataKey*, and kms:Decrypt because the
// bucket uses an S3 Bucket Key. The statement has no condition, deliberately: the CloudFront
// guide gives it without one, and AWS documents no condition key that legacy standard-log
// delivery sends. The aws:SourceAccount / aws:SourceArn conditions AWS shows for
// delivery.logs.amazonaws.com belong to the vended-log infrastructure, and "CloudFront uses a
// different permissions model than the other services that send vended logs to S3"
// (CloudWatch Logs user guide, "Logs sent to Amazon S3"). A
// condition on a key the request does not carry is false ("If the key that you specify in a
// policy condition is not present in the request context, the values do not match"), so a
// guessed one would stop log delivery without an error anywhere.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#AccessLogsKMSPermissions
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
func EdgeKeyPolicy(distributionARN string, logs bool) (string, error) {
	parts := strings.SplitN(distributionARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[4] == "" {
		return "", fmt.Errorf("distribution ARN %q has no account", distributionARN)
	}
	statements := []policyStatement{
		{
			Sid:       "AccountAdministersKey",
			Effect:    "Allow",
			Principal: map[string]string{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", parts[1], parts[4])},
			Action:    "kms:*",
			Resource:  "*",
		},
		{
			Sid:       "CloudFrontReadsFrontendThroughOAC",
			Effect:    "Allow",
			Principal: map[string]string{"Service": cloudFrontPrincipal},
			Action:    "kms:Decrypt",
			Resource:  "*",
			Condition: map[string]map[string]string{"StringEquals": {"AWS:SourceArn": distributionARN}},
		},
	}
	if logs {
		statements = append(statements, policyStatement{
			Sid:       "CloudFrontDeliversStandardLogs",
			Effect:    "Allow",
			Principal: map[string]string{"Service": logDeliveryPrincipal},
			Action:    []string{"kms:GenerateDataKey*", "kms:Decrypt"},
			Resource:  "*",
		})
	}
	b, err := json.Marshal(policyDocument{Version: "2012-10-17", Statement: statements})
	return string(b), err
}

// encryptBuckets registers the edge key and the frontend and log buckets' encryption under it,
// and returns the key's ARN. The key policy names the distribution, so this comes after it.
func encryptBuckets(ctx *pulumi.Context, name string, a *EdgeArgs, dist *cloudfront.Distribution, site, logs *privateBucket, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	key, err := newBucketKey(ctx, name, dist.Arn, !a.DisableLogs, !a.DisableProtect, opts...)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	if err := site.encrypt(ctx, key.Arn, opts...); err != nil {
		return pulumi.StringOutput{}, err
	}
	if logs != nil {
		if err := logs.encrypt(ctx, key.Arn, opts...); err != nil {
			return pulumi.StringOutput{}, err
		}
	}
	return key.Arn, nil
}
