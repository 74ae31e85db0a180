package stack

import (
	"fmt"
	"maps"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
)

// albAddress is what the edge tier needs from the compute tier's ALB.
type albAddress struct {
	// DNSName and ZoneID are the ALB's DNS name and canonical hosted zone ID.
	DNSName, ZoneID pulumi.StringInput
}

// buildEdge registers the edge tier: the us-east-1 provider it needs for the CloudFront
// certificate and the WAF, then the bucket, distribution and records in front of the ALB.
// withProvider is the stack's regional provider. What the edge needs from the account (the
// canonical user ID and the account ID, for the log buckets) comes from lookUp, so that the
// component looks up nothing after other tiers' resources are registered.
func buildEdge(ctx *pulumi.Context, cfg *Config, found *facts, origin *edge.Origin, alb albAddress, uploads *edge.Uploads, withProvider pulumi.ResourceOption) (*edge.Edge, error) {
	var global *aws.Provider
	if cfg.Edge.Domain != "" || cfg.Edge.WAF {
		// CloudFront takes ACM certificates and WAF web ACLs (CLOUDFRONT scope) only from
		// us-east-1.
		// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
		// https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html
		var err error
		global, err = aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{
			Region: pulumi.String("us-east-1"),
			DefaultTags: &aws.ProviderDefaultTagsArgs{
				Tags: pulumi.ToStringMap(DefaultTags(cfg)),
			},
		})
		if err != nil {
			return nil, fmt.Errorf("aws us-east-1 provider: %w", err)
		}
	}
	albDomainName := alb.DNSName
	if origin.HostName != "" {
		// With a domain CloudFront connects to origin.<domain>, the name the ALB's
		// certificate covers.
		albDomainName = pulumi.String(origin.HostName)
	}
	args := &edge.EdgeArgs{
		Origin:                 origin,
		ALBDomainName:          albDomainName,
		OriginProtocol:         origin.Protocol,
		ALBDNSName:             alb.DNSName,
		ALBZoneID:              alb.ZoneID,
		PriceClass:             cfg.Edge.PriceClass,
		APIPathPattern:         cfg.Edge.APIPathPattern,
		ContentSecurityPolicy:  cfg.Edge.ContentSecurityPolicy,
		DisableWAF:             !cfg.Edge.WAF,
		WAFRateLimit:           cfg.Edge.WAFRateLimit,
		WAFBodyInspectionKB:    cfg.Edge.WAFBodyInspectionKB,
		WAFAPIMaxBodyKB:        cfg.Edge.WAFAPIMaxBodyKB,
		WAFInspectUploadBodies: cfg.Edge.WAFInspectUploadBodies,
		DisableLogs:            !cfg.Edge.Logs,
		CanonicalUserID:        found.canonicalUserID,
		AccountID:              found.accountID,
		LogRetentionDays:       cfg.Edge.LogRetentionDays,
		DisableVersioning:      !cfg.Edge.Versioning,
		NoncurrentVersionDays:  cfg.Edge.NoncurrentVersionDays,
		DisableProtect:         !cfg.Edge.Protect,
		Uploads:                uploads,
	}
	if global != nil {
		args.GlobalProvider = global
	}
	return edge.NewEdge(ctx, contract.EdgeComponent, args, withProvider)
}

// Environment variable names the WAS fleet learns the uploads bucket under (docs/edge.md,
// "Uploads").
const (
	// EnvUploadsBucket is the bucket the application writes to and presigns PUTs for.
	EnvUploadsBucket = "UPLOADS_BUCKET"
	// EnvUploadsPrefix is the key prefix of every object CloudFront serves ("uploads/").
	EnvUploadsPrefix = "UPLOADS_PREFIX"
	// EnvUploadsBaseURL is where an object is read: the base URL plus "/" plus the key
	// without the prefix.
	EnvUploadsBaseURL = "UPLOADS_BASE_URL"
)

// buildUploads registers the uploads bucket and its key with webstack:edge.uploads.enabled, or
// returns nil. It comes before the compute tier, whose instance role is granted the two; the
// edge tier serves the bucket later (buildEdge).
func buildUploads(ctx *pulumi.Context, cfg *Config, withProvider pulumi.ResourceOption) (*edge.Uploads, error) {
	u := cfg.Edge.Uploads
	if !u.Enabled {
		return nil, nil
	}
	return edge.NewUploads(ctx, "uploads", &edge.UploadsArgs{
		PathPattern:           u.PathPattern,
		CORSOrigins:           u.CORS,
		IncompleteUploadDays:  u.IncompleteUploadDays,
		NoncurrentVersionDays: u.NoncurrentVersionDays,
		DisableProtect:        !cfg.Edge.Protect,
	}, withProvider)
}

// uploadsEnvironment is what the app's settings say of the uploads bucket: its name, the key
// prefix and the base URL objects are read under, the site's URL (the custom domain's, or the
// distribution's *.cloudfront.net name) and the path pattern's prefix. The settings are
// parameters registered after the edge, so the fleet, which the distribution needs first,
// waits for none of it. None without uploads.
func uploadsEnvironment(uploads *edge.Uploads, siteURL pulumi.StringOutput) pulumi.StringMap {
	if uploads == nil {
		return pulumi.StringMap{}
	}
	pattern := uploads.PathPattern
	return pulumi.StringMap{
		EnvUploadsBucket:  uploads.BucketName,
		EnvUploadsPrefix:  pulumi.String(uploads.KeyPrefix),
		EnvUploadsBaseURL: siteURL.ApplyT(func(u string) string { return uploadsBaseURL(u, pattern) }).(pulumi.StringOutput),
	}
}

// uploadsBaseURL is the URL objects under a path pattern are read at: "https://www.acme.io"
// and "/media/*" give "https://www.acme.io/media".
func uploadsBaseURL(siteURL, pathPattern string) string {
	return strings.TrimSuffix(siteURL, "/") + edge.APIBasePath(pathPattern)
}

// mergeEnvironment is the fleet's environment from several tiers' variables; a later map
// wins a name both have (none do: each tier names its own).
func mergeEnvironment(envs ...pulumi.StringMap) pulumi.StringMap {
	env := pulumi.StringMap{}
	for _, m := range envs {
		maps.Copy(env, m)
	}
	return env
}

// grantUploads gives the instance role the uploads bucket's objects and its key (nothing
// without uploads).
func grantUploads(args *compute.ComputeArgs, uploads *edge.Uploads) {
	if uploads != nil {
		args.UploadsBucketARN, args.UploadsKeyARN = uploads.BucketARN, uploads.KeyARN
	}
}

// uploadsBucketNameOutput is the uploadsBucketName output: the bucket, or "" without uploads.
func uploadsBucketNameOutput(uploads *edge.Uploads) pulumi.StringInput {
	if uploads == nil {
		return pulumi.String("")
	}
	return uploads.BucketName
}
