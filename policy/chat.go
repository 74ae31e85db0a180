package policy

import (
	"slices"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// supportedLambdaRuntimes are the Lambda runtimes Lambda.2 accepts: those not deprecated by
// late 2026 (Lambda Developer Guide, "Lambda runtimes", supported runtimes table).
var supportedLambdaRuntimes = []string{
	"nodejs22.x", "nodejs24.x", "python3.12", "python3.13", "python3.14", "java11", "java17", "java21", "java25",
	"dotnet8", "dotnet10", "ruby3.3", "ruby3.4", "provided.al2", "provided.al2023",
}

// Checks of what posts alerts to chat: the Chatbot channel's guardrail, the webhook function's
// runtime, who may invoke it, and its failure queue's encryption.
func init() {
	register(
		&Check{
			ID: "webstack/chatbot-guardrail", Title: "Chatbot channel configurations should have a read-only guardrail",
			Severity: High, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeChatbotSlackChannelConfiguration},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				arns := strs(in(r, "guardrailPolicyArns"))
				if len(arns) == 0 {
					return bad("guardrailPolicyArns is not set: Chatbot applies AdministratorAccess, so anyone in the channel may act on the account through the role; set arn:aws:iam::aws:policy/ReadOnlyAccess")
				}
				for _, a := range arns {
					if !strings.HasSuffix(a, ":iam::aws:policy/ReadOnlyAccess") {
						return bad("guardrailPolicyArns holds %s: the guardrail should be ReadOnlyAccess only", a)
					}
				}
				return ok("%s", field(r, "guardrailPolicyArns"))
			},
		},
		&Check{
			ID: "Lambda.1", Title: "Lambda function policies should prohibit public access",
			Severity: Critical, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeLambdaPermission},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				principal := str(in(r, "principal"))
				switch {
				case principal == "*":
					return bad("principal is \"*\": anyone may invoke the function")
				case strings.HasSuffix(principal, ".amazonaws.com") && str(in(r, "sourceArn")) == "" && str(in(r, "sourceAccount")) == "":
					return bad("principal is %q without sourceArn or sourceAccount: any account's %s resource may invoke the function (confused deputy)", principal, strings.TrimSuffix(principal, ".amazonaws.com"))
				}
				return ok("%s, %s", field(r, "principal"), field(r, "sourceArn"))
			},
		},
		&Check{
			ID: "Lambda.2", Title: "Lambda functions should use supported runtimes",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeLambdaFunction},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				rt := str(in(r, "runtime"))
				if rt == "" {
					return skip("no runtime (a container image function)")
				}
				if !slices.Contains(supportedLambdaRuntimes, rt) {
					return bad("runtime is %q, which Lambda no longer supports (or soon will not)", rt)
				}
				return ok("%s", field(r, "runtime"))
			},
		},
		&Check{
			ID: "SQS.1", Title: "Amazon SQS queues should be encrypted at rest",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeSQSQueue},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if str(in(r, "kmsMasterKeyId")) != "" {
					return ok("%s", field(r, "kmsMasterKeyId"))
				}
				if isFalse(in(r, "sqsManagedSseEnabled")) {
					return bad("sqsManagedSseEnabled is false and no kmsMasterKeyId is set: messages are stored unencrypted")
				}
				if !isTrue(in(r, "sqsManagedSseEnabled")) {
					return bad("neither sqsManagedSseEnabled nor kmsMasterKeyId is set: set sqsManagedSseEnabled explicitly")
				}
				return ok("%s", field(r, "sqsManagedSseEnabled"))
			},
		},
	)
}
