package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// hstsMaxAge is two years, the value hstspreload.org asks for.
const hstsMaxAge = 63072000

// UploadsContentSecurityPolicy is the Content-Security-Policy of everything served from the
// uploads path. Users choose what they upload, and its Content-Type: an uploaded HTML page
// served on the site's own origin under the site's policy could load an uploaded script as
// 'self' and call the API with the visitor's credentials. Under this policy an uploaded page
// runs no script, loads nothing but images and media of the site, and is sandboxed (a unique
// origin: no cookies, no storage, no API).
const UploadsContentSecurityPolicy = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"

// newSecurityHeaders registers a response headers policy (the site's, named
// <name>-security-headers, and the uploads', <name>-uploads-security-headers): HSTS,
// X-Content-Type-Options: nosniff, X-Frame-Options: DENY, a strict Referrer-Policy and the
// given Content-Security-Policy. Override replaces whatever an origin sends.
func newSecurityHeaders(ctx *pulumi.Context, name, comment string, csp pulumi.StringInput, opts ...pulumi.ResourceOption) (*cloudfront.ResponseHeadersPolicy, error) {
	p, err := cloudfront.NewResponseHeadersPolicy(ctx, name+"-security-headers", &cloudfront.ResponseHeadersPolicyArgs{
		Comment: pulumi.String(comment),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(hstsMaxAge),
				IncludeSubdomains:      pulumi.Bool(true),
				Preload:                pulumi.Bool(false), // preloading is a decision for the domain's owner
				Override:               pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{
				Override: pulumi.Bool(true),
			},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String("DENY"),
				Override:    pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"),
				Override:       pulumi.Bool(true),
			},
			ContentSecurityPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
				ContentSecurityPolicy: csp,
				Override:              pulumi.Bool(true),
			},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("response headers policy: %w", err)
	}
	return p, nil
}

// CSPWithConnectSource returns a Content-Security-Policy that also lets the page connect
// (fetch, XMLHttpRequest) to source: source is added to connect-src, or, without a
// connect-src, a connect-src is added with default-src's sources plus source (default-src is
// what governs connections then). A policy with neither restricts no connection and is kept.
// Browsers PUT presigned uploads to the bucket's own host, which connect-src 'self' refuses.
func CSPWithConnectSource(csp, source string) string {
	var directives []string
	var defaults []string
	connect := false
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		fields := strings.Fields(d)
		switch strings.ToLower(fields[0]) {
		case "connect-src":
			connect = true
			d += " " + source
		case "default-src":
			defaults = fields[1:]
		}
		directives = append(directives, d)
	}
	if !connect {
		if defaults == nil {
			return csp
		}
		directives = append(directives, strings.Join(append(append([]string{"connect-src"}, defaults...), source), " "))
	}
	return strings.Join(directives, "; ")
}

// MaxCSPConnectSourceLength is the most CSPWithConnectSource adds for an uploads bucket's
// host: " https://" + a bucket name (63) + ".s3." + a region + ".amazonaws.com", with room for
// the longest region names.
const MaxCSPConnectSourceLength = 1 + len("https://") + 63 + len(".s3.") + 16 + len(".amazonaws.com")
