package edge

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedRuleGroups are the AWS managed rule groups the web ACL evaluates, in priority order:
// the core rule set (OWASP top-10 style), known bad inputs (Log4Shell and similar) and the
// Amazon IP reputation list.
var ManagedRuleGroups = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

// CommonRuleSetRules are the rules of AWSManagedRulesCommonRuleSet, as the WAF developer guide
// lists them ("Core rule set (CRS) managed rule group"). An action override must name one of
// them: AWS does not tell a misspelt name from a real one, the override just never applies.
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
var CommonRuleSetRules = []string{
	"NoUserAgent_HEADER", "UserAgent_BadBots_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_Cookie_HEADER",
	"SizeRestrictions_BODY", "SizeRestrictions_URIPATH", "EC2MetaDataSSRF_BODY", "EC2MetaDataSSRF_COOKIE",
	"EC2MetaDataSSRF_URIPATH", "EC2MetaDataSSRF_QUERYARGUMENTS", "GenericLFI_QUERYARGUMENTS", "GenericLFI_URIPATH",
	"GenericLFI_BODY", "RestrictedExtensions_URIPATH", "RestrictedExtensions_QUERYARGUMENTS", "GenericRFI_QUERYARGUMENTS",
	"GenericRFI_BODY", "GenericRFI_URIPATH", "CrossSiteScripting_COOKIE", "CrossSiteScripting_QUERYARGUMENTS",
	"CrossSiteScripting_BODY", "CrossSiteScripting_URIPATH",
}

// CommonRuleSetBodyRule is the core rule set's rule that blocks every request body over 8 KB
// (SiteMaxBodyBytes). The web ACL counts it instead and enforces the limit itself, outside the
// API only.
const CommonRuleSetBodyRule = "SizeRestrictions_BODY"

// A ManagedRule is one rule of an AWS managed rule group and the label it adds to every request
// it matches, as the WAF developer guide lists them (the label's casing differs from the rule's:
// CrossSiteScripting_BODY labels awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body). A
// label match on a misspelt label matches nothing, so a typo here would silently turn a
// blocking rule into a count.
type ManagedRule struct {
	Name, Label string
}

// UploadBodyRules are the core rule set's rules that inspect a request body for attack
// signatures (cross-site scripting, local and remote file inclusion, EC2 metadata SSRF). They
// read the first inspection limit of every body, and the bytes of an image or a PDF match them
// at random, so image uploads are answered 403 now and then (CrossSiteScripting_BODY and
// GenericLFI_BODY in cds-snc/platform-forms-client#434, which cites AWS's knowledge center
// article waf-upload-blocked-files). Unless uploads are inspected too
// (webACLArgs.inspectUploads), the web ACL counts them, and its rule
// CoreBodyRulesExceptAPIUploads blocks on their labels every request but a multipart/form-data
// one to the API.
//
// KnownBadInputs' body rules (JavaDeserializationRCE_BODY, Log4JRCE_BODY, ReactJSRCE_BODY) are
// deliberately not among them: they match exploit strings (JNDI lookups, Java deserialization
// gadgets, React Server Components payloads) that the bytes of an image do not form, and an
// attacker can put any such payload in a multipart form field (frameworks hand form fields to
// the application like any other parameter), so exempting multipart requests from them would
// give up remote-code-execution protection against false positives the reports of blocked
// uploads do not show.
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-baseline.html
var UploadBodyRules = []ManagedRule{
	{"CrossSiteScripting_BODY", "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body"},
	{"GenericLFI_BODY", "awswaf:managed:aws:core-rule-set:GenericLFI_Body"},
	{"GenericRFI_BODY", "awswaf:managed:aws:core-rule-set:GenericRFI_Body"},
	{"EC2MetaDataSSRF_BODY", "awswaf:managed:aws:core-rule-set:EC2MetaDataSSRF_Body"},
}

// UploadContentType is the media type of the uploads the core body rules let through on the
// API path: an HTML form's or FormData's file upload (RFC 7578). The Content-Type header is
// compared in lower case, from its start ("multipart/form-data; boundary=...").
const UploadContentType = "multipart/form-data"

