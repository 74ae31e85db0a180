package policy

import (
	"testing"

	"github.com/webstack/webstack/contract"
)

// brokenDB returns the compliant fixture with the primary database unprotected (RDS.8 fails:
// a production-only check) and IAM authentication off (RDS.10 fails: an every-stack check).
func brokenDB(t *testing.T) []*fx {
	fxs := compliant()
	set(t, fxs, "db", "deletionProtection", false)
	set(t, fxs, "db", "iamDatabaseAuthenticationEnabled", false)
	return fxs
}

func find(rep *Report, check, name string) Result {
	for _, r := range rep.Results {
		if r.Check.ID == check && r.Name == name {
			return r
		}
	}
	return Result{}
}

func TestExceptions(t *testing.T) {
	const rds8 = "db (aws:rds/instance:Instance): deletionProtection is false, want true"
	const rds10 = "db (aws:rds/instance:Instance): iamDatabaseAuthenticationEnabled is false, want true"
	tests := []struct {
		name     string
		opts     contract.CheckOptions
		check    string
		status   Status
		key, msg string
	}{
		{"production fails a production-only check", contract.CheckOptions{Profile: contract.Production}, "RDS.8", Failed, "", rds8},
		{"empty profile is production", contract.CheckOptions{}, "RDS.8", Failed, "", rds8},
		{"nonproduction excepts a production-only check", contract.CheckOptions{Profile: contract.NonProduction}, "RDS.8", Exception, contract.ProfileKey,
			rds8 + " (required in production only; this stack's profile is nonproduction)"},
		{"nonproduction still fails an every-stack check", contract.CheckOptions{Profile: contract.NonProduction}, "RDS.10", Failed, "", rds10},
		{"a waiver excepts any check", contract.CheckOptions{Waivers: map[string]string{"RDS.10": "app connects with a password until #42"}}, "RDS.10", Exception,
			"webstack:checks.waive.RDS.10", rds10 + " (waived: app connects with a password until #42)"},
		{"a tier key excepts its check", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.8", Key: "webstack:database.deletionProtection"}}}, "RDS.8", Exception,
			"webstack:database.deletionProtection", rds8 + " (relaxed by webstack:database.deletionProtection)"},
		{"a tier key wins over the profile", contract.CheckOptions{Profile: contract.NonProduction, Exceptions: []contract.Relaxation{{Check: "RDS.8", Type: contract.TypeRDSInstance, Key: "webstack:database.deletionProtection"}}}, "RDS.8", Exception,
			"webstack:database.deletionProtection", rds8 + " (relaxed by webstack:database.deletionProtection)"},
		{"a tier key for another type does not apply", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.8", Type: contract.TypeElastiCacheReplicationGroup, Key: "webstack:cache.x"}}}, "RDS.8", Failed, "", rds8},
		{"a tier key for another resource does not apply", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.8", Name: "db-replica", Key: "webstack:database.x"}}}, "RDS.8", Failed, "", rds8},
		{"a tier key for resources of a name prefix applies", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.8", NamePrefix: "d", Key: "webstack:database.x"}}}, "RDS.8", Exception,
			"webstack:database.x", rds8 + " (relaxed by webstack:database.x)"},
		{"a tier key for another name prefix does not apply", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.8", NamePrefix: "db-", Key: "webstack:database.x"}}}, "RDS.8", Failed, "", rds8},
		{"a tier key for another check does not apply", contract.CheckOptions{Exceptions: []contract.Relaxation{{Check: "RDS.5", Key: "webstack:database.multiAz"}}}, "RDS.8", Failed, "", rds8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Evaluate(result(t, brokenDB(t)), tt.opts)
			r := find(rep, tt.check, "db")
			if r.Status != tt.status || r.Exception != tt.key || r.Message != tt.msg {
				t.Errorf("%s on db with %+v:\n got %s %q %s\nwant %s %q %s", tt.check, tt.opts, r.Status, r.Exception, r.Message, tt.status, tt.key, tt.msg)
			}
		})
	}
}

func TestPassingCheckIgnoresRelaxations(t *testing.T) {
	rep := Evaluate(result(t, compliant()), contract.CheckOptions{Profile: contract.NonProduction, Waivers: map[string]string{"RDS.8": "x"},
		Exceptions: []contract.Relaxation{{Check: "RDS.8", Key: "webstack:database.deletionProtection"}}})
	if r := find(rep, "RDS.8", "db"); r.Status != Passed || r.Exception != "" {
		t.Errorf("RDS.8 on a protected db with relaxations: got %s %q, want passed with no exception", r.Status, r.Exception)
	}
}

func TestNotApplicable(t *testing.T) {
	// Only a VPC: the RDS checks judge nothing, and a read replica alone is skipped by RDS.5.
	fxs := []*fx{
		{typ: contract.TypeEC2VPC, name: "vpc", id: "vpc-1", in: map[string]any{}},
		{typ: contract.TypeRDSInstance, name: "replica", in: map[string]any{"replicateSourceDb": "elsewhere", "multiAz": false}},
	}
	rep := Evaluate(result(t, fxs), contract.CheckOptions{})
	na := map[string]bool{}
	for _, id := range rep.NotApplicable {
		na[id] = true
	}
	for _, id := range []string{"RDS.5", "RDS.11", "CloudFront.1", "ElastiCache.1", "S3.8"} {
		if !na[id] {
			t.Errorf("%s should be not applicable, NotApplicable = %v", id, rep.NotApplicable)
		}
	}
	for _, id := range []string{"EC2.2", "RDS.2"} {
		if na[id] {
			t.Errorf("%s judged a resource but is listed not applicable", id)
		}
	}
	for _, r := range rep.Results {
		if na[r.Check.ID] {
			t.Errorf("not-applicable check %s has a result: %s", r.Check.ID, r.Message)
		}
	}
	passed, failed, exceptions := rep.Counts()
	if passed+failed+exceptions != len(rep.Results) || !rep.Failed() {
		t.Errorf("counts %d/%d/%d of %d results, Failed()=%v", passed, failed, exceptions, len(rep.Results), rep.Failed())
	}
}

func TestResultOrder(t *testing.T) {
	rep := Evaluate(result(t, compliant()), contract.CheckOptions{})
	for i := 1; i < len(rep.Results); i++ {
		a, b := rep.Results[i-1], rep.Results[i]
		if Less(b.Check.ID, a.Check.ID) || (a.Check.ID == b.Check.ID && b.Resource < a.Resource) {
			t.Fatalf("results out of order: %s %s before %s %s", a.Check.ID, a.Resource, b.Check.ID, b.Resource)
		}
	}
	for _, tt := range []struct{ a, b string }{{"EC2.2", "EC2.10"}, {"EC2.19", "EC2.170"}, {"ELB.6", "ELB.12"}, {"RDS.9", "RDS.10"}, {"EC2.8", "EC2.8x"}} {
		if !Less(tt.a, tt.b) || Less(tt.b, tt.a) {
			t.Errorf("Less(%q, %q) should order %q first", tt.a, tt.b, tt.a)
		}
	}
}

func TestCatalog(t *testing.T) {
	if n := len(Checks()); n < 30 {
		t.Errorf("%d checks, want at least 30", n)
	}
	for _, c := range Checks() {
		if c.Title == "" || c.Severity == "" || c.Standard == "" || len(c.Types) == 0 || (c.Eval == nil) == (c.Findings == nil) {
			t.Errorf("check %s is incomplete: %+v", c.ID, c)
		}
		if c.Scope != AllStacks && c.Scope != ProductionOnly {
			t.Errorf("check %s has scope %q", c.ID, c.Scope)
		}
	}
}
