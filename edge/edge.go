package edge

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Origin IDs of the distribution.
const (
	siteOriginID = "site-bucket"
	apiOriginID  = "api-alb"
)

// EdgeArgs configures an Edge.
type EdgeArgs struct {
	// Origin is the ALB side of the edge: secret header, origin host name and certificate,
	// hosted zone. Required (NewOrigin); its Domain decides whether the site has a custom
	// domain.
	Origin *Origin
	// ALBDomainName is the host CloudFront connects to for the API. Required without a
	// domain (the ALB's DNS name); with a domain it defaults to Origin.HostName, which this
	// component points at the ALB.
	ALBDomainName pulumi.StringInput
	// OriginProtocol is the ALB origin's protocol policy. Optional. Defaults to
	// Origin.Protocol (https-only with a domain, http-only without); any other value is an
	// error.
	OriginProtocol string
	// ALBDNSName and ALBZoneID are the ALB's DNS name and canonical hosted zone, for the
	// origin host name's alias record. Required with a domain.
	ALBDNSName pulumi.StringInput
	ALBZoneID  pulumi.StringInput
	// GlobalProvider is an AWS provider for us-east-1 with the stack's default tags, for the
	// CloudFront certificate and the WAF web ACL. Required with a domain or WAF.
	GlobalProvider pulumi.ProviderResource
	// PriceClass is the distribution's price class. Optional. Defaults to PriceClass100.
	PriceClass string
	// APIPathPattern is the path pattern routed to the ALB, "/<prefix>/*". Optional. Defaults
	// to DefaultAPIPathPattern.
	APIPathPattern string
	// ContentSecurityPolicy is the CSP header of every response. Optional. Defaults to
	// DefaultContentSecurityPolicy.
	ContentSecurityPolicy string
	// WAF attaches a WAFv2 web ACL. Optional. Defaults to false.
	WAF bool
	// WAFRateLimit is how many requests to the API one client IP may send in 5 minutes,
	// MinRateLimit to MaxRateLimit (the site's own paths, served from the cache, are not
	// counted). Optional. Defaults to 2000.
	WAFRateLimit int
	// WAFBodyInspectionKB is how much of a request body the web ACL inspects, one of
	// BodyInspectionLimitsKB. Optional. Defaults to DefaultBodyInspectionKB (16); more costs
	// extra for every request with a larger body.
	WAFBodyInspectionKB int
	// WAFAPIMaxBodyKB is the largest request body the web ACL lets through to the API, in KB,
	// at most WAFBodyInspectionKB; 0 puts no WAF limit on API bodies (the application's own
	// limit applies), which uploads larger than 64 KB need. Optional. Defaults to 0.
	WAFAPIMaxBodyKB int
	// WAFInspectUploadBodies keeps the core rule set's body signature rules (UploadBodyRules)
	// blocking on multipart/form-data uploads to the API too. Optional. Defaults to false: those
	// four rules block every other body, and an upload to the API passes them (their matches on
	// binary data block image uploads at random); set it when the API takes no uploads.
	WAFInspectUploadBodies bool
	// Logs writes CloudFront standard logs to a dedicated bucket. Optional. Defaults to false.
	Logs bool
	// CanonicalUserID is the account's S3 canonical user ID, which the CloudFront log bucket's
	// ACL grants to the bucket owner, and AccountID the account's ID, which the frontend
	// bucket's access-log bucket policy names. Used only with Logs. Optional: what is not given
	// is looked up once the component is registered, before any of its resources. A program
	// that must not register anything before every lookup has answered (package stack) looks
	// both up first and passes them.
	CanonicalUserID, AccountID string
	// LogRetentionDays is how long logs are kept. Optional. Defaults to 365.
	LogRetentionDays int
	// Versioning keeps previous object versions in the frontend bucket. Optional. Defaults to
	// false.
	Versioning bool
	// NoncurrentVersionDays is how long previous versions are kept. Optional. Defaults to 30.
	NoncurrentVersionDays int
	// Protect marks the buckets protected and keeps non-empty buckets from being deleted.
	// Optional. Defaults to false.
	Protect bool
}

