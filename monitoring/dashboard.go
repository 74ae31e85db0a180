package monitoring

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// DashboardArgs configures a Dashboard. Nothing in it depends on which color is live, so a
// release never changes the dashboard.
type DashboardArgs struct {
	// Name is the dashboard's name ("webstack-prod"). Required.
	Name string
	// Region is the stack's region, where every metric lives. Required.
	Region string
	// LoadBalancer is the ALB's ARN suffix ("app/<name>/<id>"), its metrics' LoadBalancer
	// dimension. Required.
	LoadBalancer pulumi.StringInput
	// Colors are the release colors in display order, each with its target group. Required.
	Colors []ColorTargetGroup
	// DBWriter and DBReplicas are the RDS instance identifiers. Required.
	DBWriter   string
	DBReplicas []string
	// CacheNodes are the cache clusters (nodes) of the replication group ("<group>-001").
	// Required.
	CacheNodes []string
	// NATGateways are the NAT gateway IDs. Optional.
	NATGateways pulumi.StringArrayInput
	// Alarms are the ARNs of the stack's alarms, shown with their state. Optional.
	Alarms pulumi.StringArrayInput
}

// ColorTargetGroup is one release color and its target group's ARN suffix
// ("targetgroup/<name>/<id>").
type ColorTargetGroup struct {
	Color       string
	TargetGroup pulumi.StringInput
}

func (a *DashboardArgs) validate() error {
	var errs []error
	if a.Name == "" || a.Region == "" || a.LoadBalancer == nil {
		errs = append(errs, errors.New("name, region and load balancer are required"))
	}
	if len(a.Colors) == 0 {
		errs = append(errs, errors.New("at least one color is required"))
	}
	for _, c := range a.Colors {
		if c.Color == "" || c.TargetGroup == nil {
			errs = append(errs, fmt.Errorf("color %q needs a name and a target group", c.Color))
		}
	}
	if a.DBWriter == "" || len(a.CacheNodes) == 0 {
		errs = append(errs, errors.New("the database writer and the cache nodes are required"))
	}
	return errors.Join(errs...)
}

// Dashboard is the stack's CloudWatch dashboard.
type Dashboard struct {
	pulumi.ResourceState

	// Name is the dashboard's name; it opens at
	// https://console.aws.amazon.com/cloudwatch/home?region=<region>#dashboards:name=<name>.
	Name pulumi.StringOutput `pulumi:"name"`
}

// NewDashboard registers the dashboard: traffic, errors, latency and healthy hosts per color,
// the alarms' state, the database, the cache and the NAT gateways.
func NewDashboard(ctx *pulumi.Context, name string, args *DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	if args == nil {
		return nil, errors.New("monitoring: dashboard: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("monitoring: dashboard: %w", err)
	}
	d := &Dashboard{}
	if err := ctx.RegisterComponentResource(contract.TypeMonitoringDashboard, name, d, opts...); err != nil {
		return nil, err
	}
	inputs := []any{args.LoadBalancer, toArray(args.NATGateways), toArray(args.Alarms)}
	for _, c := range args.Colors {
		inputs = append(inputs, c.TargetGroup)
	}
	body := pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		l := layout{a: args, lb: v[0].(string), nats: v[1].([]string), alarms: v[2].([]string)}
		for i := range args.Colors {
			l.tgs = append(l.tgs, v[3+i].(string))
		}
		return l.body()
	}).(pulumi.StringOutput)
	dash, err := cloudwatch.NewDashboard(ctx, name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(args.Name),
		DashboardBody: body,
	}, pulumi.Parent(d))
	if err != nil {
		return nil, fmt.Errorf("monitoring: dashboard: %w", err)
	}
	d.Name = dash.DashboardName
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{"name": d.Name}); err != nil {
		return nil, err
	}
	return d, nil
}

func toArray(in pulumi.StringArrayInput) pulumi.StringArrayOutput {
	if in == nil {
		return pulumi.StringArray{}.ToStringArrayOutput()
	}
	return in.ToStringArrayOutput()
}

// layout renders the dashboard body once every dimension is known.
type layout struct {
	a       *DashboardArgs
	lb      string
	tgs     []string
	nats    []string
	alarms  []string
	widgets []map[string]any
	x, y, h int
}

// The grid is 24 columns wide; every widget row is 6 high.
const (
	gridWidth = 24
	rowHeight = 6
	elbNS     = "AWS/ApplicationELB"
)

// add places a widget of width w, starting a new row when it does not fit.
func (l *layout) add(w int, widget map[string]any) {
	if l.x+w > gridWidth {
		l.x, l.y = 0, l.y+l.h
		l.h = 0
	}
	widget["x"], widget["y"], widget["width"], widget["height"] = l.x, l.y, w, rowHeight
	l.x += w
	l.h = rowHeight
	l.widgets = append(l.widgets, widget)
}

// graph is a time series of the given metric lines.
func (l *layout) graph(w int, title, stat string, period int, lines ...[]any) {
	l.add(w, map[string]any{"type": "metric", "properties": map[string]any{
		"title": title, "region": l.a.Region, "view": "timeSeries", "stacked": false,
		"stat": stat, "period": period, "metrics": lines,
	}})
}

// line is one metric: namespace, name, dimension pairs, then its options.
func line(ns, metric string, opts map[string]any, dims ...string) []any {
	out := []any{ns, metric}
	for _, d := range dims {
		out = append(out, d)
	}
	return append(out, opts)
}

