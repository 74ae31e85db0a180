package compute

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// CanaryStickiness is how long (seconds) a client stays on the color it first reached while a
// canary weight splits production traffic, so that one user does not alternate between the
// old and the new version from one request to the next.
const CanaryStickiness = 600

// OriginRulePriority is the priority of the listener rule that admits requests carrying the
// origin header.
const OriginRulePriority = 10

// Weights returns the share of production traffic (percent, summing to 100) each color gets
// when active is live and canary percent goes to the other color.
func Weights(active Color, canary int) map[Color]int {
	return map[Color]int{active: 100 - canary, active.Other(): canary}
}

// listeners registers the production listener (with the origin-header rule when asked), the
// HTTP-to-HTTPS redirect when there is a certificate, and the test listener. Only these
// resources depend on the active color and the canary weight, so a flip or a canary step
// updates listeners and rules in place and nothing else.
func (l *LoadBalancer) listeners(ctx *pulumi.Context, name string, alb *lb.LoadBalancer, a *LoadBalancerArgs, parent pulumi.ResourceOption) error {
	tls := a.CertificateArn != nil
	protocol, port, scheme := "HTTP", 80, "http"
	if tls {
		protocol, port, scheme = "HTTPS", 443, "https"
	}
	withTLS := func(args *lb.ListenerArgs) *lb.ListenerArgs {
		if tls {
			args.CertificateArn = a.CertificateArn
			args.SslPolicy = pulumi.String(TLSPolicy)
		}
		return args
	}
	tg := map[Color]pulumi.StringOutput{Blue: l.BlueTargetGroupARN, Green: l.GreenTargetGroupARN}
	weights := Weights(a.ActiveColor, a.CanaryWeight)
	gated := a.OriginHeaderName != ""

	// Production: forward to the live color (weighted during a canary), or, behind CloudFront,
	// refuse everything that lacks the origin header and forward the rest from a rule.
	defaultAction := listenerForward(tg, a.ActiveColor, weights)
	if gated {
		defaultAction = &lb.ListenerDefaultActionArgs{
			Type: pulumi.String("fixed-response"),
			FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
				ContentType: pulumi.String("text/plain"),
				MessageBody: pulumi.String("Forbidden"),
				StatusCode:  pulumi.String("403"),
			},
		}
	}
	production, err := lb.NewListener(ctx, name+"-production", withTLS(&lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(port),
		Protocol:        pulumi.String(protocol),
		DefaultActions:  lb.ListenerDefaultActionArray{defaultAction},
	}), parent)
	if err != nil {
		return fmt.Errorf("compute: production listener: %w", err)
	}
	if gated {
		value := a.OriginHeaderValue.ToStringOutput().ApplyT(func(v string) (string, error) {
			// An ALB header condition treats * and ? as wildcards; a secret containing them
			// would admit more than CloudFront.
			if v == "" || len(v) > 128 || strings.ContainsAny(v, "*?") {
				return "", fmt.Errorf("compute: origin header value must be 1 to 128 characters without '*' or '?'")
			}
			return v, nil
		}).(pulumi.StringOutput)
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
			Actions: lb.ListenerRuleActionArray{ruleForward(tg, a.ActiveColor, weights)},
		}, parent); err != nil {
			return fmt.Errorf("compute: origin header rule: %w", err)
		}
	}
	if tls {
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
	}

	// Test: the idle color, for smoke tests before any user sees it. The network tier admits
	// only the deploy networks to this port.
	test, err := lb.NewListener(ctx, name+"-test", withTLS(&lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(a.TestListenerPort),
		Protocol:        pulumi.String(protocol),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type:           pulumi.String("forward"),
			TargetGroupArn: tg[a.ActiveColor.Other()],
		}},
	}), parent)
	if err != nil {
		return fmt.Errorf("compute: test listener: %w", err)
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
