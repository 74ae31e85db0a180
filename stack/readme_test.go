package stack_test

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/stack"
)

var update = flag.Bool("update", false, "rewrite the generated docs: the alarms table (docs/operations.md), the config reference (docs/config.md) and the config descriptions of Pulumi.yaml")

const (
	operationsDoc = "../docs/operations.md"
	outputsDoc    = "../docs/outputs.md"
	alarmsBegin   = "<!-- alarms: generated from prod's plan; `go test ./stack -run TestAlarmsDoc -update` rewrites it -->\n"
	alarmsEnd     = "<!-- end of alarms -->\n"
)

// thresholdKeys names the webstack:alerts key that sets each metric's threshold.
var thresholdKeys = map[string]string{
	"HTTPCode_ELB_5XX_Count": "elb5xxCount",
	// The load balancer's metric math alarms, by the label of what they watch.
	"load balancer 503s, less fixed responses":                     "elb5xxCount",
	"routed production requests the load balancer answered itself": "elb5xxCount",
	"HTTPCode_Target_5XX_Count":                                    "target5xxCount",
	"TargetResponseTime":                                           "responseTimeP99Ms",
	"UnHealthyHostCount":                                           "unhealthyHosts",
	"CPUUtilization":                                               "dbCpuPercent",
	"FreeStorageSpace":                                             "dbFreeStorageGiB",
	"FreeableMemory":                                               "dbFreeableMemoryMiB",
	"DatabaseConnections":                                          "dbConnections",
	"ReplicaLag":                                                   "dbReplicaLagSeconds",
	"EngineCPUUtilization":                                         "cacheCpuPercent",
	"DatabaseMemoryUsagePercentage":                                "cacheMemoryPercent",
	"Evictions":                                                    "cacheEvictions",
	"ErrorPortAllocation":                                          "natPortAllocationErrors",
	// The rotation function's and the alert webhook's errors: any error is a failure.
	"Errors": "",
	// The alert webhook's failure queue: any message is an alert that never reached chat.
	"ApproximateNumberOfMessagesVisible": "",
}

var comparisons = map[string]string{
	"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
}

// alarmsTable renders one row per kind of alarm in a stack: the metric, when it fires (with
// the stack's threshold in the metric's unit), the config key of the threshold, and the alarms.
func alarmsTable(t *testing.T, res *mockaws.Result) string {
	type row struct{ metric, when, key string }
	names := map[row][]string{}
	var order []row
	for _, a := range res.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		metric, _ := a.Input("metricName").(string)
		shown, stat := metric, ""
		if metric == "" {
			// A metric math alarm: what it watches is its expression's label, computed from
			// the metrics it reads.
			var reads []string
			for _, q := range a.Input("metricQueries").([]any) {
				q := q.(map[string]any)
				if q["returnData"] == true {
					metric, _ = q["label"].(string)
				} else if m, ok := q["metric"].(map[string]any); ok {
					reads = append(reads, m["metricName"].(string))
					stat, _ = m["stat"].(string)
				}
			}
			shown = fmt.Sprintf("%s (from %s)", metric, strings.Join(reads, ", "))
		}
		key, ok := thresholdKeys[metric]
		if !ok {
			t.Fatalf("alarm %s on %s: no webstack:alerts key known for its threshold; add it to thresholdKeys", a.Name, metric)
		}
		if metric == "ReplicaLag" && a.Input("comparisonOperator") == "LessThanThreshold" {
			key = "" // replication stopped: RDS reports -1, a fixed threshold
		}
		if stat == "" {
			stat, _ = a.Input("statistic").(string)
		}
		if stat == "" {
			stat = a.Input("extendedStatistic").(string)
		}
		period, periods, points := a.Input("period"), a.Input("evaluationPeriods").(float64), a.Input("datapointsToAlarm").(float64)
		if period == nil {
			// A metric math alarm's period is its metrics'.
			for _, q := range a.Input("metricQueries").([]any) {
				if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
					period = m["period"]
				}
			}
		}
		window := fmt.Sprintf("%d of %d periods of %s", int(points), int(periods), minutes(period.(float64)))
		if points == 1 && periods == 1 {
			window = "in " + minutes(period.(float64))
		}
		r := row{
			metric: fmt.Sprintf("`%s` %s", namespaceOf(a), shown),
			when:   fmt.Sprintf("%s %s %s, %s", stat, comparisons[a.Input("comparisonOperator").(string)], threshold(metric, a.Input("threshold").(float64)), window),
			key:    "fixed",
		}
		if key != "" {
			r.key = "`" + key + "`"
		}
		if _, seen := names[r]; !seen {
			order = append(order, r)
		}
		names[r] = append(names[r], "`"+a.Input("name").(string)+"`")
	}
	var b strings.Builder
	b.WriteString("| metric | fires when | threshold key (`webstack:alerts.`) | alarms in prod |\n|---|---|---|---|\n")
	sort.SliceStable(order, func(i, j int) bool { return order[i].metric < order[j].metric })
	for _, r := range order {
		sort.Strings(names[r])
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.metric, r.when, r.key, strings.Join(names[r], ", "))
	}
	return b.String()
}

// threshold renders a threshold in the unit people think in.
func threshold(metric string, v float64) string {
	switch metric {
	case "FreeStorageSpace":
		return fmt.Sprintf("%g GiB", v/(1<<30))
	case "FreeableMemory":
		return fmt.Sprintf("%g MiB", v/(1<<20))
	case "TargetResponseTime", "ReplicaLag":
		return fmt.Sprintf("%g s", v)
	case "CPUUtilization", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage":
		return fmt.Sprintf("%g%%", v)
	}
	return fmt.Sprintf("%g", v)
}

func minutes(seconds float64) string {
	if seconds == 60 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", int(seconds)/60)
}

// TestAlarmsDoc keeps the table of alarms in docs/operations.md identical to what prod registers.
func TestAlarmsDoc(t *testing.T) {
	_, res := runStack(t, "prod")
	raw, err := os.ReadFile(operationsDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i, j := strings.Index(doc, alarmsBegin), strings.Index(doc, alarmsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: the alarms table must sit between the markers %q and %q", operationsDoc, alarmsBegin, alarmsEnd)
	}
	got, want := doc[i+len(alarmsBegin):j], alarmsTable(t, res)
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(operationsDoc, []byte(doc[:i+len(alarmsBegin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the alarms table is stale: run `go test ./stack -run TestAlarmsDoc -update`\n got:\n%s\nwant:\n%s", operationsDoc, got, want)
}

// namespaceOf is the namespace of an alarm's metric, or of the first metric its metric math
// reads.
func namespaceOf(a *mockaws.Resource) any {
	if ns := a.Input("namespace"); ns != nil {
		return ns
	}
	for _, q := range a.Input("metricQueries").([]any) {
		if m, ok := q.(map[string]any)["metric"].(map[string]any); ok {
			return m["namespace"]
		}
	}
	return nil
}

// TestOutputsDoc: the stack outputs are the contract with deploy jobs, and docs/outputs.md is
// where they are documented: every exported output has a row in its table.
func TestOutputsDoc(t *testing.T) {
	data, err := os.ReadFile(outputsDoc)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.Split(line, "|")[1]
		for _, part := range strings.Split(first, "`") {
			documented[strings.TrimSpace(strings.Trim(part, ", "))] = true
		}
	}
	for _, name := range stack.OutputNames {
		if !documented[name] {
			t.Errorf("output %q has no row in the table of %s", name, outputsDoc)
		}
	}
}