// body is the dashboard's JSON: a text header, then, in this order, the traffic per color, the
// database, the cache and the egress.
func (l *layout) body() (string, error) {
	l.header()
	l.traffic()
	l.database()
	l.cache()
	l.egress()
	b, err := json.Marshal(map[string]any{"widgets": l.widgets})
	return string(b), err
}

// header is the text widget that says how to read the dashboard.
func (l *layout) header() {
	l.add(gridWidth, map[string]any{"type": "text", "properties": map[string]any{"markdown": fmt.Sprintf(
		"## %s\nBlue and green are the two release colors; `pulumi stack output activeColor` says which one is live. "+
			"The idle one answers on the test listener, and takes the canary's share of production during a canary. "+
			"Every alarm below notifies the stack's alert topic (`pulumi stack output alertTopicArn`). "+
			"See docs/operations.md.", l.a.Name)}})
}

// traffic graphs the requests, errors, latency and hosts of each color, the load balancer's
// own counts, and, with alarms, the alarms' states.
func (l *layout) traffic() {
	perColor := func(metric string, opts func(color string) map[string]any) [][]any {
		var out [][]any
		for i, c := range l.a.Colors {
			out = append(out, line(elbNS, metric, opts(c.Color), "TargetGroup", l.tgs[i], "LoadBalancer", l.lb))
		}
		return out
	}
	label := func(suffix string) func(string) map[string]any {
		return func(c string) map[string]any { return map[string]any{"label": c + suffix} }
	}

	l.graph(8, "Requests per color (per minute)", "Sum", 60, perColor("RequestCount", label(""))...)
	errs := perColor("HTTPCode_Target_5XX_Count", label(" target 5XX"))
	errs = append(errs, line(elbNS, "HTTPCode_ELB_5XX_Count", map[string]any{"label": "load balancer 5XX"}, "LoadBalancer", l.lb))
	l.graph(8, "5XX errors per color (per minute)", "Sum", 60, errs...)
	latency := perColor("TargetResponseTime", func(c string) map[string]any { return map[string]any{"label": c + " p99", "stat": "p99"} })
	latency = append(latency, perColor("TargetResponseTime", func(c string) map[string]any { return map[string]any{"label": c + " p50", "stat": "p50"} })...)
	l.graph(8, "Target response time per color (seconds)", "p99", 60, latency...)
	hosts := perColor("HealthyHostCount", label(" healthy"))
	hosts = append(hosts, perColor("UnHealthyHostCount", label(" unhealthy"))...)
	l.graph(8, "Hosts per color", "Maximum", 60, hosts...)
	l.graph(8, "Load balancer", "Sum", 60,
		line(elbNS, "RejectedConnectionCount", map[string]any{"label": "rejected connections"}, "LoadBalancer", l.lb),
		line(elbNS, "HTTPCode_ELB_4XX_Count", map[string]any{"label": "load balancer 4XX"}, "LoadBalancer", l.lb),
		line(elbNS, "TargetConnectionErrorCount", map[string]any{"label": "target connection errors"}, "LoadBalancer", l.lb))
	if len(l.alarms) > 0 {
		l.add(8, map[string]any{"type": "alarm", "properties": map[string]any{
			"title": "Alarms", "alarms": l.alarms, "sortBy": "stateUpdatedTimestamp",
		}})
	}
}

// database graphs the writer's and the replicas' CPU, connections, storage, memory and lag.
func (l *layout) database() {
	instances := append([]string{l.a.DBWriter}, l.a.DBReplicas...)
	perDB := func(metric string) [][]any {
		var out [][]any
		for _, id := range instances {
			out = append(out, line("AWS/RDS", metric, map[string]any{"label": id}, "DBInstanceIdentifier", id))
		}
		return out
	}
	l.graph(6, "Database CPU (%)", "Average", 300, perDB("CPUUtilization")...)
	l.graph(6, "Database connections", "Maximum", 60, perDB("DatabaseConnections")...)
	l.graph(6, "Database free storage (bytes)", "Minimum", 300, perDB("FreeStorageSpace")...)
	l.graph(6, "Database freeable memory (bytes)", "Minimum", 300, perDB("FreeableMemory")...)
	if len(l.a.DBReplicas) > 0 {
		var lag [][]any
		for _, id := range l.a.DBReplicas {
			lag = append(lag, line("AWS/RDS", "ReplicaLag", map[string]any{"label": id}, "DBInstanceIdentifier", id))
		}
		l.graph(6, "Replica lag (seconds)", "Maximum", 60, lag...)
	}
}

// cache graphs the cache nodes' CPU, memory and evictions.
func (l *layout) cache() {
	perNode := func(metric string) [][]any {
		var out [][]any
		for _, id := range l.a.CacheNodes {
			out = append(out, line("AWS/ElastiCache", metric, map[string]any{"label": id}, "CacheClusterId", id))
		}
		return out
	}
	l.graph(6, "Cache engine CPU (%)", "Average", 300, perNode("EngineCPUUtilization")...)
	l.graph(6, "Cache memory used (%)", "Average", 300, perNode("DatabaseMemoryUsagePercentage")...)
	l.graph(6, "Cache evictions", "Sum", 300, perNode("Evictions")...)
}

// egress graphs the NAT gateways' port allocation errors, when there are NAT gateways.
func (l *layout) egress() {
	if len(l.nats) > 0 {
		var nat [][]any
		for _, id := range l.nats {
			nat = append(nat, line("AWS/NATGateway", "ErrorPortAllocation", map[string]any{"label": id + " port allocation errors"}, "NatGatewayId", id))
		}
		l.graph(12, "NAT gateways", "Sum", 300, nat...)
	}
}
