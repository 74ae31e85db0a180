package mockaws

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// stateFunc adds the attributes a provider computes for a resource type to its state.
type stateFunc func(e *Engine, r *Resource, state resource.PropertyMap)

// idPrefixes give physical IDs the shape AWS uses for the type; other types get "<name>-<hash>".
var idPrefixes = merge(map[string]string{
	contract.TypeEC2VPC:                      "vpc-",
	contract.TypeEC2Subnet:                   "subnet-",
	contract.TypeEC2InternetGateway:          "igw-",
	contract.TypeEC2EIP:                      "eipalloc-",
	contract.TypeEC2NatGateway:               "nat-",
	contract.TypeEC2RouteTable:               "rtb-",
	contract.TypeEC2Route:                    "r-rtb-",
	contract.TypeEC2RouteTableAssociation:    "rtbassoc-",
	contract.TypeEC2SecurityGroup:            "sg-",
	contract.TypeEC2DefaultSecurityGroup:     "sg-",
	contract.TypeVPCSecurityGroupIngressRule: "sgr-",
	contract.TypeVPCSecurityGroupEgressRule:  "sgr-",
	contract.TypeEC2VPCEndpoint:              "vpce-",
	contract.TypeEC2FlowLog:                  "fl-",
	contract.TypeEC2Instance:                 "i-",
	contract.TypeEC2LaunchTemplate:           "lt-",
}, dataIDPrefixes, computeIDPrefixes)

// stateFuncs hold the computed attributes per type; each tier's file contributes its own map.
var stateFuncs = merge(networkStates, dataStates, computeStates, edgeStates, monitoringStates)

func merge[V any](maps ...map[string]V) map[string]V {
	out := map[string]V{}
	for _, m := range maps {
		for k, v := range m {
			if _, dup := out[k]; dup {
				panic("mockaws: duplicate entry for " + k)
			}
			out[k] = v
		}
	}
	return out
}

func (e *Engine) physicalID(r *Resource) string {
	if p, ok := idPrefixes[r.Type]; ok {
		return p + hash(r.URN, 17)
	}
	if r.Type == contract.TypeAWSProvider || strings.HasPrefix(r.Type, "pulumi:providers:") {
		return hash(r.URN, 8) + "-" + hash(r.URN+"p", 4) + "-" + hash(r.URN+"q", 4) + "-" + hash(r.URN+"r", 12)
	}
	return fmt.Sprintf("%s-%s", r.Name, hash(r.URN, 8))
}

// state returns what the provider would hold after creating r: its inputs, its id, a
// plausible ARN, and the type's computed attributes.
func (e *Engine) state(r *Resource) (resource.PropertyMap, error) {
	state := r.Inputs.Copy()
	if strings.HasPrefix(r.Type, "pulumi:providers:") {
		return state, nil
	}
	if _, ok := state["arn"]; !ok {
		state["arn"] = resource.NewProperty(e.arn(module(r.Type), resourceKind(r.Type)+"/"+r.ID))
	}
	if Taggable(r.Type) {
		// The provider's default tags, then the resource's own (which win).
		all := e.defaultTags(r.Provider)
		if tags, ok := state["tags"]; ok && tags.IsObject() {
			for k, v := range tags.ObjectValue() {
				all[k] = v
			}
		}
		state["tagsAll"] = resource.NewProperty(all)
	}
	if fn, ok := stateFuncs[r.Type]; ok {
		fn(e, r, state)
	}
	return state, nil
}

// defaultTags returns the default tags of the provider a resource uses.
func (e *Engine) defaultTags(providerRef string) resource.PropertyMap {
	urn := providerURN(providerRef)
	out := resource.PropertyMap{}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.resources {
		if p.URN != urn {
			continue
		}
		dt, ok := p.Inputs["defaultTags"]
		if !ok {
			break
		}
		v, ok := unwrap(dt)
		if ok && v.IsString() {
			// The SDK hands nested provider inputs to the engine as JSON text.
			var parsed struct {
				Tags map[string]string `json:"tags"`
			}
			if json.Unmarshal([]byte(v.StringValue()), &parsed) == nil {
				for k, t := range parsed.Tags {
					out[resource.PropertyKey(k)] = resource.NewProperty(t)
				}
			}
			return out
		}
		if ok && v.IsObject() {
			if tags, ok := v.ObjectValue()["tags"]; ok {
				if t, ok := unwrap(tags); ok && t.IsObject() {
					return t.ObjectValue().Copy()
				}
			}
		}
		break
	}
	return out
}

