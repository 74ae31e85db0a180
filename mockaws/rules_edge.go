package mockaws

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/plain"
)

// Resource types of the edge tier's rules.
const (
	edgeTypeDistribution  = contract.TypeCloudFrontDistribution
	edgeTypeFunction      = contract.TypeCloudFrontFunction
	edgeTypeHeadersPolicy = contract.TypeCloudFrontResponseHeadersPolicy
	edgeTypeOAC           = contract.TypeCloudFrontOriginAccessControl
	edgeTypeWebACL        = contract.TypeWAFv2WebACL
	edgeTypeBucket        = contract.TypeS3BucketV2
	edgeTypeBucketACL     = contract.TypeS3BucketACLV2
	edgeTypeBucketLogging = contract.TypeS3BucketLoggingV2
	edgeTypeOwnership     = contract.TypeS3BucketOwnershipControls
	edgeTypeCertificate   = contract.TypeACMCertificate
	edgeTypeRecord        = contract.TypeRoute53Record
	edgeCloudFrontRegion  = "us-east-1"
	edgeMaxWebACLCapacity = 5000
	edgeMaxFunctionCode   = 10 * 1024
	edgeMaxCSPLength      = 1783
	edgeTypeLifecycle     = contract.TypeS3BucketLifecycleConfigurationV2
	edgeTypeCORS          = contract.TypeS3BucketCORSConfigurationV2
	edgeTypeKeyPolicy     = contract.TypeKMSKeyPolicy
	// edgeMaxCacheBehaviors and edgeMaxOrigins are CloudFront's default quotas per
	// distribution.
	edgeMaxCacheBehaviors = 25
	edgeMaxOrigins        = 25
)

// edgeCORSMethods are the methods an S3 CORS rule may allow.
var edgeCORSMethods = []string{"GET", "PUT", "POST", "DELETE", "HEAD"}

