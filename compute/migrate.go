package compute

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"

	"github.com/webstack/webstack/internal/ec2host"
)

// --- Migration runner ------------------------------------------------------------------------

// MigrationRunnerArgs configures a MigrationRunner.
type MigrationRunnerArgs struct {
	// Partition and Region locate the stack. Required.
	Partition, Region string
	// SecurityGroupID is the application's security group: the runner reaches MySQL, the
	// registry and the AWS APIs exactly as the fleet does. Required.
	SecurityGroupID pulumi.StringInput
	// InstanceType is the runner's instance type, an arm64 type (the fleet's). Required.
	InstanceType string
	// RepositoryARN and RepositoryURL are the stack's ECR repository: the runner pulls the new
	// version's image from it and from no other. Required.
	RepositoryARN, RepositoryURL pulumi.StringInput
	// MasterSecretARN is the database's master secret: the migration credentials, which only
	// the runner's role may read. Required.
	MasterSecretARN pulumi.StringInput
	// DBHost, DBPort and DBName locate the writer and the application's schema. Required.
	DBHost pulumi.StringInput
	DBPort int
	DBName string
	// AppUser is the application's own database user, which the runner creates and grants.
	// Required.
	AppUser string
	// Command is webstack:app.migrate: the words passed to `docker run <image>` after the
	// image. Optional. Defaults to none: the runner only maintains AppUser.
	Command string
	// LogGroupName is the log group of the runs' output (SSM Run Command's CloudWatch output).
	// Required. LogRetentionDays is its retention. Optional. Defaults to 365.
	LogGroupName     string
	LogRetentionDays int
	// Tags are put on the runner's volume. Optional.
	Tags map[string]string
}

// MigrationCommandPattern is what webstack:app.migrate may hold: words of letters, digits and
// `_ . / : = , @ + -` separated by single spaces. The runner passes them to `docker run` as they
// are, without a shell: no quoting, no expansion, nothing that could read the credentials.
var MigrationCommandPattern = regexp.MustCompile(`^[A-Za-z0-9_./:=,@+-]+( [A-Za-z0-9_./:=,@+-]+)*$`)

// MigrationRunnerLifetime is how long (minutes) a runner lives at most: it shuts itself down
// then, and the launch template terminates it on shutdown.
const MigrationRunnerLifetime = 120

// MaxUserDataBytes is what EC2 accepts as user data, before base64 ("User data is limited to
// 16 KB, in raw form, before it is base64-encoded",
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html).
const MaxUserDataBytes = 16384

// MigrationRunner is the launch template of the one-off instance that runs each release's
// migration step, its instance role and the log group of its output. Nothing runs until the
// release tool launches an instance from it; it depends on nothing version-specific, so
// releases never change it.
type MigrationRunner struct {
	pulumi.ResourceState

	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
	LogGroupName     pulumi.StringOutput `pulumi:"logGroupName"`
	RoleARN          pulumi.StringOutput `pulumi:"roleArn"`
}

func (a *MigrationRunnerArgs) validate() error {
	var errs []error
	if a.Partition == "" || a.Region == "" {
		errs = append(errs, errors.New("partition and region are required"))
	}
	if a.SecurityGroupID == nil || a.RepositoryARN == nil || a.RepositoryURL == nil || a.MasterSecretARN == nil || a.DBHost == nil {
		errs = append(errs, errors.New("security group, repository, master secret and database host are required"))
	}
	if a.InstanceType == "" || a.DBName == "" || a.AppUser == "" || a.LogGroupName == "" {
		errs = append(errs, errors.New("instance type, database name, application user and log group name are required"))
	}
	if a.DBPort < 1 || a.DBPort > 65535 {
		errs = append(errs, fmt.Errorf("database port %d is not a TCP port", a.DBPort))
	}
	if a.Command != "" && !MigrationCommandPattern.MatchString(a.Command) {
		errs = append(errs, fmt.Errorf("command %q is not words of letters, digits and _ . / : = , @ + - separated by single spaces", a.Command))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("compute: migration runner: %w", err)
	}
	return nil
}

