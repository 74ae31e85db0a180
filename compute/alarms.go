package compute

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/alarm"
)

// AlarmArgs configures the load balancer's alarms. None of them depends on which color is
// live: the target groups' alarms are per color and stay as they are when production flips.
// The one load-balancer-wide alarm changes once, at the first release (see loadBalancerAlarms).
type AlarmArgs struct {
	// TopicARN is the alert topic. Optional: nil registers no alarms.
	TopicARN pulumi.StringInput
	// NamePrefix starts every alarm name ("webstack-prod"). Required with TopicARN.
	NamePrefix string
	// ELB5xx is how many production requests the load balancer itself may answer with a 5XX
	// in five minutes: per color, those routed to it that its instances did not answer (502,
	// 504); for the load balancer, the 503s of a target group without targets.
	ELB5xx int
	// Target5xx is how many 5XX responses the application of one color may return in five
	// minutes.
	Target5xx int
	// ResponseTimeP99Ms is the p99 response time of one color, in milliseconds, that two
	// five-minute periods in a row may not exceed. Required with TopicARN; at least 1.
	ResponseTimeP99Ms int
	// UnhealthyHosts is how many unhealthy targets a color's target group may have for every
	// minute of UnhealthyWindowMinutes(HealthCheckGracePeriod) in a row.
	UnhealthyHosts int
	// HealthCheckGracePeriod is the fleets' health check grace period in seconds (FleetArgs):
	// the unhealthy-hosts alarms wait longer than that before they page, so that an instance
	// still booting never does. Optional. Defaults to DefaultHealthCheckGracePeriod, as the
	// fleets do.
	HealthCheckGracePeriod int
}

func (a *AlarmArgs) validate() error {
	if a.TopicARN == nil {
		return nil
	}
	var errs []error
	if a.NamePrefix == "" {
		errs = append(errs, errors.New("alarms need a name prefix"))
	}
	if a.ELB5xx < 0 || a.Target5xx < 0 || a.UnhealthyHosts < 0 {
		errs = append(errs, fmt.Errorf("alarm thresholds %d, %d, %d must not be negative", a.ELB5xx, a.Target5xx, a.UnhealthyHosts))
	}
	if a.ResponseTimeP99Ms < 1 {
		errs = append(errs, fmt.Errorf("response time threshold %d ms must be at least 1", a.ResponseTimeP99Ms))
	}
	if a.HealthCheckGracePeriod < 0 || a.HealthCheckGracePeriod > MaxHealthCheckGracePeriod {
		errs = append(errs, fmt.Errorf("health check grace period %d s out of range 0..%d", a.HealthCheckGracePeriod, MaxHealthCheckGracePeriod))
	}
	return errors.Join(errs...)
}

// UnhealthyWindowMinutes is how many one-minute periods in a row a color's unhealthy-host count
// must stay above its threshold before the alarm pages: the fleets' health check grace period
// (seconds) rounded up to minutes, plus two. An instance registers with its target groups as
// soon as it is InService, before its user data has installed Docker, pulled the image and
// started the application, and it counts as unhealthy from its second failed check (10 s) until
// the application answers; the grace period is how long that may take (Auto Scaling replaces
// it after that). So every release and scale-out shows unhealthy targets for a few minutes, and
// an alarm over a shorter window would page for each. A target that stays unhealthy past the
// grace period (a release that never starts, a health endpoint that fails) keeps the count up
// through replacement after replacement and pages two minutes later.
func UnhealthyWindowMinutes(seconds int) int {
	return (gracePeriod(seconds)+59)/60 + 2
}

