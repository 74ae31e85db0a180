package release

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Cloud is what a release reads from AWS besides the stack. AWSCloud implements it; the tests
// use fakes.
type Cloud interface {
	// AlarmsInAlarm returns the names of the alarms whose name starts with prefix and that
	// are in the ALARM state.
	AlarmsInAlarm(ctx context.Context, prefix string) ([]string, error)
	// AlarmWindow returns the longest evaluation window (period times evaluation periods) of
	// the alarms whose name starts with prefix: how long a fault must last before the slowest
	// of them can be in ALARM. 0 when there is none.
	AlarmWindow(ctx context.Context, prefix string) (time.Duration, error)
	// Parameter returns the decrypted value of an SSM parameter.
	Parameter(ctx context.Context, name string) (string, error)
	// CredentialsExpire returns when the AWS credentials of this process expire; the zero
	// time when they do not.
	CredentialsExpire(ctx context.Context) (time.Time, error)
}

// AWSCloud implements Cloud with the AWS SDK, from the credentials and region of the
// environment (as `pulumi up` finds them).
type AWSCloud struct {
	cw      *cloudwatch.Client
	ssm     *ssm.Client
	ec2     *ec2.Client
	logs    *cloudwatchlogs.Client
	secrets *secretsmanager.Client
	creds   aws.CredentialsProvider
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
	return &AWSCloud{cw: cloudwatch.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg),
		logs: cloudwatchlogs.NewFromConfig(cfg), secrets: secretsmanager.NewFromConfig(cfg), creds: cfg.Credentials}, nil
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

// AlarmWindow returns the longest Period × EvaluationPeriods of the metric alarms with the
// prefix.
func (c *AWSCloud) AlarmWindow(ctx context.Context, prefix string) (time.Duration, error) {
	var longest time.Duration
	p := cloudwatch.NewDescribeAlarmsPaginator(c.cw, &cloudwatch.DescribeAlarmsInput{
		AlarmNamePrefix: aws.String(prefix),
		AlarmTypes:      []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("cloudwatch DescribeAlarms: %w", err)
		}
		for _, a := range page.MetricAlarms {
			period := time.Duration(aws.ToInt32(a.Period)) * time.Second
			for _, m := range a.Metrics { // metric math: the period of its metrics
				if m.MetricStat != nil && aws.ToInt32(m.MetricStat.Period) > 0 {
					period = max(period, time.Duration(aws.ToInt32(m.MetricStat.Period))*time.Second)
				}
			}
			longest = max(longest, period*time.Duration(aws.ToInt32(a.EvaluationPeriods)))
		}
	}
	return longest, nil
}

// ExpirationEnv names the environment variable that says when credentials given in the
// environment expire (RFC 3339), as aws-vault sets it: the SDK cannot know it for keys in
// AWS_ACCESS_KEY_ID and friends, which is how CI's OIDC step hands them over. The workflows set
// it from configure-aws-credentials' aws-expiration output (output-credentials: true).
const ExpirationEnv = "AWS_CREDENTIAL_EXPIRATION"

// CredentialsExpire returns when the credentials expire: what the SDK's provider says, or for
// credentials from the environment ExpirationEnv; the zero time when neither knows.
func (c *AWSCloud) CredentialsExpire(ctx context.Context) (time.Time, error) {
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the AWS credentials: %w", err)
	}
	if creds.CanExpire {
		return creds.Expires, nil
	}
	return expirationFromEnv(os.Getenv(ExpirationEnv))
}

func expirationFromEnv(v string) (time.Time, error) {
	// configure-aws-credentials' aws-expiration output may come JSON-quoted, with milliseconds.
	v = strings.Trim(strings.TrimSpace(v), `"`)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %q is not an RFC 3339 time", ExpirationEnv, v)
	}
	return t, nil
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
