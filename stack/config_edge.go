package stack

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
)

// EdgeConfig is `webstack:edge`: the frontend bucket, the CloudFront distribution in front of
// the SPA and the API, the optional custom domain, the WAF and the access logs.
type EdgeConfig struct {
	// Domain is the site's host name (e.g. "www.example.com"). Empty (the default) serves the
	// site on the distribution's *.cloudfront.net name, and CloudFront then reaches the ALB over
	// plain HTTP. When set, hostedZoneName or hostedZoneId names the Route 53 public zone that
	// holds it.
	Domain string `key:"domain"`
	// HostedZoneName is the Route 53 public hosted zone the domain lives in ("example.com"), in
	// this account and delegated (or ACM validation never completes). With a domain, exactly one
	// of HostedZoneName and HostedZoneID is set.
	HostedZoneName string `key:"hostedZoneName"`
	// HostedZoneID is the ID of that zone ("Z0123456789ABCDEFGHIJ"), instead of its name.
	HostedZoneID string `key:"hostedZoneId"`
	// PriceClass is the CloudFront price class: PriceClass_100 (North America, Europe, Israel),
	// PriceClass_200 (adds Asia including Korea and Japan, the Middle East and Africa) or
	// PriceClass_All. Korean users are served from Asian edges only with 200 or All.
	PriceClass string `key:"priceClass"`
	// APIPathPattern is the path pattern routed to the ALB: a fixed prefix then "/*" ("/api/*"),
	// with no "." or ".." segment (clients remove those before they send a path, RFC 3986
	// section 5.2.4, so the behavior would match nothing). The path reaches the application
	// unchanged, prefix included, and apiUrl is derived from it. With the WAF, the prefix is at
	// most 50 bytes (a WAF byte match's limit).
	APIPathPattern string `key:"apiPathPattern"`
	// WAF attaches a WAFv2 web ACL (CLOUDFRONT scope) to the distribution: the AWS core rule
	// set, known bad inputs, the IP reputation list, a per-IP rate limit on the API and body
	// size limits (docs/edge.md, "WAF and request bodies").
	WAF bool `key:"waf"`
	// WAFRateLimit is how many requests to the API one IP may send in 5 minutes before the WAF
	// blocks it: 100 to 2000000000 (the WAF API accepts 10, but pulumi-aws v6 refuses below
	// 100). The site's own paths (assets, index.html, served from CloudFront's cache) are not
	// counted.
	WAFRateLimit int `key:"wafRateLimit"`
	// WAFBodyInspectionKB is how much of a request body (KB) the WAF inspects: 16, 32, 48 or
	// 64. Bodies larger than that are inspected only that far; above 16 KB, AWS charges extra
	// for every request with a larger body.
	WAFBodyInspectionKB int `key:"wafBodyInspectionKB"`
	// WAFAPIMaxBodyKB is the largest request body (KB) the WAF lets through to the API, at
	// most wafBodyInspectionKB; 0 (the default) sets no WAF limit on API bodies, so that JSON
	// requests and uploads of any size reach the application, which must enforce its own
	// limit. Outside the API the WAF always blocks bodies over 8 KB.
	WAFAPIMaxBodyKB int `key:"wafApiMaxBodyKB"`
	// WAFInspectUploadBodies keeps the core rule set's cross-site scripting, LFI, RFI and EC2
	// metadata SSRF body rules on multipart/form-data uploads to the API too. false (the
	// default) lets uploads pass those four rules, whose matches on binary data block image
	// uploads at random; every other body (JSON, forms, anything outside the API) is still
	// inspected by them. Set true when the API takes no uploads.
	WAFInspectUploadBodies bool `key:"wafInspectUploadBodies"`
	// Logs turns on CloudFront standard logs (under cloudfront/, in a log bucket under the edge
	// key) and the frontend bucket's S3 server access logs (under s3-access/site/, in an SSE-S3
	// access-log bucket).
	Logs bool `key:"logs"`
	// LogRetentionDays is how long, in days, both log buckets keep logs before their lifecycle
	// deletes them.
	LogRetentionDays int `key:"logRetentionDays"`
	// Versioning keeps previous versions of the frontend's objects (roll back a bad upload by
	// restoring them). The log buckets are always versioned.
	Versioning bool `key:"versioning"`
	// NoncurrentVersionDays is how long, in days, a replaced or deleted object version is kept,
	// in every edge bucket.
	NoncurrentVersionDays int `key:"noncurrentVersionDays"`
	// Protect marks the frontend and log buckets and the edge KMS key `protect` and refuses to
	// delete non-empty buckets; false lets `pulumi destroy` empty and delete them (the key is
	// scheduled for deletion after 30 days).
	Protect bool `key:"protect"`
	// ContentSecurityPolicy is the Content-Security-Policy header CloudFront adds to every
	// response: one line, at most 1783 characters. The default suits a React SPA that loads no
	// inline script.
	ContentSecurityPolicy string `key:"contentSecurityPolicy"`
	// Uploads is the uploads bucket the application writes user files to, served by the
	// distribution under a path of the site (docs/edge.md, "Uploads").
	Uploads UploadsConfig `key:"uploads"`
}