// loadBalancerAlarms registers the load balancer's alarms. None of them can count test
// traffic: every alarm that reads a target group reads a production target group (the test
// listener forwards only to the test target groups), and the one load-balancer-wide alarm
// reads only 503s, which test traffic does not cause (see below). Per color, the
// application's 5XX, its p99 latency, its unhealthy targets and the requests the load balancer
// answered in its place (a refused, reset or timed-out connection: 502, 504); for the load
// balancer, the 503s it answered because a target group had no target at all. A canary's
// errors show on the alarms of the color they come from; a flip changes none of them.
//
// HTTPCode_ELB_5XX_Count itself is not alarmed: it has only the LoadBalancer and
// AvailabilityZone dimensions (ELB CloudWatch metrics,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
// so it counts the test listener's traffic too: a smoke test of a crashing release (502s)
// would page production. HTTPCode_ELB_503_Count has the same dimensions, but the test listener
// answers a 503 only in the rare moment its target group holds no target at all; an empty idle
// color is answered a fixed 404 (IdleEmptyStatus), not a 503.
//
// noRelease says whether the production path answers the fixed no-release 503
// (NoReleaseStatus): the active color runs no instances. Whether a fixed response counts in the
// HTTPCode_ELB_* metrics the metrics page does not say (the load balancer's redirects count in
// HTTPCode_ELB_3XX_Count, so probably yes). Only then does the alarm subtract
// HTTP_Fixed_Response_Count, which counts every fixed response whatever its status (the
// origin gate's 403s too), from the 503s: at most as many as there were, so the no-release
// 503s never page. Once the active color runs a version the stack answers no fixed 5XX at all,
// and the alarm watches the plain HTTPCode_ELB_503_Count: nothing can mask a real 503 (a
// scanner's 403s at the origin gate would, through the subtraction). The alarm resource keeps
// its name; it changes at the first release (and back, should the active color ever lose its
// version), never on a flip between two released colors.
func loadBalancerAlarms(ctx *pulumi.Context, name string, a *AlarmArgs, alb *lb.LoadBalancer, tgs map[Color]*lb.TargetGroup, noRelease bool, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	colorDims := func(c Color) pulumi.StringMap {
		return pulumi.StringMap{"TargetGroup": tgs[c].ArnSuffix, "LoadBalancer": alb.ArnSuffix}
	}
	var specs []alarm.Named
	for _, c := range Colors {
		specs = append(specs, colorAlarms(a, c, colorDims(c))...)
	}
	var maths []mathAlarm
	lbDims := pulumi.StringMap{"LoadBalancer": alb.ArnSuffix}
	if noRelease {
		maths = append(maths, noReleaseELB503Alarm(a, lbDims))
	} else {
		specs = append(specs, elb503Alarm(a, lbDims))
	}
	for _, c := range Colors {
		maths = append(maths, colorELB5xxAlarm(a, c, colorDims(c)))
	}
	set, err := alarm.NewSet(ctx, name, specs, a.TopicARN, opts...)
	if err != nil {
		return nil, err
	}
	for _, m := range maths {
		al, err := m.register(ctx, name, a.TopicARN, opts...)
		if err != nil {
			return nil, err
		}
		set = append(set, al)
	}
	return set, nil
}

// colorAlarms are the alarms on color c's production target group (dimensions dims): the
// application's 5XX, its p99 latency and its unhealthy targets.
func colorAlarms(a *AlarmArgs, c Color, dims pulumi.StringMap) []alarm.Named {
	window := UnhealthyWindowMinutes(a.HealthCheckGracePeriod)
	color := func(suffix string) string { return fmt.Sprintf("%s-%s-%s", a.NamePrefix, c, suffix) }
	return []alarm.Named{
		{Suffix: string(c) + "-target-5xx", Spec: alarm.Spec{
			Name: color("target-5xx"),
			Description: fmt.Sprintf("The application on %s answered more than %d 5XX to production requests in 5 minutes. If %s is live (or a canary), "+
				"check the 5XX-per-color graph and the application's log streams %s/*; roll back if a release just reached it.", c, a.Target5xx, c, c),
			Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_Target_5XX_Count", Dimensions: dims,
			Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
			Comparison: alarm.Above, Threshold: float64(a.Target5xx), TreatMissingData: alarm.NotBreaching,
		}},
		{Suffix: string(c) + "-latency", Spec: alarm.Spec{
			Name: color("p99-latency"),
			Description: fmt.Sprintf("The p99 response time of %s to production requests has been above %d ms for 10 minutes. Check the "+
				"latency-per-color graph, then the database (CPU, connections) and the cache.", c, a.ResponseTimeP99Ms),
			Namespace: "AWS/ApplicationELB", Metric: "TargetResponseTime", Dimensions: dims,
			Statistic: "p99", Period: 300, EvaluationPeriods: 2, DatapointsToAlarm: 2,
			Comparison: alarm.Above, Threshold: float64(a.ResponseTimeP99Ms) / 1000, TreatMissingData: alarm.NotBreaching,
		}},
		{Suffix: string(c) + "-unhealthy-hosts", Spec: alarm.Spec{
			Name: color("unhealthy-hosts"),
			Description: fmt.Sprintf("The %s target group has had more than %d unhealthy targets in every minute for %d minutes, longer than a new "+
				"instance may take to start (the health check grace period). If %s is live, production is losing capacity; if it is idle, a "+
				"release to it is failing its health check. Check the hosts-per-color graph, the application's log streams %s/* and its "+
				"health endpoint's dependencies.", c, a.UnhealthyHosts, window, c, c),
			Namespace: "AWS/ApplicationELB", Metric: "UnHealthyHostCount", Dimensions: dims,
			Statistic: "Maximum", Period: 60, EvaluationPeriods: window, DatapointsToAlarm: window,
			Comparison: alarm.Above, Threshold: float64(a.UnhealthyHosts), TreatMissingData: alarm.NotBreaching,
		}},
	}
}

