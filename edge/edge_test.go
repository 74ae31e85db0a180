package edge

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

// Fake ALB inputs: the edge tier takes the ALB as plain inputs, so the component is tested
// without the compute tier.
const (
	fakeALBDNSName = "webstack-test-alb-123456.ap-northeast-2.elb.amazonaws.com"
	fakeALBZoneID  = "ZWKZPGTI48KDX"
)

// shape is one stack shape of the edge tier.
type shape struct {
	domain, zoneName, zoneID string
	waf, logs, versioning    bool
	protect                  bool
	inspectionKB, apiBodyKB  int
	inspectUploads           bool
	// canonicalUserID and accountID are passed to the component as looked up, "" leaves the
	// lookups to it.
	canonicalUserID, accountID string
}

// runEdge registers an Origin and an Edge of the given shape under the mock engine, the way
// the wiring does: regional provider on both components, us-east-1 provider passed in.
func runEdge(t *testing.T, s shape) (*mockaws.Result, error) {
	t.Helper()
	return mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, edgeProgram(s))
}

// edgeProgram is what runEdge runs.
func edgeProgram(s shape) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		tags := pulumi.StringMap{"Project": pulumi.String("webstack"), "Environment": pulumi.String("test"), "ManagedBy": pulumi.String("pulumi")}
		regional, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{Region: pulumi.String("ap-northeast-2"), DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: tags}})
		if err != nil {
			return err
		}
		global, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1"), DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: tags}})
		if err != nil {
			return err
		}
		origin, err := NewOrigin(ctx, "origin", &OriginArgs{Domain: s.domain, HostedZoneName: s.zoneName, HostedZoneID: s.zoneID}, pulumi.Provider(regional))
		if err != nil {
			return err
		}
		args := &EdgeArgs{
			Origin:            origin,
			ALBDNSName:        pulumi.String(fakeALBDNSName),
			ALBZoneID:         pulumi.String(fakeALBZoneID),
			GlobalProvider:    global,
			DisableWAF:        !s.waf,
			DisableLogs:       !s.logs,
			DisableVersioning: !s.versioning,
			DisableProtect:    !s.protect,
			// The WAF settings as the config passes them: always set.
			WAFBodyInspectionKB: s.inspectionKB,
			WAFAPIMaxBodyKB:     s.apiBodyKB,
			// The config's default, as the wiring passes it.
			WAFInspectUploadBodies: s.inspectUploads,
			CanonicalUserID:        s.canonicalUserID,
			AccountID:              s.accountID,
		}
		if s.domain == "" {
			args.ALBDomainName = pulumi.String(fakeALBDNSName)
		}
		_, err = NewEdge(ctx, "edge", args, pulumi.Provider(regional))
		return err
	}
}

func mustRun(t *testing.T, s shape) *mockaws.Result {
	t.Helper()
	res, err := runEdge(t, s)
	if err != nil {
		t.Fatalf("shape %+v: %v", s, err)
	}
	return res
}

func find(t *testing.T, res *mockaws.Result, typ, name string) *mockaws.Resource {
	t.Helper()
	r := res.Find(typ, name)
	if r == nil {
		t.Fatalf("no %s %q registered", typ, name)
	}
	return r
}

func count(res *mockaws.Result, typ string) int { return len(res.ByType(typ)) }

const (
	tDistribution = "aws:cloudfront/distribution:Distribution"
	tBucket       = "aws:s3/bucketV2:BucketV2"
	tRecord       = "aws:route53/record:Record"
	tCert         = "aws:acm/certificate:Certificate"
	tCertValid    = "aws:acm/certificateValidation:CertificateValidation"
	tWebACL       = "aws:wafv2/webAcl:WebAcl"
	tPolicy       = "aws:s3/bucketPolicy:BucketPolicy"
	tOwnership    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tACL          = "aws:s3/bucketAclV2:BucketAclV2"
	tSSE          = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tKey          = "aws:kms/key:Key"
	tLogging      = "aws:s3/bucketLoggingV2:BucketLoggingV2"
)

// TestEdgeShapes registers every stack shape and checks which resources exist.
func TestEdgeShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    shape
		want map[string]int
	}{
		{"default domain, no WAF, no logs", shape{}, map[string]int{
			tDistribution: 1, tBucket: 1, tRecord: 0, tCert: 0, tCertValid: 0, tWebACL: 0, tPolicy: 1, tACL: 0, tKey: 1, tSSE: 1, tLogging: 0,
			"aws:s3/bucketVersioningV2:BucketVersioningV2": 0,
		}},
		// Three buckets with logs: the frontend, the CloudFront logs, the S3 access logs.
		{"default domain, WAF and logs", shape{waf: true, logs: true, versioning: true}, map[string]int{
			tDistribution: 1, tBucket: 3, tRecord: 0, tCert: 0, tWebACL: 1, tPolicy: 3, tACL: 1, tKey: 1, tSSE: 3, tLogging: 1,
			"aws:s3/bucketVersioningV2:BucketVersioningV2": 3,
		}},
		// Records: two certificate validations, origin.<domain>, and A + AAAA for the site.
		{"custom domain by zone name, no WAF", shape{domain: "www.example.com", zoneName: "example.com"}, map[string]int{
			tDistribution: 1, tBucket: 1, tRecord: 5, tCert: 2, tCertValid: 2, tWebACL: 0,
		}},
		// The log buckets are versioned even when the frontend bucket is not.
		{"custom domain by zone id, WAF and logs", shape{domain: "app.example.org", zoneID: "Z0123456789ABC", waf: true, logs: true}, map[string]int{
			tDistribution: 1, tBucket: 3, tRecord: 5, tCert: 2, tCertValid: 2, tWebACL: 1, tACL: 1, tKey: 1,
			"aws:s3/bucketVersioningV2:BucketVersioningV2": 2,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := mustRun(t, tc.s)
			for typ, n := range tc.want {
				if got := count(res, typ); got != n {
					t.Errorf("%d %s, want %d", got, typ, n)
				}
			}
			// Every child is parented to a component of the tier.
			for _, r := range res.Resources {
				if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") &&
					!strings.Contains(r.Parent, "webstack:edge:Edge::edge") && !strings.Contains(r.Parent, "webstack:edge:Origin::origin") {
					t.Errorf("%s %q has parent %q, not the edge or origin component", r.Type, r.Name, r.Parent)
				}
			}
		})
	}
}

