package compute

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/internal/ec2host"
)

// InstanceRoleArgs configures an InstanceRole.
type InstanceRoleArgs struct {
	// Partition is the AWS partition ("aws") for managed policy ARNs. Required.
	Partition string
	// Region and AccountID locate the settings' parameters and the database users. Required
	// with SettingsPath or DBResourceIDs.
	Region, AccountID string
	// SettingsPath is the Parameter Store path of the app's settings (SettingsPath): the role
	// may read the parameters under it (settingsPolicy) and no other parameter. Optional.
	// Defaults to none: no Parameter Store permission.
	SettingsPath string
	// ReadableSecretARNs are the Secrets Manager secrets the application may read
	// (secretsmanager:GetSecretValue on exactly these ARNs). Optional. Defaults to none: nil
	// registers no secrets policy. When set, it must resolve to at least one ARN, none
	// containing a wildcard. Never the database's master secret: the application connects as
	// DBUser.
	ReadableSecretARNs pulumi.StringArrayInput
	// DBResourceIDs are the DbiResourceIds of the database's writer and every replica, and
	// DBUser the MySQL user the application connects as with IAM database authentication:
	// the role may rds-db:connect as DBUser to exactly these instances (dbConnectPolicy).
	// Optional. Defaults to none: nil registers no such policy. The policy is a resource of
	// its own that only the role's permissions depend on: the instance profile, and so the
	// fleets, never wait for the replicas.
	DBResourceIDs pulumi.StringArrayInput
	DBUser        string
	// LogGroupARN is the CloudWatch Logs group the application's output is written to: the
	// role may create streams in it and put events to them, nothing else in CloudWatch Logs.
	// Optional. Defaults to none.
	LogGroupARN pulumi.StringInput
	// RepositoryARN is the ECR repository the instances pull the application's image from:
	// the role may pull from it and from no other repository (PullActions), plus log in to
	// the registry. Optional. Defaults to none: no ECR permission at all.
	RepositoryARN pulumi.StringInput
	// Uploads is the uploads bucket the application writes and reads objects in, and its key
	// (UploadsGrant). Optional. Defaults to nil: no uploads policy.
	Uploads *UploadsGrant
}

// ManagedPolicies are the AWS managed policies the fleet's instance role carries: Systems
// Manager (Session Manager instead of SSH, SSM.1). Pulling from ECR is an inline policy on the
// stack's repository alone (ecrPolicy), not AmazonEC2ContainerRegistryReadOnly, which reads
// every repository of the account.
var ManagedPolicies = []struct{ Role, Name string }{
	{"ssm", "AmazonSSMManagedInstanceCore"},
}

// PullActions are what `docker pull` of an image needs on its repository: the image manifest
// (BatchGetImage), each layer's download URL (GetDownloadUrlForLayer) and the layer check
// (BatchCheckLayerAvailability), the actions of AWS's pull-only managed policy
// (AmazonEC2ContainerRegistryPullOnly). ecr:GetAuthorizationToken, the registry login, names
// no resource type, so it can only be granted on "*" (Service Authorization Reference,
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html),
// and AWS requires it in an IAM policy before any pull
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html).
var PullActions = []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}

// InstanceRole is the IAM role and instance profile shared by both colors' instances. It
// depends on nothing color- or version-specific, so releases never touch it.
type InstanceRole struct {
	pulumi.ResourceState

	RoleARN    pulumi.StringOutput `pulumi:"roleArn"`
	RoleName   pulumi.StringOutput `pulumi:"roleName"`
	ProfileARN pulumi.StringOutput `pulumi:"profileArn"`
}

// NewInstanceRole registers the role, its policies and the instance profile.
func NewInstanceRole(ctx *pulumi.Context, name string, args *InstanceRoleArgs, opts ...pulumi.ResourceOption) (*InstanceRole, error) {
	if err := args.validate(); err != nil {
		return nil, err
	}
	ir := &InstanceRole{}
	if err := ctx.RegisterComponentResource(contract.TypeComputeInstanceRole, name, ir, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(ir)

	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Description:      pulumi.String("WAS fleet (blue and green): SSM, ECR pull, the app's log group, the app's secrets"),
		AssumeRolePolicy: pulumi.String(ec2host.AssumeRolePolicy),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: instance role: %w", err)
	}
	for _, p := range ManagedPolicies {
		if _, err := iam.NewRolePolicyAttachment(ctx, name+"-"+p.Role, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", args.Partition, p.Name),
		}, parent); err != nil {
			return nil, fmt.Errorf("compute: instance role policy %s: %w", p.Name, err)
		}
	}
	if err := args.registerPolicies(ctx, name, role.Name, parent); err != nil {
		return nil, err
	}
	profile, err := iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{
		Role: role.Name,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: instance profile: %w", err)
	}

	ir.RoleARN = role.Arn
	ir.RoleName = role.Name
	ir.ProfileARN = profile.Arn
	if err := ctx.RegisterResourceOutputs(ir, pulumi.Map{
		"roleArn":    ir.RoleARN,
		"roleName":   ir.RoleName,
		"profileArn": ir.ProfileARN,
	}); err != nil {
		return nil, err
	}
	return ir, nil
}

