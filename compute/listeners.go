package compute

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// CanaryStickiness is how long (seconds) a client stays on the color it first reached while a
// canary weight splits production traffic, so that one user does not alternate between the
// old and the new version from one request to the next.
const CanaryStickiness = 600

// OriginRulePriority is the priority of the listener rule that admits requests carrying the
// origin header.
const OriginRulePriority = 10

// AnchorRulePriority and AnchorMethod make the anchor rule: a rule on the test listener that
// forwards to all four target groups but matches no request a client sends (the made-up HTTP
// method AnchorMethod; the test listener is open only to the deploy networks, and only through
// its own port). It keeps every target group "in use": the load balancer health
// checks only the targets of a target group that a listener rule names; in any other group
// they stay "unused" (reason Target.NotInUse, ELB API reference, TargetHealth), and the Auto
// Scaling group, which sits in both of its color's groups, would then never count as healthy
// in the one no listener names (its waitForElbCapacity waits for instances healthy in every
// attached group). Without it, the first release (the active color has no version, so
// production names no group) and every release of an idle color would time out.
const (
	AnchorRulePriority = 40000
	AnchorMethod       = "WEBSTACK-KEEP-TARGET-GROUPS-IN-USE"
	// AnchorPurpose is the anchor rule's "Purpose" tag, by which analyses of the plan (the
	// diagram, the AZ-loss report) know it carries no traffic.
	AnchorPurpose = "keep target groups in use"
)

// NoReleaseStatus is the status the production path answers with, as a fixed response, while
// the active color runs no instances ("no release yet"). A fixed response needs no target, so
// the answer is immediate and says why, instead of the load balancer's own "no registered
// target" 503. It is the only fixed 5XX the load balancer can answer (see IdleEmptyStatus), which
// is what lets the load-balancer-wide 503 alarm tell it apart (see loadBalancerAlarms).
const NoReleaseStatus = "503"

// IdleEmptyStatus is the status the test listener answers with, as a fixed response, while the
// idle color runs no instances (no version, or a desired capacity of 0). It is not a 5XX: a
// smoke test against an empty idle color is a mistake of the tester, not an error of the
// service, and no alarm may count it as one.
const IdleEmptyStatus = "404"

// NoReleaseBody is the JSON body of the fixed response for the listener of a purpose
// ("production" or "test") whose color c runs no instances.
func NoReleaseBody(purpose string, c Color) string {
	msg := "No release of the application is deployed yet."
	if purpose == "test" {
		msg = fmt.Sprintf("The idle color (%s) runs no instances: deploy a version to it before testing it.", c)
	}
	b, _ := json.Marshal(map[string]string{"error": "no_release", "message": msg})
	return string(b)
}

// Weights returns the share of production traffic (percent, summing to 100) each color gets
// when active is live and canary percent goes to the other color.
func Weights(active Color, canary int) map[Color]int {
	return map[Color]int{active: 100 - canary, active.Other(): canary}
}

