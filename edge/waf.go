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
	// rateLimit is the per-IP limit per 5 minutes.
	rateLimit int
	// apiPrefix is the path prefix routed to the API, with its trailing slash ("/api/").
	apiPrefix string
	// inspectionKB is the body inspection limit (BodyInspectionLimitsKB).
	inspectionKB int
	// apiMaxBodyKB is the largest API request body let through, or 0 for no WAF limit.
	apiMaxBodyKB int
}

// newWebACL registers the distribution's WAFv2 web ACL (CloudFront scope, so opts must carry
// the us-east-1 provider): the managed rule groups, a rate limit per client IP, and the body
// size limits. Every rule emits CloudWatch metrics and keeps sampled requests.
//
// The core rule set's SizeRestrictions_BODY would block every body over 8 KB, JSON requests
// and uploads through the API included. It is counted instead (its label still marks the
// request), and two rules of our own restore a body limit where it belongs:
//   - BodySizeLimitOutsideAPI blocks a body over SiteMaxBodyBytes on any path that is not the
//     API's: the 8 KB the core rule set enforced, where no body is expected;
//   - APIBodySizeLimit (only with apiMaxBodyKB > 0) blocks an API body over apiMaxBodyKB.
//
// A size constraint compares the part of the body WAF received, at most inspectionKB, so a
// limit above the inspection limit could never match; both rules treat an oversize body as a
// match, which is right because each limit is at most the inspection limit. The other core
// rules still inspect the first inspectionKB of every body.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-size-constraint-match.html
func newWebACL(ctx *pulumi.Context, name string, a webACLArgs, opts ...pulumi.ResourceOption) (*wafv2.WebAcl, error) {
	metric := func(n string) pulumi.StringInput { return pulumi.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), n) }
	visibility := func(n string) *wafv2.WebAclRuleVisibilityConfigArgs {
		return &wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			SampledRequestsEnabled:   pulumi.Bool(true),
			MetricName:               metric(n),
		}
	}
	var rules wafv2.WebAclRuleArray
	for i, group := range ManagedRuleGroups {
		statement := &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
			VendorName: pulumi.String("AWS"),
			Name:       pulumi.String(group),
		}
		if group == ManagedRuleGroups[0] {
			statement.RuleActionOverrides = wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray{
				&wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs{
					Name: pulumi.String(CommonRuleSetBodyRule),
					ActionToUse: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs{
						Count: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs{},
					},
				},
			}
		}
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name:     pulumi.String(group),
			Priority: pulumi.Int(i),
			// none: the group's own block/count actions apply (but for the overrides above).
			OverrideAction:   &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement:        &wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: statement},
			VisibilityConfig: visibility(group),
		})
	}
	rules = append(rules, &wafv2.WebAclRuleArgs{
		Name:     pulumi.String("RateLimitPerIP"),
		Priority: pulumi.Int(len(rules)),
		Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{
			RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
				Limit:               pulumi.Int(a.rateLimit),
				AggregateKeyType:    pulumi.String("IP"),
				EvaluationWindowSec: pulumi.Int(300),
			},
		},
		VisibilityConfig: visibility("rate-limit"),
	})
	rules = append(rules, &wafv2.WebAclRuleArgs{
		Name:     pulumi.String("BodySizeLimitOutsideAPI"),
		Priority: pulumi.Int(len(rules)),
		Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
			Statements: wafv2.WebAclRuleStatementArray{
				&wafv2.WebAclRuleStatementArgs{NotStatement: &wafv2.WebAclRuleStatementNotStatementArgs{
					Statements: wafv2.WebAclRuleStatementArray{pathStartsWith(a.apiPrefix)},
				}},
				bodyLargerThan(SiteMaxBodyBytes),
			},
		}},
		VisibilityConfig: visibility("body-size-site"),
	})
	if a.apiMaxBodyKB > 0 {
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name:     pulumi.String("APIBodySizeLimit"),
			Priority: pulumi.Int(len(rules)),
			Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
			Statement: &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{
				Statements: wafv2.WebAclRuleStatementArray{pathStartsWith(a.apiPrefix), bodyLargerThan(a.apiMaxBodyKB * 1024)},
			}},
			VisibilityConfig: visibility("body-size-api"),
		})
	}
	args := &wafv2.WebAclArgs{
		Description:      pulumi.String("CloudFront web ACL: AWS managed rules, a per-IP rate limit and request body size limits"),
		Scope:            pulumi.String("CLOUDFRONT"),
		DefaultAction:    &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:            rules,
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
