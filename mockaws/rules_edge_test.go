package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// cfDistribution is the least distribution CloudFront accepts, to be changed by a case: one S3
// origin, the default certificate.
func cfDistribution(mod func(*cloudfront.DistributionArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		args := &cloudfront.DistributionArgs{
			Enabled: pulumi.Bool(true),
			Origins: cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
				OriginId:   pulumi.String("site"),
				DomainName: pulumi.String("site.s3.ap-northeast-2.amazonaws.com"),
			}},
			DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
				TargetOriginId:       pulumi.String("site"),
				ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
				AllowedMethods:       pulumi.ToStringArray([]string{"GET", "HEAD"}),
				CachedMethods:        pulumi.ToStringArray([]string{"GET", "HEAD"}),
			},
			Restrictions: &cloudfront.DistributionRestrictionsArgs{GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
			ViewerCertificate: &cloudfront.DistributionViewerCertificateArgs{
				CloudfrontDefaultCertificate: pulumi.Bool(true),
			},
		}
		if mod != nil {
			mod(args)
		}
		_, err := cloudfront.NewDistribution(ctx, "cdn", args)
		return err
	}
}

// cfACMCertificate points a distribution at an ACM certificate ARN, with SNI.
func cfACMCertificate(arn pulumi.StringInput, aliases ...string) func(*cloudfront.DistributionArgs) {
	return func(a *cloudfront.DistributionArgs) {
		a.Aliases = pulumi.ToStringArray(aliases)
		a.ViewerCertificate = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      arn,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
	}
}

// cfCertificateIn registers a certificate for domain through a provider for region, then a
// cfDistribution with aliases that uses it.
func cfCertificateIn(region, domain string, aliases ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "p", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		cert, err := acm.NewCertificate(ctx, "cert", &acm.CertificateArgs{DomainName: pulumi.String(domain), ValidationMethod: pulumi.String("DNS")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		return cfDistribution(cfACMCertificate(cert.Arn, aliases...))(ctx)
	}
}

// wafACL registers a web ACL with rules through a provider for region.
func wafACL(region, scope string, rules wafv2.WebAclRuleArray, mod func(*wafv2.WebAclArgs)) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "p", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		args := &wafv2.WebAclArgs{
			Scope:            pulumi.String(scope),
			DefaultAction:    &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
			Rules:            rules,
			VisibilityConfig: wafVisibility("acl"),
		}
		if mod != nil {
			mod(args)
		}
		_, err = wafv2.NewWebAcl(ctx, "waf", args, pulumi.Provider(p))
		return err
	}
}

func wafVisibility(name string) *wafv2.WebAclVisibilityConfigArgs {
	return &wafv2.WebAclVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true), SampledRequestsEnabled: pulumi.Bool(true), MetricName: pulumi.String(name)}
}

func wafRuleVisibility(name string) *wafv2.WebAclRuleVisibilityConfigArgs {
	return &wafv2.WebAclRuleVisibilityConfigArgs{CloudwatchMetricsEnabled: pulumi.Bool(true), SampledRequestsEnabled: pulumi.Bool(true), MetricName: pulumi.String(name)}
}

// wafManagedGroup is a rule evaluating an AWS managed rule group, with the group's own actions.
func wafManagedGroup(name string, priority int) *wafv2.WebAclRuleArgs {
	return &wafv2.WebAclRuleArgs{
		Name:           pulumi.String(name),
		Priority:       pulumi.Int(priority),
		OverrideAction: &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
			VendorName: pulumi.String("AWS"), Name: pulumi.String(name),
		}},
		VisibilityConfig: wafRuleVisibility(name),
	}
}

// wafRateRule is a blocking per-IP rate-based rule.
func wafRateRule(limit, window int) *wafv2.WebAclRuleArgs {
	return &wafv2.WebAclRuleArgs{
		Name:     pulumi.String("rate"),
		Priority: pulumi.Int(9),
		Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
			Limit: pulumi.Int(limit), AggregateKeyType: pulumi.String("IP"), EvaluationWindowSec: pulumi.Int(window),
		}},
		VisibilityConfig: wafRuleVisibility("rate"),
	}
}

// wafSizeOver matches bodies larger than n bytes.
func wafSizeOver(n int) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{SizeConstraintStatement: &wafv2.WebAclRuleStatementSizeConstraintStatementArgs{
		FieldToMatch: &wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchArgs{
			Body: &wafv2.WebAclRuleStatementSizeConstraintStatementFieldToMatchBodyArgs{OversizeHandling: pulumi.String("MATCH")},
		},
		ComparisonOperator: pulumi.String("GT"),
		Size:               pulumi.Int(n),
		TextTransformations: wafv2.WebAclRuleStatementSizeConstraintStatementTextTransformationArray{
			&wafv2.WebAclRuleStatementSizeConstraintStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("NONE")},
		},
	}}
}

