package compute

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/alarm"
)

// TLSPolicy is the security policy of every HTTPS listener: TLS 1.3 and 1.2 only (ELB.17).
const TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// Health check timing: a target is checked every HealthCheckInterval seconds and becomes
// healthy after HealthyThreshold successes, so a new instance takes traffic 10 to 15 seconds
// after the application first answers (AWS's defaults take up to 150 s). Two failures (10 s)
// take a target out.
const (
	HealthCheckInterval = 5
	HealthCheckTimeout  = 4
	HealthyThreshold    = 2
	UnhealthyThreshold  = 2
)

// LoadBalancerArgs configures a LoadBalancer.
type LoadBalancerArgs struct {
	// VpcID is the VPC of the target groups. Required.
	VPCID pulumi.StringInput
	// SubnetIDs are the public subnets, one per AZ, at least two. Required.
	SubnetIDs pulumi.StringArrayInput
	// SecurityGroupID is the ALB's security group from the network tier. Required.
	SecurityGroupID pulumi.StringInput
	// PublicPath are the resources the internet-facing ALB must be created after: the VPC's
	// internet gateway and the public route through it (network.Network.PublicPath). AWS
	// refuses an internet-facing load balancer in a VPC whose gateway is not attached yet,
	// `InvalidSubnet: VPC vpc-… has no internet gateway`, and only a dependency orders the two
	// (aws-cloudformation/aws-cloudformation-templates#75). Optional; the stack always sets it.
	PublicPath []pulumi.Resource
	// Port is the application's port on the instances. Required.
	Port int
	// HealthCheckPath is the path the health check requests; it must answer 200. Optional.
	// Default: DefaultHealthCheckPath.
	HealthCheckPath string
	// DeregistrationDelay is how long (seconds, up to 3600) a leaving target drains its
	// in-flight requests. Optional. Default: DefaultDeregistrationDelay.
	DeregistrationDelay int
	// DisableDraining deregisters leaving targets at once (DeregistrationDelay is then
	// ignored). Optional. Default: false, targets drain.
	DisableDraining bool
	// IdleTimeout is the connection idle timeout in seconds. Optional. Default:
	// DefaultIdleTimeout.
	IdleTimeout int
	// DisableDeletionProtection turns off the ALB's deletion protection (ELB.6). It says
	// nothing about the access logs' fate (DeleteAccessLogs does): turning protection off to
	// destroy the stack must not delete the logs. Optional. Default: false, protected.
	DisableDeletionProtection bool
	// DisableAccessLogs turns off the ALB's access logs (ELB.5). Optional. Default: false, the
	// access logs go to a bucket of their own.
	DisableAccessLogs bool
	// DeleteAccessLogs deletes the access log bucket and its logs with the stack (the bucket
	// is force-destroyed). Optional. Default: false, the bucket, its logs and its settings
	// (public access block, ownership controls, encryption, versioning, lifecycle, TLS-only
	// policy) stay in the account when the stack is destroyed, the bucket is replaced or the
	// access logs are turned off: every one of them is retainOnDelete.
	DeleteAccessLogs bool
	// AccessLogRetentionDays is how long access logs are kept. Optional. Default:
	// DefaultAccessLogRetentionDays.
	AccessLogRetentionDays int
	// AccountID and Partition locate the log bucket's policy. Required unless DisableAccessLogs.
	AccountID, Partition string

	// ActiveColor is the color the production listener forwards to. Required.
	ActiveColor Color
	// CanaryWeight is the percentage (0 to 100) of production traffic forwarded to the other
	// color. Optional. Defaults to 0: everything goes to ActiveColor.
	CanaryWeight int
	// TestListenerPort is the port of the test listener, which forwards to the idle color.
	// Required.
	TestListenerPort int
	// Running says which colors run instances (a version and a desired capacity above 0). A
	// listener whose color runs none answers a fixed JSON response (NoReleaseBody) instead of
	// forwarding to an empty target group: production NoReleaseStatus (503), the test listener
	// IdleEmptyStatus (404). A clear answer, not the load balancer's own "no registered target"
	// 503. Optional. Defaults to none: neither listener forwards.
	Running map[Color]bool

	// CertificateARN is an ACM certificate for the ALB (edge tier). Optional. Defaults to
	// none: the production listener is HTTP on port 80. When set, the production listener is
	// HTTPS on 443 with TLSPolicy, port 80 redirects to it and the test listener is HTTPS too.
	CertificateARN pulumi.StringInput
	// HostName is the name clients use for the ALB, the one CertificateARN covers (e.g.
	// "origin.example.com"); testUrl is built on it. Optional. Defaults to the ALB's own DNS
	// name, which no ACM certificate can cover.
	HostName string
	// OriginHeaderName and OriginHeaderValue (a secret) make the production listener answer
	// 403 to any request without that header, which only CloudFront adds (edge tier); a
	// listener rule forwards requests that carry it. Optional. Defaults to none: the listener
	// forwards every request. Set both or neither.
	OriginHeaderName  string
	OriginHeaderValue pulumi.StringInput
	// ReleaseCheckValue (a secret) adds the production listener's release-check rule (see
	// ReleaseCheckHeader), behind the origin header. Optional. Defaults to none. Needs the
	// origin header.
	ReleaseCheckValue pulumi.StringInput

	// Alarms are the load balancer's and the target groups' alarms. Optional. Defaults to
	// none.
	Alarms AlarmArgs
}

