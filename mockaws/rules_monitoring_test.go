package mockaws

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

var monitoringRuleTests = []ruleTest{
	{
		rule: "logs/retention-values", want: "expected retention_in_days to be one of",
		refused: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(2)})
			return err
		},
		allowed: func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(3)})
			return err
		},
	},
}
