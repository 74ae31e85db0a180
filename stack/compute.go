package stack

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/compute"
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/edge"
	"github.com/webstack/webstack/network"
)

// newCompute wires the compute tier from webstack:app, the network, data and edge tiers: the
// fleet reads the app's settings from Parameter Store (settings.go), so no fleet resource takes
// anything of the data tier as an input; the instance role may read the settings and the
// cache's AUTH token and connect to the database as the app user; and the production listener
// forwards only requests that carry CloudFront's secret origin header (over HTTPS with the
// origin certificate when a domain is configured).
func newCompute(ctx *pulumi.Context, cfg *Config, net *network.Network, db *dataTier, origin *edge.Origin, uploads *edge.Uploads, accountID, partition string, alertTopic pulumi.StringInput, opts ...pulumi.ResourceOption) (*compute.Compute, error) {
	app := cfg.App
	color := func(c ColorConfig) compute.ColorArgs {
		return compute.ColorArgs{Version: c.Version, MinSize: c.MinSize, DesiredCapacity: c.DesiredCapacity, MaxSize: c.MaxSize}
	}
	args := &compute.ComputeArgs{
		VPCID:                     net.VPCID,
		PublicSubnetIDs:           net.PublicSubnetIDs,
		AppSubnetIDs:              net.AppSubnetIDs,
		ALBSecurityGroupID:        net.SecurityGroups.ALB,
		AppSecurityGroupID:        net.SecurityGroups.App,
		PublicPath:                net.PublicPath,
		Region:                    cfg.Region,
		Partition:                 partition,
		AccountID:                 accountID,
		RepositoryName:            RepositoryName(cfg.Project, cfg.Stack),
		ImageRetentionCount:       app.ImageRetentionCount,
		Port:                      app.Port,
		HealthCheckPath:           app.HealthCheckPath,
		DeregistrationDelay:       app.DeregistrationDelay,
		DisableDraining:           app.DeregistrationDelay == 0,
		IdleTimeout:               app.IdleTimeout,
		DisableDeletionProtection: !app.DeletionProtection,
		DisableAccessLogs:         !app.AccessLogs,
		AccessLogRetentionDays:    app.AccessLogRetentionDays,
		DeleteAccessLogs:          !app.RetainAccessLogs,
		TestListenerPort:          app.TestListenerPort,
		InstanceType:              app.InstanceType,
		Profile:                   cfg.AppProfile(),
		HealthCheckGracePeriod:    app.HealthCheckGracePeriod,
		ActiveColor:               compute.Color(app.ActiveColor),
		CanaryWeight:              app.CanaryWeight,
		Blue:                      color(app.Blue),
		Green:                     color(app.Green),
		Tags:                      DefaultTags(cfg),
		SettingsPath:              compute.SettingsPath(cfg.Project, cfg.Stack),
		ReadableSecretARNs:        db.ReadableSecretARNs(),
		DBResourceIDs:             db.Database.ResourceIDs,
		DBUser:                    contract.AppDatabaseUser,
		OriginHeaderName:          origin.HeaderName,
		OriginHeaderValue:         origin.HeaderValue,
		AppLogRetentionDays:       app.LogRetentionDays,
		Alarms: compute.AlarmArgs{
			TopicARN:          alertTopic,
			NamePrefix:        resourceBaseName(cfg.Project, cfg.Stack),
			ELB5xx:            cfg.Alerts.ELB5xxCount,
			Target5xx:         cfg.Alerts.Target5xxCount,
			ResponseTimeP99Ms: cfg.Alerts.ResponseTimeP99Ms,
			UnhealthyHosts:    cfg.Alerts.UnhealthyHosts,
			// The fleets' grace period: the unhealthy-host alarms wait it out.
			HealthCheckGracePeriod: app.HealthCheckGracePeriod,
		},
	}
	grantUploads(args, uploads)
	// A plain config value decides whether the listeners are HTTPS, never an Output.
	if cfg.Edge.Domain != "" {
		args.CertificateARN = origin.CertificateARN
		// The certificate names origin.<domain>, so smoke tests must use that name.
		args.HostName = origin.HostName
	}
	return compute.NewCompute(ctx, contract.AppComponent, args, opts...)
}

