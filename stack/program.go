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
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/internal/alarm"
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
	if err := checkReleaseState(ctx, cfg); err != nil {
		return err
	}
	_, err = build(ctx, cfg)
	return err
}

// deployment is what build registered, for the outputs.
type deployment struct {
	outputs map[string]pulumi.Input
	// data is the data tier, whose AppEnvironment the settings and whose ReadableSecretARNs the
	// compute tier take.
	data *dataTier
}

// build registers the provider and the tiers in order (alerts, the edge's origin side, network
// and bastion, data, compute, dashboard, edge) after every lookup, and exports the outputs.
func build(ctx *pulumi.Context, cfg *Config) (*deployment, error) {
	withProvider, err := newProvider(ctx, cfg)
	if err != nil {
		return nil, err
	}

	// Everything the tiers need from the account and region is looked up before any tier
	// resource is registered: a lookup that fails, or a fact the config cannot live with, stops
	// the run with nothing half-applied.
	facts, err := lookUp(ctx, cfg, withProvider)
	if err != nil {
		return nil, err
	}

	// The alert topic comes before the tiers: their alarms and the database's events notify it.
	alerts, err := buildAlerts(ctx, cfg, facts, withProvider)
	if err != nil {
		return nil, err
	}
	chatAlarms, err := buildChat(ctx, cfg, facts, alerts, withProvider)
	if err != nil {
		return nil, err
	}

	// The edge tier's origin side comes first: the ALB's production port, and (with compute)
	// the listener's certificate and secret header, follow from it.
	origin, err := edge.NewOrigin(ctx, "origin", &edge.OriginArgs{
		Domain:       cfg.Edge.Domain,
		HostedZoneID: facts.hostedZoneID,
	}, withProvider)
	if err != nil {
		return nil, err
	}

	net, bastion, err := buildNetwork(ctx, cfg, facts, origin, alerts.TopicARN, withProvider)
	if err != nil {
		return nil, err
	}

	dataTier, err := buildData(ctx, cfg, net, facts.partition, facts.accountID, alerts.TopicARN, withProvider)
	if err != nil {
		return nil, err
	}
	uploads, err := buildUploads(ctx, cfg, withProvider)
	if err != nil {
		return nil, err
	}
	app, err := newCompute(ctx, cfg, net, dataTier, origin, uploads, facts.accountID, facts.partition, alerts.TopicARN, withProvider)
	if err != nil {
		return nil, err
	}
	migrate, err := buildMigrationRunner(ctx, cfg, net, dataTier, app, facts.partition, withProvider)
	if err != nil {
		return nil, err
	}
	if err := buildDashboard(ctx, cfg, net, dataTier, app, chatAlarms, withProvider); err != nil {
		return nil, err
	}
	site, err := buildEdge(ctx, cfg, facts, origin, albAddress{DNSName: app.LoadBalancer.DNSName, ZoneID: app.LoadBalancer.ZoneID}, uploads, withProvider)
	if err != nil {
		return nil, err
	}
	// The settings the fleet reads at boot: no fleet resource depends on them (settings.go);
	// registered after the edge, so the uploads' base URL is the site's.
	settings, err := buildSettings(ctx, cfg, mergeEnvironment(dataTier.AppEnvironment(), uploadsEnvironment(uploads, site.SiteURL)), withProvider)
	if err != nil {
		return nil, err
	}

	return export(ctx, cfg, built{net: net, bastion: bastion, data: dataTier, uploads: uploads, app: app,
		migrate: migrate, site: site, settings: settings, alerts: alerts})
}

// built is what build registered that the stack outputs read.
type built struct {
	net      *network.Network
	bastion  *network.Bastion
	data     *dataTier
	uploads  *edge.Uploads
	app      *compute.Compute
	migrate  map[string]pulumi.Input
	site     *edge.Edge
	settings *AppSettings
	alerts   *monitoring.Alerts
}

