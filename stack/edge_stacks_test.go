package stack_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/plan"
	"github.com/webstack/webstack/stack"
)

// TestEdgeOnStackFiles runs the whole program on each real stack file and checks the edge
// tier's promises: a private bucket readable only by its distribution, HTTPS for viewers,
// the SPA router on the default behavior, the API behavior with the secret header, security
// headers, the ALB closed to everything but CloudFront, and the outputs.
func TestEdgeOnStackFiles(t *testing.T) {
	for _, tc := range []struct {
		stack         string
		domain        bool
		waf, logs     bool
		port          int
		protect       bool
		versioning    bool
		siteURLPrefix string
	}{
		{"prod", true, true, true, 443, true, true, "https://www.example.com"},
		{"dev", false, false, false, 80, false, false, "https://d"},
		{"test", false, false, true, 80, false, true, "https://d"},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			p, res, err := plan.Run("..", tc.stack)
			if err != nil {
				t.Fatal(err)
			}
			one := func(typ, name string) *mockaws.Resource {
				t.Helper()
				r := res.Find(typ, name)
				if r == nil {
					t.Fatalf("%s: no %s %q", tc.stack, typ, name)
				}
				return r
			}
			counts := res.Counts()
			if n := counts["aws:wafv2/webAcl:WebAcl"]; (n == 1) != tc.waf {
				t.Errorf("%d web ACLs, want waf=%v", n, tc.waf)
			}
			if r := res.Find("aws:s3/bucketV2:BucketV2", "edge-logs"); (r != nil) != tc.logs {
				t.Errorf("log bucket present=%v, want logs=%v", r != nil, tc.logs)
			}
			if n := counts["aws:acm/certificate:Certificate"]; (n == 2) != tc.domain || (n == 0) == tc.domain {
				t.Errorf("%d certificates, want 2 with a domain and 0 without", n)
			}

			site := one("aws:s3/bucketV2:BucketV2", "edge-site")
			if site.Protect != tc.protect {
				t.Errorf("frontend bucket protect=%v, want %v", site.Protect, tc.protect)
			}
			if v := res.Find("aws:s3/bucketVersioningV2:BucketVersioningV2", "edge-site-versioning"); (v != nil) != tc.versioning {
				t.Errorf("frontend bucket versioning present=%v, want %v", v != nil, tc.versioning)
			}
			pab := one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "edge-site-public-access-block")
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if pab.Input(k) != true {
					t.Errorf("frontend bucket %s = %v", k, pab.Input(k))
				}
			}
			if one("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "edge-site-encryption") == nil {
				t.Error("frontend bucket not encrypted")
			}
			d := one("aws:cloudfront/distribution:Distribution", "edge-cdn")
			policy := fmt.Sprint(one("aws:s3/bucketPolicy:BucketPolicy", "edge-site-policy").Input("policy"))
			if !strings.Contains(policy, fmt.Sprint(d.Output("arn"))) || !strings.Contains(policy, `"aws:SecureTransport":"false"`) {
				t.Errorf("frontend bucket policy does not name the distribution or deny plain HTTP: %s", policy)
			}
			if d.Input("defaultRootObject") != "index.html" || d.Input("defaultCacheBehavior", "viewerProtocolPolicy") != "redirect-to-https" ||
				d.Input("defaultCacheBehavior", "functionAssociations", 0, "eventType") != "viewer-request" ||
				d.Input("orderedCacheBehaviors", 0, "pathPattern") != "/api/*" ||
				d.Input("orderedCacheBehaviors", 0, "viewerProtocolPolicy") != "https-only" ||
				d.Input("defaultCacheBehavior", "responseHeadersPolicyId") == nil {
				t.Errorf("distribution: root %v, viewer policy %v, function %v, api %v", d.Input("defaultRootObject"),
					d.Input("defaultCacheBehavior", "viewerProtocolPolicy"), d.Input("defaultCacheBehavior", "functionAssociations"), d.Input("orderedCacheBehaviors"))
			}
			if got := d.Input("origins", 1, "customHeaders", 0); fmt.Sprint(got) != fmt.Sprint(map[string]any{"name": edge.OriginHeaderName, "value": mockaws.Secret}) {
				t.Errorf("api origin header %v, want the secret %s", got, edge.OriginHeaderName)
			}
			if tc.waf && d.Input("webAclId") == nil || tc.logs && d.Input("loggingConfig") == nil {
				t.Errorf("webAclId %v loggingConfig %v", d.Input("webAclId"), d.Input("loggingConfig"))
			}

			// The ALB: the production port from CloudFront's prefix list only.
			albSG := one("aws:ec2/securityGroup:SecurityGroup", "net-alb-sg")
			for _, r := range res.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
				port := r.Input("fromPort")
				web := port == 80.0 || port == 443.0
				if web && (r.Input("cidrIpv4") != nil || r.Input("cidrIpv6") != nil) ||
					web && r.Input("securityGroupId") == albSG.ID && r.Input("prefixListId") != mockaws.CloudFrontPrefixListID {
					t.Errorf("ingress %s opens %v to %v %v, not CloudFront's prefix list", r.Name, port, r.Input("cidrIpv4"), r.Input("referencedSecurityGroupId"))
				}
				if r.Input("cidrIpv4") == "0.0.0.0/0" {
					t.Errorf("ingress %s is open to 0.0.0.0/0", r.Name)
				}
			}
			if one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", fmt.Sprintf("net-alb-from-cloudfront-%d", tc.port)) == nil {
				t.Errorf("no CloudFront ingress on %d", tc.port)
			}

			// Outputs.
			for _, name := range []string{contract.OutFrontendBucketName, contract.OutCloudFrontDistributionID, contract.OutCloudFrontDomainName, contract.OutSiteURL, contract.OutAPIURL} {
				if v, ok := p.Outputs[name].(string); !ok || v == "" {
					t.Errorf("output %s = %v", name, p.Outputs[name])
				}
			}
			siteURL := fmt.Sprint(p.Outputs[contract.OutSiteURL])
			if !strings.HasPrefix(siteURL, tc.siteURLPrefix) || p.Outputs[contract.OutAPIURL] != siteURL+"/api" {
				t.Errorf("siteUrl %v apiUrl %v", siteURL, p.Outputs[contract.OutAPIURL])
			}
			if !regexp.MustCompile(`^E[0-9A-Z]+$`).MatchString(fmt.Sprint(p.Outputs[contract.OutCloudFrontDistributionID])) {
				t.Errorf("distribution id %v", p.Outputs[contract.OutCloudFrontDistributionID])
			}
			if p.Outputs[contract.OutFrontendBucketName] != site.Output("bucket") {
				t.Errorf("frontendBucketName %v, want the bucket %v", p.Outputs[contract.OutFrontendBucketName], site.Output("bucket"))
			}

			// The origin secret never shows in the plan, as text or JSON.
			pw := one("random:index/randomPassword:RandomPassword", "origin-header")
			clear := pw.State["result"].SecretValue().Element.StringValue()
			if len(clear) != 48 {
				t.Fatalf("mock secret %q", clear)
			}
			var text, js bytes.Buffer
			if err := p.Text(&text); err != nil {
				t.Fatal(err)
			}
			if err := p.JSON(&js); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text.String(), clear) || strings.Contains(js.String(), clear) {
				t.Errorf("the origin secret appears in the plan output")
			}
			var outputs map[string]any
			_ = json.Unmarshal(js.Bytes(), &struct{ Outputs *map[string]any }{&outputs})
			for k, v := range outputs {
				if strings.Contains(fmt.Sprint(v), clear) {
					t.Errorf("output %s carries the origin secret", k)
				}
			}
		})
	}
}