// TestFrontendBucket checks the private bucket's separate V2 resources: pulumi-aws v6
// deprecates BucketV2's inline acl, versioning, encryption, policy, website, lifecycle and
// logging arguments.
func TestFrontendBucket(t *testing.T) {
	for _, versioning := range []bool{false, true} {
		res := mustRun(t, shape{versioning: versioning, protect: versioning})
		b := find(t, res, tBucket, "edge-site")
		if b.Protect != versioning {
			t.Errorf("versioning=%v: bucket protect %v, want it to follow DisableProtect", versioning, b.Protect)
		}
		if got := b.Input("forceDestroy"); got != !versioning {
			t.Errorf("bucket forceDestroy %v, want %v (the opposite of protect)", got, !versioning)
		}
		for _, key := range []string{"acl", "versioning", "serverSideEncryptionConfiguration", "policy", "website", "lifecycleRules", "loggings"} {
			if v := b.Input(key); v != nil {
				t.Errorf("bucket sets deprecated inline %s = %v; use the separate V2 resource", key, v)
			}
		}
		if got := find(t, res, tOwnership, "edge-site-ownership").Input("rule", "objectOwnership"); got != "BucketOwnerEnforced" {
			t.Errorf("site bucket ownership %v, want BucketOwnerEnforced (S3.12)", got)
		}
		if got := find(t, res, "aws:s3/bucketNotification:BucketNotification", "edge-site-events").Input("eventbridge"); got != true {
			t.Errorf("site bucket EventBridge notifications %v, want true (S3.11)", got)
		}
		pab := find(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-site-public-access-block")
		for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
			if pab.Input(k) != true {
				t.Errorf("public access block %s = %v, want true (S3.8)", k, pab.Input(k))
			}
		}
		// SSE-KMS under the stack's own key, with an S3 Bucket Key (S3.17).
		key := find(t, res, tKey, "edge-key")
		sse := find(t, res, tSSE, "edge-site-encryption")
		if got := sse.Input("rules", 0, "applyServerSideEncryptionByDefault"); fmt.Sprint(got) != fmt.Sprint(map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key.Output("arn")}) {
			t.Errorf("site bucket encryption %v, want aws:kms under %v", got, key.Output("arn"))
		}
		if sse.Input("rules", 0, "bucketKeyEnabled") != true {
			t.Errorf("site bucket encryption has no S3 Bucket Key: every object would be a KMS request")
		}
		if key.Input("enableKeyRotation") != true || key.Protect != versioning {
			t.Errorf("key rotation %v protect %v, want rotation and protect=%v", key.Input("enableKeyRotation"), key.Protect, versioning)
		}
		lc := find(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "edge-site-lifecycle")
		if got := lc.Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays"); got != 30.0 {
			t.Errorf("noncurrent version expiry %v, want 30 days", got)
		}
		v := res.Find("aws:s3/bucketVersioningV2:BucketVersioningV2", "edge-site-versioning")
		if (v != nil) != versioning {
			t.Errorf("versioning=%v but versioning resource present=%v", versioning, v != nil)
		}
		if v != nil && v.Input("versioningConfiguration", "status") != "Enabled" {
			t.Errorf("versioning status %v, want Enabled", v.Input("versioningConfiguration", "status"))
		}
	}
}