// edgeRules are the AWS rules of the edge tier's resource types (see Rule).
var edgeRules = []Rule{
	// cloudfront/viewer-certificate-region: a distribution's ACM certificate must be in
	// us-east-1. CloudFront answers `InvalidViewerCertificate: The specified SSL certificate
	// doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid
	// certificate chain.` Source: CloudFront developer guide, "Requirements for using SSL/TLS
	// certificates with CloudFront" ("request (or import) the certificate in the US East (N.
	// Virginia) Region (us-east-1)"); the error as reported in
	// cloudposse/terraform-aws-cloudfront-s3-cdn#55 and milliHQ/terraform-aws-next-js#61.
	{
		ID:     "cloudfront/viewer-certificate-region",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cnames-and-https-requirements.html",
		Create: func(e *Engine, r *Resource) error {
			arn := r.inStr("viewerCertificate", "acmCertificateArn")
			if arn != "" && edgeARNRegion(arn) != edgeCloudFrontRegion {
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidViewerCertificate",
					"The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.")
			}
			return nil
		},
	},
	// cloudfront/aliases-need-certificate: a distribution with alternate domain names must have
	// a certificate of its own (not the *.cloudfront.net default). CloudFront answers
	// `InvalidViewerCertificate: To add an alternate domain name (CNAME) to a CloudFront
	// distribution, you must attach a trusted certificate that validates your authorization to
	// use the domain name. For more details, see: <guide>`. Source: CloudFront developer guide,
	// "Requirements for using alternate domain names"; the error as reported in
	// cloudposse/terraform-aws-cloudfront-s3-cdn#72.
	{
		ID:     "cloudfront/aliases-need-certificate",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements",
		Create: func(e *Engine, r *Resource) error {
			if len(r.inList("aliases")) > 0 && r.inStr("viewerCertificate", "acmCertificateArn") == "" && r.inStr("viewerCertificate", "iamCertificateId") == "" {
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidViewerCertificate",
					"To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name. "+
						"For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements")
			}
			return nil
		},
	},
	// cloudfront/certificate-covers-aliases: every alternate domain name must be covered by the
	// attached certificate (its domain name or a subject alternative name, exactly or by a
	// wildcard one level up). CloudFront answers `InvalidViewerCertificate: The certificate that
	// is attached to your distribution doesn't cover the alternate domain name (CNAME) that
	// you're trying to add. For more details, see: <guide>`. Judged when the certificate is a
	// registered acm.Certificate. Source: CloudFront developer guide, "Requirements for using
	// alternate domain names"; hashicorp/terraform-provider-aws#13828.
	{
		ID:     "cloudfront/certificate-covers-aliases",
		Type:   edgeTypeDistribution,
		Source: "https://github.com/hashicorp/terraform-provider-aws/issues/13828",
		Create: func(e *Engine, r *Resource) error {
			cert := e.byRef(edgeTypeCertificate, r.inStr("viewerCertificate", "acmCertificateArn"))
			if cert == nil {
				return nil
			}
			names := append([]string{str(cert.Inputs, "domainName")}, plain.Strs(cert.Input("subjectAlternativeNames"))...)
			for _, alias := range plain.Strs(r.Input("aliases")) {
				if !slices.ContainsFunc(names, func(n string) bool { return certificateCovers(n, alias) }) {
					return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidViewerCertificate",
						"The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) that you're trying to add. "+
							"For more details, see: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/CNAMEs.html#alternate-domain-names-requirements")
				}
			}
			return nil
		},
	},
	// cloudfront/web-acl-scope: WebAclId must be a WAFv2 web ACL of CLOUDFRONT scope, by ARN
	// ("arn:aws:wafv2:us-east-1:<account>:global/webacl/..."), or a WAF Classic ID. A REGIONAL
	// web ACL is answered `InvalidWebACLId: Web ACL is not accessible by the requester.`, a
	// value of neither form `InvalidWebACLId: Invalid webACL identifier provided <value>`.
	// Source: CloudFront API reference, DistributionConfig.WebACLId ("To specify a web ACL
	// created using the latest version of WAF, use the ACL ARN ... global/webacl/..."); the
	// errors as reported in hashicorp/terraform#17544 and fugue/regula#249.
	{
		ID:     "cloudfront/web-acl-scope",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html",
		Create: func(e *Engine, r *Resource) error {
			id := r.inStr("webAclId")
			switch {
			case id == "":
				return nil
			case strings.HasPrefix(id, "arn:") && strings.Contains(id, ":wafv2:") && (!strings.Contains(id, ":global/webacl/") || edgeARNRegion(id) != edgeCloudFrontRegion):
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidWebACLId", "Web ACL is not accessible by the requester.")
			case !strings.HasPrefix(id, "arn:") && !classicWebACLID(id):
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidWebACLId", "Invalid webACL identifier provided %s", id)
			}
			return nil
		},
	},
	// cloudfront/logging-bucket-acl: the bucket of standard logs must have ACLs enabled: its
	// ownership controls must not be BucketOwnerEnforced, and a new bucket starts with
	// BucketOwnerEnforced (S3's default since April 2023), so the ownership controls must exist
	// before the distribution (it depends on them). CloudFront answers `InvalidArgument: The S3
	// bucket that you specified for CloudFront logs does not enable ACL access: <bucket domain>`.
	// Source: CloudFront developer guide, standard logging ("Don't choose an Amazon S3 bucket
	// with S3 Object Ownership set to bucket owner enforced"); the error as reported in
	// aws/aws-cdk#25291 and aws-samples/baseline-environment-on-aws#363.
	{
		ID:     "cloudfront/logging-bucket-acl",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging-legacy-s3.html#AccessLogsBucketAndFileOwnership",
		Create: func(e *Engine, r *Resource) error {
			domain := r.inStr("loggingConfig", "bucket")
			if domain == "" {
				return nil
			}
			buckets := e.Registered(edgeTypeBucket, func(b *Resource) bool { return str(b.State, "bucketDomainName") == domain })
			if len(buckets) == 0 {
				return nil
			}
			if ownership := e.edgeBucketOwnership(buckets[0]); ownership == nil || edgeObjectOwnership(ownership) == "BucketOwnerEnforced" || !slices.Contains(r.Dependencies, ownership.URN) {
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidArgument",
					"The S3 bucket that you specified for CloudFront logs does not enable ACL access: %s", domain)
			}
			return nil
		},
	},
	// cloudfront/oac-and-oai: an origin cannot have both an origin access control and an origin
	// access identity. CloudFront answers `IllegalOriginAccessConfiguration: Cannot use both
	// Origin Access Control and Origin Access Identity on an origin`. Source: CloudFront API
	// reference, CreateDistribution errors ("IllegalOriginAccessConfiguration: An origin cannot
	// contain both an origin access control (OAC) and an origin access identity (OAI)."); the
	// message as reported in awslabs/aws-solutions-constructs#1206.
	{
		ID:     "cloudfront/oac-and-oai",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateDistribution.html",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("origins") {
				if r.inStr("origins", i, "originAccessControlId") != "" && r.inStr("origins", i, "s3OriginConfig", "originAccessIdentity") != "" {
					return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "IllegalOriginAccessConfiguration",
						"Cannot use both Origin Access Control and Origin Access Identity on an origin")
				}
			}
			return nil
		},
	},
	// cloudfront/oac-origin-type: an origin's origin access control must be of the origin's
	// type: an "s3" OAC on a custom origin (customOriginConfig) is answered `Illegal
	// configuration: The origin type and OAC origin type differ.` (the message as
	// CloudFormation relayed it in aws/aws-cdk#26405; the report does not show CloudFront's
	// error code, InvalidArgument is assumed). Judged when the OAC is registered.
	{
		ID:     "cloudfront/oac-origin-type",
		Type:   edgeTypeDistribution,
		Source: "https://github.com/aws/aws-cdk/issues/26405",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("origins") {
				oac := e.byRef(edgeTypeOAC, r.inStr("origins", i, "originAccessControlId"))
				if oac == nil {
					continue
				}
				custom := r.has("origins", i, "customOriginConfig")
				if kind := str(oac.Inputs, "originAccessControlOriginType"); kind == "s3" && custom {
					return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "InvalidArgument",
						"Illegal configuration: The origin type and OAC origin type differ.")
				}
			}
			return nil
		},
	},
	// cloudfront/target-origin-exists: every cache behavior's targetOriginId must name an
	// origin (or origin group) of the distribution. CloudFront answers `NoSuchOrigin: One or more
	// of your origins do not exist.` Source: CloudFront API reference, CacheBehavior
	// (TargetOriginId: "The value of ID for the origin that you want CloudFront to route
	// requests to"); the error as reported in hashicorp/terraform#18283 and
	// aws/aws-sdk-ruby#225.
	{
		ID:     "cloudfront/target-origin-exists",
		Type:   edgeTypeDistribution,
		Source: "https://github.com/hashicorp/terraform/issues/18283",
		Create: func(e *Engine, r *Resource) error {
			ids := map[string]bool{}
			for i := range r.inList("origins") {
				ids[r.inStr("origins", i, "originId")] = true
			}
			for i := range r.inList("originGroups") {
				ids[r.inStr("originGroups", i, "originId")] = true
			}
			targets := []string{r.inStr("defaultCacheBehavior", "targetOriginId")}
			for i := range r.inList("orderedCacheBehaviors") {
				targets = append(targets, r.inStr("orderedCacheBehaviors", i, "targetOriginId"))
			}
			for _, t := range targets {
				if t != "" && !ids[t] {
					return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "NoSuchOrigin", "One or more of your origins do not exist.")
				}
			}
			return nil
		},
	},
	// cloudfront/function-code-size: a CloudFront Function's code is at most 10 KB. CloudFront
	// answers `FunctionSizeLimitExceeded: The function is too large. For more information, see
	// Quotas (formerly known as limits) in the Amazon CloudFront Developer Guide.` Source:
	// CloudFront developer guide, "Quotas on CloudFront Functions" (maximum function size
	// 10 KB), and the CreateFunction API reference for the error.
	{
		ID:     "cloudfront/function-code-size",
		Type:   edgeTypeFunction,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-functions",
		Create: func(e *Engine, r *Resource) error {
			if len(r.inStr("code")) > edgeMaxFunctionCode {
				return apiErr("creating CloudFront Function", "CloudFront: CreateFunction", "FunctionSizeLimitExceeded",
					"The function is too large. For more information, see Quotas (formerly known as limits) in the Amazon CloudFront Developer Guide.")
			}
			return nil
		},
	},
	// cloudfront/function-runtime: a CloudFront Function's runtime is cloudfront-js-1.0 or
	// cloudfront-js-2.0; the provider refuses anything else before calling AWS: `expected
	// runtime to be one of ["cloudfront-js-1.0" "cloudfront-js-2.0"], got <value>`. Source:
	// CloudFront API reference, FunctionConfig.Runtime (Valid Values), and the provider's
	// schema validation (enum of FunctionRuntime).
	{
		ID:     "cloudfront/function-runtime",
		Type:   edgeTypeFunction,
		Source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionConfig.html",
		Create: func(e *Engine, r *Resource) error {
			runtimes := []string{"cloudfront-js-1.0", "cloudfront-js-2.0"}
			if rt := r.inStr("runtime"); !slices.Contains(runtimes, rt) {
				return providerErr("expected runtime to be one of %q, got %s", runtimes, rt)
			}
			return nil
		},
	},
	// cloudfront/csp-length: a response headers policy's Content-Security-Policy is at most
	// 1,783 characters. CloudFront answers `TooLongCSPInResponseHeadersPolicy: The length of the
	// Content-Security-Policy header value in the response headers policy exceeds the maximum.`
	// Source: CloudFront developer guide, "Quotas on headers" (maximum length of the value of
	// the Content-Security-Policy header: 1,783 characters), and the
	// CreateResponseHeadersPolicy API reference for the error. Config: webstack:edge.
	// contentSecurityPolicy.
	{
		ID:     "cloudfront/csp-length",
		Type:   edgeTypeHeadersPolicy,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-custom-headers",
		Create: func(e *Engine, r *Resource) error {
			if len(r.inStr("securityHeadersConfig", "contentSecurityPolicy", "contentSecurityPolicy")) > edgeMaxCSPLength {
				return apiErr("creating CloudFront Response Headers Policy", "CloudFront: CreateResponseHeadersPolicy", "TooLongCSPInResponseHeadersPolicy",
					"The length of the Content-Security-Policy header value in the response headers policy exceeds the maximum.")
			}
			return nil
		},
	},
	// wafv2/cloudfront-scope-region: a CLOUDFRONT-scope web ACL can be created only in
	// us-east-1 (through a provider for that region). WAF answers
	// `WAFInvalidParameterException: Error reason: The scope is not valid., field: SCOPE_VALUE,
	// parameter: CLOUDFRONT`. Source: WAF API reference, CreateWebACL ("To work with CloudFront,
	// you must also specify the Region US East (N. Virginia)"); the error as reported in
	// aws-solutions/aws-waf-security-automations#187 and #300.
	{
		ID:     "wafv2/cloudfront-scope-region",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
		Create: func(e *Engine, r *Resource) error {
			if r.inStr("scope") == "CLOUDFRONT" && e.providerRegion(r.Provider) != edgeCloudFrontRegion {
				return apiErr("creating WAFv2 WebACL", "WAFV2: CreateWebACL", "WAFInvalidParameterException",
					"Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT")
			}
			return nil
		},
	},
	// wafv2/managed-group-override-action: a rule whose statement is a managed rule group takes
	// an overrideAction and no action; every other rule takes an action. Without the override
	// action WAF answers `WAFInvalidParameterException: Error reason: A reference in your rule
	// statement is not valid., field: RULE, parameter: Statement`; with both, or with an action
	// instead, `WAFInvalidParameterException: Error reason: Your statement has multiple values
	// set for a field that requires exactly one value., field: RULE, parameter: Rule`. Source:
	// WAF API reference, Rule (OverrideAction: "Used only for rule statements that reference a
	// rule group"); the errors as reported in hashicorp/terraform-provider-aws#14120,
	// sid88in/serverless-appsync-plugin#412 and aws/aws-cdk#6056.
	{
		ID:     "wafv2/managed-group-override-action",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("rules") {
				group := r.has("rules", i, "statement", "managedRuleGroupStatement") || r.has("rules", i, "statement", "ruleGroupReferenceStatement")
				action, override := r.has("rules", i, "action"), r.has("rules", i, "overrideAction")
				switch {
				case group && !override && !action:
					return apiErr("creating WAFv2 WebACL", "WAFV2: CreateWebACL", "WAFInvalidParameterException",
						"Error reason: A reference in your rule statement is not valid., field: RULE, parameter: Statement")
				case group && action, !group && override, action && override:
					return apiErr("creating WAFv2 WebACL", "WAFV2: CreateWebACL", "WAFInvalidParameterException",
						"Error reason: Your statement has multiple values set for a field that requires exactly one value., field: RULE, parameter: Rule")
				}
			}
			return nil
		},
	},
	// wafv2/logical-statement-arity: an AND or OR statement combines at least two statements
	// (a NOT statement negates exactly one). WAF answers `WAFInvalidParameterException: Error
	// reason: You haven't met a minimum requirement for a threshold setting. Examples include a
	// rule group capacity setting that's too low and an OR statement with only one nested
	// statement., field: AND_STATEMENT, parameter: AndStatement` (OR_STATEMENT for an OR).
	// Source: WAF API reference, AndStatement ("The statements to combine with AND logic. You
	// can use any statements that can be nested." — Statements, at least two); the error as
	// reported in hashicorp/terraform-provider-aws#34320.
	{
		ID:     "wafv2/logical-statement-arity",
		Type:   edgeTypeWebACL,
		Source: "https://github.com/hashicorp/terraform-provider-aws/issues/34320",
		Create: func(e *Engine, r *Resource) error {
			var err error
			for i := range r.inList("rules") {
				wafWalkStatements(r.Input("rules", i, "statement"), func(st map[string]any) {
					for key, field := range map[string]string{"andStatement": "AND_STATEMENT", "orStatement": "OR_STATEMENT"} {
						if nested := plain.Obj(st[key]); nested != nil && len(plain.List(nested["statements"])) < 2 && err == nil {
							param := map[string]string{"andStatement": "AndStatement", "orStatement": "OrStatement"}[key]
							err = apiErr("creating WAFv2 WebACL", "WAFV2: CreateWebACL", "WAFInvalidParameterException",
								"Error reason: You haven't met a minimum requirement for a threshold setting. Examples include a rule group capacity setting that's too low "+
									"and an OR statement with only one nested statement., field: %s, parameter: %s", field, param)
						}
					}
				})
			}
			return err
		},
	},
	// wafv2/statement-nesting: the provider's schema nests logical statements (AND, OR, NOT)
	// at most three levels deep under a rule's statement, and two under a rate-based or
	// managed rule group statement's scope-down statement (terraform-provider-aws
	// internal/service/wafv2: webACLRootStatementSchemaLevel = 3, scope_down_statement =
	// scopeDownStatementSchema(level - 1); the innermost level holds only match statements).
	// WAF itself accepts deeper nesting (through ruleJson). Deeper rules are refused before
	// AWS is called: `aws:wafv2/webAcl:WebAcl resource '<name>' has a problem: Invalid or
	// unknown key. Examine values at '<name>.rules'.` Source: pulumi/pulumi-aws#4868 (the
	// error, and "WebAclRule only allows three levels of nesting"), the SDK's doc comment of
	// WebAcl.RuleJson ("more than 3 levels of nested statements").
	{
		ID:     "wafv2/statement-nesting",
		Type:   edgeTypeWebACL,
		Source: "https://github.com/pulumi/pulumi-aws/issues/4868",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("rules") {
				if !wafNestingFits(r.Input("rules", i, "statement"), wafMaxNesting) {
					return providerErr("aws:wafv2/webAcl:WebAcl resource '%s' has a problem: Invalid or unknown key. Examine values at '%s.rules'.", r.Name, r.Name)
				}
			}
			return nil
		},
	},
	// wafv2/label-match: a label match statement's scope is LABEL or NAMESPACE, and its key
	// 1 to 1,024 characters of letters, digits, "_", "-" and ":" (a label or namespace,
	// "awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body"). The provider validates
	// both before it calls AWS: `invalid value for <path>.label_match_statement.0.key (must
	// contain only alphanumeric, underscore, hyphen, and colon characters)`, `expected
	// <path>.label_match_statement.0.scope to be one of ["LABEL" "NAMESPACE"], got <v>`.
	// Source: WAF API reference, LabelMatchStatement (Key: length 1-1024, pattern
	// ^[0-9A-Za-z_\-:]+$; Scope: LABEL | NAMESPACE), and the provider's schema
	// (labelMatchStatementSchema).
	{
		ID:     "wafv2/label-match",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_LabelMatchStatement.html",
		Create: func(e *Engine, r *Resource) error {
			var err error
			for i := range r.inList("rules") {
				wafWalkPaths(r.Input("rules", i, "statement"), fmt.Sprintf("rule.%d.statement.0", i), func(st map[string]any, path string) {
					m := plain.Obj(st["labelMatchStatement"])
					if m == nil || err != nil {
						return
					}
					path += ".label_match_statement.0"
					key, scope := plain.Str(m["key"]), plain.Str(m["scope"])
					switch {
					case scope != "LABEL" && scope != "NAMESPACE":
						err = providerErr(`expected %s.scope to be one of ["LABEL" "NAMESPACE"], got %s`, path, scope)
					case len(key) < 1 || len(key) > 1024:
						err = providerErr("expected length of %s.key to be in the range (1 - 1024), got %s", path, key)
					case !wafLabelKey.MatchString(key):
						err = providerErr("invalid value for %s.key (must contain only alphanumeric, underscore, hyphen, and colon characters)", path)
					}
				})
			}
			return err
		},
	},
	// wafv2/single-header-name: a field to match's single header is named in lower case (1 to
	// 40 characters of lower-case letters, digits, "_" and "-"); the API returns header names
	// in lower case, so the provider refuses anything else: `invalid value for
	// <path>.field_to_match.0.single_header.0.name (must contain only lowercase alphanumeric
	// characters, underscores, and hyphens)`. Source: the SDK's doc comment of
	// WebAclRuleStatementByteMatchStatementFieldToMatchSingleHeader.Name ("This setting must be
	// provided as lower case characters"), and the provider's schema (fieldToMatchBaseSchema).
	{
		ID:     "wafv2/single-header-name",
		Type:   edgeTypeWebACL,
		Source: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/wafv2/schemas.go",
		Create: func(e *Engine, r *Resource) error {
			var err error
			for i := range r.inList("rules") {
				wafWalkPaths(r.Input("rules", i, "statement"), fmt.Sprintf("rule.%d.statement.0", i), func(st map[string]any, path string) {
					for kind, m := range st {
						h := plain.Obj(plain.Obj(plain.Obj(m)["fieldToMatch"])["singleHeader"])
						if h == nil || err != nil {
							continue
						}
						if name := plain.Str(h["name"]); !wafHeaderName.MatchString(name) {
							err = providerErr("invalid value for %s.%s.0.field_to_match.0.single_header.0.name (must contain only lowercase alphanumeric characters, underscores, and hyphens)", path, snake(kind))
						}
					}
				})
			}
			return err
		},
	},
	// wafv2/capacity: a web ACL uses at most 5,000 web ACL capacity units (WCUs; above 1,500 it
	// costs extra). WAF answers `WAFInvalidParameterException: Error reason: You exceeded the
	// capacity limit for a rule group or web ACL., field: WEB_ACL, parameter: <capacity>`. The
	// capacity is computed as the WAF developer guide prices each statement (webACLCapacity).
	// Source: WAF developer guide, "Web ACL capacity units (WCUs)"; the error as reported in
	// trussworks/terraform-aws-wafv2#87.
	{
		ID:     "wafv2/capacity",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html",
		Create: func(e *Engine, r *Resource) error {
			if c := webACLCapacity(r); c > edgeMaxWebACLCapacity {
				return apiErr("creating WAFv2 WebACL", "WAFV2: CreateWebACL", "WAFInvalidParameterException",
					"Error reason: You exceeded the capacity limit for a rule group or web ACL., field: WEB_ACL, parameter: %d", c)
			}
			return nil
		},
	},
	// wafv2/rate-limit-range: a rate-based statement's limit must be 100 to 2,000,000,000 for
	// the provider (the WAF API accepts 10 since 2023, the provider's schema still validates
	// 100): `expected rule.<i>.statement.0.rate_based_statement.0.limit to be in the range (100 -
	// 2000000000), got <n>`. Source: pulumi/pulumi-aws#5841. Config: webstack:edge.wafRateLimit.
	{
		ID:     "wafv2/rate-limit-range",
		Type:   edgeTypeWebACL,
		Source: "https://github.com/pulumi/pulumi-aws/issues/5841",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("rules") {
				if n, ok := r.inNum("rules", i, "statement", "rateBasedStatement", "limit"); ok && (n < 100 || n > 2_000_000_000) {
					return providerErr("expected rule.%d.statement.0.rate_based_statement.0.limit to be in the range (100 - 2000000000), got %d", i, int(n))
				}
			}
			return nil
		},
	},
	// wafv2/evaluation-window: a rate-based statement's evaluation window is 60, 120, 300 or
	// 600 seconds; the provider refuses anything else: `expected
	// rule.<i>.statement.0.rate_based_statement.0.evaluation_window_sec to be one of [60 120 300
	// 600], got <n>`. Source: WAF API reference, RateBasedStatement (EvaluationWindowSec: "Valid
	// settings are 60, 120, 300, and 600"), and the provider's schema (IntInSlice).
	{
		ID:     "wafv2/evaluation-window",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html",
		Create: func(e *Engine, r *Resource) error {
			windows := []int{60, 120, 300, 600}
			for i := range r.inList("rules") {
				if n, ok := r.inNum("rules", i, "statement", "rateBasedStatement", "evaluationWindowSec"); ok && !slices.Contains(windows, int(n)) {
					return providerErr("expected rule.%d.statement.0.rate_based_statement.0.evaluation_window_sec to be one of %s, got %d", i, quotedList(windows), int(n))
				}
			}
			return nil
		},
	},
	// wafv2/body-inspection-limit: the body inspection limit of an association config is KB_16,
	// KB_32, KB_48 or KB_64; the provider refuses anything else: `expected
	// default_size_inspection_limit to be one of ["KB_16" "KB_32" "KB_48" "KB_64"], got <v>`.
	// Source: WAF API reference, RequestBodyAssociatedResourceTypeConfig
	// (DefaultSizeInspectionLimit, Valid Values), and the provider's schema (enum of
	// SizeInspectionLimit). Config: webstack:edge.wafBodyInspectionKB.
	{
		ID:     "wafv2/body-inspection-limit",
		Type:   edgeTypeWebACL,
		Source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_RequestBodyAssociatedResourceTypeConfig.html",
		Create: func(e *Engine, r *Resource) error {
			limits := []string{"KB_16", "KB_32", "KB_48", "KB_64"}
			for i := range r.inList("associationConfig", "requestBodies") {
				for _, kind := range []string{"cloudfronts", "apiGateways", "appRunnerServices", "cognitoUserPools", "verifiedAccessInstances"} {
					for j := range r.inList("associationConfig", "requestBodies", i, kind) {
						if v := r.inStr("associationConfig", "requestBodies", i, kind, j, "defaultSizeInspectionLimit"); !slices.Contains(limits, v) {
							return providerErr("expected default_size_inspection_limit to be one of %q, got %s", limits, v)
						}
					}
				}
			}
			return nil
		},
	},
	// s3/acl-needs-object-ownership: a bucket ACL needs ACLs enabled: ownership controls other
	// than BucketOwnerEnforced, registered before the ACL and waited for (a new bucket starts
	// BucketOwnerEnforced, S3's default since April 2023). S3 answers
	// `AccessControlListNotSupported: The bucket does not allow ACLs`. Source: S3 user guide,
	// "Controlling ownership of objects and disabling ACLs for your bucket"; the error as
	// reported in defenseunicorns/delivery-aws-iac#159.
	{
		ID:     "s3/acl-needs-object-ownership",
		Type:   edgeTypeBucketACL,
		Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
		Create: func(e *Engine, r *Resource) error {
			bucket := e.byRef(edgeTypeBucket, r.inStr("bucket"))
			if bucket == nil {
				return nil
			}
			if ownership := e.edgeBucketOwnership(bucket); ownership == nil || edgeObjectOwnership(ownership) == "BucketOwnerEnforced" || !slices.Contains(r.Dependencies, ownership.URN) {
				return apiErr(fmt.Sprintf("creating S3 Bucket (%s) ACL", bucket.ID), "S3: PutBucketAcl", "AccessControlListNotSupported", "The bucket does not allow ACLs")
			}
			return nil
		},
	},
	// s3/bucket-name-length: a bucket name is at most 63 characters, and since S3 (through the
	// provider) appends a 26-character unique suffix to a prefix, bucketPrefix is at most 37.
	// The provider refuses longer ones before calling AWS: `expected length of bucket_prefix to
	// be in the range (0 - 37), got <prefix>` (`expected length of bucket to be in the range (0 -
	// 63), got <name>`). Source: hashicorp/terraform-provider-aws#7778 (the validation), the
	// error as reported in mantil-io/mantil#53; S3 user guide, "Bucket naming rules".
	{
		ID:     "s3/bucket-name-length",
		Type:   edgeTypeBucket,
		Source: "https://github.com/hashicorp/terraform-provider-aws/pull/7778",
		Create: func(e *Engine, r *Resource) error {
			if p := r.inStr("bucketPrefix"); len(p) > 37 {
				return providerErr("expected length of bucket_prefix to be in the range (0 - 37), got %s", p)
			}
			if b := r.inStr("bucket"); len(b) > 63 {
				return providerErr("expected length of bucket to be in the range (0 - 63), got %s", b)
			}
			return nil
		},
	},
	// s3/access-log-target-region: server access logs go only to a bucket in the source
	// bucket's region. S3 answers `CrossLocationLoggingProhibitted: Cross S3 location logging
	// not allowed.` (sic). Source: S3 user guide, "Troubleshoot server access logging" ("If the
	// destination bucket is in a different Region than the source bucket, a Cross S3 location
	// logging not allowed error occurs"). Judged when both buckets are registered.
	{
		ID:     "s3/access-log-target-region",
		Type:   edgeTypeBucketLogging,
		Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html",
		Create: func(e *Engine, r *Resource) error {
			source, target := e.byRef(edgeTypeBucket, r.inStr("bucket")), e.byRef(edgeTypeBucket, r.inStr("targetBucket"))
			if source == nil || target == nil {
				return nil
			}
			if e.providerRegion(source.Provider) != e.providerRegion(target.Provider) {
				return apiErr("creating S3 Bucket Logging", "S3: PutBucketLogging", "CrossLocationLoggingProhibitted", "Cross S3 location logging not allowed.")
			}
			return nil
		},
	},
	// route53/cloudfront-alias-zone: an alias to a CloudFront distribution (*.cloudfront.net)
	// names CloudFront's hosted zone, Z2FDTNDATAQYW2. Route 53 answers `InvalidChangeBatch:
	// [Tried to create an alias that targets <name>., type <type> in zone <zone>, but the alias
	// target name does not lie within the target zone]`. Source: Route 53 API reference,
	// AliasTarget (HostedZoneId: "Specify Z2FDTNDATAQYW2 ... for CloudFront distributions"); the
	// error as reported in GSA-TTS/dns#31.
	{
		ID:     "route53/cloudfront-alias-zone",
		Type:   edgeTypeRecord,
		Source: "https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("aliases") {
				name, zone := strings.TrimSuffix(r.inStr("aliases", i, "name"), "."), r.inStr("aliases", i, "zoneId")
				if strings.HasSuffix(name, ".cloudfront.net") && zone != "" && zone != CloudFrontHostedZoneID {
					return apiErr("creating Route 53 Record", "Route 53: ChangeResourceRecordSets", "InvalidChangeBatch",
						"[Tried to create an alias that targets %s., type %s in zone %s, but the alias target name does not lie within the target zone]", name, r.inStr("type"), zone)
				}
			}
			return nil
		},
	},
	// cloudfront/distribution-quotas: a distribution has at most 25 cache behaviors besides the
	// default and 25 origins (CloudFront's default quotas, raised only on request). CloudFront
	// answers `TooManyCacheBehaviors: You cannot create more cache behaviors for the
	// distribution.` and `TooManyOrigins: You cannot create more origins for the
	// distribution.` (the API reference's descriptions of the two errors). Source: CloudFront
	// developer guide, "Quotas" (cache behaviors per distribution 25, origins per distribution
	// 25) and the CreateDistribution API reference, Errors.
	{
		ID:     "cloudfront/distribution-quotas",
		Type:   edgeTypeDistribution,
		Source: "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html#limits-web-distributions",
		Create: func(e *Engine, r *Resource) error {
			if len(r.inList("orderedCacheBehaviors")) > edgeMaxCacheBehaviors {
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "TooManyCacheBehaviors",
					"You cannot create more cache behaviors for the distribution.")
			}
			if len(r.inList("origins")) > edgeMaxOrigins {
				return apiErr("creating CloudFront Distribution", "CloudFront: CreateDistributionWithTags", "TooManyOrigins",
					"You cannot create more origins for the distribution.")
			}
			return nil
		},
	},
	// s3/lifecycle-abort-multipart-with-tags: a lifecycle rule that aborts incomplete
	// multipart uploads cannot be filtered by tags (an upload in progress has none). S3 answers
	// `InvalidRequest: AbortIncompleteMultipartUpload cannot be specified with Tags.` at apply,
	// though the configuration is valid to the provider. Source: S3 User Guide, "Configuring a
	// bucket lifecycle configuration to delete incomplete multipart uploads"; the error as
	// reported in terraform-aws-modules/terraform-aws-s3-bucket#109.
	{
		ID:     "s3/lifecycle-abort-multipart-with-tags",
		Type:   edgeTypeLifecycle,
		Source: "https://github.com/terraform-aws-modules/terraform-aws-s3-bucket/issues/109",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("rules") {
				if !r.has("rules", i, "abortIncompleteMultipartUpload") {
					continue
				}
				if r.has("rules", i, "filter", "tag") || len(r.inList("rules", i, "filter", "and", "tags")) > 0 || len(plain.Obj(r.Input("rules", i, "filter", "and", "tags"))) > 0 {
					return apiErr("creating S3 Bucket Lifecycle Configuration", "S3: PutBucketLifecycleConfiguration", "InvalidRequest",
						"AbortIncompleteMultipartUpload cannot be specified with Tags.")
				}
			}
			return nil
		},
	},
	// s3/cors-methods: a CORS rule allows only GET, PUT, POST, DELETE and HEAD (not OPTIONS:
	// S3 answers preflights itself, nor "*"). S3 answers `InvalidRequest: Found unsupported
	// HTTP method in CORS config. Unsupported method is <method>` (the wording as AWS emulators
	// reproduce it, e.g. moto's test_s3 put_bucket_cors tests; unverified against AWS). Source:
	// S3 User Guide, "CORS configuration", AllowedMethod.
	{
		ID:     "s3/cors-methods",
		Type:   edgeTypeCORS,
		Source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ManageCorsUsing.html",
		Create: func(e *Engine, r *Resource) error {
			for i := range r.inList("corsRules") {
				for _, m := range plain.Strs(r.Input("corsRules", i, "allowedMethods")) {
					if !slices.Contains(edgeCORSMethods, m) {
						return apiErr("creating S3 Bucket CORS Configuration", "S3: PutBucketCors", "InvalidRequest",
							"Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
					}
				}
			}
			return nil
		},
	},
	// kms/key-policy-resource-lockout: a policy set by a kms.KeyPolicy is held to the same
	// lockout check as a key's own (kms/key-policy-lockout): it must let the account's root or
	// the caller put the key policy again, or KMS answers `MalformedPolicyDocumentException:
	// The new key policy will not allow you to update the key policy in the future.` unless
	// bypassPolicyLockoutSafetyCheck is set. Source: AWS KMS API Reference, PutKeyPolicy
	// (BypassPolicyLockoutSafetyCheck).
	{
		ID:     "kms/key-policy-resource-lockout",
		Type:   edgeTypeKeyPolicy,
		Source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
		Create: func(e *Engine, r *Resource) error {
			doc, err := policyDocument(r, "policy")
			if err != nil || doc == nil || r.inBool("bypassPolicyLockoutSafetyCheck") {
				return err
			}
			if keyPolicyAdministrable(doc) {
				return nil
			}
			return apiErr("attaching KMS Key policy", "KMS: PutKeyPolicy", "MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.")
		},
	},
}

