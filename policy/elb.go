package policy

import (
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Load balancer checks: HTTPS redirect, TLS policy, header handling, logging, deletion
// protection, AZ spread, target health checks.
func init() {
	register(elbListenerChecks()...)
	register(elbLoadBalancerChecks()...)
	register(targetGroupChecks()...)
}

// elbListenerChecks judge listeners: plain HTTP only redirects to HTTPS, and HTTPS uses a TLS 1.3
// security policy.
func elbListenerChecks() []*Check {
	return []*Check{
		&Check{
			ID: "ELB.1", Title: "ALB HTTP listeners should redirect to HTTPS",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: listenerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if p := str(in(r, "protocol")); p != "" && p != "HTTP" {
					return skip("protocol %s", p)
				}
				actions := list(in(r, "defaultActions"))
				if len(actions) == 0 {
					return bad("port %s HTTP listener has no defaultActions", show(in(r, "port")))
				}
				for i, raw := range actions {
					a := obj(raw)
					if str(a["type"]) != "redirect" {
						return bad("port %s HTTP listener: defaultActions[%d].type is %s, want \"redirect\" to HTTPS", show(in(r, "port")), i, show(a["type"]))
					}
					if p := obj(a["redirect"])["protocol"]; str(p) != "HTTPS" {
						return bad("port %s HTTP listener: defaultActions[%d].redirect.protocol is %s, want \"HTTPS\"", show(in(r, "port")), i, show(p))
					}
				}
				return ok("port %s redirects to HTTPS", show(in(r, "port")))
			},
		},
		&Check{
			ID: "ELB.17", Title: "HTTPS listeners should use a TLS 1.3 security policy with TLS 1.2 as the minimum",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: listenerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if p := str(in(r, "protocol")); p != "HTTPS" && p != "TLS" {
					return skip("protocol %s", p)
				}
				policy := str(in(r, "sslPolicy"))
				if !strings.HasPrefix(policy, "ELBSecurityPolicy-TLS13-1-2-") && !strings.HasPrefix(policy, "ELBSecurityPolicy-TLS13-1-3-") {
					return bad("%s (not set means the SDK default \"ELBSecurityPolicy-2016-08\"); want e.g. \"ELBSecurityPolicy-TLS13-1-2-2021-06\"", field(r, "sslPolicy"))
				}
				return ok("%s", field(r, "sslPolicy"))
			},
		},
	}
}

// elbLoadBalancerChecks judge the load balancer itself: header handling and desync mitigation,
// access logs, deletion protection, and its spread over availability zones.
func elbLoadBalancerChecks() []*Check {
	return []*Check{
		&Check{
			ID: "ELB.4", Title: "Application load balancers should drop invalid HTTP headers",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: loadBalancerTypes,
			Eval: albOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "dropInvalidHeaderFields")) {
					return bad("%s, want true (the default is false)", field(r, "dropInvalidHeaderFields"))
				}
				return ok("%s", field(r, "dropInvalidHeaderFields"))
			}),
		},
		&Check{
			ID: "ELB.12", Title: "Application load balancers should use defensive or strictest desync mitigation",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: loadBalancerTypes,
			Eval: albOnly(func(s *Stack, r *mockaws.Resource) Verdict {
				switch str(in(r, "desyncMitigationMode")) {
				case "", "defensive", "strictest":
					return ok("%s (the default is \"defensive\")", field(r, "desyncMitigationMode"))
				}
				return bad("%s, want \"defensive\" or \"strictest\"", field(r, "desyncMitigationMode"))
			}),
		},
		&Check{
			ID: "ELB.5", Title: "Application load balancers should log access",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: loadBalancerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "accessLogs.enabled")) || str(in(r, "accessLogs.bucket")) == "" {
					return bad("accessLogs.enabled is %s and accessLogs.bucket is %s; enabled defaults to false even with a bucket", show(in(r, "accessLogs.enabled")), show(in(r, "accessLogs.bucket")))
				}
				return ok("logs to bucket %s", show(in(r, "accessLogs.bucket")))
			},
		},
		&Check{
			ID: "ELB.6", Title: "Load balancers should have deletion protection",
			Severity: Medium, Scope: ProductionOnly, Standard: FSBP, Types: loadBalancerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if !isTrue(in(r, "enableDeletionProtection")) {
					return bad("%s, want true", field(r, "enableDeletionProtection"))
				}
				return ok("%s", field(r, "enableDeletionProtection"))
			},
		},
		&Check{
			ID: "ELB.13", Title: "Load balancers should span multiple availability zones",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: loadBalancerTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				ids := strs(in(r, "subnets"))
				for _, m := range list(in(r, "subnetMappings")) {
					ids = append(ids, str(obj(m)["subnetId"]))
				}
				zones := map[string]bool{}
				for _, id := range ids {
					if sn := s.Ref(id, contract.TypeEC2Subnet); sn != nil {
						zones[az(sn)] = true
					}
				}
				if len(zones) < 2 {
					return bad("subnets %s are in %d availability zone(s) (%s); want at least 2", show(ids), len(zones), strings.Join(keys(zones), ", "))
				}
				return ok("subnets span %s", strings.Join(keys(zones), ", "))
			},
		},
	}
}

// targetGroupChecks judge how target groups decide that a target is healthy.
func targetGroupChecks() []*Check {
	return []*Check{
		&Check{
			ID: "REL11-BP01/health-check", Title: "Target groups should health-check their targets on an explicit path and status",
			Severity: Medium, Scope: AllStacks, Standard: WellArchitected, Types: targetGroupTypes,
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if isFalse(in(r, "healthCheck.enabled")) {
					return bad("%s", field(r, "healthCheck.enabled"))
				}
				if t := str(in(r, "targetType")); t == "lambda" {
					return skip("lambda targets")
				}
				if str(in(r, "healthCheck.path")) == "" || str(in(r, "healthCheck.matcher")) == "" {
					return bad("healthCheck.path is %s and healthCheck.matcher is %s; set both so that a release is judged by the application's own health endpoint", show(in(r, "healthCheck.path")), show(in(r, "healthCheck.matcher")))
				}
				return ok("checks %s for %s", show(in(r, "healthCheck.path")), show(in(r, "healthCheck.matcher")))
			},
		},
	}
}

// albOnly limits a check to application load balancers (loadBalancerType defaults to
// "application").
func albOnly(eval func(*Stack, *mockaws.Resource) Verdict) func(*Stack, *mockaws.Resource) Verdict {
	return func(s *Stack, r *mockaws.Resource) Verdict {
		if t := str(in(r, "loadBalancerType")); t != "" && t != "application" {
			return skip("loadBalancerType %s", t)
		}
		return eval(s, r)
	}
}