// wafAndRule blocks what all of statements match.
func wafAndRule(statements ...wafv2.WebAclRuleStatementInput) *wafv2.WebAclRuleArgs {
	return &wafv2.WebAclRuleArgs{
		Name:             pulumi.String("and"),
		Priority:         pulumi.Int(10),
		Action:           &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement:        &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{Statements: wafv2.WebAclRuleStatementArray(statements)}},
		VisibilityConfig: wafRuleVisibility("and"),
	}
}

// wafAnd, wafOr and wafNot combine statements.
func wafAnd(statements ...wafv2.WebAclRuleStatementInput) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{AndStatement: &wafv2.WebAclRuleStatementAndStatementArgs{Statements: wafv2.WebAclRuleStatementArray(statements)}}
}

func wafOr(statements ...wafv2.WebAclRuleStatementInput) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{OrStatement: &wafv2.WebAclRuleStatementOrStatementArgs{Statements: wafv2.WebAclRuleStatementArray(statements)}}
}

func wafNot(statement wafv2.WebAclRuleStatementInput) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{NotStatement: &wafv2.WebAclRuleStatementNotStatementArgs{Statements: wafv2.WebAclRuleStatementArray{statement}}}
}

// wafLabel matches a label (scope LABEL) or a namespace (NAMESPACE).
func wafLabel(scope, key string) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{LabelMatchStatement: &wafv2.WebAclRuleStatementLabelMatchStatementArgs{Scope: pulumi.String(scope), Key: pulumi.String(key)}}
}

// wafHeaderStartsWith matches a header's value, lower-cased, by its start.
func wafHeaderStartsWith(header, prefix string) *wafv2.WebAclRuleStatementArgs {
	return &wafv2.WebAclRuleStatementArgs{ByteMatchStatement: &wafv2.WebAclRuleStatementByteMatchStatementArgs{
		FieldToMatch: &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchArgs{
			SingleHeader: &wafv2.WebAclRuleStatementByteMatchStatementFieldToMatchSingleHeaderArgs{Name: pulumi.String(header)},
		},
		PositionalConstraint: pulumi.String("STARTS_WITH"),
		SearchString:         pulumi.String(prefix),
		TextTransformations: wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArray{
			&wafv2.WebAclRuleStatementByteMatchStatementTextTransformationArgs{Priority: pulumi.Int(0), Type: pulumi.String("LOWERCASE")},
		},
	}}
}

// wafScopedRateRule is a blocking per-IP rate-based rule narrowed by a scope-down statement.
func wafScopedRateRule(scope *wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs) *wafv2.WebAclRuleArgs {
	r := wafRateRule(2000, 300)
	r.Statement = &wafv2.WebAclRuleStatementArgs{RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
		Limit: pulumi.Int(2000), AggregateKeyType: pulumi.String("IP"), EvaluationWindowSec: pulumi.Int(300), ScopeDownStatement: scope,
	}}
	return r
}

// s3BucketWithOwnership registers a bucket and its ownership controls, then what more adds.
func s3BucketWithOwnership(ownership string, more func(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		b, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		var o *s3.BucketOwnershipControls
		if ownership != "" {
			if o, err = s3.NewBucketOwnershipControls(ctx, "logs-ownership", &s3.BucketOwnershipControlsArgs{
				Bucket: b.ID(), Rule: &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(ownership)},
			}); err != nil {
				return err
			}
		}
		return more(ctx, b, o)
	}
}

// s3DependsOnOwnership waits for the ownership controls, when there are some.
func s3DependsOnOwnership(o *s3.BucketOwnershipControls) pulumi.ResourceOption {
	if o == nil {
		return pulumi.DependsOn(nil)
	}
	return pulumi.DependsOn([]pulumi.Resource{o})
}

// cfLoggingTo has a distribution write standard logs to bucket.
func cfLoggingTo(b *s3.BucketV2, o *s3.BucketOwnershipControls) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		_, err := cloudfront.NewDistribution(ctx, "cdn", &cloudfront.DistributionArgs{
			Enabled: pulumi.Bool(true),
			Origins: cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{OriginId: pulumi.String("site"), DomainName: pulumi.String("site.s3.amazonaws.com")}},
			DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
				TargetOriginId: pulumi.String("site"), ViewerProtocolPolicy: pulumi.String("https-only"),
				AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}),
			},
			Restrictions:      &cloudfront.DistributionRestrictionsArgs{GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
			ViewerCertificate: &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)},
			LoggingConfig:     &cloudfront.DistributionLoggingConfigArgs{Bucket: b.BucketDomainName},
		}, s3DependsOnOwnership(o))
		return err
	}
}