// edgeARNRegion returns the region of an ARN ("arn:aws:acm:us-east-1:1:certificate/x"), or "".
func edgeARNRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// classicWebACLID reports whether id has the shape of a WAF Classic web ACL ID (a UUID).
func classicWebACLID(id string) bool {
	parts := strings.Split(id, "-")
	if len(parts) != 5 {
		return false
	}
	for i, n := range []int{8, 4, 4, 4, 12} {
		if len(parts[i]) != n || strings.Trim(parts[i], "0123456789abcdef") != "" {
			return false
		}
	}
	return true
}

// certificateCovers reports whether a certificate name covers a host: exactly, or as a
// wildcard one level up ("*.example.com" covers "www.example.com", not "a.b.example.com").
func certificateCovers(name, host string) bool {
	if name == host {
		return true
	}
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		_, parent, found := strings.Cut(host, ".")
		return found && parent == rest
	}
	return false
}

// edgeBucketOwnership returns the ownership controls registered for a bucket, or nil.
func (e *Engine) edgeBucketOwnership(bucket *Resource) *Resource {
	found := e.Registered(edgeTypeOwnership, func(o *Resource) bool {
		ref := str(o.Inputs, "bucket")
		return ref != "" && (ref == bucket.ID || ref == str(bucket.State, "bucket"))
	})
	if len(found) == 0 {
		return nil
	}
	return found[len(found)-1]
}

