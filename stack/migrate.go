package stack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/network"
)

// migrateComponent names the migration runner; its children's names start with it.
const migrateComponent = "app-migrate"

// MigrationLogGroupName is the log group of the migration runs' output in a project's stack.
func MigrationLogGroupName(project, stack string) string {
	return fmt.Sprintf("/%s/%s/migrations", project, stack)
}

// buildMigrationRunner registers the launch template, role and log group of the runner that the
// release tool launches before each release (docs/release.md, "The migration step"), and returns
// its outputs. It is not a child of the compute tier: a release's targeted updates never touch
// it, and it depends on nothing a release changes.
func buildMigrationRunner(ctx *pulumi.Context, cfg *Config, net *network.Network, db *dataTier, app *compute.Compute, partition string, opts ...pulumi.ResourceOption) (map[string]pulumi.Input, error) {
	m, err := compute.NewMigrationRunner(ctx, migrateComponent, &compute.MigrationRunnerArgs{
		Partition:        partition,
		Region:           cfg.Region,
		SecurityGroupID:  net.SecurityGroups.App,
		InstanceType:     cfg.App.InstanceType,
		RepositoryARN:    app.Repository.ARN,
		RepositoryURL:    app.Repository.URL,
		MasterSecretARN:  db.Database.MasterSecretARN,
		DBHost:           db.Database.WriterAddress,
		DBPort:           cfg.Database.Port,
		DBName:           cfg.Database.DBName,
		AppUser:          contract.AppDatabaseUser,
		Command:          cfg.App.Migrate,
		LogGroupName:     MigrationLogGroupName(cfg.Project, cfg.Stack),
		LogRetentionDays: cfg.App.LogRetentionDays,
		Tags:             DefaultTags(cfg),
	}, opts...)
	if err != nil {
		return nil, err
	}
	return map[string]pulumi.Input{
		contract.OutMigrateLaunchTemplateID: m.LaunchTemplateID,
		contract.OutMigrateLogGroupName:     m.LogGroupName,
	}, nil
}