// SiteMaxBodyBytes is the largest request body the web ACL lets through outside the API path:
// the 8 KB (8,192 bytes) of the core rule set's SizeRestrictions_BODY. Nothing but the API
// takes a body (the site's behavior allows only GET, HEAD and OPTIONS).
const SiteMaxBodyBytes = 8192

// Body inspection limits of a CloudFront web ACL, in KB: the default and the values its
// AssociationConfig accepts (KB_16 … KB_64). WAF sees at most this much of a body; larger
// bodies are "oversize" and a rule's OversizeHandling decides. Inspecting more than 16 KB costs
// extra per request that has a larger body.
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-setting-body-inspection-limit.html
const DefaultBodyInspectionKB = 16

// BodyInspectionLimitsKB are the body inspection limits a CloudFront web ACL accepts.
var BodyInspectionLimitsKB = []int{16, 32, 48, 64}

// Rate limits WAFv2 rate-based rules accept through pulumi-aws v6 (the provider's schema
// validates 100 to 2,000,000,000, although the WAF API itself accepts 10; pulumi/pulumi-aws#5841).
const (
	MinRateLimit = 100
	MaxRateLimit = 2_000_000_000
)

// webACLArgs shape the web ACL.
type webACLArgs struct {
	// rateLimit is the per-IP limit per 5 minutes of requests to the API.
	rateLimit int
	// apiPrefix is the path prefix routed to the API, with its trailing slash ("/api/").
	apiPrefix string
	// inspectionKB is the body inspection limit (BodyInspectionLimitsKB).
	inspectionKB int
	// apiMaxBodyKB is the largest API request body let through, or 0 for no WAF limit.
	apiMaxBodyKB int
	// inspectUploads keeps UploadBodyRules blocking on multipart uploads to the API too.
	inspectUploads bool
}

// newWebACL registers the distribution's WAFv2 web ACL (CloudFront scope, so opts must carry
// the us-east-1 provider): the managed rule groups, a rate limit per client IP on the API, and
// the body rules. Every rule emits CloudWatch metrics and keeps sampled requests.
//
// Request bodies. The core rule set's SizeRestrictions_BODY would block every body over 8 KB,
// JSON requests and uploads through the API included. It is counted instead (its label still
// marks the request), and two rules of our own restore a body limit where it belongs:
//   - BodySizeLimitOutsideAPI blocks a body over SiteMaxBodyBytes on any path that is not the
//     API's: the 8 KB the core rule set enforced, where no body is expected;
//   - APIBodySizeLimit (only with apiMaxBodyKB > 0) blocks an API body over apiMaxBodyKB.
//
// A size constraint compares the part of the body WAF received, at most inspectionKB, so a
// limit above the inspection limit could never match; both rules treat an oversize body as a
// match, which is right because each limit is at most the inspection limit.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html
//
// Uploads. Unless inspectUploads, the core rule set's body signature rules (UploadBodyRules)
// are counted too, and CoreBodyRulesExceptAPIUploads, evaluated right after the group, blocks a
// request that carries one of their labels unless it is a multipart/form-data request to the
// API path: every JSON body, every body outside the API, keeps their protection. A rule whose
// action is overridden is handled "exactly as if the configured rule's action were the override
// setting": Count is non-terminating and a matching rule still labels the request, which is why
// the override is per rule (RuleActionOverrides) and the group is neither scoped down nor
// counted as a whole. A label match sees the labels of the rules evaluated before it.
// https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html
//
// Rate. The rate-based rule counts only requests to the API (a scope-down statement): WAF
// evaluates every request before CloudFront's cache, so a limit on every request would count
// each asset of a page load, and offices or mobile carriers that share one address (NAT, CGNAT)
// would reach it while browsing; assets are served from the cache and never load the origin.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
func newWebACL(ctx *pulumi.Context, name string, a webACLArgs, opts ...pulumi.ResourceOption) (*wafv2.WebAcl, error) {
	metric := func(n string) pulumi.StringInput { return pulumi.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), n) }
	args := &wafv2.WebAclArgs{
		Description:      pulumi.String("CloudFront web ACL: AWS managed rules, a per-IP rate limit on the API and request body rules"),
		Scope:            pulumi.String("CLOUDFRONT"),
		DefaultAction:    &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:            webACLRules(a, metric),
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true), SampledRequestsEnabled: pulumi.Bool(true), MetricName: metric("waf")},
	}
	// Sent even at the default, so that the plan shows how much of a body WAF sees.
	args.AssociationConfig = &wafv2.WebAclAssociationConfigArgs{
		RequestBodies: wafv2.WebAclAssociationConfigRequestBodyArray{&wafv2.WebAclAssociationConfigRequestBodyArgs{
			Cloudfronts: wafv2.WebAclAssociationConfigRequestBodyCloudfrontArray{&wafv2.WebAclAssociationConfigRequestBodyCloudfrontArgs{
				DefaultSizeInspectionLimit: pulumi.String(InspectionLimit(a.inspectionKB)),
			}},
		}},
	}
	acl, err := wafv2.NewWebAcl(ctx, name+"-waf", args, opts...)
	if err != nil {
		return nil, fmt.Errorf("web acl: %w", err)
	}
	return acl, nil
}