// noReleaseELB503Alarm is the load-balancer-wide 503 alarm while the production path answers
// the fixed no-release 503: the 503s less the fixed responses.
func noReleaseELB503Alarm(a *AlarmArgs, lbDims pulumi.StringMap) mathAlarm {
	return mathAlarm{
		Suffix: "elb-5xx", Name: a.NamePrefix + "-alb-elb-5xx",
		Description: fmt.Sprintf("No release yet: the load balancer answered more than %d 503s in 5 minutes beyond its fixed responses "+
			"(the no-release 503s): a target group with no registered target. Check the hosts-per-color graph and the idle color's "+
			"Auto Scaling activity. Once the active color runs a version this alarm watches every load balancer 503.", a.ELB5xx),
		Metrics: []mathMetric{
			{ID: "elb503", Metric: "HTTPCode_ELB_503_Count", Dimensions: lbDims},
			{ID: "fixed", Metric: "HTTP_Fixed_Response_Count", Dimensions: lbDims},
		},
		Expression: "IF(FILL(elb503, 0) > FILL(fixed, 0), FILL(elb503, 0) - FILL(fixed, 0), 0)",
		Label:      "load balancer 503s, less fixed responses",
		Threshold:  float64(a.ELB5xx),
	}
}

// elb503Alarm is the load-balancer-wide 503 alarm once the active color runs a version: every
// load balancer 503.
func elb503Alarm(a *AlarmArgs, lbDims pulumi.StringMap) alarm.Named {
	return alarm.Named{Suffix: "elb-5xx", Spec: alarm.Spec{
		Name: a.NamePrefix + "-alb-elb-5xx",
		Description: fmt.Sprintf("The load balancer answered more than %d 503s in 5 minutes: a target group had no registered target "+
			"(every instance of the live color gone). Check the hosts-per-color graph and the live color's Auto Scaling activity.", a.ELB5xx),
		Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_ELB_503_Count", Dimensions: lbDims,
		Statistic: "Sum", Period: mathPeriod, EvaluationPeriods: 1, DatapointsToAlarm: 1,
		Comparison: alarm.Above, Threshold: float64(a.ELB5xx), TreatMissingData: alarm.NotBreaching,
	}}
}

// colorELB5xxAlarm is the alarm on the production requests routed to color c (dimensions dims)
// that the load balancer answered itself (502, 504).
func colorELB5xxAlarm(a *AlarmArgs, c Color, dims pulumi.StringMap) mathAlarm {
	var metrics []mathMetric
	for _, m := range []struct{ id, metric string }{
		{"requests", "RequestCount"}, {"t2xx", "HTTPCode_Target_2XX_Count"}, {"t3xx", "HTTPCode_Target_3XX_Count"},
		{"t4xx", "HTTPCode_Target_4XX_Count"}, {"t5xx", "HTTPCode_Target_5XX_Count"},
	} {
		metrics = append(metrics, mathMetric{ID: m.id, Metric: m.metric, Dimensions: dims})
	}
	return mathAlarm{
		Suffix: string(c) + "-elb-5xx", Name: fmt.Sprintf("%s-%s-elb-5xx", a.NamePrefix, c),
		Description: fmt.Sprintf("The load balancer answered more than %d production requests routed to %s itself in 5 minutes (502/504: an "+
			"instance refused, reset or did not answer the connection). If %s is live (or a canary), check the hosts-per-color graph "+
			"and the application's log streams %s/*.", a.ELB5xx, c, c, c),
		Metrics: metrics,
		// RequestCount counts the requests routed to a target; the target codes count those
		// the target answered (ELB CloudWatch metrics). The rest the load balancer answered.
		Expression: "FILL(requests, 0) - FILL(t2xx, 0) - FILL(t3xx, 0) - FILL(t4xx, 0) - FILL(t5xx, 0)",
		Label:      "routed production requests the load balancer answered itself",
		Threshold:  float64(a.ELB5xx),
	}
}

