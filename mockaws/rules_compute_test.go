package mockaws

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// subnets registers a subnet in each of the given AZs and returns their IDs.
func cmpSubnets(ctx *pulumi.Context, azs ...string) (pulumi.StringArray, error) {
	var ids pulumi.StringArray
	for i, az := range azs {
		s, err := ec2.NewSubnet(ctx, "subnet-"+string(rune('a'+i)), &ec2.SubnetArgs{
			VpcId: pulumi.String("vpc-1"), CidrBlock: pulumi.Sprintf("10.0.%d.0/24", i), AvailabilityZone: pulumi.String(az),
		})
		if err != nil {
			return nil, err
		}
		ids = append(ids, s.ID().ToStringOutput())
	}
	return ids, nil
}

// alb registers an application load balancer in subnets of the given AZs.
func cmpALB(azs ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		ids, err := cmpSubnets(ctx, azs...)
		if err != nil {
			return err
		}
		_, err = lb.NewLoadBalancer(ctx, "alb", &lb.LoadBalancerArgs{LoadBalancerType: pulumi.String("application"), Subnets: ids})
		return err
	}
}

// targetGroup registers a target group with the given health check and deregistration delay.
func cmpTargetGroup(name string, hc *lb.TargetGroupHealthCheckArgs, delay int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		args := &lb.TargetGroupArgs{Port: pulumi.Int(8080), Protocol: pulumi.String("HTTP"), VpcId: pulumi.String("vpc-1"),
			HealthCheck: hc, DeregistrationDelay: pulumi.Int(delay)}
		if name != "" {
			args.Name = pulumi.String(name)
		}
		_, err := lb.NewTargetGroup(ctx, "tg", args)
		return err
	}
}

func cmpHealthCheck(interval, timeout, healthy int, path string) *lb.TargetGroupHealthCheckArgs {
	return &lb.TargetGroupHealthCheckArgs{Interval: pulumi.Int(interval), Timeout: pulumi.Int(timeout),
		HealthyThreshold: pulumi.Int(healthy), UnhealthyThreshold: pulumi.Int(2), Path: pulumi.String(path)}
}

// listeners registers listeners on the given ports of one load balancer, each with action.
func cmpListeners(action *lb.ListenerDefaultActionArgs, ports ...int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for i, p := range ports {
			if _, err := lb.NewListener(ctx, "listener-"+string(rune('a'+i)), &lb.ListenerArgs{
				LoadBalancerArn: pulumi.String("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/alb/1"),
				Port:            pulumi.Int(p), Protocol: pulumi.String("HTTP"),
				DefaultActions: lb.ListenerDefaultActionArray{action},
			}); err != nil {
				return err
			}
		}
		return nil
	}
}

// cmpListenerActions registers one listener with the given default actions.
func cmpListenerActions(actions ...*lb.ListenerDefaultActionArgs) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var list lb.ListenerDefaultActionArray
		for _, a := range actions {
			list = append(list, a)
		}
		_, err := lb.NewListener(ctx, "listener", &lb.ListenerArgs{
			LoadBalancerArn: pulumi.String("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/alb/1"),
			Port:            pulumi.Int(80), Protocol: pulumi.String("HTTP"), DefaultActions: list,
		})
		return err
	}
}

// cmpForwardTo is a listener's forward action to n target groups.
func cmpForwardTo(n int) *lb.ListenerDefaultActionArgs {
	groups := lb.ListenerDefaultActionForwardTargetGroupArray{}
	for i := 0; i < n; i++ {
		groups = append(groups, &lb.ListenerDefaultActionForwardTargetGroupArgs{Arn: pulumi.Sprintf("arn:tg-%d", i), Weight: pulumi.Int(1)})
	}
	return &lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), Forward: &lb.ListenerDefaultActionForwardArgs{TargetGroups: groups}}
}