// ruleVisibility is what a web ACL rule emits: CloudWatch metrics and sampled requests, under
// the metric name metric makes of the rule's short name.
type ruleVisibility func(n string) *wafv2.WebAclRuleVisibilityConfigArgs

// blockAction is the action of every rule of our own: block the request.
func blockAction() *wafv2.WebAclRuleActionArgs {
	return &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}}
}

// webACLRules are the web ACL's rules in priority order (0, 1, …): the managed rule groups
// (with CoreBodyRulesExceptAPIUploads after the core rule set), the API's rate limit, then the
// body size limits.
func webACLRules(a webACLArgs, metric func(string) pulumi.StringInput) wafv2.WebAclRuleArray {
	visibility := ruleVisibility(func(n string) *wafv2.WebAclRuleVisibilityConfigArgs {
		return &wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			SampledRequestsEnabled:   pulumi.Bool(true),
			MetricName:               metric(n),
		}
	})
	ordered := managedRules(a, visibility)
	ordered = append(ordered, rateLimitRule(a, visibility))
	ordered = append(ordered, bodySizeRules(a, visibility)...)
	var rules wafv2.WebAclRuleArray
	for _, r := range ordered {
		r.Priority = pulumi.Int(len(rules))
		rules = append(rules, r)
	}
	return rules
}

// managedRules are the AWS managed rule groups, in ManagedRuleGroups order. The core rule set
// (the first) counts its body size rule and, unless inspectUploads, its body signature rules,
// and is followed by CoreBodyRulesExceptAPIUploads, which blocks what those would have blocked
// but an upload to the API.
func managedRules(a webACLArgs, visibility ruleVisibility) []*wafv2.WebAclRuleArgs {
	var rules []*wafv2.WebAclRuleArgs
	for _, group := range ManagedRuleGroups {
		statement := &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
			VendorName: pulumi.String("AWS"),
			Name:       pulumi.String(group),
		}
		if group == ManagedRuleGroups[0] {
			counted := []string{CommonRuleSetBodyRule}
			if !a.inspectUploads {
				for _, r := range UploadBodyRules {
					counted = append(counted, r.Name)
				}
			}
			statement.RuleActionOverrides = countOverrides(counted)
		}
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name: pulumi.String(group),
			// none: the group's own block/count actions apply (but for the overrides above).
			OverrideAction:   &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement:        &wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: statement},
			VisibilityConfig: visibility(group),
		})
		if group == ManagedRuleGroups[0] && !a.inspectUploads {
			rules = append(rules, &wafv2.WebAclRuleArgs{
				Name:             pulumi.String("CoreBodyRulesExceptAPIUploads"),
				Action:           blockAction(),
				Statement:        uploadBodyRulesStatement(a.apiPrefix),
				VisibilityConfig: visibility("core-body-rules"),
			})
		}
	}
	return rules
}

