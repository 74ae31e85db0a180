package edge

// CloudFront price classes.
const (
	PriceClass100 = "PriceClass_100"
	PriceClass200 = "PriceClass_200"
	PriceClassAll = "PriceClass_All"
)

// PriceClasses are the price classes CloudFront knows.
var PriceClasses = []string{PriceClass100, PriceClass200, PriceClassAll}

// DefaultAPIPathPattern is the path pattern routed to the ALB unless configured otherwise.
const DefaultAPIPathPattern = "/api/*"

// DefaultContentSecurityPolicy allows scripts, styles, fonts and API calls from the site itself
// only (the API is on the same host under the API path), inline styles (CSS-in-JS libraries
// inject them), images also from data: and blob: URLs, no plugins, no framing by other sites.
//
// It allows no inline script, so it suits a build whose index.html only loads script files:
// Vite's default production build does. Two common builds need a change, or the page stays
// blank (the browser refuses the inline script that starts the app):
//   - Create React App inlines its webpack runtime chunk into index.html
//     (facebook/create-react-app#5058, #5187); build with INLINE_RUNTIME_CHUNK=false (react-scripts
//     2.0.5 and later) so that it is a file like the others;
//     https://create-react-app.dev/docs/advanced-configuration/
//   - Vite's @vitejs/plugin-legacy "requires inline scripts for Safari 10.1 nomodule fix,
//     SystemJS initialization, and dynamic import fallback"; add the hashes it exports
//     (cspHashes, which can change between its minor versions) to script-src in
//     contentSecurityPolicy, or do without the plugin.
//     https://github.com/vitejs/vite/tree/main/packages/plugin-legacy#content-security-policy
//
// Never add 'unsafe-inline' to script-src: it gives up the protection the policy is for.
const DefaultContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; " +
	"worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; upgrade-insecure-requests"

// AWS managed CloudFront policies, by the IDs AWS documents for CloudFormation, the CLI and
// the API. They are the same in every account, so they are not looked up.
const (
	// CachingOptimizedPolicyID is the managed cache policy "CachingOptimized": long TTLs, no
	// query strings, headers or cookies in the cache key, compressed objects cached.
	// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html
	CachingOptimizedPolicyID = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CachingDisabledPolicyID is the managed cache policy "CachingDisabled": TTL 0, nothing
	// cached. Same page as above.
	CachingDisabledPolicyID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewerExceptHostHeaderPolicyID is the managed origin request policy
	// "AllViewerExceptHostHeader": every viewer header, cookie and query string reaches the
	// origin except Host, so that the ALB (and its certificate) sees its own host name.
	// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-origin-request-policies.html
	AllViewerExceptHostHeaderPolicyID = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// Origin protocol policies of the ALB origin.
const (
	OriginHTTPOnly  = "http-only"
	OriginHTTPSOnly = "https-only"
)

// OriginHeaderName is the header CloudFront adds to every request it sends to the ALB. The
// production listener forwards only requests that carry it with the secret value.
const OriginHeaderName = "X-Origin-Verify"

// OriginHostName is the host name CloudFront uses to reach the ALB when the site has a custom
// domain: "origin.<domain>", covered by the ALB's regional certificate.
func OriginHostName(domain string) string {
	return "origin." + domain
}

// cloudFrontLogDeliveryCanonicalID is the canonical user ID of the awslogsdelivery account,
// which writes CloudFront standard logs and needs FULL_CONTROL on the log bucket's ACL.
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html
const cloudFrontLogDeliveryCanonicalID = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"
