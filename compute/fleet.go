package compute

import (
	"errors"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// Fleet sizing and timing defaults.
const (
	// RootVolumeSize is the root volume in GiB: the OS, Docker and a few image versions.
	RootVolumeSize = 20
	// CapacityTimeout is how long `pulumi up` waits for a color's instances to pass the ALB
	// health check before it fails.
	CapacityTimeout = "15m"
	// InstanceWarmup is how long (seconds) an instance refresh waits after a new instance is
	// healthy before it counts it and moves on.
	InstanceWarmup = 30
	// DefaultHealthCheckGracePeriod is how long (seconds) Auto Scaling ignores the load
	// balancer's verdict on a new instance unless FleetArgs says otherwise: boot, Docker's
	// installation, the image pull and the application's start.
	DefaultHealthCheckGracePeriod = 240
	// DefaultInstanceType is the fleet's instance type unless FleetArgs says otherwise.
	DefaultInstanceType = "t4g.small"
	// MaxHealthCheckGracePeriod is the longest grace period the fleet accepts (seconds).
	MaxHealthCheckGracePeriod = 7200
)

// FleetArgs configures a Fleet.
type FleetArgs struct {
	// Color is the fleet's color. Required.
	Color Color
	// Version is the image tag the fleet runs. Optional. Defaults to none: the fleet runs no
	// instances, whatever its sizes (a color with no release yet).
	Version string
	// MinSize, DesiredCapacity and MaxSize size the Auto Scaling group once the fleet has a
	// version: 0 <= MinSize <= DesiredCapacity <= MaxSize. Without a version the group is held
	// at 0 instances (min and desired 0, MaxSize kept). Optional. Default: 0 (an empty fleet).
	MinSize, DesiredCapacity, MaxSize int
	// InstanceType is an arm64 instance type. Optional. Default: DefaultInstanceType.
	InstanceType string
	// SubnetIDs are the private app subnets, one per AZ. Required.
	SubnetIDs pulumi.StringArrayInput
	// SecurityGroupID is the app security group from the network tier. Required.
	SecurityGroupID pulumi.StringInput
	// TargetGroupARN and TestTargetGroupARN are this color's production and test target
	// groups (never the other color's); its instances are in both. Required.
	TargetGroupARN, TestTargetGroupARN pulumi.StringInput
	// InstanceProfileARN is the instance profile of the fleet's role. Required.
	InstanceProfileARN pulumi.StringInput
	// RepositoryURL is the ECR repository of the image. Required.
	RepositoryURL pulumi.StringInput
	// Region is the stack's region, for the ECR login. Required.
	Region string
	// Port is the application's port. Required.
	Port int
	// Profile is the application's active profile. Optional.
	Profile string
	// KeepAliveTimeout is the application server's keep-alive timeout in seconds. Optional.
	// Defaults to 75 (above the ALB's default idle timeout of 60).
	KeepAliveTimeout int
	// HealthCheckGracePeriod is how long (seconds) Auto Scaling ignores ALB health after a
	// launch: at least as long as an instance takes to boot, install Docker, pull the image and
	// start the application, or Auto Scaling replaces every new instance before it can answer
	// (the fleet has no launch lifecycle hook). Optional; 0 means the default,
	// DefaultHealthCheckGracePeriod (240). At most MaxHealthCheckGracePeriod.
	HealthCheckGracePeriod int
	// SettingsPath is the Parameter Store path of the app's settings, which the instances read
	// at boot (see UserData.SettingsPath). Required with a Version.
	SettingsPath string
	// Tags are put on the Auto Scaling group and propagated to its instances (the provider's
	// default tags do not reach instances an Auto Scaling group launches). Optional.
	Tags map[string]string
	// LogGroupName is the CloudWatch Logs group of the container's output. Optional. Defaults
	// to none: the output stays in the instance's journal.
	LogGroupName pulumi.StringInput
	// DependsOn are resources the Auto Scaling group is created or updated after: the load
	// balancer's anchor rule, without which a target group may not be in use yet when the
	// group waits for its instances to be healthy. Optional.
	DependsOn []pulumi.Resource
}

func (a *FleetArgs) withDefaults() FleetArgs {
	out := *a
	if out.InstanceType == "" {
		out.InstanceType = DefaultInstanceType
	}
	if out.KeepAliveTimeout == 0 {
		out.KeepAliveTimeout = 75
	}
	out.HealthCheckGracePeriod = gracePeriod(out.HealthCheckGracePeriod)
	return out
}

// gracePeriod returns a health check grace period with its default: 0 means
// DefaultHealthCheckGracePeriod.
func gracePeriod(seconds int) int {
	if seconds == 0 {
		return DefaultHealthCheckGracePeriod
	}
	return seconds
}

func (a *FleetArgs) validate() error {
	var errs []error
	if err := validColor(a.Color); err != nil {
		errs = append(errs, err)
	}
	if a.SubnetIDs == nil || a.SecurityGroupID == nil || a.TargetGroupARN == nil || a.TestTargetGroupARN == nil || a.InstanceProfileARN == nil || a.RepositoryURL == nil {
		errs = append(errs, errors.New("subnets, security group, target groups, instance profile and repository are required"))
	}
	if a.Region == "" {
		errs = append(errs, errors.New("region is required"))
	}
	if a.Version != "" && !settingsPath.MatchString(a.SettingsPath) {
		errs = append(errs, fmt.Errorf("settings path %q is not a Parameter Store path such as \"/webstack/prod/app\"", a.SettingsPath))
	}
	if a.Port < 1 || a.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d out of range 1..65535", a.Port))
	}
	if a.HealthCheckGracePeriod < 0 || a.HealthCheckGracePeriod > MaxHealthCheckGracePeriod {
		errs = append(errs, fmt.Errorf("health check grace period %d s out of range 1..%d", a.HealthCheckGracePeriod, MaxHealthCheckGracePeriod))
	}
	if a.MinSize < 0 || a.DesiredCapacity < a.MinSize || a.MaxSize < a.DesiredCapacity {
		errs = append(errs, fmt.Errorf("sizes min %d, desired %d, max %d do not satisfy 0 <= min <= desired <= max", a.MinSize, a.DesiredCapacity, a.MaxSize))
	}
	return errors.Join(errs...)
}

