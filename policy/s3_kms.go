package policy

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// S3 encryption with KMS keys, and the services that must be able to use a bucket's key.
func init() {
	register(
		&Check{
			ID: "S3.17", Title: "S3 buckets should be encrypted at rest with AWS KMS keys (SSE-KMS or DSSE-KMS)",
			Severity: Medium, Scope: AllStacks, Standard: NIST, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				cfgs := s.Referring(r, contract.TypeS3BucketServerSideEncryptionConfigurationV2, "bucket")
				if len(cfgs) == 0 {
					return bad("no %s has bucket = %s, so S3 applies SSE-S3", contract.TypeS3BucketServerSideEncryptionConfigurationV2, show(bucketName(r)))
				}
				def, _ := sseDefault(cfgs[0])
				switch alg := str(def["sseAlgorithm"]); alg {
				case "aws:kms", "aws:kms:dsse":
					return ok("encryption %s: %q under %s", cfgs[0].Name, alg, show(def["kmsMasterKeyId"]))
				default:
					return bad("encryption %s: rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is %s, want \"aws:kms\" (or \"aws:kms:dsse\") with a customer managed key",
						cfgs[0].Name, show(def["sseAlgorithm"]))
				}
			},
		},
		&Check{
			ID: "webstack/s3-kms-access", Title: "AWS services that read or write an SSE-KMS bucket should be allowed to use its key",
			Severity: High, Scope: AllStacks, Standard: Webstack, Types: bucketTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				cfgs := s.Referring(r, contract.TypeS3BucketServerSideEncryptionConfigurationV2, "bucket")
				if len(cfgs) == 0 {
					return skip("no default encryption configured")
				}
				def, bucketKey := sseDefault(cfgs[0])
				if alg := str(def["sseAlgorithm"]); alg != "aws:kms" && alg != "aws:kms:dsse" {
					return skip("not encrypted with KMS")
				}
				needs, err := kmsUsers(s, r, bucketKey)
				if err != nil {
					return bad("%v", err)
				}
				if len(needs) == 0 {
					return skip("no AWS service of the stack reads or writes it")
				}
				keyRef := def["kmsMasterKeyId"]
				key := s.Ref(keyRef, contract.TypeKMSKey)
				if key == nil {
					return bad("kmsMasterKeyId is %s, not a KMS key of this stack whose policy lets %s use it (an AWS managed key's policy cannot be changed)",
						show(keyRef), needs[0].who)
				}
				if !known(in(key, "policy")) {
					return skip("key policy unknown until apply")
				}
				sts, err := parsePolicy(in(key, "policy"))
				if err != nil {
					return bad("key %s: %v", key.Name, err)
				}
				var who []string
				for _, n := range needs {
					for _, action := range n.actions {
						if !grantsFor(sts, n.service, action, n.sourceARN) {
							return bad("the policy of key %s does not allow %s %s%s: %s", key.Name, n.service, action, n.forWhat(), n.fails)
						}
					}
					who = append(who, n.who)
				}
				return ok("key %s lets %s use it", key.Name, strings.Join(who, " and "))
			},
		},
	)
}

// sseDefault returns the first rule's default encryption of a configuration, and whether the
// rule enables an S3 Bucket Key.
func sseDefault(cfg *mockaws.Resource) (map[string]any, bool) {
	rules := list(in(cfg, "rules"))
	if len(rules) == 0 {
		return nil, false
	}
	rule := obj(rules[0])
	return obj(rule["applyServerSideEncryptionByDefault"]), isTrue(rule["bucketKeyEnabled"])
}

// kmsNeed is what one AWS service needs of a bucket's key.
type kmsNeed struct {
	// who names the user in messages ("distribution cdn through OAC").
	who string
	// service is the service principal; sourceArn, if any, the AWS:SourceArn it acts for.
	service, sourceARN string
	actions            []string
	// fails says what happens without the grant.
	fails string
}

func (n kmsNeed) forWhat() string {
	if n.sourceARN == "" {
		return ""
	}
	return " for " + n.sourceARN
}

