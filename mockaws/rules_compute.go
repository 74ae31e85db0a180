package mockaws

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/webstack/webstack/contract"
)

// Resource types the compute tier's rules judge.
const (
	ctLoadBalancer     = contract.TypeLBLoadBalancer
	ctTargetGroup      = contract.TypeLBTargetGroup
	ctListener         = contract.TypeLBListener
	ctListenerRule     = contract.TypeLBListenerRule
	ctAutoScalingGroup = contract.TypeAutoscalingGroup
	ctRepository       = contract.TypeECRRepository
	ctSubnet           = contract.TypeEC2Subnet
)

// elbIntBetween is the provider's message for a number its schema validation
// (terraform-plugin-sdk helper/validation.IntBetween) refuses; StringInSlice, StringLenBetween
// and StringMatch (without a message) are worded alike below.
func elbIntBetween(key string, lo, hi int, got float64) error {
	return providerErr("expected %s to be in the range (%d - %d), got %d", key, lo, hi, int(got))
}

// outsideRange reports whether an input number is set and outside lo..hi.
func outsideRange(r *Resource, lo, hi float64, path ...any) (float64, bool) {
	n, ok := r.inNum(path...)
	return n, ok && (n < lo || n > hi)
}

// fixedContentTypes are the content types of a fixed-response action.
var fixedContentTypes = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}