var apiPattern = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+/\*$`)

func (a *EdgeArgs) withDefaults() EdgeArgs {
	out := *a
	if out.PriceClass == "" {
		out.PriceClass = PriceClass100
	}
	if out.APIPathPattern == "" {
		out.APIPathPattern = DefaultAPIPathPattern
	}
	if out.ContentSecurityPolicy == "" {
		out.ContentSecurityPolicy = DefaultContentSecurityPolicy
	}
	if out.WAFRateLimit == 0 {
		out.WAFRateLimit = 2000
	}
	if out.WAFBodyInspectionKB == 0 {
		out.WAFBodyInspectionKB = DefaultBodyInspectionKB
	}
	if out.LogRetentionDays == 0 {
		out.LogRetentionDays = 365
	}
	if out.NoncurrentVersionDays == 0 {
		out.NoncurrentVersionDays = 30
	}
	if out.Origin != nil {
		if out.OriginProtocol == "" {
			out.OriginProtocol = out.Origin.Protocol
		}
		if out.ALBDomainName == nil && out.Origin.Domain != "" {
			out.ALBDomainName = pulumi.String(out.Origin.HostName)
		}
	}
	return out
}

func (a *EdgeArgs) validate() error {
	var errs []error
	if a.Origin == nil {
		return errors.New("origin is required (edge.NewOrigin)")
	}
	domain := a.Origin.Domain != ""
	if a.ALBDomainName == nil {
		errs = append(errs, errors.New("alb domain name is required without a custom domain"))
	}
	if a.OriginProtocol != a.Origin.Protocol {
		errs = append(errs, fmt.Errorf("origin protocol %q does not match the origin: %q (https-only needs a domain and its certificate; with one, plain HTTP is never used)", a.OriginProtocol, a.Origin.Protocol))
	}
	if domain && (a.ALBDNSName == nil || a.ALBZoneID == nil) {
		errs = append(errs, fmt.Errorf("the alb dns name and zone id are required with domain %q, for the record of %s", a.Origin.Domain, a.Origin.HostName))
	}
	if (domain || a.WAF) && a.GlobalProvider == nil {
		errs = append(errs, errors.New("a us-east-1 provider is required for the CloudFront certificate and the WAF"))
	}
	if !slices.Contains(PriceClasses, a.PriceClass) {
		errs = append(errs, fmt.Errorf("price class %q is not one of %s", a.PriceClass, strings.Join(PriceClasses, ", ")))
	}
	switch {
	case !apiPattern.MatchString(a.APIPathPattern):
		errs = append(errs, fmt.Errorf("api path pattern %q is not a fixed prefix followed by /*", a.APIPathPattern))
	case DotSegment(a.APIPathPattern) != "":
		errs = append(errs, fmt.Errorf("api path pattern %q has a %q segment, which no request path keeps", a.APIPathPattern, DotSegment(a.APIPathPattern)))
	}
	if a.WAFRateLimit < MinRateLimit || a.WAFRateLimit > MaxRateLimit {
		errs = append(errs, fmt.Errorf("waf rate limit %d is not between %d and %d", a.WAFRateLimit, MinRateLimit, MaxRateLimit))
	}
	if !validInspectionKB(a.WAFBodyInspectionKB) {
		errs = append(errs, fmt.Errorf("waf body inspection limit %d KB is not one of %v", a.WAFBodyInspectionKB, BodyInspectionLimitsKB))
	}
	if a.WAFAPIMaxBodyKB < 0 || a.WAFAPIMaxBodyKB > a.WAFBodyInspectionKB {
		errs = append(errs, fmt.Errorf("waf api body limit %d KB is not between 0 and the inspection limit, %d KB", a.WAFAPIMaxBodyKB, a.WAFBodyInspectionKB))
	}
	if a.WAF && len(APIPathPrefix(a.APIPathPattern)) > MaxSearchStringBytes {
		errs = append(errs, fmt.Errorf("api path prefix %q is longer than the %d bytes a WAF byte match can search for", APIPathPrefix(a.APIPathPattern), MaxSearchStringBytes))
	}
	if a.LogRetentionDays < 1 || a.NoncurrentVersionDays < 1 {
		errs = append(errs, fmt.Errorf("log retention (%d) and noncurrent version days (%d) must be at least 1", a.LogRetentionDays, a.NoncurrentVersionDays))
	}
	return errors.Join(errs...)
}

// DotSegment returns the first "." or ".." segment of a path pattern, or "". Clients remove dot
// segments from a path before they send it ("/api/../x" is requested as "/x": RFC 3986,
// section 5.2.4), so a pattern that holds one matches no request, and a base URL built from it
// ("https://host/..") resolves somewhere else.
func DotSegment(pattern string) string {
	for _, seg := range strings.Split(pattern, "/") {
		if seg == "." || seg == ".." {
			return seg
		}
	}
	return ""
}

// APIBasePath is the path prefix of the API that a path pattern routes: "/api/*" -> "/api".
func APIBasePath(pattern string) string {
	return strings.TrimSuffix(pattern, "/*")
}

// APIPathPrefix is what the paths a pattern routes start with: "/api/*" -> "/api/".
func APIPathPrefix(pattern string) string {
	return strings.TrimSuffix(pattern, "*")
}

// MaxSearchStringBytes is the longest string a WAF byte match statement searches for
// (pulumi-aws wafv2 ByteMatchStatement.SearchString: "The maximum length of the value is 50
// bytes").
const MaxSearchStringBytes = 50

// Edge is the frontend bucket and the CloudFront distribution in front of the SPA and the API.
type Edge struct {
	pulumi.ResourceState

	// BucketName is the frontend bucket, the target of `aws s3 sync`.
	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	BucketARN  pulumi.StringOutput `pulumi:"bucketArn"`
	// DistributionID is what `aws cloudfront create-invalidation` takes.
	DistributionID  pulumi.StringOutput `pulumi:"distributionId"`
	DistributionARN pulumi.StringOutput `pulumi:"distributionArn"`
	// DomainName is the distribution's *.cloudfront.net name.
	DomainName pulumi.StringOutput `pulumi:"domainName"`
	// SiteURL is https://<domain> with a custom domain, https://<DomainName> without.
	SiteURL pulumi.StringOutput `pulumi:"siteUrl"`
	// APIURL is SiteURL plus the API's base path ("https://www.example.com/api").
	APIURL pulumi.StringOutput `pulumi:"apiUrl"`
	// WebACLARN is the WAF web ACL's ARN, "" without WAF.
	WebACLARN pulumi.StringOutput `pulumi:"webAclArn"`
	// LogBucketName is the CloudFront standard-log bucket, "" without logs.
	LogBucketName pulumi.StringOutput `pulumi:"logBucketName"`
	// KeyARN is the KMS key the frontend and log buckets are encrypted with. Deploy roles that
	// upload to the frontend bucket need kms:GenerateDataKey and kms:Decrypt on it.
	KeyARN pulumi.StringOutput `pulumi:"keyArn"`
}

// NewEdge registers the edge tier.
func NewEdge(ctx *pulumi.Context, name string, args *EdgeArgs, opts ...pulumi.ResourceOption) (*Edge, error) {
	if args == nil {
		return nil, errors.New("edge: args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e := &Edge{}
	if err := ctx.RegisterComponentResource("webstack:edge:Edge", name, e, opts...); err != nil {
		return nil, err
	}
	parent := []pulumi.ResourceOption{pulumi.Parent(e)}
	global := withOpts(parent, pulumi.Provider(a.GlobalProvider))
	origin := a.Origin
	domain := origin.Domain

	// What the log buckets need from the account, before any resource: a failed lookup then
	// leaves nothing of the edge behind.
	if a.Logs && a.CanonicalUserID == "" {
		owner, err := s3.GetCanonicalUserId(ctx, pulumi.Parent(e))
		if err != nil {
			return nil, fmt.Errorf("edge: looking up the account's canonical user id: %w", err)
		}
		a.CanonicalUserID = owner.Id
	}
	if a.Logs && a.AccountID == "" {
		identity, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(e))
		if err != nil {
			return nil, fmt.Errorf("edge: looking up the account id: %w", err)
		}
		a.AccountID = identity.AccountId
	}

	// --- Frontend bucket ---------------------------------------------------------------------
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
	site, err := newPrivateBucket(ctx, name+"-site", bucketArgs{
		role: "site", ownership: "BucketOwnerEnforced", versioning: a.Versioning, lifecycle: lifecycle, protect: a.Protect,
	}, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.BucketName = site.bucket.Bucket
	e.BucketARN = site.bucket.Arn
	// Object events to EventBridge (S3.11): uploads and deletions are visible to rules
	// (audit, cache invalidation) at no cost until a rule uses them.
	if _, err := s3.NewBucketNotification(ctx, name+"-site-events", &s3.BucketNotificationArgs{
		Bucket:      site.bucket.ID(),
		Eventbridge: pulumi.Bool(true),
	}, parent...); err != nil {
		return nil, fmt.Errorf("edge: frontend bucket notifications: %w", err)
	}

	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-oac", &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.Sprintf("%s-%s frontend bucket", ctx.Project(), ctx.Stack()),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: origin access control: %w", err)
	}

	// --- Logs ----------------------------------------------------------------------------------
	var logging cloudfront.DistributionLoggingConfigPtrInput
	e.LogBucketName = pulumi.String("").ToStringOutput()
	var distDeps []pulumi.Resource
	var logs *privateBucket
	if a.Logs {
		keep := logRetention{days: a.LogRetentionDays, noncurrentDays: a.NoncurrentVersionDays}
		var err error
		if logs, err = newLogBucket(ctx, name+"-logs", a.CanonicalUserID, keep, a.Protect, parent...); err != nil {
			return nil, fmt.Errorf("edge: %w", err)
		}
		if _, err := newAccessLogBucket(ctx, name+"-access-logs", name+"-logs-site-access-logs", a.AccountID, site, keep, a.Protect, parent...); err != nil {
			return nil, fmt.Errorf("edge: %w", err)
		}
		e.LogBucketName = logs.bucket.Bucket
		// CloudFront checks the bucket's ownership controls and ACL when the distribution is
		// created.
		distDeps = append(distDeps, logs.ready...)
		logging = &cloudfront.DistributionLoggingConfigArgs{
			// Standard logs address the bucket by its global domain name.
			Bucket:         logs.bucket.BucketDomainName,
			Prefix:         pulumi.String("cloudfront/"),
			IncludeCookies: pulumi.Bool(false),
		}
	}

	// --- WAF -------------------------------------------------------------------------------------
	var webACLID pulumi.StringPtrInput
	e.WebACLARN = pulumi.String("").ToStringOutput()
	if a.WAF {
		acl, err := newWebACL(ctx, name, webACLArgs{
			rateLimit:      a.WAFRateLimit,
			apiPrefix:      APIPathPrefix(a.APIPathPattern),
			inspectionKB:   a.WAFBodyInspectionKB,
			apiMaxBodyKB:   a.WAFAPIMaxBodyKB,
			inspectUploads: a.WAFInspectUploadBodies,
		}, global...)
		if err != nil {
			return nil, fmt.Errorf("edge: %w", err)
		}
		e.WebACLARN = acl.Arn
		webACLID = acl.Arn // WAFv2 ACLs attach by ARN.
	}

	// --- Viewer certificate ------------------------------------------------------------------
	viewerCert := &cloudfront.DistributionViewerCertificateArgs{
		// With the default *.cloudfront.net certificate CloudFront uses TLSv1 as the minimum
		// protocol whatever is set, so it is set to what AWS applies; CloudFront.7/.15 need a
		// custom domain.
		// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudfront-distribution-viewercertificate.html
		CloudfrontDefaultCertificate: pulumi.Bool(true),
		MinimumProtocolVersion:       pulumi.String("TLSv1"),
	}
	var aliases pulumi.StringArrayInput
	if domain != "" {
		// CloudFront takes ACM certificates only from us-east-1; its validation record goes
		// into the zone through the regional provider like every other record.
		// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html
		arn, err := newValidatedCertificate(ctx, name+"-viewer", domain, origin.ZoneID, global, parent...)
		if err != nil {
			return nil, fmt.Errorf("edge: viewer certificate: %w", err)
		}
		viewerCert = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      arn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
		aliases = pulumi.StringArray{pulumi.String(domain)}

		// origin.<domain> -> the ALB, the name its certificate covers.
		if _, err := route53.NewRecord(ctx, name+"-origin-record", &route53.RecordArgs{
			ZoneId: origin.ZoneID,
			Name:   pulumi.String(origin.HostName),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name:                 a.ALBDNSName,
				ZoneId:               a.ALBZoneID,
				EvaluateTargetHealth: pulumi.Bool(true),
			}},
		}, parent...); err != nil {
			return nil, fmt.Errorf("edge: origin record: %w", err)
		}
	}

	// --- Distribution ---------------------------------------------------------------------------
	router, err := newSPARouter(ctx, name, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	headers, err := newSecurityHeaders(ctx, name, a.ContentSecurityPolicy, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	albOrigin := &cloudfront.DistributionOriginCustomOriginConfigArgs{
		HttpPort:               pulumi.Int(80),
		HttpsPort:              pulumi.Int(443),
		OriginProtocolPolicy:   pulumi.String(a.OriginProtocol),
		OriginSslProtocols:     pulumi.StringArray{pulumi.String("TLSv1.2")},
		OriginReadTimeout:      pulumi.Int(30),
		OriginKeepaliveTimeout: pulumi.Int(5),
	}
	dist, err := cloudfront.NewDistribution(ctx, name+"-cdn", &cloudfront.DistributionArgs{
		Enabled:           pulumi.Bool(true),
		Comment:           pulumi.Sprintf("%s-%s: single-page app and %s", ctx.Project(), ctx.Stack(), a.APIPathPattern),
		Aliases:           aliases,
		DefaultRootObject: pulumi.String("index.html"),
		HttpVersion:       pulumi.String("http2and3"),
		IsIpv6Enabled:     pulumi.Bool(true),
		PriceClass:        pulumi.String(a.PriceClass),
		WebAclId:          webACLID,
		LoggingConfig:     logging,
		Origins: cloudfront.DistributionOriginArray{
			&cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String(siteOriginID),
				// The REST endpoint, not the website endpoint: OAC signs requests to it and
				// S3OriginConfig stays unset (an origin with both OAC and an origin access
				// identity is refused: IllegalOriginAccessConfiguration).
				DomainName:            site.bucket.BucketRegionalDomainName,
				OriginAccessControlId: oac.ID(),
			},
			&cloudfront.DistributionOriginArgs{
				OriginId:           pulumi.String(apiOriginID),
				DomainName:         a.ALBDomainName,
				CustomOriginConfig: albOrigin,
				CustomHeaders: cloudfront.DistributionOriginCustomHeaderArray{&cloudfront.DistributionOriginCustomHeaderArgs{
					Name:  pulumi.String(origin.HeaderName),
					Value: origin.HeaderValue,
				}},
			},
		},
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
		OrderedCacheBehaviors: cloudfront.DistributionOrderedCacheBehaviorArray{
			&cloudfront.DistributionOrderedCacheBehaviorArgs{
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
				ResponseHeadersPolicyId: headers.ID(),
			},
		},
		// No CustomErrorResponses: they apply to every behavior and would also turn the
		// API's real 403/404 into index.html. spa-router.js handles client-side routes
		// instead.
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{
				RestrictionType: pulumi.String("none"),
			},
		},
		ViewerCertificate: viewerCert,
		Tags:              pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s", ctx.Project(), ctx.Stack())},
	}, withOpts(parent, pulumi.DependsOn(distDeps))...)
	if err != nil {
		return nil, fmt.Errorf("edge: distribution: %w", err)
	}
	e.DistributionID = dist.ID().ToStringOutput()
	e.DistributionARN = dist.Arn
	e.DomainName = dist.DomainName

	// --- Encryption ------------------------------------------------------------------------------
	// The key policy names the distribution, so the key and the buckets' encryption under it
	// come after the distribution (newBucketKey).
	key, err := newBucketKey(ctx, name, dist.Arn, a.Logs, a.Protect, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.KeyARN = key.Arn
	if err := site.encrypt(ctx, key.Arn, parent...); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	if logs != nil {
		if err := logs.encrypt(ctx, key.Arn, parent...); err != nil {
			return nil, fmt.Errorf("edge: %w", err)
		}
	}

	// The bucket policy names the distribution, so it comes after it, and after the public
	// access block so that the two never race.
	policy := pulumi.All(site.bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return FrontendBucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := s3.NewBucketPolicy(ctx, name+"-site-policy", &s3.BucketPolicyArgs{
		Bucket: site.bucket.ID(),
		Policy: policy,
	}, withOpts(parent, pulumi.DependsOn(append(append([]pulumi.Resource{}, site.ready...), dist)))...); err != nil {
		return nil, fmt.Errorf("edge: frontend bucket policy: %w", err)
	}

	if domain != "" {
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
			}, parent...); err != nil {
				return nil, fmt.Errorf("edge: %s record: %w", typ, err)
			}
		}
		e.SiteURL = pulumi.String("https://" + domain).ToStringOutput()
	} else {
		e.SiteURL = pulumi.Sprintf("https://%s", dist.DomainName)
	}
	e.APIURL = pulumi.Sprintf("%s%s", e.SiteURL, APIBasePath(a.APIPathPattern))

	if err := ctx.RegisterResourceOutputs(e, pulumi.Map{
		"bucketName":      e.BucketName,
		"bucketArn":       e.BucketARN,
		"distributionId":  e.DistributionID,
		"distributionArn": e.DistributionARN,
		"domainName":      e.DomainName,
		"siteUrl":         e.SiteURL,
		"apiUrl":          e.APIURL,
		"webAclArn":       e.WebACLARN,
		"logBucketName":   e.LogBucketName,
		"keyArn":          e.KeyARN,
	}); err != nil {
		return nil, err
	}
	return e, nil
}