// cmpRuleForwardTo is a rule's forward action to n target groups.
func cmpRuleForwardTo(n int) *lb.ListenerRuleActionArgs {
	groups := lb.ListenerRuleActionForwardTargetGroupArray{}
	for i := 0; i < n; i++ {
		groups = append(groups, &lb.ListenerRuleActionForwardTargetGroupArgs{Arn: pulumi.Sprintf("arn:tg-%d", i), Weight: pulumi.Int(1)})
	}
	return &lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), Forward: &lb.ListenerRuleActionForwardArgs{TargetGroups: groups}}
}

// cmpRulesOnTwoListeners registers a rules on one listener and b on another of the same load
// balancer, plus ten on a listener of another load balancer, which do not count.
func cmpRulesOnTwoListeners(a, b int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		const prefix = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/"
		n := 0
		for _, l := range []struct {
			arn   string
			count int
		}{{prefix + "other/9/1", 10}, {prefix + "alb/1/2", a}, {prefix + "alb/1/3", b}} {
			for p := 1; p <= l.count; p++ {
				n++
				if _, err := lb.NewListenerRule(ctx, fmt.Sprintf("rule-%d", n), &lb.ListenerRuleArgs{
					ListenerArn: pulumi.String(l.arn), Priority: pulumi.Int(p),
					Conditions: lb.ListenerRuleConditionArray{cmpMethod("GET")},
					Actions:    lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:tg-blue")}},
				}); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func cmpFixed(contentType, body, status string) *lb.ListenerDefaultActionArgs {
	return &lb.ListenerDefaultActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
		ContentType: pulumi.String(contentType), MessageBody: pulumi.String(body), StatusCode: pulumi.String(status)}}
}

func cmpWeighted(weight, duration int) *lb.ListenerDefaultActionArgs {
	return &lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), Forward: &lb.ListenerDefaultActionForwardArgs{
		TargetGroups: lb.ListenerDefaultActionForwardTargetGroupArray{
			&lb.ListenerDefaultActionForwardTargetGroupArgs{Arn: pulumi.String("arn:tg-blue"), Weight: pulumi.Int(100 - weight)},
			&lb.ListenerDefaultActionForwardTargetGroupArgs{Arn: pulumi.String("arn:tg-green"), Weight: pulumi.Int(weight)},
		},
		Stickiness: &lb.ListenerDefaultActionForwardStickinessArgs{Enabled: pulumi.Bool(true), Duration: pulumi.Int(duration)},
	}}
}

// rules registers listener rules on one listener with the given priorities, conditions and
// action.
func cmpRules(cond *lb.ListenerRuleConditionArgs, action *lb.ListenerRuleActionArgs, priorities ...int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if cond == nil {
			cond = &lb.ListenerRuleConditionArgs{PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.StringArray{pulumi.String("/*")}}}
		}
		if action == nil {
			action = &lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:tg-blue")}
		}
		for i, p := range priorities {
			if _, err := lb.NewListenerRule(ctx, "rule-"+string(rune('a'+i)), &lb.ListenerRuleArgs{
				ListenerArn: pulumi.String("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/alb/1/2"),
				Priority:    pulumi.Int(p),
				Conditions:  lb.ListenerRuleConditionArray{cond},
				Actions:     lb.ListenerRuleActionArray{action},
			}); err != nil {
				return err
			}
		}
		return nil
	}
}

func cmpMethod(m string) *lb.ListenerRuleConditionArgs {
	return &lb.ListenerRuleConditionArgs{HttpRequestMethod: &lb.ListenerRuleConditionHttpRequestMethodArgs{Values: pulumi.StringArray{pulumi.String(m)}}}
}

func cmpHeader(name, value string) *lb.ListenerRuleConditionArgs {
	return &lb.ListenerRuleConditionArgs{HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{
		HttpHeaderName: pulumi.String(name), Values: pulumi.StringArray{pulumi.String(value)}}}
}