func (args *InstanceRoleArgs) validate() error {
	if args == nil || args.Partition == "" {
		return errors.New("compute: instance role: partition is required")
	}
	if (args.SettingsPath != "" || args.DBResourceIDs != nil) && (args.Region == "" || args.AccountID == "") {
		return errors.New("compute: instance role: region and account are required with a settings path or database instances")
	}
	if args.SettingsPath != "" && !settingsPath.MatchString(args.SettingsPath) {
		return fmt.Errorf("compute: instance role: settings path %q is not a Parameter Store path", args.SettingsPath)
	}
	if args.DBResourceIDs != nil && !mysqlUser.MatchString(args.DBUser) {
		return fmt.Errorf("compute: instance role: database user %q is not a MySQL user name (letters, digits, '_', at most 32)", args.DBUser)
	}
	return nil
}

// registerPolicies registers the role's inline policies, each only with what it grants: the
// secrets, the settings, the database connection, the repository, the uploads and the log
// group. The instance profile waits for none of them (nothing the fleet needs waits for the
// data tier's database-connection policy).
func (args *InstanceRoleArgs) registerPolicies(ctx *pulumi.Context, name string, role pulumi.StringOutput, parent pulumi.ResourceOption) error {
	inline := func(suffix, what string, policy pulumi.StringInput) error {
		if _, err := iam.NewRolePolicy(ctx, name+"-"+suffix, &iam.RolePolicyArgs{Role: role, Policy: policy}, parent); err != nil {
			return fmt.Errorf("compute: instance role %s policy: %w", what, err)
		}
		return nil
	}
	if args.ReadableSecretARNs != nil {
		if err := inline("secrets", "secrets", args.ReadableSecretARNs.ToStringArrayOutput().ApplyT(secretsPolicy).(pulumi.StringOutput)); err != nil {
			return err
		}
	}
	if args.SettingsPath != "" {
		policy, err := settingsPolicy(args.Partition, args.Region, args.AccountID, args.SettingsPath)
		if err != nil {
			return err
		}
		if err := inline("settings", "settings", pulumi.String(policy)); err != nil {
			return err
		}
	}
	if args.DBResourceIDs != nil {
		a := *args
		policy := args.DBResourceIDs.ToStringArrayOutput().ApplyT(func(ids []string) (string, error) {
			return dbConnectPolicy(a.Partition, a.Region, a.AccountID, a.DBUser, ids)
		}).(pulumi.StringOutput)
		if err := inline("db-connect", "database", policy); err != nil {
			return err
		}
	}
	if args.RepositoryARN != nil {
		if err := inline("ecr", "ECR", args.RepositoryARN.ToStringOutput().ApplyT(ecrPolicy).(pulumi.StringOutput)); err != nil {
			return err
		}
	}
	if args.Uploads != nil {
		if err := args.Uploads.register(ctx, name+"-uploads", role, parent); err != nil {
			return err
		}
	}
	if args.LogGroupARN != nil {
		return inline("logs", "logs", args.LogGroupARN.ToStringOutput().ApplyT(logsPolicy).(pulumi.StringOutput))
	}
	return nil
}

// secretsPolicy allows reading exactly the given secrets.
func secretsPolicy(arns []string) (string, error) {
	if len(arns) == 0 {
		return "", errors.New("compute: instance role: ReadableSecretARNs resolved to no ARN; pass nil for no secrets")
	}
	for _, a := range arns {
		if !strings.HasPrefix(a, "arn:") || strings.ContainsAny(a, "*?") {
			return "", fmt.Errorf("compute: instance role: readable secret %q is not a secret ARN without wildcards", a)
		}
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":      "ReadApplicationSecrets",
			"Effect":   "Allow",
			"Action":   "secretsmanager:GetSecretValue",
			"Resource": arns,
		}},
	})
	return string(b), err
}

