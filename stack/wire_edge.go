package stack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

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
func buildEdge(ctx *pulumi.Context, cfg *Config, found *facts, origin *edge.Origin, alb albAddress, withProvider pulumi.ResourceOption) (*edge.Edge, error) {
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
	}
	if global != nil {
		args.GlobalProvider = global
	}
	return edge.NewEdge(ctx, contract.EdgeComponent, args, withProvider)
}