// group registers an Auto Scaling group with the given sizes, zones and refresh percentages.
func cmpGroup(lo, desired, hi int, zones bool, minHealthy, maxHealthy int) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		args := &autoscaling.GroupArgs{
			MinSize: pulumi.Int(lo), DesiredCapacity: pulumi.Int(desired), MaxSize: pulumi.Int(hi),
			VpcZoneIdentifiers: pulumi.StringArray{pulumi.String("subnet-1"), pulumi.String("subnet-2")},
			InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{Strategy: pulumi.String("Rolling"),
				Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
					MinHealthyPercentage: pulumi.Int(minHealthy), MaxHealthyPercentage: pulumi.Int(maxHealthy)}},
		}
		if zones {
			args.AvailabilityZones = pulumi.StringArray{pulumi.String("ap-northeast-2a")}
		}
		_, err := autoscaling.NewGroup(ctx, "asg", args)
		return err
	}
}

func cmpRepository(name string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := ecr.NewRepository(ctx, "repo", &ecr.RepositoryArgs{Name: pulumi.String(name)})
		return err
	}
}

func cmpLaunchTemplate(userData string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := ec2.NewLaunchTemplate(ctx, "lt", &ec2.LaunchTemplateArgs{
			InstanceType: pulumi.String("t4g.small"),
			UserData:     pulumi.String(base64.StdEncoding.EncodeToString([]byte(userData))),
		})
		return err
	}
}