// mathAlarm is an alarm on a metric math expression over AWS/ApplicationELB metrics (Sum over
// five minutes), firing when the expression is above Threshold in one period.
type mathAlarm struct {
	// Suffix names the resource "<name>-<suffix>-alarm"; Name and Description are the alarm's.
	Suffix, Name, Description string
	// Metrics are the metrics the expression reads, by ID: at most 10 (a hard limit of alarms
	// on metric math, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html).
	Metrics []mathMetric
	// Expression is what the alarm watches; Label names it on graphs.
	Expression, Label string
	Threshold         float64
}

// mathMetric is one metric of a mathAlarm.
type mathMetric struct {
	// ID is the metric's name in the expression: a lowercase letter, then letters, digits, _.
	ID         string
	Metric     string
	Dimensions pulumi.StringMap
}

var metricQueryID = regexp.MustCompile(`^[a-z][A-Za-z0-9_]*$`)

// mathPeriod is the period of every mathAlarm: five minutes, summed.
const mathPeriod = 300

func (m mathAlarm) register(ctx *pulumi.Context, name string, topicARN pulumi.StringInput, opts ...pulumi.ResourceOption) (*cloudwatch.MetricAlarm, error) {
	if len(m.Metrics) == 0 || len(m.Metrics) > 10 || m.Expression == "" || m.Name == "" || m.Description == "" || len(m.Description) > 1024 {
		return nil, fmt.Errorf("alarm %s: 1 to 10 metrics, an expression, a name and a description of at most 1024 characters are required", m.Name)
	}
	queries := cloudwatch.MetricAlarmMetricQueryArray{}
	for _, mm := range m.Metrics {
		if !metricQueryID.MatchString(mm.ID) {
			return nil, fmt.Errorf("alarm %s: metric id %q must start with a lowercase letter and hold only letters, digits and _", m.Name, mm.ID)
		}
		queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
			Id: pulumi.String(mm.ID),
			Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
				Namespace:  pulumi.String("AWS/ApplicationELB"),
				MetricName: pulumi.String(mm.Metric),
				Dimensions: mm.Dimensions,
				Period:     pulumi.Int(mathPeriod),
				Stat:       pulumi.String("Sum"),
			},
			ReturnData: pulumi.Bool(false),
		})
	}
	queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
		Id:         pulumi.String("result"),
		Expression: pulumi.String(m.Expression),
		Label:      pulumi.String(m.Label),
		ReturnData: pulumi.Bool(true),
	})
	a, err := cloudwatch.NewMetricAlarm(ctx, fmt.Sprintf("%s-%s-alarm", name, m.Suffix), &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(m.Name),
		AlarmDescription:   pulumi.String(m.Description),
		MetricQueries:      queries,
		EvaluationPeriods:  pulumi.Int(1),
		DatapointsToAlarm:  pulumi.Int(1),
		ComparisonOperator: pulumi.String(alarm.Above),
		Threshold:          pulumi.Float64(m.Threshold),
		// No datapoint means no request: nothing failed.
		TreatMissingData: pulumi.String(alarm.NotBreaching),
		// Paging needs both edges: ALARM to act, OK to stand down (CloudWatch.15, .17).
		ActionsEnabled: pulumi.Bool(true),
		AlarmActions:   pulumi.Array{topicARN},
		OkActions:      pulumi.Array{topicARN},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("alarm %s: %w", m.Name, err)
	}
	return a, nil
}
