// Package alarm registers the CloudWatch metric alarms of webstack's tiers in one shape. The
// tiers own their alarms (network: NAT gateways; compute: the load balancer and the target
// groups; data: the database and the cache) and share this package, since tiers never import
// each other. Every alarm notifies the stack's alert topic when it fires and when it recovers,
// keeps its actions enabled, says in its description what fired and where to look, and treats
// missing data explicitly.
package alarm

import (
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Comparison operators an alarm compares its metric with.
const (
	Above   = "GreaterThanThreshold"
	AtLeast = "GreaterThanOrEqualToThreshold"
	Below   = "LessThanThreshold"
	AtMost  = "LessThanOrEqualToThreshold"
)

// How an alarm treats a period without datapoints.
const (
	NotBreaching = "notBreaching"
	Missing      = "missing"
	Breaching    = "breaching"
)

// Statistics CloudWatch alarms accept besides percentiles ("p99").
var statistics = []string{"Average", "Sum", "Minimum", "Maximum", "SampleCount"}

var (
	percentile = regexp.MustCompile(`^p(100|[0-9]{1,2}(\.[0-9]{1,2})?)$`)
	// alarmName is what CloudWatch accepts and a reader can find: ASCII without spaces.
	alarmName = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
)

// Spec describes one alarm on one metric.
type Spec struct {
	// Name is the alarm's name, unique in the account and region; it is the subject of the
	// notification ("ALARM: webstack-prod-db-primary-cpu"). Required.
	Name string
	// Description says what the alarm means and what to look at first. Required.
	Description string
	// Namespace ("AWS/RDS") and Metric ("CPUUtilization") name the metric. Required.
	Namespace, Metric string
	// Dimensions select the resource the metric is about. Required.
	Dimensions pulumi.StringMap
	// Statistic is "Average", "Sum", "Minimum", "Maximum", "SampleCount" or a percentile such
	// as "p99". Required.
	Statistic string
	// Period is the length of one datapoint in seconds: 10, 20, 30 or a multiple of 60.
	// Required.
	Period int
	// EvaluationPeriods is how many recent datapoints are evaluated; DatapointsToAlarm how many
	// of them must breach. Required; 1 <= DatapointsToAlarm <= EvaluationPeriods.
	EvaluationPeriods, DatapointsToAlarm int
	// Comparison is Above, AtLeast, Below or AtMost. Required.
	Comparison string
	// Threshold is compared with the statistic, in the metric's unit.
	Threshold float64
	// TreatMissingData is NotBreaching (no datapoint means nothing happened: counts of errors),
	// Missing (the alarm keeps its state: gauges) or Breaching. Required.
	TreatMissingData string
}

// Validate reports what is wrong with the spec, all problems together.
func (s *Spec) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !alarmName.MatchString(s.Name) {
		bad("name %q must be 1 to 255 letters, digits and ._/-", s.Name)
	}
	if s.Description == "" || len(s.Description) > 1024 {
		bad("alarm %s: a description of at most 1024 characters is required", s.Name)
	}
	if s.Namespace == "" || s.Metric == "" || len(s.Dimensions) == 0 {
		bad("alarm %s: namespace, metric and dimensions are required", s.Name)
	}
	if !slices.Contains(statistics, s.Statistic) && !percentile.MatchString(s.Statistic) {
		bad("alarm %s: statistic %q is not one of %v or a percentile like \"p99\"", s.Name, s.Statistic, statistics)
	}
	if s.Period != 10 && s.Period != 20 && s.Period != 30 && (s.Period < 60 || s.Period%60 != 0) {
		bad("alarm %s: period %d must be 10, 20, 30 or a multiple of 60 seconds", s.Name, s.Period)
	}
	if s.EvaluationPeriods < 1 || s.DatapointsToAlarm < 1 || s.DatapointsToAlarm > s.EvaluationPeriods {
		bad("alarm %s: %d of %d datapoints: want 1 <= datapoints <= evaluation periods", s.Name, s.DatapointsToAlarm, s.EvaluationPeriods)
	}
	// CloudWatch evaluates at most one day of datapoints.
	if s.Period*s.EvaluationPeriods > 86400 {
		bad("alarm %s: %d periods of %d s exceed one day", s.Name, s.EvaluationPeriods, s.Period)
	}
	switch s.Comparison {
	case Above, AtLeast, Below, AtMost:
	default:
		bad("alarm %s: comparison %q is not one of %s, %s, %s, %s", s.Name, s.Comparison, Above, AtLeast, Below, AtMost)
	}
	switch s.TreatMissingData {
	case NotBreaching, Missing, Breaching:
	default:
		bad("alarm %s: treatMissingData %q is not %s, %s or %s", s.Name, s.TreatMissingData, NotBreaching, Missing, Breaching)
	}
	return errors.Join(errs...)
}

// New registers the alarm, notifying topicARN both when it fires and when it recovers.
func New(ctx *pulumi.Context, resourceName string, s Spec, topicARN pulumi.StringInput, opts ...pulumi.ResourceOption) (*cloudwatch.MetricAlarm, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if topicARN == nil {
		return nil, fmt.Errorf("alarm %s: an alert topic is required", s.Name)
	}
	args := &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(s.Name),
		AlarmDescription:   pulumi.String(s.Description),
		Namespace:          pulumi.String(s.Namespace),
		MetricName:         pulumi.String(s.Metric),
		Dimensions:         s.Dimensions,
		Period:             pulumi.Int(s.Period),
		EvaluationPeriods:  pulumi.Int(s.EvaluationPeriods),
		DatapointsToAlarm:  pulumi.Int(s.DatapointsToAlarm),
		ComparisonOperator: pulumi.String(s.Comparison),
		Threshold:          pulumi.Float64(s.Threshold),
		TreatMissingData:   pulumi.String(s.TreatMissingData),
		// Paging needs both edges: ALARM to act, OK to stand down (CloudWatch.15, .17).
		ActionsEnabled: pulumi.Bool(true),
		AlarmActions:   pulumi.Array{topicARN},
		OkActions:      pulumi.Array{topicARN},
	}
	if percentile.MatchString(s.Statistic) {
		args.ExtendedStatistic = pulumi.String(s.Statistic)
		// A percentile over a handful of requests says little: with too few samples the alarm
		// keeps its state instead of paging on noise.
		args.EvaluateLowSampleCountPercentiles = pulumi.String("ignore")
	} else {
		args.Statistic = pulumi.String(s.Statistic)
	}
	a, err := cloudwatch.NewMetricAlarm(ctx, resourceName, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("alarm %s: %w", s.Name, err)
	}
	return a, nil
}

// Named is an alarm and the suffix of its Pulumi resource name.
type Named struct {
	Suffix string
	Spec   Spec
}

// NewSet registers the alarms as resources "<name>-<suffix>-alarm", each notifying topicARN.
func NewSet(ctx *pulumi.Context, name string, alarms []Named, topicARN pulumi.StringInput, opts ...pulumi.ResourceOption) (Set, error) {
	var set Set
	for _, n := range alarms {
		a, err := New(ctx, fmt.Sprintf("%s-%s-alarm", name, n.Suffix), n.Spec, topicARN, opts...)
		if err != nil {
			return nil, err
		}
		set = append(set, a)
	}
	return set, nil
}

// Set collects the alarms a tier registered, for the dashboard's alarm widget.
type Set []*cloudwatch.MetricAlarm

// ARNs returns the alarms' ARNs in registration order.
func (s Set) ARNs() pulumi.StringArray {
	out := make(pulumi.StringArray, len(s))
	for i, a := range s {
		out[i] = a.Arn
	}
	return out
}