// NewMigrationRunner registers the runner's log group, role, instance profile and launch
// template.
func NewMigrationRunner(ctx *pulumi.Context, name string, args *MigrationRunnerArgs, opts ...pulumi.ResourceOption) (*MigrationRunner, error) {
	if args == nil {
		return nil, errors.New("compute: migration runner: args are required")
	}
	if err := args.validate(); err != nil {
		return nil, err
	}
	retention := args.LogRetentionDays
	if retention == 0 {
		retention = 365
	}
	m := &MigrationRunner{}
	if err := ctx.RegisterComponentResource(contract.TypeComputeMigrationRunner, name, m, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(m)

	logs, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.LogGroupName),
		RetentionInDays: pulumi.Int(retention),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: migration runner log group: %w", err)
	}
	profile, role, err := newMigrationRole(ctx, name, args, logs.Arn, parent)
	if err != nil {
		return nil, err
	}
	lt, err := newMigrationLaunchTemplate(ctx, name, args, profile, parent)
	if err != nil {
		return nil, err
	}
	m.LaunchTemplateID = lt.ID().ToStringOutput()
	m.LogGroupName = logs.Name
	m.RoleARN = role.Arn
	if err := ctx.RegisterResourceOutputs(m, pulumi.Map{
		"launchTemplateId": m.LaunchTemplateID,
		"logGroupName":     m.LogGroupName,
		"roleArn":          m.RoleARN,
	}); err != nil {
		return nil, err
	}
	return m, nil
}

// newMigrationRole registers the runner's own role: Systems Manager (the release tool drives it
// with Run Command), pulling from the stack's repository, reading the master secret, and
// writing the runs' output to its log group; and its instance profile.
func newMigrationRole(ctx *pulumi.Context, name string, a *MigrationRunnerArgs, logGroupARN pulumi.StringOutput, parent pulumi.ResourceOption) (*iam.InstanceProfile, *iam.Role, error) {
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("webstack migration runner: SSM, ECR pull, the database master secret, the migrations' log group"),
		AssumeRolePolicy: pulumi.String(ec2host.AssumeRolePolicy),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("compute: migration runner role: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore", a.Partition),
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("compute: migration runner SSM policy: %w", err)
	}
	policy := pulumi.All(a.RepositoryARN, a.MasterSecretARN, logGroupARN).ApplyT(func(v []any) (string, error) {
		return migrationPolicy(v[0].(string), v[1].(string), v[2].(string))
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, name+"-access", &iam.RolePolicyArgs{Role: role.Name, Policy: policy}, parent); err != nil {
		return nil, nil, fmt.Errorf("compute: migration runner policy: %w", err)
	}
	profile, err := iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{Role: role.Name}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("compute: migration runner instance profile: %w", err)
	}
	return profile, role, nil
}

// migrationPolicy is the runner's inline policy. SSM Agent writes a command's CloudWatch output
// with the instance's role: it looks the group up (logs:DescribeLogGroups, which names no
// single group) and creates one stream per command and plugin (SSM User Guide, "Configuring
// Amazon CloudWatch Logs for Run Command",
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-rc-setting-up-cwlogs.html).
func migrationPolicy(repositoryARN, secretARN, logGroupARN string) (string, error) {
	for _, arn := range []string{repositoryARN, secretARN, logGroupARN} {
		if !strings.HasPrefix(arn, "arn:") || strings.ContainsAny(arn, "*?") {
			return "", fmt.Errorf("compute: migration runner: %q is not an ARN without wildcards", arn)
		}
	}
	group := strings.TrimSuffix(logGroupARN, ":*")
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{"Sid": "LogInToTheRegistry", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
			{"Sid": "PullTheApplicationImage", "Effect": "Allow", "Action": PullActions, "Resource": repositoryARN},
			{"Sid": "ReadTheMigrationCredentials", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secretARN},
			{"Sid": "FindTheLogGroup", "Effect": "Allow", "Action": "logs:DescribeLogGroups", "Resource": "*"},
			{"Sid": "WriteTheMigrationOutput", "Effect": "Allow",
				"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				"Resource": []string{group, group + ":log-stream:*"}},
			// AmazonSSMManagedInstanceCore allows reading every parameter ("*"), the
			// release-check secret among them; the runner needs none.
			{"Sid": "ReadNoParameter", "Effect": "Deny", "Action": parameterReads, "Resource": "*"},
		},
	})
	return string(b), err
}