// TestBucketPolicyAfterDistribution checks that the policy names the distribution's ARN and
// is created after it, and that the key whose policy names it too comes after it, with the
// buckets' encryption after the key: no cycle.
func TestBucketPolicyAfterDistribution(t *testing.T) {
	res := mustRun(t, shape{})
	dist := find(t, res, tDistribution, "edge-cdn")
	pol := find(t, res, tPolicy, "edge-site-policy")
	if !contains(pol.Dependencies, dist.URN) {
		t.Errorf("bucket policy does not depend on the distribution; dependencies: %v", pol.Dependencies)
	}
	raw, _ := pol.Input("policy").(string)
	var doc policyDocument
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("policy %q: %v", raw, err)
	}
	arn := dist.Output("arn")
	if got := doc.Statement[0].Condition["StringEquals"]["AWS:SourceArn"]; got != arn {
		t.Errorf("policy SourceArn %q, want the distribution's ARN %v", got, arn)
	}
	if !strings.Contains(raw, `"Principal":{"Service":"cloudfront.amazonaws.com"}`) || !strings.Contains(raw, `"aws:SecureTransport":"false"`) {
		t.Errorf("policy lacks the CloudFront allow or the TLS deny: %s", raw)
	}

	res = mustRun(t, shape{logs: true})
	dist = find(t, res, tDistribution, "edge-cdn")
	key := find(t, res, tKey, "edge-key")
	if !contains(key.Dependencies, dist.URN) || !strings.Contains(fmt.Sprint(key.Input("policy")), fmt.Sprint(dist.Output("arn"))) {
		t.Errorf("key policy does not name the distribution or does not wait for it: %v", key.Input("policy"))
	}
	for _, name := range []string{"edge-site-encryption", "edge-logs-encryption"} {
		sse := find(t, res, tSSE, name)
		if !contains(sse.Dependencies, key.URN) {
			t.Errorf("%s does not depend on the key", name)
		}
		if contains(dist.Dependencies, sse.URN) {
			t.Errorf("the distribution depends on %s, which depends on the key, which names the distribution", name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDistribution checks the distribution every stack gets.
func TestDistribution(t *testing.T) {
	res := mustRun(t, shape{})
	d := find(t, res, tDistribution, "edge-cdn")
	for path, want := range map[string]any{
		"defaultRootObject": "index.html",
		"httpVersion":       "http2and3",
		"isIpv6Enabled":     true,
		"priceClass":        PriceClass100,
		"enabled":           true,
	} {
		if got := d.Input(path); got != want {
			t.Errorf("distribution %s = %v, want %v", path, got, want)
		}
	}
	if v := d.Input("customErrorResponses"); v != nil {
		t.Errorf("distribution has customErrorResponses %v; they apply to every behavior and would rewrite API errors", v)
	}

	// Origins: the bucket through OAC (no OAI), the ALB with the secret header.
	oac := find(t, res, "aws:cloudfront/originAccessControl:OriginAccessControl", "edge-oac")
	for k, want := range map[string]string{"originAccessControlOriginType": "s3", "signingBehavior": "always", "signingProtocol": "sigv4"} {
		if got := oac.Input(k); got != want {
			t.Errorf("origin access control %s = %v, want %s", k, got, want)
		}
	}
	bucket := find(t, res, tBucket, "edge-site")
	s3o := originByID(t, d, siteOriginID)
	if s3o["domainName"] != bucket.Output("bucketRegionalDomainName") {
		t.Errorf("bucket origin domain %v, want the bucket's regional domain name %v", s3o["domainName"], bucket.Output("bucketRegionalDomainName"))
	}
	if s3o["originAccessControlId"] != oac.ID {
		t.Errorf("bucket origin OAC %v, want %s", s3o["originAccessControlId"], oac.ID)
	}
	if oai, ok := s3o["s3OriginConfig"]; ok {
		t.Errorf("bucket origin sets s3OriginConfig %v; with OAC it must be omitted", oai)
	}
	api := originByID(t, d, apiOriginID)
	if api["domainName"] != fakeALBDNSName {
		t.Errorf("api origin domain %v, want the ALB's %s", api["domainName"], fakeALBDNSName)
	}
	coc, _ := api["customOriginConfig"].(map[string]any)
	if coc["originProtocolPolicy"] != OriginHTTPOnly {
		t.Errorf("api origin protocol %v without a domain, want %s", coc["originProtocolPolicy"], OriginHTTPOnly)
	}
	hdrs, _ := api["customHeaders"].([]any)
	if len(hdrs) != 1 {
		t.Fatalf("api origin custom headers %v, want the secret origin header", api["customHeaders"])
	}
	h := hdrs[0].(map[string]any)
	if h["name"] != OriginHeaderName || h["value"] != mockaws.Secret {
		t.Errorf("api origin header %v, want %s = %s", h, OriginHeaderName, mockaws.Secret)
	}

	// Default behavior: the bucket, cached, compressed, HTTPS, the SPA router on viewer requests.
	fn := find(t, res, "aws:cloudfront/function:Function", "edge-spa-router")
	if fn.Input("runtime") != "cloudfront-js-2.0" || fn.Input("code") != SPARouterJS || fn.Input("publish") != true {
		t.Errorf("spa router function runtime %v publish %v, code embedded %v", fn.Input("runtime"), fn.Input("publish"), fn.Input("code") == SPARouterJS)
	}
	headers := find(t, res, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-security-headers")
	def := map[string]any{
		"targetOriginId":          siteOriginID,
		"viewerProtocolPolicy":    "redirect-to-https",
		"compress":                true,
		"cachePolicyId":           CachingOptimizedPolicyID,
		"responseHeadersPolicyId": headers.ID,
	}
	for k, want := range def {
		if got := d.Input("defaultCacheBehavior", k); got != want {
			t.Errorf("default behavior %s = %v, want %v", k, got, want)
		}
	}
	if got := d.Input("defaultCacheBehavior", "functionAssociations", 0); fmt.Sprint(got) != fmt.Sprint(map[string]any{"eventType": "viewer-request", "functionArn": fn.Output("arn")}) {
		t.Errorf("default behavior function association %v, want the spa router on viewer-request", got)
	}

	// The API behavior: the ALB, nothing cached, everything but Host forwarded, all methods.
	beh, _ := d.Input("orderedCacheBehaviors").([]any)
	if len(beh) != 1 {
		t.Fatalf("ordered cache behaviors %v, want exactly the API behavior", beh)
	}
	b := beh[0].(map[string]any)
	for k, want := range map[string]any{
		"pathPattern":             DefaultAPIPathPattern,
		"targetOriginId":          apiOriginID,
		"viewerProtocolPolicy":    "https-only", // a redirect comes after the body crossed in clear
		"cachePolicyId":           CachingDisabledPolicyID,
		"originRequestPolicyId":   AllViewerExceptHostHeaderPolicyID,
		"responseHeadersPolicyId": headers.ID,
	} {
		if b[k] != want {
			t.Errorf("api behavior %s = %v, want %v", k, b[k], want)
		}
	}
	if got := fmt.Sprint(b["allowedMethods"]); got != "[GET HEAD OPTIONS PUT POST PATCH DELETE]" {
		t.Errorf("api behavior methods %s, want all seven", got)
	}
	if _, ok := b["functionAssociations"]; ok {
		t.Errorf("api behavior has function associations %v; API paths must never be rewritten", b["functionAssociations"])
	}

	// No domain: the default certificate, no aliases, no WAF, no logs.
	if d.Input("viewerCertificate", "cloudfrontDefaultCertificate") != true || d.Input("aliases") != nil {
		t.Errorf("without a domain: viewer certificate %v aliases %v, want the default certificate and no aliases", d.Input("viewerCertificate"), d.Input("aliases"))
	}
	if d.Input("webAclId") != nil || d.Input("loggingConfig") != nil {
		t.Errorf("without WAF and logs: webAclId %v loggingConfig %v", d.Input("webAclId"), d.Input("loggingConfig"))
	}
}

func originByID(t *testing.T, d *mockaws.Resource, id string) map[string]any {
	t.Helper()
	origins, _ := d.Input("origins").([]any)
	for _, o := range origins {
		if m, ok := o.(map[string]any); ok && m["originId"] == id {
			return m
		}
	}
	t.Fatalf("distribution has no origin %q: %v", id, origins)
	return nil
}

// TestSecurityHeaders checks the response headers policy.
func TestSecurityHeaders(t *testing.T) {
	res := mustRun(t, shape{})
	p := find(t, res, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-security-headers")
	for _, tc := range []struct {
		path []any
		want any
	}{
		{[]any{"securityHeadersConfig", "strictTransportSecurity", "accessControlMaxAgeSec"}, float64(hstsMaxAge)},
		{[]any{"securityHeadersConfig", "strictTransportSecurity", "includeSubdomains"}, true},
		{[]any{"securityHeadersConfig", "strictTransportSecurity", "override"}, true},
		{[]any{"securityHeadersConfig", "contentTypeOptions", "override"}, true},
		{[]any{"securityHeadersConfig", "frameOptions", "frameOption"}, "DENY"},
		{[]any{"securityHeadersConfig", "referrerPolicy", "referrerPolicy"}, "strict-origin-when-cross-origin"},
		{[]any{"securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy"}, DefaultContentSecurityPolicy},
	} {
		if got := p.Input(tc.path...); got != tc.want {
			t.Errorf("response headers policy %v = %v, want %v", tc.path, got, tc.want)
		}
	}
	for _, directive := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "connect-src 'self'"} {
		if !strings.Contains(DefaultContentSecurityPolicy, directive) {
			t.Errorf("default CSP lacks %q", directive)
		}
	}
	if strings.Contains(DefaultContentSecurityPolicy, "script-src 'self' 'unsafe-inline'") || strings.Contains(DefaultContentSecurityPolicy, "unsafe-eval") {
		t.Errorf("default CSP allows inline or eval'd scripts: %s", DefaultContentSecurityPolicy)
	}
}

// TestCSPInlineScriptsDocumented holds the default CSP to what docs/edge.md tells frontend
// builds: it allows no inline script (no 'unsafe-inline', hash or nonce in script-src), so the
// doc must tell Create React App users to build with INLINE_RUNTIME_CHUNK=false, and must not
// claim the default suits CRA as it is.
func TestCSPInlineScriptsDocumented(t *testing.T) {
	var scriptSrc string
	for _, d := range strings.Split(DefaultContentSecurityPolicy, ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" {
			scriptSrc = strings.Join(f[1:], " ")
		}
	}
	if scriptSrc != "'self'" {
		t.Fatalf("default script-src %q; if it allows inline scripts now, docs/edge.md's advice to CRA and Vite legacy builds is stale", scriptSrc)
	}
	raw, err := os.ReadFile("../docs/edge.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	for _, want := range []string{"INLINE_RUNTIME_CHUNK=false", "plugin-legacy", "cspHashes"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/edge.md does not mention %q: a build that inlines scripts is blank under the default CSP", want)
		}
	}
	if strings.Contains(doc, "suits a React SPA built by Vite or Create React App") {
		t.Error("docs/edge.md claims the default CSP suits Create React App as built by default")
	}
}

// TestCustomDomain checks certificates, records, TLS settings and the HTTPS origin.
func TestCustomDomain(t *testing.T) {
	res := mustRun(t, shape{domain: "www.example.com", zoneName: "example.com"})
	global := find(t, res, "pulumi:providers:aws", "aws-us-east-1")
	regional := find(t, res, "pulumi:providers:aws", "aws")

	viewer := find(t, res, tCert, "edge-viewer-cert")
	originCert := find(t, res, tCert, "origin-cert")
	for _, c := range []struct {
		r        *mockaws.Resource
		domain   string
		provider *mockaws.Resource
	}{{viewer, "www.example.com", global}, {originCert, "origin.www.example.com", regional}} {
		if c.r.Input("domainName") != c.domain || c.r.Input("validationMethod") != "DNS" || c.r.Input("keyAlgorithm") != "RSA_2048" {
			t.Errorf("certificate %s: domain %v validation %v key %v, want %s, DNS, RSA_2048", c.r.Name, c.r.Input("domainName"), c.r.Input("validationMethod"), c.r.Input("keyAlgorithm"), c.domain)
		}
		if !strings.HasPrefix(c.r.Provider, c.provider.URN+"::") {
			t.Errorf("certificate %s uses provider %q, want %s", c.r.Name, c.r.Provider, c.provider.Name)
		}
	}
	if !strings.HasPrefix(find(t, res, tCertValid, "edge-viewer-cert-validated").Provider, global.URN+"::") {
		t.Errorf("the CloudFront certificate's validation is not in us-east-1")
	}
	for _, name := range []string{"edge-viewer-cert-validation", "origin-cert-validation"} {
		r := find(t, res, tRecord, name)
		if r.Input("type") != "CNAME" || !strings.HasSuffix(fmt.Sprint(r.Input("name")), "example.com.") {
			t.Errorf("validation record %s: %v %v", name, r.Input("type"), r.Input("name"))
		}
	}

	d := find(t, res, tDistribution, "edge-cdn")
	vc := find(t, res, tCertValid, "edge-viewer-cert-validated")
	for k, want := range map[string]any{
		"acmCertificateArn":      vc.Output("certificateArn"),
		"sslSupportMethod":       "sni-only",
		"minimumProtocolVersion": "TLSv1.2_2021",
	} {
		if got := d.Input("viewerCertificate", k); got != want {
			t.Errorf("viewer certificate %s = %v, want %v", k, got, want)
		}
	}
	if d.Input("viewerCertificate", "cloudfrontDefaultCertificate") == true {
		t.Errorf("custom domain still uses the default certificate")
	}
	if fmt.Sprint(d.Input("aliases")) != "[www.example.com]" {
		t.Errorf("aliases %v, want [www.example.com]", d.Input("aliases"))
	}
	api := originByID(t, d, apiOriginID)
	coc, _ := api["customOriginConfig"].(map[string]any)
	if api["domainName"] != "origin.www.example.com" || coc["originProtocolPolicy"] != OriginHTTPSOnly || fmt.Sprint(coc["originSslProtocols"]) != "[TLSv1.2]" {
		t.Errorf("api origin %v %v, want origin.www.example.com over https-only TLSv1.2", api["domainName"], coc)
	}

	// Alias records: the site to the distribution (A and AAAA), origin.<domain> to the ALB.
	for _, tc := range []struct{ name, host, typ, target, zone string }{
		{"edge-site-record-a", "www.example.com", "A", fmt.Sprint(d.Output("domainName")), mockaws.CloudFrontHostedZoneID},
		{"edge-site-record-aaaa", "www.example.com", "AAAA", fmt.Sprint(d.Output("domainName")), mockaws.CloudFrontHostedZoneID},
		{"edge-origin-record", "origin.www.example.com", "A", fakeALBDNSName, fakeALBZoneID},
	} {
		r := find(t, res, tRecord, tc.name)
		if r.Input("name") != tc.host || r.Input("type") != tc.typ || r.Input("aliases", 0, "name") != tc.target || r.Input("aliases", 0, "zoneId") != tc.zone {
			t.Errorf("record %s: %v %v -> %v in %v, want %s %s -> %s in %s", tc.name, r.Input("name"), r.Input("type"), r.Input("aliases", 0, "name"), r.Input("aliases", 0, "zoneId"), tc.host, tc.typ, tc.target, tc.zone)
		}
	}
}

// wafRule returns the web ACL's rule named name and its index, failing the test without one.
func wafRule(t *testing.T, acl *mockaws.Resource, name string) (int, map[string]any) {
	t.Helper()
	rules, _ := acl.Input("rules").([]any)
	for i, r := range rules {
		if m := r.(map[string]any); m["name"] == name {
			return i, m
		}
	}
	t.Fatalf("web acl has no rule %q", name)
	return 0, nil
}

// wafRuleNames lists the web ACL's rules in priority order.
func wafRuleNames(acl *mockaws.Resource) string {
	rules, _ := acl.Input("rules").([]any)
	var names []string
	for _, r := range rules {
		names = append(names, fmt.Sprint(r.(map[string]any)["name"]))
	}
	return fmt.Sprint(names)
}

// dig reads a path of map keys and list indexes out of a decoded statement.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// TestWAF checks the web ACL and its attachment.
func TestWAF(t *testing.T) {
	res := mustRun(t, shape{waf: true})
	acl := find(t, res, tWebACL, "edge-waf")
	global := find(t, res, "pulumi:providers:aws", "aws-us-east-1")
	if acl.Input("scope") != "CLOUDFRONT" || !strings.HasPrefix(acl.Provider, global.URN+"::") {
		t.Errorf("web acl scope %v provider %q, want CLOUDFRONT in us-east-1", acl.Input("scope"), acl.Provider)
	}
	rules, _ := acl.Input("rules").([]any)
	for i, r := range rules {
		m := r.(map[string]any)
		if m["priority"] != float64(i) {
			t.Errorf("rule %v has priority %v, want %d", m["name"], m["priority"], i)
		}
		vc, _ := m["visibilityConfig"].(map[string]any)
		if vc["cloudwatchMetricsEnabled"] != true || vc["sampledRequestsEnabled"] != true {
			t.Errorf("rule %v: visibility %v, want metrics and sampled requests", m["name"], vc)
		}
	}
	want := "[AWSManagedRulesCommonRuleSet CoreBodyRulesExceptAPIUploads AWSManagedRulesKnownBadInputsRuleSet AWSManagedRulesAmazonIpReputationList RateLimitPerIP BodySizeLimitOutsideAPI]"
	if got := wafRuleNames(acl); got != want {
		t.Errorf("web acl rules %v, want %s (no API body limit by default)", got, want)
	}
	_, rate := wafRule(t, acl, "RateLimitPerIP")
	if got := dig(rate, "statement", "rateBasedStatement", "limit"); got != 2000.0 {
		t.Errorf("rate limit %v, want the default 2000", got)
	}
	if dig(rate, "action", "block") == nil {
		t.Errorf("the rate-based rule does not block")
	}
	if acl.Input("visibilityConfig", "cloudwatchMetricsEnabled") != true || acl.Input("visibilityConfig", "sampledRequestsEnabled") != true {
		t.Errorf("web acl visibility %v", acl.Input("visibilityConfig"))
	}
	d := find(t, res, tDistribution, "edge-cdn")
	if d.Input("webAclId") != acl.Output("arn") {
		t.Errorf("distribution webAclId %v, want the web ACL's ARN %v", d.Input("webAclId"), acl.Output("arn"))
	}
	// The default body inspection limit, stated.
	if got := acl.Input("associationConfig", "requestBodies", 0, "cloudfronts", 0, "defaultSizeInspectionLimit"); got != "KB_16" {
		t.Errorf("body inspection limit %v, want KB_16", got)
	}
	// Staying within the 1,500 WCUs the web ACL's base price includes (the mock computes the
	// capacity from the rules as AWS documents their costs).
	if c, _ := acl.Output("capacity").(float64); c <= 0 || c > 1500 {
		t.Errorf("web acl capacity %v WCUs, want at most 1500", acl.Output("capacity"))
	}
}

// TestWAFRateLimitScope checks that the rate limit counts only requests to the API: WAF sees
// every request before CloudFront's cache, and a page load's assets would otherwise count.
func TestWAFRateLimitScope(t *testing.T) {
	acl := find(t, mustRun(t, shape{waf: true}), tWebACL, "edge-waf")
	_, rate := wafRule(t, acl, "RateLimitPerIP")
	scope := dig(rate, "statement", "rateBasedStatement", "scopeDownStatement", "byteMatchStatement")
	if dig(scope, "searchString") != "/api/" || dig(scope, "positionalConstraint") != "STARTS_WITH" || dig(scope, "fieldToMatch", "uriPath") == nil {
		t.Errorf("rate limit scope-down %v, want uriPath STARTS_WITH /api/", scope)
	}
	if dig(rate, "statement", "rateBasedStatement", "aggregateKeyType") != "IP" || dig(rate, "statement", "rateBasedStatement", "evaluationWindowSec") != 300.0 {
		t.Errorf("rate limit %v, want per IP over 300 s", dig(rate, "statement"))
	}
}

// TestWAFBodyLimits checks that the core rule set's 8 KB body limit is counted, not enforced,
// and that our own rules put it back outside the API and, when asked, limit API bodies.
func TestWAFBodyLimits(t *testing.T) {
	res := mustRun(t, shape{waf: true, inspectUploads: true})
	acl := find(t, res, tWebACL, "edge-waf")
	overrides := acl.Input("rules", 0, "statement", "managedRuleGroupStatement", "ruleActionOverrides")
	if fmt.Sprint(overrides) != fmt.Sprint([]any{map[string]any{"name": "SizeRestrictions_BODY", "actionToUse": map[string]any{"count": map[string]any{}}}}) {
		t.Errorf("core rule set overrides %v, want only SizeRestrictions_BODY counted when uploads are inspected", overrides)
	}
	// Outside the API: NOT(path starts with /api/) AND body > 8192, oversize bodies match.
	_, rule := wafRule(t, acl, "BodySizeLimitOutsideAPI")
	notAPI := dig(rule, "statement", "andStatement", "statements", 0, "notStatement", "statements", 0, "byteMatchStatement")
	if dig(notAPI, "searchString") != "/api/" || dig(notAPI, "positionalConstraint") != "STARTS_WITH" || dig(notAPI, "fieldToMatch", "uriPath") == nil {
		t.Errorf("site body rule's path test %v, want uriPath STARTS_WITH /api/", notAPI)
	}
	size := dig(rule, "statement", "andStatement", "statements", 1, "sizeConstraintStatement")
	if dig(size, "size") != float64(SiteMaxBodyBytes) || dig(size, "comparisonOperator") != "GT" || dig(size, "fieldToMatch", "body", "oversizeHandling") != "MATCH" {
		t.Errorf("site body rule's size test %v, want body GT 8192 with oversize bodies matching", size)
	}
	if dig(rule, "action", "block") == nil {
		t.Error("the site body rule does not block")
	}
	if strings.Contains(wafRuleNames(acl), "CoreBodyRulesExceptAPIUploads") {
		t.Errorf("rules %s: no upload exception when uploads are inspected", wafRuleNames(acl))
	}

	// An API limit of 32 KB needs a 32 KB inspection limit, and blocks larger API bodies.
	res = mustRun(t, shape{waf: true, inspectionKB: 32, apiBodyKB: 32})
	acl = find(t, res, tWebACL, "edge-waf")
	if got := acl.Input("associationConfig", "requestBodies", 0, "cloudfronts", 0, "defaultSizeInspectionLimit"); got != "KB_32" {
		t.Errorf("body inspection limit %v, want KB_32", got)
	}
	i, api := wafRule(t, acl, "APIBodySizeLimit")
	if dig(api, "action", "block") == nil || i != len(acl.Input("rules").([]any))-1 {
		t.Fatalf("rule %d %v, want the blocking API body limit, last", i, api)
	}
	if dig(api, "statement", "andStatement", "statements", 0, "byteMatchStatement", "searchString") != "/api/" ||
		dig(api, "statement", "andStatement", "statements", 1, "sizeConstraintStatement", "size") != 32.0*1024 {
		t.Errorf("API body rule %v, want /api/ AND body > 32768", dig(api, "statement"))
	}
}

// TestWAFUploadBodyRules checks the default for uploads: the core rule set's body signature
// rules are counted, and the rule right after the group blocks on their labels every request
// but a multipart upload to the API.
func TestWAFUploadBodyRules(t *testing.T) {
	acl := find(t, mustRun(t, shape{waf: true}), tWebACL, "edge-waf")
	// Counted, each by its exact name (an override naming no rule silently does nothing).
	var counted []string
	for _, o := range acl.Input("rules", 0, "statement", "managedRuleGroupStatement", "ruleActionOverrides").([]any) {
		name := fmt.Sprint(dig(o, "name"))
		if !contains(CommonRuleSetRules, name) {
			t.Errorf("override %v names no rule of AWSManagedRulesCommonRuleSet: it would silently do nothing", name)
		}
		if dig(o, "actionToUse", "count") == nil {
			t.Errorf("override of %s %v, want count (a count keeps the rule's label)", name, o)
		}
		counted = append(counted, name)
	}
	if got := fmt.Sprint(counted); got != "[SizeRestrictions_BODY CrossSiteScripting_BODY GenericLFI_BODY GenericRFI_BODY EC2MetaDataSSRF_BODY]" {
		t.Errorf("counted core rules %s, want SizeRestrictions_BODY and the four body signature rules", got)
	}
	// The group itself is not counted or scoped down: either would stop its labels.
	if dig(acl.Input("rules", 0), "overrideAction", "none") == nil || acl.Input("rules", 0, "statement", "managedRuleGroupStatement", "scopeDownStatement") != nil {
		t.Errorf("core rule set rule %v, want override action none and no scope-down", acl.Input("rules", 0))
	}

	i, rule := wafRule(t, acl, "CoreBodyRulesExceptAPIUploads")
	if i != 1 || dig(rule, "action", "block") == nil {
		t.Errorf("upload exception is rule %d with action %v, want the blocking rule right after the core rule set (labels are seen only by later rules)", i, dig(rule, "action"))
	}
	// AND(OR(label...), NOT(AND(path starts with /api/, content-type starts with multipart/form-data)))
	var labels []string
	for _, st := range dig(rule, "statement", "andStatement", "statements", 0, "orStatement", "statements").([]any) {
		if dig(st, "labelMatchStatement", "scope") != "LABEL" {
			t.Errorf("label statement %v, want scope LABEL", st)
		}
		labels = append(labels, fmt.Sprint(dig(st, "labelMatchStatement", "key")))
	}
	// The labels AWS documents for the four rules, casing included.
	want := "[awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body awswaf:managed:aws:core-rule-set:GenericLFI_Body " +
		"awswaf:managed:aws:core-rule-set:GenericRFI_Body awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body]"
	if fmt.Sprint(labels) != want {
		t.Errorf("labels %v, want %s", labels, want)
	}
	upload := dig(rule, "statement", "andStatement", "statements", 1, "notStatement", "statements", 0, "andStatement", "statements")
	path := dig(upload, 0, "byteMatchStatement")
	if dig(path, "searchString") != "/api/" || dig(path, "positionalConstraint") != "STARTS_WITH" || dig(path, "fieldToMatch", "uriPath") == nil {
		t.Errorf("upload path test %v, want uriPath STARTS_WITH /api/", path)
	}
	ct := dig(upload, 1, "byteMatchStatement")
	if dig(ct, "fieldToMatch", "singleHeader", "name") != "content-type" || dig(ct, "searchString") != "multipart/form-data" ||
		dig(ct, "positionalConstraint") != "STARTS_WITH" || dig(ct, "textTransformations", 0, "type") != "LOWERCASE" {
		t.Errorf("upload content-type test %v, want header content-type, lower-cased, STARTS_WITH multipart/form-data", ct)
	}
	// The exception's capacity: four label matches (1 each), the path (2), the content type
	// (2 + 10 for LOWERCASE): 18 WCUs more than with uploads inspected.
	inspected := find(t, mustRun(t, shape{waf: true, inspectUploads: true}), tWebACL, "edge-waf")
	if c, c0 := acl.Output("capacity").(float64), inspected.Output("capacity").(float64); c-c0 != 18 {
		t.Errorf("capacity %v with the upload exception, %v without, want 18 WCUs apart", c, c0)
	}
}

// failingLookup is the mock engine with one provider function failing.
type failingLookup struct {
	*mockaws.Engine
	token string
}

func (f failingLookup) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token == f.token {
		return nil, errors.New("injected failure")
	}
	return f.Engine.Call(args)
}

