package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// --- Distribution ----------------------------------------------------------------------------

// distributionParts are the edge's resources the distribution refers to.
type distributionParts struct {
	site     *privateBucket
	oac      *cloudfront.OriginAccessControl
	logs     *cloudFrontLogs
	webACLID pulumi.StringPtrInput
	viewer   viewerCertificate
}

// newDistribution registers the viewer-request router, the security headers and the
// distribution: the frontend bucket by default, the ALB under APIPathPattern.
func newDistribution(ctx *pulumi.Context, name string, a *EdgeArgs, p distributionParts, opts ...pulumi.ResourceOption) (*cloudfront.Distribution, error) {
	router, err := newSPARouter(ctx, name, opts...)
	if err != nil {
		return nil, err
	}
	headers, err := newSecurityHeaders(ctx, name, "Security headers for the single-page app and its API", a.contentSecurityPolicy(), opts...)
	if err != nil {
		return nil, err
	}
	uploadsHeaders := headers.ID()
	if a.Uploads != nil {
		h, err := newSecurityHeaders(ctx, name+"-uploads", "Security headers for uploaded files: no script, sandboxed", pulumi.String(UploadsContentSecurityPolicy), opts...)
		if err != nil {
			return nil, err
		}
		uploadsHeaders = h.ID()
	}
	dist, err := cloudfront.NewDistribution(ctx, contract.Child(name, contract.RoleDistribution), &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.Sprintf("%s-%s: single-page app and %s", ctx.Project(), ctx.Stack(), a.APIPathPattern),
		Aliases:           p.viewer.aliases,
		DefaultRootObject: pulumi.String("index.html"),
		HttpVersion:       pulumi.String("http2and3"),
		IsIpv6Enabled:     pulumi.Bool(true),
		PriceClass:        pulumi.String(a.PriceClass),
		WebAclId:          p.webACLID,
		LoggingConfig:     p.logs.config,
		Origins:           distributionOrigins(a, p),
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(siteOriginID),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD", "OPTIONS"}),
			CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
			Compress:                pulumi.Bool(true),
			CachePolicyId:           pulumi.String(CachingOptimizedPolicyID),
			ResponseHeadersPolicyId: headers.ID(),
			FunctionAssociations: cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArray{
				&cloudfront.DistributionDefaultCacheBehaviorFunctionAssociationArgs{
					EventType:   pulumi.String("viewer-request"),
					FunctionArn: router.Arn,
				},
			},
		},
		OrderedCacheBehaviors: orderedBehaviors(a, headers.ID(), uploadsHeaders),
		// No CustomErrorResponses: they apply to every behavior and would also turn the
		// API's real 403/404 into index.html. spa-router.js handles client-side routes
		// instead.
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{
				RestrictionType: pulumi.String("none"),
			},
		},
		ViewerCertificate: p.viewer.cert,
		Tags:              pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s", ctx.Project(), ctx.Stack())},
	}, withOpts(opts, pulumi.DependsOn(p.logs.ready))...)
	if err != nil {
		return nil, fmt.Errorf("distribution: %w", err)
	}
	return dist, nil
}

// contentSecurityPolicy is ContentSecurityPolicy, with the uploads bucket's host in connect-src
// when browsers upload to it (CORS origins set): presigned PUTs go to the bucket's regional
// endpoint, https://<bucket>.s3.<region>.amazonaws.com, not to the site.
func (a *EdgeArgs) contentSecurityPolicy() pulumi.StringInput {
	if a.Uploads == nil || len(a.Uploads.args.CORSOrigins) == 0 {
		return pulumi.String(a.ContentSecurityPolicy)
	}
	return a.Uploads.bucket.bucket.BucketRegionalDomainName.ApplyT(func(host string) string {
		return CSPWithConnectSource(a.ContentSecurityPolicy, "https://"+host)
	}).(pulumi.StringOutput)
}

// newSiteRecords registers, with a custom domain, the domain's A and AAAA alias records for
// the distribution, and returns the site's URL: https://<domain>, or https://<the
// distribution's name> without a domain.
func newSiteRecords(ctx *pulumi.Context, name string, origin *Origin, dist *cloudfront.Distribution, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	domain := origin.Domain
	if domain == "" {
		return pulumi.Sprintf("https://%s", dist.DomainName), nil
	}
	for _, typ := range []string{"A", "AAAA"} {
		if _, err := route53.NewRecord(ctx, fmt.Sprintf("%s-site-record-%s", name, strings.ToLower(typ)), &route53.RecordArgs{
			ZoneId: origin.ZoneID,
			Name:   pulumi.String(domain),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name:                 dist.DomainName,
				ZoneId:               dist.HostedZoneId,
				EvaluateTargetHealth: pulumi.Bool(false),
			}},
		}, opts...); err != nil {
			return pulumi.StringOutput{}, fmt.Errorf("%s record: %w", typ, err)
		}
	}
	return pulumi.String("https://" + domain).ToStringOutput(), nil
}

