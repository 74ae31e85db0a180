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
	// UnhealthyHosts is how many unhealthy targets a color's target group may have for three
	// minutes in a row.
	UnhealthyHosts int
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
	return errors.Join(errs...)
}

// loadBalancerAlarms registers the load balancer's alarms. None of them can count test
// traffic: every alarm that reads a target group reads a production target group (the test
// listener forwards only to the test target groups), and the one load-balancer-wide alarm
// reads only 503s that are not the stack's own fixed responses, which test traffic does not
// cause. Per color, the application's 5XX, its p99 latency, its unhealthy targets and the
// requests the load balancer answered in its place (a refused, reset or timed-out
// connection: 502, 504); for the load balancer, the 503s it answered because a production
// target group had no target at all. A canary's errors show on the alarms of the color they
// come from; a flip changes none of them.
//
// HTTPCode_ELB_5XX_Count itself is not alarmed: it has only the LoadBalancer and
// AvailabilityZone dimensions (ELB CloudWatch metrics,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html),
// so it counts the test listener's traffic too: a smoke test of a crashing release (502s)
// would page production.
func loadBalancerAlarms(ctx *pulumi.Context, name string, a *AlarmArgs, alb *lb.LoadBalancer, tgs map[Color]*lb.TargetGroup, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	var specs []alarm.Named
	for _, c := range Colors {
		dims := pulumi.StringMap{"TargetGroup": tgs[c].ArnSuffix, "LoadBalancer": alb.ArnSuffix}
		color := func(suffix string) string { return fmt.Sprintf("%s-%s-%s", a.NamePrefix, c, suffix) }
		specs = append(specs,
			alarm.Named{Suffix: string(c) + "-target-5xx", Spec: alarm.Spec{
				Name: color("target-5xx"),
				Description: fmt.Sprintf("The application on %s answered more than %d 5XX to production requests in 5 minutes. If %s is live (or a canary), "+
					"check the 5XX-per-color graph and the application's log streams %s/*; roll back if a release just reached it.", c, a.Target5xx, c, c),
				Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_Target_5XX_Count", Dimensions: dims,
				Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
				Comparison: alarm.Above, Threshold: float64(a.Target5xx), TreatMissingData: alarm.NotBreaching,
			}},
			alarm.Named{Suffix: string(c) + "-latency", Spec: alarm.Spec{
				Name: color("p99-latency"),
				Description: fmt.Sprintf("The p99 response time of %s to production requests has been above %d ms for 10 minutes. Check the "+
					"latency-per-color graph, then the database (CPU, connections) and the cache.", c, a.ResponseTimeP99Ms),
				Namespace: "AWS/ApplicationELB", Metric: "TargetResponseTime", Dimensions: dims,
				Statistic: "p99", Period: 300, EvaluationPeriods: 2, DatapointsToAlarm: 2,
				Comparison: alarm.Above, Threshold: float64(a.ResponseTimeP99Ms) / 1000, TreatMissingData: alarm.NotBreaching,
			}},
			alarm.Named{Suffix: string(c) + "-unhealthy-hosts", Spec: alarm.Spec{
				Name: color("unhealthy-hosts"),
				Description: fmt.Sprintf("The %s target group has had more than %d unhealthy targets for 3 minutes. If %s is live, "+
					"production is losing capacity; if it is idle, a release to it is failing its health check.", c, a.UnhealthyHosts, c),
				Namespace: "AWS/ApplicationELB", Metric: "UnHealthyHostCount", Dimensions: dims,
				Statistic: "Maximum", Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 3,
				Comparison: alarm.Above, Threshold: float64(a.UnhealthyHosts), TreatMissingData: alarm.NotBreaching,
			}})
	}
	maths := []mathAlarm{{
		Suffix: "elb-5xx", Name: a.NamePrefix + "-alb-elb-5xx",
		Description: fmt.Sprintf("The load balancer answered more than %d 503s in 5 minutes that were not the stack's own fixed responses: a production "+
			"target group had no registered target (every instance of the live color gone). Check the hosts-per-color graph and the live "+
			"color's Auto Scaling activity.", a.ELB5xx),
		Metrics: []mathMetric{
			{ID: "elb503", Metric: "HTTPCode_ELB_503_Count", Dimensions: pulumi.StringMap{"LoadBalancer": alb.ArnSuffix}},
			{ID: "fixed", Metric: "HTTP_Fixed_Response_Count", Dimensions: pulumi.StringMap{"LoadBalancer": alb.ArnSuffix}},
		},
		// Whether a fixed response counts in the ELB 5XX metrics the metrics page does not say;
		// subtracting at most as many as there were keeps the alarm right either way. Every
		// fixed 5XX this stack answers is a 503 (NoReleaseStatus).
		Expression: "IF(FILL(elb503, 0) > FILL(fixed, 0), FILL(elb503, 0) - FILL(fixed, 0), 0)",
		Label:      "load balancer 503s, less fixed responses",
		Threshold:  float64(a.ELB5xx),
	}}
	for _, c := range Colors {
		dims := pulumi.StringMap{"TargetGroup": tgs[c].ArnSuffix, "LoadBalancer": alb.ArnSuffix}
		var metrics []mathMetric
		for _, m := range []struct{ id, metric string }{
			{"requests", "RequestCount"}, {"t2xx", "HTTPCode_Target_2XX_Count"}, {"t3xx", "HTTPCode_Target_3XX_Count"},
			{"t4xx", "HTTPCode_Target_4XX_Count"}, {"t5xx", "HTTPCode_Target_5XX_Count"},
		} {
			metrics = append(metrics, mathMetric{ID: m.id, Metric: m.metric, Dimensions: dims})
		}
		maths = append(maths, mathAlarm{
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
		})
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
