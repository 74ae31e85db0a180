package release

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// AWSCloud implements Cloud with the AWS SDK, from the credentials and region of the
// environment (as `pulumi up` finds them).
type AWSCloud struct {
	cw  *cloudwatch.Client
	ssm *ssm.Client
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
	return &AWSCloud{cw: cloudwatch.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg)}, nil
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

// Parameter reads and decrypts an SSM parameter.
func (c *AWSCloud) Parameter(ctx context.Context, name string) (string, error) {
	v, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("ssm GetParameter %s: %w", name, err)
	}
	if v.Parameter == nil || v.Parameter.Value == nil {
		return "", fmt.Errorf("parameter %s has no value", name)
	}
	return *v.Parameter.Value, nil
}

var _ Cloud = (*AWSCloud)(nil)
