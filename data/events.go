package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// InstanceEventCategories are the DB instance events the alert topic receives: the ones RDS.20
// asks for (maintenance, configuration change, failure), and the ones that say an instance is
// unavailable, failed over, running out of storage or has stopped replicating.
var InstanceEventCategories = []string{"availability", "configuration change", "failover", "failure", "low storage", "maintenance", "read replica"}

// newEventSubscriptions sends the critical events of the given instances (RDS.20) and of the
// parameter group (RDS.21) to an SNS topic.
func newEventSubscriptions(ctx *pulumi.Context, name string, topicARN pulumi.StringInput, instances pulumi.StringArrayInput, parameterGroup pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	if _, err := rds.NewEventSubscription(ctx, name+"-instance-events", &rds.EventSubscriptionArgs{
		SnsTopic:        topicARN,
		SourceType:      pulumi.String("db-instance"),
		SourceIds:       instances,
		EventCategories: pulumi.ToStringArray(InstanceEventCategories),
		Enabled:         pulumi.Bool(true),
	}, opts...); err != nil {
		return fmt.Errorf("instance event subscription: %w", err)
	}
	if _, err := rds.NewEventSubscription(ctx, name+"-parameter-events", &rds.EventSubscriptionArgs{
		SnsTopic:        topicARN,
		SourceType:      pulumi.String("db-parameter-group"),
		SourceIds:       pulumi.StringArray{parameterGroup},
		EventCategories: pulumi.ToStringArray([]string{"configuration change"}),
		Enabled:         pulumi.Bool(true),
	}, opts...); err != nil {
		return fmt.Errorf("parameter group event subscription: %w", err)
	}
	return nil
}