// listeners registers the production listener (with the origin-header rule when asked), the
// HTTP-to-HTTPS redirect when there is a certificate, the test listener and its anchor rule.
// Only these resources depend on the active color, the canary weight and which colors run
// instances, so a flip, a canary step or a first release updates listeners and rules in place
// and nothing else.
func (l *LoadBalancer) listeners(ctx *pulumi.Context, name string, alb *lb.LoadBalancer, a *LoadBalancerArgs, testTGs map[Color]*lb.TargetGroup, parent pulumi.ResourceOption) error {
	tls := a.CertificateARN != nil
	protocol, port, scheme := "HTTP", 80, "http"
	if tls {
		protocol, port, scheme = "HTTPS", 443, "https"
	}
	withTLS := func(args *lb.ListenerArgs) *lb.ListenerArgs {
		if tls {
			args.CertificateArn = a.CertificateARN
			args.SslPolicy = pulumi.String(TLSPolicy)
		}
		return args
	}
	tg := map[Color]pulumi.StringOutput{Blue: l.BlueTargetGroupARN, Green: l.GreenTargetGroupARN}
	weights := Weights(a.ActiveColor, a.CanaryWeight)
	gated := a.OriginHeaderName != ""
	live, idle := a.Running[a.ActiveColor], a.Running[a.ActiveColor.Other()]

	production, err := lb.NewListener(ctx, contract.Child(name, contract.RoleProduction), withTLS(&lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(port),
		Protocol:        pulumi.String(protocol),
		DefaultActions:  lb.ListenerDefaultActionArray{productionAction(a, tg, weights, live)},
	}), parent)
	if err != nil {
		return fmt.Errorf("compute: production listener: %w", err)
	}
	if gated {
		if err := originRules(ctx, name, production, a, tg, weights, testTGs, live, idle, parent); err != nil {
			return err
		}
	}
	if tls {
		if err := httpRedirectListener(ctx, name, alb, parent); err != nil {
			return err
		}
	}

	test, err := lb.NewListener(ctx, contract.Child(name, contract.RoleTest), withTLS(&lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(a.TestListenerPort),
		Protocol:        pulumi.String(protocol),
		DefaultActions:  lb.ListenerDefaultActionArray{testAction(a, testTGs, idle)},
	}), parent)
	if err != nil {
		return fmt.Errorf("compute: test listener: %w", err)
	}
	if l.anchor, err = anchorRule(ctx, name, test, tg, testTGs, parent); err != nil {
		return err
	}

	l.ProductionListenerARN = production.Arn
	l.TestListenerARN = test.Arn
	host := alb.DnsName
	if a.HostName != "" {
		host = pulumi.String(a.HostName).ToStringOutput()
	}
	l.TestURL = pulumi.Sprintf("%s://%s:%d", scheme, host, a.TestListenerPort)
	return nil
}

// productionAction is the production listener's default action: forward to the live color
// (weighted during a canary), or, behind CloudFront, refuse everything that lacks the origin
// header (originRules forwards the rest). With no release yet, the forward becomes a fixed 503
// saying so.
func productionAction(a *LoadBalancerArgs, tg map[Color]pulumi.StringOutput, weights map[Color]int, live bool) *lb.ListenerDefaultActionArgs {
	if a.OriginHeaderName != "" {
		return listenerFixed("403", "text/plain", "Forbidden")
	}
	if !live {
		return listenerFixed(NoReleaseStatus, "application/json", NoReleaseBody("production", a.ActiveColor))
	}
	return listenerForward(tg, a.ActiveColor, weights)
}

// testAction is the test listener's default action: the idle color's test target group, for
// smoke tests before any user sees it; a fixed 404 (IdleEmptyStatus, not a 5XX) while the idle
// color runs no instances. The network tier admits only the deploy networks to this port.
func testAction(a *LoadBalancerArgs, testTGs map[Color]*lb.TargetGroup, idle bool) *lb.ListenerDefaultActionArgs {
	if !idle {
		return listenerFixed(IdleEmptyStatus, "application/json", NoReleaseBody("test", a.ActiveColor.Other()))
	}
	return &lb.ListenerDefaultActionArgs{
		Type:           pulumi.String("forward"),
		TargetGroupArn: testTGs[a.ActiveColor.Other()].Arn,
	}
}

