package mockaws

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// setting registers String parameters with the given names, each with value, in tier (""
// leaves the provider's default).
func setting(value, tier string, names ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		for i, name := range names {
			args := &ssm.ParameterArgs{Name: pulumi.String(name), Type: pulumi.String("String"), InsecureValue: pulumi.String(value)}
			if tier != "" {
				args.Tier = pulumi.String(tier)
			}
			if _, err := ssm.NewParameter(ctx, "param-"+string(rune('a'+i)), args); err != nil {
				return err
			}
		}
		return nil
	}
}

func secureWithInsecureValue(ctx *pulumi.Context) error {
	_, err := ssm.NewParameter(ctx, "param", &ssm.ParameterArgs{Name: pulumi.String("/webstack/prod/app/X"), Type: pulumi.String("SecureString"), InsecureValue: pulumi.String("x")})
	return err
}

var settingsRuleTests = []ruleTest{
	{rule: "ssm/parameter-value-empty", want: "ValidationException: 1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
		refused: setting("", "Standard", "/webstack/prod/app/FEATURE_X"), allowed: setting("on", "Standard", "/webstack/prod/app/FEATURE_X")},
	{rule: "ssm/parameter-value-size", name: "standard", want: "ValidationException: Standard tier parameters support a maximum parameter value of 4096 characters",
		refused: setting(strings.Repeat("x", 4097), "Standard", "/webstack/prod/app/BIG"), allowed: setting(strings.Repeat("x", 4096), "Standard", "/webstack/prod/app/BIG")},
	{rule: "ssm/parameter-value-size", name: "default tier", want: "Standard tier parameters support a maximum parameter value of 4096 characters",
		refused: setting(strings.Repeat("x", 4097), "", "/webstack/prod/app/BIG"), allowed: setting(strings.Repeat("x", 4097), "Advanced", "/webstack/prod/app/BIG")},
	{rule: "ssm/parameter-value-size", name: "advanced", want: "Member must have length less than or equal to 8192",
		refused: setting(strings.Repeat("x", 8193), "Advanced", "/webstack/prod/app/BIG")},
	{rule: "ssm/parameter-levels", want: "HierarchyLevelLimitExceededException: A hierarchy can have a maximum of 15 levels",
		refused: setting("x", "", "/"+strings.Repeat("a/", 15)+"b"), allowed: setting("x", "", "/"+strings.Repeat("a/", 14)+"b")},
	{rule: "ssm/parameter-unique", want: "ParameterAlreadyExists: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
		refused: setting("x", "", "/webstack/prod/app/A", "/webstack/prod/app/A"), allowed: setting("x", "", "/webstack/prod/app/A", "/webstack/prod/app/a")},
	{rule: "ssm/parameter-insecure-secure-string", want: "invalid configuration, cannot set type = SecureString and insecure_value",
		refused: secureWithInsecureValue, allowed: setting("x", "", "/webstack/prod/app/X")},
}