// TestLogLookups: with logs, the component looks up the account's canonical user ID and ID
// before it registers any resource, so that a failed lookup leaves none behind; given both (as
// package stack looks them up before any tier), it looks up neither and uses them.
func TestLogLookups(t *testing.T) {
	const (
		getCanonicalUserID = "aws:s3/getCanonicalUserId:getCanonicalUserId"
		getCallerIdentity  = "aws:index/getCallerIdentity:getCallerIdentity"
	)
	for _, token := range []string{getCanonicalUserID, getCallerIdentity} {
		f := failingLookup{Engine: mockaws.New("webstack", "test", "ap-northeast-2"), token: token}
		err := pulumi.RunErr(edgeProgram(shape{logs: true}), pulumi.WithMocks("webstack", "test", f), func(info *pulumi.RunInfo) { info.DryRun = true })
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Errorf("%s failing: run error %v", token, err)
		}
		for _, r := range f.Resources() {
			if r.Custom && strings.HasPrefix(r.Name, "edge-") {
				t.Errorf("%s failing: %s %s registered before the lookup", token, r.Type, r.Name)
			}
		}
	}

	given := mustRun(t, shape{logs: true, canonicalUserID: mockaws.CanonicalUserID, accountID: mockaws.AccountID})
	for _, call := range given.Calls {
		if call == getCanonicalUserID || call == getCallerIdentity {
			t.Errorf("given the canonical user ID and the account ID, the component still calls %s", call)
		}
	}
	looked := mustRun(t, shape{logs: true})
	if !slices.Contains(looked.Calls, getCanonicalUserID) || !slices.Contains(looked.Calls, getCallerIdentity) {
		t.Errorf("not given them, the component does not look them up: calls %v", looked.Calls)
	}
	// The given values are the ones used, the same as the looked-up ones.
	for _, res := range []*mockaws.Result{given, looked} {
		if grants := fmt.Sprint(find(t, res, tACL, "edge-logs-acl").Input("accessControlPolicy", "grants")); !strings.Contains(grants, mockaws.CanonicalUserID) {
			t.Errorf("log bucket ACL grants %s, want the owner's canonical user ID", grants)
		}
		if policy := find(t, res, tPolicy, "edge-access-logs-policy").Input("policy"); !strings.Contains(fmt.Sprint(policy), mockaws.AccountID) {
			t.Errorf("access log bucket policy %v does not name the account", policy)
		}
	}
	if n := len(mustRun(t, shape{}).Calls); n != 0 {
		t.Errorf("without logs the component looks up %d things, want none", n)
	}
}

