package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// --- Subnet, parameter and option groups, monitoring -------------------------------------------

// newSupport registers what every instance refers to: the subnet group, the parameter and
// option groups, the enhanced monitoring role (unless DisableEnhancedMonitoring) and the
// Performance Insights key (unless DisablePerformanceInsights).
func (b *dbBuilder) newSupport() error {
	ctx, name, a, parent := b.ctx, b.name, b.args, b.parent
	var err error
	if b.subnets, err = rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Description: pulumi.Sprintf("%s data subnets", a.Identifier),
		SubnetIds:   a.SubnetIDs,
	}, parent); err != nil {
		return fmt.Errorf("data: database subnet group: %w", err)
	}
	if b.params, err = newParameterGroup(ctx, name, a.Identifier, a.EngineVersion, a.GeneralLog, parent); err != nil {
		return fmt.Errorf("data: database: %w", err)
	}
	// A kept final snapshot and kept automated backups use the option group, so it is kept
	// with them.
	if b.options, err = newOptionGroup(ctx, name, a.Identifier, a.EngineVersion, !a.DisableFinalSnapshot, parent); err != nil {
		return fmt.Errorf("data: database: %w", err)
	}
	if a.monitoringInterval() > 0 {
		role, attachment, err := newMonitoringRole(ctx, name, a.Partition, parent)
		if err != nil {
			return fmt.Errorf("data: database: %w", err)
		}
		b.monitoringRoleARN = role.Arn
		b.monitoringDeps = append(b.monitoringDeps, attachment)
	}
	if !a.DisablePerformanceInsights {
		key, err := newPerformanceInsightsKey(ctx, name, a.Identifier, a.Partition, a.AccountID, parent)
		if err != nil {
			return fmt.Errorf("data: database: %w", err)
		}
		b.piKeyARN = key.Arn
	}
	return nil
}
