package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// dbConnectARN is the resource of rds-db:connect: an instance's DbiResourceId and a user
// (RDS User Guide, "Creating and using an IAM policy for IAM database access",
// https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
var dbConnectARN = regexp.MustCompile(`^arn:aws[a-z-]*:rds-db:[a-z0-9-]+:[0-9]{12}:dbuser:(db-[A-Z0-9]+)/([A-Za-z0-9_]+)$`)

// IAM database authentication: whom a policy lets connect, and to which instances.
func init() {
	register(&Check{
		ID: "webstack/rds-iam-connect", Title: "rds-db:connect should name each IAM-enabled instance's DbiResourceId and the application's own user, never the master user or a wildcard",
		Severity: Medium, Scope: AllStacks, Standard: Webstack, Types: []string{contract.TypeIAMRolePolicy, contract.TypeIAMPolicy},
		Eval: func(s *Stack, r *mockaws.Resource) Verdict {
			if !known(in(r, "policy")) {
				return skip("policy unknown until apply")
			}
			sts, err := parsePolicy(in(r, "policy"))
			if err != nil {
				return bad("policy: %v", err)
			}
			granted := map[string][]string{} // user -> resource IDs
			found := false
			for i, st := range sts {
				if st.Effect != "Allow" || !slices.ContainsFunc(st.Action, func(a string) bool { return strings.EqualFold(a, "rds-db:connect") }) {
					continue
				}
				found = true
				for _, res := range st.Resource {
					m := dbConnectARN.FindStringSubmatch(res)
					if m == nil {
						// A wildcard, an identifier or an instance ARN: IAM accepts the policy,
						// and then either too many connections are allowed, or none is.
						return bad("policy %s names %q: rds-db:connect needs arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>, one per instance, no wildcard",
							st.describe(i), res)
					}
					granted[m[2]] = append(granted[m[2]], m[1])
				}
			}
			if !found {
				return skip("no rds-db:connect")
			}
			var masters []string
			for _, db := range s.ByType(contract.TypeRDSInstance) {
				if u := str(in(db, "username")); u != "" {
					masters = append(masters, u)
				}
			}
			var users []string
			for user, ids := range granted {
				if slices.Contains(masters, user) {
					return bad("rds-db:connect as %q, the database's master user: the application connects as a user of its own with only the grants it needs", user)
				}
				for _, db := range s.ByType(contract.TypeRDSInstance) {
					if !isTrue(in(db, "iamDatabaseAuthenticationEnabled")) {
						continue
					}
					id := str(db.Output("resourceId"))
					if id != "" && !slices.Contains(ids, id) {
						// Each replica has a DbiResourceId of its own (aws/aws-cdk#31061).
						return bad("rds-db:connect as %q does not name %s's DbiResourceId %s: connections to it are refused", user, db.Name, id)
					}
				}
				users = append(users, user)
			}
			slices.Sort(users)
			return ok("%s", fmt.Sprintf("rds-db:connect as %s on every IAM-enabled instance by DbiResourceId", strings.Join(users, ", ")))
		},
	})
}
