package compute

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// ColorArgs is one color's version and capacity.
type ColorArgs struct {
	// Version is the image tag the color runs; empty for a color with no release, which runs
	// no instances whatever its sizes.
	Version string
	// MinSize, DesiredCapacity and MaxSize size the color's Auto Scaling group once it has a
	// version.
	MinSize, DesiredCapacity, MaxSize int
}

// Running reports whether the color runs instances: it has a version and a desired capacity
// above 0.
func (c ColorArgs) Running() bool { return c.Version != "" && c.DesiredCapacity > 0 }

// ComputeArgs configures the compute tier.
type ComputeArgs struct {
	// VpcID, PublicSubnetIDs and AppSubnetIDs come from the network tier. Required.
	VPCID           pulumi.StringInput
	PublicSubnetIDs pulumi.StringArrayInput
	AppSubnetIDs    pulumi.StringArrayInput
	// ALBSecurityGroupID and AppSecurityGroupID are the network tier's groups for the ALB and
	// the fleet. Required.
	ALBSecurityGroupID pulumi.StringInput
	AppSecurityGroupID pulumi.StringInput
	// PublicPath is what the ALB must be created after; see LoadBalancerArgs. Optional.
	PublicPath []pulumi.Resource
	// Region and Partition locate the stack. Required. AccountID is required unless
	// DisableAccessLogs.
	Region, Partition, AccountID string

	// RepositoryName names the ECR repository. Required.
	RepositoryName string
	// ImageRetentionCount is how many images the repository's lifecycle policy keeps besides
	// the colors' versions, which it never expires (see RepositoryArgs.PinnedTags). Optional.
	// Default: DefaultImageRetentionCount.
	ImageRetentionCount int

	// Port, HealthCheckPath, DeregistrationDelay, DisableDraining, IdleTimeout and
	// DisableDeletionProtection are as in LoadBalancerArgs; TestListenerPort too (required).
	Port                      int
	HealthCheckPath           string
	DeregistrationDelay       int
	DisableDraining           bool
	IdleTimeout               int
	DisableDeletionProtection bool
	TestListenerPort          int
	// DisableAccessLogs, AccessLogRetentionDays and DeleteAccessLogs are as in
	// LoadBalancerArgs.
	DisableAccessLogs      bool
	AccessLogRetentionDays int
	DeleteAccessLogs       bool

	// InstanceType, Profile and HealthCheckGracePeriod are as in FleetArgs.
	InstanceType           string
	Profile                string
	HealthCheckGracePeriod int

	// ActiveColor is the live color; CanaryWeight the percentage sent to the other one.
	ActiveColor  Color
	CanaryWeight int
	// Blue and Green are the colors' versions and capacities.
	Blue, Green ColorArgs
	// Tags are propagated to the fleets' instances. Optional.
	Tags map[string]string

	// CertificateARN, OriginHeaderName and OriginHeaderValue are the edge tier's hooks; see
	// LoadBalancerArgs. Optional.
	CertificateARN pulumi.StringInput
	// HostName is the DNS name the certificate covers; see LoadBalancerArgs. Optional.
	HostName          string
	OriginHeaderName  string
	OriginHeaderValue pulumi.StringInput

	// SettingsPath is the Parameter Store path of the app's settings (SettingsPath): the
	// instances read it at boot and the instance role may read it, nothing else of Parameter
	// Store. Required.
	SettingsPath string
	// ReadableSecretARNs (secrets the instance role may read) and DBResourceIDs with DBUser
	// (whom the instances may connect to the database as, with IAM authentication) are the
	// data tier's hooks; see InstanceRoleArgs. Optional. No fleet resource depends on them:
	// they are inputs of the role's policies only, never of the instance profile.
	ReadableSecretARNs pulumi.StringArrayInput
	// UploadsBucketARN and UploadsKeyARN are the edge tier's uploads bucket and its KMS key;
	// see InstanceRoleArgs. Optional.
	UploadsBucketARN, UploadsKeyARN pulumi.StringInput
	DBResourceIDs                   pulumi.StringArrayInput
	DBUser                          string

	// AppLogRetentionDays is the retention of the application's log group (AppLogGroupName),
	// where both colors' containers write their output; a retention CloudWatch Logs accepts.
	// Optional. Default: DefaultAppLogRetentionDays.
	AppLogRetentionDays int
	// Alarms are the load balancer's and the target groups' alarms; see AlarmArgs. Optional.
	// Defaults to none.
	Alarms AlarmArgs
}

// Color returns the args of color c.
func (a *ComputeArgs) Color(c Color) ColorArgs {
	if c == Green {
		return a.Green
	}
	return a.Blue
}