var (
	fixedStatusCode   = regexp.MustCompile(`^[245]\d\d$`)
	targetGroupName   = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	ruleRequestMethod = regexp.MustCompile(`^[A-Za-z-_]{1,40}$`)
	ruleHeaderField   = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+-.^_`|~]{1,40}$")
	// ecrRepositoryName is ECR's repository name pattern (CreateRepository, repositoryName).
	ecrRepositoryName = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)
)

// judgeFixedResponse judges a listener's or rule's fixed-response action at key (the provider's
// name for it, "default_action.N" or "action.N"); sdkPath is where the AWS SDK's validation
// names the same action ("CreateListenerInput.DefaultActions[N]", "CreateRuleInput.Actions[N]")
// and op what the provider was doing.
func judgeFixedResponse(op, key, sdkPath, api string, action map[string]any) error {
	if action["type"] != "fixed-response" {
		return nil
	}
	fr, _ := action["fixedResponse"].(map[string]any)
	ct, _ := fr["contentType"].(string)
	body, _ := fr["messageBody"].(string)
	status, _ := fr["statusCode"].(string)
	switch {
	case !slices.Contains(fixedContentTypes, ct):
		return providerErr("expected %s.fixed_response.0.content_type to be one of %q, got %s", key, fixedContentTypes, ct)
	case len(body) > 1024:
		return providerErr("expected length of %s.fixed_response.0.message_body to be in the range (0 - 1024), got %s", key, body[:40]+"…")
	case status == "":
		// The provider's schema leaves status_code optional, but the API requires it: the AWS
		// SDK inside the provider refuses the request before it is sent.
		return providerErr("%s: operation error %s, 1 validation error(s) found.\n- missing required field, %s.FixedResponseConfig.StatusCode.\n", op, api, sdkPath)
	case !fixedStatusCode.MatchString(status):
		return providerErr("expected value of %s.fixed_response.0.status_code to match regular expression %q, got %s", key, fixedStatusCode.String(), status)
	}
	return nil
}

// maxTargetGroupsPerAction is how many target groups one forward action may name: "Target
// Groups per Action per Application Load Balancer: 5", not adjustable (ALB quotas,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html).
const maxTargetGroupsPerAction = 5

// judgeForwardGroups judges how many target groups a forward action at key names. The provider's
// schema holds the quota (forward.target_group: MinItems 1, MaxItems 5, in both listener.go and
// listener_rule.go), and terraform-plugin-sdk refuses a longer set with "List longer than
// MaxItems: Attribute supports 5 item maximum, config has 6 declared".
func judgeForwardGroups(key string, action map[string]any) error {
	fw, _ := action["forward"].(map[string]any)
	if action["type"] != "forward" || fw == nil {
		return nil
	}
	if groups, _ := fw["targetGroups"].([]any); len(groups) > maxTargetGroupsPerAction {
		return providerErr("%s.forward.0.target_group: List longer than MaxItems: Attribute supports %d item maximum, config has %d declared",
			key, maxTargetGroupsPerAction, len(groups))
	}
	return nil
}

// judgeForwardWeights judges a weighted forward action at key: weights 0..999, a stickiness
// duration of 1..604800 seconds.
func judgeForwardWeights(key string, action map[string]any) error {
	fw, _ := action["forward"].(map[string]any)
	if action["type"] != "forward" || fw == nil {
		return nil
	}
	groups, _ := fw["targetGroups"].([]any)
	for i, g := range groups {
		if w, ok := g.(map[string]any)["weight"].(float64); ok && (w < 0 || w > 999) {
			return elbIntBetween(fmt.Sprintf("%s.forward.0.target_group.%d.weight", key, i), 0, 999, w)
		}
	}
	st, _ := fw["stickiness"].(map[string]any)
	if d, ok := st["duration"].(float64); ok && (d < 1 || d > 604800) {
		return elbIntBetween(key+".forward.0.stickiness.0.duration", 1, 604800, d)
	}
	return nil
}

// maxRulesPerLoadBalancer is the default quota of listener rules per Application Load
// Balancer, not counting the listeners' default rules: "Rules per Application Load Balancer
// (excluding default rules): 100" (adjustable; ALB quotas, as above). There is no quota per
// listener: the rules of all of a load balancer's listeners count together.
const maxRulesPerLoadBalancer = 100

// listenerLoadBalancer returns the "app/<name>/<id>" of the load balancer a listener ARN
// ("arn:…:listener/app/<name>/<id>/<listener id>") belongs to, or "".
func listenerLoadBalancer(arn string) string {
	_, rest, ok := strings.Cut(arn, ":listener/")
	if !ok {
		return ""
	}
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return ""
	}
	return rest[:i]
}

// lbActions returns a listener's or rule's actions as plain maps.
func lbActions(r *Resource, key string) []map[string]any {
	var out []map[string]any
	for _, a := range r.inList(key) {
		if m, ok := a.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// ssmParameterName is what Parameter Store accepts as a parameter name: letters, digits and
// . - _ in sub-paths divided by /.
var ssmParameterName = regexp.MustCompile(`^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$`)

// computeRules are the AWS rules of the compute tier's resource types (see Rule).
var computeRules = []Rule{
	// ssm/parameter-name: a parameter's name is letters, digits and . - _, in sub-paths
	// divided by /, and may not start with "aws" or "ssm" (case-insensitive); AWS answers
	// `ValidationException: Parameter name: can't be prefixed with "ssm" (case-insensitive). If
	// formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can
	// be formed as a mix of letters, numbers and the following 3 symbols .-_` for either
	// (aws/aws-sdk-php#1952, DefangLabs/defang#348: the same text for a name with a space or
	// an @). Source: Systems Manager User Guide, "Requirements and constraints for parameter
	// names", and the PutParameter API reference.
	{
		ID:     "ssm/parameter-name",
		Type:   contract.TypeSSMParameter,
		Source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html",
		Create: func(e *Engine, r *Resource) error {
			name := r.inStr("name")
			lower := strings.ToLower(strings.TrimPrefix(name, "/"))
			if name != "" && (!ssmParameterName.MatchString(name) || strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") || len(name) > 2048) {
				return apiErr("creating SSM Parameter ("+name+")", "SSM: PutParameter", "ValidationException",
					`Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_`)
			}
			return nil
		},
	},
	// elbv2/alb-subnets-in-two-azs: an Application Load Balancer needs subnets in at least
	// two Availability Zones. AWS: `ValidationError: At least two subnets in two different
	// Availability Zones must be specified` (ELBv2 API reference, CreateLoadBalancer, Subnets:
	// "[Application Load Balancers] You must specify subnets from at least two Availability
	// Zones"; quoted from `creating ELBv2 application Load Balancer` in kasmtech/terraform#5).
	{
		ID: "elbv2/alb-subnets-in-two-azs", Type: ctLoadBalancer,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
		Create: func(e *Engine, r *Resource) error {
			if t := r.inStr("loadBalancerType"); t != "" && t != "application" {
				return nil
			}
			azs := map[string]bool{}
			subnets := r.inList("subnets")
			for _, s := range subnets {
				sub := e.byRef(ctSubnet, fmt.Sprint(s))
				if sub == nil {
					return nil // a subnet the mock did not register: nothing to judge
				}
				azs[sub.inStr("availabilityZone")] = true
			}
			if len(azs) < 2 {
				return apiErr(fmt.Sprintf("creating ELBv2 application Load Balancer (%s)", r.Name), "Elastic Load Balancing v2: CreateLoadBalancer",
					"ValidationError", "At least two subnets in two different Availability Zones must be specified")
			}
			return nil
		},
	},
	// elbv2/alb-one-subnet-per-az: a load balancer takes one subnet per Availability Zone.
	// AWS: `InvalidConfigurationRequest: A load balancer cannot be attached to multiple subnets
	// in the same Availability Zone` (ELBv2 API reference, CreateLoadBalancer, Subnets: "You
	// can specify only one subnet per Availability Zone"; quoted in
	// robertdebock/terraform-aws-vault#5).
	{
		ID: "elbv2/alb-one-subnet-per-az", Type: ctLoadBalancer,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html",
		Create: func(e *Engine, r *Resource) error {
			seen := map[string]bool{}
			for _, s := range r.inList("subnets") {
				sub := e.byRef(ctSubnet, fmt.Sprint(s))
				if sub == nil {
					continue
				}
				az := sub.inStr("availabilityZone")
				if seen[az] {
					return apiErr(fmt.Sprintf("creating ELBv2 application Load Balancer (%s)", r.Name), "Elastic Load Balancing v2: CreateLoadBalancer",
						"InvalidConfigurationRequest", "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
				}
				seen[az] = true
			}
			return nil
		},
	},
	// elbv2/target-group-name: a target group name is at most 32 alphanumerics and hyphens,
	// not starting or ending with a hyphen. The provider refuses others: `"name" cannot be
	// longer than 32 characters`, `only alphanumeric characters and hyphens allowed in
	// "name"`, `"name" cannot begin with a hyphen`, `"name" cannot end with a hyphen`
	// (terraform-provider-aws internal/service/elbv2, validTargetGroupName; ELBv2 API
	// reference, CreateTargetGroup, Name). Only a name the program sets is judged: the
	// provider shortens the names it generates to fit.
	{
		ID: "elbv2/target-group-name", Type: ctTargetGroup,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
		Create: func(e *Engine, r *Resource) error {
			name := r.inStr("name")
			if !r.has("name") {
				return nil
			}
			switch {
			case len(name) > 32:
				return providerErr(`"name" cannot be longer than 32 characters`)
			case !targetGroupName.MatchString(name):
				return providerErr(`only alphanumeric characters and hyphens allowed in "name"`)
			case strings.HasPrefix(name, "-"):
				return providerErr(`"name" cannot begin with a hyphen`)
			case strings.HasSuffix(name, "-"):
				return providerErr(`"name" cannot end with a hyphen`)
			}
			return nil
		},
	},
	// elbv2/health-check-ranges: a target group's health check interval is 5..300 s, its
	// timeout 2..120 s, its healthy and unhealthy thresholds 2..10, its path 1..1024
	// characters. The provider refuses others with `expected health_check.0.interval to be in
	// the range (5 - 300), got 4` (terraform-provider-aws internal/service/elbv2/target_group.go
	// schema; ELBv2 API reference, CreateTargetGroup).
	{
		ID: "elbv2/health-check-ranges", Type: ctTargetGroup,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html",
		Create: func(e *Engine, r *Resource) error {
			for _, c := range []struct {
				input, key string
				lo, hi     int
			}{
				{"interval", "interval", 5, 300}, {"timeout", "timeout", 2, 120},
				{"healthyThreshold", "healthy_threshold", 2, 10}, {"unhealthyThreshold", "unhealthy_threshold", 2, 10},
			} {
				if n, bad := outsideRange(r, float64(c.lo), float64(c.hi), "healthCheck", c.input); bad {
					return elbIntBetween("health_check.0."+c.key, c.lo, c.hi, n)
				}
			}
			if p := r.inStr("healthCheck", "path"); r.has("healthCheck", "path") && len(p) > 1024 {
				return providerErr("expected length of health_check.0.path to be in the range (1 - 1024), got %s", p[:40]+"…")
			}
			return nil
		},
	},
	// elbv2/health-check-timeout-below-interval: the health check timeout must be shorter
	// than its interval. AWS: `ValidationError: Health check interval must be greater than the
	// timeout.` (ELBv2 API reference, CreateTargetGroup, HealthCheckTimeoutSeconds; quoted in
	// terraform-linters/tflint-ruleset-aws#404, hashicorp/terraform-provider-aws#48071).
	{
		ID: "elbv2/health-check-timeout-below-interval", Type: ctTargetGroup,
		Source: "https://github.com/terraform-linters/tflint-ruleset-aws/issues/404",
		Create: func(e *Engine, r *Resource) error {
			interval, ok := r.inNum("healthCheck", "interval")
			if !ok {
				interval = 30 // the provider's default
			}
			timeout, ok := r.inNum("healthCheck", "timeout")
			if !ok {
				// Unset, AWS picks 5 s for an HTTP or HTTPS target group's health check (ALB
				// user guide, "Health check settings"), as in the tflint case above.
				timeout = 5
			}
			if interval <= timeout {
				return apiErr("creating ELBv2 Target Group ("+r.Name+")", "Elastic Load Balancing v2: CreateTargetGroup",
					"ValidationError", "Health check interval must be greater than the timeout.")
			}
			return nil
		},
	},
	// elbv2/deregistration-delay-range: a target group's deregistration delay is 0..3600 s.
	// The provider refuses others: `expected deregistration_delay to be in the range (0 -
	// 3600), got 4000` (terraform-provider-aws target_group.go schema; ELBv2 target group
	// attributes, deregistration_delay.timeout_seconds "The range is 0-3600 seconds").
	// webstack:app.deregistrationDelay is checked against the same range.
	{
		ID: "elbv2/deregistration-delay-range", Type: ctTargetGroup,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html",
		Create: func(e *Engine, r *Resource) error {
			if n, bad := outsideRange(r, 0, 3600, "deregistrationDelay"); bad {
				return elbIntBetween("deregistration_delay", 0, 3600, n)
			}
			return nil
		},
	},
	// elbv2/listener-port-unique: a load balancer has one listener per port. AWS:
	// `DuplicateListener: A listener already exists on this port for this load balancer
	// '<arn>'` (ELBv2 API reference, CreateListener, Errors; quoted in hashicorp/terraform#26407).
	// webstack:app.testListenerPort may not be a production port (80, 443).
	{
		ID: "elbv2/listener-port-unique", Type: ctListener,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html",
		Create: func(e *Engine, r *Resource) error {
			lbARN, port := r.inStr("loadBalancerArn"), r.Input("port")
			if lbARN == "" || port == nil {
				return nil
			}
			if len(e.Registered(ctListener, func(o *Resource) bool {
				return o.inStr("loadBalancerArn") == lbARN && o.Input("port") == port
			})) > 0 {
				return apiErr("creating ELBv2 Listener", "Elastic Load Balancing v2: CreateListener", "DuplicateListener",
					"A listener already exists on this port for this load balancer '%s'", lbARN)
			}
			return nil
		},
	},
	// elbv2/listener-fixed-response: a fixed-response action's content type is one of
	// text/plain, text/css, text/html, application/javascript, application/json; its body at
	// most 1024 characters; its status code set, and 2XX, 4XX or 5XX. The provider refuses
	// others, e.g. `expected default_action.1.fixed_response.0.content_type to be one of [...],
	// got text/xml` (terraform-provider-aws internal/service/elbv2/listener.go schema; the key
	// names the action's index). Its schema leaves status_code optional, but the API requires it
	// (ELBv2 API reference, FixedResponseActionConfig, StatusCode "Required: Yes"), so the AWS SDK
	// refuses a fixed response without one before sending the request: `operation error Elastic
	// Load Balancing v2: CreateListener, 1 validation error(s) found. - missing required field,
	// CreateListenerInput.DefaultActions[0].FixedResponseConfig.StatusCode.` (smithy-go's
	// parameter validation).
	{
		ID: "elbv2/listener-fixed-response", Type: ctListener,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "defaultActions") {
				if err := judgeFixedResponse("creating ELBv2 Listener", fmt.Sprintf("default_action.%d", i),
					fmt.Sprintf("CreateListenerInput.DefaultActions[%d]", i), "Elastic Load Balancing v2: CreateListener", a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/rule-fixed-response: elbv2/listener-fixed-response for a listener rule's actions
	// (terraform-provider-aws listener_rule.go schema: `action.N.fixed_response.0...`; without a
	// status code `... CreateRule, ... missing required field,
	// CreateRuleInput.Actions[N].FixedResponseConfig.StatusCode.`).
	{
		ID: "elbv2/rule-fixed-response", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_FixedResponseActionConfig.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "actions") {
				if err := judgeFixedResponse("creating ELBv2 Listener Rule", fmt.Sprintf("action.%d", i),
					fmt.Sprintf("CreateRuleInput.Actions[%d]", i), "Elastic Load Balancing v2: CreateRule", a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/listener-forward-weights: a weighted forward gives each target group a weight of
	// 0..999 and sticks a client for 1..604800 s. The provider refuses others: `expected
	// default_action.0.forward.0.stickiness.0.duration to be in the range (1 - 604800), got 0`
	// (terraform-provider-aws listener.go schema; ELBv2 API reference, TargetGroupTuple and
	// TargetGroupStickinessConfig).
	{
		ID: "elbv2/listener-forward-weights", Type: ctListener,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupStickinessConfig.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "defaultActions") {
				if err := judgeForwardWeights(fmt.Sprintf("default_action.%d", i), a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/rule-forward-weights: elbv2/listener-forward-weights for a listener rule
	// (terraform-provider-aws listener_rule.go schema).
	{
		ID: "elbv2/rule-forward-weights", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupStickinessConfig.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "actions") {
				if err := judgeForwardWeights(fmt.Sprintf("action.%d", i), a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/listener-forward-target-groups: a listener's forward action names 1 to 5 target
	// groups (ALB quotas, "Target Groups per Action per Application Load Balancer": 5, not
	// adjustable). The provider's schema refuses more: `default_action.0.forward.0.target_group:
	// List longer than MaxItems: Attribute supports 5 item maximum, config has 6 declared`
	// (terraform-provider-aws listener.go, MaxItems 5; terraform-plugin-sdk's list validation).
	{
		ID: "elbv2/listener-forward-target-groups", Type: ctListener,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "defaultActions") {
				if err := judgeForwardGroups(fmt.Sprintf("default_action.%d", i), a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/rule-forward-target-groups: elbv2/listener-forward-target-groups for a listener
	// rule's actions (terraform-provider-aws listener_rule.go, MaxItems 5: `action.N.forward.0.
	// target_group: List longer than MaxItems: ...`). The anchor rule names four.
	{
		ID: "elbv2/rule-forward-target-groups", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html",
		Create: func(e *Engine, r *Resource) error {
			for i, a := range lbActions(r, "actions") {
				if err := judgeForwardGroups(fmt.Sprintf("action.%d", i), a); err != nil {
					return err
				}
			}
			return nil
		},
	},
	// elbv2/rules-per-load-balancer: an Application Load Balancer holds at most 100 listener
	// rules, not counting the listeners' default rules, over all its listeners (ALB quotas,
	// "Rules per Application Load Balancer (excluding default rules)": 100, adjustable; there is
	// no per-listener quota). AWS: `TooManyRules: You've reached the limit on the number of rules
	// per load balancer.` (ELBv2 API reference, CreateRule, Errors). The program registers two
	// (the origin rule and the anchor rule).
	{
		ID: "elbv2/rules-per-load-balancer", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html",
		Create: func(e *Engine, r *Resource) error {
			alb := listenerLoadBalancer(r.inStr("listenerArn"))
			if alb == "" {
				return nil
			}
			if n := len(e.Registered(ctListenerRule, func(o *Resource) bool {
				return listenerLoadBalancer(o.inStr("listenerArn")) == alb
			})); n >= maxRulesPerLoadBalancer {
				return apiErr("creating ELBv2 Listener Rule", "Elastic Load Balancing v2: CreateRule", "TooManyRules",
					"You've reached the limit on the number of rules per load balancer.")
			}
			return nil
		},
	},
	// elbv2/rule-priority: a rule's priority is 1..50000 and unique on its listener. The
	// provider refuses a priority out of range (`expected priority to be in the range (1 -
	// 50000), got 0`, listener_rule.go schema); AWS refuses a priority another rule holds:
	// `PriorityInUse: Priority '10' is currently in use` (ELBv2 API reference, CreateRule;
	// quoted in pulumi/pulumi-aws#175).
	{
		ID: "elbv2/rule-priority", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html",
		Create: func(e *Engine, r *Resource) error {
			p, ok := r.inNum("priority")
			if !ok {
				return nil
			}
			if p < 1 || p > 50000 {
				return elbIntBetween("priority", 1, 50000, p)
			}
			listener := r.inStr("listenerArn")
			if len(e.Registered(ctListenerRule, func(o *Resource) bool {
				q, _ := o.inNum("priority")
				return listener != "" && o.inStr("listenerArn") == listener && q == p
			})) > 0 {
				return apiErr("creating ELBv2 Listener Rule", "Elastic Load Balancing v2: CreateRule", "PriorityInUse",
					"Priority '%d' is currently in use", int(p))
			}
			return nil
		},
	},
	// elbv2/rule-condition-values: an http-request-method condition names methods of 1..40
	// letters, '-' and '_'; an http-header condition names a header field of 1..40 token
	// characters and values of 1..128 characters. The provider refuses others, e.g. `expected
	// value of condition.0.http_request_method.0.values.0 to match regular expression
	// "^[A-Za-z-_]{1,40}$", got GET /` (terraform-provider-aws listener_rule.go schema; ELBv2
	// API reference, HttpRequestMethodConditionConfig and HttpHeaderConditionConfig).
	{
		ID: "elbv2/rule-condition-values", Type: ctListenerRule,
		Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HttpRequestMethodConditionConfig.html",
		Create: func(e *Engine, r *Resource) error {
			for i, c := range r.inList("conditions") {
				cond, _ := c.(map[string]any)
				method, _ := cond["httpRequestMethod"].(map[string]any)
				values, _ := method["values"].([]any)
				for j, v := range values {
					if s, ok := v.(string); ok && !ruleRequestMethod.MatchString(s) {
						return providerErr("expected value of condition.%d.http_request_method.0.values.%d to match regular expression %q, got %s", i, j, ruleRequestMethod.String(), s)
					}
				}
				header, _ := cond["httpHeader"].(map[string]any)
				if name, ok := header["httpHeaderName"].(string); ok && !ruleHeaderField.MatchString(name) {
					return providerErr("expected value of condition.%d.http_header.0.http_header_name to match regular expression %q, got %s", i, ruleHeaderField.String(), name)
				}
				hv, _ := header["values"].([]any)
				for j, v := range hv {
					// A secret value is judged only for its length, and never shown.
					if s, ok := v.(string); ok && s != Secret && (len(s) < 1 || len(s) > 128) {
						return providerErr("expected length of condition.%d.http_header.0.values.%d to be in the range (1 - 128), got a value of %d characters", i, j, len(s))
					}
				}
			}
			return nil
		},
	},
	// autoscaling/capacity-bounds: an Auto Scaling group's desired capacity lies between its
	// min and max sizes. AWS: `ValidationError: Desired capacity:10 must be between the
	// specified min size:1 and max size:1` (Auto Scaling API reference, CreateAutoScalingGroup;
	// quoted in traveloka/terraform-aws-autoscaling#56 and banzaicloud/pipeline#3017).
	// webstack:app.<color>'s minSize, desiredCapacity and maxSize are checked alike.
	{
		ID: "autoscaling/capacity-bounds", Type: ctAutoScalingGroup,
		Source: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CreateAutoScalingGroup.html",
		Create: func(e *Engine, r *Resource) error {
			lo, ok1 := r.inNum("minSize")
			hi, ok2 := r.inNum("maxSize")
			d, ok3 := r.inNum("desiredCapacity")
			if !ok1 || !ok2 {
				return nil
			}
			if !ok3 {
				d = lo // AWS's default
			}
			if d < lo || d > hi || lo > hi {
				return apiErr("creating Auto Scaling Group ("+r.Name+")", "Auto Scaling: CreateAutoScalingGroup", "ValidationError",
					"Desired capacity:%d must be between the specified min size:%d and max size:%d", int(d), int(lo), int(hi))
			}
			return nil
		},
	},
	// autoscaling/subnets-or-zones: an Auto Scaling group names its subnets
	// (vpcZoneIdentifiers) or its Availability Zones, not both. The provider refuses both:
	// `"availability_zones": conflicts with vpc_zone_identifier` (pulumi-aws autoscaling.Group,
	// AvailabilityZones: "Conflicts with `vpcZoneIdentifier`").
	{
		ID: "autoscaling/subnets-or-zones", Type: ctAutoScalingGroup,
		Source: "https://www.pulumi.com/registry/packages/aws/api-docs/autoscaling/group/",
		Create: func(e *Engine, r *Resource) error {
			if len(r.inList("availabilityZones")) > 0 && len(r.inList("vpcZoneIdentifiers")) > 0 {
				return providerErr(`"availability_zones": conflicts with vpc_zone_identifier`)
			}
			return nil
		},
	},
	// autoscaling/instance-refresh-percentages: an instance refresh keeps 0..100 % of the
	// desired capacity healthy and launches up to 100..200 % of it. The provider refuses others:
	// `expected instance_refresh.0.preferences.0.max_healthy_percentage to be in the range
	// (100 - 200), got 250` (pulumi-aws autoscaling GroupInstanceRefreshPreferences,
	// MaxHealthyPercentage: "Values must be between `100` and `200`"; Auto Scaling API
	// reference, RefreshPreferences).
	{
		ID: "autoscaling/instance-refresh-percentages", Type: ctAutoScalingGroup,
		Source: "https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html",
		Create: func(e *Engine, r *Resource) error {
			if n, bad := outsideRange(r, 0, 100, "instanceRefresh", "preferences", "minHealthyPercentage"); bad {
				return elbIntBetween("instance_refresh.0.preferences.0.min_healthy_percentage", 0, 100, n)
			}
			if n, bad := outsideRange(r, 100, 200, "instanceRefresh", "preferences", "maxHealthyPercentage"); bad {
				return elbIntBetween("instance_refresh.0.preferences.0.max_healthy_percentage", 100, 200, n)
			}
			return nil
		},
	},
	// ecr/repository-name: a repository name is 2..256 characters of lowercase letters and
	// digits in components separated by '.', '_', '-' or '/'. AWS: `InvalidParameterException:
	// Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular
	// expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`, or `'must
	// have length greater than or equal to 2'` (ECR API reference, CreateRepository; quoted in
	// stelligent/mu#323 and aws/aws-dotnet-deploy#549).
	{
		ID: "ecr/repository-name", Type: ctRepository,
		Source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
		Create: func(e *Engine, r *Resource) error {
			name := r.inStr("name")
			if !r.has("name") {
				return nil
			}
			op := "creating ECR Repository (" + name + ")"
			switch {
			case len(name) < 2:
				return apiErr(op, "ECR: CreateRepository", "InvalidParameterException",
					"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'")
			case len(name) > 256:
				return apiErr(op, "ECR: CreateRepository", "InvalidParameterException",
					"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length less than or equal to 256'")
			case !ecrRepositoryName.MatchString(name):
				return apiErr(op, "ECR: CreateRepository", "InvalidParameterException",
					"Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
			}
			return nil
		},
	},
	// ec2/launch-template-user-data-size: EC2 limits user data to 16 KB before base64
	// ("User data is limited to 16 KB, in raw form, before it is base64-encoded"), and refuses
	// a launch template that carries more: `InvalidParameterValue: User data is limited to
	// 16384 bytes` (EC2 User Guide, "Run commands when you launch an EC2 instance with user data
	// input"; the CloudFormation failure on a LaunchTemplate is quoted in several post-mortems
	// found by the error text). The migration runner's user data embeds its whole script.
	{
		ID: "ec2/launch-template-user-data-size", Type: contract.TypeEC2LaunchTemplate,
		Source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
		Create: func(e *Engine, r *Resource) error {
			ud := r.inStr("userData")
			if ud == "" {
				return nil
			}
			raw, err := base64.StdEncoding.DecodeString(ud)
			if err != nil {
				return apiErr("creating EC2 Launch Template", "EC2: CreateLaunchTemplate", "InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.")
			}
			if len(raw) > 16384 {
				return apiErr("creating EC2 Launch Template", "EC2: CreateLaunchTemplate", "InvalidParameterValue", "User data is limited to 16384 bytes")
			}
			return nil
		},
	},
}
