package policy

import (
	"regexp"
	"strconv"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Resource types of the Secrets Manager checks.
const (
	tSecret         = contract.TypeSecretsManagerSecret
	tSecretRotation = contract.TypeSecretsManagerSecretRotation
)

// maxDaysSinceRotation is SecretsManager.4's default parameter: a secret must rotate at least
// every 90 days.
const maxDaysSinceRotation = 90

var rateDays = regexp.MustCompile(`^rate\(([0-9]+) days?\)$`)

// Secrets Manager checks: every secret the stack owns rotates automatically, often enough.
func init() {
	register(
		&Check{
			ID: "SecretsManager.1", Title: "Secrets Manager secrets should have automatic rotation enabled",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{tSecret},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				rot := secretRotation(s, r)
				if rot == nil {
					return bad("no %s names this secret in secretId: it never rotates", tSecretRotation)
				}
				if str(in(rot, "rotationLambdaArn")) == "" {
					return bad("%s has no rotationLambdaArn: Secrets Manager cannot rotate a secret it does not manage without a rotation function", rot.Name)
				}
				return ok("rotated by %s (%s)", rot.Name, show(in(rot, "rotationLambdaArn")))
			},
		},
		&Check{
			ID: "SecretsManager.4", Title: "Secrets Manager secrets should be rotated within 90 days",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{tSecret},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				rot := secretRotation(s, r)
				if rot == nil {
					return bad("no %s names this secret in secretId: it is never rotated", tSecretRotation)
				}
				days, set := num(in(rot, "rotationRules.automaticallyAfterDays"))
				if !set {
					m := rateDays.FindStringSubmatch(str(in(rot, "rotationRules.scheduleExpression")))
					if m == nil {
						return skip("rotation schedule %s is not judged", show(in(rot, "rotationRules.scheduleExpression")))
					}
					n, _ := strconv.Atoi(m[1])
					days = float64(n)
				}
				if days > maxDaysSinceRotation {
					return bad("%s rotates every %d days, want at most %d", rot.Name, int(days), maxDaysSinceRotation)
				}
				return ok("%s rotates every %d days", rot.Name, int(days))
			},
		},
	)
}

// secretRotation returns the rotation that names a secret, or nil.
func secretRotation(s *Stack, secret *mockaws.Resource) *mockaws.Resource {
	if rs := s.Referring(secret, tSecretRotation, "secretId"); len(rs) > 0 {
		return rs[0]
	}
	return nil
}
