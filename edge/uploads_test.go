package edge

import (
	"fmt"
	"strings"
	"testing"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

func uploadsShape(u UploadsArgs) shape {
	return shape{waf: true, logs: true, versioning: true, inspectionKB: DefaultBodyInspectionKB, uploads: &u}
}

// TestUploadsBucket: private, versioned, SSE-KMS under its own key with a Bucket Key, the
// lifecycle rule with an empty filter, and a policy that lets only this distribution read it,
// over TLS.
func TestUploadsBucket(t *testing.T) {
	res := mustRun(t, uploadsShape(UploadsArgs{IncompleteUploadDays: 3, NoncurrentVersionDays: 14, DisableProtect: true}))
	b := find(t, res, contract.TypeS3BucketV2, "uploads-bucket")
	if b.Protect || b.RetainOnDelete || b.Input("forceDestroy") != true {
		t.Errorf("unprotected uploads bucket: protect %v retain %v forceDestroy %v", b.Protect, b.RetainOnDelete, b.Input("forceDestroy"))
	}
	if !strings.HasPrefix(fmt.Sprint(b.Input("bucketPrefix")), "webstack-test-uploads-") {
		t.Errorf("bucketPrefix %v", b.Input("bucketPrefix"))
	}
	if o := find(t, res, contract.TypeS3BucketOwnershipControls, "uploads-bucket-ownership"); o.Input("rule", "objectOwnership") != "BucketOwnerEnforced" {
		t.Errorf("ownership %v", o.Input("rule"))
	}
	pab := find(t, res, contract.TypeS3BucketPublicAccessBlock, "uploads-bucket-public-access-block")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab.Input(k) != true {
			t.Errorf("%s = %v", k, pab.Input(k))
		}
	}
	if v := find(t, res, contract.TypeS3BucketVersioningV2, "uploads-bucket-versioning"); v.Input("versioningConfiguration", "status") != "Enabled" {
		t.Errorf("versioning %v", v.Input("versioningConfiguration"))
	}
	lc := find(t, res, contract.TypeS3BucketLifecycleConfigurationV2, "uploads-bucket-lifecycle")
	rule := lc.Input("rules", 0)
	if lc.Input("rules", 0, "abortIncompleteMultipartUpload", "daysAfterInitiation") != 3.0 ||
		lc.Input("rules", 0, "noncurrentVersionExpiration", "noncurrentDays") != 14.0 ||
		lc.Input("rules", 0, "filter", "tag") != nil || lc.Input("rules", 0, "filter", "and") != nil || lc.Input("rules", 0, "status") != "Enabled" {
		t.Errorf("lifecycle rule %v: want abort after 3 days, noncurrent after 14, no tag filter", rule)
	}
	key := find(t, res, contract.TypeKMSKey, "uploads-key")
	sse := find(t, res, contract.TypeS3BucketServerSideEncryptionConfigurationV2, "uploads-bucket-encryption")
	if sse.Input("rules", 0, "applyServerSideEncryptionByDefault", "sseAlgorithm") != "aws:kms" ||
		sse.Input("rules", 0, "applyServerSideEncryptionByDefault", "kmsMasterKeyId") != key.Output("arn") ||
		sse.Input("rules", 0, "bucketKeyEnabled") != true {
		t.Errorf("encryption %v, want aws:kms under %v with a Bucket Key", sse.Input("rules"), key.Output("arn"))
	}
	if key.Input("enableKeyRotation") != true || key.Input("policy") != nil {
		t.Errorf("uploads key: rotation %v, policy %v (want rotation and the default policy until the key policy)", key.Input("enableKeyRotation"), key.Input("policy"))
	}
	if a := find(t, res, contract.TypeKMSAlias, "uploads-key-alias"); a.Input("name") != "alias/webstack-test-uploads" {
		t.Errorf("alias %v", a.Input("name"))
	}

	d := find(t, res, contract.TypeCloudFrontDistribution, "edge-cdn")
	dist := fmt.Sprint(d.Output("arn"))
	pol := find(t, res, contract.TypeS3BucketPolicy, "uploads-bucket-policy")
	doc := decodePolicy(t, fmt.Sprint(pol.Input("policy")))
	if len(doc.Statement) != 2 {
		t.Fatalf("uploads bucket policy has %d statements, want 2: %v", len(doc.Statement), pol.Input("policy"))
	}
	read, deny := doc.Statement[0], doc.Statement[1]
	if read.Effect != "Allow" || fmt.Sprint(read.Principal) != "map[Service:cloudfront.amazonaws.com]" || read.Action != "s3:GetObject" ||
		read.Resource != fmt.Sprint(b.Output("arn"))+"/*" || read.Condition["StringEquals"]["AWS:SourceArn"] != dist {
		t.Errorf("read statement %+v: want CloudFront GetObject on the objects for %s only", read, dist)
	}
	if deny.Effect != "Deny" || deny.Condition["Bool"]["aws:SecureTransport"] != "false" {
		t.Errorf("deny statement %+v: want no request without TLS", deny)
	}
	if !contains(pol.Dependencies, string(d.URN)) {
		t.Errorf("uploads bucket policy does not wait for the distribution")
	}
	kp := find(t, res, contract.TypeKMSKeyPolicy, "uploads-key-policy")
	kdoc := decodePolicy(t, fmt.Sprint(kp.Input("policy")))
	if kp.Input("keyId") != key.Output("keyId") || len(kdoc.Statement) != 2 ||
		kdoc.Statement[0].Action != "kms:*" || fmt.Sprint(kdoc.Statement[0].Principal) != "map[AWS:arn:aws:iam::123456789012:root]" ||
		kdoc.Statement[1].Action != "kms:Decrypt" || kdoc.Statement[1].Condition["StringEquals"]["AWS:SourceArn"] != dist {
		t.Errorf("uploads key policy %v: want the account's root and CloudFront's Decrypt for %s", kp.Input("policy"), dist)
	}
	if res.Find(contract.TypeS3BucketCORSConfigurationV2, "uploads-bucket-cors") != nil {
		t.Error("a CORS configuration without origins")
	}
	// With logs, the uploads bucket's access logs go to the access-log bucket under their own
	// prefix, which its policy lets the uploads bucket (and only it) write.
	logging := find(t, res, contract.TypeS3BucketLoggingV2, "uploads-bucket-access-logs")
	if logging.Input("bucket") != b.ID || logging.Input("targetPrefix") != "s3-access/uploads/" {
		t.Errorf("uploads access logging %v -> %v %v", logging.Input("bucket"), logging.Input("targetBucket"), logging.Input("targetPrefix"))
	}
	alp := fmt.Sprint(find(t, res, contract.TypeS3BucketPolicy, "edge-access-logs-policy").Input("policy"))
	if !strings.Contains(alp, `"AllowS3ServerAccessLogsOfUploads"`) || !strings.Contains(alp, "/s3-access/uploads/*") || !strings.Contains(alp, fmt.Sprint(b.Output("arn"))) {
		t.Errorf("access-log bucket policy does not admit the uploads bucket's logs: %s", alp)
	}
}