var edgeRuleTests = []ruleTest{
	{
		rule: "cloudfront/viewer-certificate-region", want: "InvalidViewerCertificate: The specified SSL certificate doesn't exist, isn't in us-east-1 region",
		refused: cfCertificateIn("ap-northeast-2", "www.example.com", "www.example.com"),
		allowed: cfCertificateIn("us-east-1", "www.example.com", "www.example.com"),
	},
	{
		rule: "cloudfront/aliases-need-certificate", want: "InvalidViewerCertificate: To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate",
		refused: cfDistribution(func(a *cloudfront.DistributionArgs) { a.Aliases = pulumi.ToStringArray([]string{"www.example.com"}) }),
		allowed: cfDistribution(nil),
	},
	{
		rule: "cloudfront/certificate-covers-aliases", want: "doesn't cover the alternate domain name (CNAME) that you're trying to add",
		refused: cfCertificateIn("us-east-1", "www.example.com", "shop.example.com"),
		allowed: cfCertificateIn("us-east-1", "*.example.com", "shop.example.com"),
	},
	{
		rule: "cloudfront/web-acl-scope", name: "regional", want: "InvalidWebACLId: Web ACL is not accessible by the requester.",
		refused: func(ctx *pulumi.Context) error {
			p, err := aws.NewProvider(ctx, "p", &aws.ProviderArgs{Region: pulumi.String("ap-northeast-2")})
			if err != nil {
				return err
			}
			acl, err := wafv2.NewWebAcl(ctx, "waf", &wafv2.WebAclArgs{
				Scope: pulumi.String("REGIONAL"), DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}}, VisibilityConfig: wafVisibility("acl"),
			}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			return cfDistribution(func(a *cloudfront.DistributionArgs) { a.WebAclId = acl.Arn })(ctx)
		},
		allowed: func(ctx *pulumi.Context) error {
			p, err := aws.NewProvider(ctx, "p", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
			if err != nil {
				return err
			}
			acl, err := wafv2.NewWebAcl(ctx, "waf", &wafv2.WebAclArgs{
				Scope: pulumi.String("CLOUDFRONT"), DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}}, VisibilityConfig: wafVisibility("acl"),
			}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			return cfDistribution(func(a *cloudfront.DistributionArgs) { a.WebAclId = acl.Arn })(ctx)
		},
	},
	{
		rule: "cloudfront/web-acl-scope", name: "identifier", want: "InvalidWebACLId: Invalid webACL identifier provided my-acl",
		refused: cfDistribution(func(a *cloudfront.DistributionArgs) { a.WebAclId = pulumi.String("my-acl") }),
		allowed: cfDistribution(func(a *cloudfront.DistributionArgs) {
			a.WebAclId = pulumi.String("473e64fd-f30b-4765-81a0-62ad96dd167a")
		}),
	},
	{
		rule: "cloudfront/logging-bucket-acl", name: "enforced", want: "InvalidArgument: The S3 bucket that you specified for CloudFront logs does not enable ACL access: ",
		refused: s3BucketWithOwnership("BucketOwnerEnforced", func(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error {
			return cfLoggingTo(b, o)(ctx)
		}),
		allowed: s3BucketWithOwnership("BucketOwnerPreferred", func(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error {
			return cfLoggingTo(b, o)(ctx)
		}),
	},
	{
		// A new bucket is BucketOwnerEnforced until ownership controls say otherwise.
		rule: "cloudfront/logging-bucket-acl", name: "default", want: "does not enable ACL access",
		refused: s3BucketWithOwnership("", func(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error {
			return cfLoggingTo(b, o)(ctx)
		}),
	},
	{
		rule: "cloudfront/oac-and-oai", want: "IllegalOriginAccessConfiguration: Cannot use both Origin Access Control and Origin Access Identity on an origin",
		refused: cfDistribution(func(a *cloudfront.DistributionArgs) {
			a.Origins = cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String("site"), DomainName: pulumi.String("site.s3.ap-northeast-2.amazonaws.com"),
				OriginAccessControlId: pulumi.String("E2QWRUHEXAMPLE"),
				S3OriginConfig:        &cloudfront.DistributionOriginS3OriginConfigArgs{OriginAccessIdentity: pulumi.String("origin-access-identity/cloudfront/E1EXAMPLE")},
			}}
		}),
		allowed: cfDistribution(func(a *cloudfront.DistributionArgs) {
			a.Origins = cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String("site"), DomainName: pulumi.String("site.s3.ap-northeast-2.amazonaws.com"),
				OriginAccessControlId: pulumi.String("E2QWRUHEXAMPLE"),
			}}
		}),
	},
	{
		rule: "cloudfront/oac-origin-type", want: "Illegal configuration: The origin type and OAC origin type differ.",
		refused: cfOACOn(true),
		allowed: cfOACOn(false),
	},
	{
		rule: "cloudfront/target-origin-exists", want: "NoSuchOrigin: One or more of your origins do not exist.",
		refused: cfDistribution(func(a *cloudfront.DistributionArgs) {
			a.OrderedCacheBehaviors = cloudfront.DistributionOrderedCacheBehaviorArray{&cloudfront.DistributionOrderedCacheBehaviorArgs{
				PathPattern: pulumi.String("/api/*"), TargetOriginId: pulumi.String("api"), ViewerProtocolPolicy: pulumi.String("https-only"),
				AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}),
			}}
		}),
		allowed: cfDistribution(func(a *cloudfront.DistributionArgs) {
			a.OrderedCacheBehaviors = cloudfront.DistributionOrderedCacheBehaviorArray{&cloudfront.DistributionOrderedCacheBehaviorArgs{
				PathPattern: pulumi.String("/api/*"), TargetOriginId: pulumi.String("site"), ViewerProtocolPolicy: pulumi.String("https-only"),
				AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}),
			}}
		}),
	},
	{
		rule: "cloudfront/function-code-size", want: "FunctionSizeLimitExceeded: The function is too large.",
		refused: cfFunction("cloudfront-js-2.0", "function handler(event) { return event.request; }\n// "+strings.Repeat("x", 10*1024)),
		allowed: cfFunction("cloudfront-js-2.0", "function handler(event) { return event.request; }"),
	},
	{
		rule: "cloudfront/function-runtime", want: `expected runtime to be one of ["cloudfront-js-1.0" "cloudfront-js-2.0"], got nodejs20.x`,
		refused: cfFunction("nodejs20.x", "function handler(event) { return event.request; }"),
		allowed: cfFunction("cloudfront-js-1.0", "function handler(event) { return event.request; }"),
	},
	{
		rule: "cloudfront/csp-length", want: "TooLongCSPInResponseHeadersPolicy: The length of the Content-Security-Policy header value",
		refused: cfHeadersPolicy("default-src 'self'; img-src " + strings.Repeat("https://img.example.com ", 80)),
		allowed: cfHeadersPolicy("default-src 'self'"),
	},
	{
		rule: "wafv2/cloudfront-scope-region", want: "WAFInvalidParameterException: Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT",
		refused: wafACL("ap-northeast-2", "CLOUDFRONT", nil, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", nil, nil),
	},
	{
		rule: "wafv2/managed-group-override-action", name: "no override action", want: "A reference in your rule statement is not valid., field: RULE, parameter: Statement",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{func() *wafv2.WebAclRuleArgs {
			r := wafManagedGroup("AWSManagedRulesCommonRuleSet", 0)
			r.OverrideAction = nil
			return r
		}()}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafManagedGroup("AWSManagedRulesCommonRuleSet", 0)}, nil),
	},
	{
		rule: "wafv2/managed-group-override-action", name: "action instead", want: "Your statement has multiple values set for a field that requires exactly one value., field: RULE, parameter: Rule",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{func() *wafv2.WebAclRuleArgs {
			r := wafManagedGroup("AWSManagedRulesCommonRuleSet", 0)
			r.OverrideAction = nil
			r.Action = &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}}
			return r
		}()}, nil),
	},
	{
		rule: "wafv2/logical-statement-arity", want: "You haven't met a minimum requirement for a threshold setting. Examples include a rule group capacity setting that's too low and an OR statement with only one nested statement., field: AND_STATEMENT, parameter: AndStatement",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(8192))}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(8192), wafSizeOver(4096))}, nil),
	},
	{
		// AND(size, NOT(AND(size, OR(size, size)))): a logical statement on a fourth level.
		rule: "wafv2/statement-nesting", name: "rule statement", want: "aws:wafv2/webAcl:WebAcl resource 'waf' has a problem: Invalid or unknown key. Examine values at 'waf.rules'.",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafNot(wafAnd(wafSizeOver(2), wafOr(wafSizeOver(3), wafSizeOver(4)))))}, nil),
		// AND(OR(label, label), NOT(AND(path, header))): three levels, the edge tier's upload exception.
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(
			wafOr(wafLabel("LABEL", "awswaf:managed:aws:core-rule-set:GenericLFI_Body"), wafLabel("LABEL", "awswaf:managed:aws:core-rule-set:GenericRFI_Body")),
			wafNot(wafAnd(wafSizeOver(2), wafHeaderStartsWith("content-type", "multipart/form-data"))),
		)}, nil),
	},
	{
		// A scope-down statement starts a level lower: AND(NOT(OR(...))) is one too many there.
		rule: "wafv2/statement-nesting", name: "scope-down", want: "Invalid or unknown key. Examine values at 'waf.rules'.",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafScopedRateRule(&wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs{
			AndStatement: &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementAndStatementArgs{Statements: wafv2.WebAclRuleStatementArray{
				wafSizeOver(1), wafNot(wafOr(wafSizeOver(2), wafSizeOver(3))),
			}},
		})}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafScopedRateRule(&wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementArgs{
			AndStatement: &wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatementAndStatementArgs{Statements: wafv2.WebAclRuleStatementArray{
				wafSizeOver(1), wafNot(wafSizeOver(2)),
			}},
		})}, nil),
	},
	{
		rule: "wafv2/label-match", name: "key", want: "invalid value for rule.0.statement.0.and_statement.0.statement.1.label_match_statement.0.key (must contain only alphanumeric, underscore, hyphen, and colon characters)",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafLabel("LABEL", "awswaf:managed:aws:core-rule-set:CrossSiteScripting Body"))}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafLabel("LABEL", "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body"))}, nil),
	},
	{
		rule: "wafv2/label-match", name: "scope", want: `expected rule.0.statement.0.and_statement.0.statement.1.label_match_statement.0.scope to be one of ["LABEL" "NAMESPACE"], got label`,
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafLabel("label", "awswaf:managed:aws:core-rule-set:GenericLFI_Body"))}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafLabel("NAMESPACE", "awswaf:managed:aws:core-rule-set:"))}, nil),
	},
	{
		rule: "wafv2/single-header-name", want: "invalid value for rule.0.statement.0.and_statement.0.statement.1.byte_match_statement.0.field_to_match.0.single_header.0.name (must contain only lowercase alphanumeric characters, underscores, and hyphens)",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafHeaderStartsWith("Content-Type", "multipart/form-data"))}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafAndRule(wafSizeOver(1), wafHeaderStartsWith("content-type", "multipart/form-data"))}, nil),
	},
	{
		// 1,500 WCUs of managed rule groups, and 28 XSS rules of 140 (40 and ten text
		// transformations): 5,420.
		rule: "wafv2/capacity", want: "You exceeded the capacity limit for a rule group or web ACL., field: WEB_ACL, parameter: 5420",
		refused: wafACL("us-east-1", "CLOUDFRONT", append(wafv2.WebAclRuleArray{
			wafManagedGroup("AWSManagedRulesCommonRuleSet", 0), wafManagedGroup("AWSManagedRulesKnownBadInputsRuleSet", 1),
			wafManagedGroup("AWSManagedRulesSQLiRuleSet", 2), wafManagedGroup("AWSManagedRulesLinuxRuleSet", 3), wafManagedGroup("AWSManagedRulesWindowsRuleSet", 4),
		}, wafXSSRules(5, 28)...), nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", append(wafv2.WebAclRuleArray{
			wafManagedGroup("AWSManagedRulesCommonRuleSet", 0), wafManagedGroup("AWSManagedRulesKnownBadInputsRuleSet", 1),
		}, wafXSSRules(2, 1)...), nil),
	},
	{
		rule: "wafv2/rate-limit-range", want: "expected rule.0.statement.0.rate_based_statement.0.limit to be in the range (100 - 2000000000), got 10",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafRateRule(10, 300)}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafRateRule(100, 300)}, nil),
	},
	{
		rule: "wafv2/evaluation-window", want: "expected rule.0.statement.0.rate_based_statement.0.evaluation_window_sec to be one of [60 120 300 600], got 30",
		refused: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafRateRule(2000, 30)}, nil),
		allowed: wafACL("us-east-1", "CLOUDFRONT", wafv2.WebAclRuleArray{wafRateRule(2000, 60)}, nil),
	},
	{
		rule: "wafv2/body-inspection-limit", want: `expected default_size_inspection_limit to be one of ["KB_16" "KB_32" "KB_48" "KB_64"], got KB_8`,
		refused: wafACL("us-east-1", "CLOUDFRONT", nil, wafInspect("KB_8")),
		allowed: wafACL("us-east-1", "CLOUDFRONT", nil, wafInspect("KB_64")),
	},
	{
		rule: "s3/acl-needs-object-ownership", name: "enforced", want: "AccessControlListNotSupported: The bucket does not allow ACLs",
		refused: s3BucketWithOwnership("BucketOwnerEnforced", s3BucketACL),
		allowed: s3BucketWithOwnership("BucketOwnerPreferred", s3BucketACL),
	},
	{
		// Without ownership controls, or without waiting for them, the ACL meets S3's default.
		rule: "s3/acl-needs-object-ownership", name: "not waited for", want: "AccessControlListNotSupported: The bucket does not allow ACLs",
		refused: s3BucketWithOwnership("BucketOwnerPreferred", func(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error {
			return s3BucketACL(ctx, b, nil)
		}),
	},
	{
		rule: "s3/bucket-name-length", name: "prefix", want: "expected length of bucket_prefix to be in the range (0 - 37), got " + strings.Repeat("a", 38),
		refused: func(ctx *pulumi.Context) error {
			_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{BucketPrefix: pulumi.String(strings.Repeat("a", 38))})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{BucketPrefix: pulumi.String(strings.Repeat("a", 37))})
			return err
		},
	},
	{
		rule: "s3/bucket-name-length", name: "name", want: "expected length of bucket to be in the range (0 - 63), got " + strings.Repeat("b", 64),
		refused: func(ctx *pulumi.Context) error {
			_, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{Bucket: pulumi.String(strings.Repeat("b", 64))})
			return err
		},
	},
	{
		rule: "s3/access-log-target-region", want: "CrossLocationLoggingProhibitted: Cross S3 location logging not allowed.",
		refused: s3AccessLogsBetween("us-west-2"),
		allowed: s3AccessLogsBetween("ap-northeast-2"),
	},
	{
		rule: "route53/cloudfront-alias-zone", want: "InvalidChangeBatch: [Tried to create an alias that targets d111111abcdef8.cloudfront.net., type A in zone Z0123456789, but the alias target name does not lie within the target zone]",
		refused: r53AliasRecord("Z0123456789"),
		allowed: r53AliasRecord(CloudFrontHostedZoneID),
	},
	{
		rule: "cloudfront/distribution-quotas", name: "behaviors", want: "TooManyCacheBehaviors: You cannot create more cache behaviors for the distribution.",
		refused: cfDistribution(cfBehaviors(26)),
		allowed: cfDistribution(cfBehaviors(25)),
	},
	{
		rule: "cloudfront/distribution-quotas", name: "origins", want: "TooManyOrigins: You cannot create more origins for the distribution.",
		refused: cfDistribution(cfOrigins(26)),
		allowed: cfDistribution(cfOrigins(25)),
	},
	{
		rule: "s3/lifecycle-abort-multipart-with-tags", name: "tag", want: "InvalidRequest: AbortIncompleteMultipartUpload cannot be specified with Tags.",
		refused: s3AbortLifecycle(&s3.BucketLifecycleConfigurationV2RuleFilterArgs{
			Tag: &s3.BucketLifecycleConfigurationV2RuleFilterTagArgs{Key: pulumi.String("kind"), Value: pulumi.String("upload")},
		}),
		allowed: s3AbortLifecycle(&s3.BucketLifecycleConfigurationV2RuleFilterArgs{}),
	},
	{
		rule: "s3/lifecycle-abort-multipart-with-tags", name: "and tags", want: "InvalidRequest: AbortIncompleteMultipartUpload cannot be specified with Tags.",
		refused: s3AbortLifecycle(&s3.BucketLifecycleConfigurationV2RuleFilterArgs{
			And: &s3.BucketLifecycleConfigurationV2RuleFilterAndArgs{Prefix: pulumi.String("uploads/"), Tags: pulumi.StringMap{"kind": pulumi.String("upload")}},
		}),
		allowed: s3AbortLifecycle(&s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("uploads/")}),
	},
	{
		rule: "s3/cors-methods", want: "InvalidRequest: Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS",
		refused: s3CORS("PUT", "OPTIONS"),
		allowed: s3CORS("PUT", "GET", "HEAD", "POST", "DELETE"),
	},
	{
		rule: "kms/key-policy-resource-lockout", want: "MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future.",
		refused: kmsKeyPolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}]}`),
		allowed: kmsKeyPolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}`),
	},
}