// UploadsConfig is `webstack:edge.uploads`: a private, versioned bucket under its own KMS key
// that the instance role may write and read, and that CloudFront serves (and nothing else
// reads). It follows webstack:edge.protect and webstack:edge.logs like the other edge buckets.
type UploadsConfig struct {
	// Enabled creates the uploads bucket, its key, the distribution's uploads behavior and the
	// instance role's grant, and gives the application UPLOADS_BUCKET, UPLOADS_PREFIX and
	// UPLOADS_BASE_URL. false (the default) creates none of them.
	Enabled bool `key:"enabled"`
	// PathPattern is the path the distribution serves uploads under: a fixed prefix then "/*"
	// ("/uploads/*"), with no "." or ".." segment, not overlapping apiPathPattern. Objects are
	// stored under the same prefix without the leading slash ("uploads/"): CloudFront passes
	// the path to S3 unchanged, so /uploads/a.png is the object uploads/a.png.
	PathPattern string `key:"pathPattern"`
	// CORS are the browser origins that may PUT objects directly to the bucket with presigned
	// URLs, each "https://host[:port]" without a path (the site's own origin, such as
	// "https://www.example.com"); "http://localhost:<port>" only in a stack whose
	// webstack:checks.profile is not production. Empty (the default) adds no CORS
	// configuration: no browser page may upload directly.
	CORS []string `key:"cors"`
	// IncompleteUploadDays is how many days the parts of an unfinished multipart upload are
	// kept before the lifecycle aborts it: 1 to 365.
	IncompleteUploadDays int `key:"incompleteUploadDays"`
	// NoncurrentVersionDays is how many days a replaced or deleted upload's old version is
	// kept (the bucket is always versioned): 1 to 365.
	NoncurrentVersionDays int `key:"noncurrentVersionDays"`
}

// defaultEdgeConfig is secure by default: WAF and logs on, versioned bucket, prices of the
// cheapest class (North America, Europe, Israel) that still serves everyone.
func defaultEdgeConfig() EdgeConfig {
	return EdgeConfig{
		PriceClass:            edge.PriceClass100,
		APIPathPattern:        edge.DefaultAPIPathPattern,
		WAF:                   true,
		WAFRateLimit:          edge.DefaultWAFRateLimit,
		WAFBodyInspectionKB:   edge.DefaultBodyInspectionKB,
		Logs:                  true,
		LogRetentionDays:      edge.DefaultLogRetentionDays,
		Versioning:            true,
		NoncurrentVersionDays: edge.DefaultNoncurrentVersionDays,
		ContentSecurityPolicy: edge.DefaultContentSecurityPolicy,
		Uploads: UploadsConfig{
			PathPattern:           edge.DefaultUploadsPathPattern,
			IncompleteUploadDays:  edge.DefaultIncompleteUploadDays,
			NoncurrentVersionDays: edge.DefaultNoncurrentVersionDays,
		},
	}
}

