package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// computeIDPrefixes shape the physical IDs of the compute tier's types. ELBv2 resources are
// identified by their ARN, as in the provider.
var computeIDPrefixes = map[string]string{}

// autoName returns the name the engine would give a resource without an explicit one: the
// logical name and a random-looking suffix.
func autoName(r *Resource, s resource.PropertyMap) string {
	if name := str(s, "name"); name != "" {
		return name
	}
	return r.Name + "-" + hash(r.URN, 7)
}

// elbSuffix returns the "app/<name>/<id>" part of the load balancer ARN a listener names.
func elbSuffix(s resource.PropertyMap) string {
	const marker = ":loadbalancer/"
	arn := str(s, "loadBalancerArn")
	for i := 0; i+len(marker) <= len(arn); i++ {
		if arn[i:i+len(marker)] == marker {
			return arn[i+len(marker):]
		}
	}
	return "app/unknown/0000000000000000"
}

var computeStates = map[string]stateFunc{
	contract.TypeLBLoadBalancer: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		suffix := fmt.Sprintf("app/%s/%s", name, hash(r.URN+"lb", 16))
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("elasticloadbalancing", "loadbalancer/"+suffix))
		s["arnSuffix"] = resource.NewProperty(suffix)
		s["dnsName"] = resource.NewProperty(fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, hash(r.URN+"dns", 10), e.Region))
		s["zoneId"] = resource.NewProperty("ZWKZPGTI48KDX")
		s["vpcId"] = resource.NewProperty("vpc-" + hash(r.URN+"vpc", 17))
	},
	contract.TypeLBTargetGroup: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		suffix := fmt.Sprintf("targetgroup/%s/%s", name, hash(r.URN+"tg", 16))
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("elasticloadbalancing", suffix))
		s["arnSuffix"] = resource.NewProperty(suffix)
	},
	contract.TypeLBListener: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(e.arn("elasticloadbalancing", fmt.Sprintf("listener/%s/%s", elbSuffix(s), hash(r.URN, 16))))
	},
	contract.TypeLBListenerRule: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["arn"] = resource.NewProperty(e.arn("elasticloadbalancing", fmt.Sprintf("listener-rule/app/%s", hash(r.URN, 32))))
	},
	contract.TypeEC2LaunchTemplate: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["name"] = resource.NewProperty(autoName(r, s))
		s["arn"] = resource.NewProperty(e.arn("ec2", "launch-template/"+r.ID))
		// A template the engine has just created is at version 1.
		s["latestVersion"] = resource.NewProperty(1.0)
		s["defaultVersion"] = resource.NewProperty(1.0)
	},
	contract.TypeAutoscalingGroup: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("autoscaling",
			fmt.Sprintf("autoScalingGroup:%s-%s-%s-%s-%s:autoScalingGroupName/%s",
				hash(r.URN, 8), hash(r.URN+"a", 4), hash(r.URN+"b", 4), hash(r.URN+"c", 4), hash(r.URN+"d", 12), name)))
	},
	contract.TypeECRRepository: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(e.arn("ecr", "repository/"+name))
		s["registryId"] = resource.NewProperty(AccountID)
		s["repositoryUrl"] = resource.NewProperty(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", AccountID, e.Region, name))
	},
	contract.TypeSSMParameter: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := autoName(r, s)
		s["name"] = resource.NewProperty(name)
		r.ID = name
		s["arn"] = resource.NewProperty(e.arn("ssm", "parameter/"+strings.TrimPrefix(name, "/")))
		s["version"] = resource.NewProperty(1.0)
		if str(s, "tier") == "" {
			s["tier"] = resource.NewProperty("Standard")
		}
	},
	contract.TypeECRLifecyclePolicy: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["registryId"] = resource.NewProperty(AccountID)
	},
}
