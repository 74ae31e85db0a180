package edge

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ManagedRuleGroups are the AWS managed rule groups the web ACL evaluates, in priority order:
// the core rule set (OWASP top-10 style), known bad inputs (Log4Shell and similar) and the
// Amazon IP reputation list.
var ManagedRuleGroups = []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"}

// newWebACL registers the distribution's WAFv2 web ACL (CloudFront scope, so opts must carry
// the us-east-1 provider): the managed rule groups, then a rate limit per client IP. Every
// rule emits CloudWatch metrics and keeps sampled requests.
func newWebACL(ctx *pulumi.Context, name string, rateLimit int, opts ...pulumi.ResourceOption) (*wafv2.WebAcl, error) {
	metric := func(n string) pulumi.StringInput { return pulumi.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), n) }
	var rules wafv2.WebAclRuleArray
	for i, group := range ManagedRuleGroups {
		rules = append(rules, &wafv2.WebAclRuleArgs{
			Name:     pulumi.String(group),
			Priority: pulumi.Int(i),
			// none: the group's own block/count actions apply.
			OverrideAction: &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement: &wafv2.WebAclRuleStatementArgs{
				ManagedRuleGroupStatement: &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
					VendorName: pulumi.String("AWS"),
					Name:       pulumi.String(group),
				},
			},
			VisibilityConfig: &wafv2.WebAclRuleVisibilityConfigArgs{
				CloudwatchMetricsEnabled: pulumi.Bool(true),
				SampledRequestsEnabled:   pulumi.Bool(true),
				MetricName:               metric(group),
			},
		})
	}
	rules = append(rules, &wafv2.WebAclRuleArgs{
		Name:     pulumi.String("RateLimitPerIP"),
		Priority: pulumi.Int(len(ManagedRuleGroups)),
		Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{
			RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
				Limit:               pulumi.Int(rateLimit),
				AggregateKeyType:    pulumi.String("IP"),
				EvaluationWindowSec: pulumi.Int(300),
			},
		},
		VisibilityConfig: &wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			SampledRequestsEnabled:   pulumi.Bool(true),
			MetricName:               metric("rate-limit"),
		},
	})
	acl, err := wafv2.NewWebAcl(ctx, name+"-waf", &wafv2.WebAclArgs{
		Description:   pulumi.String("CloudFront web ACL: AWS managed rules and a per-IP rate limit"),
		Scope:         pulumi.String("CLOUDFRONT"),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			SampledRequestsEnabled:   pulumi.Bool(true),
			MetricName:               metric("waf"),
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("web acl: %w", err)
	}
	return acl, nil
}