// cfBehaviors gives a distribution n ordered cache behaviors to its one origin.
func cfBehaviors(n int) func(*cloudfront.DistributionArgs) {
	return func(a *cloudfront.DistributionArgs) {
		var behaviors cloudfront.DistributionOrderedCacheBehaviorArray
		for i := 0; i < n; i++ {
			behaviors = append(behaviors, &cloudfront.DistributionOrderedCacheBehaviorArgs{
				PathPattern: pulumi.Sprintf("/p%d/*", i), TargetOriginId: pulumi.String("site"), ViewerProtocolPolicy: pulumi.String("redirect-to-https"),
				AllowedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}), CachedMethods: pulumi.ToStringArray([]string{"GET", "HEAD"}),
			})
		}
		a.OrderedCacheBehaviors = behaviors
	}
}

// cfOrigins gives a distribution n S3 origins in all.
func cfOrigins(n int) func(*cloudfront.DistributionArgs) {
	return func(a *cloudfront.DistributionArgs) {
		origins := a.Origins.(cloudfront.DistributionOriginArray)
		for i := 1; i < n; i++ {
			origins = append(origins, &cloudfront.DistributionOriginArgs{
				OriginId: pulumi.Sprintf("o%d", i), DomainName: pulumi.Sprintf("b%d.s3.ap-northeast-2.amazonaws.com", i),
			})
		}
		a.Origins = origins
	}
}

