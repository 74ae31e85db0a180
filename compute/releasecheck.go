package compute

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ReleaseCheckHeader is the request header that reaches the idle color through CloudFront and
// the production listener: a request carrying the stack's release-check secret in it (and
// CloudFront's origin header, so only through CloudFront) is forwarded to the idle color's test
// target group. The release tool smoke-tests a new version this way from anywhere, a CI runner
// with no stable address included, on the same path production checks use, and its traffic
// never counts on a production target group's alarms.
const ReleaseCheckHeader = "X-Webstack-Release-Check"

// ReleaseCheckRulePriority is the priority of the production listener's release-check rule:
// before the origin rule, which forwards everything else CloudFront sends to the live color.
const ReleaseCheckRulePriority = 5

// releaseCheck is the release-check secret: its value, and the SSM parameter that holds it for
// the release tool.
type releaseCheck struct {
	value     pulumi.StringOutput
	parameter *ssm.Parameter
}

// newReleaseCheck generates the release-check secret (letters and digits: it travels in a
// header and in a listener rule condition, where * and ? are wildcards) and stores it as a
// SecureString parameter under /<project>/<stack>/, encrypted with the account's aws/ssm key.
// The value is a Pulumi secret from the start. Replace the random password to rotate it.
func newReleaseCheck(ctx *pulumi.Context, name string, opts ...pulumi.ResourceOption) (*releaseCheck, error) {
	pw, err := random.NewRandomPassword(ctx, name+"-release-check", &random.RandomPasswordArgs{
		Length:  pulumi.Int(48),
		Special: pulumi.Bool(false),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("release-check secret: %w", err)
	}
	value := pulumi.ToSecret(pw.Result).(pulumi.StringOutput)
	param, err := ssm.NewParameter(ctx, name+"-release-check-param", &ssm.ParameterArgs{
		Name:        pulumi.Sprintf("/%s/%s/release-check", ctx.Project(), ctx.Stack()),
		Description: pulumi.String("The header value that routes a request through CloudFront to the idle color (webstack cmd/deploy)"),
		Type:        pulumi.String("SecureString"),
		Tier:        pulumi.String("Standard"),
		Value:       value,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("release-check parameter: %w", err)
	}
	return &releaseCheck{value: value, parameter: param}, nil
}
