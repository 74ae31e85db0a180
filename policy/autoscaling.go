package policy

import (
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// Auto Scaling group checks: launch templates, IMDSv2, AZ spread, ELB health checks.
func init() {
	register(
		&Check{
			ID: "AutoScaling.1", Title: "Auto Scaling groups behind a load balancer should use ELB health checks",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeAutoscalingGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if len(list(in(r, "targetGroupArns"))) == 0 && len(list(in(r, "loadBalancers"))) == 0 && len(list(in(r, "trafficSources"))) == 0 {
					return skip("not behind a load balancer")
				}
				if str(in(r, "healthCheckType")) != "ELB" {
					return bad("%s, want \"ELB\": instances failing the target group's health check are never replaced", field(r, "healthCheckType"))
				}
				return ok("%s", field(r, "healthCheckType"))
			},
		},
		&Check{
			ID: "AutoScaling.2", Title: "Auto Scaling groups should cover multiple availability zones",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeAutoscalingGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				zones := map[string]bool{}
				for _, id := range strs(in(r, "vpcZoneIdentifiers")) {
					if sn := s.Ref(id, contract.TypeEC2Subnet); sn != nil {
						zones[az(sn)] = true
					}
				}
				for _, z := range strs(in(r, "availabilityZones")) {
					zones[z] = true
				}
				if len(zones) < 2 {
					return bad("vpcZoneIdentifiers %s cover %d availability zone(s) (%s); want at least 2", show(in(r, "vpcZoneIdentifiers")), len(zones), strings.Join(keys(zones), ", "))
				}
				return ok("spans %s", strings.Join(keys(zones), ", "))
			},
		},
		&Check{
			ID: "AutoScaling.3", Title: "Auto Scaling group launch templates should require IMDSv2",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeAutoscalingGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				lt, path := groupTemplate(s, r)
				if lt == nil {
					return bad("%s does not name a launch template of this stack", path)
				}
				if v := str(in(lt, "metadataOptions.httpTokens")); v != "required" {
					return bad("launch template %s (%s): metadataOptions.httpTokens is %s, want \"required\"", lt.Name, path, show(in(lt, "metadataOptions.httpTokens")))
				}
				return ok("launch template %s requires IMDSv2", lt.Name)
			},
		},
		&Check{
			ID: "AutoScaling.9", Title: "Auto Scaling groups should use EC2 launch templates",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeAutoscalingGroup},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				if v := in(r, "launchConfiguration"); v != nil {
					return bad("%s; use launchTemplate", field(r, "launchConfiguration"))
				}
				if in(r, "launchTemplate") == nil && in(r, "mixedInstancesPolicy.launchTemplate") == nil {
					return bad("neither launchTemplate nor mixedInstancesPolicy.launchTemplate is set")
				}
				return ok("uses a launch template")
			},
		},
	)
}

// groupTemplate returns the launch template an Auto Scaling group launches from, and the input
// path that names it.
func groupTemplate(s *Stack, r *mockaws.Resource) (*mockaws.Resource, string) {
	for _, path := range []string{
		"launchTemplate.id", "launchTemplate.name",
		"mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateId",
		"mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.launchTemplateName",
	} {
		if v := in(r, path); v != nil {
			return s.Ref(v, contract.TypeEC2LaunchTemplate), path + " (" + show(v) + ")"
		}
	}
	return nil, "launchTemplate"
}