// newMigrationLaunchTemplate registers the runner's launch template: the fleet's image, type,
// IMDSv2, encrypted root volume and security group, terminated on shutdown, with user data that
// installs the tools and the webstack-migrate script.
func newMigrationLaunchTemplate(ctx *pulumi.Context, name string, a *MigrationRunnerArgs, profile *iam.InstanceProfile, parent pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	userData := pulumi.All(a.RepositoryURL, a.MasterSecretARN, a.DBHost).ApplyT(func(v []any) (string, error) {
		script, err := MigrationUserData{
			Project: ctx.Project(), Stack: ctx.Stack(), Region: a.Region,
			Repository: v[0].(string), MasterSecretARN: v[1].(string), DBHost: v[2].(string),
			DBPort: a.DBPort, DBName: a.DBName, AppUser: a.AppUser, Command: a.Command,
		}.Render()
		if err != nil {
			return "", err
		}
		return base64.StdEncoding.EncodeToString([]byte(script)), nil
	}).(pulumi.StringOutput)
	instanceName := fmt.Sprintf("%s-%s-migrate", ctx.Project(), ctx.Stack())
	lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Description:          pulumi.String("webstack migration runner (launched by the release tool, one per release)"),
		ImageId:              pulumi.String("resolve:ssm:" + ec2host.AL2023ARM64Parameter),
		InstanceType:         pulumi.String(a.InstanceType),
		IamInstanceProfile:   &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: profile.Arn},
		VpcSecurityGroupIds:  pulumi.StringArray{a.SecurityGroupID},
		UserData:             userData,
		UpdateDefaultVersion: pulumi.Bool(true),
		// Its own shutdown (the lifetime in user data) terminates it.
		InstanceInitiatedShutdownBehavior: pulumi.String("terminate"),
		MetadataOptions:                   imdsv2OneHop(),
		BlockDeviceMappings:               encryptedRootVolume(),
		// No NetworkInterfaces block: no public address (EC2.25); the release tool names one of
		// the app subnets when it launches the runner.
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{
				ResourceType: pulumi.String("volume"),
				Tags:         pulumi.ToStringMap(withTags(a.Tags, "Name", instanceName)),
			},
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(instanceName)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: migration runner launch template: %w", err)
	}
	return lt, nil
}

// MigrationUserData is the runner's user data.
type MigrationUserData struct {
	Project, Stack, Region      string
	Repository, MasterSecretARN string
	DBHost                      string
	DBPort                      int
	DBName, AppUser, Command    string
}

var (
	//go:embed migrate.sh.tmpl
	migrateUserDataText string
	//go:embed migrate-run.sh.tmpl
	migrateScriptText string

	migrateUserDataTmpl = template.Must(template.New("migrate-user-data").Parse(migrateUserDataText))
	migrateScriptTmpl   = template.Must(template.New("webstack-migrate").Parse(migrateScriptText))
	// plainValue is what the script embeds between single quotes: nothing that ends them.
	plainValue = regexp.MustCompile(`^[A-Za-z0-9_.:/@=+-]*$`)
)

// CABundleURL is where the RDS certificate authorities of a region are published (RDS User
// Guide, "Using SSL/TLS to encrypt a connection to a DB instance",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html).
func CABundleURL(region string) string {
	return fmt.Sprintf("https://truststore.pki.rds.amazonaws.com/%s/%s-bundle.pem", region, region)
}

// Render returns the user data script, refusing any value that could break out of its quoting
// and a script EC2 would refuse as too long.
func (u MigrationUserData) Render() (string, error) {
	for _, v := range []string{u.Project, u.Stack, u.Region, u.Repository, u.MasterSecretARN, u.DBHost, u.DBName, u.AppUser} {
		if v == "" || !plainValue.MatchString(v) {
			return "", fmt.Errorf("compute: migration runner: %q cannot be embedded in its user data", v)
		}
	}
	if u.Command != "" && !MigrationCommandPattern.MatchString(u.Command) {
		return "", fmt.Errorf("compute: migration runner: command %q is not plain words", u.Command)
	}
	registry, _, _ := strings.Cut(u.Repository, "/")
	var script bytes.Buffer
	if err := migrateScriptTmpl.Execute(&script, struct {
		MigrationUserData
		Registry string
	}{u, registry}); err != nil {
		return "", err
	}
	var out bytes.Buffer
	if err := migrateUserDataTmpl.Execute(&out, struct {
		MigrationUserData
		Script             string
		CABundleURL        string
		MaxLifetimeMinutes int
	}{u, script.String(), CABundleURL(u.Region), MigrationRunnerLifetime}); err != nil {
		return "", err
	}
	if out.Len() > MaxUserDataBytes {
		return "", fmt.Errorf("compute: migration runner: user data is %d bytes, more than the %d EC2 accepts", out.Len(), MaxUserDataBytes)
	}
	return out.String(), nil
}
