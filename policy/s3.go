package policy

import (
	"fmt"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// S3 bucket checks. Buckets are configured by companion resources (the V2 API of pulumi-aws
// v6: BucketPublicAccessBlock, BucketPolicy, ...) whose `bucket` input names the bucket.
func init() {
	register(s3AccessChecks()...)
	register(s3DataChecks()...)
}

// s3AccessChecks judge who may reach a bucket and how: the public access block, no public grant
// in a bucket policy, TLS required, and ACLs disabled.
func s3AccessChecks() []*Check {
	return []*Check{
		&Check{
			ID: "S3.8", Title: "S3 buckets should block public access at the bucket level",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				blocks := s.Referring(r, contract.TypeS3BucketPublicAccessBlock, "bucket")
				if len(blocks) == 0 {
					return bad("no %s has bucket = %s", contract.TypeS3BucketPublicAccessBlock, show(bucketName(r)))
				}
				b := blocks[0]
				for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					if !isTrue(in(b, f)) {
						return bad("public access block %s: %s, want true", b.Name, field(b, f))
					}
				}
				return ok("public access block %s sets all four settings", b.Name)
			},
		},
		&Check{
			ID: "S3.2", Title: "S3 bucket policies should not grant access to everyone",
			Severity: Critical, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeS3BucketPolicy},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				p := in(r, "policy")
				if !known(p) {
					return skip("policy unknown until apply")
				}
				sts, err := parsePolicy(p)
				if err != nil {
					return bad("%v", err)
				}
				for i, st := range sts {
					if st.Effect == "Allow" && st.publicPrincipal() && len(st.Condition) == 0 {
						return bad("policy %s allows Principal \"*\" %s without a condition", st.describe(i), show(st.Action))
					}
				}
				return ok("no unconditioned public grant")
			},
		},
		&Check{
			ID: "S3.5", Title: "S3 buckets should require requests to use TLS",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				policies := s.Referring(r, contract.TypeS3BucketPolicy, "bucket")
				if len(policies) == 0 {
					return bad("no %s has bucket = %s, so nothing denies aws:SecureTransport = false", contract.TypeS3BucketPolicy, show(bucketName(r)))
				}
				for _, bp := range policies {
					if !known(in(bp, "policy")) {
						return skip("policy unknown until apply")
					}
					sts, err := parsePolicy(in(bp, "policy"))
					if err != nil {
						return bad("bucket policy %s: %v", bp.Name, err)
					}
					for _, st := range sts {
						if st.Effect == "Deny" && denysInsecureTransport(st) {
							return ok("bucket policy %s denies requests without TLS", bp.Name)
						}
					}
				}
				return bad("bucket policy %s has no Deny statement with Condition Bool aws:SecureTransport = \"false\"", policies[0].Name)
			},
		},
		&Check{
			ID: "S3.12", Title: "S3 buckets should disable ACLs (BucketOwnerEnforced)",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				controls := s.Referring(r, contract.TypeS3BucketOwnershipControls, "bucket")
				if len(controls) == 0 {
					return bad("no %s has bucket = %s", contract.TypeS3BucketOwnershipControls, show(bucketName(r)))
				}
				if v := str(in(controls[0], "rule.objectOwnership")); v != "BucketOwnerEnforced" {
					return bad("ownership controls %s: %s, want \"BucketOwnerEnforced\"", controls[0].Name, field(controls[0], "rule.objectOwnership"))
				}
				return ok("ownership controls %s enforce bucket ownership", controls[0].Name)
			},
		},
	}
}

