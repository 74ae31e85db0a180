package stack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/network"
)

// newCompute wires the compute tier from webstack:app, the network, data and edge tiers: the
// fleet's containers get the data endpoints and secret ARNs as environment, the instance role
// may read exactly those two secrets, and the production listener forwards only requests that
// carry CloudFront's secret origin header (over HTTPS with the origin certificate when a
// domain is configured).
func newCompute(ctx *pulumi.Context, cfg *Config, net *network.Network, db *dataTier, origin *edge.Origin, accountID, partition string, alertTopic pulumi.StringInput, opts ...pulumi.ResourceOption) (*compute.Compute, error) {
	app := cfg.App
	color := func(c ColorConfig) compute.ColorArgs {
		return compute.ColorArgs{Version: c.Version, MinSize: c.MinSize, DesiredCapacity: c.DesiredCapacity, MaxSize: c.MaxSize}
	}
	args := &compute.ComputeArgs{
		VpcID:                  net.VpcID,
		PublicSubnetIDs:        net.PublicSubnetIDs,
		AppSubnetIDs:           net.AppSubnetIDs,
		ALBSecurityGroupID:     net.SecurityGroups.ALB,
		AppSecurityGroupID:     net.SecurityGroups.App,
		Region:                 cfg.Region,
		Partition:              partition,
		AccountID:              accountID,
		RepositoryName:         strings.ToLower(fmt.Sprintf("%s-%s", cfg.Project, cfg.Stack)),
		ImageRetentionCount:    app.ImageRetentionCount,
		Port:                   app.Port,
		HealthCheckPath:        app.HealthCheckPath,
		DeregistrationDelay:    app.DeregistrationDelay,
		IdleTimeout:            app.IdleTimeout,
		DeletionProtection:     app.DeletionProtection,
		AccessLogs:             app.AccessLogs,
		AccessLogRetentionDays: app.AccessLogRetentionDays,
		TestListenerPort:       app.TestListenerPort,
		InstanceType:           app.InstanceType,
		Profile:                cfg.AppProfile(),
		HealthCheckGracePeriod: app.HealthCheckGracePeriod,
		ActiveColor:            compute.Color(app.ActiveColor),
		CanaryWeight:           app.CanaryWeight,
		Blue:                   color(app.Blue),
		Green:                  color(app.Green),
		Tags:                   DefaultTags(cfg),
		Environment:            db.AppEnvironment(),
		ReadableSecretARNs:     db.ReadableSecretARNs(),
		OriginHeaderName:       origin.HeaderName,
		OriginHeaderValue:      origin.HeaderValue,
		AppLogRetentionDays:    app.LogRetentionDays,
		Alarms: compute.AlarmArgs{
			TopicARN:          alertTopic,
			NamePrefix:        resourceBaseName(cfg.Project, cfg.Stack),
			ELB5xx:            cfg.Alerts.ELB5xxCount,
			Target5xx:         cfg.Alerts.Target5xxCount,
			ResponseTimeP99Ms: cfg.Alerts.ResponseTimeP99Ms,
			UnhealthyHosts:    cfg.Alerts.UnhealthyHosts,
		},
	}
	// A plain config value decides whether the listeners are HTTPS, never an Output.
	if cfg.Edge.Domain != "" {
		args.CertificateArn = origin.CertificateArn
		// The certificate names origin.<domain>, so smoke tests must use that name.
		args.HostName = origin.HostName
	}
	return compute.NewCompute(ctx, "app", args, opts...)
}

// computeOutputs are the compute tier's stack outputs: what deploy jobs read to push images,
// smoke-test the idle color and know which color is live.
func computeOutputs(cfg *Config, app *compute.Compute) map[string]pulumi.Input {
	alb := app.LoadBalancer
	return map[string]pulumi.Input{
		OutALBDNSName:            alb.DNSName,
		OutALBARN:                alb.ARN,
		OutProductionListenerARN: alb.ProductionListenerARN,
		OutTestListenerARN:       alb.TestListenerARN,
		OutTestURL:               alb.TestURL,
		OutBlueTargetGroupARN:    alb.BlueTargetGroupARN,
		OutGreenTargetGroupARN:   alb.GreenTargetGroupARN,
		OutBlueASGName:           app.Fleets[compute.Blue].ASGName,
		OutGreenASGName:          app.Fleets[compute.Green].ASGName,
		OutActiveColor:           pulumi.String(cfg.App.ActiveColor),
		OutIdleColor:             pulumi.String(cfg.App.IdleColor()),
		OutBlueVersion:           pulumi.String(cfg.App.Blue.Version),
		OutGreenVersion:          pulumi.String(cfg.App.Green.Version),
		OutECRRepositoryURL:      app.RepositoryURL,
	}
}