// versions returns the colors' versions, blue's first, without repeats: whether a color runs
// its version or is scaled to zero with it (kept for a rollback), the image must stay.
func (a *ComputeArgs) versions() []string {
	var out []string
	for _, c := range Colors {
		if v := a.Color(c).Version; v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// validate checks what NewCompute needs before it registers anything; the load balancer and the
// fleets check their own args.
func (args *ComputeArgs) validate() error {
	if args.Region == "" || args.Partition == "" {
		return errors.New("compute: region and partition are required")
	}
	if !settingsPath.MatchString(args.SettingsPath) {
		return fmt.Errorf("compute: settings path %q is not a Parameter Store path such as \"/webstack/prod/app\"", args.SettingsPath)
	}
	if err := validColor(args.ActiveColor); err != nil {
		return fmt.Errorf("compute: active %w", err)
	}
	// The unhealthy-host alarms wait out the fleets' grace period: both must name the same.
	if g, a := gracePeriod(args.HealthCheckGracePeriod), gracePeriod(args.Alarms.HealthCheckGracePeriod); args.Alarms.TopicARN != nil && g != a {
		return fmt.Errorf("compute: the alarms' health check grace period %d s differs from the fleets' %d s", a, g)
	}
	if args.AppLogRetentionDays < 0 {
		return fmt.Errorf("compute: application log retention %d days is negative", args.AppLogRetentionDays)
	}
	return nil
}

// Compute is the application tier: ECR repository, instance role, load balancer and one fleet
// per color.
type Compute struct {
	pulumi.ResourceState

	Repository *Repository `pulumi:"-"`
	// LogGroup is the application's log group.
	LogGroup     *cloudwatch.LogGroup `pulumi:"-"`
	InstanceRole *InstanceRole        `pulumi:"-"`
	LoadBalancer *LoadBalancer        `pulumi:"-"`
	Fleets       map[Color]*Fleet     `pulumi:"-"`

	RepositoryURL pulumi.StringOutput `pulumi:"repositoryUrl"`
	ALBDNSName    pulumi.StringOutput `pulumi:"albDnsName"`
	ALBARN        pulumi.StringOutput `pulumi:"albArn"`
	TestURL       pulumi.StringOutput `pulumi:"testUrl"`
	// ReleaseCheckParameter is the SSM parameter (SecureString) holding the release-check
	// secret (ReleaseCheckHeader); "" without CloudFront's origin header.
	ReleaseCheckParameter pulumi.StringOutput `pulumi:"releaseCheckParameter"`
}

// The compute tier's defaults (ComputeArgs).
const (
	DefaultAppLogRetentionDays = 365
	DefaultImageRetentionCount = 30
)

// NewCompute registers the compute tier.
func NewCompute(ctx *pulumi.Context, name string, args *ComputeArgs, opts ...pulumi.ResourceOption) (*Compute, error) {
	if args == nil {
		return nil, errors.New("compute: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	logRetention := args.AppLogRetentionDays
	if logRetention == 0 {
		logRetention = DefaultAppLogRetentionDays
	}
	c := &Compute{Fleets: map[Color]*Fleet{}}
	if err := ctx.RegisterComponentResource(contract.TypeCompute, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	repo, err := NewRepository(ctx, name+"-ecr", &RepositoryArgs{
		Name:        args.RepositoryName,
		KeepImages:  args.ImageRetentionCount,
		PinnedTags:  args.versions(),
		ForceDelete: args.DisableDeletionProtection,
	}, parent)
	if err != nil {
		return nil, err
	}
	logs, err := newAppLogGroup(ctx, contract.Child(name, contract.RoleContainerLogs), logRetention, parent)
	if err != nil {
		return nil, err
	}
	role, err := NewInstanceRole(ctx, name+"-instance", args.instanceRoleArgs(logs.Arn, repo.ARN), parent)
	if err != nil {
		return nil, err
	}
	// Behind CloudFront, the release tool reaches the idle color through it with a secret of
	// the stack's (ReleaseCheckHeader).
	var check *releaseCheck
	var checkValue pulumi.StringInput
	c.ReleaseCheckParameter = pulumi.String("").ToStringOutput()
	if args.OriginHeaderName != "" {
		if check, err = newReleaseCheck(ctx, name, parent); err != nil {
			return nil, fmt.Errorf("compute: %w", err)
		}
		checkValue = check.value
		c.ReleaseCheckParameter = check.parameter.Name
	}
	alb, err := NewLoadBalancer(ctx, contract.Child(name, contract.RoleALB), args.loadBalancerArgs(checkValue), parent)
	if err != nil {
		return nil, err
	}
	for _, color := range Colors {
		fleet, err := NewFleet(ctx, fmt.Sprintf("%s-%s", name, color), args.fleetArgs(color, alb, role, repo, logs), parent)
		if err != nil {
			return nil, err
		}
		c.Fleets[color] = fleet
	}

	c.Repository, c.InstanceRole, c.LoadBalancer, c.LogGroup = repo, role, alb, logs
	c.RepositoryURL = repo.URL
	c.ALBDNSName = alb.DNSName
	c.ALBARN = alb.ARN
	c.TestURL = alb.TestURL
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"repositoryUrl":         c.RepositoryURL,
		"albDnsName":            c.ALBDNSName,
		"albArn":                c.ALBARN,
		"testUrl":               c.TestURL,
		"releaseCheckParameter": c.ReleaseCheckParameter,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// instanceRoleArgs returns the instance role's args: the compute tier's, with its log group
// and repository.
func (args *ComputeArgs) instanceRoleArgs(logGroupARN, repositoryARN pulumi.StringInput) *InstanceRoleArgs {
	return &InstanceRoleArgs{
		Partition:          args.Partition,
		Region:             args.Region,
		AccountID:          args.AccountID,
		SettingsPath:       args.SettingsPath,
		ReadableSecretARNs: args.ReadableSecretARNs,
		Uploads:            uploadsGrant(args.UploadsBucketARN, args.UploadsKeyARN),
		DBResourceIDs:      args.DBResourceIDs,
		DBUser:             args.DBUser,
		LogGroupARN:        logGroupARN,
		RepositoryARN:      repositoryARN,
	}
}

// loadBalancerArgs returns the load balancer's args: the compute tier's, with the release
// check's value.
func (args *ComputeArgs) loadBalancerArgs(releaseCheckValue pulumi.StringInput) *LoadBalancerArgs {
	return &LoadBalancerArgs{
		VPCID:                     args.VPCID,
		SubnetIDs:                 args.PublicSubnetIDs,
		SecurityGroupID:           args.ALBSecurityGroupID,
		PublicPath:                args.PublicPath,
		Port:                      args.Port,
		HealthCheckPath:           args.HealthCheckPath,
		DeregistrationDelay:       args.DeregistrationDelay,
		DisableDraining:           args.DisableDraining,
		IdleTimeout:               args.IdleTimeout,
		DisableDeletionProtection: args.DisableDeletionProtection,
		DisableAccessLogs:         args.DisableAccessLogs,
		AccessLogRetentionDays:    args.AccessLogRetentionDays,
		DeleteAccessLogs:          args.DeleteAccessLogs,
		AccountID:                 args.AccountID,
		Partition:                 args.Partition,
		ActiveColor:               args.ActiveColor,
		CanaryWeight:              args.CanaryWeight,
		TestListenerPort:          args.TestListenerPort,
		Running:                   map[Color]bool{Blue: args.Blue.Running(), Green: args.Green.Running()},
		CertificateARN:            args.CertificateARN,
		HostName:                  args.HostName,
		OriginHeaderName:          args.OriginHeaderName,
		OriginHeaderValue:         args.OriginHeaderValue,
		ReleaseCheckValue:         releaseCheckValue,
		Alarms:                    args.Alarms,
	}
}

// fleetArgs returns color's fleet args: its version and sizes, in the app subnets behind the
// load balancer's target groups of that color.
func (args *ComputeArgs) fleetArgs(color Color, alb *LoadBalancer, role *InstanceRole, repo *Repository, logs *cloudwatch.LogGroup) *FleetArgs {
	ca := args.Color(color)
	idleTimeout := args.IdleTimeout
	if idleTimeout == 0 {
		idleTimeout = 60
	}
	return &FleetArgs{
		Color:                  color,
		Version:                ca.Version,
		MinSize:                ca.MinSize,
		DesiredCapacity:        ca.DesiredCapacity,
		MaxSize:                ca.MaxSize,
		InstanceType:           args.InstanceType,
		SubnetIDs:              args.AppSubnetIDs,
		SecurityGroupID:        args.AppSecurityGroupID,
		TargetGroupARN:         alb.TargetGroupARN(color),
		TestTargetGroupARN:     alb.TestTargetGroupARN(color),
		InstanceProfileARN:     role.ProfileARN,
		RepositoryURL:          repo.URL,
		Region:                 args.Region,
		Port:                   args.Port,
		Profile:                args.Profile,
		KeepAliveTimeout:       idleTimeout + 15,
		HealthCheckGracePeriod: args.HealthCheckGracePeriod,
		SettingsPath:           args.SettingsPath,
		Tags:                   args.Tags,
		LogGroupName:           logs.Name,
		DependsOn:              []pulumi.Resource{alb.Anchor()},
	}
}