// originRules registers the production listener's rules behind CloudFront: the origin rule,
// which forwards requests carrying the origin header as productionAction would without the
// gate, and, with a release-check value, the release-check rule.
func originRules(ctx *pulumi.Context, name string, production *lb.Listener, a *LoadBalancerArgs, tg map[Color]pulumi.StringOutput, weights map[Color]int, testTGs map[Color]*lb.TargetGroup, live, idle bool, parent pulumi.ResourceOption) error {
	value := a.OriginHeaderValue.ToStringOutput().ApplyT(func(v string) (string, error) {
		// An ALB header condition treats * and ? as wildcards; a secret containing them
		// would admit more than CloudFront.
		if v == "" || len(v) > 128 || strings.ContainsAny(v, "*?") {
			return "", fmt.Errorf("compute: origin header value must be 1 to 128 characters without '*' or '?'")
		}
		return v, nil
	}).(pulumi.StringOutput)
	action := ruleForward(tg, a.ActiveColor, weights)
	if !live {
		action = ruleFixed(NoReleaseStatus, "application/json", NoReleaseBody("production", a.ActiveColor))
	}
	if _, err := lb.NewListenerRule(ctx, name+"-origin", &lb.ListenerRuleArgs{
		ListenerArn: production.Arn,
		Priority:    pulumi.Int(OriginRulePriority),
		Conditions: lb.ListenerRuleConditionArray{
			&lb.ListenerRuleConditionArgs{
				HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{
					HttpHeaderName: pulumi.String(a.OriginHeaderName),
					Values:         pulumi.StringArray{pulumi.ToSecret(value).(pulumi.StringOutput)},
				},
			},
		},
		Actions: lb.ListenerRuleActionArray{action},
	}, parent); err != nil {
		return fmt.Errorf("compute: origin header rule: %w", err)
	}
	if a.ReleaseCheckValue != nil {
		return releaseCheckRule(ctx, name, production, a, value, testTGs, idle, parent)
	}
	return nil
}

// httpRedirectListener registers the port-80 listener that redirects every request to HTTPS.
func httpRedirectListener(ctx *pulumi.Context, name string, alb *lb.LoadBalancer, parent pulumi.ResourceOption) error {
	if _, err := lb.NewListener(ctx, name+"-http-redirect", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(80),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{
				Protocol:   pulumi.String("HTTPS"),
				Port:       pulumi.String("443"),
				StatusCode: pulumi.String("HTTP_301"),
			},
		}},
	}, parent); err != nil {
		return fmt.Errorf("compute: http redirect listener: %w", err)
	}
	return nil
}

// releaseCheckRule registers the production listener's release-check rule (see
// ReleaseCheckHeader): a request with CloudFront's origin header and the release-check secret
// goes to the idle color's test target group, or gets the fixed 404 of an empty idle color.
func releaseCheckRule(ctx *pulumi.Context, name string, production *lb.Listener, a *LoadBalancerArgs, origin pulumi.StringOutput, testTGs map[Color]*lb.TargetGroup, idle bool, parent pulumi.ResourceOption) error {
	value := a.ReleaseCheckValue.ToStringOutput().ApplyT(func(v string) (string, error) {
		if v == "" || len(v) > 128 || strings.ContainsAny(v, "*?") {
			return "", fmt.Errorf("compute: release-check value must be 1 to 128 characters without '*' or '?'")
		}
		return v, nil
	}).(pulumi.StringOutput)
	action := &lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: testTGs[a.ActiveColor.Other()].Arn}
	if !idle {
		action = ruleFixed(IdleEmptyStatus, "application/json", NoReleaseBody("release check", a.ActiveColor.Other()))
	}
	header := func(name string, v pulumi.StringOutput) *lb.ListenerRuleConditionArgs {
		return &lb.ListenerRuleConditionArgs{HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{
			HttpHeaderName: pulumi.String(name),
			Values:         pulumi.StringArray{pulumi.ToSecret(v).(pulumi.StringOutput)},
		}}
	}
	if _, err := lb.NewListenerRule(ctx, name+"-release-check", &lb.ListenerRuleArgs{
		ListenerArn: production.Arn,
		Priority:    pulumi.Int(ReleaseCheckRulePriority),
		Conditions:  lb.ListenerRuleConditionArray{header(a.OriginHeaderName, origin), header(ReleaseCheckHeader, value)},
		Actions:     lb.ListenerRuleActionArray{action},
	}, parent); err != nil {
		return fmt.Errorf("compute: release-check rule: %w", err)
	}
	return nil
}

