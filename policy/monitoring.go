package policy

import (
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Monitoring checks: alarms that notify, the alert topic's encryption and policy, log retention.
func init() {
	register(
		&Check{
			ID: "CloudWatch.15", Title: "CloudWatch alarms should have an action for the ALARM state",
			Severity: High, Scope: AllStacks, Standard: NIST, Types: []string{contract.TypeCloudWatchMetricAlarm},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if len(list(in(r, "alarmActions"))) == 0 {
					return bad("%s: nobody is told when it fires", field(r, "alarmActions"))
				}
				return ok("%s", field(r, "alarmActions"))
			},
		},
		&Check{
			ID: "CloudWatch.17", Title: "CloudWatch alarm actions should be activated",
			Severity: High, Scope: AllStacks, Standard: NIST, Types: []string{contract.TypeCloudWatchMetricAlarm},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isFalse(in(r, "actionsEnabled")) {
					return bad("%s, want true", field(r, "actionsEnabled"))
				}
				return ok("%s (the default is true)", field(r, "actionsEnabled"))
			},
		},
		&Check{
			ID: "CloudWatch.16", Title: "CloudWatch log groups should be retained for at least a year",
			Severity: Medium, Scope: ProductionOnly, Standard: NIST, Types: []string{contract.TypeCloudWatchLogGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				n, set := num(in(r, "retentionInDays"))
				if !set || n == 0 {
					return bad("retentionInDays is %s: logs would be kept forever; webstack wants an explicit retention of at least 365", show(in(r, "retentionInDays")))
				}
				if n < 365 {
					return bad("%s, want at least 365", field(r, "retentionInDays"))
				}
				return ok("%s", field(r, "retentionInDays"))
			},
		},
		&Check{
			ID: "SNS.1", Title: "SNS topics should be encrypted at rest with a customer-managed KMS key",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeSNSTopic},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				k := str(in(r, "kmsMasterKeyId"))
				if k == "" {
					return bad("%s", field(r, "kmsMasterKeyId"))
				}
				if strings.HasSuffix(k, "alias/aws/sns") {
					return bad("%s: CloudWatch cannot publish to a topic under the AWS managed key; use a kms.Key whose policy allows cloudwatch.amazonaws.com", field(r, "kmsMasterKeyId"))
				}
				return ok("encrypted with a customer-managed key")
			},
		},
		&Check{
			ID: "SNS.4", Title: "SNS topic policies should not allow public access",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeSNSTopicPolicy, contract.TypeSNSTopic},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				p := in(r, "policy")
				if p == nil {
					return skip("no policy")
				}
				if !known(p) {
					return skip("policy unknown until apply")
				}
				sts, err := parsePolicy(p)
				if err != nil {
					return bad("%v", err)
				}
				for i, st := range sts {
					if st.Effect == "Allow" && st.publicPrincipal() && len(st.Condition) == 0 {
						return bad("policy %s allows Principal \"*\" %s without a condition", st.describe(i), show(st.Action))
					}
				}
				return ok("no unconditioned public grant")
			},
		},
	)
}
