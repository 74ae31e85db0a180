package mockaws

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/webstack/webstack/contract"
)

// Parameter Store's limits on a parameter (Systems Manager User Guide, "Managing parameter
// tiers" and "Requirements and constraints for parameter names").
const (
	// ssmStandardValueMax and ssmAdvancedValueMax are the longest values of a Standard and an
	// Advanced parameter, in characters.
	ssmStandardValueMax = 4096
	ssmAdvancedValueMax = 8192
	// ssmMaxLevels is the deepest hierarchy a parameter name may have.
	ssmMaxLevels = 15
)

// parameterValue returns the value the provider sends (insecureValue when it is not "",
// value otherwise, with its secret wrapper removed) and whether it is known: a rule judges only
// a value it can see.
func parameterValue(r *Resource) (string, bool) {
	for _, k := range []string{"insecureValue", "value"} {
		v, ok := r.Inputs[resource.PropertyKey(k)]
		if !ok || v.IsNull() {
			continue
		}
		u, known := unwrap(v)
		if !known {
			return "", false
		}
		if u.IsString() && (u.StringValue() != "" || k == "value") {
			return u.StringValue(), true
		}
	}
	return "", true
}

// settingsRules are the AWS rules of Parameter Store parameters beyond their names' characters
// (ssm/parameter-name, rules_compute.go): the app's settings make one parameter per setting.
var settingsRules = []Rule{
	// ssm/parameter-value-empty: a parameter's value is at least one character. The provider
	// sends insecureValue when it is not "" and value otherwise (terraform-provider-aws
	// internal/service/ssm/parameter.go, resourceParameterCreate), so an empty setting reaches
	// PutParameter as an empty Value, which AWS refuses: `ValidationException: 1 validation
	// error detected: Value '' at 'value' failed to satisfy constraint: Member must have length
	// greater than or equal to 1.` (the text as moto's test_put_parameter_empty_string_value
	// copies AWS's answer: an emulator's copy, not AWS's page; the provider's
	// ExactlyOneOf(insecure_value, value) may refuse an empty insecure_value even earlier,
	// either way the create fails).
	{
		ID: "ssm/parameter-value-empty", Type: contract.TypeSSMParameter,
		Source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
		Create: func(e *Engine, r *Resource) error {
			if v, known := parameterValue(r); known && v == "" {
				return apiErr("creating SSM Parameter ("+r.inStr("name")+")", "SSM: PutParameter", "ValidationException",
					"1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.")
			}
			return nil
		},
	},
	// ssm/parameter-value-size: a Standard parameter's value is at most 4,096 characters, an
	// Advanced one's 8,192. AWS: `ValidationException: Standard tier parameters support a
	// maximum parameter value of 4096 characters. To create a larger parameter value, upgrade
	// the parameter to use the advanced-parameter tier. For more information, see
	// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`
	// (Systems Manager User Guide, "Managing parameter tiers"; the text as real accounts
	// answer it, quoted in deployment logs). The provider's tier defaults to Standard.
	{
		ID: "ssm/parameter-value-size", Type: contract.TypeSSMParameter,
		Source: "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html",
		Create: func(e *Engine, r *Resource) error {
			v, known := parameterValue(r)
			if !known {
				return nil
			}
			op := "creating SSM Parameter (" + r.inStr("name") + ")"
			switch tier := r.inStr("tier"); {
			case (tier == "" || tier == "Standard") && len(v) > ssmStandardValueMax:
				return apiErr(op, "SSM: PutParameter", "ValidationException",
					"Standard tier parameters support a maximum parameter value of %d characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html", ssmStandardValueMax)
			case len(v) > ssmAdvancedValueMax:
				return apiErr(op, "SSM: PutParameter", "ValidationException",
					"1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to %d", ssmAdvancedValueMax)
			}
			return nil
		},
	},
	// ssm/parameter-levels: a parameter name has at most 15 levels of hierarchy. AWS:
	// `HierarchyLevelLimitExceededException: A hierarchy can have a maximum of 15 levels. For
	// more information, see Requirements and constraints for parameter names in the Amazon Web
	// Services Systems Manager User Guide.` (PutParameter API reference, Errors).
	{
		ID: "ssm/parameter-levels", Type: contract.TypeSSMParameter,
		Source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
		Create: func(e *Engine, r *Resource) error {
			name := r.inStr("name")
			if levels := len(strings.Split(strings.Trim(name, "/"), "/")); name != "" && levels > ssmMaxLevels {
				return apiErr("creating SSM Parameter ("+name+")", "SSM: PutParameter", "HierarchyLevelLimitExceededException",
					"A hierarchy can have a maximum of %d levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.", ssmMaxLevels)
			}
			return nil
		},
	},
	// ssm/parameter-unique: a name is one parameter per account and region. The provider creates
	// with Overwrite false (shouldUpdateParameter: a new resource never overwrites), so a second
	// parameter of the same name, from this stack or another in the account, fails:
	// `ParameterAlreadyExists: The parameter already exists. To overwrite this value, set the
	// overwrite option in the request to true.` (PutParameter API reference, Errors,
	// ParameterAlreadyExists; pulumi-aws ssm.ParameterArgs.Overwrite). Names are
	// case-sensitive.
	{
		ID: "ssm/parameter-unique", Type: contract.TypeSSMParameter,
		Source: "https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html",
		Create: func(e *Engine, r *Resource) error {
			name := r.inStr("name")
			if name == "" || r.inBool("overwrite") {
				return nil
			}
			others := e.Registered(contract.TypeSSMParameter, func(o *Resource) bool { return o.URN != r.URN && o.inStr("name") == name })
			if len(others) > 0 {
				return apiErr("creating SSM Parameter ("+name+")", "SSM: PutParameter", "ParameterAlreadyExists",
					"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
			}
			return nil
		},
	},
	// ssm/parameter-insecure-secure-string: insecureValue is for String and StringList
	// parameters; the provider refuses it with SecureString, after PutParameter, when it reads
	// the parameter back: `invalid configuration, cannot set type = SecureString and
	// insecure_value` (terraform-provider-aws internal/service/ssm/parameter.go,
	// resourceParameterRead; pulumi-aws ssm.ParameterArgs.InsecureValue: "Not valid with a
	// type of SecureString").
	{
		ID: "ssm/parameter-insecure-secure-string", Type: contract.TypeSSMParameter,
		Source: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ssm/parameter.go",
		Create: func(e *Engine, r *Resource) error {
			if r.inStr("type") == "SecureString" && r.has("insecureValue") {
				return providerErr("reading SSM Parameter (%s): invalid configuration, cannot set type = %s and insecure_value", r.inStr("name"), "SecureString")
			}
			return nil
		},
	},
}
