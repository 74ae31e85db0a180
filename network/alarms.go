package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/internal/alarm"
)

// AlarmArgs configures the network tier's alarms.
type AlarmArgs struct {
	// TopicARN is the alert topic. Optional: nil registers no alarms.
	TopicARN pulumi.StringInput
	// NamePrefix starts every alarm name ("webstack-prod"). Required with TopicARN.
	NamePrefix string
	// PortAllocationErrors is how many ErrorPortAllocation a NAT gateway may report in five
	// minutes before the alarm fires: each one is a connection from the app subnets that
	// could not be made because the gateway ran out of source ports for one destination.
	PortAllocationErrors int
}

// natAlarms registers one ErrorPortAllocation alarm per NAT gateway.
func natAlarms(ctx *pulumi.Context, name string, a *AlarmArgs, azs []string, nats []*ec2.NatGateway, opts ...pulumi.ResourceOption) (alarm.Set, error) {
	var specs []alarm.Named
	for i, nat := range nats {
		specs = append(specs, alarm.Named{Suffix: fmt.Sprintf("nat-%d-port-allocation", i), Spec: alarm.Spec{
			Name: fmt.Sprintf("%s-nat-%s-port-allocation", a.NamePrefix, azs[i]),
			Description: fmt.Sprintf("The NAT gateway in %s could not allocate source ports: connections from the app subnets to the internet "+
				"(AWS APIs, ECR, package mirrors) are failing. Look for one destination taking many connections (connection reuse, retries).", azs[i]),
			Namespace:         "AWS/NATGateway",
			Metric:            "ErrorPortAllocation",
			Dimensions:        pulumi.StringMap{"NatGatewayId": nat.ID().ToStringOutput()},
			Statistic:         "Sum",
			Period:            300,
			EvaluationPeriods: 1,
			DatapointsToAlarm: 1,
			Comparison:        alarm.Above,
			Threshold:         float64(a.PortAllocationErrors),
			TreatMissingData:  alarm.NotBreaching,
		}})
	}
	return alarm.NewSet(ctx, name, specs, a.TopicARN, opts...)
}
