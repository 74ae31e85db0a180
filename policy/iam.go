package policy

import (
	"fmt"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// IAM policy checks: no administrator access, no wildcard service actions.
func init() {
	register(
		&Check{
			ID: "IAM.1", Title: "IAM policies should not allow full \"*:*\" administrative privileges",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeIAMPolicy, contract.TypeIAMRolePolicy, contract.TypeIAMRole, contract.TypeIAMRolePolicyAttachment},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if r.Type == contract.TypeIAMRolePolicyAttachment {
					if arn := str(in(r, "policyArn")); strings.HasSuffix(arn, ":policy/AdministratorAccess") {
						return bad("%s", field(r, "policyArn"))
					}
					return ok("%s", field(r, "policyArn"))
				}
				return judgePolicies(r, func(where string, i int, st statement) string {
					if st.Effect == "Allow" && contains(st.Action, "*") && contains(st.Resource, "*") {
						return fmt.Sprintf("%s %s allows Action \"*\" on Resource \"*\"", where, st.describe(i))
					}
					return ""
				})
			},
		},
		&Check{
			ID: "IAM.21", Title: "IAM policies should not allow wildcard actions for a service (\"svc:*\")",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeIAMPolicy, contract.TypeIAMRolePolicy, contract.TypeIAMRole},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				return judgePolicies(r, func(where string, i int, st statement) string {
					if st.Effect != "Allow" {
						return ""
					}
					for _, a := range st.Action {
						if a == "*" || strings.HasSuffix(a, ":*") {
							return fmt.Sprintf("%s %s allows %q", where, st.describe(i), a)
						}
					}
					return ""
				})
			},
		},
	)
}

// judgePolicies applies judge to every permission statement of a policy, role policy or role
// (inline policies; a role's trust policy is not a permission policy).
func judgePolicies(r *mockaws.Resource, judge func(where string, i int, st statement) string) Verdict {
	type doc struct {
		where string
		v     any
	}
	var docs []doc
	switch r.Type {
	case contract.TypeIAMPolicy, contract.TypeIAMRolePolicy:
		docs = append(docs, doc{"policy", in(r, "policy")})
	case contract.TypeIAMRole:
		for i, p := range list(in(r, "inlinePolicies")) {
			docs = append(docs, doc{fmt.Sprintf("inlinePolicies[%d].policy", i), obj(p)["policy"]})
		}
		if len(docs) == 0 {
			return skip("no inline policy")
		}
	}
	for _, d := range docs {
		if !known(d.v) {
			return skip("policy unknown until apply")
		}
		sts, err := parsePolicy(d.v)
		if err != nil {
			return bad("%s: %v", d.where, err)
		}
		for i, st := range sts {
			if msg := judge(d.where, i, st); msg != "" {
				return bad("%s", msg)
			}
		}
	}
	return ok("no statement grants it")
}