// TestLogs checks the log buckets: CloudFront's with ACLs (the only one) and the edge key, the
// S3 access logs' apart on SSE-S3.
func TestLogs(t *testing.T) {
	res := mustRun(t, shape{logs: true})
	logs := find(t, res, tBucket, "edge-logs")
	access := find(t, res, tBucket, "edge-access-logs")
	if got := find(t, res, tOwnership, "edge-logs-ownership").Input("rule", "objectOwnership"); got != "BucketOwnerPreferred" {
		t.Errorf("log bucket ownership %v, want BucketOwnerPreferred (CloudFront standard logs use ACLs)", got)
	}
	for _, name := range []string{"edge-site-ownership", "edge-access-logs-ownership"} {
		if got := find(t, res, tOwnership, name).Input("rule", "objectOwnership"); got != "BucketOwnerEnforced" {
			t.Errorf("%s %v: the ACL exception is for the CloudFront log bucket only", name, got)
		}
	}
	acl := find(t, res, tACL, "edge-logs-acl")
	grants := fmt.Sprint(acl.Input("accessControlPolicy", "grants"))
	if !strings.Contains(grants, cloudFrontLogDeliveryCanonicalID) || !strings.Contains(grants, mockaws.CanonicalUserID) {
		t.Errorf("log bucket ACL grants %s, want FULL_CONTROL for the owner and awslogsdelivery", grants)
	}
	if !contains(acl.Dependencies, find(t, res, tOwnership, "edge-logs-ownership").URN) {
		t.Errorf("log bucket ACL does not wait for the ownership controls; a new bucket refuses ACLs")
	}
	for _, b := range []*mockaws.Resource{logs, access} {
		pab := find(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.Name+"-public-access-block")
		if pab.Input("blockPublicAcls") != true || pab.Input("restrictPublicBuckets") != true {
			t.Errorf("%s public access block %v", b.Name, pab.Inputs)
		}
		lc := find(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", b.Name+"-lifecycle")
		if got := lc.Input("rules", 0, "expiration", "days"); got != 365.0 {
			t.Errorf("%s expiry %v days, want 365", b.Name, got)
		}
		// Versioned (S3.14) whatever the frontend bucket does; noncurrent versions expire.
		v := find(t, res, "aws:s3/bucketVersioningV2:BucketVersioningV2", b.Name+"-versioning")
		if v.Input("bucket") != b.ID || v.Input("versioningConfiguration", "status") != "Enabled" {
			t.Errorf("%s versioning %v, want Enabled", b.Name, v.Inputs)
		}
		if got := lc.Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays"); got != 30.0 {
			t.Errorf("%s noncurrent version expiry %v days, want 30", b.Name, got)
		}
		if !contains(lc.Dependencies, v.URN) {
			t.Errorf("%s lifecycle does not wait for versioning", b.Name)
		}
	}
	// CloudFront logs under the edge key; S3 access logs on SSE-S3, the only encryption S3
	// delivers them to.
	key := find(t, res, tKey, "edge-key")
	if got := find(t, res, tSSE, "edge-logs-encryption").Input("rules", 0, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"); got != key.Output("arn") {
		t.Errorf("CloudFront log bucket key %v, want the edge key", got)
	}
	if got := find(t, res, tSSE, "edge-access-logs-encryption").Input("rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm"); got != "AES256" {
		t.Errorf("access log bucket encryption %v, want AES256", got)
	}
	if !strings.Contains(fmt.Sprint(key.Input("policy")), logDeliveryPrincipal) {
		t.Errorf("key policy does not let CloudFront deliver logs: %v", key.Input("policy"))
	}
	al := find(t, res, tLogging, "edge-logs-site-access-logs")
	if al.Input("bucket") != find(t, res, tBucket, "edge-site").ID || al.Input("targetBucket") != access.ID || al.Input("targetPrefix") != "s3-access/site/" {
		t.Errorf("frontend bucket access logging %v, want it in the access-log bucket under s3-access/site/ (S3.9)", al.Inputs)
	}
	if !strings.Contains(fmt.Sprint(find(t, res, tPolicy, "edge-access-logs-policy").Input("policy")), "logging.s3.amazonaws.com") {
		t.Errorf("the access-log bucket's policy does not let S3 deliver")
	}
	d := find(t, res, tDistribution, "edge-cdn")
	if got := d.Input("loggingConfig", "bucket"); got != logs.Output("bucketDomainName") {
		t.Errorf("logging bucket %v, want the log bucket's domain name %v", got, logs.Output("bucketDomainName"))
	}
	if !contains(d.Dependencies, acl.URN) {
		t.Errorf("distribution does not wait for the log bucket ACL")
	}
}