var computeRuleTests = []ruleTest{
	{rule: "ec2/launch-template-user-data-size", name: "over 16 KB", want: "InvalidParameterValue: User data is limited to 16384 bytes",
		refused: cmpLaunchTemplate("#!/bin/bash\n" + strings.Repeat("x", 16384)), allowed: cmpLaunchTemplate("#!/bin/bash\n" + strings.Repeat("x", 16000))},
	{rule: "ssm/parameter-name", name: "ssm prefix", want: `ValidationException: Parameter name: can't be prefixed with "ssm"`,
		refused: ssmParameter("/ssm/release-check"), allowed: ssmParameter("/webstack/prod/release-check")},
	{rule: "ssm/parameter-name", name: "characters", want: `ValidationException: Parameter name: can't be prefixed with "ssm"`,
		refused: ssmParameter("/webstack/prod/release check")},
	{rule: "elbv2/alb-subnets-in-two-azs", want: "ValidationError: At least two subnets in two different Availability Zones must be specified",
		refused: cmpALB("ap-northeast-2a"), allowed: cmpALB("ap-northeast-2a", "ap-northeast-2c")},
	{rule: "elbv2/alb-one-subnet-per-az", want: "InvalidConfigurationRequest: A load balancer cannot be attached to multiple subnets in the same Availability Zone",
		refused: cmpALB("ap-northeast-2a", "ap-northeast-2a", "ap-northeast-2c"), allowed: cmpALB("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c")},

	{rule: "elbv2/target-group-name", name: "length", want: `"name" cannot be longer than 32 characters`,
		refused: cmpTargetGroup("webstack-production-blue-target-group", nil, 30), allowed: cmpTargetGroup("webstack-prod-blue", nil, 30)},
	{rule: "elbv2/target-group-name", name: "characters", want: `only alphanumeric characters and hyphens allowed in "name"`,
		refused: cmpTargetGroup("webstack_prod_blue", nil, 30)},
	{rule: "elbv2/target-group-name", name: "hyphen", want: `"name" cannot end with a hyphen`,
		refused: cmpTargetGroup("webstack-prod-", nil, 30)},

	{rule: "elbv2/health-check-ranges", name: "interval", want: "expected health_check.0.interval to be in the range (5 - 300), got 4",
		refused: cmpTargetGroup("", cmpHealthCheck(4, 2, 2, "/health"), 30), allowed: cmpTargetGroup("", cmpHealthCheck(5, 4, 2, "/health"), 30)},
	{rule: "elbv2/health-check-ranges", name: "threshold", want: "expected health_check.0.healthy_threshold to be in the range (2 - 10), got 1",
		refused: cmpTargetGroup("", cmpHealthCheck(10, 5, 1, "/health"), 30)},
	{rule: "elbv2/health-check-ranges", name: "path", want: "expected length of health_check.0.path to be in the range (1 - 1024)",
		refused: cmpTargetGroup("", cmpHealthCheck(10, 5, 2, "/"+strings.Repeat("a", 1024)), 30)},
	{rule: "elbv2/health-check-timeout-below-interval", want: "ValidationError: Health check interval must be greater than the timeout.",
		refused: cmpTargetGroup("", cmpHealthCheck(5, 5, 2, "/health"), 30), allowed: cmpTargetGroup("", cmpHealthCheck(5, 4, 2, "/health"), 30)},
	{rule: "elbv2/health-check-timeout-below-interval", name: "default timeout", want: "Health check interval must be greater than the timeout.",
		refused: cmpTargetGroup("", &lb.TargetGroupHealthCheckArgs{Interval: pulumi.Int(5)}, 30)},
	{rule: "elbv2/deregistration-delay-range", want: "expected deregistration_delay to be in the range (0 - 3600), got 4000",
		refused: cmpTargetGroup("", nil, 4000), allowed: cmpTargetGroup("", nil, 3600)},

	{rule: "elbv2/listener-port-unique", want: "DuplicateListener: A listener already exists on this port for this load balancer",
		refused: cmpListeners(cmpFixed("text/plain", "ok", "200"), 80, 9000, 80), allowed: cmpListeners(cmpFixed("text/plain", "ok", "200"), 80, 443, 9000)},
	{rule: "elbv2/listener-fixed-response", name: "content type", want: "expected default_action.0.fixed_response.0.content_type to be one of",
		refused: cmpListeners(cmpFixed("application/xml", "<x/>", "503"), 80), allowed: cmpListeners(cmpFixed("application/json", `{"error":"no_release"}`, "503"), 80)},
	{rule: "elbv2/listener-fixed-response", name: "status", want: `expected value of default_action.0.fixed_response.0.status_code to match regular expression "^[245]\\d\\d$", got 302`,
		refused: cmpListeners(cmpFixed("text/plain", "moved", "302"), 80)},
	{rule: "elbv2/listener-fixed-response", name: "body", want: "expected length of default_action.0.fixed_response.0.message_body to be in the range (0 - 1024)",
		refused: cmpListeners(cmpFixed("text/plain", strings.Repeat("x", 1025), "503"), 80)},
	{rule: "elbv2/listener-fixed-response", name: "no status", want: "creating ELBv2 Listener: operation error Elastic Load Balancing v2: CreateListener, " +
		"1 validation error(s) found.\n- missing required field, CreateListenerInput.DefaultActions[0].FixedResponseConfig.StatusCode.",
		refused: cmpListeners(cmpFixed("application/json", "{}", ""), 80), allowed: cmpListeners(cmpFixed("application/json", "{}", "404"), 80)},
	{rule: "elbv2/listener-fixed-response", name: "index", want: "expected default_action.1.fixed_response.0.content_type to be one of",
		refused: cmpListenerActions(cmpFixed("text/plain", "a", "404"), cmpFixed("text/xml", "b", "404"))},
	{rule: "elbv2/rule-fixed-response", name: "no status", want: "creating ELBv2 Listener Rule: operation error Elastic Load Balancing v2: CreateRule, " +
		"1 validation error(s) found.\n- missing required field, CreateRuleInput.Actions[0].FixedResponseConfig.StatusCode.",
		refused: cmpRules(nil, &lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
			ContentType: pulumi.String("application/json")}}, 10)},
	{rule: "elbv2/listener-forward-target-groups", want: "default_action.0.forward.0.target_group: List longer than MaxItems: Attribute supports 5 item maximum, config has 6 declared",
		refused: cmpListeners(cmpForwardTo(6), 80), allowed: cmpListeners(cmpForwardTo(5), 80)},
	{rule: "elbv2/rule-forward-target-groups", want: "action.0.forward.0.target_group: List longer than MaxItems: Attribute supports 5 item maximum, config has 6 declared",
		refused: cmpRules(nil, cmpRuleForwardTo(6), 10), allowed: cmpRules(nil, cmpRuleForwardTo(5), 10)},
	{rule: "elbv2/rules-per-load-balancer", want: "TooManyRules: You've reached the limit on the number of rules per load balancer.",
		refused: cmpRulesOnTwoListeners(60, 41), allowed: cmpRulesOnTwoListeners(60, 40)},
	{rule: "elbv2/rule-fixed-response", want: "expected action.0.fixed_response.0.content_type to be one of",
		refused: cmpRules(nil, &lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
			ContentType: pulumi.String("text/json"), StatusCode: pulumi.String("503")}}, 10),
		allowed: cmpRules(nil, &lb.ListenerRuleActionArgs{Type: pulumi.String("fixed-response"), FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
			ContentType: pulumi.String("application/json"), StatusCode: pulumi.String("503")}}, 10)},
	{rule: "elbv2/listener-forward-weights", name: "stickiness", want: "expected default_action.0.forward.0.stickiness.0.duration to be in the range (1 - 604800), got 0",
		refused: cmpListeners(cmpWeighted(10, 0), 80), allowed: cmpListeners(cmpWeighted(10, 600), 80)},
	{rule: "elbv2/listener-forward-weights", name: "weight", want: "expected default_action.0.forward.0.target_group.0.weight to be in the range (0 - 999), got -900",
		refused: cmpListeners(cmpWeighted(1000, 600), 80)},
	{rule: "elbv2/rule-forward-weights", want: "expected action.0.forward.0.target_group.1.weight to be in the range (0 - 999), got 1000",
		refused: cmpRules(nil, &lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), Forward: &lb.ListenerRuleActionForwardArgs{
			TargetGroups: lb.ListenerRuleActionForwardTargetGroupArray{
				&lb.ListenerRuleActionForwardTargetGroupArgs{Arn: pulumi.String("arn:tg-blue"), Weight: pulumi.Int(1)},
				&lb.ListenerRuleActionForwardTargetGroupArgs{Arn: pulumi.String("arn:tg-green"), Weight: pulumi.Int(1000)},
			}}}, 10)},
	{rule: "elbv2/rule-priority", name: "range", want: "expected priority to be in the range (1 - 50000), got 50001",
		refused: cmpRules(nil, nil, 50001), allowed: cmpRules(nil, nil, 1, 50000)},
	{rule: "elbv2/rule-priority", name: "in use", want: "PriorityInUse: Priority '10' is currently in use",
		refused: cmpRules(nil, nil, 10, 20, 10), allowed: cmpRules(nil, nil, 10, 20)},
	{rule: "elbv2/rule-condition-values", name: "method", want: `expected value of condition.0.http_request_method.0.values.0 to match regular expression "^[A-Za-z-_]{1,40}$", got GET /`,
		refused: cmpRules(cmpMethod("GET /"), nil, 10), allowed: cmpRules(cmpMethod("WEBSTACK-KEEP-TARGET-GROUPS-IN-USE"), nil, 10)},
	{rule: "elbv2/rule-condition-values", name: "header name", want: "condition.0.http_header.0.http_header_name to match regular expression",
		refused: cmpRules(cmpHeader("X Origin", "v"), nil, 10), allowed: cmpRules(cmpHeader("X-Origin-Verify", "v"), nil, 10)},
	{rule: "elbv2/rule-condition-values", name: "header value", want: "expected length of condition.0.http_header.0.values.0 to be in the range (1 - 128), got a value of 129 characters",
		refused: cmpRules(cmpHeader("X-Origin-Verify", strings.Repeat("v", 129)), nil, 10)},

	{rule: "autoscaling/capacity-bounds", name: "desired above max", want: "ValidationError: Desired capacity:3 must be between the specified min size:1 and max size:2",
		refused: cmpGroup(1, 3, 2, false, 100, 200), allowed: cmpGroup(0, 0, 2, false, 100, 200)},
	{rule: "autoscaling/capacity-bounds", name: "desired below min", want: "Desired capacity:1 must be between the specified min size:2 and max size:4",
		refused: cmpGroup(2, 1, 4, false, 100, 200)},
	{rule: "autoscaling/subnets-or-zones", want: `"availability_zones": conflicts with vpc_zone_identifier`,
		refused: cmpGroup(1, 1, 2, true, 100, 200), allowed: cmpGroup(1, 1, 2, false, 100, 200)},
	{rule: "autoscaling/instance-refresh-percentages", name: "max", want: "expected instance_refresh.0.preferences.0.max_healthy_percentage to be in the range (100 - 200), got 250",
		refused: cmpGroup(1, 1, 2, false, 100, 250), allowed: cmpGroup(1, 1, 2, false, 90, 110)},
	{rule: "autoscaling/instance-refresh-percentages", name: "min", want: "expected instance_refresh.0.preferences.0.min_healthy_percentage to be in the range (0 - 100), got 110",
		refused: cmpGroup(1, 1, 2, false, 110, 200)},

	{rule: "ecr/repository-name", name: "pattern", want: "InvalidParameterException: Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression",
		refused: cmpRepository("Webstack-Prod"), allowed: cmpRepository("webstack-prod")},
	{rule: "ecr/repository-name", name: "length", want: "'must have length greater than or equal to 2'",
		refused: cmpRepository("w")},
}