// orderedBehaviors are the API's behavior and, with uploads, the uploads behavior after it.
// The two patterns never overlap (validate), so their order decides nothing; the API's stays
// first, where it has always been. 2 of the 25 behaviors a distribution may have.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html
func orderedBehaviors(a *EdgeArgs, headersID, uploadsHeadersID pulumi.IDOutput) cloudfront.DistributionOrderedCacheBehaviorArray {
	out := cloudfront.DistributionOrderedCacheBehaviorArray{apiBehavior(a, headersID)}
	if a.Uploads != nil {
		out = append(out, a.Uploads.behavior(uploadsHeadersID))
	}
	return out
}

// distributionOrigins are the distribution's origins: the frontend bucket (siteOriginID),
// reached through OAC, the ALB (apiOriginID), which gets the origin header, and with uploads
// the uploads bucket (uploadsOriginID) through the same OAC (an OAC is not tied to a bucket).
// 3 of the 25 origins a distribution may have.
func distributionOrigins(a *EdgeArgs, p distributionParts) cloudfront.DistributionOriginArray {
	origins := cloudfront.DistributionOriginArray{
		&cloudfront.DistributionOriginArgs{
			OriginId: pulumi.String(siteOriginID),
			// The REST endpoint, not the website endpoint: OAC signs requests to it and
			// S3OriginConfig stays unset (an origin with both OAC and an origin access
			// identity is refused: IllegalOriginAccessConfiguration).
			DomainName:            p.site.bucket.BucketRegionalDomainName,
			OriginAccessControlId: p.oac.ID(),
		},
		&cloudfront.DistributionOriginArgs{
			OriginId:   pulumi.String(apiOriginID),
			DomainName: a.ALBDomainName,
			CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
				HttpPort:               pulumi.Int(80),
				HttpsPort:              pulumi.Int(443),
				OriginProtocolPolicy:   pulumi.String(a.OriginProtocol),
				OriginSslProtocols:     pulumi.StringArray{pulumi.String("TLSv1.2")},
				OriginReadTimeout:      pulumi.Int(30),
				OriginKeepaliveTimeout: pulumi.Int(5),
			},
			CustomHeaders: cloudfront.DistributionOriginCustomHeaderArray{&cloudfront.DistributionOriginCustomHeaderArgs{
				Name:  pulumi.String(a.Origin.HeaderName),
				Value: a.Origin.HeaderValue,
			}},
		},
	}
	if a.Uploads != nil {
		origins = append(origins, a.Uploads.origin(p.oac))
	}
	return origins
}

// apiBehavior is the cache behavior of APIPathPattern: uncached, every method, to the ALB.
func apiBehavior(a *EdgeArgs, headersID pulumi.IDOutput) *cloudfront.DistributionOrderedCacheBehaviorArgs {
	return &cloudfront.DistributionOrderedCacheBehaviorArgs{
		PathPattern:    pulumi.String(a.APIPathPattern),
		TargetOriginId: pulumi.String(apiOriginID),
		// https-only, not redirect-to-https: a request to the API carries credentials
		// and a body, and a redirect comes too late for both; they have crossed the
		// network in clear already. With redirect-to-https CloudFront answers a GET with
		// 301, a POST/PUT/PATCH/DELETE with 307 (HTTP/1.1) or 403 (HTTP/1.0), and clients
		// that follow a 301 or 302 with a GET lose the body; https-only answers every
		// plain-HTTP request with 403, so the mistake shows at once.
		// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
		ViewerProtocolPolicy:    pulumi.String("https-only"),
		AllowedMethods:          pulumi.ToStringArray([]string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}),
		CachedMethods:           pulumi.ToStringArray([]string{"GET", "HEAD"}),
		Compress:                pulumi.Bool(false),
		CachePolicyId:           pulumi.String(CachingDisabledPolicyID),
		OriginRequestPolicyId:   pulumi.String(AllViewerExceptHostHeaderPolicyID),
		ResponseHeadersPolicyId: headersID,
	}
}
