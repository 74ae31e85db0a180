package mockaws

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// function answers one provider function.
type function func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error)

// functions are the provider functions the program may call; each tier's file contributes its
// own. Anything else fails the run.
var functions = merge(map[string]function{
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
		var names, ids []resource.PropertyValue
		for i := 0; i < e.AZCount; i++ {
			names = append(names, resource.NewProperty(fmt.Sprintf("%s%c", e.Region, 'a'+i)))
			ids = append(ids, resource.NewProperty(fmt.Sprintf("%s-az%d", regionCode(e.Region), i+1)))
		}
		return resource.PropertyMap{
			"id":         resource.NewProperty(e.Region),
			"names":      resource.NewProperty(names),
			"zoneIds":    resource.NewProperty(ids),
			"groupNames": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(e.Region)}),
		}, nil
	},
	"aws:index/getCallerIdentity:getCallerIdentity": func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":        resource.NewProperty(AccountID),
			"accountId": resource.NewProperty(AccountID),
			"arn":       resource.NewProperty(fmt.Sprintf("arn:%s:iam::%s:user/plan", Partition, AccountID)),
			"userId":    resource.NewProperty("AIDAPLANMOCK"),
		}, nil
	},
	"aws:index/getPartition:getPartition": func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":               resource.NewProperty(Partition),
			"partition":        resource.NewProperty(Partition),
			"dnsSuffix":        resource.NewProperty("amazonaws.com"),
			"reverseDnsPrefix": resource.NewProperty("com.amazonaws"),
		}, nil
	},
	"aws:index/getRegion:getRegion": func(e *Engine, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return resource.PropertyMap{
			"id":       resource.NewProperty(e.Region),
			"name":     resource.NewProperty(e.Region),
			"endpoint": resource.NewProperty(fmt.Sprintf("ec2.%s.amazonaws.com", e.Region)),
		}, nil
	},
	"aws:ssm/getParameter:getParameter": func(e *Engine, args resource.PropertyMap) (resource.PropertyMap, error) {
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
