package policy

import (
	"fmt"
	"strings"

	"github.com/webstack/webstack/contract"
	"github.com/webstack/webstack/mockaws"
)

// EC2 instance and launch template checks: IMDSv2, EBS encryption, public addresses, SSM.
func init() {
	register(
		&Check{
			ID: "EC2.3", Title: "EC2 instance EBS volumes should be encrypted at rest",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2Instance}, Eval: instanceVolumesEncrypted,
		},
		&Check{
			ID: "EC2.8", Title: "EC2 instances should use IMDSv2",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2Instance}, Eval: imdsv2,
		},
		&Check{
			ID: "EC2.9", Title: "EC2 instances should not have a public IPv4 address",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2Instance}, Eval: instanceNoPublicIP,
		},
		&Check{
			ID: "EC2.170", Title: "EC2 launch templates should use IMDSv2",
			Severity: Low, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2LaunchTemplate}, Eval: imdsv2,
		},
		&Check{
			ID: "EC2.181", Title: "EC2 launch templates should encrypt attached EBS volumes",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2LaunchTemplate}, Eval: templateVolumesEncrypted,
		},
		&Check{
			ID: "EC2.25", Title: "EC2 launch templates should not assign public IPs to network interfaces",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2LaunchTemplate},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				for i, raw := range list(in(r, "networkInterfaces")) {
					if isTrue(obj(raw)["associatePublicIpAddress"]) {
						return bad("networkInterfaces[%d].associatePublicIpAddress is %s", i, show(obj(raw)["associatePublicIpAddress"]))
					}
				}
				return ok("no network interface asks for a public IP")
			},
		},
		&Check{
			ID: "AutoScaling.4", Title: "Launch template metadata response hop limit should not be greater than 1",
			Severity: High, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2LaunchTemplate},
			Eval: func(s *Stack, r *mockaws.Resource) Verdict {
				v := in(r, "metadataOptions.httpPutResponseHopLimit")
				if n, isNum := num(v); isNum && n > 1 {
					return bad("%s; containers on a bridge network can then reach the instance role's credentials", field(r, "metadataOptions.httpPutResponseHopLimit"))
				}
				return ok("%s (the default is 1)", field(r, "metadataOptions.httpPutResponseHopLimit"))
			},
		},
		&Check{
			ID: "SSM.1", Title: "EC2 instances should be managed by Systems Manager",
			Severity: Medium, Scope: AllStacks, Standard: FSBP, Types: []string{contract.TypeEC2Instance, contract.TypeEC2LaunchTemplate}, Eval: ssmManaged,
		},
	)
}

func imdsv2(s *Stack, r *mockaws.Resource) Verdict {
	if str(in(r, "metadataOptions.httpTokens")) != "required" {
		return bad("%s, want \"required\" (the SDK default \"optional\" allows IMDSv1)", field(r, "metadataOptions.httpTokens"))
	}
	return ok("%s", field(r, "metadataOptions.httpTokens"))
}

func instanceVolumesEncrypted(s *Stack, r *mockaws.Resource) Verdict {
	if !isTrue(in(r, "rootBlockDevice.encrypted")) {
		return bad("%s, want true", field(r, "rootBlockDevice.encrypted"))
	}
	for i, raw := range list(in(r, "ebsBlockDevices")) {
		if v := obj(raw)["encrypted"]; !isTrue(v) {
			return bad("ebsBlockDevices[%d].encrypted is %s, want true", i, show(v))
		}
	}
	return ok("root and attached volumes are encrypted")
}

func templateVolumesEncrypted(s *Stack, r *mockaws.Resource) Verdict {
	mappings := list(in(r, "blockDeviceMappings"))
	if len(mappings) == 0 {
		return bad("blockDeviceMappings is not set, so the root volume keeps the AMI's unencrypted setting; set blockDeviceMappings[].ebs.encrypted = \"true\"")
	}
	for i, raw := range mappings {
		ebs := obj(obj(raw)["ebs"])
		if ebs == nil {
			continue
		}
		if v := ebs["encrypted"]; !isTrue(v) {
			return bad("blockDeviceMappings[%d].ebs.encrypted is %s, want \"true\"", i, show(v))
		}
	}
	return ok("every EBS block device mapping is encrypted")
}

func instanceNoPublicIP(s *Stack, r *mockaws.Resource) Verdict {
	v := in(r, "associatePublicIpAddress")
	if isTrue(v) {
		return bad("%s", field(r, "associatePublicIpAddress"))
	}
	if v == nil {
		if sn := s.Ref(in(r, "subnetId"), contract.TypeEC2Subnet); sn != nil && isTrue(in(sn, "mapPublicIpOnLaunch")) {
			return bad("associatePublicIpAddress is not set and subnet %s has mapPublicIpOnLaunch = true", sn.Name)
		}
	}
	return ok("%s", field(r, "associatePublicIpAddress"))
}

// ssmManagedPolicy is the AWS managed policy Session Manager and the SSM agent need.
const ssmManagedPolicy = ":iam::aws:policy/AmazonSSMManagedInstanceCore"

func ssmManaged(s *Stack, r *mockaws.Resource) Verdict {
	path := "iamInstanceProfile"
	ref := in(r, path)
	if r.Type == contract.TypeEC2LaunchTemplate {
		path = "iamInstanceProfile.name"
		ref = in(r, path)
		if ref == nil {
			path = "iamInstanceProfile.arn"
			ref = in(r, path)
		}
	}
	if ref == nil {
		return bad("%s is not set: without an instance role the SSM agent cannot register", path)
	}
	profile := s.Ref(ref, contract.TypeIAMInstanceProfile)
	if profile == nil {
		return bad("%s is %s, not an instance profile of this stack", path, show(ref))
	}
	role := s.Ref(in(profile, "role"), contract.TypeIAMRole)
	if role == nil {
		return bad("instance profile %s: role is %s, not a role of this stack", profile.Name, show(in(profile, "role")))
	}
	for _, arn := range strs(in(role, "managedPolicyArns")) {
		if strings.HasSuffix(arn, ssmManagedPolicy) {
			return ok("role %s has AmazonSSMManagedInstanceCore", role.Name)
		}
	}
	for _, att := range s.Referring(role, contract.TypeIAMRolePolicyAttachment, "role") {
		if strings.HasSuffix(str(in(att, "policyArn")), ssmManagedPolicy) {
			return ok("role %s has AmazonSSMManagedInstanceCore (%s)", role.Name, att.Name)
		}
	}
	return bad("role %s (through %s) has no AmazonSSMManagedInstanceCore attachment", role.Name, fmt.Sprintf("instance profile %s", profile.Name))
}