// computeOutputs are the compute tier's stack outputs: what deploy jobs read to push images,
// smoke-test the idle color and know which color is live.
func computeOutputs(cfg *Config, app *compute.Compute) map[string]pulumi.Input {
	alb := app.LoadBalancer
	return map[string]pulumi.Input{
		contract.OutALBDNSName:            alb.DNSName,
		contract.OutALBARN:                alb.ARN,
		contract.OutProductionListenerARN: alb.ProductionListenerARN,
		contract.OutTestListenerARN:       alb.TestListenerARN,
		contract.OutTestURL:               alb.TestURL,
		contract.OutBlueTargetGroupARN:    alb.BlueTargetGroupARN,
		contract.OutGreenTargetGroupARN:   alb.GreenTargetGroupARN,
		contract.OutBlueASGName:           app.Fleets[compute.Blue].ASGName,
		contract.OutGreenASGName:          app.Fleets[compute.Green].ASGName,
		contract.OutActiveColor:           pulumi.String(cfg.App.ActiveColor),
		contract.OutIdleColor:             pulumi.String(cfg.App.IdleColor()),
		contract.OutBlueVersion:           pulumi.String(cfg.App.Blue.Version),
		contract.OutGreenVersion:          pulumi.String(cfg.App.Green.Version),
		contract.OutCanaryWeight:          pulumi.Int(cfg.App.CanaryWeight),
		contract.OutBlueCapacity:          capacityOutput(cfg.App.Blue),
		contract.OutGreenCapacity:         capacityOutput(cfg.App.Green),
		contract.OutECRRepositoryURL:      app.RepositoryURL,
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
// whose image was never pushed (or has expired, or a version on the very first `up`, before the
// repository exists) stops the run with a message saying what to do, instead of instances that
// pull nothing, fail the ALB health check and are replaced until `up` gives up after
// compute.CapacityTimeout. A color with a version but no instances is not looked up: nothing
// pulls its image until it is scaled up, which is an `up` of its own.
//
// The lookup is ECR's DescribeImages (the provider function aws:ecr/getImage:getImage). The
// provider turns both of ECR's answers, ImageNotFoundException (no such tag) and
// RepositoryNotFoundException (no such repository), into the same not-found error, "reading ECR
// Images: couldn't find resource" (terraform-provider-aws internal/service/ecr/
// image_data_source.go, findImageDetails), so on a not-found the guard asks for the repository
// itself (ECR's DescribeRepositories, aws:ecr/getRepository:getRepository): if it is there, the
// image is what is missing. The two answers need different advice: a missing image is pushed
// (again); a missing repository on a stack that serves must not be "fixed" by removing the
// versions, which would stop every instance.
func checkImages(ctx *pulumi.Context, cfg *Config, accountID, dnsSuffix string, opts ...pulumi.InvokeOption) error {
	repo := RepositoryName(cfg.Project, cfg.Stack)
	var errs []error
	var exists *bool // the repository lookup, made at most once
	for _, color := range []string{ColorBlue, ColorGreen} {
		c := cfg.App.Color(color)
		if !c.Running() {
			continue
		}
		key := fmt.Sprintf("%s:app.%s.version", Namespace, color)
		uri := fmt.Sprintf("%s.dkr.ecr.%s.%s/%s:%s", accountID, cfg.Region, dnsSuffix, repo, c.Version)
		_, err := ecr.GetImage(ctx, &ecr.GetImageArgs{RepositoryName: repo, ImageTag: pulumi.StringRef(c.Version)}, opts...)
		if err == nil {
			continue
		}
		if !ecrNotFound(err) {
			errs = append(errs, fmt.Errorf("looking up the image %s for %s: %w", uri, key, err))
			continue
		}
		if exists == nil {
			found, err := repositoryExists(ctx, repo, opts...)
			if err != nil {
				return errors.Join(append(errs, fmt.Errorf("looking up the ECR repository %s for %s: %w", repo, key, err))...)
			}
			exists = &found
		}
		msg := missingImage(cfg, color, c.Version, repo, uri)
		if !*exists {
			msg = missingRepository(c.Version, repo, uri)
		}
		errs = append(errs, &configError{File: cfg.File, Key: key, Msg: msg})
	}
	return errors.Join(errs...)
}

// missingImage is the guard's message for a version of color whose image the stack's
// repository does not hold. It never tells the operator to remove a version: a version the
// live color runs must be pushed again, not taken away.
func missingImage(cfg *Config, color, version, repo, uri string) string {
	msg := fmt.Sprintf("%s: the image %s is not in the stack's ECR repository %s, so no %s instance could start. If it was never pushed, "+
		"push it (docker push %s; the repository is the stack output ecrRepositoryUrl). If it was pushed before, the repository's lifecycle "+
		"policy may have expired it (it keeps the newest %s:app.imageRetentionCount images, now %d, besides the versions the stack file "+
		"names), or it was deleted: build it again from the same source and push it under the same tag (an immutable tag can be pushed "+
		"again once its image is gone)",
		quote(version), uri, repo, color, uri, Namespace, cfg.App.ImageRetentionCount)
	if color == cfg.App.ActiveColor {
		return msg + fmt.Sprintf("; %s is the live color: its running instances keep serving, but none can be replaced or added until the "+
			"image is back, so push it rather than change this version", color)
	}
	return msg + ", or set a version that is pushed"
}

// missingRepository is the guard's message for a running version when the stack's repository
// does not exist.
func missingRepository(version, repo, uri string) string {
	return fmt.Sprintf("%s: the stack's ECR repository %s does not exist, so the image %s cannot be in it. Before the stack's first "+
		"`pulumi up` that is expected: the first `up` creates the repository and must run no version (as the committed stack files do: "+
		"%s:app.blue.version and %s:app.green.version \"\"); push the image to the stack output ecrRepositoryUrl, then release it. On a "+
		"stack that is already deployed, keep the versions (removing them stops every instance): the repository was deleted outside "+
		"Pulumi; create it again under the same name (aws ecr create-repository --repository-name %s --image-tag-mutability IMMUTABLE "+
		"--encryption-configuration encryptionType=KMS), push the image, then run `pulumi refresh` and `pulumi up`",
		quote(version), repo, uri, Namespace, Namespace, repo)
}

// repositoryExists reports whether the stack's repository exists, from ECR's
// DescribeRepositories: the provider reports RepositoryNotFoundException as "reading ECR
// Repository (<name>): couldn't find resource" (terraform-provider-aws
// internal/service/ecr/repository_data_source.go).
func repositoryExists(ctx *pulumi.Context, repo string, opts ...pulumi.InvokeOption) (bool, error) {
	_, err := ecr.LookupRepository(ctx, &ecr.LookupRepositoryArgs{Name: repo}, opts...)
	switch {
	case err == nil:
		return true, nil
	case ecrNotFound(err):
		return false, nil
	}
	return false, err
}

// ecrNotFound reports whether an ECR lookup error says the image or the repository does not
// exist: the provider's not-found error, or ECR's own codes (older providers pass them on).
func ecrNotFound(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "couldn't find resource") || strings.Contains(msg, "ImageNotFoundException") ||
		strings.Contains(msg, "RepositoryNotFoundException")
}

// capacityOutput is a color's configured sizes as a stack output: what it runs once it has a
// version.
func capacityOutput(c ColorConfig) pulumi.Map {
	return pulumi.Map{"minSize": pulumi.Int(c.MinSize), "desiredCapacity": pulumi.Int(c.DesiredCapacity), "maxSize": pulumi.Int(c.MaxSize)}
}
