package mockaws

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/webstack/webstack/contract"
)

// function answers one provider function.
type function func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error)

// functions are the provider functions the program may call; each tier's file contributes its
// own. Anything else fails the run.
var functions = merge(map[string]function{
	contract.InvokeGetAvailabilityZones: getAvailabilityZones,
	contract.InvokeGetCallerIdentity: func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":        resource.NewProperty(AccountID),
			"accountId": resource.NewProperty(AccountID),
			"arn":       resource.NewProperty(fmt.Sprintf("arn:%s:iam::%s:user/plan", Partition, AccountID)),
			"userId":    resource.NewProperty("AIDAPLANMOCK"),
		}, nil
	},
	contract.InvokeGetPartition: func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":               resource.NewProperty(Partition),
			"partition":        resource.NewProperty(Partition),
			"dnsSuffix":        resource.NewProperty("amazonaws.com"),
			"reverseDnsPrefix": resource.NewProperty("com.amazonaws"),
		}, nil
	},
	contract.InvokeGetRegion: func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":       resource.NewProperty(e.Region),
			"name":     resource.NewProperty(e.Region),
			"endpoint": resource.NewProperty(fmt.Sprintf("ec2.%s.amazonaws.com", e.Region)),
		}, nil
	},
	contract.InvokeSSMGetParameter: func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := str(args, "name")
		if !strings.HasPrefix(name, "/aws/service/") {
			return nil, fmt.Errorf("ssm parameter %q is not a public AWS parameter the mock knows", name)
		}
		value := "ami-0" + hash(e.Region+name, 16)
		return resource.PropertyMap{
			"id":            resource.NewProperty(name),
			"name":          resource.NewProperty(name),
			"type":          resource.NewProperty("String"),
			"value":         resource.NewProperty(value),
			"version":       resource.NewProperty(1.0),
			"arn":           resource.NewProperty(fmt.Sprintf("arn:%s:ssm:%s::parameter%s", Partition, e.Region, name)),
			"insecureValue": resource.NewProperty(value),
		}, nil
	},
}, computeFunctions, edgeFunctions)

// zone is one zone of the mock's region as DescribeAvailabilityZones describes it.
type zone struct {
	name, id, group, zoneType, optIn, state string
}

// zones are the mock region's zones: Engine.AZCount availability zones ("<region>a", …; zone
// type "availability-zone", opt-in-status "opt-in-not-required", state "available") and one
// Local Zone the account has opted in to ("<region>-<city>-1a", zone type "local-zone",
// opt-in-status "opted-in"), as an account that uses one sees it. The Local Zone's name sorts
// before the AZs' names, as real ones do ("us-west-2-lax-1a" < "us-west-2a").
func (e *Engine) zones() []zone {
	var out []zone
	for i := 0; i < e.AZCount; i++ {
		out = append(out, zone{
			name: fmt.Sprintf("%s%c", e.Region, 'a'+i), id: fmt.Sprintf("%s-az%d", regionCode(e.Region), i+1), group: e.Region,
			zoneType: "availability-zone", optIn: "opt-in-not-required", state: "available",
		})
	}
	city := "lcz"
	if c, ok := localZoneCities[e.Region]; ok {
		city = c
	}
	out = append(out, zone{
		name: fmt.Sprintf("%s-%s-1a", e.Region, city), id: fmt.Sprintf("%s-%s1-az1", regionCode(e.Region), city), group: fmt.Sprintf("%s-%s-1", e.Region, city),
		zoneType: "local-zone", optIn: "opted-in", state: "available",
	})
	// Listed by name, as the provider lists them.
	slices.SortFunc(out, func(a, b zone) int { return strings.Compare(a.name, b.name) })
	return out
}

// localZoneCities name a Local Zone of some regions as AWS does; other regions get a made-up one.
var localZoneCities = map[string]string{"us-east-1": "bos", "us-west-2": "lax", "ap-northeast-1": "tpe"}

// getAvailabilityZones answers aws:index/getAvailabilityZones:getAvailabilityZones as EC2's
// DescribeAvailabilityZones and the provider do: zones the account has not opted in to only
// with allAvailabilityZones, then the state argument, the filters (opt-in-status, zone-type,
// zone-name, zone-id, group-name, state; a zone passes a filter if any value matches) and the
// excluded names and IDs. Any other filter name is refused, so that a program cannot rely on a
// filter the mock ignores. Source: EC2 API Reference, DescribeAvailabilityZones (Filters), and
// the pulumi-aws doc comment of aws.GetAvailabilityZones (Local Zones are listed with the AZs
// unless filtered out).
func getAvailabilityZones(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
	field := func(z zone, name string) (string, bool) {
		switch name {
		case "opt-in-status":
			return z.optIn, true
		case "zone-type":
			return z.zoneType, true
		case "zone-name":
			return z.name, true
		case "zone-id":
			return z.id, true
		case "group-name":
			return z.group, true
		case "state":
			return z.state, true
		}
		return "", false
	}
	type filter struct {
		name   string
		values []string
	}
	var filters []filter
	if v, ok := args["filters"]; ok && v.IsArray() {
		for _, f := range v.ArrayValue() {
			if !f.IsObject() {
				continue
			}
			fl := filter{name: str(f.ObjectValue(), "name")}
			if vals, ok := f.ObjectValue()["values"]; ok && vals.IsArray() {
				for _, x := range vals.ArrayValue() {
					if x.IsString() {
						fl.values = append(fl.values, x.StringValue())
					}
				}
			}
			if _, known := field(zone{}, fl.name); !known {
				return nil, fmt.Errorf("mockaws: getAvailabilityZones filter %q is not one the mock knows (opt-in-status, zone-type, zone-name, zone-id, group-name, state)", fl.name)
			}
			filters = append(filters, fl)
		}
	}
	excluded := map[string]bool{}
	for _, k := range []resource.PropertyKey{"excludeNames", "excludeZoneIds"} {
		if v, ok := args[k]; ok && v.IsArray() {
			for _, x := range v.ArrayValue() {
				if x.IsString() {
					excluded[x.StringValue()] = true
				}
			}
		}
	}
	state, all := str(args, "state"), boolean(args, "allAvailabilityZones")
	var names, ids, groups []resource.PropertyValue
	seenGroup := map[string]bool{}
zones:
	for _, z := range e.zones() {
		if (!all && z.optIn == "not-opted-in") || (state != "" && z.state != state) || excluded[z.name] || excluded[z.id] {
			continue
		}
		for _, f := range filters {
			got, _ := field(z, f.name)
			if !slices.Contains(f.values, got) {
				continue zones
			}
		}
		names = append(names, resource.NewProperty(z.name))
		ids = append(ids, resource.NewProperty(z.id))
		if !seenGroup[z.group] {
			seenGroup[z.group] = true
			groups = append(groups, resource.NewProperty(z.group))
		}
	}
	return resource.PropertyMap{
		"id":         resource.NewProperty(e.Region),
		"names":      resource.NewProperty(names),
		"zoneIds":    resource.NewProperty(ids),
		"groupNames": resource.NewProperty(groups),
	}, nil
}

// regionCode abbreviates a region for AZ IDs: "ap-northeast-2" -> "apne2".
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	dir := map[string]string{"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
		"north": "n", "south": "s", "east": "e", "west": "w", "central": "c"}[parts[1]]
	return parts[0] + dir + parts[2]
}