// edgeObjectOwnership is the object ownership of ownership controls.
func edgeObjectOwnership(o *Resource) string { return plain.Str(o.Input("rule", "objectOwnership")) }

// wafWalkStatements calls f on a WAF statement and on every statement nested in it (logical
// statements, scope-down statements).
func wafWalkStatements(v any, f func(map[string]any)) {
	st := plain.Obj(v)
	if st == nil {
		return
	}
	f(st)
	for _, key := range []string{"andStatement", "orStatement", "notStatement"} {
		for _, nested := range plain.List(plain.Obj(st[key])["statements"]) {
			wafWalkStatements(nested, f)
		}
	}
	for _, key := range []string{"rateBasedStatement", "managedRuleGroupStatement"} {
		wafWalkStatements(plain.Obj(st[key])["scopeDownStatement"], f)
	}
}

// wafMaxNesting is how many levels of logical statements the provider's schema takes under a
// rule's statement (webACLRootStatementSchemaLevel).
const wafMaxNesting = 3

var (
	// wafLabelKey is the form of a label match statement's key.
	wafLabelKey = regexp.MustCompile(`^[0-9A-Za-z_\-:]+$`)
	// wafHeaderName is the form of a single header's name the provider accepts.
	wafHeaderName = regexp.MustCompile(`^[0-9a-z_-]{1,40}$`)
)