// s3DataChecks judge what becomes of a bucket's objects: server access logs, a lifecycle rule,
// versioning, and explicit default encryption.
func s3DataChecks() []*Check {
	return []*Check{
		&Check{
			ID: "S3.9", Title: "S3 buckets should have server access logging (log buckets excepted)",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if logs := s.Referring(r, contract.TypeS3BucketLoggingV2, "bucket"); len(logs) > 0 {
					return ok("logs to %s (%s)", show(in(logs[0], "targetBucket")), logs[0].Name)
				}
				if what := logDestination(s, r); what != "" {
					return skip("log bucket of %s", what)
				}
				return bad("no %s has bucket = %s", contract.TypeS3BucketLoggingV2, show(bucketName(r)))
			},
		},
		&Check{
			ID: "S3.13", Title: "S3 buckets should have a lifecycle configuration",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				configs := s.Referring(r, contract.TypeS3BucketLifecycleConfigurationV2, "bucket")
				if len(configs) == 0 {
					return bad("no %s has bucket = %s", contract.TypeS3BucketLifecycleConfigurationV2, show(bucketName(r)))
				}
				for _, lc := range configs {
					for _, rule := range list(in(lc, "rules")) {
						if str(obj(rule)["status"]) == "Enabled" {
							return ok("lifecycle configuration %s has an enabled rule", lc.Name)
						}
					}
				}
				return bad("lifecycle configuration %s has no rule with status \"Enabled\": %s", configs[0].Name, field(configs[0], "rules"))
			},
		},
		&Check{
			ID: "S3.14", Title: "S3 buckets should have versioning enabled",
			Severity: Low, Scope: AllStacks, Standard: NIST, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				v := s.Referring(r, contract.TypeS3BucketVersioningV2, "bucket")
				if len(v) == 0 {
					return bad("no %s has bucket = %s", contract.TypeS3BucketVersioningV2, show(bucketName(r)))
				}
				if st := str(in(v[0], "versioningConfiguration.status")); st != "Enabled" {
					return bad("versioning %s: %s, want \"Enabled\"", v[0].Name, field(v[0], "versioningConfiguration.status"))
				}
				return ok("versioning %s is enabled", v[0].Name)
			},
		},
		&Check{
			ID: "webstack/s3-encryption", Title: "S3 buckets should set default server-side encryption explicitly",
			Severity: Medium, Scope: AllStacks, Standard: Webstack, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				cfgs := s.Referring(r, contract.TypeS3BucketServerSideEncryptionConfigurationV2, "bucket")
				if len(cfgs) == 0 {
					return bad("no %s has bucket = %s", contract.TypeS3BucketServerSideEncryptionConfigurationV2, show(bucketName(r)))
				}
				for i, rule := range list(in(cfgs[0], "rules")) {
					alg := obj(obj(rule)["applyServerSideEncryptionByDefault"])["sseAlgorithm"]
					switch str(alg) {
					case "AES256", "aws:kms", "aws:kms:dsse":
					default:
						return bad("encryption %s: rules[%d].applyServerSideEncryptionByDefault.sseAlgorithm is %s", cfgs[0].Name, i, show(alg))
					}
				}
				if len(list(in(cfgs[0], "rules"))) == 0 {
					return bad("encryption %s has no rules", cfgs[0].Name)
				}
				return ok("encryption %s sets a default algorithm", cfgs[0].Name)
			},
		},
	}
}

// bucketName returns a bucket's name as the companion resources reference it.
func bucketName(r *mockaws.Resource) any {
	if b := r.Output("bucket"); b != nil {
		return b
	}
	return r.ID
}

// denysInsecureTransport reports whether a Deny statement's condition is
// Bool aws:SecureTransport = false.
func denysInsecureTransport(st statement) bool {
	for op, cond := range st.Condition {
		if op != "Bool" {
			continue
		}
		for k, v := range obj(cond) {
			if strings.EqualFold(k, "aws:SecureTransport") {
				for _, x := range list(v) {
					if isFalse(x) {
						return true
					}
				}
			}
		}
	}
	return false
}

// logDestination says what writes logs into a bucket ("" when nothing does): a bucket's
// access logs, an ALB's access logs or a CloudFront distribution's standard logs.
func logDestination(s *Stack, r *mockaws.Resource) string {
	for _, l := range s.ByType(contract.TypeS3BucketLoggingV2) {
		if s.Ref(in(l, "targetBucket"), r.Type) == r {
			return fmt.Sprintf("%s's access logs", l.Name)
		}
	}
	for _, lb := range s.ByType(loadBalancerTypes...) {
		if s.Ref(in(lb, "accessLogs.bucket"), r.Type) == r {
			return fmt.Sprintf("load balancer %s", lb.Name)
		}
	}
	for _, d := range s.ByType(contract.TypeCloudFrontDistribution) {
		domain := str(in(d, "loggingConfig.bucket"))
		if domain != "" && (domain == str(r.Output("bucketDomainName")) || s.Ref(strings.TrimSuffix(domain, ".s3.amazonaws.com"), r.Type) == r) {
			return fmt.Sprintf("distribution %s", d.Name)
		}
	}
	return ""
}
