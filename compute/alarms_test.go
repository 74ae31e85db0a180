package compute

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
)

const topic = "arn:aws:sns:ap-northeast-2:123456789012:webstack-unit-alerts"

func alarmedCompute() *ComputeArgs {
	args := minimalCompute()
	args.Alarms = AlarmArgs{TopicARN: pulumi.String(topic), NamePrefix: "webstack-unit", ELB5xx: 10, Target5xx: 25, ResponseTimeP99Ms: 1500, UnhealthyHosts: 0}
	return args
}

func TestAppLogs(t *testing.T) {
	res := runCompute(t, minimalCompute())
	group := must(t, res, tLogs, "app-container-logs")
	expect(t, group, "/webstack/unit/app", "name")
	expect(t, group, 365, "retentionInDays")
	for _, color := range []string{"blue"} {
		ud, err := base64.StdEncoding.DecodeString(must(t, res, tLT, "app-"+color+"-lt").Input("userData").(string))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"--log-driver awslogs --log-opt awslogs-region=ap-northeast-2 --log-opt awslogs-group=/webstack/unit/app --log-opt awslogs-stream=" + color + "/${INSTANCE_ID}",
			"--log-opt mode=non-blocking",
			"EnvironmentFile=/etc/webstack/instance.env",
			"http://169.254.169.254/latest/api/token",
		} {
			if !strings.Contains(string(ud), want) {
				t.Errorf("%s user data lacks %q", color, want)
			}
		}
		if strings.Contains(string(ud), "journald") {
			t.Errorf("%s user data still sends the container's output to journald", color)
		}
	}

	args := minimalCompute()
	args.AppLogRetentionDays = 30
	expect(t, must(t, runCompute(t, args), tLogs, "app-container-logs"), 30, "retentionInDays")

	args.AppLogRetentionDays = -1
	err := runErr(func(ctx *pulumi.Context) error { _, err := NewCompute(ctx, "app", args); return err })
	if err == nil || !strings.Contains(err.Error(), "retention -1") {
		t.Errorf("negative retention: err = %v", err)
	}
	if _, err := (UserData{Color: Blue, Version: "1", Repository: "r.example/x", Region: "r", Port: 1, LogGroup: "has space"}).Render(); err == nil {
		t.Error("Render accepted a log group name with a space")
	}
}

func runErr(program pulumi.RunFunc) error {
	_, err := mockaws.Run(project, "unit", mockaws.Options{Region: region}, program)
	return err
}