// s3AbortLifecycle registers a bucket whose one lifecycle rule aborts incomplete multipart
// uploads, with filter.
func s3AbortLifecycle(filter *s3.BucketLifecycleConfigurationV2RuleFilterArgs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		b, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		_, err = s3.NewBucketLifecycleConfigurationV2(ctx, "lc", &s3.BucketLifecycleConfigurationV2Args{
			Bucket: b.ID(),
			Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
				Id: pulumi.String("abort"), Status: pulumi.String("Enabled"), Filter: filter,
				AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(1)},
			}},
		})
		return err
	}
}

// s3CORS registers a bucket with one CORS rule allowing methods.
func s3CORS(methods ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		b, err := s3.NewBucketV2(ctx, "b", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		_, err = s3.NewBucketCorsConfigurationV2(ctx, "cors", &s3.BucketCorsConfigurationV2Args{
			Bucket: b.ID(),
			CorsRules: s3.BucketCorsConfigurationV2CorsRuleArray{&s3.BucketCorsConfigurationV2CorsRuleArgs{
				AllowedMethods: pulumi.ToStringArray(methods), AllowedOrigins: pulumi.ToStringArray([]string{"https://www.example.com"}),
			}},
		})
		return err
	}
}

// kmsKeyPolicy registers a key with its default policy, then policy through a kms.KeyPolicy.
func kmsKeyPolicy(policy string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		k, err := kms.NewKey(ctx, "k", &kms.KeyArgs{})
		if err != nil {
			return err
		}
		_, err = kms.NewKeyPolicy(ctx, "kp", &kms.KeyPolicyArgs{KeyId: k.KeyId, Policy: pulumi.String(policy)})
		return err
	}
}