// TestOriginSecret checks that the header value is a secret everywhere and never shows in
// plain data.
func TestOriginSecret(t *testing.T) {
	res := mustRun(t, shape{domain: "www.example.com", zoneName: "example.com"})
	pw := find(t, res, "random:index/randomPassword:RandomPassword", "origin-header")
	if pw.Input("length") != 48.0 || pw.Input("special") != false {
		t.Errorf("secret length %v special %v, want 48 letters and digits", pw.Input("length"), pw.Input("special"))
	}
	value, ok := pw.State["result"]
	if !ok || !value.IsSecret() {
		t.Fatalf("random password result is not a secret: %v", value)
	}
	clear := value.SecretValue().Element.StringValue()
	for _, r := range res.Resources {
		b, _ := json.Marshal(mockaws.PlainMap(r.Inputs))
		s, _ := json.Marshal(mockaws.PlainMap(r.State))
		if strings.Contains(string(b)+string(s), clear) {
			t.Errorf("%s %q shows the origin secret in clear", r.Type, r.Name)
		}
	}
	d := find(t, res, tDistribution, "edge-cdn")
	api := d.Inputs["origins"].ArrayValue()[1].ObjectValue()
	header := api["customHeaders"].ArrayValue()[0].ObjectValue()["value"]
	if !header.IsSecret() && !(header.IsOutput() && header.OutputValue().Secret) {
		t.Errorf("the distribution's origin header value is not a secret input: %v", header)
	}
}