// export exports the stack outputs (package contract names and documents them).
func export(ctx *pulumi.Context, cfg *Config, b built) (*deployment, error) {
	net, bastion, site, app := b.net, b.bastion, b.site, b.app
	d := &deployment{outputs: map[string]pulumi.Input{
		contract.OutVPCID:             net.VPCID,
		contract.OutPublicSubnetIDs:   net.PublicSubnetIDs,
		contract.OutAppSubnetIDs:      net.AppSubnetIDs,
		contract.OutDataSubnetIDs:     net.DataSubnetIDs,
		contract.OutBastionInstanceID: bastion.InstanceID,
		contract.OutBastionPublicIP:   bastion.PublicIP,

		contract.OutFrontendBucketName:       site.BucketName,
		contract.OutCloudFrontDistributionID: site.DistributionID,
		contract.OutCloudFrontDomainName:     site.DomainName,
		contract.OutSiteURL:                  site.SiteURL,
		contract.OutAPIURL:                   site.APIURL,
		contract.OutUploadsBucketName:        uploadsBucketNameOutput(b.uploads),
		contract.OutAlertTopicARN:            b.alerts.TopicARN,
		contract.OutReleaseCheckURL:          pulumi.Sprintf("%s%s", site.SiteURL, cfg.ReleaseCheckPath()),
		contract.OutReleaseCheckParameter:    app.ReleaseCheckParameter,
		contract.OutAlarmNamePrefix:          pulumi.String(resourceBaseName(cfg.Project, cfg.Stack)),
		contract.OutAlertWebhookSecretARN:    pulumi.String(cfg.Alerts.WebhookSecretARN),
		contract.OutAppSettingsPath:          b.settings.Path,
	}}
	d.data = b.data
	b.data.addOutputs(d.outputs)
	for k, v := range b.migrate {
		d.outputs[k] = v
	}
	for k, v := range computeOutputs(cfg, app) {
		d.outputs[k] = v
	}
	if err := d.export(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// buildChat registers what posts the alert topic's messages to the team's chat: with
// webstack:alerts.slack, the AWS Chatbot Slack channel (its API exists only in a few regions, so
// through a provider of its own in webstack:alerts.slack.region, and its log group through one in
// us-east-1, where Chatbot logs); with webstack:alerts.webhookSecretArn, the webhook function.
// It returns the webhook function's alarms, for the dashboard.
func buildChat(ctx *pulumi.Context, cfg *Config, found *facts, alerts *monitoring.Alerts, withProvider pulumi.ResourceOption) (alarm.Set, error) {
	var alarms alarm.Set
	base := resourceBaseName(cfg.Project, cfg.Stack)
	if s := cfg.Alerts.Slack; s.Enabled() {
		regional := func(name, region string) (*aws.Provider, error) {
			p, err := aws.NewProvider(ctx, name, &aws.ProviderArgs{
				Region:      pulumi.String(region),
				DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(DefaultTags(cfg))},
			})
			if err != nil {
				return nil, fmt.Errorf("aws %s provider: %w", region, err)
			}
			return p, nil
		}
		chatbotProvider, err := regional("aws-chatbot", s.Region)
		if err != nil {
			return nil, err
		}
		logProvider, err := regional("aws-chatbot-logs", monitoring.ChatbotLogRegion)
		if err != nil {
			return nil, err
		}
		if _, err := monitoring.NewSlackChannel(ctx, "slack", &monitoring.SlackChannelArgs{
			Name:             base + "-alerts",
			WorkspaceID:      s.WorkspaceID,
			ChannelID:        s.ChannelID,
			TopicARN:         alerts.TopicARN,
			Partition:        found.partition,
			Provider:         chatbotProvider,
			LogProvider:      logProvider,
			LogRetentionDays: cfg.Alerts.ChatLogRetentionDays,
		}, withProvider); err != nil {
			return nil, err
		}
	}
	if cfg.Alerts.WebhookSecretARN != "" {
		webhook, err := monitoring.NewWebhook(ctx, "alert-webhook", &monitoring.WebhookArgs{
			FunctionName:     webhookFunctionName(cfg),
			SecretARN:        cfg.Alerts.WebhookSecretARN,
			TopicARN:         alerts.TopicARN,
			AlarmNamePrefix:  base,
			LogRetentionDays: cfg.Alerts.ChatLogRetentionDays,
			Region:           cfg.Region,
			Partition:        found.partition,
		}, withProvider)
		if err != nil {
			return nil, err
		}
		alarms = webhook.Alarms
	}
	return alarms, nil
}

// newProvider registers the stack's AWS provider, in cfg.Region with DefaultTags, and returns
// the option that places a resource or an invoke on it.
func newProvider(ctx *pulumi.Context, cfg *Config) (pulumi.ResourceOrInvokeOption, error) {
	provider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
		Region: pulumi.String(cfg.Region),
		DefaultTags: &aws.ProviderDefaultTagsArgs{
			Tags: pulumi.ToStringMap(DefaultTags(cfg)),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("aws provider: %w", err)
	}
	return pulumi.Provider(provider), nil
}

// facts are what build looks up in the account and region before it registers any tier
// resource, and passes to the tiers through their args.
type facts struct {
	// azs are the stack's availability zones, cfg.Network.AZCount of them.
	azs []string
	// accountID, partition and dnsSuffix locate the stack.
	accountID, partition, dnsSuffix string
	// hostedZoneID is the public Route 53 zone of webstack:edge.domain, or "" without one.
	hostedZoneID string
	// cloudFront is CloudFront's origin-facing prefix list in the region.
	cloudFront network.PrefixList
	// bastionAMI is the Amazon Linux 2023 image network.LookupBastionAMI finds in the region.
	bastionAMI string
	// canonicalUserID is the account's S3 canonical user ID, which the CloudFront log
	// bucket's ACL names; looked up only with webstack:edge.logs, "" without.
	canonicalUserID string
}

// lookUp runs every lookup the tiers need: the availability zones, the account and
// partition, the image guard (checkImages), the hosted zone of the custom domain, CloudFront's
// origin-facing prefix list and the ALB rules quota it weighs on, the bastion's AMI, and with
// CloudFront logs the account's S3 canonical user ID (the edge tier takes it and the account
// ID through its args instead of looking them up after other tiers' resources). Each
// failure that config can fix names the key, and every failure is reported together, as config
// problems are; only a lookup that others need (the account, the prefix list) skips those.
func lookUp(ctx *pulumi.Context, cfg *Config, opts ...pulumi.InvokeOption) (*facts, error) {
	f := &facts{}
	var errs []error
	var err error
	if f.azs, err = lookUpAZs(ctx, cfg, opts...); err != nil {
		errs = append(errs, err)
	}
	identity, idErr := aws.GetCallerIdentity(ctx, nil, opts...)
	if idErr != nil {
		errs = append(errs, fmt.Errorf("looking up the account: %w", idErr))
	}
	partition, partErr := aws.GetPartition(ctx, nil, opts...)
	if partErr != nil {
		errs = append(errs, fmt.Errorf("looking up the partition: %w", partErr))
	}
	if idErr == nil && partErr == nil {
		f.accountID, f.partition, f.dnsSuffix = identity.AccountId, partition.Partition, partition.DnsSuffix
		if err := cfg.checkWebhookSecretAccount(f.accountID); err != nil {
			errs = append(errs, err)
		}
		// A version whose image is not in the stack's repository is refused before any tier
		// resource is registered (stack/compute.go).
		if err := checkImages(ctx, cfg, f.accountID, f.dnsSuffix, opts...); err != nil {
			errs = append(errs, err)
		}
	}
	if f.hostedZoneID, err = lookUpHostedZone(ctx, cfg, opts...); err != nil {
		errs = append(errs, err)
	}
	if f.cloudFront, err = network.LookupCloudFrontPrefixList(ctx, opts...); err != nil {
		errs = append(errs, err)
	} else {
		// The config was checked against the list's documented weight; the region's
		// maxEntries is what AWS counts.
		p := &problems{file: cfg.File}
		cfg.validateALBRules(p, f.cloudFront.MaxEntries)
		if err := p.err(); err != nil {
			errs = append(errs, err)
		}
	}
	if f.bastionAMI, err = network.LookupBastionAMI(ctx, opts...); err != nil {
		errs = append(errs, err)
	}
	if cfg.Edge.Logs {
		if owner, err := s3.GetCanonicalUserId(ctx, opts...); err != nil {
			errs = append(errs, fmt.Errorf("looking up the account's S3 canonical user ID, which the CloudFront log bucket's ACL names (%s:edge.logs): %w", Namespace, err))
		} else {
			f.canonicalUserID = owner.Id
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f, nil
}

// availabilityZonesOnly is the filter that leaves Local Zones and Wavelength Zones out of
// getAvailabilityZones: both are listed once the account opts in to them (opt-in-status
// "opted-in"), their names ("us-west-2-lax-1a") sort before the region's own AZs, and no tier
// belongs in one. Only the region's AZs are "opt-in-not-required" (the pulumi-aws doc comment of
// aws.GetAvailabilityZones, "Only Availability Zones (no Local Zones)").
var availabilityZonesOnly = aws.GetAvailabilityZonesFilter{Name: "opt-in-status", Values: []string{"opt-in-not-required"}}

// lookUpAZs returns the first cfg.Network.AZCount of the region's availability zones, sorted by
// name.
//
// The lookup deliberately asks for every AZ whatever its state: with State "available", an AZ
// that AWS marks impaired or unavailable for a while would drop out of the list, every later
// AZ would move up an index, and the next `up` would move those subnets (and everything in
// them) to other AZs, replacing them. A stack keeps its AZs; one created while an AZ is
// impaired may fail to create that AZ's resources, and the next `up` finishes it.
func lookUpAZs(ctx *pulumi.Context, cfg *Config, opts ...pulumi.InvokeOption) ([]string, error) {
	zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		Filters: []aws.GetAvailabilityZonesFilter{availabilityZonesOnly},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up availability zones: %w", err)
	}
	azs := append([]string(nil), zones.Names...)
	sort.Strings(azs)
	if cfg.Network.AZCount > len(azs) {
		return nil, &configError{File: cfg.File, Key: Namespace + ":network.azCount",
			Msg: fmt.Sprintf("%d is more than the %d availability zones %s has (%v)", cfg.Network.AZCount, len(azs), cfg.Region, azs)}
	}
	return azs[:cfg.Network.AZCount], nil
}

// lookUpHostedZone returns the ID of the public Route 53 zone that holds webstack:edge.domain,
// looked up by webstack:edge.hostedZoneName or webstack:edge.hostedZoneId (whichever is set), or
// "" without a domain. The origin certificate is validated through records in this zone, so the
// zone must exist, be public (ACM validates through public DNS) and hold the domain (Route 53
// refuses a record outside its zone).
func lookUpHostedZone(ctx *pulumi.Context, cfg *Config, opts ...pulumi.InvokeOption) (string, error) {
	e := cfg.Edge
	if e.Domain == "" {
		return "", nil
	}
	key, value := Namespace+":edge.hostedZoneName", e.HostedZoneName
	args := &route53.LookupZoneArgs{Name: pulumi.StringRef(e.HostedZoneName), PrivateZone: pulumi.BoolRef(false)}
	if e.HostedZoneID != "" {
		key, value = Namespace+":edge.hostedZoneId", e.HostedZoneID
		args = &route53.LookupZoneArgs{ZoneId: pulumi.StringRef(e.HostedZoneID)}
	}
	zone, err := route53.LookupZone(ctx, args, opts...)
	if err != nil {
		return "", &configError{File: cfg.File, Key: key, Msg: fmt.Sprintf(
			"%s: no public Route 53 hosted zone could be looked up for %s %s, whose origin certificate is validated in it: %v",
			quote(value), Namespace+":edge.domain", quote(e.Domain), err)}
	}
	name := strings.TrimSuffix(strings.ToLower(zone.Name), ".")
	switch {
	case zone.PrivateZone != nil && *zone.PrivateZone:
		return "", &configError{File: cfg.File, Key: key, Msg: fmt.Sprintf(
			"%s is a private hosted zone; ACM validates the origin certificate through public DNS, so name the public zone that holds %s", quote(value), quote(e.Domain))}
	case e.Domain != name && !strings.HasSuffix(e.Domain, "."+name):
		return "", &configError{File: cfg.File, Key: key, Msg: fmt.Sprintf(
			"%s is the zone %q, which does not hold %s %s", quote(value), name, Namespace+":edge.domain", quote(e.Domain))}
	}
	return zone.ZoneId, nil
}

// export exports every output, refusing an output the contract does not name (or one it
// names that is missing), so that docs/outputs.md's table and the program cannot drift apart.
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
