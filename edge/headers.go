package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// hstsMaxAge is two years, the value hstspreload.org asks for.
const hstsMaxAge = 63072000

// newSecurityHeaders registers the response headers policy of every behavior: HSTS,
// X-Content-Type-Options: nosniff, X-Frame-Options: DENY, a strict Referrer-Policy and the
// site's Content-Security-Policy. Override replaces whatever an origin sends.
func newSecurityHeaders(ctx *pulumi.Context, name, csp string, opts ...pulumi.ResourceOption) (*cloudfront.ResponseHeadersPolicy, error) {
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
				ContentSecurityPolicy: pulumi.String(csp),
				Override:              pulumi.Bool(true),
			},
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("response headers policy: %w", err)
	}
	return p, nil
}