// TestEdgeArgsErrors checks that bad args fail before anything is registered.
func TestEdgeArgsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    shape
		mod  func(*EdgeArgs)
		want string
	}{
		{"https without domain", shape{}, func(a *EdgeArgs) { a.OriginProtocol = OriginHTTPSOnly }, `origin protocol "https-only" does not match`},
		{"no alb", shape{}, func(a *EdgeArgs) { a.ALBDomainName = nil }, "alb domain name is required"},
		{"no us-east-1 provider", shape{waf: true}, func(a *EdgeArgs) { a.GlobalProvider = nil }, "us-east-1 provider is required"},
		{"rate limit below the provider's minimum", shape{waf: true}, func(a *EdgeArgs) { a.WAFRateLimit = 50 }, "waf rate limit 50 is not between 100 and 2000000000"},
		{"inspection limit", shape{waf: true}, func(a *EdgeArgs) { a.WAFBodyInspectionKB = 8 }, "waf body inspection limit 8 KB is not one of [16 32 48 64]"},
		{"api body limit above inspection", shape{waf: true}, func(a *EdgeArgs) { a.WAFAPIMaxBodyKB = 17 }, "waf api body limit 17 KB is not between 0 and the inspection limit, 16 KB"},
		{"api prefix too long for a byte match", shape{waf: true}, func(a *EdgeArgs) { a.APIPathPattern = "/" + strings.Repeat("a", 50) + "/*" }, "is longer than the 50 bytes a WAF byte match can search for"},
		{"bad price class", shape{}, func(a *EdgeArgs) { a.PriceClass = "PriceClass_50" }, `price class "PriceClass_50"`},
		{"catch-all api pattern", shape{}, func(a *EdgeArgs) { a.APIPathPattern = "/*" }, `api path pattern "/*"`},
		{"dot-dot segment", shape{}, func(a *EdgeArgs) { a.APIPathPattern = "/../*" }, `api path pattern "/../*" has a ".." segment, which no request path keeps`},
		{"dot segment", shape{}, func(a *EdgeArgs) { a.APIPathPattern = "/api/./v1/*" }, `api path pattern "/api/./v1/*" has a "." segment`},
		{"domain without alb zone", shape{domain: "www.example.com", zoneName: "example.com"}, func(a *EdgeArgs) { a.ALBZoneID = nil }, "alb dns name and zone id are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
				global, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
				if err != nil {
					return err
				}
				origin, err := NewOrigin(ctx, "origin", &OriginArgs{Domain: tc.s.domain, HostedZoneName: tc.s.zoneName})
				if err != nil {
					return err
				}
				a := &EdgeArgs{Origin: origin, ALBDomainName: pulumi.String(fakeALBDNSName), ALBDNSName: pulumi.String(fakeALBDNSName),
					ALBZoneID: pulumi.String(fakeALBZoneID), GlobalProvider: global, DisableWAF: !tc.s.waf}
				tc.mod(a)
				_, err = NewEdge(ctx, "edge", a)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if _, err := NewOrigin(nil, "origin", &OriginArgs{Domain: "www.example.com"}); err == nil || !strings.Contains(err.Error(), "exactly one of a hosted zone") {
		t.Errorf("origin with a domain and no zone: %v", err)
	}
}

func TestDotSegment(t *testing.T) {
	for pattern, want := range map[string]string{"/api/*": "", "/../*": "..", "/api/./*": ".", "/v1.2/*": "", "/.well-known/api/*": "", "/.../*": ""} {
		if got := DotSegment(pattern); got != want {
			t.Errorf("DotSegment(%q) = %q, want %q", pattern, got, want)
		}
	}
}

func TestAPIBasePath(t *testing.T) {
	for pattern, want := range map[string]string{"/api/*": "/api", "/api/v1/*": "/api/v1", "/backend/*": "/backend"} {
		if got := APIBasePath(pattern); got != want {
			t.Errorf("APIBasePath(%q) = %q, want %q", pattern, got, want)
		}
	}
}

// TestSecureDefaults: an edge whose optional args are all left unset gets the secure choices:
// the WAF web ACL, CloudFront and access logs, and versioned, protected buckets.
func TestSecureDefaults(t *testing.T) {
	res, err := mockaws.Run("webstack", "test", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		global, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		origin, err := NewOrigin(ctx, "origin", &OriginArgs{})
		if err != nil {
			return err
		}
		_, err = NewEdge(ctx, "edge", &EdgeArgs{Origin: origin, ALBDomainName: pulumi.String(fakeALBDNSName), GlobalProvider: global})
		return err
	})
	if err != nil {
		t.Fatalf("zero-valued optional args: %v", err)
	}
	if n := count(res, tWebACL); n != 1 {
		t.Errorf("%d web ACLs, want the WAF on by default", n)
	}
	if res.Find(tBucket, "edge-logs") == nil || res.Find(tBucket, "edge-access-logs") == nil {
		t.Error("no log buckets, want CloudFront and access logs on by default")
	}
	if res.Find("aws:s3/bucketVersioningV2:BucketVersioningV2", "edge-site-versioning") == nil {
		t.Error("frontend bucket not versioned, want versioning on by default")
	}
	if d := find(t, res, tDistribution, "edge-cdn"); d.Input("loggingConfig") == nil {
		t.Error("distribution has no logging config")
	}
	for _, b := range res.ByType(tBucket) {
		if !b.Protect {
			t.Errorf("bucket %s is not protected, want Pulumi's protect by default", b.Name)
		}
	}
}