// rateLimitRule blocks a client IP that sends more than rateLimit requests to the API in five
// minutes.
func rateLimitRule(a webACLArgs, visibility ruleVisibility) *wafv2.WebAclRuleArgs {
	return &wafv2.WebAclRuleArgs{
		Name:   pulumi.String("RateLimitPerIP"),
		Action: blockAction(),
		Statement: &wafv2.WebAclRuleStatementArgs{
			RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
				Limit:               pulumi.Int(a.rateLimit),
				AggregateKeyType:    pulumi.String("IP"),
				EvaluationWindowSec: pulumi.Int(300),
				ScopeDownStatement:  apiScopeDown(a.apiPrefix),
			},
		},
		VisibilityConfig: visibility("rate-limit"),
	}
}

// bodySizeRules are BodySizeLimitOutsideAPI and, with apiMaxBodyKB > 0, APIBodySizeLimit.
func bodySizeRules(a webACLArgs, visibility ruleVisibility) []*wafv2.WebAclRuleArgs {
	rules := []*wafv2.WebAclRuleArgs{{
		Name:   pulumi.String("BodySizeLimitOutsideAPI"),
		Action: blockAction(),
		Statement: &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
			Statements: wafv2.WebAclRuleStatementArray{
				&wafv2.WebAclRuleStatementArgs{NotStatement: &wafv2.WebAclRuleStatementNotStatementArgs{
					Statements: wafv2.WebAclRuleStatementArray{pathStartsWith(a.apiPrefix)},
				}},
				bodyLargerThan(SiteMaxBodyBytes),
			},
		}},
		VisibilityConfig: visibility("body-size-site"),
	}}
	if a.apiMaxBodyKB > 0 {
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name:   pulumi.String("APIBodySizeLimit"),
			Action: blockAction(),
			Statement: &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
				Statements: wafv2.WebAclRuleStatementArray{pathStartsWith(a.apiPrefix), bodyLargerThan(a.apiMaxBodyKB * 1024)},
			}},
			VisibilityConfig: visibility("body-size-api"),
		})
	}
	return rules
}

// countOverrides sets the action of the named rules of a managed rule group to count.
func countOverrides(names []string) wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray {
	var out wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray
	for _, n := range names {
		out = append(out, &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs{
			Name: pulumi.String(n),
			ActionToUse: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs{
				Count: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs{},
			},
		})
	}
	return out
}

// uploadBodyRulesStatement matches a request that one of UploadBodyRules labelled, unless it is
// a multipart upload to the API:
//
//	AND(OR(label...), NOT(AND(path starts with apiPrefix, content-type starts with multipart/form-data)))
//
// Three logical levels, the most the provider's schema takes under a rule's statement
// (pulumi/pulumi-aws#4868): NOT(path) OR NOT(type) would need a fourth.
func uploadBodyRulesStatement(apiPrefix string) *wafv2.WebAclRuleStatementArgs {
	var labels wafv2.WebAclRuleStatementArray
	for _, r := range UploadBodyRules {
		labels = append(labels, &wafv2.WebAclRuleStatementArgs{LabelMatchStatement: &wafv2.WebAclRuleStatementLabelMatchStatementArgs{
			Scope: pulumi.String("LABEL"),
			Key:   pulumi.String(r.Label),
		}})
	}
	upload := &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
		Statements: wafv2.WebAclRuleStatementArray{pathStartsWith(apiPrefix), contentTypeStartsWith(UploadContentType)},
	}}
	return &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
		Statements: wafv2.WebAclRuleStatementArray{
			&wafv2.WebAclRuleStatementArgs{OrStatement: &wafv2.WebAclRuleStatementOrStatementArgs{Statements: labels}},
			&wafv2.WebAclRuleStatementArgs{NotStatement: &wafv2.WebAclRuleStatementNotStatementArgs{
				Statements: wafv2.WebAclRuleStatementArray{upload},
			}},
		},
	}}
}