// settingsPolicy allows reading the app's settings and nothing else of Parameter Store.
// GetParametersByPath is authorized against the path the request names, not against the
// parameters it returns (Systems Manager User Guide, "How Parameter Store authorizes
// parameter retrieval",
// https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html),
// so it is granted on exactly the path webstack-settings asks for (no trailing slash), never on
// the stack's path above it, whose recursive read would return the release-check secret
// (/<project>/<stack>/release-check). GetParameter and GetParameters, which the application
// may use to re-read a setting, are granted on the parameters under the path ("<path>/*", not
// "<path>*", which would also match "/webstack/prod/apple"). The role's
// AmazonSSMManagedInstanceCore allows ssm:GetParameter and GetParameters on "*" (AWS managed
// policy reference), which would let the application read every parameter of the account,
// the release-check secret among them (a SecureString under aws/ssm, whose key lets any
// principal of the account decrypt through Parameter Store): so the policy also denies every
// parameter read outside the app's path (an explicit Deny wins over the managed Allow).
func settingsPolicy(partition, region, accountID, path string) (string, error) {
	arn := fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", partition, region, accountID, path)
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":      "ReadApplicationSettingsByPath",
				"Effect":   "Allow",
				"Action":   "ssm:GetParametersByPath",
				"Resource": arn,
			},
			{
				"Sid":      "ReadEachApplicationSetting",
				"Effect":   "Allow",
				"Action":   []string{"ssm:GetParameter", "ssm:GetParameters"},
				"Resource": arn + "/*",
			},
			{
				"Sid":         "ReadNoOtherParameter",
				"Effect":      "Deny",
				"Action":      parameterReads,
				"NotResource": []string{arn, arn + "/*"},
			},
		},
	})
	return string(b), err
}

// parameterReads are every Parameter Store action that reads a parameter's value.
var parameterReads = []string{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"}

// mysqlUser is a MySQL user name the program accepts: at most 32 characters (MySQL 8's
// limit), none that would need quoting in an ARN or a GRANT.
var mysqlUser = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// dbResourceID is an RDS DbiResourceId ("db-" and upper-case letters and digits).
var dbResourceID = regexp.MustCompile(`^db-[A-Z0-9]+$`)

// DBConnectARN is the resource an IAM policy names to let a principal connect to one RDS
// instance as user with IAM database authentication: the instance's DbiResourceId, not its
// identifier or ARN (RDS User Guide, "Creating and using an IAM policy for IAM database access",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
func DBConnectARN(partition, region, accountID, resourceID, user string) string {
	return fmt.Sprintf("arn:%s:rds-db:%s:%s:dbuser:%s/%s", partition, region, accountID, resourceID, user)
}

// dbConnectPolicy allows connecting as user to exactly the given instances. Every replica has
// a DbiResourceId of its own, so each is listed (aws/aws-cdk#31061: a grant that named only the
// source left the replica refusing every connection). A wrong resource is not refused by IAM
// when the policy is written, only by every connection after, so it is checked here.
func dbConnectPolicy(partition, region, accountID, user string, resourceIDs []string) (string, error) {
	if len(resourceIDs) == 0 {
		return "", errors.New("compute: instance role: DBResourceIDs resolved to no instance; pass nil for no database access")
	}
	arns := make([]string, 0, len(resourceIDs))
	for _, id := range resourceIDs {
		if !dbResourceID.MatchString(id) {
			return "", fmt.Errorf("compute: instance role: %q is not an RDS DbiResourceId (db-…)", id)
		}
		arns = append(arns, DBConnectARN(partition, region, accountID, id, user))
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":      "ConnectAsTheApplicationUser",
			"Effect":   "Allow",
			"Action":   "rds-db:connect",
			"Resource": arns,
		}},
	})
	return string(b), err
}

// logsPolicy allows writing the application's output to exactly one log group: Docker's awslogs
// driver creates a stream per instance and puts events to it.
func logsPolicy(groupARN string) (string, error) {
	if !strings.HasPrefix(groupARN, "arn:") || strings.ContainsAny(groupARN, "*?") {
		return "", fmt.Errorf("compute: instance role: log group %q is not a log group ARN without wildcards", groupARN)
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid":      "WriteApplicationLogs",
			"Effect":   "Allow",
			"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Resource": []string{groupARN, groupARN + ":log-stream:*"},
		}},
	})
	return string(b), err
}

// ecrPolicy allows pulling images from exactly one repository, and the registry login that
// every pull needs.
func ecrPolicy(repositoryARN string) (string, error) {
	if !strings.HasPrefix(repositoryARN, "arn:") || !strings.Contains(repositoryARN, ":repository/") || strings.ContainsAny(repositoryARN, "*?") {
		return "", fmt.Errorf("compute: instance role: repository %q is not an ECR repository ARN without wildcards", repositoryARN)
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":      "LogInToTheRegistry",
				"Effect":   "Allow",
				"Action":   "ecr:GetAuthorizationToken",
				"Resource": "*",
			},
			{
				"Sid":      "PullTheApplicationImage",
				"Effect":   "Allow",
				"Action":   PullActions,
				"Resource": repositoryARN,
			},
		},
	})
	return string(b), err
}
