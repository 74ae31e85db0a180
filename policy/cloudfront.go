package policy

import (
	"fmt"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// CloudFront distribution checks.
func init() {
	register(cloudFrontViewerChecks()...)
	register(cloudFrontOriginChecks()...)
	register(cloudFrontProductionChecks()...)
}

// cloudFrontViewerChecks judge what a viewer reaches and how: a default root object, HTTPS on
// every cache behavior, and https-only where a behavior accepts a request body.
func cloudFrontViewerChecks() []*Check {
	return []*Check{
		&Check{
			ID: "CloudFront.1", Title: "CloudFront distributions should have a default root object",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "defaultRootObject")) == "" {
					return bad("%s, want e.g. \"index.html\"", field(r, "defaultRootObject"))
				}
				return ok("%s", field(r, "defaultRootObject"))
			},
		},
		&Check{
			ID: "CloudFront.3", Title: "CloudFront distributions should require HTTPS from viewers",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				paths := []string{"defaultCacheBehavior.viewerProtocolPolicy"}
				values := []any{in(r, "defaultCacheBehavior.viewerProtocolPolicy")}
				for i, b := range list(in(r, "orderedCacheBehaviors")) {
					paths = append(paths, fmt.Sprintf("orderedCacheBehaviors[%d].viewerProtocolPolicy", i))
					values = append(values, obj(b)["viewerProtocolPolicy"])
				}
				for i, v := range values {
					if p := str(v); p != "redirect-to-https" && p != "https-only" {
						return bad("%s is %s, want \"redirect-to-https\" or \"https-only\"", paths[i], show(v))
					}
				}
				return ok("every cache behavior requires HTTPS")
			},
		},
		&Check{
			ID: "webstack/cloudfront-https-bodies", Title: "CloudFront behaviors that accept request bodies should be https-only",
			Severity: Medium, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: bodiesHTTPSOnly,
		},
	}
}

// bodiesHTTPSOnly fails a distribution whose cache behavior accepts POST, PUT, PATCH or DELETE
// without viewerProtocolPolicy https-only.
func bodiesHTTPSOnly(s *Stack, r *mockaws.Resource) Verdict {
	// A redirect to HTTPS comes after the request (its body, cookies and
	// Authorization header) crossed the network in clear, and CloudFront answers a
	// POST with 307 or 403, a GET with 301; https-only refuses plain HTTP at once.
	// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html
	type behavior struct {
		path string
		b    map[string]any
	}
	all := []behavior{{"defaultCacheBehavior", obj(in(r, "defaultCacheBehavior"))}}
	for i, b := range list(in(r, "orderedCacheBehaviors")) {
		all = append(all, behavior{fmt.Sprintf("orderedCacheBehaviors[%d]", i), obj(b)})
	}
	n := 0
	for _, b := range all {
		var body []string
		for _, m := range strs(b.b["allowedMethods"]) {
			if m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" {
				body = append(body, m)
			}
		}
		if len(body) == 0 {
			continue
		}
		n++
		if p := str(b.b["viewerProtocolPolicy"]); p != "https-only" {
			label := b.path
			if pp := str(b.b["pathPattern"]); pp != "" {
				label += fmt.Sprintf(" (%q)", pp)
			}
			return bad("%s accepts %s with viewerProtocolPolicy %s, want \"https-only\": a body sent over HTTP has crossed the network in clear before any redirect",
				label, strings.Join(body, ", "), show(b.b["viewerProtocolPolicy"]))
		}
	}
	if n == 0 {
		return skip("no behavior accepts a request body")
	}
	return ok("%d behavior(s) that accept bodies are https-only", n)
}

// cloudFrontOriginChecks judge the distribution's origins: TLS to custom origins, and S3 origins
// that belong to this stack and use origin access control.
func cloudFrontOriginChecks() []*Check {
	return []*Check{
		&Check{
			ID: "CloudFront.9", Title: "CloudFront should encrypt traffic to custom origins",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: customOrigins(func(i int, c map[string]any) string {
				if p := str(c["originProtocolPolicy"]); p != "https-only" {
					return fmt.Sprintf("origins[%d].customOriginConfig.originProtocolPolicy is %s, want \"https-only\"", i, show(c["originProtocolPolicy"]))
				}
				return ""
			}),
		},
		&Check{
			ID: "CloudFront.10", Title: "CloudFront should not use deprecated SSL/TLS protocols to custom origins",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: customOrigins(func(i int, c map[string]any) string {
				for _, p := range strs(c["originSslProtocols"]) {
					if p == "SSLv3" || p == "TLSv1" || p == "TLSv1.1" {
						return fmt.Sprintf("origins[%d].customOriginConfig.originSslProtocols is %s, which includes %q; want [\"TLSv1.2\"]", i, show(c["originSslProtocols"]), p)
					}
				}
				return ""
			}),
		},
		&Check{
			ID: "CloudFront.12", Title: "CloudFront S3 origins should point to a bucket of this stack",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: s3Origins(func(s *Stack, i int, o map[string]any) string {
				domain := str(o["domainName"])
				for _, b := range s.ByType(bucketTypes...) {
					if domain == str(b.Output("bucketRegionalDomainName")) || domain == str(b.Output("bucketDomainName")) {
						return ""
					}
				}
				return fmt.Sprintf("origins[%d].domainName is %s, which is not the bucketRegionalDomainName of a bucket in this stack", i, show(o["domainName"]))
			}),
		},
		&Check{
			ID: "CloudFront.13", Title: "CloudFront S3 origins should use origin access control",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: s3Origins(func(s *Stack, i int, o map[string]any) string {
				if str(o["originAccessControlId"]) == "" {
					return fmt.Sprintf("origins[%d] (%s): originAccessControlId is not set", i, show(o["domainName"]))
				}
				return ""
			}),
		},
	}
}