// cfOACOn registers an S3 origin access control and a distribution that uses it on a custom
// origin or on the S3 origin.
func cfOACOn(custom bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		oac, err := cloudfront.NewOriginAccessControl(ctx, "oac", &cloudfront.OriginAccessControlArgs{
			OriginAccessControlOriginType: pulumi.String("s3"), SigningBehavior: pulumi.String("always"), SigningProtocol: pulumi.String("sigv4"),
		})
		if err != nil {
			return err
		}
		return cfDistribution(func(a *cloudfront.DistributionArgs) {
			origin := &cloudfront.DistributionOriginArgs{OriginId: pulumi.String("site"), DomainName: pulumi.String("site.s3.ap-northeast-2.amazonaws.com"), OriginAccessControlId: oac.ID()}
			if custom {
				origin.DomainName = pulumi.String("api.example.com")
				origin.CustomOriginConfig = &cloudfront.DistributionOriginCustomOriginConfigArgs{
					HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443), OriginProtocolPolicy: pulumi.String("https-only"), OriginSslProtocols: pulumi.ToStringArray([]string{"TLSv1.2"}),
				}
			}
			a.Origins = cloudfront.DistributionOriginArray{origin}
		})(ctx)
	}
}

// cfFunction registers a CloudFront Function.
func cfFunction(runtime, code string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := cloudfront.NewFunction(ctx, "fn", &cloudfront.FunctionArgs{Runtime: pulumi.String(runtime), Code: pulumi.String(code), Publish: pulumi.Bool(true)})
		return err
	}
}