func TestLoadBalancerAlarms(t *testing.T) {
	if n := len(runCompute(t, minimalCompute()).ByType(tAlarm)); n != 0 {
		t.Errorf("%d alarms without an alert topic, want 0", n)
	}
	res := runCompute(t, alarmedCompute())
	alb := must(t, res, tLB, "app-alb-lb")
	lbSuffix := alb.Output("arnSuffix")
	tgSuffix := func(c string) any { return must(t, res, tTG, "app-alb-"+c+"-tg").Output("arnSuffix") }
	both := func(c string) map[string]any {
		return map[string]any{"LoadBalancer": lbSuffix, "TargetGroup": tgSuffix(c)}
	}
	cases := []struct {
		name, metric, stat, cmp string
		threshold               float64
		dims                    map[string]any
	}{
		{"app-alb-blue-target-5xx-alarm", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", 25, both("blue")},
		{"app-alb-green-target-5xx-alarm", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", 25, both("green")},
		{"app-alb-blue-latency-alarm", "TargetResponseTime", "", "GreaterThanThreshold", 1.5, both("blue")},
		{"app-alb-green-latency-alarm", "TargetResponseTime", "", "GreaterThanThreshold", 1.5, both("green")},
		{"app-alb-blue-unhealthy-hosts-alarm", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold", 0, both("blue")},
		{"app-alb-green-unhealthy-hosts-alarm", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold", 0, both("green")},
		// Blue runs a version: the stack answers no fixed 5XX, so the load-balancer-wide alarm
		// watches every load balancer 503, with nothing subtracted that could mask one.
		{"app-alb-elb-5xx-alarm", "HTTPCode_ELB_503_Count", "Sum", "GreaterThanThreshold", 10, map[string]any{"LoadBalancer": lbSuffix}},
	}
	// The metric math alarms: the metrics each reads (all Sum over 5 minutes) and the
	// expression it watches.
	maths := []struct {
		name, alarmName string
		metrics         map[string]string // id -> metric
		dims            map[string]any
		expression      string
	}{}
	for _, c := range []string{"blue", "green"} {
		maths = append(maths, struct {
			name, alarmName string
			metrics         map[string]string
			dims            map[string]any
			expression      string
		}{"app-alb-" + c + "-elb-5xx-alarm", "webstack-unit-" + c + "-elb-5xx",
			map[string]string{"requests": "RequestCount", "t2xx": "HTTPCode_Target_2XX_Count", "t3xx": "HTTPCode_Target_3XX_Count",
				"t4xx": "HTTPCode_Target_4XX_Count", "t5xx": "HTTPCode_Target_5XX_Count"},
			both(c), "FILL(requests, 0) - FILL(t2xx, 0) - FILL(t3xx, 0) - FILL(t4xx, 0) - FILL(t5xx, 0)"})
	}
	if n := len(res.ByType(tAlarm)); n != len(cases)+len(maths) {
		t.Errorf("%d alarms, want %d", n, len(cases)+len(maths))
	}
	for _, c := range cases {
		a := must(t, res, tAlarm, c.name)
		expect(t, a, nil, "metricQueries")
		expect(t, a, "AWS/ApplicationELB", "namespace")
		expect(t, a, c.metric, "metricName")
		expect(t, a, c.cmp, "comparisonOperator")
		expect(t, a, c.threshold, "threshold")
		expect(t, a, c.dims, "dimensions")
		expect(t, a, []any{topic}, "alarmActions")
		expect(t, a, []any{topic}, "okActions")
		expect(t, a, true, "actionsEnabled")
		expect(t, a, "notBreaching", "treatMissingData")
		if c.stat != "" {
			expect(t, a, c.stat, "statistic")
		} else {
			expect(t, a, "p99", "extendedStatistic")
			expect(t, a, nil, "statistic")
		}
	}
	for _, m := range maths {
		a := must(t, res, tAlarm, m.name)
		expect(t, a, m.alarmName, "name")
		expect(t, a, nil, "metricName")
		expect(t, a, 10, "threshold")
		expect(t, a, "GreaterThanThreshold", "comparisonOperator")
		expect(t, a, []any{topic}, "alarmActions")
		expect(t, a, []any{topic}, "okActions")
		expect(t, a, "notBreaching", "treatMissingData")
		got := map[string]string{}
		returned := 0
		for _, q := range a.Input("metricQueries").([]any) {
			q := q.(map[string]any)
			if q["returnData"] == true {
				returned++
				if q["expression"] != m.expression {
					t.Errorf("%s watches %v, want %s", m.name, q["expression"], m.expression)
				}
				continue
			}
			metric := q["metric"].(map[string]any)
			got[q["id"].(string)] = metric["metricName"].(string)
			if metric["namespace"] != "AWS/ApplicationELB" || metric["stat"] != "Sum" || metric["period"] != 300.0 || !reflect.DeepEqual(metric["dimensions"], m.dims) {
				t.Errorf("%s: metric %v, want Sum over 300 s of AWS/ApplicationELB with %v", m.name, metric, m.dims)
			}
		}
		if returned != 1 || !reflect.DeepEqual(got, m.metrics) {
			t.Errorf("%s reads %v (%d results), want %v and one result", m.name, got, returned, m.metrics)
		}
	}
	// No alarm reads a test target group, and none reads the load balancer's total 5XX, which
	// counts the test listener's traffic too.
	for _, c := range []string{"blue", "green"} {
		testSuffix := must(t, res, tTG, "app-alb-"+c+"-test-tg").Output("arnSuffix").(string)
		for _, a := range res.ByType(tAlarm) {
			if b, _ := json.Marshal(mockaws.PlainMap(a.Inputs)); strings.Contains(string(b), testSuffix) || strings.Contains(string(b), "HTTPCode_ELB_5XX_Count") {
				t.Errorf("alarm %s reads test traffic: %s", a.Name, b)
			}
		}
	}
	expect(t, must(t, res, tAlarm, "app-alb-blue-unhealthy-hosts-alarm"), "webstack-unit-blue-unhealthy-hosts", "name")

	expect(t, must(t, res, tAlarm, "app-alb-elb-5xx-alarm"), "webstack-unit-alb-elb-5xx", "name")
	// The unhealthy-host alarms wait out the grace period of a booting instance (240 s by
	// default) and two minutes more, every minute breaching.
	for _, c := range []string{"blue", "green"} {
		a := must(t, res, tAlarm, "app-alb-"+c+"-unhealthy-hosts-alarm")
		expect(t, a, 60, "period")
		expect(t, a, 6, "evaluationPeriods")
		expect(t, a, 6, "datapointsToAlarm")
	}

	// Deploying to the idle color and flipping production between two released colors leave
	// every alarm as it was.
	flipped := alarmedCompute()
	flipped.Green = ColorArgs{Version: "1.5.0", MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	deployed := runCompute(t, flipped)
	flipped.ActiveColor = Green
	for _, res2 := range []*mockaws.Result{deployed, runCompute(t, flipped)} {
		for _, a := range res.ByType(tAlarm) {
			b := res2.Find(tAlarm, a.Name)
			if b == nil || !reflect.DeepEqual(mockaws.PlainMap(a.Inputs), mockaws.PlainMap(b.Inputs)) {
				t.Errorf("alarm %s changes on a release to the idle color or a flip", a.Name)
			}
		}
	}
}

// TestLoadBalancerAlarmNoRelease: while the active color runs no version, production answers
// the fixed no-release 503, so the load-balancer-wide alarm subtracts the fixed responses from
// the 503s; the first release turns it into the plain 503 count, the same resource and name,
// and changes no other alarm.
func TestLoadBalancerAlarmNoRelease(t *testing.T) {
	args := alarmedCompute()
	args.Blue = ColorArgs{MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	res := runCompute(t, args)
	a := must(t, res, tAlarm, "app-alb-elb-5xx-alarm")
	expect(t, a, "webstack-unit-alb-elb-5xx", "name")
	expect(t, a, nil, "metricName")
	lbDims := map[string]any{"LoadBalancer": must(t, res, tLB, "app-alb-lb").Output("arnSuffix")}
	got, expression := map[string]string{}, ""
	for _, q := range a.Input("metricQueries").([]any) {
		q := q.(map[string]any)
		if q["returnData"] == true {
			expression = q["expression"].(string)
			continue
		}
		m := q["metric"].(map[string]any)
		got[q["id"].(string)] = m["metricName"].(string)
		if !reflect.DeepEqual(m["dimensions"], lbDims) || m["stat"] != "Sum" {
			t.Errorf("metric %v, want the Sum with %v", m, lbDims)
		}
	}
	if want := map[string]string{"elb503": "HTTPCode_ELB_503_Count", "fixed": "HTTP_Fixed_Response_Count"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the no-release alarm reads %v, want %v", got, want)
	}
	if want := "IF(FILL(elb503, 0) > FILL(fixed, 0), FILL(elb503, 0) - FILL(fixed, 0), 0)"; expression != want {
		t.Errorf("the no-release alarm watches %q, want %q", expression, want)
	}

	// The first release: green gets a version and production flips to it.
	first := alarmedCompute()
	first.Blue = args.Blue
	first.Green = ColorArgs{Version: "1.5.0", MinSize: 2, DesiredCapacity: 2, MaxSize: 4}
	first.ActiveColor = Green
	after := runCompute(t, first)
	b := must(t, after, tAlarm, "app-alb-elb-5xx-alarm")
	expect(t, b, "webstack-unit-alb-elb-5xx", "name")
	expect(t, b, "HTTPCode_ELB_503_Count", "metricName")
	expect(t, b, nil, "metricQueries")
	for _, x := range res.ByType(tAlarm) {
		if y := after.Find(tAlarm, x.Name); x.Name != b.Name && (y == nil || !reflect.DeepEqual(mockaws.PlainMap(x.Inputs), mockaws.PlainMap(y.Inputs))) {
			t.Errorf("alarm %s changes at the first release; only app-alb-elb-5xx-alarm may", x.Name)
		}
	}
}

// TestUnhealthyWindow: the unhealthy-host alarms' window follows the fleets' grace period.
func TestUnhealthyWindow(t *testing.T) {
	for grace, want := range map[int]int{0: 6, 60: 3, 240: 6, 241: 7, 600: 12, MaxHealthCheckGracePeriod: 122} {
		if got := UnhealthyWindowMinutes(grace); got != want {
			t.Errorf("UnhealthyWindowMinutes(%d) = %d, want %d", grace, got, want)
		}
	}
	args := alarmedCompute()
	args.HealthCheckGracePeriod = 600
	args.Alarms.HealthCheckGracePeriod = 600
	res := runCompute(t, args)
	a := must(t, res, tAlarm, "app-alb-blue-unhealthy-hosts-alarm")
	expect(t, a, 12, "evaluationPeriods")
	expect(t, a, 12, "datapointsToAlarm")
	expect(t, must(t, res, tASG, "app-blue-asg"), 600, "healthCheckGracePeriod")
	if d := a.Input("alarmDescription").(string); !strings.Contains(d, "for 12 minutes") {
		t.Errorf("description %q does not say the window", d)
	}

	// The alarms and the fleets must agree on the grace period.
	args.Alarms.HealthCheckGracePeriod = 0
	err := runErr(func(ctx *pulumi.Context) error { _, err := NewCompute(ctx, "app", args); return err })
	if err == nil || !strings.Contains(err.Error(), "grace period 240 s differs from the fleets' 600 s") {
		t.Errorf("disagreeing grace periods: err = %v", err)
	}
}

func TestAlarmArgsValidation(t *testing.T) {
	for name, mutate := range map[string]func(*AlarmArgs){
		"no prefix":           func(a *AlarmArgs) { a.NamePrefix = "" },
		"negative 5xx":        func(a *AlarmArgs) { a.ELB5xx = -1 },
		"negative unhealthy":  func(a *AlarmArgs) { a.UnhealthyHosts = -1 },
		"zero response time":  func(a *AlarmArgs) { a.ResponseTimeP99Ms = 0 },
		"negative target 5xx": func(a *AlarmArgs) { a.Target5xx = -3 },
		"negative grace":      func(a *AlarmArgs) { a.HealthCheckGracePeriod = -1 },
	} {
		t.Run(name, func(t *testing.T) {
			args := alarmedCompute()
			mutate(&args.Alarms)
			err := runErr(func(ctx *pulumi.Context) error { _, err := NewCompute(ctx, "app", args); return err })
			if err == nil {
				t.Errorf("%s: accepted %+v", name, args.Alarms)
			}
		})
	}
}