// cloudFrontProductionChecks hold what production asks of a distribution beyond the rest:
// request logs, a WAF web ACL, a custom certificate served with SNI and a current TLS policy,
// and origin failover.
func cloudFrontProductionChecks() []*Check {
	return []*Check{
		&Check{
			ID: "CloudFront.5", Title: "CloudFront distributions should log requests",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "loggingConfig.bucket")) == "" {
					return bad("%s", field(r, "loggingConfig.bucket"))
				}
				return ok("%s", field(r, "loggingConfig.bucket"))
			},
		},
		&Check{
			ID: "CloudFront.6", Title: "CloudFront distributions should have a WAF web ACL",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "webAclId")) == "" {
					return bad("%s, want a WAFv2 web ACL ARN (scope CLOUDFRONT)", field(r, "webAclId"))
				}
				return ok("web ACL attached")
			},
		},
		&Check{
			ID: "CloudFront.7", Title: "CloudFront distributions should use a custom TLS certificate",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isTrue(in(r, "viewerCertificate.cloudfrontDefaultCertificate")) || str(in(r, "viewerCertificate.acmCertificateArn")) == "" {
					return bad("viewerCertificate.cloudfrontDefaultCertificate is %s and viewerCertificate.acmCertificateArn is %s; want an ACM certificate (us-east-1) and aliases",
						show(in(r, "viewerCertificate.cloudfrontDefaultCertificate")), show(in(r, "viewerCertificate.acmCertificateArn")))
				}
				return ok("ACM certificate %s", show(in(r, "viewerCertificate.acmCertificateArn")))
			},
		},
		&Check{
			ID: "CloudFront.8", Title: "CloudFront distributions should serve HTTPS with SNI",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "viewerCertificate.sslSupportMethod")) != "sni-only" {
					return bad("%s, want \"sni-only\"", field(r, "viewerCertificate.sslSupportMethod"))
				}
				return ok("%s", field(r, "viewerCertificate.sslSupportMethod"))
			},
		},
		&Check{
			ID: "CloudFront.15", Title: "CloudFront distributions should use the recommended TLS security policy",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				v := str(in(r, "viewerCertificate.minimumProtocolVersion"))
				if !strings.HasPrefix(v, "TLSv1.2_2021") && !strings.HasPrefix(v, "TLSv1.2_2025") && !strings.HasPrefix(v, "TLSv1.3") {
					return bad("%s (not set means \"TLSv1\"), want \"TLSv1.2_2021\"", field(r, "viewerCertificate.minimumProtocolVersion"))
				}
				return ok("%s", field(r, "viewerCertificate.minimumProtocolVersion"))
			},
		},
		&Check{
			ID: "CloudFront.4", Title: "CloudFront distributions should have origin failover",
			Severity: Low, Scope: ProductionOnly, Standard: FSBP, Types: []string{contract.TypeCloudFrontDistribution},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				for i, g := range list(in(r, "originGroups")) {
					if len(list(obj(g)["members"])) < 2 {
						return bad("originGroups[%d].members is %s, want two origins", i, show(obj(g)["members"]))
					}
				}
				if len(list(in(r, "originGroups"))) == 0 {
					return bad("%s", field(r, "originGroups"))
				}
				return ok("origin group with failover")
			},
		},
	}
}

// customOrigins judges every custom origin of a distribution; judge returns a failure or "".
func customOrigins(judge func(i int, c map[string]any) string) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		n := 0
		for i, o := range list(in(r, "origins")) {
			c := obj(obj(o)["customOriginConfig"])
			if c == nil {
				continue
			}
			n++
			if msg := judge(i, c); msg != "" {
				return bad("%s", msg)
			}
		}
		if n == 0 {
			return skip("no custom origin")
		}
		return ok("%d custom origin(s) comply", n)
	}
}

// s3Origins judges every S3 origin (an origin without customOriginConfig whose domain is an S3
// endpoint, or with s3OriginConfig) of a distribution.
func s3Origins(judge func(s *Stack, i int, o map[string]any) string) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		n := 0
		for i, raw := range list(in(r, "origins")) {
			o := obj(raw)
			if o["customOriginConfig"] != nil || (o["s3OriginConfig"] == nil && !strings.Contains(str(o["domainName"]), ".s3.")) {
				continue
			}
			n++
			if msg := judge(s, i, o); msg != "" {
				return bad("%s", msg)
			}
		}
		if n == 0 {
			return skip("no S3 origin")
		}
		return ok("%d S3 origin(s) comply", n)
	}
}
