package stack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
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
		PublicPath:             net.PublicPath,
		Region:                 cfg.Region,
		Partition:              partition,
		AccountID:              accountID,
		RepositoryName:         RepositoryName(cfg.Project, cfg.Stack),
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

// RepositoryName is the name of a stack's ECR repository, "<project>-<stack>" in lowercase:
// known before the repository exists, so that the image guard (and the release tool) can look
// images up in it.
func RepositoryName(project, stack string) string {
	return strings.ToLower(fmt.Sprintf("%s-%s", project, stack))
}

// checkImages is the image guard: every color that runs instances must run an image that is in
// the stack's ECR repository. It runs before any tier resource is registered, so a version
// whose image was never pushed (or a version on the very first `up`, before the repository
// exists) stops the run with a message saying what to do, instead of instances that pull
// nothing, fail the ALB health check and are replaced until `up` gives up after
// compute.CapacityTimeout. A color with a version but no instances is not looked up: nothing
// pulls its image until it is scaled up, which is an `up` of its own.
//
// The lookup is ECR's DescribeImages (the provider function aws:ecr/getImage:getImage); ECR
// answers ImageNotFoundException for a tag the repository does not hold, and the provider
// reports a missing repository (RepositoryNotFoundException) as "couldn't find resource"
// (terraform-provider-aws internal/service/ecr, findImageDetails).
func checkImages(ctx *pulumi.Context, cfg *Config, accountID, dnsSuffix string, opts ...pulumi.InvokeOption) error {
	repo := RepositoryName(cfg.Project, cfg.Stack)
	var errs []error
	for _, color := range []string{ColorBlue, ColorGreen} {
		c := cfg.App.Color(color)
		if !c.Running() {
			continue
		}
		key := fmt.Sprintf("%s:app.%s.version", Namespace, color)
		uri := fmt.Sprintf("%s.dkr.ecr.%s.%s/%s:%s", accountID, cfg.Region, dnsSuffix, repo, c.Version)
		_, err := ecr.GetImage(ctx, &ecr.GetImageArgs{RepositoryName: repo, ImageTag: pulumi.StringRef(c.Version)}, opts...)
		switch {
		case err == nil:
		case imageNotFound(err):
			errs = append(errs, &configError{File: cfg.File, Key: key, Msg: fmt.Sprintf(
				"%s: the image %s is not in the stack's ECR repository %s, so no %s instance could start; push it first "+
					"(docker push %s; the repository is the stack output ecrRepositoryUrl), or set a version that is pushed",
				quote(c.Version), uri, repo, color, uri)})
		case repositoryNotFound(err):
			errs = append(errs, &configError{File: cfg.File, Key: key, Msg: fmt.Sprintf(
				"%s: the stack's ECR repository %s does not exist yet, so the image %s cannot be in it; do the first `pulumi up` "+
					"with no version (%s:app.blue.version and %s:app.green.version both \"\"), push the image to the stack output "+
					"ecrRepositoryUrl, then set the version",
				quote(c.Version), repo, uri, Namespace, Namespace)})
		default:
			errs = append(errs, fmt.Errorf("looking up the image %s for %s: %w", uri, key, err))
		}
	}
	return errors.Join(errs...)
}

// imageNotFound reports whether a getImage error is ECR's answer for a tag the repository does
// not hold.
func imageNotFound(err error) bool {
	return strings.Contains(err.Error(), "ImageNotFoundException")
}

// repositoryNotFound reports whether a getImage error says the repository does not exist:
// ECR's RepositoryNotFoundException, which the provider reports as its not-found error.
func repositoryNotFound(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "RepositoryNotFoundException") || strings.Contains(msg, "reading ECR Images: couldn't find resource")
}
