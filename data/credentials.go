package data

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/serverlessrepository"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The master password pulumi-random generates. RDS for MySQL accepts 8 to 41 printable ASCII
// characters other than '/', '"', '@' and space
// (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html,
// MasterUserPassword). MasterPasswordSpecials also leaves out the single quote, backslash,
// backtick and the other punctuation that shells, URLs and connection strings trip over.
const (
	MasterPasswordLength   = 40
	MasterPasswordSpecials = "!#$%&*()-_=+[]{}<>:?"
)

// SecretsManagerPunctuation are the punctuation characters Secrets Manager's GetRandomPassword,
// which the rotation function calls, draws from
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html,
// ExcludePunctuation).
const SecretsManagerPunctuation = `!"#$%&'()*+,-./:;<=>?@[\]^_` + "`" + `{|}~`

// RotationExcludeCharacters are the characters the rotation function must never put in a
// password: every punctuation character outside MasterPasswordSpecials, so that rotated
// passwords keep the alphabet of the first one. The function's own default (`/@"'\`, its
// EXCLUDE_CHARACTERS in lambda_function.py of aws-samples/aws-secrets-manager-rotation-lambdas)
// would let the backtick, '|', ';', '~' and the rest in after the first rotation.
var RotationExcludeCharacters = func() string {
	var b strings.Builder
	for _, c := range SecretsManagerPunctuation {
		if !strings.ContainsRune(MasterPasswordSpecials, c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}()

// RotationTemplateExcludeCharacters is the rotation template's default excludeCharacters: a
// parameter passed with its default value makes every later `up` fail (see newRotation).
const RotationTemplateExcludeCharacters = `/@"'\`

// The rotation function is AWS's MySQL single-user rotation template, deployed from the
// Serverless Application Repository. The application IDs and default versions are the ones AWS
// CDK pins for SecretRotationApplication.MYSQL_ROTATION_SINGLE_USER (aws-cdk-lib,
// aws-secretsmanager/lib/secret-rotation.ts); the template's "RotationLambdaARN" output is the
// function's ARN. Pinning a version keeps a later `up` from redeploying the function.
//
// The version decides the function's Lambda runtime, which AWS deprecates on its own schedule:
// CDK's pins have deployed runtimes past or near their end of life before (aws-cdk#26866 and
// #34168, Python 3.7 and 3.9; aws-cdk#37462, Python 3.10), and Lambda stops letting a
// deprecated runtime be created and then updated some months after its deprecation
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). So the version is
// DatabaseArgs.RotationAppVersion, which a stack can raise without a code change (the SAR's
// newest version: `aws serverlessrepo get-application --application-id <arn> --query
// Version.SemanticVersion`, aws-cdk#29531). A new version updates the CloudFormation stack and
// so the function in place: the provider's semantic_version forces no replacement (only
// application_id and name do) and applies as a change set (terraform-provider-aws,
// internal/service/serverlessrepo/cloudformation_stack.go).
const (
	RotationApplication    = "SecretsManagerRDSMySQLRotationSingleUser"
	RotationFunctionOutput = "RotationLambdaARN"
)

// rotationApplications are the application's publisher and pinned version per partition.
var rotationApplications = map[string]struct{ arn, version, dnsSuffix string }{
	"aws":        {"arn:aws:serverlessrepo:us-east-1:297356227824:applications/" + RotationApplication, "1.1.671", "amazonaws.com"},
	"aws-cn":     {"arn:aws-cn:serverlessrepo:cn-north-1:193023089310:applications/" + RotationApplication, "1.1.440", "amazonaws.com.cn"},
	"aws-us-gov": {"arn:aws-us-gov:serverlessrepo:us-gov-west-1:023102451235:applications/" + RotationApplication, "1.1.384", "amazonaws.com"},
}

// RotationApplicationARN returns the rotation application's ID in a partition, or "" where
// none is published.
func RotationApplicationARN(partition string) string {
	return rotationApplications[partition].arn
}

// PinnedRotationVersion returns the rotation application's version the program deploys in a
// partition unless DatabaseArgs.RotationAppVersion says otherwise, or "" where none is
// published.
func PinnedRotationVersion(partition string) string {
	return rotationApplications[partition].version
}

// SemanticVersion matches the versions the Serverless Application Repository publishes
// applications under: MAJOR.MINOR.PATCH, each a number without leading zeros (https://semver.org/;
// the SAR API's semanticVersion).
var SemanticVersion = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

// RotationCapabilities are what the template needs acknowledged: it creates an IAM role
// (CAPABILITY_IAM) and the Lambda permission that lets Secrets Manager invoke the function
// (CAPABILITY_RESOURCE_POLICY). Both are listed explicitly: the provider keeps what AWS
// reports, and an omitted list diffs on every `up`
// (hashicorp/terraform-provider-aws#16485).
var RotationCapabilities = []string{"CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"}

// newMasterPassword generates the writer's master password. Its keepers are everything the
// secret's JSON holds besides the password and everything that replaces the writer: when one
// of them changes, a new password goes to the (new or modified) writer and to the secret in the
// same `up`, so the two never disagree. Otherwise the password never changes after the first
// `up`: from then on the rotation function owns it.
func newMasterPassword(ctx *pulumi.Context, name string, keepers map[string]string, opts ...pulumi.ResourceOption) (*random.RandomPassword, error) {
	pw, err := random.NewRandomPassword(ctx, name+"-master-password", &random.RandomPasswordArgs{
		Length:          pulumi.Int(MasterPasswordLength),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(MasterPasswordSpecials),
		MinLower:        pulumi.Int(2),
		MinUpper:        pulumi.Int(2),
		MinNumeric:      pulumi.Int(2),
		MinSpecial:      pulumi.Int(2),
		Keepers:         pulumi.ToStringMap(keepers),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("master password: %w", err)
	}
	return pw, nil
}

// masterSecretValue is the secret's JSON in the shape AWS's MySQL rotation functions read
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html).
// SSL true makes the rotation function connect over TLS only: without the key it tries TLS and
// falls back to a plaintext connection (get_ssl_config in lambda_function.py of
// aws-samples/aws-secrets-manager-rotation-lambdas, SecretsManagerRDSMySQLRotationSingleUser),
// which the database refuses anyway (require_secure_transport). Every rotation copies the key
// into the new version.
type masterSecretValue struct {
	Engine   string `json:"engine"`
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
	DBName   string `json:"dbname"`
	SSL      bool   `json:"ssl"`
}

// newMasterSecret creates the secret that holds the master credentials. Like the AUTH token's,
// it is encrypted with the account's aws/secretsmanager key, so that the instance role needs no
// KMS permission and the rotation template needs no kmsKeyArn.
func newMasterSecret(ctx *pulumi.Context, name, identifier string, opts ...pulumi.ResourceOption) (*secretsmanager.Secret, error) {
	secret, err := secretsmanager.NewSecret(ctx, name+"-master-secret", &secretsmanager.SecretArgs{
		Description: pulumi.Sprintf("Master user credentials of the %s RDS MySQL writer (JSON: engine, host, port, username, password, dbname), rotated by Secrets Manager", identifier),
		// Short enough that a torn-down dev stack frees it soon, long enough to undo a mistake.
		RecoveryWindowInDays: pulumi.Int(7),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("master secret: %w", err)
	}
	return secret, nil
}

// newMasterSecretVersion stores the first credentials, once the writer's address is known.
//
// A rotation never shows up as drift here: Secrets Manager never changes a version, it adds
// one. The rotation function puts a new version and moves AWSCURRENT to it; this version keeps
// its value and becomes AWSPREVIOUS, then unlabelled. A refresh reads this version by its ID
// and finds it unchanged, and versionStages is left unset (the provider computes it), so the
// moved labels diff nothing. The value changes only when its inputs do, and those are the
// password's keepers: a changed value always carries a new password that the writer receives
// in the same `up`. Secrets Manager deletes unlabelled versions only beyond 100 versions
// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html); should
// it delete this one, a refresh drops it from the state and the next `up` would put the first
// password back as current (hashicorp/terraform-provider-aws#37302): docs/data.md says how to
// avoid that.
func newMasterSecretVersion(ctx *pulumi.Context, name string, secret *secretsmanager.Secret, value pulumi.StringOutput, opts ...pulumi.ResourceOption) (*secretsmanager.SecretVersion, error) {
	v, err := secretsmanager.NewSecretVersion(ctx, name+"-master-secret-version", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("master secret version: %w", err)
	}
	return v, nil
}

// secretJSON renders the secret's value. The password and therefore the result are secrets.
func secretJSON(address pulumi.StringOutput, password pulumi.StringOutput, port int, username, dbName string) pulumi.StringOutput {
	return pulumi.ToSecret(pulumi.All(address, password).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(masterSecretValue{
			Engine: "mysql", Host: v[0].(string), Port: port,
			Username: username, Password: v[1].(string), DBName: dbName, SSL: true,
		})
		return string(b), err
	})).(pulumi.StringOutput)
}

// rotationArgs place the rotation function and schedule it.
type rotationArgs struct {
	// stackName names the CloudFormation stack (AWS prefixes it with "serverlessrepo-");
	// functionName names the Lambda function. Both are unique per stack.
	stackName, functionName string
	partition, region       string
	days                    int
	// version is the rotation application's semantic version.
	version string
	// logRetentionDays is the retention of the function's log group.
	logRetentionDays int
	subnetIDs        pulumi.StringArrayInput
	securityGroupID  pulumi.StringInput
	// alertTopicARN, when set, is notified of every failed rotation of the secret.
	alertTopicARN pulumi.StringInput
	// dependsOn must be ready before the first rotation runs: the secret's first version, the
	// writer and its replicas, the network path (security group rules, routes and route
	// table associations, interface endpoints).
	dependsOn []pulumi.Resource
}

// newRotation deploys the rotation function and turns rotation on.
//
// The function runs in the app subnets, not the data subnets: it must reach both MySQL (its
// security group may connect to the database's) and the Secrets Manager API, and the data
// subnets have no route out of the VPC. The app subnets reach the API through their NAT gateway
// or, where the stack has interface endpoints (always when it has no NAT gateway), through the
// secretsmanager endpoint, which the endpoint's private DNS makes the regional host name
// resolve to. The "endpoint" parameter is therefore the regional URL either way.
//
// A parameter passed with the template's default value must be left out: CloudFormation's
// DescribeStacks does not echo it back, the provider then sees a change on every `up`, and the
// change set CloudFormation makes of it is empty, which fails the `up` (pulumi/pulumi-aws#2717,
// whose example passes the default invokingServicePrincipal; samvera/serverless-iiif#238 shows
// the mechanism; fixed upstream only in hashicorp/terraform-provider-aws#46748, after the
// provider this program pins). A value other than the default is echoed back and diffs nothing.
// That is why excludeCharacters, which differs from the template's default, may be passed.
func newRotation(ctx *pulumi.Context, name string, secret *secretsmanager.Secret, a *rotationArgs, opts ...pulumi.ResourceOption) (*secretsmanager.SecretRotation, error) {
	app := rotationApplications[a.partition]
	// Lambda would create the function's log group on its first invocation, without a
	// retention; created first, it keeps the data tier's retention.
	logs, err := newLogGroup(ctx, name+"-rotation-logs", "/aws/lambda/"+a.functionName, a.logRetentionDays, opts...)
	if err != nil {
		return nil, fmt.Errorf("rotation function: %w", err)
	}
	params := pulumi.StringMap{
		"endpoint":            pulumi.Sprintf("https://secretsmanager.%s.%s", a.region, app.dnsSuffix),
		"functionName":        pulumi.String(a.functionName),
		"vpcSubnetIds":        a.subnetIDs.ToStringArrayOutput().ApplyT(func(ids []string) string { return strings.Join(ids, ",") }).(pulumi.StringOutput),
		"vpcSecurityGroupIds": a.securityGroupID,
		"excludeCharacters":   pulumi.String(RotationExcludeCharacters),
	}
	fn, err := serverlessrepository.NewCloudFormationStack(ctx, name+"-rotation-function", &serverlessrepository.CloudFormationStackArgs{
		Name:            pulumi.String(a.stackName),
		ApplicationId:   pulumi.String(app.arn),
		SemanticVersion: pulumi.String(a.version),
		Capabilities:    pulumi.ToStringArray(RotationCapabilities),
		Parameters:      params,
	}, append(opts, pulumi.DeleteBeforeReplace(true), pulumi.DependsOn([]pulumi.Resource{logs}))...)
	if err != nil {
		return nil, fmt.Errorf("rotation function: %w", err)
	}
	deps := append([]pulumi.Resource{}, a.dependsOn...)
	if a.alertTopicARN != nil {
		alert, err := newRotationFailureAlert(ctx, name, secret, a.alertTopicARN, opts...)
		if err != nil {
			return nil, err
		}
		// The first rotation runs during this `up`: its failure must already be watched.
		deps = append(deps, alert)
	}
	rot, err := secretsmanager.NewSecretRotation(ctx, name+"-master-rotation", &secretsmanager.SecretRotationArgs{
		SecretId:          secret.ID(),
		RotationLambdaArn: fn.Outputs.MapIndex(pulumi.String(RotationFunctionOutput)),
		RotationRules: secretsmanager.SecretRotationRotationRulesArgs{
			AutomaticallyAfterDays: pulumi.Int(a.days),
		},
		// The first rotation runs right away: the generated password, which the Pulumi state
		// holds (encrypted), stops working minutes after the first `up`. The provider also
		// rotates at once whenever the schedule or the function changes (it calls
		// RotateSecret with this flag on every update): a routine rotation, see docs/data.md.
		RotateImmediately: pulumi.Bool(true),
	}, append(opts, pulumi.DependsOn(deps))...)
	if err != nil {
		return nil, fmt.Errorf("rotation: %w", err)
	}
	return rot, nil
}

// RotationFailedEventPattern returns the EventBridge pattern that matches Secrets Manager's
// RotationFailed event for one secret. Secrets Manager records a failed rotation as a CloudTrail
// service event (eventName RotationFailed, the secret's ARN in additionalEventData.SecretId),
// which CloudTrail delivers to the default event bus with detail-type "AWS Service Event via
// CloudTrail" (Secrets Manager User Guide, "AWS CloudTrail entries for Secrets Manager" and
// "Match Secrets Manager events with EventBridge"; EventBridge User Guide, "AWS service events
// delivered via AWS CloudTrail"). Every value is an array, as EventBridge requires.
func RotationFailedEventPattern(secretARN string) (string, error) {
	b, err := json.Marshal(map[string]any{
		"source":      []string{"aws.secretsmanager"},
		"detail-type": []string{"AWS Service Event via CloudTrail"},
		"detail": map[string]any{
			"eventSource":         []string{"secretsmanager.amazonaws.com"},
			"eventName":           []string{"RotationFailed"},
			"additionalEventData": map[string]any{"SecretId": []string{secretARN}},
		},
	})
	return string(b), err
}

// newRotationFailureAlert sends every failed rotation of the secret to the alert topic. A
// failed rotation otherwise leaves no trace but the function's log: the old password keeps
// working, the secret's AWSPENDING version lingers and every later rotation fails the same way.
//
// The rule fires only in an account with a CloudTrail trail that logs and covers this region:
// CloudTrail delivers events of its detail types, "AWS Service Event via
// CloudTrail" among them, to EventBridge only then ("To record events with one of the
// CloudTrail detail-type values, you must enable a CloudTrail trail with logging",
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html).
// The program creates no trail (an account has one, usually an organization's), so the
// rotation function's Errors alarm (rotationAlarms), which needs none, watches too.
// The target takes no role: for SNS, EventBridge uses the topic's policy, and a role can make
// delivery to an encrypted topic fail (EventBridge User Guide, "Using resource-based policies
// for Amazon EventBridge"). The topic's policy and key policy must let events.amazonaws.com
// publish (package monitoring does).
func newRotationFailureAlert(ctx *pulumi.Context, name string, secret *secretsmanager.Secret, topicARN pulumi.StringInput, opts ...pulumi.ResourceOption) (*cloudwatch.EventTarget, error) {
	rule, err := cloudwatch.NewEventRule(ctx, name+"-rotation-failed", &cloudwatch.EventRuleArgs{
		Description:  pulumi.String("A Secrets Manager rotation of the database master secret failed"),
		EventPattern: secret.Arn.ApplyT(RotationFailedEventPattern).(pulumi.StringOutput),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("rotation failure rule: %w", err)
	}
	target, err := cloudwatch.NewEventTarget(ctx, name+"-rotation-failed-alert", &cloudwatch.EventTargetArgs{
		Rule: rule.Name,
		Arn:  topicARN,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("rotation failure alert: %w", err)
	}
	return target, nil
}

// newPasswordRotation registers the master password's rotation, and with an alert topic the
// rotation function's alarms. The first rotation runs during the first `up`; it waits for the
// secret's first version, the writer and the replicas too, so that the password never changes
// while RDS is still creating one from the writer.
func (b *dbBuilder) newPasswordRotation(secret *secretsmanager.Secret, version *secretsmanager.SecretVersion, writer *rds.Instance, readers []*rds.Instance) error {
	a := b.args
	rotDeps := append([]pulumi.Resource{version, writer}, a.RotationDependsOn...)
	for _, r := range readers {
		rotDeps = append(rotDeps, r)
	}
	functionName := a.Identifier + "-rotation"
	if a.Alarms.TopicARN != nil {
		set, err := rotationAlarms(b.ctx, b.name+"-rotation", functionName, a.Alarms.TopicARN, b.parent)
		if err != nil {
			return fmt.Errorf("data: database rotation: alarms: %w", err)
		}
		b.db.Alarms = append(b.db.Alarms, set...)
		// The first rotation runs during this `up`: its failure must already be watched.
		for _, al := range set {
			rotDeps = append(rotDeps, al)
		}
	}
	if _, err := newRotation(b.ctx, b.name, secret, &rotationArgs{
		stackName:        a.Identifier + "-rotation",
		functionName:     functionName,
		partition:        a.Partition,
		region:           a.Region,
		version:          a.RotationAppVersion,
		days:             a.PasswordRotationDays,
		logRetentionDays: a.LogRetentionDays,
		subnetIDs:        a.RotationSubnetIDs,
		securityGroupID:  a.RotationSecurityGroupID,
		alertTopicARN:    a.EventTopicARN,
		dependsOn:        rotDeps,
	}, b.parent); err != nil {
		return fmt.Errorf("data: database: %w", err)
	}
	return nil
}