// anchorRule registers the test listener's anchor rule (see AnchorMethod). It names every
// target group and never changes, whatever the release state.
func anchorRule(ctx *pulumi.Context, name string, test *lb.Listener, prod map[Color]pulumi.StringOutput, testTGs map[Color]*lb.TargetGroup, parent pulumi.ResourceOption) (*lb.ListenerRule, error) {
	groups := lb.ListenerRuleActionForwardTargetGroupArray{}
	for _, c := range Colors {
		groups = append(groups,
			&lb.ListenerRuleActionForwardTargetGroupArgs{Arn: prod[c], Weight: pulumi.Int(1)},
			&lb.ListenerRuleActionForwardTargetGroupArgs{Arn: testTGs[c].Arn, Weight: pulumi.Int(1)})
	}
	rule, err := lb.NewListenerRule(ctx, name+"-anchor", &lb.ListenerRuleArgs{
		ListenerArn: test.Arn,
		Priority:    pulumi.Int(AnchorRulePriority),
		Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
			HttpRequestMethod: &lb.ListenerRuleConditionHttpRequestMethodArgs{Values: pulumi.StringArray{pulumi.String(AnchorMethod)}},
		}},
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type:    pulumi.String("forward"),
			Forward: &lb.ListenerRuleActionForwardArgs{TargetGroups: groups},
		}},
		// Tag values allow letters, digits, spaces and + - = . _ : / @ only.
		Tags: pulumi.StringMap{"Purpose": pulumi.String(AnchorPurpose)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: anchor rule: %w", err)
	}
	return rule, nil
}

// listenerFixed is a listener's fixed response.
func listenerFixed(status, contentType, body string) *lb.ListenerDefaultActionArgs {
	return &lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String(contentType),
			MessageBody: pulumi.String(body),
			StatusCode:  pulumi.String(status),
		},
	}
}

// ruleFixed is listenerFixed for a listener rule.
func ruleFixed(status, contentType, body string) *lb.ListenerRuleActionArgs {
	return &lb.ListenerRuleActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
			ContentType: pulumi.String(contentType),
			MessageBody: pulumi.String(body),
			StatusCode:  pulumi.String(status),
		},
	}
}

// listenerForward forwards to the active color alone, or, during a canary, splits traffic
// between both colors by weight.
func listenerForward(tg map[Color]pulumi.StringOutput, active Color, weights map[Color]int) *lb.ListenerDefaultActionArgs {
	if weights[active] == 100 {
		return &lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg[active]}
	}
	groups := lb.ListenerDefaultActionForwardTargetGroupArray{}
	for _, c := range Colors {
		groups = append(groups, &lb.ListenerDefaultActionForwardTargetGroupArgs{Arn: tg[c], Weight: pulumi.Int(weights[c])})
	}
	return &lb.ListenerDefaultActionArgs{
		Type: pulumi.String("forward"),
		Forward: &lb.ListenerDefaultActionForwardArgs{
			TargetGroups: groups,
			Stickiness: &lb.ListenerDefaultActionForwardStickinessArgs{
				Enabled:  pulumi.Bool(true),
				Duration: pulumi.Int(CanaryStickiness),
			},
		},
	}
}

// ruleForward is listenerForward for a listener rule.
func ruleForward(tg map[Color]pulumi.StringOutput, active Color, weights map[Color]int) *lb.ListenerRuleActionArgs {
	if weights[active] == 100 {
		return &lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg[active]}
	}
	groups := lb.ListenerRuleActionForwardTargetGroupArray{}
	for _, c := range Colors {
		groups = append(groups, &lb.ListenerRuleActionForwardTargetGroupArgs{Arn: tg[c], Weight: pulumi.Int(weights[c])})
	}
	return &lb.ListenerRuleActionArgs{
		Type: pulumi.String("forward"),
		Forward: &lb.ListenerRuleActionForwardArgs{
			TargetGroups: groups,
			Stickiness: &lb.ListenerRuleActionForwardStickinessArgs{
				Enabled:  pulumi.Bool(true),
				Duration: pulumi.Int(CanaryStickiness),
			},
		},
	}
}
