package policy

import (
	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// ACM certificate checks.
func init() {
	register(
		&Check{
			ID: "ACM.1", Title: "ACM certificates should renew automatically (DNS validation)",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeACMCertificate},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if in(r, "certificateBody") != nil {
					return bad("certificateBody is set: an imported certificate never renews")
				}
				if in(r, "certificateAuthorityArn") != nil {
					return skip("private CA certificate")
				}
				if str(in(r, "validationMethod")) != "DNS" {
					return bad("%s, want \"DNS\" so that ACM renews it without anyone", field(r, "validationMethod"))
				}
				return ok("%s", field(r, "validationMethod"))
			},
		},
		&Check{
			ID: "ACM.2", Title: "ACM RSA certificates should use at least 2048-bit keys",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeACMCertificate},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				switch str(in(r, "keyAlgorithm")) {
				case "", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1":
					return ok("%s (the default is \"RSA_2048\")", field(r, "keyAlgorithm"))
				}
				return bad("%s, want RSA_2048 or stronger", field(r, "keyAlgorithm"))
			},
		},
	)
}
