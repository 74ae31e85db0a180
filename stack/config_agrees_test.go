package stack

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/mockaws"
	"github.com/webstack/webstack/monitoring"
)

// TestConfigAgreesWithTheMock holds the config checks to the mock engine's AWS rules where
// both judge the same value: every log retention the config accepts, CloudWatch Logs accepts,
// and every alert address the config accepts, SNS accepts as an email endpoint. (The config
// may refuse more than AWS; it must not accept what AWS refuses.)
func TestConfigAgreesWithTheMock(t *testing.T) {
	for _, days := range logRetentions {
		_, err := mockaws.Run("webstack", "agree", mockaws.Options{Region: DefaultRegion}, func(ctx *pulumi.Context) error {
			_, err := cloudwatch.NewLogGroup(ctx, "lg", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(days)})
			return err
		})
		if err != nil {
			t.Errorf("retention %d: the config accepts it, the mock refuses it: %v", days, err)
		}
	}
	for _, email := range []string{"oncall@example.com", "a.b+alerts@ops.example.co.kr", "x@[10.0.0.1]", "o'brien@example.com", "üser@example.com"} {
		if monitoring.ValidateEmail(email) != nil {
			continue
		}
		_, err := mockaws.Run("webstack", "agree", mockaws.Options{Region: DefaultRegion}, func(ctx *pulumi.Context) error {
			_, err := sns.NewTopicSubscription(ctx, "s", &sns.TopicSubscriptionArgs{
				Topic:    pulumi.String(fmt.Sprintf("arn:aws:sns:%s:%s:alerts", DefaultRegion, mockaws.AccountID)),
				Protocol: pulumi.String("email"), Endpoint: pulumi.String(email),
			})
			return err
		})
		if err != nil {
			t.Errorf("email %q: the config accepts it, the mock refuses it: %v", email, err)
		}
	}
}