// Running reports whether the fleet runs instances: it has a version and a desired capacity
// above 0.
func (a *FleetArgs) Running() bool { return a.Version != "" && a.DesiredCapacity > 0 }

// sizes returns the Auto Scaling group's min and desired sizes: the configured ones, or 0 and
// 0 for a fleet without a version, which has nothing to run.
func (a *FleetArgs) sizes() (minSize, desired int) {
	if a.Version == "" {
		return 0, 0
	}
	return a.MinSize, a.DesiredCapacity
}

// Fleet is one color's WAS fleet: a launch template and an Auto Scaling group attached to the
// color's target group.
type Fleet struct {
	pulumi.ResourceState

	ASGName          pulumi.StringOutput `pulumi:"asgName"`
	ASGARN           pulumi.StringOutput `pulumi:"asgArn"`
	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
}

// NewFleet registers the color's launch template (launchtemplate.go) and Auto Scaling group.
func NewFleet(ctx *pulumi.Context, name string, args *FleetArgs, opts ...pulumi.ResourceOption) (*Fleet, error) {
	if args == nil {
		return nil, errors.New("compute: fleet: args are required")
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("compute: fleet %s: %w", name, err)
	}
	f := &Fleet{}
	if err := ctx.RegisterComponentResource(contract.TypeComputeFleet, name, f, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(f)
	instanceName := fmt.Sprintf("%s-%s-app-%s", ctx.Project(), ctx.Stack(), a.Color)

	lt, err := newLaunchTemplate(ctx, name, &a, instanceName, parent)
	if err != nil {
		return nil, err
	}

	minSize, desired := a.sizes()
	asg, err := autoscaling.NewGroup(ctx, name+"-asg", &autoscaling.GroupArgs{
		VpcZoneIdentifiers: a.SubnetIDs,
		MinSize:            pulumi.Int(minSize),
		MaxSize:            pulumi.Int(a.MaxSize),
		DesiredCapacity:    pulumi.Int(desired),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: pulumi.Sprintf("%d", lt.LatestVersion),
		},
		// The ALB's verdict replaces instances whose application is down, not only dead VMs
		// (AutoScaling.1); the grace period covers boot, Docker and application start.
		TargetGroupArns:        pulumi.StringArray{a.TargetGroupARN, a.TestTargetGroupARN},
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(a.HealthCheckGracePeriod),
		// `pulumi up` returns only when this many instances pass the ALB health check, in
		// both target groups (the load balancer's anchor rule keeps both in use).
		WaitForElbCapacity:     pulumi.Int(desired),
		WaitForCapacityTimeout: pulumi.String(CapacityTimeout),
		// A new launch template version (a new version of the app, on this color only) rolls
		// the color: new instances first, old ones removed once the new ones are healthy.
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(100),
				MaxHealthyPercentage: pulumi.Int(200),
				InstanceWarmup:       pulumi.Sprintf("%d", InstanceWarmup),
				SkipMatching:         pulumi.Bool(true),
			},
		},
		TerminationPolicies: pulumi.StringArray{pulumi.String("OldestLaunchTemplate"), pulumi.String("OldestInstance")},
		EnabledMetrics: pulumi.StringArray{
			pulumi.String("GroupMinSize"), pulumi.String("GroupMaxSize"), pulumi.String("GroupDesiredCapacity"),
			pulumi.String("GroupInServiceInstances"), pulumi.String("GroupTotalInstances"),
		},
		Tags: groupTags(withTags(a.Tags, "Name", instanceName, "Color", string(a.Color), "Version", a.Version)),
	}, parent, pulumi.DependsOn(a.DependsOn))
	if err != nil {
		return nil, fmt.Errorf("compute: fleet %s: auto scaling group: %w", name, err)
	}

	f.ASGName = asg.Name
	f.ASGARN = asg.Arn
	f.LaunchTemplateID = lt.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(f, pulumi.Map{
		"asgName":          f.ASGName,
		"asgArn":           f.ASGARN,
		"launchTemplateId": f.LaunchTemplateID,
	}); err != nil {
		return nil, err
	}
	return f, nil
}

// withTags returns base plus the given key/value pairs (which win).
func withTags(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// groupTags returns the Auto Scaling group's tags, sorted by key, each propagated to the
// instances it launches.
func groupTags(all map[string]string) autoscaling.GroupTagArray {
	var tags autoscaling.GroupTagArray
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		tags = append(tags, &autoscaling.GroupTagArgs{
			Key: pulumi.String(k), Value: pulumi.String(all[k]), PropagateAtLaunch: pulumi.Bool(true),
		})
	}
	return tags
}