// providerURN returns the URN of a provider reference "<urn>::<id>". URNs contain "::"
// themselves, so the ID is what follows the last one.
func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i >= 0 {
		return ref[:i]
	}
	return ref
}

// unwrap returns the plain value inside secret and output wrappers.
func unwrap(v resource.PropertyValue) (resource.PropertyValue, bool) {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			if !v.OutputValue().Known {
				return v, false
			}
			v = v.OutputValue().Element
		default:
			return v, true
		}
	}
}

func (e *Engine) arn(service, rest string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", Partition, service, e.Region, AccountID, rest)
}

// resourceKind turns "aws:ec2/natGateway:NatGateway" into "nat-gateway".
func resourceKind(typ string) string {
	parts := strings.Split(typ, ":")
	name := parts[len(parts)-1]
	var b strings.Builder
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func str(state resource.PropertyMap, key string) string {
	if v, ok := state[resource.PropertyKey(key)]; ok {
		if u, ok := unwrap(v); ok && u.IsString() {
			return u.StringValue()
		}
	}
	return ""
}

func boolean(state resource.PropertyMap, key string) bool {
	if v, ok := state[resource.PropertyKey(key)]; ok {
		if u, ok := unwrap(v); ok && u.IsBool() {
			return u.BoolValue()
		}
	}
	return false
}

// ipFor returns a stable private address for a resource.
func ipFor(urn string, base string) string {
	h := hash(urn, 4)
	var a, b int
	fmt.Sscanf(h[:2], "%x", &a)
	fmt.Sscanf(h[2:], "%x", &b)
	return fmt.Sprintf("%s.%d.%d", base, a%250+1, b%250+1)
}

var networkStates = map[string]stateFunc{
	contract.TypeEC2VPC: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["defaultSecurityGroupId"] = resource.NewProperty("sg-" + hash(r.URN+"default", 17))
		s["mainRouteTableId"] = resource.NewProperty("rtb-" + hash(r.URN+"main", 17))
		s["ownerId"] = resource.NewProperty(AccountID)
	},
	contract.TypeEC2EIP: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["allocationId"] = resource.NewProperty(r.ID)
		s["publicIp"] = resource.NewProperty(ipFor(r.URN, "203.0"))
	},
	contract.TypeEC2SecurityGroup: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["ownerId"] = resource.NewProperty(AccountID)
	},
	contract.TypeEC2Instance: func(e *Engine, r *Resource, s resource.PropertyMap) {
		s["privateIp"] = resource.NewProperty(ipFor(r.URN, "10.0"))
		if boolean(s, "associatePublicIpAddress") {
			s["publicIp"] = resource.NewProperty(ipFor(r.URN, "198.51"))
		} else {
			s["publicIp"] = resource.NewProperty("")
		}
		s["availabilityZone"] = resource.NewProperty(e.Region + "a")
	},
	contract.TypeCloudWatchLogGroup: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := str(s, "name")
		if name == "" {
			name = str(s, "namePrefix") + hash(r.URN, 8)
			s["name"] = resource.NewProperty(name)
		}
		s["arn"] = resource.NewProperty(e.arn("logs", "log-group:"+name))
	},
	contract.TypeIAMRole: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := r.Name + "-" + hash(r.URN, 7)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:iam::%s:role/%s", Partition, AccountID, name))
		s["uniqueId"] = resource.NewProperty("AROA" + strings.ToUpper(hash(r.URN, 17)))
	},
	contract.TypeIAMInstanceProfile: func(e *Engine, r *Resource, s resource.PropertyMap) {
		name := r.Name + "-" + hash(r.URN, 7)
		s["name"] = resource.NewProperty(name)
		s["arn"] = resource.NewProperty(fmt.Sprintf("arn:%s:iam::%s:instance-profile/%s", Partition, AccountID, name))
	},
}
