package network

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const tAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm"

func TestNATAlarms(t *testing.T) {
	if n := len(runNetwork(t, minimalArgs()).ByType(tAlarm)); n != 0 {
		t.Errorf("%d alarms without an alert topic, want 0", n)
	}
	const topic = "arn:aws:sns:ap-northeast-2:123456789012:alerts"
	for mode, want := range map[string]int{NATPerAZ: 2, NATSingle: 1, NATNone: 0} {
		args := minimalArgs()
		args.NATGateways = mode
		args.InterfaceEndpoints = mode == NATNone
		args.Alarms = AlarmArgs{TopicARN: pulumi.String(topic), NamePrefix: "webstack-unit", PortAllocationErrors: 3}
		res := runNetwork(t, args)
		alarms := res.ByType(tAlarm)
		if len(alarms) != want {
			t.Errorf("%s: %d alarms, want one per NAT gateway (%d)", mode, len(alarms), want)
		}
		for i, nat := range res.ByType(tNAT) {
			a := res.Find(tAlarm, fmt.Sprintf("net-nat-%d-port-allocation-alarm", i))
			if a == nil {
				t.Fatalf("%s: no alarm for NAT gateway %s", mode, nat.Name)
			}
			if got := a.Input("dimensions", "NatGatewayId"); got != nat.ID {
				t.Errorf("%s: alarm %s watches %v", mode, a.Name, got)
			}
			if a.Input("metricName") != "ErrorPortAllocation" || a.Input("threshold") != 3.0 || a.Input("alarmActions", 0) != topic || a.Input("okActions", 0) != topic {
				t.Errorf("%s: alarm %s = %v", mode, a.Name, a.Inputs)
			}
		}
	}
	args := minimalArgs()
	args.Alarms = AlarmArgs{TopicARN: pulumi.String(topic)}
	if err := args.validate(); err == nil {
		t.Error("alarms without a name prefix accepted")
	}
	args.Alarms = AlarmArgs{TopicARN: pulumi.String(topic), NamePrefix: "x", PortAllocationErrors: -1}
	if err := args.validate(); err == nil {
		t.Error("a negative threshold accepted")
	}
}