// TestUploadsOnStackFiles: every stack file turns uploads on; the bucket is protected and
// retained where the file protects the edge, CloudFront serves it under /uploads/*, the
// instance role may write and read its objects and use its key, and uploadsBucketName is the
// bucket.
func TestUploadsOnStackFiles(t *testing.T) {
	for _, tc := range []struct {
		stack   string
		protect bool
		cors    string
	}{
		{"prod", true, "[https://www.example.com]"},
		{"dev", false, "[http://localhost:5173]"},
		{"test", false, ""},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			p, res, err := plan.Run("..", tc.stack)
			if err != nil {
				t.Fatal(err)
			}
			b := res.Find("aws:s3/bucketV2:BucketV2", "uploads-bucket")
			if b == nil {
				t.Fatal("no uploads bucket")
			}
			if b.Protect != tc.protect || b.RetainOnDelete != tc.protect {
				t.Errorf("uploads bucket protect %v retainOnDelete %v, want %v", b.Protect, b.RetainOnDelete, tc.protect)
			}
			if k := res.Find("aws:kms/key:Key", "uploads-key"); k == nil || k.Protect != tc.protect {
				t.Errorf("uploads key %v, want protect %v", k, tc.protect)
			}
			if p.Outputs[contract.OutUploadsBucketName] != b.Output("bucket") {
				t.Errorf("uploadsBucketName %v, want %v", p.Outputs[contract.OutUploadsBucketName], b.Output("bucket"))
			}
			d := res.Find("aws:cloudfront/distribution:Distribution", "edge-cdn")
			if d.Input("orderedCacheBehaviors", 1, "pathPattern") != "/uploads/*" || d.Input("orderedCacheBehaviors", 1, "targetOriginId") != "uploads-bucket" {
				t.Errorf("uploads behavior %v", d.Input("orderedCacheBehaviors"))
			}
			c := res.Find("aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2", "uploads-bucket-cors")
			if got := ""; c != nil {
				got = fmt.Sprint(c.Input("corsRules", 0, "allowedOrigins"))
				if got != tc.cors {
					t.Errorf("cors origins %s, want %s", got, tc.cors)
				}
			} else if tc.cors != "" {
				t.Errorf("no CORS configuration, want %s", tc.cors)
			}
			role := res.Find("aws:iam/rolePolicy:RolePolicy", "app-instance-uploads")
			if role == nil {
				t.Fatal("no uploads policy on the instance role")
			}
			pol := fmt.Sprint(role.Input("policy"))
			key := res.Find("aws:kms/key:Key", "uploads-key")
			if !strings.Contains(pol, `"Resource":"`+fmt.Sprint(b.Output("arn"))+`/*"`) || !strings.Contains(pol, `"Resource":"`+fmt.Sprint(key.Output("arn"))+`"`) ||
				!strings.Contains(pol, `"s3:PutObject"`) || strings.Contains(pol, "s3:ListBucket") || strings.Contains(pol, "s3:DeleteObject") || strings.Contains(pol, `"*"`) {
				t.Errorf("instance role uploads policy %s", pol)
			}
		})
	}
}

// TestUploadsOff: with uploads off nothing of them is registered and uploadsBucketName is "".
func TestUploadsOff(t *testing.T) {
	sf, err := plan.Load("..", "dev")
	if err != nil {
		t.Fatal(err)
	}
	off, err := sf.WithSection("webstack:edge", func(m map[string]any) { m["uploads"] = map[string]any{"enabled": false} })
	if err != nil {
		t.Fatal(err)
	}
	res, err := mockaws.Run(off.Project, off.Stack, mockaws.Options{Config: off.Values, Region: "ap-northeast-2"},
		func(ctx *pulumi.Context) error { return stack.Run(ctx, off.Values) })
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Resources {
		if strings.Contains(r.Name, "uploads") {
			t.Errorf("uploads off registers %s %s", r.Type, r.Name)
		}
	}
	if v := res.Outputs[contract.OutUploadsBucketName]; v != "" {
		t.Errorf("uploadsBucketName %v, want \"\"", v)
	}
}
