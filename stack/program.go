// Package stack wires webstack's tiers into one Pulumi program: it reads and validates the
// stack's config, looks up the account and region, creates the AWS provider with the default
// tags, registers the tiers and exports the stack outputs. `pulumi up`, the offline plan
// (cmd/plan) and the tests all run this same code.
package stack

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/monitoring"
	"github.com/webstack/webstack/network"
)

// Program is webstack's pulumi.RunFunc.
func Program(ctx *pulumi.Context) error {
	values, err := configFromEnv(ctx)
	if err != nil {
		return err
	}
	return Run(ctx, values)
}

// configFromEnv returns the stack's whole config. The Go language host hands every key to the
// program in PULUMI_CONFIG, which lets unknown keys be reported; where it is absent (inline
// programs), the keys webstack knows are read through the context.
func configFromEnv(ctx *pulumi.Context) (map[string]string, error) {
	if raw, ok := os.LookupEnv(pulumi.EnvConfig); ok {
		values, err := parseConfigJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", pulumi.EnvConfig, err)
		}
		return values, nil
	}
	values := map[string]string{}
	for _, k := range KnownKeys() {
		if v, ok := ctx.GetConfig(k); ok {
			values[k] = v
		}
	}
	return values, nil
}

// Run registers the whole stack from the given config values (full keys to raw strings, as
// the engine passes them). Bad config is rejected before any resource is registered.
func Run(ctx *pulumi.Context, values map[string]string) error {
	cfg, err := LoadConfig(ctx.Project(), ctx.Stack(), values)
	if err != nil {
		return err
	}
	// A documentation placeholder stops `pulumi up` of a production stack before anything is
	// created; a preview warns about each (the offline plan fails webstack/placeholders).
	if !ctx.DryRun() {
		if err := cfg.placeholderError(); err != nil {
			return err
		}
	}
	for _, ph := range cfg.Placeholders() {
		if err := ctx.Log.Warn(fmt.Sprintf("%s: %s: replace it before deploying", cfg.File, ph), nil); err != nil {
			return err
		}
	}
	_, err = build(ctx, cfg)
	return err
}

// deployment is what build registered, for the outputs.
type deployment struct {
	outputs map[string]pulumi.Input
	// data is the data tier, whose AppEnvironment and ReadableSecretARNs the compute tier takes.
	data *dataTier
}