// cfHeadersPolicy registers a response headers policy with a Content-Security-Policy.
func cfHeadersPolicy(csp string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := cloudfront.NewResponseHeadersPolicy(ctx, "headers", &cloudfront.ResponseHeadersPolicyArgs{
			SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
				ContentSecurityPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs{
					ContentSecurityPolicy: pulumi.String(csp), Override: pulumi.Bool(true),
				},
			},
		})
		return err
	}
}

// wafXSSRules are n rules that block cross-site scripting in the body, from priority first on,
// each after ten text transformations: 140 WCUs (40, and 10 per transformation).
func wafXSSRules(first, n int) wafv2.WebAclRuleArray {
	var ts wafv2.WebAclRuleStatementXssMatchStatementTextTransformationArray
	for i := 0; i < 10; i++ {
		ts = append(ts, &wafv2.WebAclRuleStatementXssMatchStatementTextTransformationArgs{Priority: pulumi.Int(i), Type: pulumi.String("URL_DECODE")})
	}
	var out wafv2.WebAclRuleArray
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("xss-%d", i)
		out = append(out, &wafv2.WebAclRuleArgs{
			Name:     pulumi.String(name),
			Priority: pulumi.Int(first + i),
			Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
			Statement: &wafv2.WebAclRuleStatementArgs{XssMatchStatement: &wafv2.WebAclRuleStatementXssMatchStatementArgs{
				FieldToMatch:        &wafv2.WebAclRuleStatementXssMatchStatementFieldToMatchArgs{Body: &wafv2.WebAclRuleStatementXssMatchStatementFieldToMatchBodyArgs{}},
				TextTransformations: ts,
			}},
			VisibilityConfig: wafRuleVisibility(name),
		})
	}
	return out
}