// kmsUsers returns what the AWS services that use a bucket need of its KMS key: CloudFront
// reading it as an OAC origin, CloudFront delivering standard logs to it. A bucket S3 server
// access logs are delivered to is an error: S3 delivers them only to SSE-S3 buckets.
func kmsUsers(s *Stack, r *mockaws.Resource, bucketKey bool) ([]kmsNeed, error) {
	var needs []kmsNeed
	for _, l := range s.ByType(contract.TypeS3BucketLoggingV2) {
		if s.Ref(in(l, "targetBucket"), r.Type) == r {
			// https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html
			return nil, fmt.Errorf("%s delivers S3 server access logs here, and S3 delivers them only to buckets encrypted with SSE-S3 (AES256)", l.Name)
		}
	}
	regional, global := str(r.Output("bucketRegionalDomainName")), str(r.Output("bucketDomainName"))
	for _, d := range s.ByType(contract.TypeCloudFrontDistribution) {
		arn := str(d.Output("arn"))
		for _, raw := range list(in(d, "origins")) {
			o := obj(raw)
			domain := str(o["domainName"])
			if str(o["originAccessControlId"]) == "" || domain == "" || (domain != regional && domain != global) {
				continue
			}
			// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html#oac-permissions-sse-kms
			needs = append(needs, kmsNeed{
				who: fmt.Sprintf("distribution %s through OAC", d.Name), service: "cloudfront.amazonaws.com", sourceARN: arn,
				actions: []string{"kms:Decrypt"}, fails: "CloudFront is refused every object of the bucket (403)",
			})
		}
		if logs := str(in(d, "loggingConfig.bucket")); logs != "" && (logs == global || s.Ref(strings.TrimSuffix(logs, ".s3.amazonaws.com"), r.Type) == r) {
			// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#AccessLogsKMSPermissions
			actions := []string{"kms:GenerateDataKey"}
			if bucketKey {
				actions = append(actions, "kms:Decrypt")
			}
			needs = append(needs, kmsNeed{
				who: fmt.Sprintf("distribution %s's standard logs", d.Name), service: "delivery.logs.amazonaws.com",
				actions: actions, fails: "its standard logs are never delivered",
			})
		}
	}
	return needs, nil
}

// grantsFor reports whether key policy statements let a service principal do an action,
// acting for sourceArn when one is given: an Allow names the service and the action (exactly,
// as a prefix with "*", or through "kms:*"), and its AWS:SourceArn condition, if any, matches
// sourceArn; no unconditioned Deny takes it away.
func grantsFor(sts []statement, service, action, sourceARN string) bool {
	grants := func(st statement) bool {
		for _, a := range st.Action {
			if a == action || a == "kms:*" || a == "*" || (strings.HasSuffix(a, "*") && strings.HasPrefix(action, strings.TrimSuffix(a, "*"))) {
				return true
			}
		}
		return false
	}
	allowed := false
	for _, st := range sts {
		names := contains(strs(obj(st.Principal)["Service"]), service)
		switch {
		case st.Effect == "Deny" && len(st.Condition) == 0 && (names || st.publicPrincipal()) && grants(st):
			return false
		case st.Effect == "Allow" && names && grants(st) && sourceMatches(st, sourceARN):
			allowed = true
		}
	}
	return allowed
}

// sourceMatches reports whether a statement's AWS:SourceArn conditions, if any, admit arn.
func sourceMatches(st statement, arn string) bool {
	for op, cond := range st.Condition {
		for k, v := range obj(cond) {
			if !strings.EqualFold(k, "aws:SourceArn") {
				continue
			}
			admitted := false
			for _, want := range strs(v) {
				switch op {
				case "StringEquals", "ArnEquals":
					admitted = admitted || want == arn
				case "StringLike", "ArnLike":
					admitted = admitted || globMatch(want, arn)
				}
			}
			if !admitted {
				return false
			}
		}
	}
	return true
}

// globMatch matches s against an IAM wildcard pattern: "*" is any run of characters ("/"
// included), "?" any one.
func globMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, c := range pattern {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String()).MatchString(s)
}
