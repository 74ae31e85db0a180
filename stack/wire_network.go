package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/network"
)

// buildNetwork registers the network tier, whose firewall opens the ALB's production port the
// origin asks for, and the bastion: in an app subnet, reached through Session Manager, or in a
// public subnet after the internet gateway when webstack:bastion.allowedCidrs names admin
// networks.
func buildNetwork(ctx *pulumi.Context, cfg *Config, found *facts, origin *edge.Origin, alertTopic pulumi.StringInput, withProvider pulumi.ResourceOption) (*network.Network, *network.Bastion, error) {
	net, err := network.NewNetwork(ctx, contract.NetworkComponent, &network.NetworkArgs{
		CIDR:                 cfg.Network.CIDR,
		AZs:                  found.azs,
		NATGateways:          cfg.Network.NATGateways,
		DisableFlowLogs:      !cfg.Network.FlowLogs,
		FlowLogRetentionDays: cfg.Network.FlowLogRetentionDays,
		InterfaceEndpoints:   cfg.Network.InterfaceEndpoints,
		Region:               cfg.Region,
		AccountID:            found.accountID,
		Partition:            found.partition,
		CloudFrontPrefixList: found.cloudFront,
		Firewall: network.FirewallArgs{
			ProductionPort: origin.ListenerPort,
			AppPort:        cfg.App.Port,
			DatabasePort:   cfg.Database.Port,
			CachePort:      cfg.Cache.Port,
			AdminCIDRs:     cfg.Bastion.AllowedCIDRs,
			// The test listener's port is open only to the deploy networks.
			TestListenerPort:  cfg.App.TestListenerPort,
			TestListenerCIDRs: cfg.App.TestListenerCIDRs,
		},
		Alarms: network.AlarmArgs{
			TopicARN:             alertTopic,
			NamePrefix:           resourceBaseName(cfg.Project, cfg.Stack),
			PortAllocationErrors: cfg.Alerts.NATPortAllocationErrors,
		},
	}, withProvider)
	if err != nil {
		return nil, nil, err
	}

	public := len(cfg.Bastion.AllowedCIDRs) > 0
	bastionSubnets := net.AppSubnetIDs
	var bastionAfter []pulumi.Resource
	if public {
		bastionSubnets = net.PublicSubnetIDs
		bastionAfter = net.PublicPath
	}
	bastion, err := network.NewBastion(ctx, contract.BastionInstance, &network.BastionArgs{
		InstanceType:    cfg.Bastion.InstanceType,
		SubnetID:        bastionSubnets.Index(pulumi.Int(0)),
		SecurityGroupID: net.SecurityGroups.Bastion,
		Public:          public,
		Partition:       found.partition,
		AMI:             found.bastionAMI,
		DependsOn:       bastionAfter,
	}, withProvider)
	if err != nil {
		return nil, nil, err
	}
	return net, bastion, nil
}