// InspectionLimit is the AssociationConfig value of a body inspection limit in KB: 32 -> "KB_32".
func InspectionLimit(kb int) string { return fmt.Sprintf("KB_%d", kb) }

// validInspectionKB reports whether kb is a body inspection limit CloudFront web ACLs accept.
func validInspectionKB(kb int) bool { return slices.Contains(BodyInspectionLimitsKB, kb) }

// pathStartsWith matches requests whose URI path starts with prefix, as received (no text
// transformation: CloudFront routes on the path as received too).
func pathStartsWith(prefix string) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{ByteMatchStatement: &wafv2.WebAclRuleStatementByteMatchStatementArgs{
		FieldToMatch:         &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchArgs{UriPath: &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchUriPathArgs{}},
		PositionalConstraint: pulumi.String("STARTS_WITH"),
		SearchString:         pulumi.String(prefix),
		TextTransformations: wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArray{
			&wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("NONE")},
		},
	}}
}

// bodyLargerThan matches requests whose body is larger than bytes; a body larger than the
// inspection limit matches (OversizeHandling MATCH), since WAF cannot measure past it.
func bodyLargerThan(bytes int) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{SizeConstraintStatement: &wafv2.WebAclRuleStatementSizeConstraintStatementArgs{
		FieldToMatch: &wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchArgs{
			Body: &wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchBodyArgs{OversizeHandling: pulumi.String("MATCH")},
		},
		ComparisonOperator: pulumi.String("GT"),
		Size:               pulumi.Int(bytes),
		TextTransformations: wafv2.WebAclRuleStatementSizeConstraintStatementTextTransformationArray{
			&wafv2.WebAclRuleStatementSizeConstraintStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("NONE")},
		},
	}}
}

// contentTypeStartsWith matches requests whose Content-Type header, in lower case, starts with
// mediaType. The provider takes a header name only in lower case.
func contentTypeStartsWith(mediaType string) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{ByteMatchStatement: &wafv2.WebAclRuleStatementByteMatchStatementArgs{
		FieldToMatch: &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchArgs{
			SingleHeader: &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchSingleHeaderArgs{Name: pulumi.String("content-type")},
		},
		PositionalConstraint: pulumi.String("STARTS_WITH"),
		SearchString:         pulumi.String(mediaType),
		TextTransformations: wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArray{
			&wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("LOWERCASE")},
		},
	}}
}

// apiScopeDown narrows a rate-based statement to requests whose URI path starts with prefix
// (the scope-down statement has types of its own; see pathStartsWith).
func apiScopeDown(prefix string) *wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs {
	return &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs{
		ByteMatchStatement: &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementByteMatchStatementArgs{
			FieldToMatch: &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementByteMatchStatementFieldToMatchArgs{
				UriPath: &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementByteMatchStatementFieldToMatchUriPathArgs{},
			},
			PositionalConstraint: pulumi.String("STARTS_WITH"),
			SearchString:         pulumi.String(prefix),
			TextTransformations: wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementByteMatchStatementTextTransformationArray{
				&wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementByteMatchStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("NONE")},
			},
		},
	}
}

// newWAF registers, unless EdgeArgs.DisableWAF, the distribution's web ACL (in us-east-1, through the
// global provider's opts), or returns nil.
func newWAF(ctx *pulumi.Context, name string, a *EdgeArgs, opts ...pulumi.ResourceOption) (*wafv2.WebAcl, error) {
	if a.DisableWAF {
		return nil, nil
	}
	return newWebACL(ctx, name, webACLArgs{
		rateLimit:      a.WAFRateLimit,
		apiPrefix:      APIPathPrefix(a.APIPathPattern),
		inspectionKB:   a.WAFBodyInspectionKB,
		apiMaxBodyKB:   a.WAFAPIMaxBodyKB,
		inspectUploads: a.WAFInspectUploadBodies,
	}, opts...)
}