// wafInspect sets a web ACL's CloudFront body inspection limit.
func wafInspect(limit string) func(*wafv2.WebAclArgs) {
	return func(a *wafv2.WebAclArgs) {
		a.AssociationConfig = &wafv2.WebAclAssociationConfigArgs{RequestBodies: wafv2.WebAclAssociationConfigRequestBodyArray{&wafv2.WebAclAssociationConfigRequestBodyArgs{
			Cloudfronts: wafv2.WebAclAssociationConfigRequestBodyCloudfrontArray{&wafv2.WebAclAssociationConfigRequestBodyCloudfrontArgs{DefaultSizeInspectionLimit: pulumi.String(limit)}},
		}}}
	}
}

// s3BucketACL grants the bucket owner FULL_CONTROL through the bucket's ACL, after o.
func s3BucketACL(ctx *pulumi.Context, b *s3.BucketV2, o *s3.BucketOwnershipControls) error {
	_, err := s3.NewBucketAclV2(ctx, "logs-acl", &s3.BucketAclV2Args{
		Bucket: b.ID(),
		AccessControlPolicy: &s3.BucketAclV2AccessControlPolicyArgs{
			Owner: &s3.BucketAclV2AccessControlPolicyOwnerArgs{Id: pulumi.String(CanonicalUserID)},
			Grants: s3.BucketAclV2AccessControlPolicyGrantArray{&s3.BucketAclV2AccessControlPolicyGrantArgs{
				Permission: pulumi.String("FULL_CONTROL"),
				Grantee:    &s3.BucketAclV2AccessControlPolicyGrantGranteeArgs{Type: pulumi.String("CanonicalUser"), Id: pulumi.String(CanonicalUserID)},
			}},
		},
	}, s3DependsOnOwnership(o))
	return err
}

// s3AccessLogsBetween logs a bucket of the engine's region into a bucket of targetRegion.
func s3AccessLogsBetween(targetRegion string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		site, err := s3.NewBucketV2(ctx, "site", &s3.BucketV2Args{})
		if err != nil {
			return err
		}
		p, err := aws.NewProvider(ctx, "p", &aws.ProviderArgs{Region: pulumi.String(targetRegion)})
		if err != nil {
			return err
		}
		logs, err := s3.NewBucketV2(ctx, "logs", &s3.BucketV2Args{}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = s3.NewBucketLoggingV2(ctx, "site-logging", &s3.BucketLoggingV2Args{Bucket: site.ID(), TargetBucket: logs.ID(), TargetPrefix: pulumi.String("s3/")})
		return err
	}
}

// r53AliasRecord points www.example.com at a CloudFront domain through zone.
func r53AliasRecord(zone string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := route53.NewRecord(ctx, "www", &route53.RecordArgs{
			ZoneId: pulumi.String("Z0EXAMPLEZONE"),
			Name:   pulumi.String("www.example.com"),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name: pulumi.String("d111111abcdef8.cloudfront.net"), ZoneId: pulumi.String(zone), EvaluateTargetHealth: pulumi.Bool(false),
			}},
		})
		return err
	}
}