// TestGetImage: getImage answers from the images pushed to the registry, refusing a missing tag
// and a missing repository as the provider reports ECR's answers, and assumes every image
// pushed when the run was given no registry.
func TestGetImage(t *testing.T) {
	lookup := func(images map[string][]string, tag string) error {
		_, err := Run("webstack", "rules", Options{Region: "ap-northeast-2", Images: images}, func(ctx *pulumi.Context) error {
			res, err := ecr.GetImage(ctx, &ecr.GetImageArgs{RepositoryName: "webstack-prod", ImageTag: pulumi.StringRef(tag)})
			if err != nil {
				return err
			}
			if want := "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod@" + res.ImageDigest; res.ImageUri != want || !strings.HasPrefix(res.ImageDigest, "sha256:") {
				t.Errorf("image %+v, want the URI %s", res, want)
			}
			return nil
		})
		return err
	}
	for _, tc := range []struct {
		name   string
		images map[string][]string
		tag    string
		want   string
	}{
		{"pushed", map[string][]string{"webstack-prod": {"1.4.2"}}, "1.4.2", ""},
		{"no registry given: assumed pushed", nil, "9.9.9", ""},
		// The provider answers both of ECR's not-founds alike.
		{"tag not pushed", map[string][]string{"webstack-prod": {"1.4.2"}}, "1.5.0", "reading ECR Images: couldn't find resource"},
		{"no repository", map[string][]string{"other": {"1.4.2"}}, "1.4.2", "reading ECR Images: couldn't find resource"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := lookup(tc.images, tc.tag)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestGetRepository: getRepository answers from the repositories of the registry (the keys of
// Images), refusing a missing one as the provider reports ECR's RepositoryNotFoundException,
// and assumes the repository exists when the run was given no registry.
func TestGetRepository(t *testing.T) {
	for _, tc := range []struct {
		name   string
		images map[string][]string
		want   string
	}{
		{"exists", map[string][]string{"webstack-prod": {"1.4.2"}}, ""},
		{"exists, empty", map[string][]string{"webstack-prod": {}}, ""},
		{"no registry given: assumed to exist", nil, ""},
		{"missing", map[string][]string{"other": {"1.4.2"}}, "reading ECR Repository (webstack-prod): couldn't find resource"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run("webstack", "rules", Options{Region: "ap-northeast-2", Images: tc.images}, func(ctx *pulumi.Context) error {
				res, err := ecr.LookupRepository(ctx, &ecr.LookupRepositoryArgs{Name: "webstack-prod"})
				if err != nil {
					return err
				}
				if want := "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/webstack-prod"; res.RepositoryUrl != want || res.Name != "webstack-prod" {
					t.Errorf("repository %+v, want the URL %s", res, want)
				}
				return nil
			})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func ssmParameter(name string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := ssm.NewParameter(ctx, "param", &ssm.ParameterArgs{Name: pulumi.String(name), Type: pulumi.String("SecureString"), Value: pulumi.String("x")})
		return err
	}
}
