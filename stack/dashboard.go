package stack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/alarm"
	"github.com/webstack/webstack/monitoring"
	"github.com/webstack/webstack/network"
)

// buildDashboard registers the stack's dashboard over what the tiers registered: both colors'
// target groups (never which one is live), the database and cache instances, the NAT gateways
// and every alarm (chat: the alert webhook's own).
func buildDashboard(ctx *pulumi.Context, cfg *Config, net *network.Network, db *dataTier, app *compute.Compute, chat alarm.Set, opts ...pulumi.ResourceOption) error {
	alb := app.LoadBalancer
	var colors []monitoring.ColorTargetGroup
	for _, c := range compute.Colors {
		colors = append(colors, monitoring.ColorTargetGroup{Color: string(c), TargetGroup: alb.TargetGroupARNSuffixes[c]})
	}
	var alarms alarm.Set
	for _, set := range []alarm.Set{alb.Alarms, db.Database.Alarms, db.Cache.Alarms, net.Alarms, chat} {
		alarms = append(alarms, set...)
	}
	_, err := monitoring.NewDashboard(ctx, "dashboard", &monitoring.DashboardArgs{
		Name:         resourceBaseName(cfg.Project, cfg.Stack),
		Region:       cfg.Region,
		LoadBalancer: alb.ARNSuffix,
		Colors:       colors,
		DBWriter:     db.Database.Identifiers[0],
		DBReplicas:   db.Database.Identifiers[1:],
		CacheNodes:   db.Cache.NodeIDs,
		NATGateways:  net.NATGatewayIDs,
		Alarms:       alarms.ARNs(),
	}, opts...)
	return err
}

// buildAlerts registers the stack's alert topic and its email subscriptions. It comes before
// the tiers: their alarms and the database's events notify it.
func buildAlerts(ctx *pulumi.Context, cfg *Config, found *facts, opts ...pulumi.ResourceOption) (*monitoring.Alerts, error) {
	return monitoring.NewAlerts(ctx, contract.AlertsComponent, &monitoring.AlertsArgs{
		TopicName:   resourceBaseName(cfg.Project, cfg.Stack) + "-alerts",
		DisplayName: fmt.Sprintf("%s %s alerts", cfg.Project, cfg.Stack),
		Emails:      cfg.Alerts.Emails,
		AccountID:   found.accountID,
		Region:      cfg.Region,
		Partition:   found.partition,
	}, opts...)
}