var (
	// dnsLabel is one label of a host name: letters, digits and inner hyphens, 1 to 63 long.
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	// hostedZoneID is a Route 53 hosted zone ID.
	hostedZoneID = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	// apiPathPattern is "/<segment>[/<segment>...]/*": a fixed prefix, so that the API behavior
	// can never swallow the SPA's paths and the API's base URL follows from it.
	apiPathPattern = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+/\*$`)
)

// edgeMaxCSP is the longest Content-Security-Policy a response headers policy takes.
const edgeMaxCSP = 1783

// validDNSName reports whether name is a fully qualified host name of at least two labels
// (lower case, no trailing dot, no wildcard).
func validDNSName(name string) bool {
	if len(name) > 253 {
		return false
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return false
		}
	}
	// The top-level domain is never all digits (that would be an IP address).
	return strings.IndexFunc(labels[len(labels)-1], unicode.IsLetter) >= 0
}

func (e *EdgeConfig) validate(p *problems, key string) {
	switch {
	case e.Domain == "":
		if e.HostedZoneName != "" {
			p.add(key+".hostedZoneName", "%s has no effect without %s.domain; set the domain or remove the zone", quote(e.HostedZoneName), key)
		}
		if e.HostedZoneID != "" {
			p.add(key+".hostedZoneId", "%s has no effect without %s.domain; set the domain or remove the zone", quote(e.HostedZoneID), key)
		}
	case !validDNSName(e.Domain):
		p.add(key+".domain", "%s is not a valid DNS name such as \"www.example.com\" (lower-case labels of letters, digits and hyphens, no trailing dot or wildcard)", quote(e.Domain))
	case len(edge.OriginHostName(e.Domain)) > 64:
		// ACM limits a certificate's domain name to 64 characters, and the origin certificate
		// is for "origin.<domain>".
		p.add(key+".domain", "%s is too long: the origin certificate's name %q must fit ACM's 64 characters", quote(e.Domain), edge.OriginHostName(e.Domain))
	case e.HostedZoneName == "" && e.HostedZoneID == "":
		p.add(key+".domain", "%s needs the Route 53 zone that holds it: set %s.hostedZoneName (e.g. %q) or %s.hostedZoneId", quote(e.Domain), key, parentDomain(e.Domain), key)
	case e.HostedZoneName != "" && e.HostedZoneID != "":
		p.add(key+".hostedZoneId", "%s and %s.hostedZoneName %s are both set; set only one", quote(e.HostedZoneID), key, quote(e.HostedZoneName))
	case e.HostedZoneName != "" && !validDNSName(e.HostedZoneName):
		p.add(key+".hostedZoneName", "%s is not a valid DNS name such as \"example.com\" (no trailing dot)", quote(e.HostedZoneName))
	case e.HostedZoneName != "" && e.Domain != e.HostedZoneName && !strings.HasSuffix(e.Domain, "."+e.HostedZoneName):
		p.add(key+".hostedZoneName", "%s does not contain %s.domain %s", quote(e.HostedZoneName), key, quote(e.Domain))
	case e.HostedZoneID != "" && !hostedZoneID.MatchString(e.HostedZoneID):
		p.add(key+".hostedZoneId", "%s is not a Route 53 hosted zone ID such as \"Z0123456789ABCDEFGHIJ\"", quote(e.HostedZoneID))
	}
	if !slices.Contains(edge.PriceClasses, e.PriceClass) {
		p.add(key+".priceClass", "%s is not a CloudFront price class (%s)", quote(e.PriceClass), strings.Join(edge.PriceClasses, ", "))
	}
	switch {
	case !apiPathPattern.MatchString(e.APIPathPattern):
		p.add(key+".apiPathPattern", "%s must be a fixed path prefix followed by \"/*\", such as %q", quote(e.APIPathPattern), edge.DefaultAPIPathPattern)
	case edge.DotSegment(e.APIPathPattern) != "":
		p.add(key+".apiPathPattern", "%s has a %q segment: clients remove dot segments before they send a path (RFC 3986, section 5.2.4), so no request would match it; name the API's prefix, such as %q",
			quote(e.APIPathPattern), edge.DotSegment(e.APIPathPattern), edge.DefaultAPIPathPattern)
	case len(e.APIPathPattern) > 255:
		p.add(key+".apiPathPattern", "%s is longer than CloudFront's 255 characters", quote(e.APIPathPattern))
	}
	// The WAF API accepts rate limits from 10, but pulumi-aws v6 validates 100 to 2,000,000,000
	// before it calls AWS (pulumi/pulumi-aws#5841).
	if e.WAFRateLimit < edge.MinRateLimit || e.WAFRateLimit > edge.MaxRateLimit {
		p.add(key+".wafRateLimit", "%d must be between %d and %d requests per IP per 5 minutes (the provider refuses anything else)", e.WAFRateLimit, edge.MinRateLimit, edge.MaxRateLimit)
	}
	e.validateWAFBody(p, key)
	if e.LogRetentionDays < 1 {
		p.add(key+".logRetentionDays", "%d must be at least 1 day", e.LogRetentionDays)
	}
	if e.NoncurrentVersionDays < 1 {
		p.add(key+".noncurrentVersionDays", "%d must be at least 1 day", e.NoncurrentVersionDays)
	}
	switch {
	case strings.TrimSpace(e.ContentSecurityPolicy) == "":
		p.add(key+".contentSecurityPolicy", "%s must not be empty: the SPA needs a Content-Security-Policy", quote(e.ContentSecurityPolicy))
	case strings.IndexFunc(e.ContentSecurityPolicy, unicode.IsControl) >= 0:
		p.add(key+".contentSecurityPolicy", "%s contains a control character (newline or tab); write the policy on one line", quote(e.ContentSecurityPolicy))
	case len(e.ContentSecurityPolicy) > edgeMaxCSP:
		p.add(key+".contentSecurityPolicy", "is %d characters; CloudFront accepts at most %d", len(e.ContentSecurityPolicy), edgeMaxCSP)
	}
}

// validateUploads judges webstack:edge.uploads, which depends on webstack:checks.profile.
func (c *Config) validateUploads(p *problems) {
	c.Edge.validateUploads(p, Namespace+":edge", c.Checks.Profile == contract.Production)
}

// validateUploads judges webstack:edge.uploads. production is whether the stack's checks
// profile is production, where no CORS origin may be a developer's machine.
func (e *EdgeConfig) validateUploads(p *problems, key string, production bool) {
	u := e.Uploads
	key += ".uploads"
	switch {
	case !apiPathPattern.MatchString(u.PathPattern):
		p.add(key+".pathPattern", "%s must be a fixed path prefix followed by \"/*\", such as %q", quote(u.PathPattern), edge.DefaultUploadsPathPattern)
	case edge.DotSegment(u.PathPattern) != "":
		p.add(key+".pathPattern", "%s has a %q segment: clients remove dot segments before they send a path (RFC 3986, section 5.2.4), so no request would match it; name the uploads' prefix, such as %q",
			quote(u.PathPattern), edge.DotSegment(u.PathPattern), edge.DefaultUploadsPathPattern)
	case len(u.PathPattern) > 255:
		p.add(key+".pathPattern", "%s is longer than CloudFront's 255 characters", quote(u.PathPattern))
	case apiPathPattern.MatchString(e.APIPathPattern) && edge.PathPatternsOverlap(u.PathPattern, e.APIPathPattern):
		p.add(key+".pathPattern", "%s overlaps %s:edge.apiPathPattern %s: CloudFront takes the first behavior that matches, so one of them would get the other's requests; choose a prefix of its own, such as %q",
			quote(u.PathPattern), Namespace, quote(e.APIPathPattern), edge.DefaultUploadsPathPattern)
	}
	if u.IncompleteUploadDays < 1 || u.IncompleteUploadDays > edge.MaxIncompleteUploadDays {
		p.add(key+".incompleteUploadDays", "%d must be between 1 and %d days", u.IncompleteUploadDays, edge.MaxIncompleteUploadDays)
	}
	if u.NoncurrentVersionDays < 1 || u.NoncurrentVersionDays > edge.MaxNoncurrentVersionDays {
		p.add(key+".noncurrentVersionDays", "%d must be between 1 and %d days", u.NoncurrentVersionDays, edge.MaxNoncurrentVersionDays)
	}
	if len(u.CORS) > 0 && len(e.ContentSecurityPolicy)+edge.MaxCSPConnectSourceLength > edgeMaxCSP {
		p.add(key+".cors", "needs the bucket's host in %s:edge.contentSecurityPolicy's connect-src (up to %d characters), and the policy, %d characters, would pass CloudFront's %d",
			Namespace, edge.MaxCSPConnectSourceLength, len(e.ContentSecurityPolicy), edgeMaxCSP)
	}
	if len(u.CORS) > edge.MaxCORSRules {
		p.add(key+".cors", "has %d origins; S3 accepts at most %d", len(u.CORS), edge.MaxCORSRules)
	}
	seen := map[string]bool{}
	for i, o := range u.CORS {
		k := fmt.Sprintf("%s.cors[%d]", key, i)
		if err := edge.CheckCORSOrigin(o, !production); err != nil {
			msg := strings.TrimPrefix(err.Error(), "cors origin "+strconv.Quote(o)+" ")
			if strings.Contains(msg, "developer's machine") {
				msg += " (" + Namespace + ":checks.profile is production)"
			}
			p.add(k, "%s %s", quote(o), msg)
		} else if seen[o] {
			p.add(k, "%s is listed twice", quote(o))
		}
		seen[o] = true
	}
	if !u.Enabled {
		for _, set := range []struct {
			name  string
			isSet bool
		}{
			{"cors", len(u.CORS) > 0},
			{"pathPattern", u.PathPattern != edge.DefaultUploadsPathPattern},
		} {
			if set.isSet {
				p.add(key+"."+set.name, "has no effect without %s.enabled; turn uploads on or remove the key", key)
			}
		}
	}
}

// validateWAFBody judges the WAF's body settings: an inspection limit CloudFront web ACLs
// accept, and an API body limit WAF can measure. A size rule compares only the part of a body
// WAF received, so a limit above the inspection limit could never be enforced.
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
func (e *EdgeConfig) validateWAFBody(p *problems, key string) {
	limits := make([]string, len(edge.BodyInspectionLimitsKB))
	for i, kb := range edge.BodyInspectionLimitsKB {
		limits[i] = strconv.Itoa(kb)
	}
	inspection := slices.Contains(edge.BodyInspectionLimitsKB, e.WAFBodyInspectionKB)
	switch {
	case !inspection:
		p.add(key+".wafBodyInspectionKB", "%d is not a body inspection limit CloudFront web ACLs accept (%s KB)", e.WAFBodyInspectionKB, strings.Join(limits, ", "))
	case !e.WAF && e.WAFBodyInspectionKB != edge.DefaultBodyInspectionKB:
		p.add(key+".wafBodyInspectionKB", "%d has no effect without %s.waf; turn the WAF on or remove the key", e.WAFBodyInspectionKB, key)
	}
	switch {
	case e.WAFAPIMaxBodyKB < 0:
		p.add(key+".wafApiMaxBodyKB", "%d must be 0 (no WAF limit on API bodies) or a size in KB", e.WAFAPIMaxBodyKB)
	case e.WAFAPIMaxBodyKB > 0 && !e.WAF:
		p.add(key+".wafApiMaxBodyKB", "%d has no effect without %s.waf; turn the WAF on or remove the key", e.WAFAPIMaxBodyKB, key)
	case inspection && e.WAFAPIMaxBodyKB > e.WAFBodyInspectionKB:
		p.add(key+".wafApiMaxBodyKB", "%d KB is more than the WAF inspects (%s.wafBodyInspectionKB: %d KB), so it could never be measured; "+
			"raise wafBodyInspectionKB (at most 64), or set 0 and let the application limit larger uploads", e.WAFAPIMaxBodyKB, key, e.WAFBodyInspectionKB)
	}
	if e.WAFInspectUploadBodies && !e.WAF {
		p.add(key+".wafInspectUploadBodies", "true has no effect without %s.waf; turn the WAF on or remove the key", key)
	}
	if prefix := edge.APIPathPrefix(e.APIPathPattern); e.WAF && apiPathPattern.MatchString(e.APIPathPattern) && len(prefix) > edge.MaxSearchStringBytes {
		p.add(key+".apiPathPattern", "%s is too long for the WAF: its rules match the prefix %q, and a WAF byte match searches at most %d bytes", quote(e.APIPathPattern), prefix, edge.MaxSearchStringBytes)
	}
}

// parentDomain is the name minus its first label, as a hint for the zone.
func parentDomain(name string) string {
	if _, rest, ok := strings.Cut(name, "."); ok && strings.Contains(rest, ".") {
		return rest
	}
	return name
}
