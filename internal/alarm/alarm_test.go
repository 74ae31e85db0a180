package alarm

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

func valid() Spec {
	return Spec{
		Name: "webstack-unit-db-cpu", Description: "CPU above 80%.",
		Namespace: "AWS/RDS", Metric: "CPUUtilization", Dimensions: pulumi.StringMap{"DBInstanceIdentifier": pulumi.String("db")},
		Statistic: "Average", Period: 300, EvaluationPeriods: 3, DatapointsToAlarm: 3,
		Comparison: Above, Threshold: 80, TreatMissingData: Missing,
	}
}

func TestSpecValidate(t *testing.T) {
	if err := (&Spec{}).Validate(); err == nil {
		t.Fatal("the empty spec is valid")
	}
	s := valid()
	if err := s.Validate(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	for name, c := range map[string]struct {
		mutate func(*Spec)
		want   string
	}{
		"name with space":  {func(s *Spec) { s.Name = "db cpu" }, `name "db cpu"`},
		"no description":   {func(s *Spec) { s.Description = "" }, "description"},
		"no dimensions":    {func(s *Spec) { s.Dimensions = nil }, "dimensions are required"},
		"bad statistic":    {func(s *Spec) { s.Statistic = "Median" }, `statistic "Median"`},
		"bad percentile":   {func(s *Spec) { s.Statistic = "p101" }, `statistic "p101"`},
		"odd period":       {func(s *Spec) { s.Period = 90 }, "period 90"},
		"datapoints > N":   {func(s *Spec) { s.DatapointsToAlarm = 4 }, "4 of 3 datapoints"},
		"over a day":       {func(s *Spec) { s.Period, s.EvaluationPeriods, s.DatapointsToAlarm = 3600, 25, 1 }, "exceed one day"},
		"bad comparison":   {func(s *Spec) { s.Comparison = ">" }, `comparison ">"`},
		"bad missing data": {func(s *Spec) { s.TreatMissingData = "ignore" }, `treatMissingData "ignore"`},
	} {
		t.Run(name, func(t *testing.T) {
			s := valid()
			c.mutate(&s)
			err := s.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	const topic = "arn:aws:sns:ap-northeast-2:123456789012:alerts"
	res, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
		if _, err := New(ctx, "cpu", valid(), pulumi.String(topic)); err != nil {
			return err
		}
		p := valid()
		p.Name, p.Statistic = "webstack-unit-latency", "p99"
		_, err := New(ctx, "latency", p, pulumi.String(topic))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cpu := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu")
	for path, want := range map[string]any{
		"name": "webstack-unit-db-cpu", "statistic": "Average", "threshold": 80.0, "period": 300.0,
		"evaluationPeriods": 3.0, "datapointsToAlarm": 3.0, "comparisonOperator": "GreaterThanThreshold",
		"treatMissingData": "missing", "actionsEnabled": true,
	} {
		if got := cpu.Input(path); got != want {
			t.Errorf("cpu alarm %s = %#v, want %#v", path, got, want)
		}
	}
	for _, path := range []string{"alarmActions", "okActions"} {
		if got := cpu.Input(path); len(got.([]any)) != 1 || got.([]any)[0] != topic {
			t.Errorf("cpu alarm %s = %v, want [%s]", path, got, topic)
		}
	}
	latency := res.Find("aws:cloudwatch/metricAlarm:MetricAlarm", "latency")
	if latency.Input("extendedStatistic") != "p99" || latency.Input("statistic") != nil || latency.Input("evaluateLowSampleCountPercentiles") != "ignore" {
		t.Errorf("a percentile alarm must set extendedStatistic only: %v", mockaws.PlainMap(latency.Inputs))
	}

	err = func() error {
		_, err := mockaws.Run("webstack", "unit", mockaws.Options{Region: "ap-northeast-2"}, func(ctx *pulumi.Context) error {
			_, err := New(ctx, "cpu", valid(), nil)
			return err
		})
		return err
	}()
	if err == nil || !strings.Contains(err.Error(), "alert topic is required") {
		t.Errorf("New without a topic: %v", err)
	}
}
