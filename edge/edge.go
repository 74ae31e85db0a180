package edge

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// Origin IDs of the distribution.
const (
	siteOriginID = "site-bucket"
	apiOriginID  = "api-alb"
)

// Defaults of EdgeArgs, which the stack's config defaults use too.
const (
	// DefaultWAFRateLimit is EdgeArgs.WAFRateLimit's default: requests to the API per client IP
	// in 5 minutes.
	DefaultWAFRateLimit = 2000
	// DefaultLogRetentionDays is EdgeArgs.LogRetentionDays's default.
	DefaultLogRetentionDays = 365
	// DefaultNoncurrentVersionDays is EdgeArgs.NoncurrentVersionDays's default.
	DefaultNoncurrentVersionDays = 30
)

// EdgeArgs configures an Edge. Its zero values are the secure choices: an optional field left
// unset never turns a control off (WAF, logs and versioning are on unless a Disable field says
// otherwise).
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
	// DisableWAF leaves the distribution without its WAFv2 web ACL. Optional. Default: false,
	// the web ACL is attached (it needs GlobalProvider).
	DisableWAF bool
	// WAFRateLimit is how many requests to the API one client IP may send in 5 minutes,
	// MinRateLimit to MaxRateLimit (the site's own paths, served from the cache, are not
	// counted). Optional. Default: DefaultWAFRateLimit (2000).
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
	// DisableLogs turns off the CloudFront standard logs and the frontend bucket's access logs,
	// each written to a dedicated bucket. Optional. Default: false, logs on.
	DisableLogs bool
	// CanonicalUserID is the account's S3 canonical user ID, which the CloudFront log bucket's
	// ACL grants to the bucket owner, and AccountID the account's ID, which the frontend
	// bucket's access-log bucket policy names. Used only with logs on. Optional: what is not given
	// is looked up once the component is registered, before any of its resources. A program
	// that must not register anything before every lookup has answered (package stack) looks
	// both up first and passes them.
	CanonicalUserID, AccountID string
	// LogRetentionDays is how long logs are kept. Optional. Default: DefaultLogRetentionDays
	// (365).
	LogRetentionDays int
	// DisableVersioning keeps no previous object versions in the frontend bucket. Optional.
	// Default: false, versioning on.
	DisableVersioning bool
	// NoncurrentVersionDays is how long previous versions are kept. Optional. Default:
	// DefaultNoncurrentVersionDays (30).
	NoncurrentVersionDays int
	// DisableProtect leaves the buckets and their key without Pulumi's protect and lets a
	// destroy delete non-empty buckets. Optional. Default: false, protected.
	DisableProtect bool
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
		out.WAFRateLimit = DefaultWAFRateLimit
	}
	if out.WAFBodyInspectionKB == 0 {
		out.WAFBodyInspectionKB = DefaultBodyInspectionKB
	}
	if out.LogRetentionDays == 0 {
		out.LogRetentionDays = DefaultLogRetentionDays
	}
	if out.NoncurrentVersionDays == 0 {
		out.NoncurrentVersionDays = DefaultNoncurrentVersionDays
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
	if (domain || !a.DisableWAF) && a.GlobalProvider == nil {
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
	if !a.DisableWAF && len(APIPathPrefix(a.APIPathPattern)) > MaxSearchStringBytes {
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

// NewEdge registers the edge tier, section by section in registration order: the frontend
// bucket (site.go), the CloudFront logs (logs.go), the WAF (waf.go), the viewer certificate
// (certificate.go), the distribution (distribution.go), the buckets' encryption (kms.go), and the
// frontend bucket's policy and the site's DNS records (distribution.go), which name the
// distribution.
func NewEdge(ctx *pulumi.Context, name string, args *EdgeArgs, opts ...pulumi.ResourceOption) (*Edge, error) {
	if args == nil {
		return nil, errors.New("edge: args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e := &Edge{}
	if err := ctx.RegisterComponentResource(contract.TypeEdge, name, e, opts...); err != nil {
		return nil, err
	}
	parent := []pulumi.ResourceOption{pulumi.Parent(e)}
	global := withOpts(parent, pulumi.Provider(a.GlobalProvider))
	if err := a.lookUpAccount(ctx, e); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}

	site, oac, err := newSite(ctx, name, &a, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.BucketName = site.bucket.Bucket
	e.BucketARN = site.bucket.Arn
	logs, err := newLogs(ctx, name, &a, site, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.LogBucketName = logs.bucketName
	acl, err := newWAF(ctx, name, &a, global...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.WebACLARN = pulumi.String("").ToStringOutput()
	var webACLID pulumi.StringPtrInput
	if acl != nil {
		e.WebACLARN = acl.Arn
		webACLID = acl.Arn // WAFv2 ACLs attach by ARN.
	}
	viewer, err := newViewerCertificate(ctx, name, &a, global, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	dist, err := newDistribution(ctx, name, &a, distributionParts{
		site: site, oac: oac, logs: logs, webACLID: webACLID, viewer: viewer,
	}, parent...)
	if err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.DistributionID = dist.ID().ToStringOutput()
	e.DistributionARN = dist.Arn
	e.DomainName = dist.DomainName

	// The key policy names the distribution, so the key and the buckets' encryption under it
	// come after the distribution (newBucketKey).
	if e.KeyARN, err = encryptBuckets(ctx, name, &a, dist, site, logs.bucket, parent...); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	if err := newSitePolicy(ctx, name, site, dist, parent...); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	if e.SiteURL, err = newSiteRecords(ctx, name, a.Origin, dist, parent...); err != nil {
		return nil, fmt.Errorf("edge: %w", err)
	}
	e.APIURL = pulumi.Sprintf("%s%s", e.SiteURL, APIBasePath(a.APIPathPattern))

	if err := ctx.RegisterResourceOutputs(e, e.outputs()); err != nil {
		return nil, err
	}
	return e, nil
}

// outputs are the component's registered outputs.
func (e *Edge) outputs() pulumi.Map {
	return pulumi.Map{
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
	}
}

// lookUpAccount fills in what the log buckets need from the account and the caller did not
// give, before any resource: a failed lookup then leaves nothing of the edge behind.
func (a *EdgeArgs) lookUpAccount(ctx *pulumi.Context, e *Edge) error {
	if !a.DisableLogs && a.CanonicalUserID == "" {
		owner, err := s3.GetCanonicalUserId(ctx, pulumi.Parent(e))
		if err != nil {
			return fmt.Errorf("looking up the account's canonical user id: %w", err)
		}
		a.CanonicalUserID = owner.Id
	}
	if !a.DisableLogs && a.AccountID == "" {
		identity, err := aws.GetCallerIdentity(ctx, nil, pulumi.Parent(e))
		if err != nil {
			return fmt.Errorf("looking up the account id: %w", err)
		}
		a.AccountID = identity.AccountId
	}
	return nil
}
