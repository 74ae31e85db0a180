package compute

import (
	"errors"
	"fmt"

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
	// ELB5xx is how many 5XX responses the load balancer itself (no healthy target, target
	// unreachable, timeouts) may return in five minutes.
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

// loadBalancerAlarms registers the load balancer's own 5XX alarm and, per color, the
// application's 5XX, p99 latency and unhealthy-host alarms. Per color, because the load
// balancer's totals also count the test listener's traffic to the idle color (smoke tests of a
// release, 503s while it has no instances), which must not page production; and a canary's
// errors then show on the alarms of the color they come from.
func loadBalancerAlarms(ctx *pulumi.Context, name string, a *AlarmArgs, alb *lb.LoadBalancer, tgs map[Color]*lb.TargetGroup, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	specs := []alarm.Named{{Suffix: "elb-5xx", Spec: alarm.Spec{
		Name: a.NamePrefix + "-alb-elb-5xx",
		Description: "The load balancer itself answered 5XX (502/503/504): no healthy target in the live color, targets " +
			"refusing or timing out. Check the hosts-per-color graph and the live color's instances.",
		Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_ELB_5XX_Count", Dimensions: pulumi.StringMap{"LoadBalancer": alb.ArnSuffix},
		Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
		Comparison: alarm.Above, Threshold: float64(a.ELB5xx), TreatMissingData: alarm.NotBreaching,
	}}}
	for _, c := range Colors {
		dims := pulumi.StringMap{"TargetGroup": tgs[c].ArnSuffix, "LoadBalancer": alb.ArnSuffix}
		color := func(suffix string) string { return fmt.Sprintf("%s-%s-%s", a.NamePrefix, c, suffix) }
		specs = append(specs,
			alarm.Named{Suffix: string(c) + "-target-5xx", Spec: alarm.Spec{
				Name: color("target-5xx"),
				Description: fmt.Sprintf("The application on %s answered more than %d 5XX in 5 minutes. If %s is live (or a canary), "+
					"check the 5XX-per-color graph and the application's log streams %s/*; roll back if a release just reached it.", c, a.Target5xx, c, c),
				Namespace: "AWS/ApplicationELB", Metric: "HTTPCode_Target_5XX_Count", Dimensions: dims,
				Statistic: "Sum", Period: 300, EvaluationPeriods: 1, DatapointsToAlarm: 1,
				Comparison: alarm.Above, Threshold: float64(a.Target5xx), TreatMissingData: alarm.NotBreaching,
			}},
			alarm.Named{Suffix: string(c) + "-latency", Spec: alarm.Spec{
				Name: color("p99-latency"),
				Description: fmt.Sprintf("The p99 response time of %s has been above %d ms for 10 minutes. Check the latency-per-color "+
					"graph, then the database (CPU, connections) and the cache.", c, a.ResponseTimeP99Ms),
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
	return alarm.NewSet(ctx, name, specs, a.TopicARN, opts...)
}
