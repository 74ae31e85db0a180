package edge

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// hstsMaxAge is two years, the value hstspreload.org asks for.
const hstsMaxAge = 63072000

// newSecurityHeaders registers the response headers policy of every behavior: HSTS,
// X-Content-Type-Options: nosniff, X-Frame-Options: DENY, a strict Referrer-Policy and the
// site's Content-Security-Policy. Override replaces whatever an origin sends.
func newSecurityHeaders(ctx *pulumi.Context, name string, csp pulumi.StringInput, opts ...pulumi.ResourceOption) (*cloudfront.ResponseHeadersPolicy, error) {
	p, err := cloudfront.NewResponseHeadersPolicy(ctx, name+"-security-headers", &cloudfront.ResponseHeadersPolicyArgs{
		Comment: pulumi.String("Security headers for the single-page app and its API"),
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