// TestUploadsProtected: by default the bucket and the key are protected and retained.
func TestUploadsProtected(t *testing.T) {
	res := mustRun(t, uploadsShape(UploadsArgs{}))
	for _, r := range []*mockaws.Resource{find(t, res, contract.TypeS3BucketV2, "uploads-bucket"), find(t, res, contract.TypeKMSKey, "uploads-key")} {
		if !r.Protect || !r.RetainOnDelete {
			t.Errorf("%s: protect %v retainOnDelete %v, want both", r.Name, r.Protect, r.RetainOnDelete)
		}
	}
	if b := find(t, res, contract.TypeS3BucketV2, "uploads-bucket"); b.Input("forceDestroy") != false {
		t.Errorf("protected bucket forceDestroy %v", b.Input("forceDestroy"))
	}
}

// TestUploadsBehavior: a second origin through the OAC, no origin path, and a GET/HEAD
// behavior after the API's, cached by CachingOptimized with the site's security headers.
func TestUploadsBehavior(t *testing.T) {
	res := mustRun(t, uploadsShape(UploadsArgs{PathPattern: "/media/*"}))
	d := find(t, res, contract.TypeCloudFrontDistribution, "edge-cdn")
	b := find(t, res, contract.TypeS3BucketV2, "uploads-bucket")
	o := originByID(t, d, uploadsOriginID)
	if o["domainName"] != b.Output("bucketRegionalDomainName") || o["originAccessControlId"] == nil || o["originPath"] != nil || o["s3OriginConfig"] != nil {
		t.Errorf("uploads origin %v: want the regional endpoint through OAC, no origin path", o)
	}
	if n := len(d.Input("origins").([]any)); n != 3 {
		t.Errorf("%d origins, want 3", n)
	}
	if d.Input("orderedCacheBehaviors", 0, "pathPattern") != "/api/*" {
		t.Errorf("behavior 0 is %v, want the API's first", d.Input("orderedCacheBehaviors", 0, "pathPattern"))
	}
	be := func(path ...any) any { return d.Input(append([]any{"orderedCacheBehaviors", 1}, path...)...) }
	if be("pathPattern") != "/media/*" || be("targetOriginId") != uploadsOriginID || be("cachePolicyId") != CachingOptimizedPolicyID ||
		fmt.Sprint(be("allowedMethods")) != "[GET HEAD]" || fmt.Sprint(be("cachedMethods")) != "[GET HEAD]" ||
		be("viewerProtocolPolicy") != "redirect-to-https" ||
		be("originRequestPolicyId") != nil || be("functionAssociations") != nil {
		t.Errorf("uploads behavior %v", d.Input("orderedCacheBehaviors", 1))
	}
	// Uploaded files get a policy of their own: no script, sandboxed; never the site's, under
	// which an uploaded page could run an uploaded script as 'self'.
	h := find(t, res, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-uploads-security-headers")
	if be("responseHeadersPolicyId") != h.ID || be("responseHeadersPolicyId") == d.Input("defaultCacheBehavior", "responseHeadersPolicyId") {
		t.Errorf("uploads behavior's headers policy %v, want edge-uploads-security-headers (%v), not the site's", be("responseHeadersPolicyId"), h.ID)
	}
	if got := h.Input("securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy"); got != UploadsContentSecurityPolicy {
		t.Errorf("uploads CSP %v, want %q", got, UploadsContentSecurityPolicy)
	}
	if got := h.Input("securityHeadersConfig", "contentTypeOptions", "override"); got != true {
		t.Errorf("uploads nosniff override %v", got)
	}
	if UploadsKeyPrefix("/media/*") != "media/" || UploadsKeyPrefix("/a/b/*") != "a/b/" {
		t.Errorf("key prefixes %q %q", UploadsKeyPrefix("/media/*"), UploadsKeyPrefix("/a/b/*"))
	}
	// Without uploads the distribution is as before: two origins, one ordered behavior.
	plain := find(t, mustRun(t, shape{waf: true, logs: true, versioning: true, inspectionKB: DefaultBodyInspectionKB}), contract.TypeCloudFrontDistribution, "edge-cdn")
	if len(plain.Input("origins").([]any)) != 2 || len(plain.Input("orderedCacheBehaviors").([]any)) != 1 {
		t.Errorf("without uploads: origins %v behaviors %v", plain.Input("origins"), plain.Input("orderedCacheBehaviors"))
	}
}

// TestUploadsCORS: with origins, one rule allowing PUT from exactly them, exposing ETag, and the
// bucket's host in the CSP's connect-src; without, no CORS configuration and the CSP as given.
func TestUploadsCORS(t *testing.T) {
	res := mustRun(t, uploadsShape(UploadsArgs{CORSOrigins: []string{"https://www.acme.io", "http://localhost:5173"}}))
	c := find(t, res, contract.TypeS3BucketCORSConfigurationV2, "uploads-bucket-cors")
	if fmt.Sprint(c.Input("corsRules", 0, "allowedMethods")) != "[PUT]" || fmt.Sprint(c.Input("corsRules", 0, "allowedOrigins")) != "[https://www.acme.io http://localhost:5173]" ||
		fmt.Sprint(c.Input("corsRules", 0, "exposeHeaders")) != "[ETag]" || len(c.Input("corsRules").([]any)) != 1 {
		t.Errorf("cors rules %v", c.Input("corsRules"))
	}
	b := find(t, res, contract.TypeS3BucketV2, "uploads-bucket")
	csp := fmt.Sprint(find(t, res, contract.TypeCloudFrontResponseHeadersPolicy, "edge-security-headers").Input("securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy"))
	if !strings.Contains(csp, "connect-src 'self' https://"+fmt.Sprint(b.Output("bucketRegionalDomainName"))+";") {
		t.Errorf("CSP does not let the page PUT to the bucket: %s", csp)
	}
	off := mustRun(t, uploadsShape(UploadsArgs{}))
	csp = fmt.Sprint(find(t, off, contract.TypeCloudFrontResponseHeadersPolicy, "edge-security-headers").Input("securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy"))
	if csp != DefaultContentSecurityPolicy {
		t.Errorf("CSP without CORS: %s", csp)
	}
}

func TestCSPWithConnectSource(t *testing.T) {
	for _, tc := range []struct{ csp, want string }{
		{"default-src 'self'; connect-src 'self'", "default-src 'self'; connect-src 'self' https://b"},
		{"default-src 'self' https://x; img-src *", "default-src 'self' https://x; img-src *; connect-src 'self' https://x https://b"},
		{"img-src 'self'", "img-src 'self'"},
	} {
		if got := CSPWithConnectSource(tc.csp, "https://b"); got != tc.want {
			t.Errorf("CSPWithConnectSource(%q) = %q, want %q", tc.csp, got, tc.want)
		}
	}
}

func TestUploadsArgsErrors(t *testing.T) {
	for _, tc := range []struct {
		args UploadsArgs
		want string
	}{
		{UploadsArgs{PathPattern: "/uploads"}, `uploads path pattern "/uploads" is not a fixed prefix followed by /*`},
		{UploadsArgs{PathPattern: "/../*"}, `uploads path pattern "/../*" has a ".." segment`},
		{UploadsArgs{IncompleteUploadDays: 366}, "incomplete upload days 366 is not between 1 and 365"},
		{UploadsArgs{NoncurrentVersionDays: -1}, "uploads noncurrent version days -1 is not between 1 and 365"},
		{UploadsArgs{CORSOrigins: []string{"https://www.acme.io/app"}}, `cors origin "https://www.acme.io/app" has more than scheme, host and port`},
		{UploadsArgs{CORSOrigins: []string{"http://www.acme.io"}}, `cors origin "http://www.acme.io" is not https://`},
		{UploadsArgs{CORSOrigins: []string{"https://*.acme.io"}}, `has a wildcard`},
	} {
		_, err := runEdge(t, uploadsShape(tc.args))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.args, err, tc.want)
		}
	}
	// The uploads path may not overlap the API's.
	_, err := runEdge(t, uploadsShape(UploadsArgs{PathPattern: "/api/uploads/*"}))
	if err == nil || !strings.Contains(err.Error(), `uploads path pattern "/api/uploads/*" overlaps the api path pattern "/api/*"`) {
		t.Errorf("overlap: %v", err)
	}
	if err := CheckCORSOrigin("http://localhost:5173", false); err == nil {
		t.Error("localhost accepted where it is not allowed")
	}
}