// wafNestingFits reports whether a statement's logical statements fit in level levels: each
// AND, OR or NOT takes one, and a rate-based or managed rule group statement's scope-down
// statement starts one level lower; at level 0 only match statements remain.
func wafNestingFits(v any, level int) bool {
	st := plain.Obj(v)
	if st == nil {
		return true
	}
	for _, key := range []string{"andStatement", "orStatement", "notStatement"} {
		nested := plain.Obj(st[key])
		if nested == nil {
			continue
		}
		if level < 1 {
			return false
		}
		for _, n := range plain.List(nested["statements"]) {
			if !wafNestingFits(n, level-1) {
				return false
			}
		}
	}
	for _, key := range []string{"rateBasedStatement", "managedRuleGroupStatement"} {
		if sd := plain.Obj(st[key])["scopeDownStatement"]; sd != nil && !wafNestingFits(sd, level-1) {
			return false
		}
	}
	return true
}

// wafWalkPaths calls f on a WAF statement and on every statement nested in it, with each
// one's address as the provider reports it ("rule.0.statement.0.and_statement.0.statement.1").
func wafWalkPaths(v any, path string, f func(st map[string]any, path string)) {
	st := plain.Obj(v)
	if st == nil {
		return
	}
	f(st, path)
	for _, key := range []string{"andStatement", "orStatement", "notStatement"} {
		for i, nested := range plain.List(plain.Obj(st[key])["statements"]) {
			wafWalkPaths(nested, fmt.Sprintf("%s.%s.0.statement.%d", path, snake(key), i), f)
		}
	}
	for _, key := range []string{"rateBasedStatement", "managedRuleGroupStatement"} {
		wafWalkPaths(plain.Obj(st[key])["scopeDownStatement"], fmt.Sprintf("%s.%s.0.scope_down_statement.0", path, snake(key)), f)
	}
}

