package data

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/webstack/webstack/contract"
)

// AuthTokenLength is the length of the Redis AUTH token; ElastiCache accepts 16 to 128.
const AuthTokenLength = 64

// AuthTokenSpecials are the only special characters ElastiCache allows in an AUTH token
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html lists exactly these);
// anything else is refused with "Invalid AuthToken provided.".
const AuthTokenSpecials = "!&#$^<>-"

// authToken is the generated AUTH token and the Secrets Manager secret that holds it.
type authToken struct {
	token  pulumi.StringOutput
	secret *secretsmanager.Secret
}

// newAuthToken generates the AUTH token and stores it, as the plain token string, in a
// Secrets Manager secret encrypted with the account's aws/secretsmanager key. The token is a
// secret output from the start, so the state, the plan and every log show "[secret]".
func newAuthToken(ctx *pulumi.Context, name, replicationGroupID string, opts ...pulumi.ResourceOption) (*authToken, error) {
	pw, err := random.NewRandomPassword(ctx, name+"-auth-token", &random.RandomPasswordArgs{
		Length:          pulumi.Int(AuthTokenLength),
		Special:         pulumi.Bool(true),
		OverrideSpecial: pulumi.String(AuthTokenSpecials),
		MinLower:        pulumi.Int(4),
		MinUpper:        pulumi.Int(4),
		MinNumeric:      pulumi.Int(4),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("auth token: %w", err)
	}
	secret, err := secretsmanager.NewSecret(ctx, contract.Child(name, contract.RoleAuthSecret), &secretsmanager.SecretArgs{
		Description: pulumi.Sprintf("AUTH token of the %s ElastiCache replication group", replicationGroupID),
		// Short enough that a torn-down dev stack frees it soon, long enough to undo a mistake.
		RecoveryWindowInDays: pulumi.Int(7),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("auth token secret: %w", err)
	}
	if _, err := secretsmanager.NewSecretVersion(ctx, name+"-auth-secret-version", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(pw.Result).(pulumi.StringOutput),
	}, opts...); err != nil {
		return nil, fmt.Errorf("auth token secret version: %w", err)
	}
	return &authToken{token: pulumi.ToSecret(pw.Result).(pulumi.StringOutput), secret: secret}, nil
}