func build(ctx *pulumi.Context, cfg *Config) (*deployment, error) {
	provider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
		Region: pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{
			Tags: pulumi.ToStringMap(DefaultTags(cfg)),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("aws provider: %w", err)
	}
	withProvider := pulumi.Provider(provider)

	// Region facts are looked up before anything else is registered: an azCount the region
	// cannot satisfy is a config error like any other.
	zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{State: pulumi.StringRef("available")}, withProvider)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	azs := append([]string(nil), zones.Names...)
	sort.Strings(azs)
	if cfg.Network.AZCount > len(azs) {
		return nil, &configError{File: cfg.File, Key: Namespace + ":network.azCount",
			Msg: fmt.Sprintf("%d is more than the %d availability zones %s has (%v)", cfg.Network.AZCount, len(azs), cfg.Region, azs)}
	}
	azs = azs[:cfg.Network.AZCount]
	identity, err := aws.GetCallerIdentity(ctx, nil, withProvider)
	if err != nil {
		return nil, fmt.Errorf("looking up the account: %w", err)
	}
	partition, err := aws.GetPartition(ctx, nil, withProvider)
	if err != nil {
		return nil, fmt.Errorf("looking up the partition: %w", err)
	}
	// A version whose image is not in the stack's repository is refused before any tier
	// resource is registered (stack/compute.go).
	if err := checkImages(ctx, cfg, identity.AccountId, partition.DnsSuffix, withProvider); err != nil {
		return nil, err
	}

	// The alert topic comes before the tiers: their alarms and the database's events notify it.
	base := resourceBaseName(cfg.Project, cfg.Stack)
	alerts, err := monitoring.NewAlerts(ctx, "alerts", &monitoring.AlertsArgs{
		TopicName:   base + "-alerts",
		DisplayName: fmt.Sprintf("%s %s alerts", cfg.Project, cfg.Stack),
		Emails:      cfg.Alerts.Emails,
		AccountID:   identity.AccountId,
		Region:      cfg.Region,
		Partition:   partition.Partition,
	}, withProvider)
	if err != nil {
		return nil, err
	}

	// The edge tier's origin side comes first: the ALB's production port, and (with compute)
	// the listener's certificate and secret header, follow from it.
	origin, err := edge.NewOrigin(ctx, "origin", &edge.OriginArgs{
		Domain:         cfg.Edge.Domain,
		HostedZoneName: cfg.Edge.HostedZoneName,
		HostedZoneID:   cfg.Edge.HostedZoneID,
	}, withProvider)
	if err != nil {
		return nil, err
	}

	net, err := network.NewNetwork(ctx, "net", &network.NetworkArgs{
		CIDR:                 cfg.Network.CIDR,
		AZs:                  azs,
		NATGateways:          cfg.Network.NATGateways,
		FlowLogs:             cfg.Network.FlowLogs,
		FlowLogRetentionDays: cfg.Network.FlowLogRetentionDays,
		InterfaceEndpoints:   cfg.Network.InterfaceEndpoints,
		Region:               cfg.Region,
		AccountID:            identity.AccountId,
		Partition:            partition.Partition,
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
			TopicARN:             alerts.TopicARN,
			NamePrefix:           base,
			PortAllocationErrors: cfg.Alerts.NATPortAllocationErrors,
		},
	}, withProvider)
	if err != nil {
		return nil, err
	}

	public := len(cfg.Bastion.AllowedCIDRs) > 0
	bastionSubnets := net.AppSubnetIDs
	if public {
		bastionSubnets = net.PublicSubnetIDs
	}
	bastion, err := network.NewBastion(ctx, "bastion", &network.BastionArgs{
		InstanceType:    cfg.Bastion.InstanceType,
		SubnetID:        bastionSubnets.Index(pulumi.Int(0)),
		SecurityGroupID: net.SecurityGroups.Bastion,
		Public:          public,
		Partition:       partition.Partition,
	}, withProvider)
	if err != nil {
		return nil, err
	}

	dataTier, err := buildData(ctx, cfg, net, partition.Partition, identity.AccountId, alerts.TopicARN, withProvider)
	if err != nil {
		return nil, err
	}
	app, err := newCompute(ctx, cfg, net, dataTier, origin, identity.AccountId, partition.Partition, alerts.TopicARN, withProvider)
	if err != nil {
		return nil, err
	}
	if err := buildDashboard(ctx, cfg, net, dataTier, app, withProvider); err != nil {
		return nil, err
	}
	site, err := buildEdge(ctx, cfg, origin, albAddress{DNSName: app.LoadBalancer.DNSName, ZoneID: app.LoadBalancer.ZoneID}, withProvider)
	if err != nil {
		return nil, err
	}

	d := &deployment{outputs: map[string]pulumi.Input{
		OutVpcID:             net.VpcID,
		OutPublicSubnetIDs:   net.PublicSubnetIDs,
		OutAppSubnetIDs:      net.AppSubnetIDs,
		OutDataSubnetIDs:     net.DataSubnetIDs,
		OutBastionInstanceID: bastion.InstanceID,
		OutBastionPublicIP:   bastion.PublicIP,

		OutFrontendBucketName:       site.BucketName,
		OutCloudfrontDistributionID: site.DistributionID,
		OutCloudfrontDomainName:     site.DomainName,
		OutSiteURL:                  site.SiteURL,
		OutAPIURL:                   site.APIURL,
		OutAlertTopicARN:            alerts.TopicARN,
	}}
	d.data = dataTier
	dataTier.addOutputs(d.outputs)
	for k, v := range computeOutputs(cfg, app) {
		d.outputs[k] = v
	}
	if err := d.export(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// export exports every output, refusing an output the contract does not name (or one it
// names that is missing), so that the README's table and the program cannot drift apart.
func (d *deployment) export(ctx *pulumi.Context) error {
	var errs []error
	for _, name := range OutputNames {
		v, ok := d.outputs[name]
		if !ok {
			errs = append(errs, fmt.Errorf("stack output %q is in the contract but not built", name))
			continue
		}
		ctx.Export(name, v)
	}
	for name := range d.outputs {
		if !slices.Contains(OutputNames, name) {
			errs = append(errs, fmt.Errorf("stack output %q is built but not in the contract (stack/outputs.go)", name))
		}
	}
	return errors.Join(errs...)
}

// DefaultTags are the tags the AWS provider puts on every resource it creates.
func DefaultTags(cfg *Config) map[string]string {
	return map[string]string{
		"Project":     cfg.Project,
		"Environment": cfg.Stack,
		"ManagedBy":   "pulumi",
	}
}
