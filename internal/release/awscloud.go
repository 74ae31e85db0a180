package release

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// AWSCloud implements Cloud with the AWS SDK, from the credentials and region of the
// environment (as `pulumi up` finds them).
type AWSCloud struct {
	cw *cloudwatch.Client
	sm *secretsmanager.Client
}

// NewAWSCloud loads the AWS configuration of the environment for region.
func NewAWSCloud(ctx context.Context, region string) (*AWSCloud, error) {
	opts := []func(*config.LoadOptions) error{}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading AWS credentials: %w", err)
	}
	return &AWSCloud{cw: cloudwatch.NewFromConfig(cfg), sm: secretsmanager.NewFromConfig(cfg)}, nil
}

// AlarmsInAlarm lists the metric and composite alarms with the name prefix in state ALARM.
func (c *AWSCloud) AlarmsInAlarm(ctx context.Context, prefix string) ([]string, error) {
	var out []string
	p := cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{
		AlarmNamePrefix: aws.String(prefix),
		StateValue:      cwtypes.StateValueAlarm,
		AlarmTypes:      []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("cloudwatch DescribeAlarms: %w", err)
		}
		for _, a := range page.MetricAlarms {
			out = append(out, aws.ToString(a.AlarmName))
		}
		for _, a := range page.CompositeAlarms {
			out = append(out, aws.ToString(a.AlarmName))
		}
	}
	return out, nil
}

// SecretValue reads the current value of a secret.
func (c *AWSCloud) SecretValue(ctx context.Context, arn string) (string, error) {
	v, err := c.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return "", fmt.Errorf("secretsmanager GetSecretValue %s: %w", arn, err)
	}
	if v.SecretString == nil {
		return "", fmt.Errorf("secret %s holds no string", arn)
	}
	return *v.SecretString, nil
}

var _ Cloud = (*AWSCloud)(nil)