// snake spells a camelCase input name as the provider's schema does: "andStatement" ->
// "and_statement".
func snake(name string) string {
	var b strings.Builder
	for _, c := range name {
		if c >= 'A' && c <= 'Z' {
			b.WriteByte('_')
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// managedRuleGroupCapacity is the capacity (WCUs) of AWS managed rule groups, as the WAF
// developer guide lists them.
// https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
var managedRuleGroupCapacity = map[string]int{
	"AWSManagedRulesCommonRuleSet":          700,
	"AWSManagedRulesAdminProtectionRuleSet": 100,
	"AWSManagedRulesKnownBadInputsRuleSet":  200,
	"AWSManagedRulesSQLiRuleSet":            200,
	"AWSManagedRulesLinuxRuleSet":           200,
	"AWSManagedRulesUnixRuleSet":            100,
	"AWSManagedRulesWindowsRuleSet":         200,
	"AWSManagedRulesPHPRuleSet":             100,
	"AWSManagedRulesWordPressRuleSet":       100,
	"AWSManagedRulesAmazonIpReputationList": 25,
	"AWSManagedRulesAnonymousIpList":        50,
	"AWSManagedRulesBotControlRuleSet":      50,
	"AWSManagedRulesATPRuleSet":             50,
}

// webACLCapacity returns a web ACL's capacity in WCUs, as the WAF developer guide prices each
// statement: a managed rule group its listed capacity, a rate-based statement 2, a size
// constraint 1, a byte match 2 (exact, prefix or suffix) or 10 (contains), geo and label
// match 1, an IP set 2, SQLi 20, XSS 40, a regex 4, a regex pattern set 40; logical statements
// the sum of what they nest; 10 more for each text transformation other than NONE and for
// "all query arguments", twice the base for a JSON body. A rule group the table does not know
// counts 0.
// https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statements-match.html
func webACLCapacity(r *Resource) int {
	total := 0
	for i := range r.inList("rules") {
		total += statementCapacity(r.Input("rules", i, "statement"))
	}
	return total
}

func statementCapacity(v any) int {
	st := plain.Obj(v)
	if st == nil {
		return 0
	}
	total := 0
	for _, key := range []string{"andStatement", "orStatement", "notStatement"} {
		for _, nested := range plain.List(plain.Obj(st[key])["statements"]) {
			total += statementCapacity(nested)
		}
	}
	if g := plain.Obj(st["managedRuleGroupStatement"]); g != nil {
		total += managedRuleGroupCapacity[plain.Str(g["name"])] + statementCapacity(g["scopeDownStatement"])
	}
	if rb := plain.Obj(st["rateBasedStatement"]); rb != nil {
		total += 2 + statementCapacity(rb["scopeDownStatement"])
	}
	bases := map[string]int{
		"sizeConstraintStatement": 1, "geoMatchStatement": 1, "labelMatchStatement": 1, "ipSetReferenceStatement": 2,
		"sqliMatchStatement": 20, "xssMatchStatement": 40, "regexMatchStatement": 4, "regexPatternSetReferenceStatement": 40,
	}
	for key, base := range bases {
		if m := plain.Obj(st[key]); m != nil {
			total += matchCapacity(m, base)
		}
	}
	if m := plain.Obj(st["byteMatchStatement"]); m != nil {
		base := 2
		if c := plain.Str(m["positionalConstraint"]); c == "CONTAINS" || c == "CONTAINS_WORD" {
			base = 10
		}
		total += matchCapacity(m, base)
	}
	return total
}

// matchCapacity prices a match statement on a request component.
func matchCapacity(m map[string]any, base int) int {
	field := plain.Obj(m["fieldToMatch"])
	if field["jsonBody"] != nil {
		base *= 2
	}
	if field["allQueryArguments"] != nil {
		base += 10
	}
	for _, t := range plain.List(m["textTransformations"]) {
		if plain.Str(plain.Obj(t)["type"]) != "NONE" {
			base += 10
		}
	}
	return base
}