// The load balancer's defaults (LoadBalancerArgs).
const (
	DefaultHealthCheckPath        = "/actuator/health"
	DefaultIdleTimeout            = 60
	DefaultAccessLogRetentionDays = 90
	// DefaultDeregistrationDelay is shorter than AWS's 300 s: long enough for the requests
	// a web API serves, short enough that a flip or a scale-in does not wait 5 minutes.
	DefaultDeregistrationDelay = 30
)

// headerName is an HTTP header field name (a token), as an ALB http-header condition takes it.
var headerName = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$")

func (a *LoadBalancerArgs) withDefaults() LoadBalancerArgs {
	out := *a
	if out.HealthCheckPath == "" {
		out.HealthCheckPath = DefaultHealthCheckPath
	}
	if out.IdleTimeout == 0 {
		out.IdleTimeout = DefaultIdleTimeout
	}
	if out.AccessLogRetentionDays == 0 {
		out.AccessLogRetentionDays = DefaultAccessLogRetentionDays
	}
	switch {
	case out.DisableDraining:
		out.DeregistrationDelay = 0
	case out.DeregistrationDelay == 0:
		out.DeregistrationDelay = DefaultDeregistrationDelay
	}
	return out
}

func (a *LoadBalancerArgs) validate() error {
	var errs []error
	if a.VPCID == nil || a.SubnetIDs == nil || a.SecurityGroupID == nil {
		errs = append(errs, errors.New("vpc, subnets and security group are required"))
	}
	for _, p := range []struct {
		what string
		port int
	}{{"application port", a.Port}, {"test listener port", a.TestListenerPort}} {
		if p.port < 1 || p.port > 65535 {
			errs = append(errs, fmt.Errorf("%s %d out of range 1..65535", p.what, p.port))
		}
	}
	if a.TestListenerPort == 80 || a.TestListenerPort == 443 {
		errs = append(errs, fmt.Errorf("test listener port %d collides with a production listener", a.TestListenerPort))
	}
	if err := validColor(a.ActiveColor); err != nil {
		errs = append(errs, fmt.Errorf("active %w", err))
	}
	if a.CanaryWeight < 0 || a.CanaryWeight > 100 {
		errs = append(errs, fmt.Errorf("canary weight %d out of range 0..100", a.CanaryWeight))
	} else if a.CanaryWeight > 0 && (!a.Running[Blue] || !a.Running[Green]) {
		errs = append(errs, fmt.Errorf("canary weight %d splits production between both colors, but not both run instances", a.CanaryWeight))
	}
	if a.DeregistrationDelay < 0 || a.DeregistrationDelay > 3600 {
		errs = append(errs, fmt.Errorf("deregistration delay %d out of range 0..3600", a.DeregistrationDelay))
	}
	if a.IdleTimeout < 1 || a.IdleTimeout > 4000 {
		errs = append(errs, fmt.Errorf("idle timeout %d out of range 1..4000", a.IdleTimeout))
	}
	if !a.DisableAccessLogs && (a.AccountID == "" || a.Partition == "") {
		errs = append(errs, errors.New("access logs need the account id and partition"))
	}
	if a.AccessLogRetentionDays < 1 {
		errs = append(errs, fmt.Errorf("access log retention %d must be at least 1 day", a.AccessLogRetentionDays))
	}
	if a.ReleaseCheckValue != nil && a.OriginHeaderName == "" {
		errs = append(errs, errors.New("a release-check value needs the origin header: the rule admits only CloudFront's requests"))
	}
	if (a.OriginHeaderName == "") != (a.OriginHeaderValue == nil) {
		errs = append(errs, errors.New("origin header name and value must be set together"))
	} else if a.OriginHeaderName != "" && !headerName.MatchString(a.OriginHeaderName) {
		errs = append(errs, fmt.Errorf("origin header name %q is not an HTTP header name of at most 40 characters", a.OriginHeaderName))
	}
	if err := a.Alarms.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// LoadBalancer is the internet-facing Application Load Balancer with the blue and green
// target groups and the production and test listeners.
type LoadBalancer struct {
	pulumi.ResourceState

	ARN     pulumi.StringOutput `pulumi:"arn"`
	DNSName pulumi.StringOutput `pulumi:"dnsName"`
	ZoneID  pulumi.StringOutput `pulumi:"zoneId"`
	// BlueTargetGroupARN and GreenTargetGroupARN are the colors' production target groups:
	// only the production listener forwards to them.
	BlueTargetGroupARN  pulumi.StringOutput `pulumi:"blueTargetGroupArn"`
	GreenTargetGroupARN pulumi.StringOutput `pulumi:"greenTargetGroupArn"`
	// TestTargetGroupARNs are the colors' test target groups: only the test listener forwards
	// to them, so that no metric of a production target group ever counts test traffic.
	TestTargetGroupARNs map[Color]pulumi.StringOutput `pulumi:"-"`
	// ProductionListenerARN is the listener viewers (or CloudFront) reach.
	ProductionListenerARN pulumi.StringOutput `pulumi:"productionListenerArn"`
	// TestListenerARN is the listener that forwards to the idle color.
	TestListenerARN pulumi.StringOutput `pulumi:"testListenerArn"`
	// TestURL is the idle color's base URL through the test listener, e.g.
	// "http://app-alb-lb-1234.ap-northeast-2.elb.amazonaws.com:9000".
	TestURL pulumi.StringOutput `pulumi:"testUrl"`
	// ARNSuffix is the ALB's ARN suffix ("app/<name>/<id>"), its metrics' LoadBalancer
	// dimension.
	ARNSuffix pulumi.StringOutput `pulumi:"arnSuffix"`
	// TargetGroupARNSuffixes are the colors' production target groups' ARN suffixes
	// ("targetgroup/<name>/<id>"), their metrics' TargetGroup dimension.
	TargetGroupARNSuffixes map[Color]pulumi.StringOutput `pulumi:"-"`
	// Alarms are the alarms the load balancer registered (none without Alarms.TopicARN).
	Alarms alarm.Set `pulumi:"-"`

	// anchor is the rule that keeps every target group in use (see AnchorMethod).
	anchor *lb.ListenerRule
}

// Anchor returns the rule that keeps every target group in use: the fleets' Auto Scaling
// groups come after it.
func (l *LoadBalancer) Anchor() pulumi.Resource { return l.anchor }

// TargetGroupARN returns the production target group of color c.
func (l *LoadBalancer) TargetGroupARN(c Color) pulumi.StringOutput {
	if c == Green {
		return l.GreenTargetGroupARN
	}
	return l.BlueTargetGroupARN
}

// TestTargetGroupARN returns the test target group of color c.
func (l *LoadBalancer) TestTargetGroupARN(c Color) pulumi.StringOutput {
	return l.TestTargetGroupARNs[c]
}

// Traffic is what a target group carries: production traffic or the test listener's. Its
// "Traffic" tag says which; the checks and the alarms tell the two apart by it.
type Traffic string

// The two kinds of target group of each color.
const (
	ProductionTraffic Traffic = "production"
	TestTraffic       Traffic = "test"
)

// NewLoadBalancer registers the ALB, its two target groups and its listeners.
func NewLoadBalancer(ctx *pulumi.Context, name string, args *LoadBalancerArgs, opts ...pulumi.ResourceOption) (*LoadBalancer, error) {
	if args == nil {
		return nil, errors.New("compute: load balancer: args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("compute: load balancer: %w", err)
	}
	l := &LoadBalancer{}
	if err := ctx.RegisterComponentResource(contract.TypeComputeLoadBalancer, name, l, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(l)

	alb, err := newALB(ctx, name, &a, parent)
	if err != nil {
		return nil, err
	}
	tgs, testTGs, err := targetGroups(ctx, name, &a, parent)
	if err != nil {
		return nil, err
	}
	l.ARN = alb.Arn
	l.DNSName = alb.DnsName
	l.ZoneID = alb.ZoneId
	l.BlueTargetGroupARN = tgs[Blue].Arn
	l.GreenTargetGroupARN = tgs[Green].Arn
	l.ARNSuffix = alb.ArnSuffix
	l.TargetGroupARNSuffixes = map[Color]pulumi.StringOutput{}
	l.TestTargetGroupARNs = map[Color]pulumi.StringOutput{}
	for c, tg := range tgs {
		l.TargetGroupARNSuffixes[c] = tg.ArnSuffix
		l.TestTargetGroupARNs[c] = testTGs[c].Arn
	}
	if a.Alarms.TopicARN != nil {
		if l.Alarms, err = loadBalancerAlarms(ctx, name, &a.Alarms, alb, tgs, !a.Running[a.ActiveColor], parent); err != nil {
			return nil, fmt.Errorf("compute: load balancer: %w", err)
		}
	}

	if err := l.listeners(ctx, name, alb, &a, testTGs, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(l, pulumi.Map{
		"arn":                   l.ARN,
		"dnsName":               l.DNSName,
		"zoneId":                l.ZoneID,
		"blueTargetGroupArn":    l.BlueTargetGroupARN,
		"greenTargetGroupArn":   l.GreenTargetGroupARN,
		"productionListenerArn": l.ProductionListenerARN,
		"testListenerArn":       l.TestListenerARN,
		"testUrl":               l.TestURL,
	}); err != nil {
		return nil, err
	}
	return l, nil
}

// newALB registers the internet-facing ALB, after the VPC's public path and, with access logs,
// after its access log bucket and that bucket's policy.
func newALB(ctx *pulumi.Context, name string, a *LoadBalancerArgs, parent pulumi.ResourceOrInvokeOption) (*lb.LoadBalancer, error) {
	var accessLogs *lb.LoadBalancerAccessLogsArgs
	albOpts := []pulumi.ResourceOption{parent, pulumi.DependsOn(a.PublicPath)}
	if !a.DisableAccessLogs {
		logs, err := newAccessLogBucket(ctx, contract.Child(name, contract.RoleLogBucket), a, parent)
		if err != nil {
			return nil, err
		}
		accessLogs = &lb.LoadBalancerAccessLogsArgs{
			Bucket:  logs.name,
			Enabled: pulumi.Bool(true),
			Prefix:  pulumi.String(AccessLogPrefix),
		}
		// AWS checks that it may write to the bucket when logging is turned on.
		albOpts = append(albOpts, pulumi.DependsOn([]pulumi.Resource{logs.policy}))
	}
	alb, err := lb.NewLoadBalancer(ctx, contract.Child(name, contract.RoleLoadBalancer), &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("application"),
		Internal:         pulumi.Bool(false),
		Subnets:          a.SubnetIDs,
		SecurityGroups:   pulumi.StringArray{a.SecurityGroupID},
		IpAddressType:    pulumi.String("ipv4"),
		// Malformed headers never reach the application (ELB.4); requests that could smuggle
		// a second request past it are closed (ELB.12, AWS's recommended mode).
		DropInvalidHeaderFields:  pulumi.Bool(true),
		DesyncMitigationMode:     pulumi.String("defensive"),
		EnableDeletionProtection: pulumi.Bool(!a.DisableDeletionProtection),
		EnableHttp2:              pulumi.Bool(true),
		// The application's keep-alive timeout must exceed this (the fleet's user data sets
		// Tomcat's), or the ALB reuses connections the target already closed: sporadic 502s.
		IdleTimeout:             pulumi.Int(a.IdleTimeout),
		XffHeaderProcessingMode: pulumi.String("append"),
		AccessLogs:              accessLogs,
		Tags:                    pulumi.StringMap{"Name": pulumi.Sprintf("%s-%s-alb", ctx.Project(), ctx.Stack())},
	}, albOpts...)
	if err != nil {
		return nil, fmt.Errorf("compute: load balancer: %w", err)
	}
	return alb, nil
}

// targetGroups registers each color's two target groups, holding the same instances: one the
// production listener forwards to (tgs), one the test listener forwards to (testTGs). Target
// group metrics are per target group, so the production groups' alarms never count a smoke
// test, whichever color is live.
func targetGroups(ctx *pulumi.Context, name string, a *LoadBalancerArgs, parent pulumi.ResourceOption) (tgs, testTGs map[Color]*lb.TargetGroup, err error) {
	tgs, testTGs = map[Color]*lb.TargetGroup{}, map[Color]*lb.TargetGroup{}
	for _, c := range Colors {
		for _, traffic := range []Traffic{ProductionTraffic, TestTraffic} {
			tg, err := newTargetGroup(ctx, name, c, traffic, a, parent)
			if err != nil {
				return nil, nil, err
			}
			if traffic == TestTraffic {
				testTGs[c] = tg
			} else {
				tgs[c] = tg
			}
		}
	}
	return tgs, testTGs, nil
}

// newTargetGroup registers one of a color's target groups: "<name>-<color>-tg" for production
// traffic (the name it always had), "<name>-<color>-test-tg" for the test listener's.
func newTargetGroup(ctx *pulumi.Context, name string, c Color, traffic Traffic, a *LoadBalancerArgs, parent pulumi.ResourceOption) (*lb.TargetGroup, error) {
	resource, tagName := fmt.Sprintf("%s-%s-tg", name, c), fmt.Sprintf("%s-%s-%s", ctx.Project(), ctx.Stack(), c)
	if traffic == TestTraffic {
		resource, tagName = fmt.Sprintf("%s-%s-test-tg", name, c), tagName+"-test"
	}
	tg, err := lb.NewTargetGroup(ctx, resource, &lb.TargetGroupArgs{
		VpcId:               a.VPCID,
		TargetType:          pulumi.String("instance"),
		Protocol:            pulumi.String("HTTP"),
		ProtocolVersion:     pulumi.String("HTTP1"),
		Port:                pulumi.Int(a.Port),
		DeregistrationDelay: pulumi.Int(a.DeregistrationDelay),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(a.HealthCheckPath),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(HealthCheckInterval),
			Timeout:            pulumi.Int(HealthCheckTimeout),
			HealthyThreshold:   pulumi.Int(HealthyThreshold),
			UnhealthyThreshold: pulumi.Int(UnhealthyThreshold),
		},
		Tags: pulumi.StringMap{
			"Name":    pulumi.String(tagName),
			"Color":   pulumi.String(string(c)),
			"Traffic": pulumi.String(string(traffic)),
		},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: target group %s (%s): %w", c, traffic, err)
	}
	return tg, nil
}
